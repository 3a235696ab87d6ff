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

// Queries runs single statements outside a transaction, for reads.
func (s *Store) Queries() *db.Queries { return db.New(s.pool) }

// InTx runs fn in one transaction and commits it when fn returns nil; on an
// error nothing fn wrote is kept. Errors come back translated (see Translate).
func (s *Store) InTx(ctx context.Context, fn func(q *db.Queries) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	// Roll back even when the request's context is already cancelled, so the
	// connection goes back to the pool clean.
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(db.New(tx)); err != nil {
		return Translate(err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Translate(fmt.Errorf("committing transaction: %w", err))
	}
	return nil
}

// TenantActive reports whether the tenant exists and whether it is ACTIVE.
func (s *Store) TenantActive(ctx context.Context, id uuid.UUID) (exists, active bool, err error) {
	t, err := s.Queries().GetTenant(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("loading tenant: %w", err)
	}
	return true, t.Status == "ACTIVE", nil
}
