package schema_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"billing/internal/schema"
	"billing/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// TestMigrationsOfExistingRows takes a database back to before migrations
// 00006 (stored tax breakdowns) and 00007 (NITs keyed by their digits),
// writes rows as the older service did, and migrates: breakdowns appear as
// the totals rule computes them, NITs lose their check digit unless that
// would make two customers of a tenant share one, and those are reported.
func TestMigrationsOfExistingRows(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB := stdlib.OpenDB(*cfg)
	defer sqlDB.Close()
	p, err := schema.Provider(sqlDB)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 5); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	t1, t2 := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	exec("INSERT INTO tenants (id, name) VALUES ($1, 'uno'), ($2, 'dos')", t1, t2)
	ids := map[string]uuid.UUID{}
	customer := func(tenant uuid.UUID, key, nit string) {
		ids[key] = uuid.Must(uuid.NewV7())
		exec("INSERT INTO customers (tenant_id, id, razon_social, nit) VALUES ($1, $2, $3, $4)", tenant, ids[key], key, nit)
	}
	customer(t1, "alone", "900123456-8")
	customer(t1, "with digit", "800197268-4")
	customer(t1, "without digit", "800197268") // the same company, written twice
	customer(t1, "legacy form", "AB12-3")      // an old form the service no longer writes: kept
	customer(t1, "passport", "ab123456")
	customer(t1, "padded", "0860002964-4")
	customer(t1, "short", "012")
	customer(t2, "other tenant", "800197268-4") // no clash across tenants
	invoice := uuid.Must(uuid.NewV7())
	exec(`INSERT INTO invoices (tenant_id, id, customer_id, numero, subtotal, impuestos, total, item_count)
	      VALUES ($1, $2, $3, 'FV-1', 210000.09, 6900.03, 216900.12, 3)`, t1, invoice, ids["alone"])
	exec(`INSERT INTO invoice_items (tenant_id, invoice_id, position, descripcion, cantidad, valor_unitario, impuesto, subtotal) VALUES
	      ($1, $2, 1, 'a', 1, 10000.05, 19, 10000.05), ($1, $2, 2, 'b', 1, 100000.02, 0, 100000.02), ($1, $2, 3, 'c', 2, 50000.01, 5, 100000.02)`, t1, invoice)

	if _, err := schema.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}

	want := map[string]string{
		"alone": "900123456", "with digit": "800197268-4", "without digit": "800197268",
		"legacy form": "AB12-3", "passport": "AB123456", "padded": "860002964", "short": "012", "other tenant": "800197268",
	}
	for key, nit := range want {
		var got string
		if err := conn.QueryRow(ctx, "SELECT nit FROM customers WHERE id = $1", ids[key]).Scan(&got); err != nil || got != nit {
			t.Errorf("%s: nit %q (%v), want %q", key, got, err, nit)
		}
	}
	shared, err := schema.SharedNITs(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	wantCustomers := []uuid.UUID{ids["with digit"], ids["without digit"]}
	slices.SortFunc(wantCustomers, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	if len(shared) != 1 || shared[0].Tenant != t1 || shared[0].NIT != "800197268" || !slices.Equal(shared[0].Customers, wantCustomers) {
		t.Fatalf("shared NITs %+v, want tenant %s NIT 800197268 for %v", shared, t1, wantCustomers)
	}

	rows, err := conn.Query(ctx, "SELECT tarifa::text, base::text, valor::text FROM invoice_taxes WHERE invoice_id = $1 ORDER BY invoice_taxes.tarifa", invoice)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([3]string, error) {
		var g [3]string
		return g, r.Scan(&g[0], &g[1], &g[2])
	})
	if err != nil {
		t.Fatal(err)
	}
	// 19 % of 10000.05 is 1900.0095 → 1900.01; 5 % of 100000.02 is 5000.001 → 5000.00.
	wantTaxes := [][3]string{{"0.00", "100000.02", "0.00"}, {"5.00", "100000.02", "5000.00"}, {"19.00", "10000.05", "1900.01"}}
	if !slices.Equal(got, wantTaxes) {
		t.Fatalf("backfilled breakdown %v, want %v", got, wantTaxes)
	}
}

// TestElectronicInvoicingMigration: 00008 gives existing customers an
// identification type (a number with letters a passport, else a cédula),
// existing lines and breakdowns IVA GRAVADO; and its Down refuses to run
// over data the older schema cannot hold, leaving everything in place.
func TestElectronicInvoicingMigration(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB := stdlib.OpenDB(*cfg)
	defer sqlDB.Close()
	p, err := schema.Provider(sqlDB)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 7); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	tenant, cedula, passport, invoice := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	exec("INSERT INTO tenants (id, name) VALUES ($1, 'uno')", tenant)
	exec("INSERT INTO customers (tenant_id, id, razon_social, nit) VALUES ($1, $2, 'c', '1020304050'), ($1, $3, 'p', 'AB123456')", tenant, cedula, passport)
	exec(`INSERT INTO invoices (tenant_id, id, customer_id, numero, subtotal, impuestos, total, item_count)
	      VALUES ($1, $2, $3, 'FV-1', 100.00, 19.00, 119.00, 1)`, tenant, invoice, cedula)
	exec(`INSERT INTO invoice_items (tenant_id, invoice_id, position, descripcion, cantidad, valor_unitario, impuesto, subtotal)
	      VALUES ($1, $2, 1, 'a', 1, 100.00, 19, 100.00)`, tenant, invoice)
	exec(`INSERT INTO invoice_taxes (tenant_id, invoice_id, tarifa, base, valor) VALUES ($1, $2, 19, 100.00, 19.00)`, tenant, invoice)
	if _, err := schema.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[uuid.UUID]string{cedula: "13", passport: "41"} {
		var got string
		if err := conn.QueryRow(ctx, "SELECT tipo_identificacion FROM customers WHERE id = $1", id).Scan(&got); err != nil || got != want {
			t.Errorf("customer %s: type %q (%v), want %q", id, got, err, want)
		}
	}
	var line, group string
	if err := conn.QueryRow(ctx, `SELECT i.tributo || ' ' || i.tratamiento, t.tributo FROM invoice_items i
	      JOIN invoice_taxes t USING (tenant_id, invoice_id) WHERE i.invoice_id = $1`, invoice).Scan(&line, &group); err != nil || line != "01 GRAVADO" || group != "01" {
		t.Fatalf("existing line %q, group %q (%v)", line, group, err)
	}
	// An e-invoicing draft (no numero) cannot go back to a NOT NULL numero.
	exec(`INSERT INTO invoices (tenant_id, id, customer_id, subtotal, impuestos, total, item_count)
	      VALUES ($1, $2, $3, 0, 0, 0, 1)`, tenant, uuid.Must(uuid.NewV7()), cedula)
	if _, err := p.DownTo(ctx, 7); err == nil || !strings.Contains(err.Error(), "cannot hold") {
		t.Fatalf("Down over electronic invoicing data: %v", err)
	}
	if v, err := p.GetDBVersion(ctx); err != nil || v != 8 {
		t.Fatalf("version after the refused Down: %d (%v)", v, err)
	}
}
