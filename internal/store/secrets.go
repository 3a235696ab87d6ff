package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/fault"
	"billing/internal/secret"
)

// Secrets are sealed here, on their way into and out of their columns, so
// that the floors above handle plaintext and the database never sees it.
// Each sealed value is bound to its tenant, row and field (the associated
// data below): moved to another row, it does not open.

func pinAD(tenant uuid.UUID) string { return tenant.String() + "/fiscal_profiles.software_pin" }

func technicalKeyAD(tenant, resolution uuid.UUID) string {
	return tenant.String() + "/numbering_resolutions/" + resolution.String() + ".clave_tecnica"
}

func certificateAD(tenant uuid.UUID, field string) string {
	return tenant.String() + "/signing_certificates." + field
}

// seal seals plaintext under box, or refuses without one.
func seal(box *secret.Box, plaintext []byte, ad string) ([]byte, error) {
	if box == nil {
		return nil, fault.ErrSecretKeyMissing
	}
	return box.Seal(plaintext, ad), nil
}

// unseal opens a sealed value; without a key that is
// fault.ErrSecretKeyMissing, and a value that does not open (another key
// than the one it was sealed with) an internal error.
func unseal(box *secret.Box, sealed []byte, ad string) ([]byte, error) {
	if box == nil {
		return nil, fault.ErrSecretKeyMissing
	}
	plain, err := box.Open(sealed, ad)
	if err != nil {
		return nil, fmt.Errorf("opening %s (was BILLING_SECRET_KEY changed?): %w", ad, err)
	}
	return plain, nil
}

// SealPlaintextSecrets seals the software PINs and technical keys stored
// before secrets were sealed (migration 00010 could not: the key is not in
// the database), tenant by tenant, and answers how many it sealed. It needs
// the store's key; run at start-up, it is a no-op once everything is
// sealed.
func (s *Store) SealPlaintextSecrets(ctx context.Context) (int, error) {
	if s.secrets == nil {
		return 0, fault.ErrSecretKeyMissing
	}
	tenants, err := s.Tenants(ctx)
	if err != nil {
		return 0, err
	}
	sealed := 0
	for _, t := range tenants {
		err := s.adminTx(ctx, t.ID, func(q *db.Queries) error {
			p, err := q.GetFiscalProfile(ctx, t.ID)
			switch {
			case NoRows(err):
			case err != nil:
				return fmt.Errorf("reading the fiscal profile: %w", err)
			case p.SoftwarePin != nil:
				if err := q.SealSoftwarePin(ctx, db.SealSoftwarePinParams{TenantID: t.ID,
					SoftwarePinSealed: s.secrets.Seal([]byte(*p.SoftwarePin), pinAD(t.ID))}); err != nil {
					return fmt.Errorf("sealing the software PIN: %w", err)
				}
				sealed++
			}
			keys, err := q.ListPlaintextTechnicalKeys(ctx, t.ID)
			if err != nil {
				return fmt.Errorf("reading technical keys: %w", err)
			}
			for _, k := range keys {
				if err := q.SealTechnicalKey(ctx, db.SealTechnicalKeyParams{TenantID: t.ID, ID: k.ID,
					ClaveTecnicaSealed: s.secrets.Seal([]byte(k.ClaveTecnica), technicalKeyAD(t.ID, k.ID))}); err != nil {
					return fmt.Errorf("sealing a technical key: %w", err)
				}
				sealed++
			}
			return nil
		})
		if err != nil && !errors.Is(err, fault.ErrTenantNotFound) {
			return sealed, fmt.Errorf("tenant %s: %w", t.ID, err)
		}
	}
	return sealed, nil
}
