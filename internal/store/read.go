package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"billing/gen/db"
	"billing/internal/billing"
)

// errOneStatement and errReadOnly are programming errors: a Read whose
// function runs a second statement, or runs Exec.
var (
	errOneStatement = errors.New("store: a Read runs one statement (one snapshot); use InTx for more")
	errReadOnly     = errors.New("store: a Read runs queries, not Exec")
)

// readScope is the first statement of every Read: the tenant's status, the
// tenant scope the row-level security policies read, and read-only mode for
// the rest of the (implicit) transaction. set_config's "true" keeps both
// settings local to that transaction.
const readScope = `SELECT (SELECT status FROM tenants WHERE id = $1::uuid),
	set_config('app.tenant_id', $1::text, true),
	set_config('transaction_read_only', 'on', true)`

// Read runs fn's one statement as tenant, in one round trip: the tenant's
// scope and status check and the statement go to PostgreSQL as one pipeline
// of prepared statements ended by a single Sync, which PostgreSQL runs as one
// implicit, read-only transaction. There is no BEGIN or COMMIT to wait for,
// and the tenant scope ends with the statement. The tenant must exist and be
// ACTIVE (else billing.ErrTenantNotFound / ErrTenantInactive, whatever the
// statement found; the statement has run by then, scoped to that tenant's
// rows, and its answer is dropped).
//
// One statement is one snapshot; a read of two statements would see two
// different moments under READ COMMITTED, so fn may run only one (a second
// is an error). Reads that need more go into one statement (see
// GetInvoiceDetail) or into InTx.
func (s *Store) Read(ctx context.Context, tenant uuid.UUID, fn func(q *db.Queries) error) error {
	return s.read(ctx, tenant, func(d db.DBTX) error { return fn(db.New(d)) })
}

// read is Read for any SQL; the tests use it to run statements of their own
// through exactly the service's path.
func (s *Store) read(ctx context.Context, tenant uuid.UUID, fn func(d db.DBTX) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquiring connection: %w", err)
	}
	defer conn.Release()
	r := &oneRead{conn: conn.Conn(), tenant: tenant}
	err = fn(r)
	// Reading every result up to the Sync leaves the connection idle for
	// the next request (pgxpool destroys one released mid-transaction).
	if cerr := r.close(); err == nil && cerr != nil {
		err = fmt.Errorf("finishing read: %w", cerr)
	}
	if err != nil {
		return Translate(err)
	}
	return nil
}

// oneRead is the db.DBTX of a Read: its first query travels in one pipeline
// behind readScope.
type oneRead struct {
	conn    *pgx.Conn
	tenant  uuid.UUID
	results pgx.BatchResults
	sent    bool
}

func (r *oneRead) Exec(context.Context, string, ...any) (pgconn.CommandTag, error) {
	return pgconn.CommandTag{}, errReadOnly
}

func (r *oneRead) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if r.sent {
		return nil, errOneStatement
	}
	r.sent = true
	batch := &pgx.Batch{}
	batch.Queue(readScope, r.tenant.String())
	batch.Queue(sql, args...)
	r.results = r.conn.SendBatch(ctx, batch)
	var status *string
	var scope, readOnly string
	// PostgreSQL answers at the Sync, so this waits for the statement too:
	// an error here may be the statement's (a timeout, say), not the scope's.
	if err := r.results.QueryRow().Scan(&status, &scope, &readOnly); err != nil {
		return nil, fmt.Errorf("reading as tenant: %w", err)
	}
	switch {
	case status == nil:
		return nil, billing.ErrTenantNotFound
	case *status != "ACTIVE":
		return nil, billing.ErrTenantInactive
	}
	rows, err := r.results.Query()
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (r *oneRead) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := r.Query(ctx, sql, args...)
	return firstRow{rows: rows, err: err}
}

// close reads what is left of the pipeline and reports its first error.
func (r *oneRead) close() error {
	if r.results == nil {
		return nil
	}
	return r.results.Close()
}

// firstRow is pgx.Row over the rows of a pipelined query: the first row, or
// pgx.ErrNoRows, as pgx's own QueryRow answers.
type firstRow struct {
	rows pgx.Rows
	err  error
}

func (f firstRow) Scan(dest ...any) error {
	if f.err != nil {
		return f.err
	}
	defer f.rows.Close()
	if !f.rows.Next() {
		if err := f.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := f.rows.Scan(dest...); err != nil {
		return err
	}
	f.rows.Close()
	return f.rows.Err()
}
