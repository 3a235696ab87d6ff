// Package ledger is the use-case floor: one function per thing a caller can
// do with a tenant's customers, products and invoices, each one transaction
// (or one read), with domain types in and out. It applies the pure rules of
// billing, reads and writes through the store, keeps the idempotency record
// of a create (idempotency.go) and validates what the contract's schemas
// cannot say. It knows no HTTP: a field it names in an error is the input's
// ("items.2.cantidad"); the HTTP layer says where that input was.
package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/store"
)

// Ledger runs the use cases against one store.
type Ledger struct {
	store *store.Store
	opts  Options
}

// Options are the use cases' settings.
type Options struct {
	// AllowLoopbackWebhooks also accepts webhook URLs to this machine,
	// http:// or https:// (BILLING_WEBHOOKS_ALLOW_LOOPBACK=on: make run
	// and the tests).
	AllowLoopbackWebhooks bool
}

// New returns the use cases over s.
func New(s *store.Store, opts ...Options) *Ledger {
	l := &Ledger{store: s}
	for _, o := range opts {
		l.opts = o
	}
	return l
}

// Actor is who performs a use case: the tenant whose data it reads or
// writes (from a verified token, never from a request) and the subject that
// a status change records.
type Actor struct {
	Tenant  uuid.UUID
	Subject string
	// Admin is the ADMIN role: what the role policy allows is checked
	// before the ledger; a few rules inside it (closing another cashier's
	// session) depend on it too.
	Admin bool
}

// Ready checks that the database answers now.
func (l *Ledger) Ready(ctx context.Context) error {
	if err := l.store.Ping(ctx); err != nil {
		return fmt.Errorf("pinging the database: %w", err)
	}
	return nil
}

// write runs fn in one transaction of the actor's tenant. With once, it is
// a create made idempotent: the key is claimed first (a stored answer comes
// back as a *Replay error, and nothing is written), and the answer is
// stored last, in the same transaction as fn's writes.
func write[T any](ctx context.Context, l *Ledger, a Actor, once *Once[T], fn func(tx *store.Tx) (T, error)) (T, error) {
	return store.InTxV(ctx, l.store, a.Tenant, func(tx *store.Tx) (T, error) {
		var zero T
		if err := once.claim(ctx, tx); err != nil {
			return zero, err
		}
		v, err := fn(tx)
		if err != nil {
			return zero, err
		}
		if err := once.keep(ctx, tx, v); err != nil {
			return zero, err
		}
		return v, nil
	})
}

// Today is the ledger's Colombian date now: what payment states and ages
// are judged on.
func (l *Ledger) Today() billing.Date { return billing.DateOf(time.Now()) }
