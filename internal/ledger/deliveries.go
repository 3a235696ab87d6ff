package ledger

import (
	"context"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/store"
)

// Deliveries lists the tenant's outbox jobs, newest first, before the job
// beforeID (0: from the newest), in the given states (all when none).
func (l *Ledger) Deliveries(ctx context.Context, a Actor, states []billing.DeliveryState, beforeID int64, limit int) ([]billing.Delivery, error) {
	return l.store.Deliveries(ctx, a.Tenant, states, beforeID, limit)
}

// RetryDelivery runs one of the tenant's failed, cancelled or retrying
// jobs again now.
func (l *Ledger) RetryDelivery(ctx context.Context, a Actor, id int64) (billing.Delivery, error) {
	return l.store.RetryDelivery(ctx, a.Tenant, id)
}

// InvoiceEInvoice reads where an issued electronic invoice stands with
// DIAN.
func (l *Ledger) InvoiceEInvoice(ctx context.Context, a Actor, id uuid.UUID) (billing.EInvoiceStatus, error) {
	return l.store.InvoiceTransmission(ctx, a.Tenant, id)
}

// ResendInvoice sends a rejected or failed invoice to DIAN again, as it
// is.
func (l *Ledger) ResendInvoice(ctx context.Context, a Actor, id uuid.UUID) (billing.EInvoiceStatus, error) {
	if err := l.store.InTx(ctx, a.Tenant, func(tx *store.Tx) error { return tx.ResendInvoice(ctx, id) }); err != nil {
		return billing.EInvoiceStatus{}, err
	}
	return l.store.InvoiceTransmission(ctx, a.Tenant, id)
}
