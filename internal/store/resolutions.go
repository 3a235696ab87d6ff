package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// Resolution reads one numbering resolution of the tenant (its technical key
// left out); fault.ErrResolutionNotFound when there is none.
func (s *Store) Resolution(ctx context.Context, tenant, id uuid.UUID) (billing.NumberingResolution, error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.NumberingResolution, error) {
		return q.GetNumberingResolution(ctx, db.GetNumberingResolutionParams{TenantID: tenant, ID: id})
	})
	if NoRows(err) {
		return billing.NumberingResolution{}, fault.ErrResolutionNotFound
	}
	if err != nil {
		return billing.NumberingResolution{}, fmt.Errorf("loading numbering resolution: %w", err)
	}
	return withoutKey(toResolution(row)), nil
}

// Resolutions reads every numbering resolution of the tenant, oldest first
// (a tenant holds a handful), without their technical keys.
func (s *Store) Resolutions(ctx context.Context, tenant uuid.UUID) ([]billing.NumberingResolution, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.NumberingResolution, error) {
		return q.ListNumberingResolutions(ctx, tenant)
	})
	if err != nil {
		return nil, fmt.Errorf("listing numbering resolutions: %w", err)
	}
	out := make([]billing.NumberingResolution, len(rows))
	for i, r := range rows {
		out[i] = withoutKey(toResolution(r))
	}
	return out, nil
}

// CreateResolution writes a new active range, its counter at Desde. An
// overlap with another active range of the kind and prefix is
// fault.ErrResolutionOverlaps (the exclusion constraint's), and so is a range
// that holds a numero the tenant already used with that prefix.
func (tx *Tx) CreateResolution(ctx context.Context, r billing.NumberingResolution) (billing.NumberingResolution, error) {
	if err := tx.refuseUsedNumbers(ctx, r); err != nil {
		return billing.NumberingResolution{}, err
	}
	var key []byte
	if r.ClaveTecnica != "" {
		var err error
		if key, err = seal(tx.secrets, []byte(r.ClaveTecnica), technicalKeyAD(tx.tenant, r.ID)); err != nil {
			return billing.NumberingResolution{}, err
		}
	}
	row, err := tx.q.CreateNumberingResolution(ctx, db.CreateNumberingResolutionParams{
		TenantID: tx.tenant, ID: r.ID, TipoDocumento: string(r.TipoDocumento), NumeroResolucion: r.NumeroResolucion,
		FechaResolucion: dateColumn(r.FechaResolucion), Prefijo: r.Prefijo, Desde: r.Desde, Hasta: r.Hasta,
		VigenciaDesde: dateColumn(r.VigenciaDesde), VigenciaHasta: dateColumn(r.VigenciaHasta), ClaveTecnicaSealed: key,
	})
	if err != nil {
		return billing.NumberingResolution{}, fmt.Errorf("creating numbering resolution: %w", Translate(err))
	}
	return withoutKey(toResolution(row)), nil
}

// LockResolution reads a resolution and locks it until the transaction ends.
func (tx *Tx) LockResolution(ctx context.Context, id uuid.UUID) (billing.NumberingResolution, error) {
	row, err := tx.q.GetNumberingResolutionForUpdate(ctx, db.GetNumberingResolutionForUpdateParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return billing.NumberingResolution{}, fault.ErrResolutionNotFound
	}
	if err != nil {
		return billing.NumberingResolution{}, fmt.Errorf("locking numbering resolution: %w", err)
	}
	return withoutKey(toResolution(row)), nil
}

// UpdateResolution writes a locked resolution's activa and validity end.
// Activating a range checks it as a new one would be checked.
func (tx *Tx) UpdateResolution(ctx context.Context, cur, next billing.NumberingResolution) (billing.NumberingResolution, error) {
	if next.Activa && !cur.Activa {
		// Only the numbers it has not given yet: those it gave are the
		// tenant's numeros with its prefix, by design.
		rest := next
		rest.Desde = next.Siguiente
		if err := tx.refuseUsedNumbers(ctx, rest); err != nil {
			return billing.NumberingResolution{}, err
		}
	}
	row, err := tx.q.UpdateNumberingResolution(ctx, db.UpdateNumberingResolutionParams{
		TenantID: tx.tenant, ID: cur.ID, Activa: next.Activa, VigenciaHasta: dateColumn(next.VigenciaHasta),
	})
	if err != nil {
		return billing.NumberingResolution{}, fmt.Errorf("updating numbering resolution: %w", Translate(err))
	}
	return withoutKey(toResolution(row)), nil
}

// ActiveResolutions locks and reads every active range of one kind, with
// their technical keys: issues of one tenant queue on these locks, which is
// what keeps its numbering gapless.
func (tx *Tx) ActiveResolutions(ctx context.Context, kind billing.DocumentKind) ([]billing.NumberingResolution, error) {
	rows, err := tx.q.LockActiveResolutions(ctx, db.LockActiveResolutionsParams{TenantID: tx.tenant, TipoDocumento: string(kind)})
	if err != nil {
		return nil, fmt.Errorf("locking numbering resolutions: %w", err)
	}
	out := make([]billing.NumberingResolution, len(rows))
	for i, r := range rows {
		if out[i], err = tx.withKey(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// withKey maps a resolution with its technical key opened.
func (tx *Tx) withKey(r db.NumberingResolution) (billing.NumberingResolution, error) {
	out := toResolution(r)
	if r.ClaveTecnicaSealed != nil {
		key, err := unseal(tx.secrets, r.ClaveTecnicaSealed, technicalKeyAD(tx.tenant, r.ID))
		if err != nil {
			return billing.NumberingResolution{}, err
		}
		out.ClaveTecnica = string(key)
	}
	return out, nil
}

// TakeConsecutive takes the next number of a range ActiveResolutions
// locked; given back if the transaction rolls back.
func (tx *Tx) TakeConsecutive(ctx context.Context, id uuid.UUID) (int64, error) {
	n, err := tx.q.TakeConsecutive(ctx, db.TakeConsecutiveParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return 0, fault.ErrRangeExhausted
	}
	if err != nil {
		return 0, fmt.Errorf("taking a consecutive: %w", err)
	}
	return n, nil
}

// refuseUsedNumbers answers fault.ErrResolutionOverlaps when an active
// invoice range would hold a numero the tenant already used with its prefix.
// A client-chosen numero written concurrently could slip past this check;
// the numero's unique constraint still refuses the issue that would repeat
// it.
func (tx *Tx) refuseUsedNumbers(ctx context.Context, r billing.NumberingResolution) error {
	if r.TipoDocumento != billing.KindFactura || r.Desde > r.Hasta {
		return nil
	}
	used, err := tx.q.NumeroUsedInRange(ctx, db.NumeroUsedInRangeParams{TenantID: tx.tenant, Prefijo: r.Prefijo, Desde: r.Desde, Hasta: r.Hasta})
	if err != nil {
		return fmt.Errorf("checking used numbers: %w", err)
	}
	if used {
		return fault.ErrResolutionOverlaps
	}
	return nil
}

func toResolution(r db.NumberingResolution) billing.NumberingResolution {
	out := billing.NumberingResolution{
		ID: r.ID, TipoDocumento: billing.DocumentKind(r.TipoDocumento), NumeroResolucion: r.NumeroResolucion,
		FechaResolucion: fromDateColumn(r.FechaResolucion), Prefijo: r.Prefijo, Desde: r.Desde, Hasta: r.Hasta,
		VigenciaDesde: fromDateColumn(r.VigenciaDesde), VigenciaHasta: fromDateColumn(r.VigenciaHasta),
		Activa: r.Activa, Siguiente: r.Siguiente, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.ClaveTecnica != nil { // stored before keys were sealed
		out.ClaveTecnica = *r.ClaveTecnica
	}
	out.ClaveTecnicaSet = r.ClaveTecnica != nil || r.ClaveTecnicaSealed != nil
	return out
}

// withoutKey leaves a write-only technical key out of what reads return.
func withoutKey(r billing.NumberingResolution) billing.NumberingResolution {
	r.ClaveTecnica = ""
	return r
}

func dateColumn(d *billing.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := d.Time()
	return &t
}

func fromDateColumn(t *time.Time) *billing.Date {
	if t == nil {
		return nil
	}
	d := billing.DateFromTime(*t)
	return &d
}
