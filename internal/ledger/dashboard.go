package ledger

import (
	"context"

	"billing/internal/billing"
)

// Dashboard reads the actor's tenant's figures. They are kept in the same
// transaction as every write that changes them (see store.Tx), so this read
// is a handful of rows however large the ledger, and exactly as current as a
// live count.
// The overdue part depends on the day: it is kept by due date and summed
// over the dates before today's in Colombia.
func (l *Ledger) Dashboard(ctx context.Context, a Actor) (billing.Dashboard, error) {
	return l.store.Dashboard(ctx, a.Tenant, l.Today())
}
