package ledger

import (
	"context"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/store"
)

// SendInvoice queues a mailing of an issued invoice to email, or to its
// customer's email when email is "" (see store.Tx.QueueMailing for what
// refuses it); the outbox sends it.
func (l *Ledger) SendInvoice(ctx context.Context, a Actor, id uuid.UUID, email string, once *Once[billing.InvoiceMailing]) (billing.InvoiceMailing, error) {
	m := billing.InvoiceMailing{ID: uuid.Must(uuid.NewV7()), InvoiceID: id, Email: email, RequestedAt: time.Now().UTC().Truncate(time.Microsecond)}
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.InvoiceMailing, error) {
		return tx.QueueMailing(ctx, m, a.Subject)
	})
}
