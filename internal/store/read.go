package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"billing/gen/db"
)

// errOneStatement and errReadOnly are programming errors: a Read whose
// function runs a second statement, or runs Exec.
var (
	errOneStatement = errors.New("store: a Read runs one statement (one snapshot); use InTx for more")
	errReadOnly     = errors.New("store: a Read runs queries, not Exec")
)

// AppScope is the first statement of every transaction and read: the
// restricted role, local to the transaction (so that it holds behind a
// transaction pooler as well as on a direct connection). It goes alone,
// before the statement that reads the tenant's status: PostgreSQL checks a
// statement's table privileges as the role in effect when the statement
// starts, so a role switched inside that statement would come too late for
// a login role that does not inherit billing_app's privileges. Exported for
// the bench, which sends what the store sends.
const AppScope = "SELECT set_config('role', '" + AppRole + "', true)"

// ReadScope follows AppScope in every read, with the tenant as $1: the
// tenant's status, the tenant scope the row-level security policies read,
// and read-only mode for the rest of the (implicit) transaction.
// set_config's "true" keeps both settings local to that transaction.
// Exported for the bench, which sends what the store sends.
const ReadScope = `SELECT (SELECT status FROM tenants WHERE id = $1::uuid),
	set_config('app.tenant_id', $1::text, true),
	set_config('transaction_read_only', 'on', true)`

// untenanted runs fn's one statement, which belongs to no tenant, as the
// restricted role, in one round trip (the pipeline of read, behind AppScope
// alone).
// Unlike a read, the statement may write (an UPDATE … RETURNING).
func (s *Store) untenanted(ctx context.Context, fn func(q *db.Queries) error) error {
	return s.untenantedRaw(ctx, func(d db.DBTX) error { return fn(db.New(d)) })
}

// untenantedRaw is untenanted for a statement of the caller's own (the tests').
func (s *Store) untenantedRaw(ctx context.Context, fn func(d db.DBTX) error) error {
	return s.runOne(ctx, &oneRead{untenanted: true}, fn)
}

// readV runs fn's one statement as tenant (see Read) and returns its value.
func readV[T any](ctx context.Context, s *Store, tenant uuid.UUID, fn func(q *db.Queries) (T, error)) (T, error) {
	var v T
	err := s.read(ctx, tenant, func(d db.DBTX) error {
		var err error
		v, err = fn(db.New(d))
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// read runs fn's statement as tenant, in one round trip: the tenant's
// scope and status check and the statement go to PostgreSQL as one pipeline
// of prepared statements ended by a single Sync, which PostgreSQL runs as one
// implicit, read-only transaction. There is no BEGIN or COMMIT to wait for,
// and the tenant scope ends with the statement. The tenant must exist and be
// ACTIVE (else fault.ErrTenantNotFound / ErrTenantInactive, whatever the
// statement found; the statement has run by then, scoped to that tenant's
// rows, and its answer is dropped).
//
// One statement is one snapshot; a read of two statements would see two
// different moments under READ COMMITTED, so fn may run only one (a second
// is an error). Reads that need more go into one statement (see
// GetInvoiceDetail) or into InTx.
//
// The tests use read to run statements of their own through exactly the
// service's path.
func (s *Store) read(ctx context.Context, tenant uuid.UUID, fn func(d db.DBTX) error) error {
	return s.runOne(ctx, &oneRead{tenant: tenant}, fn)
}

// runOne runs fn's one statement through r (a read's pipeline, or an
// untenanted one) on a connection of the pool.
func (s *Store) runOne(ctx context.Context, r *oneRead, fn func(d db.DBTX) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquiring connection: %w", err)
	}
	defer conn.Release()
	r.conn = conn.Conn()
	err = fn(r)
	// Reading every result up to the Sync leaves the connection idle for
	// the next request (pgxpool destroys one released mid-transaction).
	if cerr := r.close(); err == nil && cerr != nil {
		err = fmt.Errorf("finishing statement: %w", cerr)
	}
	if err != nil {
		return Translate(err)
	}
	return nil
}

// oneRead is the db.DBTX of a Read: its first query travels in one pipeline
// behind AppScope and ReadScope (behind AppScope alone when untenanted).
type oneRead struct {
	conn       *pgx.Conn
	tenant     uuid.UUID
	untenanted bool
	results    pgx.BatchResults
	sent       bool
}

func (r *oneRead) Exec(context.Context, string, ...any) (pgconn.CommandTag, error) {
	return pgconn.CommandTag{}, errReadOnly
}

// send puts ReadScope and the statement on the wire as one pipeline and
// reads the scope's answer; the statement's is next in r.results.
func (r *oneRead) send(ctx context.Context, sql string, args ...any) error {
	if r.sent {
		return errOneStatement
	}
	r.sent = true
	batch := &pgx.Batch{}
	batch.Queue(AppScope)
	if !r.untenanted {
		batch.Queue(ReadScope, r.tenant.String())
	}
	batch.Queue(sql, args...)
	r.results = r.conn.SendBatch(ctx, batch)
	// PostgreSQL answers at the Sync, so this waits for the statement too:
	// an error here may be the statement's (a timeout, say), not the scope's.
	var role string
	if err := r.results.QueryRow().Scan(&role); err != nil {
		return fmt.Errorf("switching to role %s: %w", AppRole, err)
	}
	if r.untenanted {
		return nil
	}
	var status *string
	var scope, readOnly string
	if err := r.results.QueryRow().Scan(&status, &scope, &readOnly); err != nil {
		return fmt.Errorf("reading as tenant: %w", err)
	}
	return tenantUsable(status, false)
}

func (r *oneRead) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := r.send(ctx, sql, args...); err != nil {
		return nil, err
	}
	return r.results.Query()
}

func (r *oneRead) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := r.send(ctx, sql, args...); err != nil {
		return errRow{err}
	}
	return r.results.QueryRow()
}

// close reads what is left of the pipeline and reports its first error.
func (r *oneRead) close() error {
	if r.results == nil {
		return nil
	}
	return r.results.Close()
}

// errRow is a pgx.Row that failed before it was read.
type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }
