package store

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
)

// statsSlots is how many rows a tenant's dashboard figures are spread over.
const statsSlots = 16

// figuresSlot picks the slot row a write adds its change to: at random, so
// concurrent writers of one tenant do not queue on one row.
func figuresSlot() int16 { return int16(rand.IntN(statsSlots)) }

// addFigures adds a transaction's change to its tenant's dashboard figures,
// inside the transaction (InTx calls it last), so the figures change exactly
// when the writes commit.
func addFigures(ctx context.Context, q *db.Queries, tenant uuid.UUID, f billing.Figures) error {
	if f.IsZero() {
		return nil
	}
	err := q.AddTenantStats(ctx, db.AddTenantStatsParams{
		TenantID:          tenant,
		Slot:              figuresSlot(),
		ClientesActivos:   f.ClientesActivos,
		FacturasEmitidas:  f.FacturasEmitidas,
		FacturasBorrador:  f.FacturasBorrador,
		IngresosEstimados: f.IngresosEstimados,
	})
	if err != nil {
		return fmt.Errorf("updating dashboard figures: %w", err)
	}
	return nil
}

// Figures reads a tenant's maintained dashboard figures: a sum over at most
// statsSlots rows, however large the ledger.
func (s *Store) Figures(ctx context.Context, tenant uuid.UUID) (billing.Figures, error) {
	return readV(ctx, s, tenant, func(q *db.Queries) (billing.Figures, error) {
		r, err := q.GetTenantStats(ctx, tenant)
		return billing.Figures(r), err // the same fields: a change to either is a compile error
	})
}

// LiveFigures computes a tenant's figures from the ledger itself, in one
// statement. Its cost grows with the ledger; it is the reference the
// maintained figures are checked and reconciled against.
func (s *Store) LiveFigures(ctx context.Context, tenant uuid.UUID) (billing.Figures, error) {
	return readV(ctx, s, tenant, func(q *db.Queries) (billing.Figures, error) { return liveFigures(ctx, q, tenant) })
}

func liveFigures(ctx context.Context, q *db.Queries, tenant uuid.UUID) (billing.Figures, error) {
	r, err := q.GetLiveDashboard(ctx, tenant)
	if err != nil {
		return billing.Figures{}, fmt.Errorf("computing live figures: %w", err)
	}
	return billing.Figures(r), nil
}

// Reconcile recomputes a tenant's maintained figures from the ledger, for
// INACTIVE tenants too, and returns them as they were and as they are now. It locks every slot first,
// so a concurrent write either committed before (and is in the recomputed
// figures) or adds its change after (on top of them): none is lost or
// counted twice.
func (s *Store) Reconcile(ctx context.Context, tenant uuid.UUID) (before, after billing.Figures, err error) {
	err = s.adminTx(ctx, tenant, func(q *db.Queries) error {
		if err := q.EnsureTenantStatsSlots(ctx, tenant); err != nil {
			return fmt.Errorf("creating figure slots: %w", err)
		}
		if err := q.LockTenantStats(ctx, tenant); err != nil {
			return fmt.Errorf("locking figures: %w", err)
		}
		r, err := q.GetTenantStats(ctx, tenant)
		if err != nil {
			return fmt.Errorf("reading figures: %w", err)
		}
		before = billing.Figures(r)
		if after, err = liveFigures(ctx, q, tenant); err != nil {
			return err
		}
		return q.SetTenantStats(ctx, db.SetTenantStatsParams{TenantID: tenant,
			ClientesActivos: after.ClientesActivos, FacturasEmitidas: after.FacturasEmitidas,
			FacturasBorrador: after.FacturasBorrador, IngresosEstimados: after.IngresosEstimados})
	})
	return before, after, err
}
