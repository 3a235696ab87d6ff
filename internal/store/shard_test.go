package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"billing/internal/schema"
	"billing/internal/testdb"
)

// tenantlessTables are the named exceptions: the tenants themselves and
// goose's bookkeeping. River's tables (river_*, its own schema, which it
// migrates) are the other one: they stay on the coordinator when tenants
// are spread over nodes. A new table without a tenant_id fails here until
// it is named.
var tenantlessTables = []string{"goose_db_version", "tenants"}

// TestTenantKeysLeadWithTenant: every tenant-owned table's primary key,
// unique constraints and indexes, and foreign keys lead with tenant_id,
// so distributing the tables by tenant_id (Citus) needs no schema change:
// each key and each reference stays within one tenant's node. That every
// query filters by tenant_id is sqlc vet's tenant-predicate rule
// (sqlc.yaml).
func TestTenantKeysLeadWithTenant(t *testing.T) {
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

	var tenantless []string
	rows, err := conn.Query(ctx, `
		SELECT c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		WHERE c.relkind IN ('r', 'p')
		  AND c.relname NOT LIKE 'river\_%'
		  AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	tenantless, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tenantless, tenantlessTables) {
		t.Errorf("tables without tenant_id: %v; want exactly %v", tenantless, tenantlessTables)
	}

	// Each key of a tenant table with its first column ("" for an
	// expression) and whether it is its primary key.
	rows, err = conn.Query(ctx, `
		SELECT c.relname, ic.relname, i.indisprimary, coalesce(a.attname, '')
		FROM pg_index i
		JOIN pg_class c ON c.oid = i.indrelid
		JOIN pg_class ic ON ic.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
		WHERE i.indisunique AND NOT (c.relname = ANY($1)) AND c.relname NOT LIKE 'river\_%'
		ORDER BY 1, 2`, tenantlessTables)
	if err != nil {
		t.Fatal(err)
	}
	primary := map[string]bool{}
	for rows.Next() {
		var table, index, first string
		var isPrimary bool
		if err := rows.Scan(&table, &index, &isPrimary, &first); err != nil {
			t.Fatal(err)
		}
		primary[table] = primary[table] || isPrimary
		if first != "tenant_id" {
			t.Errorf("%s: unique key %s leads with %q, not tenant_id", table, index, first)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	rows, err = conn.Query(ctx, `
		SELECT c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		WHERE c.relkind IN ('r', 'p') AND NOT (c.relname = ANY($1)) AND c.relname NOT LIKE 'river\_%'
		ORDER BY 1`, tenantlessTables)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 20 {
		t.Fatalf("only %d tenant tables found: %v", len(tables), tables)
	}
	for _, table := range tables {
		if !primary[table] {
			t.Errorf("%s has no primary key", table)
		}
	}

	// Each foreign key of a tenant table: its first column, and the
	// table it references. A reference to tenants is tenant_id itself.
	rows, err = conn.Query(ctx, `
		SELECT c.relname, k.conname, a.attname, r.relname
		FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid
		JOIN pg_class r ON r.oid = k.confrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
		WHERE k.contype = 'f' AND NOT (c.relname = ANY($1)) AND c.relname NOT LIKE 'river\_%'
		ORDER BY 1, 2`, tenantlessTables)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var table, constraint, first, references string
		if err := rows.Scan(&table, &constraint, &first, &references); err != nil {
			t.Fatal(err)
		}
		n++
		if first != "tenant_id" {
			t.Errorf("%s: foreign key %s (to %s) leads with %q, not tenant_id", table, constraint, references, first)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("only %d foreign keys found", n)
	}
}
