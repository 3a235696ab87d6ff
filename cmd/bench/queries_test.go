package main

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Two query files in sqlc's format, with the shapes the real ones have: a
// header before the first query, comments of every kind, quotes inside
// comments and comment markers inside strings.
var testFiles = map[string]string{
	"customers.sql": `-- A header that belongs to no query.

-- name: GetCustomer :one
-- The customer's row; the caller's tenant.
SELECT * FROM customers
WHERE tenant_id = @tenant_id AND id = @id; -- trailing comment

-- name: ListCustomers :many
SELECT * FROM customers
WHERE tenant_id = @tenant_id
  AND (sqlc.narg(search)::text IS NULL OR nit LIKE '%' || sqlc.narg(search)::text || '%')
  /* a block
     comment */
  AND note <> '-- not a comment' AND "odd--name" = 'it''s @not_an_arg'
LIMIT @max_rows;
`,
	"invoices.sql": `-- name: CreateInvoice :one
WITH invoice AS (
    INSERT INTO invoices (tenant_id, id) VALUES (@tenant_id, @id)
    RETURNING *
), figures AS (
    -- counts (the figures) in a slot
    INSERT INTO tenant_stats AS s (tenant_id, slot) SELECT invoice.tenant_id, @slot FROM invoice
    ON CONFLICT (tenant_id, slot) DO UPDATE SET n = (s.n + 1)
)
SELECT * FROM invoice;

-- name: GetInvoiceDetail :many
SELECT sqlc.embed(invoices), t.x
FROM invoices CROSS JOIN LATERAL (SELECT 1 AS x) AS t
WHERE invoices.tenant_id = @tenant_id AND invoices.id = sqlc.arg(id)::uuid
`,
}

func testQueries(t *testing.T) queries {
	t.Helper()
	dir := t.TempDir()
	for name, text := range testFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	q, err := readQueries(dir)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestReadQueries(t *testing.T) {
	q := testQueries(t)
	for _, tc := range []struct {
		name, want, wantErr string
	}{
		{name: "GetCustomer", // a query found: its comments, the trailing one included, and its semicolon left out
			want: "SELECT * FROM customers\nWHERE tenant_id = @tenant_id AND id = @id"},
		{name: "ListCustomers", // comments out, comment markers and quotes inside strings kept
			want: "SELECT * FROM customers\nWHERE tenant_id = @tenant_id\n" +
				"  AND (sqlc.narg(search)::text IS NULL OR nit LIKE '%' || sqlc.narg(search)::text || '%')\n" +
				"  AND note <> '-- not a comment' AND \"odd--name\" = 'it''s @not_an_arg'\nLIMIT @max_rows"},
		{name: "GetInvoiceDetail", // the last query of a file, without a semicolon
			want: "SELECT sqlc.embed(invoices), t.x\nFROM invoices CROSS JOIN LATERAL (SELECT 1 AS x) AS t\n" +
				"WHERE invoices.tenant_id = @tenant_id AND invoices.id = sqlc.arg(id)::uuid"},
		{name: "CreateInvoice", // a comment inside a CTE leaves no empty line
			want: "WITH invoice AS (\n    INSERT INTO invoices (tenant_id, id) VALUES (@tenant_id, @id)\n    RETURNING *\n), figures AS (\n" +
				"    INSERT INTO tenant_stats AS s (tenant_id, slot) SELECT invoice.tenant_id, @slot FROM invoice\n" +
				"    ON CONFLICT (tenant_id, slot) DO UPDATE SET n = (s.n + 1)\n)\nSELECT * FROM invoice"},
		{name: "GetCustomers", wantErr: "no query named GetCustomers"}, // a missing name
		{name: "", wantErr: "no query named"},
	} {
		got, err := q.get(tc.name)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("get(%q) = %q, %v; want an error with %q", tc.name, got, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("get(%q): %v", tc.name, err)
		case got != tc.want:
			t.Errorf("get(%q) =\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
	if len(q) != 4 {
		t.Errorf("read %d queries, want 4: %v", len(q), q)
	}
}

func TestReadQueriesRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, text, wantErr string
	}{
		{"named twice", "-- name: A :one\nSELECT 1;\n-- name: A :one\nSELECT 2;\n", "named twice"},
		{"empty", "-- name: A :one\n-- only a comment\n", "has no SQL"},
	} {
		err := queries{}.parse("x.sql", tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.wantErr)
		}
	}
	if _, err := readQueries(t.TempDir()); err == nil {
		t.Error("a directory without .sql files: no error")
	}
}

func TestBind(t *testing.T) {
	q := testQueries(t)
	for _, tc := range []struct {
		query   string
		args    map[string]string
		want    string // a part of the result
		wantErr string
	}{
		{query: "GetCustomer", args: map[string]string{"tenant_id": ":tenant", "id": ":id"},
			want: "WHERE tenant_id = :tenant AND id = :id"},
		{query: "ListCustomers", args: map[string]string{"tenant_id": ":tenant", "search": ":n", "max_rows": "51"},
			want: "(:n::text IS NULL OR nit LIKE '%' || :n::text || '%')"},
		{query: "ListCustomers", args: map[string]string{"tenant_id": ":tenant", "search": ":n", "max_rows": "51"},
			want: "'it''s @not_an_arg'"}, // nothing bound inside a string
		{query: "GetInvoiceDetail", args: map[string]string{"tenant_id": ":tenant", "id": ":id"},
			want: "SELECT invoices.*, t.x"},
		{query: "GetInvoiceDetail", args: map[string]string{"tenant_id": ":tenant", "id": ":id"},
			want: "invoices.id = :id::uuid"},
		{query: "GetCustomer", args: map[string]string{"tenant_id": ":tenant"}, wantErr: "no value for its argument(s) id"},
		{query: "GetCustomer", args: map[string]string{"tenant_id": ":tenant", "id": ":id", "status": ":s"}, wantErr: "has no argument status"},
	} {
		sql, err := q.get(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := bind(tc.query, sql, tc.args)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("bind(%s, %v): %v; want an error with %q", tc.query, tc.args, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("bind(%s, %v): %v", tc.query, tc.args, err)
		case !strings.Contains(got, tc.want):
			t.Errorf("bind(%s, %v) =\n%s\nwant it to contain %q", tc.query, tc.args, got, tc.want)
		case strings.Contains(got, "sqlc.") || strings.Contains(strings.ReplaceAll(got, "@not_an_arg", ""), "@"):
			t.Errorf("bind(%s) left an sqlc argument:\n%s", tc.query, got)
		}
	}
}

// TestOperations builds the scripts (and the dashboard's timed statements)
// from the service's real query files, so
// that a query that gains, loses or renames an argument fails here rather
// than at the start of a bench run.
func TestOperations(t *testing.T) {
	q, err := readQueries(filepath.Join("..", "..", "db", "queries"))
	if err != nil {
		t.Fatal(err)
	}
	ops, err := operations(q, 1000, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		for _, s := range []string{op.sql, op.bare} {
			if strings.Contains(s, "sqlc.") || strings.Contains(s, "@") {
				t.Errorf("%s: an sqlc argument is left in the script:\n%s", op.name, s)
			}
			if strings.Contains(s, "--") {
				t.Errorf("%s: a comment is left in the script:\n%s", op.name, s)
			}
		}
	}
	// Every pgbench variable a script reads is set by the script (\set) or
	// given with -D (vars): pgbench would only say so in the middle of a run.
	setLine := regexp.MustCompile(`(?m)^\\set (\w+) `)
	variable := regexp.MustCompile(`(^|[^:]):([A-Za-z_]\w*)`)
	for _, op := range ops {
		for _, script := range []string{op.sql, op.bare} {
			known := maps.Clone(op.vars)
			for _, m := range setLine.FindAllStringSubmatch(script, -1) {
				known[m[1]] = ""
			}
			for _, m := range variable.FindAllStringSubmatch(script, -1) {
				if _, ok := known[m[2]]; !ok {
					t.Errorf("%s: the script reads :%s, which neither a \\set nor -D gives", op.name, m[2])
				}
			}
		}
	}
	create := ops[0]
	if create.bare == "" || create.bare == create.sql || strings.Contains(create.bare, "tenant_stats") ||
		!strings.Contains(create.sql, "INSERT INTO tenant_stats") || !strings.Contains(create.bare, "INSERT INTO invoice_taxes") ||
		!strings.Contains(create.bare, "COMMIT") {
		t.Errorf("create: the without-figures script is not the script less its figures:\n%s\n---\n%s", create.sql, create.bare)
	}
}
