package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/fault"
	"billing/internal/schema"
	"billing/internal/testdb"
)

// TestRead: a Read is one round trip that behaves like the read-only
// transaction it replaces: scoped to its tenant, refusing writes, refusing a
// second statement, refusing missing and INACTIVE tenants, and leaving no
// tenant behind on the connection.
func TestRead(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	if _, err := schema.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	// One connection, so every step below runs on the connection the one
	// before it used.
	s, err := testOpen(ctx, oneConnection(dsn))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, b, inactive := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	for _, tenant := range []uuid.UUID{a, b, inactive} {
		if _, err := db.New(s.pool).CreateTenant(ctx, db.CreateTenantParams{ID: tenant, Name: "T"}); err != nil {
			t.Fatal(err)
		}
		err := s.InTx(ctx, tenant, func(tx *Tx) error {
			q := tx.q
			_, err := q.CreateCustomer(ctx, db.CreateCustomerParams{TenantID: tenant, ID: uuid.Must(uuid.NewV7()), RazonSocial: "C", TipoIdentificacion: "13", Nit: "nit" + uuid.NewString()[:8]})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.pool.Exec(ctx, "UPDATE tenants SET status = 'INACTIVE' WHERE id = $1", inactive); err != nil {
		t.Fatal(err)
	}

	count := func(tenant uuid.UUID) (n int, err error) {
		err = s.read(ctx, tenant, func(d db.DBTX) error {
			return d.QueryRow(ctx, "SELECT count(*) FROM customers").Scan(&n)
		})
		return n, err
	}
	if n, err := count(a); err != nil || n != 1 {
		t.Fatalf("tenant A's read of all customers: %d rows, %v; want 1", n, err)
	}
	if _, err := count(uuid.Must(uuid.NewV7())); !errors.Is(err, fault.ErrTenantNotFound) {
		t.Fatalf("read as a missing tenant: %v", err)
	}
	if _, err := count(inactive); !errors.Is(err, fault.ErrTenantInactive) {
		t.Fatalf("read as an INACTIVE tenant: %v", err)
	}

	// The scope and the read-only mode end with the statement: the same
	// connection, used as the restricted role without a tenant, sees
	// nothing and may write.
	var n int
	var tenantSetting, readOnly string
	err = s.untenantedRaw(ctx, func(d db.DBTX) error {
		return d.QueryRow(ctx, "SELECT count(*), current_setting('app.tenant_id', true), current_setting('transaction_read_only') FROM customers").Scan(&n, &tenantSetting, &readOnly)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 || tenantSetting != "" || readOnly != "off" {
		t.Fatalf("after a Read the connection sees %d customers, app.tenant_id %q, read-only %s", n, tenantSetting, readOnly)
	}

	tests := []struct {
		name string
		fn   func(q *db.Queries) error
		want error
	}{
		{"a write through a query", func(q *db.Queries) error {
			_, err := q.CreateCustomer(ctx, db.CreateCustomerParams{TenantID: a, ID: uuid.Must(uuid.NewV7()), RazonSocial: "W", TipoIdentificacion: "13", Nit: "write"})
			return err
		}, nil},
		{"Exec", func(q *db.Queries) error {
			return q.DeleteInvoiceItems(ctx, db.DeleteInvoiceItemsParams{TenantID: a, InvoiceID: uuid.Must(uuid.NewV7())})
		}, errReadOnly},
		{"a second statement", func(q *db.Queries) error {
			if _, err := q.ListCustomers(ctx, db.ListCustomersParams{TenantID: a, MaxRows: 10}); err != nil {
				return err
			}
			_, err := q.ListCustomers(ctx, db.ListCustomersParams{TenantID: a, MaxRows: 10})
			return err
		}, errOneStatement},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.read(ctx, a, func(d db.DBTX) error { return tt.fn(db.New(d)) })
			if err == nil {
				t.Fatal("refused nothing")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if tt.want == nil && !strings.Contains(err.Error(), "read-only transaction") {
				t.Fatalf("got %v, want PostgreSQL's read-only refusal", err)
			}
		})
	}
	if n, err := count(a); err != nil || n != 1 {
		t.Fatalf("after the refused writes tenant A has %d customers, %v; want 1", n, err)
	}
	if n, err := count(b); err != nil || n != 1 {
		t.Fatalf("tenant B's read: %d rows, %v; want 1", n, err)
	}
}
