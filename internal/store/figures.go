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

// FiguresSlot picks the slot row a write adds its change to: at random, so
// concurrent writers of one tenant do not queue on one row.
func FiguresSlot() int16 { return int16(rand.IntN(statsSlots)) }

// AddFigures adds a write's change to its tenant's dashboard figures. Call it
// inside the write's transaction, so the figures change exactly when the
// write commits. A random slot keeps concurrent writers of one tenant from
// queueing on one row.
func AddFigures(ctx context.Context, q *db.Queries, tenant uuid.UUID, f billing.Figures) error {
	if f.IsZero() {
		return nil
	}
	err := q.AddTenantStats(ctx, db.AddTenantStatsParams{
		TenantID:          tenant,
		Slot:              FiguresSlot(),
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
	var f billing.Figures
	err := s.Read(ctx, tenant, func(q *db.Queries) error {
		r, err := q.GetTenantStats(ctx, tenant)
		f = billing.Figures(r) // the same fields: a change to either is a compile error
		return err
	})
	return f, err
}

// LiveFigures computes a tenant's figures from the ledger itself, in one
// statement. Its cost grows with the ledger; it is the reference the
// maintained figures are checked and reconciled against.
func (s *Store) LiveFigures(ctx context.Context, tenant uuid.UUID) (billing.Figures, error) {
	var f billing.Figures
	err := s.Read(ctx, tenant, func(q *db.Queries) error {
		var err error
		f, err = liveFigures(ctx, q, tenant)
		return err
	})
	return f, err
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
