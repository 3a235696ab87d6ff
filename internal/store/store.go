// Package store owns the PostgreSQL connection pool, runs transactions and
// turns database failures into the domain's errors, so that handlers never
// see pgx or SQL.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"billing/gen/db"
)

// AppRole is the role every connection of the pool switches to: no
// superuser, no BYPASSRLS, so row-level security applies to the service
// whatever user DATABASE_URL names. Migrations create it.
const AppRole = "billing_app"

// Store is the service's access to its database.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects a pool to dsn and checks that the database answers.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parsing database URL: %w", err)
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "SET ROLE "+AppRole); err != nil {
			return fmt.Errorf("switching to role %s (has `billing migrate` run?): %w", AppRole, err)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("creating pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close releases every connection.
func (s *Store) Close() { s.pool.Close() }

// PoolStat reports the connection pool's statistics, for metrics.
func (s *Store) PoolStat() *pgxpool.Stat { return s.pool.Stat() }

// Ping checks that the database answers now.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Tenants runs statements on the tenants table, which is not tenant-owned
// (the auth guard and the CLI use it). Tenant-owned tables are reachable only
// through InTx and Read: outside them no tenant is set and row-level security
// shows no rows.
func (s *Store) Tenants() *db.Queries { return db.New(s.pool) }

// InTx runs fn in one transaction scoped to tenant and commits it when fn
// returns nil; on an error nothing fn wrote is kept. Errors come back
// translated (see Translate).
func (s *Store) InTx(ctx context.Context, tenant uuid.UUID, fn func(q *db.Queries) error) error {
	return s.tx(ctx, tenant, pgx.TxOptions{}, fn)
}

// Read runs fn in a read-only transaction scoped to tenant.
func (s *Store) Read(ctx context.Context, tenant uuid.UUID, fn func(q *db.Queries) error) error {
	return s.tx(ctx, tenant, pgx.TxOptions{AccessMode: pgx.ReadOnly}, fn)
}

func (s *Store) tx(ctx context.Context, tenant uuid.UUID, opts pgx.TxOptions, fn func(q *db.Queries) error) error {
	return s.rawTx(ctx, tenant, opts, func(tx pgx.Tx) error { return fn(db.New(tx)) })
}

// rawTx is tx with the pgx transaction itself, so the tests can run SQL of
// their own through exactly the service's path.
func (s *Store) rawTx(ctx context.Context, tenant uuid.UUID, opts pgx.TxOptions, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	// Roll back even when the request's context is already cancelled, so the
	// connection goes back to the pool clean.
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	// The row-level security policies read this; "true" makes it local to
	// the transaction, so it can never leak to the connection's next user.
	if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tenant.String()); err != nil {
		return fmt.Errorf("scoping transaction to tenant: %w", err)
	}
	if err := fn(tx); err != nil {
		return Translate(err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Translate(fmt.Errorf("committing transaction: %w", err))
	}
	return nil
}

// TenantActive reports whether the tenant exists and whether it is ACTIVE.
func (s *Store) TenantActive(ctx context.Context, id uuid.UUID) (exists, active bool, err error) {
	t, err := s.Tenants().GetTenant(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("loading tenant: %w", err)
	}
	return true, t.Status == "ACTIVE", nil
}
