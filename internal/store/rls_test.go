package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/schema"
	"billing/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// testOpen is Open as the service would open the store on dsn: through
// PgBouncer, in transaction pooling mode, under TEST_PG_POOLER.
func testOpen(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	dsn, pooled := testdb.Pooled(dsn)
	if pooled {
		opts = append(opts, WithTransactionPooler())
	}
	return Open(ctx, dsn, opts...)
}

// oneConnection is dsn with a pool of one connection, so that each step of
// a test runs on the connection the step before it used.
func oneConnection(dsn string) string {
	if strings.Contains(dsn, "?") {
		return dsn + "&pool_max_conns=1"
	}
	return dsn + "?pool_max_conns=1"
}

// storeAndAdmin gives a test a database of its own (its DSN), the service's
// store on it (testOpen) and a direct connection as the database's owner,
// all closed when the test ends.
func storeAndAdmin(t *testing.T, opts ...Option) (s *Store, admin *pgx.Conn, dsn string) {
	t.Helper()
	ctx := context.Background()
	dsn = testdb.DSN(t)
	s, err := testOpen(ctx, dsn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if admin, err = pgx.Connect(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close(context.Background()) })
	return s, admin, dsn
}

// TestRowLevelSecurity: even a query with no tenant predicate at all, run
// through the service's own transaction path, sees only the rows of the
// transaction's tenant; a connection that declared no tenant sees none; and
// a write into another tenant is refused, whatever the SQL says.
func TestRowLevelSecurity(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	if _, err := schema.Migrate(ctx, dsn); err != nil { // idempotent on a migrated clone
		t.Fatal(err)
	}
	s, err := testOpen(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, b := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	for i, tenant := range []uuid.UUID{a, b} {
		if _, err := db.New(s.pool).CreateTenant(ctx, db.CreateTenantParams{ID: tenant, Name: "T"}); err != nil {
			t.Fatal(err)
		}
		err := s.InTx(ctx, tenant, func(tx *Tx) error {
			q := tx.q
			for j := 0; j <= i; j++ { // A gets 1 customer, B gets 2
				if _, err := q.CreateCustomer(ctx, db.CreateCustomerParams{TenantID: tenant, ID: uuid.Must(uuid.NewV7()), RazonSocial: "C", TipoIdentificacion: "13", Nit: "nit" + uuid.NewString()[:8]}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("seeding tenant %d: %v", i, err)
		}
	}

	count := func(tenant uuid.UUID) (n int) {
		err := s.rawTx(ctx, tenant, txWrite, func(tx *pgx.Conn, _ *pgx.Batch) error {
			return tx.QueryRow(ctx, "SELECT count(*) FROM customers").Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := count(a); got != 1 {
		t.Fatalf("tenant A sees %d customers without a predicate, want 1", got)
	}
	if got := count(b); got != 2 {
		t.Fatalf("tenant B sees %d customers without a predicate, want 2", got)
	}

	// A statement that declared no tenant sees nothing: the store's
	// untenanted path, and (on a direct connection, whose session the store
	// switched to the restricted role) a bare connection of the pool.
	type queryRow func(sql string, dst ...any) error
	noTenant := map[string]queryRow{"untenanted": func(sql string, dst ...any) error {
		return s.untenantedRaw(ctx, func(d db.DBTX) error { return d.QueryRow(ctx, sql).Scan(dst...) })
	}}
	if !s.pooled {
		conn, err := s.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		noTenant["bare connection"] = func(sql string, dst ...any) error { return conn.QueryRow(ctx, sql).Scan(dst...) }
	}
	for name, run := range noTenant {
		var n int
		var role string
		var super bool
		if err := run("SELECT count(*), current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) FROM customers", &n, &role, &super); err != nil {
			t.Fatal(err)
		}
		if n != 0 || role != AppRole || super {
			t.Fatalf("%s with no tenant sees %d customers as %s (superuser %v)", name, n, role, super)
		}
		for _, table := range []string{"products", "invoices", "invoice_items", "invoice_events", "invoice_taxes", "idempotency_keys", "tenant_stats"} {
			if err := run("SELECT count(*) FROM "+table, &n); err != nil || n != 0 {
				t.Fatalf("%s: %s without a tenant: %d rows, %v", name, table, n, err)
			}
		}
	}

	// Writing B's tenant_id inside A's transaction breaks the policy.
	err = s.InTx(ctx, a, func(tx *Tx) error {
		q := tx.q
		_, err := q.CreateCustomer(ctx, db.CreateCustomerParams{TenantID: b, ID: uuid.Must(uuid.NewV7()), RazonSocial: "X", TipoIdentificacion: "13", Nit: "intruder"})
		return err
	})
	if err == nil {
		t.Fatal("tenant A's transaction wrote a row of tenant B")
	}
	// And A's transaction cannot delete B's rows even without a predicate.
	err = s.rawTx(ctx, a, txWrite, func(tx *pgx.Conn, _ *pgx.Batch) error {
		tag, err := tx.Exec(ctx, "DELETE FROM customers")
		if err == nil && tag.RowsAffected() != 1 {
			t.Errorf("an unfiltered DELETE in tenant A's transaction removed %d rows", tag.RowsAffected())
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatal(err)
	}
	if got := count(b); got != 2 {
		t.Fatalf("tenant B lost rows: %d", got)
	}
}

// TestEveryTenantTableIsFenced: every table with a tenant_id column has
// row-level security enabled and forced, and the one tenant_isolation policy,
// the same expression as on customers (whose behaviour TestRowLevelSecurity
// exercises). A new table, or a migration that drops the fence from one,
// fails here, not only in whatever test happens to seed it.
func TestEveryTenantTableIsFenced(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	if _, err := schema.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `
		SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
		       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid),
		       (SELECT pg_get_expr(p.polqual, p.polrelid) || ' / ' || pg_get_expr(p.polwithcheck, p.polrelid)
		          FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation' AND p.polcmd = '*')
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		WHERE c.relkind IN ('r', 'p')
		  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	type fence struct {
		enabled, forced bool
		policies        int
		expr            *string
	}
	tables := map[string]fence{}
	for rows.Next() {
		var name string
		var f fence
		if err := rows.Scan(&name, &f.enabled, &f.forced, &f.policies, &f.expr); err != nil {
			t.Fatal(err)
		}
		tables[name] = f
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := tables["customers"].expr
	if want == nil || len(tables) < 7 {
		t.Fatalf("tenant tables found: %v", tables)
	}
	for name, f := range tables {
		if !f.enabled || !f.forced || f.policies != 1 || f.expr == nil || *f.expr != *want {
			expr := "absent"
			if f.expr != nil {
				expr = *f.expr
			}
			t.Errorf("%s: row-level security enabled %v, forced %v, %d policies, tenant_isolation %q (want %q)",
				name, f.enabled, f.forced, f.policies, expr, *want)
		}
	}
}

var errRollback = &rollback{}

type rollback struct{}

func (*rollback) Error() string { return "rollback" }

// TestFiguresFailureRollsBackTheWrite: a write's figures go in the COMMIT's
// pipeline; if they fail, the COMMIT is skipped and nothing of the write is
// kept (here tenant_stats refuses billing_app's insert).
func TestFiguresFailureRollsBackTheWrite(t *testing.T) {
	ctx := context.Background()
	s, admin, _ := storeAndAdmin(t)
	tenant, err := s.CreateTenant(ctx, "T")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "REVOKE INSERT ON tenant_stats FROM "+AppRole); err != nil {
		t.Fatal(err)
	}
	id := uuid.Must(uuid.NewV7())
	err = s.InTx(ctx, tenant.ID, func(tx *Tx) error {
		_, err := tx.CreateCustomer(ctx, billing.Customer{ID: id, RazonSocial: "C", TipoIdentificacion: "13", Nit: "900123456"})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("the figures' failure was not reported: %v", err)
	}
	if _, err := s.Customer(ctx, tenant.ID, id); !errors.Is(err, fault.ErrCustomerNotFound) {
		t.Fatalf("the customer of a failed commit is there: %v", err)
	}
	// And the connection is fit for the next transaction.
	if _, err := admin.Exec(ctx, "GRANT INSERT ON tenant_stats TO "+AppRole); err != nil {
		t.Fatal(err)
	}
	if err := s.InTx(ctx, tenant.ID, func(tx *Tx) error {
		_, err := tx.CreateCustomer(ctx, billing.Customer{ID: id, RazonSocial: "C", TipoIdentificacion: "13", Nit: "900123456"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
