package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"billing/internal/dian"
	"billing/internal/fault"
	"billing/internal/jobs"
	"billing/internal/store"
)

// certificateWait is how long a signing job waits for a certificate the
// tenant has not uploaded yet, without spending an attempt.
const certificateWait = time.Minute

// signer signs an issued electronic document with its tenant's
// certificate.
type signer struct {
	river.WorkerDefaults[jobs.Sign]
	store *store.Store
	log   *slog.Logger
}

// Work signs the document once: a document signed already (an earlier
// run of this job) is left as it is.
func (s *signer) Work(ctx context.Context, job *river.Job[jobs.Sign]) error {
	a := job.Args
	numero, unsigned, signed, err := s.store.DocumentToSign(ctx, a.TenantID, a.Document, a.ID)
	if errors.Is(err, fault.ErrInvoiceNotFound) || errors.Is(err, fault.ErrCreditNoteNotFound) {
		return river.JobCancel(fmt.Errorf("the %s %s no longer exists", a.Document, a.ID))
	}
	if err != nil {
		return err
	}
	if signed {
		return nil
	}
	cert, err := tenantCertificate(ctx, s.store, a.TenantID)
	if err != nil {
		return err
	}
	now := time.Now()
	out, err := dian.Sign(unsigned, cert, now, numero)
	if err != nil {
		return fmt.Errorf("signing %s: %w", numero, err)
	}
	// The signer's own check before the document leaves: what is kept
	// must verify.
	if _, err := dian.Verify(out); err != nil {
		return fmt.Errorf("the signed %s does not verify: %w", numero, err)
	}
	if _, err := s.store.KeepSignature(ctx, a.TenantID, a.Document, a.ID, out); err != nil {
		return err
	}
	return nil
}
