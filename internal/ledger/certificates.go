package ledger

import (
	"context"
	"fmt"
	"time"

	"billing/internal/billing"
	"billing/internal/dian"
	"billing/internal/fault"
	"billing/internal/jobs"
	"billing/internal/store"
)

// PutSigningCertificate keeps an uploaded PKCS#12 file as the tenant's
// signing certificate, replacing the one before, once it opens with
// password and can sign today (dian.ReadPKCS12's refusals). Without a key
// to seal it with, nothing is read: fault.ErrSecretKeyMissing.
func (l *Ledger) PutSigningCertificate(ctx context.Context, a Actor, p12 []byte, password string) (billing.SigningCertificate, error) {
	if !l.store.KeepsSecrets() {
		return billing.SigningCertificate{}, fault.ErrSecretKeyMissing
	}
	c, err := dian.ReadPKCS12(p12, password, time.Now())
	if err != nil {
		return billing.SigningCertificate{}, err
	}
	info := billing.SigningCertificate{Subject: c.Leaf.Subject.String(), Issuer: c.Leaf.Issuer.String(),
		Serial: c.Leaf.SerialNumber.String(), NotBefore: c.Leaf.NotBefore, NotAfter: c.Leaf.NotAfter, UploadedBy: a.Subject}
	var out billing.SigningCertificate
	err = l.store.InTx(ctx, a.Tenant, func(tx *store.Tx) error {
		out, err = tx.PutSigningCertificate(ctx, p12, password, info)
		return err
	})
	if err != nil {
		return billing.SigningCertificate{}, fmt.Errorf("keeping the signing certificate: %w", err)
	}
	// Documents issued while there was no usable certificate are signed
	// now rather than at their next retry. The certificate is kept either
	// way; a failure here only leaves them to their own schedule.
	_, _ = l.store.WakeWaiting(ctx, a.Tenant, jobs.Sign{}.Kind(), "")
	return out, nil
}

// SigningCertificate reads what may be shown of the tenant's certificate.
func (l *Ledger) SigningCertificate(ctx context.Context, a Actor) (billing.SigningCertificate, error) {
	return l.store.SigningCertificate(ctx, a.Tenant)
}
