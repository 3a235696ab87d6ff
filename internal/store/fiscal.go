package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// FiscalProfile reads the tenant's fiscal profile (its PIN left out: reads
// only say that one is set); fault.ErrFiscalProfileNotFound before the first
// PUT.
func (s *Store) FiscalProfile(ctx context.Context, tenant uuid.UUID) (billing.FiscalProfile, error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.FiscalProfile, error) {
		return q.GetFiscalProfile(ctx, tenant)
	})
	if NoRows(err) {
		return billing.FiscalProfile{}, fault.ErrFiscalProfileNotFound
	}
	if err != nil {
		return billing.FiscalProfile{}, fmt.Errorf("loading fiscal profile: %w", err)
	}
	p := toFiscalProfile(row)
	p.SoftwarePIN = ""
	return p, nil
}

// FiscalProfile reads the tenant's fiscal profile with its PIN, for the
// documents an issue builds; fault.ErrFiscalProfileNotFound when there is
// none.
func (tx *Tx) FiscalProfile(ctx context.Context) (billing.FiscalProfile, error) {
	row, err := tx.q.GetFiscalProfile(ctx, tx.tenant)
	if NoRows(err) {
		return billing.FiscalProfile{}, fault.ErrFiscalProfileNotFound
	}
	if err != nil {
		return billing.FiscalProfile{}, fmt.Errorf("loading fiscal profile: %w", err)
	}
	return toFiscalProfile(row), nil
}

// PutFiscalProfile creates or replaces the tenant's profile. An empty
// SoftwarePIN keeps the stored one; on the first write it is
// fault.ErrSoftwarePinRequired.
func (tx *Tx) PutFiscalProfile(ctx context.Context, p billing.FiscalProfile) (billing.FiscalProfile, error) {
	var pin *string
	if p.SoftwarePIN != "" {
		pin = &p.SoftwarePIN
	}
	row, err := tx.q.PutFiscalProfile(ctx, db.PutFiscalProfileParams{
		TenantID: tx.tenant, Nit: p.Nit, RazonSocial: p.RazonSocial, NombreComercial: p.NombreComercial,
		TipoPersona: string(p.TipoPersona), Responsabilidades: p.Responsabilidades, Tributo: p.Tributo,
		Direccion: p.Direccion, Municipio: p.Municipio, Ciudad: p.Ciudad, Departamento: p.Departamento,
		Email: p.Email, Telefono: p.Telefono, Ambiente: string(p.Ambiente), SoftwareID: p.SoftwareID, SoftwarePin: pin,
	})
	if err != nil {
		if pin == nil && notNull(err, "software_pin") {
			return billing.FiscalProfile{}, fault.ErrSoftwarePinRequired
		}
		return billing.FiscalProfile{}, fmt.Errorf("writing fiscal profile: %w", Translate(err))
	}
	out := toFiscalProfile(row)
	out.SoftwarePIN = ""
	return out, nil
}

func toFiscalProfile(r db.FiscalProfile) billing.FiscalProfile {
	return billing.FiscalProfile{
		Nit: r.Nit, RazonSocial: r.RazonSocial, NombreComercial: r.NombreComercial,
		TipoPersona: billing.TipoPersona(r.TipoPersona), Responsabilidades: r.Responsabilidades, Tributo: r.Tributo,
		Direccion: r.Direccion, Municipio: r.Municipio, Ciudad: r.Ciudad, Departamento: r.Departamento,
		Email: r.Email, Telefono: r.Telefono, Ambiente: billing.Ambiente(r.Ambiente), SoftwareID: r.SoftwareID,
		SoftwarePIN: r.SoftwarePin, SoftwarePINSet: r.SoftwarePin != "",
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}
