package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/money"
)

// statsSlots is how many rows a tenant's dashboard figures are spread over.
const statsSlots = 16

// figuresSlot picks the slot row a write adds its change to: at random, so
// concurrent writers of one tenant do not queue on one row.
func figuresSlot() int16 { return int16(rand.IntN(statsSlots)) }

// queueFigures queues a transaction's change to its tenant's dashboard
// figures in front of its COMMIT (InTx does it for every write), so the
// figures change exactly when the writes commit, at no round trip of their
// own.
//
// The open balances by due date go after the figures: reconcile locks the
// figures' rows before it rebuilds the balances, so every writer meets that
// lock first and none holds a balance row reconcile is waiting for.
func queueFigures(ctx context.Context, commit *pgx.Batch, tenant uuid.UUID, f billing.Figures, owed []dueChange) {
	if f.IsZero() && len(owed) == 0 {
		return
	}
	// AddTenantStats' own SQL and arguments, queued instead of run.
	q := db.New(queued{commit})
	_ = q.AddTenantStats(ctx, db.AddTenantStatsParams{
		TenantID:          tenant,
		Slot:              figuresSlot(),
		ClientesActivos:   f.ClientesActivos,
		FacturasEmitidas:  f.FacturasEmitidas,
		FacturasBorrador:  f.FacturasBorrador,
		IngresosEstimados: f.IngresosEstimados,
		CarteraPendiente:  f.CarteraPendiente,
		Creditos:          f.Creditos,
	})
	slot := figuresSlot()
	for _, o := range owed {
		if o.saldo.Sign() != 0 {
			_ = q.AddTenantReceivable(ctx, db.AddTenantReceivableParams{TenantID: tenant, Vence: o.vence.Time(), Slot: slot, Saldo: o.saldo})
		}
	}
}

// queued is a db.DBTX that puts a generated :exec query into a batch
// instead of running it; its errors come with the batch's.
type queued struct{ batch *pgx.Batch }

func (q queued) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	q.batch.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

func (queued) Query(context.Context, string, ...any) (pgx.Rows, error) {
	return nil, errors.New("store: only :exec queries can be queued")
}

func (queued) QueryRow(context.Context, string, ...any) pgx.Row {
	return errRow{errors.New("store: only :exec queries can be queued")}
}

// Figures reads a tenant's maintained dashboard figures: a sum over at most
// statsSlots rows, however large the ledger.
func (s *Store) Figures(ctx context.Context, tenant uuid.UUID) (billing.Figures, error) {
	return readV(ctx, s, tenant, func(q *db.Queries) (billing.Figures, error) {
		r, err := q.GetTenantStats(ctx, tenant)
		return billing.Figures(r), err // the same fields: a change to either is a compile error
	})
}

// Dashboard reads a tenant's maintained figures and the open balance due
// before today (a Colombian date), in one statement: sums over at most
// statsSlots rows and over the slot rows of the past due dates, however
// large the ledger.
func (s *Store) Dashboard(ctx context.Context, tenant uuid.UUID, today billing.Date) (billing.Dashboard, error) {
	return readV(ctx, s, tenant, func(q *db.Queries) (billing.Dashboard, error) {
		r, err := q.GetDashboard(ctx, db.GetDashboardParams{TenantID: tenant, Today: today.Time()})
		return billing.Dashboard{Figures: billing.Figures{ClientesActivos: r.ClientesActivos, FacturasEmitidas: r.FacturasEmitidas,
			FacturasBorrador: r.FacturasBorrador, IngresosEstimados: r.IngresosEstimados, CarteraPendiente: r.CarteraPendiente,
			Creditos: r.Creditos}, CarteraVencida: r.CarteraVencida}, err
	})
}

// LiveOverdue computes the open balance due before today from the ledger.
func (s *Store) LiveOverdue(ctx context.Context, tenant uuid.UUID, today billing.Date) (money.Decimal, error) {
	return readV(ctx, s, tenant, func(q *db.Queries) (money.Decimal, error) {
		return q.GetLiveOverdue(ctx, db.GetLiveOverdueParams{TenantID: tenant, Today: today.Time()})
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
		if err := q.SetTenantStats(ctx, db.SetTenantStatsParams{TenantID: tenant,
			ClientesActivos: after.ClientesActivos, FacturasEmitidas: after.FacturasEmitidas,
			FacturasBorrador: after.FacturasBorrador, IngresosEstimados: after.IngresosEstimados,
			CarteraPendiente: after.CarteraPendiente, Creditos: after.Creditos}); err != nil {
			return fmt.Errorf("writing figures: %w", err)
		}
		// The open balances by due date, rebuilt under the same lock.
		if err := q.ClearTenantReceivables(ctx, tenant); err != nil {
			return fmt.Errorf("clearing balances by due date: %w", err)
		}
		if err := q.RebuildTenantReceivables(ctx, tenant); err != nil {
			return fmt.Errorf("rebuilding balances by due date: %w", err)
		}
		return nil
	})
	return before, after, err
}
