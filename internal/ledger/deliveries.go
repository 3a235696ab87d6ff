package ledger

import (
	"context"

	"billing/internal/billing"
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
