package ledger

import (
	"context"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/store"
)

var (
	prefixPattern       = regexp.MustCompile(`^[A-Za-z0-9]{1,4}$`)
	technicalKeyPattern = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
)

// maxConsecutive keeps prefix + consecutive within an invoice's numero.
const maxConsecutive = 999_999_999_999_999_999

// Resolution reads one numbering resolution of the actor's tenant.
func (l *Ledger) Resolution(ctx context.Context, a Actor, id uuid.UUID) (billing.NumberingResolution, error) {
	return l.store.Resolution(ctx, a.Tenant, id)
}

// Resolutions reads every numbering resolution of the actor's tenant.
func (l *Ledger) Resolutions(ctx context.Context, a Actor) ([]billing.NumberingResolution, error) {
	return l.store.Resolutions(ctx, a.Tenant)
}

// CreateResolution records a DIAN numbering authorisation, active, its
// counter at Desde. An already expired range is accepted (it ends a
// resolution early, as a PATCH may).
func (l *Ledger) CreateResolution(ctx context.Context, a Actor, r billing.NumberingResolution) (billing.NumberingResolution, error) {
	if err := checkResolution(r); err != nil {
		return billing.NumberingResolution{}, err
	}
	r.ID = uuid.Must(uuid.NewV7())
	r.ClaveTecnica = strings.ToLower(r.ClaveTecnica)
	r.NumeroResolucion = optionalText(r.NumeroResolucion)
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.NumberingResolution, error) {
		return tx.CreateResolution(ctx, r)
	})
}

// PatchResolution changes what may change of a resolution: whether it is
// active, and its validity end (any date not before its start, past dates
// included). Activating it checks it against the other active ranges.
func (l *Ledger) PatchResolution(ctx context.Context, a Actor, id uuid.UUID, p billing.ResolutionPatch) (billing.NumberingResolution, error) {
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.NumberingResolution, error) {
		cur, err := tx.LockResolution(ctx, id)
		if err != nil {
			return billing.NumberingResolution{}, err
		}
		next := cur
		if p.Activa != nil {
			next.Activa = *p.Activa
		}
		if p.VigenciaHasta != nil {
			end := *p.VigenciaHasta
			if cur.VigenciaDesde == nil {
				return billing.NumberingResolution{}, fault.Invalid("resolution_dates_invalid", "This range has no validity to end.",
					fault.FieldError{Field: "vigenciaHasta", Message: "must be absent: the range was recorded without vigenciaDesde"})
			}
			if end.Before(*cur.VigenciaDesde) {
				return billing.NumberingResolution{}, fault.Invalid("resolution_dates_invalid", "The validity cannot end before it starts.",
					fault.FieldError{Field: "vigenciaHasta", Message: "must not be before vigenciaDesde (" + cur.VigenciaDesde.String() + ")"})
			}
			next.VigenciaHasta = &end
		}
		return tx.UpdateResolution(ctx, cur, next)
	})
}

// checkResolution applies the rules of a new range, each refusal with its
// own code and the field named.
func checkResolution(r billing.NumberingResolution) error {
	if !prefixPattern.MatchString(r.Prefijo) {
		return fault.Invalid("prefix_invalid", "The prefix must be 1 to 4 letters or digits.",
			fault.FieldError{Field: "prefijo", Message: "must be 1 to 4 letters or digits"})
	}
	if r.Desde < 0 || r.Desde > r.Hasta || r.Hasta > maxConsecutive {
		return fault.Invalid("resolution_range_invalid", "The range must run from desde to hasta, desde ≤ hasta.",
			fault.FieldError{Field: "hasta", Message: "must not be below desde (and at most 18 digits)"})
	}
	if r.VigenciaDesde != nil && r.VigenciaHasta != nil && r.VigenciaHasta.Before(*r.VigenciaDesde) {
		return fault.Invalid("resolution_dates_invalid", "The validity cannot end before it starts.",
			fault.FieldError{Field: "vigenciaHasta", Message: "must not be before vigenciaDesde"})
	}
	if r.TipoDocumento != billing.KindFactura {
		if r.ClaveTecnica != "" {
			return fault.Invalid("technical_key_not_allowed", "Only a FACTURA range has a technical key.",
				fault.FieldError{Field: "claveTecnica", Message: "must be absent for " + string(r.TipoDocumento)})
		}
		if (r.VigenciaDesde == nil) != (r.VigenciaHasta == nil) {
			return fault.InvalidRequest(fault.FieldError{Field: "vigenciaHasta", Message: "vigenciaDesde and vigenciaHasta go together"})
		}
		return nil
	}
	if !technicalKeyPattern.MatchString(r.ClaveTecnica) {
		return fault.Invalid("technical_key_required", "A FACTURA range needs DIAN's technical key: 40 hexadecimal characters.",
			fault.FieldError{Field: "claveTecnica", Message: "must be 40 hexadecimal characters"})
	}
	var checks []*fault.FieldError
	if r.NumeroResolucion == nil || strings.TrimSpace(*r.NumeroResolucion) == "" {
		checks = append(checks, &fault.FieldError{Field: "numeroResolucion", Message: "is required for a FACTURA range"})
	}
	if r.FechaResolucion == nil {
		checks = append(checks, &fault.FieldError{Field: "fechaResolucion", Message: "is required for a FACTURA range"})
	}
	if r.VigenciaDesde == nil {
		checks = append(checks, &fault.FieldError{Field: "vigenciaDesde", Message: "is required for a FACTURA range"})
	}
	if r.VigenciaHasta == nil {
		checks = append(checks, &fault.FieldError{Field: "vigenciaHasta", Message: "is required for a FACTURA range"})
	}
	return fault.Fields(checks...)
}
