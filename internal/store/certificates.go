package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// PutSigningCertificate keeps the tenant's PKCS#12 file and its password,
// sealed, with what reads show of the certificate; it replaces the one
// before. Without a key it is fault.ErrSecretKeyMissing.
func (tx *Tx) PutSigningCertificate(ctx context.Context, p12 []byte, password string, c billing.SigningCertificate) (billing.SigningCertificate, error) {
	p12Sealed, err := seal(tx.secrets, p12, certificateAD(tx.tenant, "p12"))
	if err != nil {
		return billing.SigningCertificate{}, err
	}
	pwSealed, err := seal(tx.secrets, []byte(password), certificateAD(tx.tenant, "password"))
	if err != nil {
		return billing.SigningCertificate{}, err
	}
	row, err := tx.q.PutSigningCertificate(ctx, db.PutSigningCertificateParams{TenantID: tx.tenant,
		P12Sealed: p12Sealed, PasswordSealed: pwSealed, Subject: c.Subject, Issuer: c.Issuer, Serial: c.Serial,
		NotBefore: c.NotBefore, NotAfter: c.NotAfter, UploadedBy: c.UploadedBy})
	if err != nil {
		return billing.SigningCertificate{}, fmt.Errorf("writing the signing certificate: %w", Translate(err))
	}
	return toSigningCertificate(row), nil
}

// SigningCertificate reads what may be shown of the tenant's certificate;
// fault.ErrCertificateNotFound when it has none.
func (s *Store) SigningCertificate(ctx context.Context, tenant uuid.UUID) (billing.SigningCertificate, error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.SigningCertificate, error) { return q.GetSigningCertificate(ctx, tenant) })
	if NoRows(err) {
		return billing.SigningCertificate{}, fault.ErrCertificateNotFound
	}
	if err != nil {
		return billing.SigningCertificate{}, fmt.Errorf("loading the signing certificate: %w", err)
	}
	return toSigningCertificate(row), nil
}

// SigningCertificateFile opens the tenant's PKCS#12 file and password, for
// the signer; fault.ErrCertificateNotFound when it has none,
// fault.ErrSecretKeyMissing without a key.
func (s *Store) SigningCertificateFile(ctx context.Context, tenant uuid.UUID) (p12 []byte, password string, err error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.SigningCertificate, error) { return q.GetSigningCertificate(ctx, tenant) })
	if NoRows(err) {
		return nil, "", fault.ErrCertificateNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("loading the signing certificate: %w", err)
	}
	if p12, err = unseal(s.secrets, row.P12Sealed, certificateAD(tenant, "p12")); err != nil {
		return nil, "", err
	}
	pw, err := unseal(s.secrets, row.PasswordSealed, certificateAD(tenant, "password"))
	if err != nil {
		return nil, "", err
	}
	return p12, string(pw), nil
}

func toSigningCertificate(r db.SigningCertificate) billing.SigningCertificate {
	return billing.SigningCertificate{Subject: r.Subject, Issuer: r.Issuer, Serial: r.Serial, NotBefore: r.NotBefore,
		NotAfter: r.NotAfter, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt}
}

// KeepsSecrets reports whether the store has a key to seal secrets with.
func (s *Store) KeepsSecrets() bool { return s.secrets != nil }
