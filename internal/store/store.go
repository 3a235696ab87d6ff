// Package store is the only door to the database: it owns the PostgreSQL
// connection pool, runs tenant-scoped transactions and one-statement reads,
// maps the generated queries' rows (gen/db) to the domain's types (billing),
// moves exact decimals and UUIDs on the wire, and turns database failures
// into the domain's errors (fault), so that no other package sees pgx or SQL.
package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
	"billing/internal/secret"
)

// AppRole is the role every connection of the pool switches to: no
// superuser, no BYPASSRLS, so row-level security applies to the service
// whatever user DATABASE_URL names. Migrations create it.
const AppRole = "billing_app"

// defaultMaxConns is the pool size unless the database URL sets one.
const defaultMaxConns = 16

// Store is the service's access to its database.
type Store struct {
	pool *pgxpool.Pool
	// secrets seals what the store keeps secret (see secrets.go); nil when
	// no BILLING_SECRET_KEY is configured.
	secrets *secret.Box
	// jobs inserts outbox jobs in the writes' transactions (outbox.go).
	jobs *river.Client[pgx.Tx]
	// pooled: the database URL goes through a pooler in transaction mode
	// (see WithTransactionPooler).
	pooled bool
	// jobsURL, when set, is a direct URL the workers' River client uses
	// instead of the pool (see WithJobsURL).
	jobsURL    string
	extraPools []*pgxpool.Pool // the workers' pools on jobsURL
}

// Option configures Open.
type Option func(*Store)

// WithSecrets gives the store the key it seals secrets with.
func WithSecrets(b *secret.Box) Option { return func(s *Store) { s.secrets = b } }

// WithTransactionPooler says that the database URL reaches PostgreSQL through
// a pooler in transaction mode (PgBouncer's pool_mode = transaction), which
// hands each transaction to whichever server connection is free. Nothing may
// then rely on a session: the restricted role and the tenant scope are set
// inside each transaction (they always are, see TxScope and ReadScope, and
// the per-session SET ROLE is left out); statements go as unnamed ones, their
// descriptions cached by pgx (PgBouncer 1.18 keeps no named prepared
// statements in this mode); and the workers poll for jobs, since
// LISTEN/NOTIFY does not cross such a pooler, unless WithJobsURL gives them a
// direct connection.
func WithTransactionPooler() Option { return func(s *Store) { s.pooled = true } }

// WithJobsURL gives the outbox's workers a database URL of their own, direct
// to PostgreSQL (or through a pooler in session mode), so that they wake on
// notifications behind a transaction pooler instead of polling.
func WithJobsURL(url string) Option { return func(s *Store) { s.jobsURL = url } }

// Open connects a pool to dsn and checks that the database answers.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	st := &Store{}
	for _, o := range opts {
		o(st)
	}
	cfg, err := poolConfig(dsn, st.pooled)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("creating pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	st.pool = pool
	if st.jobs, err = insertOnlyClient(pool); err != nil {
		pool.Close()
		return nil, err
	}
	return st, nil
}

// poolConfig is the pool's configuration for dsn, direct or behind a
// transaction pooler.
func poolConfig(dsn string, pooled bool) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parsing database URL: %w", err)
	}
	// pgxpool's default size is max(4, CPUs): on a small machine the HTTP
	// server's concurrent requests queue for a connection while PostgreSQL
	// idles (docs/performance.md); pool_max_conns in the URL still wins.
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	if pooled && !strings.Contains(dsn, "default_query_exec_mode") {
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		registerUUID(conn.TypeMap())    // see uuidCodec
		registerNumeric(conn.TypeMap()) // see numericCodec
		if pooled {
			// A session setting would land on whichever server connection
			// the pooler picked, and stay there for other clients.
			return nil
		}
		// Every transaction sets the role itself; the session's role also
		// covers what runs outside them (River's own queries).
		if _, err := conn.Exec(ctx, "SET ROLE "+AppRole); err != nil {
			return fmt.Errorf("switching to role %s (has `billing migrate` run?): %w", AppRole, err)
		}
		return nil
	}
	return cfg, nil
}

// Close releases every connection.
func (s *Store) Close() {
	for _, p := range s.extraPools {
		p.Close()
	}
	s.pool.Close()
}

// PoolStats are the connection pool's figures, for metrics.
type PoolStats struct {
	Acquired, Idle, Total, Max int32
	Acquires, EmptyAcquires    int64         // connections handed out; of those, how many had to wait
	EmptyAcquireWait           time.Duration // the time spent waiting
}

// PoolStats reports the connection pool's figures now.
func (s *Store) PoolStats() PoolStats {
	st := s.pool.Stat()
	return PoolStats{
		Acquired: st.AcquiredConns(), Idle: st.IdleConns(), Total: st.TotalConns(), Max: st.MaxConns(),
		Acquires: st.AcquireCount(), EmptyAcquires: st.EmptyAcquireCount(), EmptyAcquireWait: st.EmptyAcquireWaitTime(),
	}
}

// Ping checks that the database answers now.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Tx is a write transaction scoped to one tenant. Its methods (one file per
// aggregate) are the writes of the ledger and the reads a write needs; each
// write that changes the dashboard's figures adds its change to the
// transaction, and InTx adds the sum to the tenant's figures before it
// commits, so the figures change exactly when the writes do and no writer
// has to remember them.
type Tx struct {
	q       *db.Queries
	conn    *pgx.Conn
	tenant  uuid.UUID
	secrets *secret.Box
	jobs    *river.Client[pgx.Tx] // see Enqueue
	figures billing.Figures
	// owed is the transaction's change to the open balance by due date
	// (tenant_receivables), in the order the dates were first touched.
	owed []dueChange
}

type dueChange struct {
	vence billing.Date
	saldo money.Decimal
}

// count adds a write's change to the dashboard figures of the transaction.
func (tx *Tx) count(f billing.Figures) { tx.figures = tx.figures.Add(f) }

// owe adds a change to the open balance due on vence.
func (tx *Tx) owe(vence billing.Date, saldo money.Decimal) {
	for i := range tx.owed {
		if tx.owed[i].vence == vence {
			tx.owed[i].saldo = tx.owed[i].saldo.Add(saldo)
			return
		}
	}
	tx.owed = append(tx.owed, dueChange{vence, saldo})
}

// InTx runs fn in one transaction scoped to tenant and commits it when fn
// returns nil; on an error nothing fn wrote is kept. The tenant must exist and
// be ACTIVE (else fault.ErrTenantNotFound / ErrTenantInactive), checked in
// the transaction itself, so a deactivation takes effect on the very next
// request. Errors come back translated (see Translate). Tenant-owned tables
// are reachable only through InTx and the reads: outside them no tenant is
// set and row-level security shows no rows.
func (s *Store) InTx(ctx context.Context, tenant uuid.UUID, fn func(tx *Tx) error) error {
	return s.rawTx(ctx, tenant, txWrite, func(c *pgx.Conn, commit *pgx.Batch) error {
		tx := &Tx{q: db.New(c), conn: c, tenant: tenant, secrets: s.secrets, jobs: s.jobs}
		if err := fn(tx); err != nil {
			return err
		}
		queueFigures(ctx, commit, tenant, tx.figures, tx.owed)
		return nil
	})
}

// InTxV is InTx for a function that returns a value.
func InTxV[T any](ctx context.Context, s *Store, tenant uuid.UUID, fn func(tx *Tx) (T, error)) (T, error) {
	var v T
	err := s.InTx(ctx, tenant, func(tx *Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// adminTx is InTx for maintenance (reconcile): the tenant must exist but may
// be INACTIVE.
func (s *Store) adminTx(ctx context.Context, tenant uuid.UUID, fn func(q *db.Queries) error) error {
	return s.rawTx(ctx, tenant, txAdmin, func(c *pgx.Conn, _ *pgx.Batch) error { return fn(db.New(c)) })
}

// TxScope follows BEGIN and AppScope in every transaction, with the tenant
// as $1: the tenant's status, and the tenant scope the row-level security
// policies read (set_config's "true" keeps it local to the transaction, so
// it holds behind a transaction pooler too). Exported for the bench, which
// sends what the store sends.
const TxScope = "SELECT (SELECT status FROM tenants WHERE id = $1::uuid), set_config('app.tenant_id', $1::text, true)"

// txKind says how rawTx opens its transaction.
type txKind int

const (
	txWrite  txKind = iota // tenant must be ACTIVE
	txAdmin                // tenant may be INACTIVE
	txCreate               // the tenant is being created in it
)

// rawTx runs fn on a connection inside a transaction scoped to tenant. The
// transaction's start, its tenant scope and the tenant's status check go to
// PostgreSQL as one round trip (a pipelined batch of prepared statements),
// which is most of what a short request waits for; so do the statements fn
// queues on commit and the COMMIT itself. The tests use rawTx to run SQL of their own
// through exactly the service's path.
func (s *Store) rawTx(ctx context.Context, tenant uuid.UUID, kind txKind, fn func(c *pgx.Conn, commit *pgx.Batch) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquiring connection: %w", err)
	}
	// pgxpool destroys a connection released inside a transaction, so an
	// error anywhere below cannot hand a half-finished transaction to the
	// next request.
	defer conn.Release()
	c := conn.Conn()
	// One round trip, prepared statements: start the transaction, scope it
	// to the tenant (the row-level security policies read app.tenant_id;
	// set_config's "true" keeps it local to this transaction) and read the
	// tenant's status.
	batch := &pgx.Batch{}
	batch.Queue("BEGIN")
	batch.Queue(AppScope)
	var status *string
	batch.Queue(TxScope, tenant.String()).
		QueryRow(func(row pgx.Row) error {
			var scope string
			return row.Scan(&status, &scope)
		})
	if err := c.SendBatch(ctx, batch).Close(); err != nil {
		_, _ = c.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		return fmt.Errorf("beginning transaction: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_, _ = c.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	if kind != txCreate {
		if err := tenantUsable(status, kind == txAdmin); err != nil {
			return err
		}
	}
	commit := &pgx.Batch{}
	if err := fn(c, commit); err != nil {
		return Translate(err)
	}
	// An error in a queued statement skips the rest of the pipeline, the
	// COMMIT included, and the deferred ROLLBACK ends the transaction.
	var tag pgconn.CommandTag
	if commit.Len() == 0 {
		tag, err = c.Exec(ctx, "COMMIT")
	} else {
		commit.Queue("COMMIT").Exec(func(ct pgconn.CommandTag) error { tag = ct; return nil })
		err = c.SendBatch(ctx, commit).Close()
	}
	if err != nil {
		return Translate(fmt.Errorf("committing transaction: %w", err))
	}
	done = true
	// PostgreSQL answers COMMIT of a transaction that already failed with
	// ROLLBACK and no error: report it rather than a success.
	if tag.String() != "COMMIT" {
		return fmt.Errorf("committing transaction: the database rolled it back (%s)", tag)
	}
	return nil
}

// tenantUsable turns the tenant status a transaction read into its refusal:
// a missing tenant, or an INACTIVE one unless allowInactive.
func tenantUsable(status *string, allowInactive bool) error {
	switch {
	case status == nil:
		return fault.ErrTenantNotFound
	case billing.TenantStatus(*status) != billing.TenantActive && !allowInactive:
		return fault.ErrTenantInactive
	}
	return nil
}
