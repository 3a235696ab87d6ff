package store

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"billing/internal/billing"
	"billing/internal/testdb"
)

// TestTransactionPoolerMode: what the store leaves on a server connection.
// Directly, pgx's statement cache keeps named prepared statements there (the
// fast path). Behind PgBouncer in transaction mode (make test's second run,
// TEST_PG_POOLER=transaction), no statement is named, so none can be asked
// for on a server connection that never saw it; and the restricted role and
// the tenant scope end with each transaction, so the server connection the
// pooler hands to the next client is as PgBouncer found it.
func TestTransactionPoolerMode(t *testing.T) {
	ctx := context.Background()
	s, _, dsn := storeAndAdmin(t)
	tenant, err := s.CreateTenant(ctx, "T")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Customers(ctx, tenant.ID, billing.CustomerPage{Limit: 10}); err != nil {
		t.Fatal(err)
	}
	var named int
	err = s.rawTx(ctx, tenant.ID, txWrite, func(c *pgx.Conn, _ *pgx.Batch) error {
		return c.QueryRow(ctx, "SELECT count(*) FROM pg_prepared_statements").Scan(&named)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !s.pooled {
		if named == 0 {
			t.Fatal("a direct store keeps no prepared statement: is pgx's statement cache off?")
		}
		return
	}
	if named != 0 {
		t.Fatalf("behind a transaction pooler the server connection holds %d named prepared statements", named)
	}

	// A client of the pooler that sets nothing sees the login role, no
	// tenant and a writable transaction, whichever server connection the
	// store's transactions ran on.
	pooledDSN, _ := testdb.Pooled(dsn)
	other, err := pgconn.Connect(ctx, pooledDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	for range 20 {
		if _, err := s.Customers(ctx, tenant.ID, billing.CustomerPage{Limit: 10}); err != nil {
			t.Fatal(err)
		}
		res, err := other.Exec(ctx, "SELECT current_user, coalesce(current_setting('app.tenant_id', true), ''), current_setting('transaction_read_only')").ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		row := res[0].Rows[0]
		if string(row[0]) == AppRole || string(row[1]) != "" || string(row[2]) != "off" {
			t.Fatalf("a server connection the store used was left with role %s, tenant %q, read-only %s", row[0], row[1], row[2])
		}
	}

	// And the traffic did go through PgBouncer: its console lists a pool
	// for the test's database.
	u, err := url.Parse(pooledDSN)
	if err != nil {
		t.Fatal(err)
	}
	dbName := u.Path[1:]
	u.Path = "/pgbouncer"
	console, err := pgconn.Connect(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer console.Close(ctx)
	res, err := console.Exec(ctx, "SHOW POOLS").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res[0].Rows {
		if string(r[0]) == dbName {
			return
		}
	}
	t.Fatalf("PgBouncer has no pool for %s", dbName)
}

// TestAdvisoryLocksAreTransactionScoped: every advisory lock the queries
// take ends with its transaction. A session-level one (pg_advisory_lock,
// pg_try_advisory_lock) would stay on whichever server connection a
// transaction pooler lent, locking out the next client of that connection
// and never released by the one that took it.
func TestAdvisoryLocksAreTransactionScoped(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "db", "queries", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no query files found: %v", err)
	}
	sessionLock := regexp.MustCompile(`(?i)pg_(try_)?advisory_(un)?lock(_shared)?\s*\(`)
	xactLock := regexp.MustCompile(`(?i)pg_(try_)?advisory_xact_lock`)
	xactLocks := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := sessionLock.Find(b); m != nil {
			t.Errorf("%s takes a session-level advisory lock (%s): use pg_advisory_xact_lock", filepath.Base(f), m)
		}
		xactLocks += len(xactLock.FindAll(b, -1))
	}
	if xactLocks == 0 {
		t.Fatal("no advisory lock found at all: is the pattern still right?")
	}
}

// TestPoolerModeLoginRoleWithoutInherit: in pooler mode nothing is set on a
// session, so every statement runs as the login role until the
// transaction's own AppScope switches to billing_app. A login role that is
// a member of billing_app without inheriting its privileges (NOINHERIT)
// must still get through: the switch comes as a statement of its own,
// before the one that reads the tenants table.
func TestPoolerModeLoginRoleWithoutInherit(t *testing.T) {
	ctx := context.Background()
	_, admin, dsn := storeAndAdmin(t)
	role := "svc_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	for _, sql := range []string{
		"CREATE ROLE " + role + " LOGIN NOINHERIT",
		"GRANT " + AppRole + " TO " + role,
	} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _, _ = admin.Exec(context.Background(), "DROP OWNED BY "+role+"; DROP ROLE "+role) })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	s, err := Open(ctx, u.String(), WithTransactionPooler())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tenant, err := s.CreateTenant(ctx, "T")
	if err != nil {
		t.Fatalf("creating a tenant as a NOINHERIT login role: %v", err)
	}
	if _, err := s.Customers(ctx, tenant.ID, billing.CustomerPage{Limit: 10}); err != nil {
		t.Fatalf("a read as a NOINHERIT login role: %v", err)
	}
	if _, err := s.Tenant(ctx, tenant.ID); err != nil {
		t.Fatalf("an untenanted read as a NOINHERIT login role: %v", err)
	}
}
