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
	return toFiscalProfile(row), nil
}

// FiscalProfile reads the tenant's fiscal profile with its PIN opened, for
// the documents an issue builds; fault.ErrFiscalProfileNotFound when there
// is none.
func (tx *Tx) FiscalProfile(ctx context.Context) (billing.FiscalProfile, error) {
	row, err := tx.q.GetFiscalProfile(ctx, tx.tenant)
	if NoRows(err) {
		return billing.FiscalProfile{}, fault.ErrFiscalProfileNotFound
	}
	if err != nil {
		return billing.FiscalProfile{}, fmt.Errorf("loading fiscal profile: %w", err)
	}
	p := toFiscalProfile(row)
	switch {
	case row.SoftwarePinSealed != nil:
		pin, err := unseal(tx.secrets, row.SoftwarePinSealed, pinAD(tx.tenant))
		if err != nil {
			return billing.FiscalProfile{}, err
		}
		p.SoftwarePIN = string(pin)
	case row.SoftwarePin != nil: // stored before PINs were sealed
		p.SoftwarePIN = *row.SoftwarePin
	}
	return p, nil
}

// PutFiscalProfile creates or replaces the tenant's profile, its PIN
// sealed (fault.ErrSecretKeyMissing without a key). An empty SoftwarePIN
// keeps the stored one; on the first write it is
// fault.ErrSoftwarePinRequired.
func (tx *Tx) PutFiscalProfile(ctx context.Context, p billing.FiscalProfile) (billing.FiscalProfile, error) {
	var pin []byte
	if p.SoftwarePIN != "" {
		var err error
		if pin, err = seal(tx.secrets, []byte(p.SoftwarePIN), pinAD(tx.tenant)); err != nil {
			return billing.FiscalProfile{}, err
		}
	}
	row, err := tx.q.PutFiscalProfile(ctx, db.PutFiscalProfileParams{
		TenantID: tx.tenant, Nit: p.Nit, RazonSocial: p.RazonSocial, NombreComercial: p.NombreComercial,
		TipoPersona: string(p.TipoPersona), Responsabilidades: p.Responsabilidades, Tributo: p.Tributo,
		Direccion: p.Direccion, Municipio: p.Municipio, Ciudad: p.Ciudad, Departamento: p.Departamento,
		Email: p.Email, Telefono: p.Telefono, Ambiente: string(p.Ambiente), SoftwareID: p.SoftwareID, SoftwarePinSealed: pin,
		EnviarAlAceptar: p.EnviarAlAceptar, TestSetID: p.TestSetID,
	})
	if err != nil {
		return billing.FiscalProfile{}, fmt.Errorf("writing fiscal profile: %w", Translate(err))
	}
	return toFiscalProfile(row), nil
}

// toFiscalProfile maps a row without its PIN (see Tx.FiscalProfile).
func toFiscalProfile(r db.FiscalProfile) billing.FiscalProfile {
	return billing.FiscalProfile{
		Nit: r.Nit, RazonSocial: r.RazonSocial, NombreComercial: r.NombreComercial,
		TipoPersona: billing.TipoPersona(r.TipoPersona), Responsabilidades: r.Responsabilidades, Tributo: r.Tributo,
		Direccion: r.Direccion, Municipio: r.Municipio, Ciudad: r.Ciudad, Departamento: r.Departamento,
		Email: r.Email, Telefono: r.Telefono, Ambiente: billing.Ambiente(r.Ambiente), SoftwareID: r.SoftwareID,
		SoftwarePINSet:  r.SoftwarePin != nil || r.SoftwarePinSealed != nil,
		EnviarAlAceptar: r.EnviarAlAceptar, TestSetID: r.TestSetID,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}
