package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/money"
	"billing/internal/schema"
	"billing/internal/testdb"
)

// searchNames are customers (and, by name, products) whose names and NITs
// put case folding, accents, LIKE's wildcards and escape, and characters
// that lower() turns into other ones (İ, the KELVIN SIGN) in a search's way.
var searchNames = []struct{ name, nit string }{
	{"Ñandú Comercial S.A.S.", "900123456"},
	{"ÑANDÚ LTDA", "800197268"},
	{"Mañana Panadería", "1020304050"},
	{"MANANA Y CIA", "1020304051"},
	{"José Pérez", "79555444"},
	{"JOSE PEREZ", "79555445"},
	{"Álvaro Ruiz", "52123123"},
	{"Beatriz_Ruiz 100%", "52123124"},
	{"Beatriz Ruiz 1000", "52123125"},
	{"Beatriz-Ruiz", "52123126"},
	{`Barra \ Invertida`, "52123127"},
	{"Straße GmbH", "AB123456"},
	{"İnci Ltda", "41111111"},         // lower() makes İ "i" and a combining dot
	{"\u212Aelvin Tools", "41111112"}, // KELVIN SIGN, whose lower case is an ASCII k
}

// searches are the tricky inputs: Search as the client wrote it, NITSearch
// as the ledger derives it (billing.NormalizeNIT) when it differs.
var searches = []billing.CustomerPage{
	{Search: ""}, {Search: "ñandú"}, {Search: "ÑAN"}, {Search: "nandu"}, {Search: "ñ"}, {Search: "aña"},
	{Search: "josé"}, {Search: "JOSE"}, {Search: "pérez"}, {Search: "%"}, {Search: "_"}, {Search: "z_r"},
	{Search: "100%"}, {Search: `\`}, {Search: `\%`}, {Search: "123456"}, {Search: "ab12", NITSearch: "AB12"},
	{Search: "AB12"}, {Search: "900.123.456-8", NITSearch: "900123456"}, {Search: "straße"}, {Search: "STRASSE"},
	{Search: "STRAßE"}, {Search: "inci"}, {Search: "İnci"}, {Search: "nci"}, {Search: "kelvin"},
	{Search: "\u212Aelvin"}, {Search: "ez"}, {Search: "ru"}, {Search: "a"}, {Search: "ltda"}, {Search: "s.a.s."},
	{Search: "relleno 12"}, {Search: "relleno 1234"}, {Search: "relleno"}, {Search: "7000012"}, {Search: "nadie"},
}

// fillers is how many generated customers and products each tenant gets
// besides searchNames, so that the planner has a range worth an index.
const fillers = 3000

// searchFixture is two tenants holding the same customers and products:
// every search that finds one of A's rows would find B's twin too.
type searchFixture struct {
	a, b  uuid.UUID
	admin *pgx.Conn // the migrating role's own connection, not the service's
}

func seedSearch(ctx context.Context, t *testing.T, s *Store, admin *pgx.Conn) searchFixture {
	t.Helper()
	f := searchFixture{a: uuid.Must(uuid.NewV7()), b: uuid.Must(uuid.NewV7()), admin: admin}
	for _, tenant := range []uuid.UUID{f.a, f.b} {
		if _, err := db.New(s.pool).CreateTenant(ctx, db.CreateTenantParams{ID: tenant, Name: "T"}); err != nil {
			t.Fatal(err)
		}
		err := s.InTx(ctx, tenant, func(tx *Tx) error {
			for _, n := range searchNames {
				if _, err := tx.CreateCustomer(ctx, billing.Customer{ID: uuid.Must(uuid.NewV7()), RazonSocial: n.name, Nit: n.nit}); err != nil {
					return err
				}
				if _, err := tx.CreateProduct(ctx, billing.Product{ID: uuid.Must(uuid.NewV7()), Nombre: n.name, Precio: money.Must("1000"), Impuesto: money.Must("19")}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// The fillers, and an inactive product that every search of
		// products would find were it listed. Row-level security holds the
		// owner too, so the migrating role declares the tenant as well.
		tx, err := admin.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, sql := range []string{
			"SELECT set_config('app.tenant_id', $1::text, true)",
			`INSERT INTO customers (tenant_id, id, razon_social, nit)
			 SELECT $1, gen_random_uuid(), 'Relleno ' || g || (ARRAY[' S.A.S.', ' Ltda.', ' Ñandutí'])[g % 3 + 1], (700000000 + g)::text
			 FROM generate_series(1, ` + fmt.Sprint(fillers) + `) g`,
			`INSERT INTO products (tenant_id, id, nombre, precio)
			 SELECT $1, gen_random_uuid(), 'Relleno ' || g || (ARRAY[' S.A.S.', ' Ltda.', ' Ñandutí'])[g % 3 + 1], 1000
			 FROM generate_series(1, ` + fmt.Sprint(fillers) + `) g`,
			`INSERT INTO products (tenant_id, id, nombre, precio, activo) VALUES ($1, gen_random_uuid(), '%_ñ\ relleno 12 Ltda. AB12 inci kelvin ru a', 1000, false)`,
		} {
			if _, err := tx.Exec(ctx, sql, tenant); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.Exec(ctx, "ANALYZE customers, products"); err != nil {
		t.Fatal(err)
	}
	return f
}

// want is what today's SQL finds: the queries as they were before the
// trigram indexes (ILIKE and LIKE, the wildcards escaped by likePattern),
// in the lists' order, read by the migrating role with tenant's scope.
func (f searchFixture) want(ctx context.Context, t *testing.T, tenant uuid.UUID, table string, p billing.CustomerPage) []uuid.UUID {
	t.Helper()
	sql := `SELECT id FROM customers WHERE tenant_id = $1
	          AND ($2::text IS NULL OR razon_social ILIKE '%' || $2::text || '%' OR nit LIKE '%' || $2::text || '%'
	               OR nit LIKE '%' || $3::text || '%')
	        ORDER BY razon_social, id`
	args := []any{tenant, likePattern(p.Search), likePattern(p.NITSearch)}
	if table == "products" {
		sql = `SELECT id FROM products WHERE tenant_id = $1 AND activo
		         AND ($2::text IS NULL OR nombre ILIKE '%' || $2::text || '%')
		       ORDER BY nombre, id`
		args = args[:2]
	}
	var ids []uuid.UUID
	err := pgx.BeginFunc(ctx, f.admin, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1::text, true)", tenant); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// list pages through the store's search, limit rows at a time, from the
// first page's key on, as the handlers do.
func list(ctx context.Context, t *testing.T, s *Store, tenant uuid.UUID, table string, p billing.CustomerPage, limit int) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	key, id := "", uuid.Nil
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("paging does not end")
		}
		var n int
		if table == "products" {
			rows, err := s.Products(ctx, tenant, billing.ProductPage{Search: p.Search, AfterNombre: key, AfterID: id, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				ids = append(ids, r.ID)
				key, id = r.Nombre, r.ID
			}
			n = len(rows)
		} else {
			p.AfterRazonSocial, p.AfterID, p.Limit = key, id, limit
			rows, err := s.Customers(ctx, tenant, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				ids = append(ids, r.ID)
				key, id = r.RazonSocial, r.ID
			}
			n = len(rows)
		}
		if n < limit {
			return ids
		}
	}
}

// listBitmap is one page of every match through the generated query, with
// the planner kept off sequential and plain index scans: a search with a
// trigram is then answered from the trigram indexes (and their recheck),
// whatever the planner would have preferred.
func listBitmap(ctx context.Context, t *testing.T, s *Store, tenant uuid.UUID, table string, p billing.CustomerPage) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	err := s.rawTx(ctx, tenant, txWrite, func(c *pgx.Conn, _ *pgx.Batch) error {
		if _, err := c.Exec(ctx, "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"); err != nil {
			return err
		}
		q := db.New(c)
		if table == "products" {
			rows, err := q.ListProducts(ctx, db.ListProductsParams{TenantID: tenant, Search: likePattern(p.Search), AfterID: uuid.Nil, MaxRows: 100000})
			for _, r := range rows {
				ids = append(ids, r.ID)
			}
			return err
		}
		rows, err := q.ListCustomers(ctx, db.ListCustomersParams{TenantID: tenant, Search: likePattern(p.Search), NitSearch: likePattern(p.NITSearch), AfterID: uuid.Nil, MaxRows: 100000})
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// checkSearches: every search finds exactly what today's ILIKE/LIKE finds,
// in order, whole or a page at a time, by whichever plan, and none of the
// other tenant's twins.
func checkSearches(ctx context.Context, t *testing.T, s *Store, f searchFixture) {
	for _, table := range []string{"customers", "products"} {
		for _, p := range searches {
			if table == "products" && p.NITSearch != "" {
				continue
			}
			t.Run(table+"/"+p.Search, func(t *testing.T) {
				want := f.want(ctx, t, f.a, table, p)
				other := f.want(ctx, t, f.b, table, p)
				if got := list(ctx, t, s, f.a, table, p, 100000); !slices.Equal(got, want) {
					t.Fatalf("found %d rows, want %d: %v, want %v", len(got), len(want), got, want)
				}
				if got := listBitmap(ctx, t, s, f.a, table, p); !slices.Equal(got, want) {
					t.Fatalf("through the indexes found %d rows, want %d: %v, want %v", len(got), len(want), got, want)
				}
				if len(want) <= 200 { // the cursor, through a search: pages of 3
					if got := list(ctx, t, s, f.a, table, p, 3); !slices.Equal(got, want) {
						t.Fatalf("paged by 3 found %v, want %v", got, want)
					}
				}
				// B's twins match too, so an answer equal to want holds
				// none of them.
				if len(other) != len(want) {
					t.Fatalf("tenant B has %d matches, tenant A %d", len(other), len(want))
				}
			})
		}
	}
}

// TestSearchSemantics: the leakproof search finds what ILIKE (razón social,
// nombre) and LIKE (nit) found before it, on inputs where case folding,
// accents, wildcards and one- and two-character searches (which no trigram
// serves) could tell them apart; and it never crosses tenants.
func TestSearchSemantics(t *testing.T) {
	ctx := context.Background()
	s, admin, _ := storeAndAdmin(t)
	f := seedSearch(ctx, t, s, admin)

	// The hand-checked answers the oracle must give, so that a change to
	// ILIKE under us would show here rather than pass silently.
	names := func(p billing.CustomerPage) []string {
		rows, err := s.Customers(ctx, f.a, billing.CustomerPage{Search: p.Search, NITSearch: p.NITSearch, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, r := range rows {
			out = append(out, r.RazonSocial)
		}
		return out
	}
	for _, tt := range []struct {
		p    billing.CustomerPage
		want []string
	}{
		{billing.CustomerPage{Search: "ÑANDÚ"}, []string{"Ñandú Comercial S.A.S.", "ÑANDÚ LTDA"}},
		{billing.CustomerPage{Search: "nandu"}, []string{}}, // ILIKE folds case, not accents
		{billing.CustomerPage{Search: "aña"}, []string{"Mañana Panadería"}},
		{billing.CustomerPage{Search: "JOSE"}, []string{"JOSE PEREZ"}},
		{billing.CustomerPage{Search: "%"}, []string{"Beatriz_Ruiz 100%"}},
		{billing.CustomerPage{Search: "z_r"}, []string{"Beatriz_Ruiz 100%"}},
		{billing.CustomerPage{Search: `\`}, []string{`Barra \ Invertida`}},
		{billing.CustomerPage{Search: "123456"}, []string{"Ñandú Comercial S.A.S.", "Straße GmbH"}},
		{billing.CustomerPage{Search: "ab12"}, []string{}}, // nit is matched as written
		{billing.CustomerPage{Search: "ab12", NITSearch: "AB12"}, []string{"Straße GmbH"}},
		{billing.CustomerPage{Search: "STRASSE"}, []string{}},
		{billing.CustomerPage{Search: "STRAßE"}, []string{"Straße GmbH"}},
		{billing.CustomerPage{Search: "inci"}, []string{}}, // "i̇nci": the dot comes between
		{billing.CustomerPage{Search: "İnci"}, []string{"İnci Ltda"}},
		{billing.CustomerPage{Search: "kelvin"}, []string{"\u212Aelvin Tools"}},
		{billing.CustomerPage{Search: "ez"}, []string{"JOSE PEREZ", "José Pérez"}}, // es-CO: the accent breaks the tie
	} {
		if got := names(tt.p); !slices.Equal(got, tt.want) {
			t.Errorf("search %q (nit %q): %q, want %q", tt.p.Search, tt.p.NITSearch, got, tt.want)
		}
	}
	checkSearches(ctx, t, s, f)
}

// TestSearchUsesTrigramIndexes: under row-level security, as the service
// runs it (billing_app, the tenant declared in the read's transaction), a
// narrow search of the generated queries reads the trigram indexes; and so
// does the search of a freshly written row, whose trigrams are in the index
// already (no pending list to read through).
func TestSearchUsesTrigramIndexes(t *testing.T) {
	ctx := context.Background()
	s, admin, dsn := storeAndAdmin(t)
	f := seedSearch(ctx, t, s, admin)

	for _, tt := range []struct {
		table, search string
		indexes       []string
	}{
		{"customers", "1234", []string{"customers_razon_social_trgm_idx", "customers_nit_trgm_idx"}},
		{"customers", "Ñandú", []string{"customers_razon_social_trgm_idx", "customers_nit_trgm_idx"}},
		{"products", "1234", []string{"products_nombre_trgm_idx"}},
	} {
		plan := explain(ctx, t, s, f.a, tt.table, tt.search)
		for _, index := range tt.indexes {
			if !strings.Contains(plan, "Bitmap Index Scan on "+index) {
				t.Errorf("%s search %q does not read %s:\n%s", tt.table, tt.search, index, plan)
			}
		}
	}

	// A prepared statement keeps being planned for each pattern: after
	// five such plans PostgreSQL would otherwise try the generic one, which
	// here reads the whole range for a narrow search.
	if _, pooled := testdb.Pooled(dsn); pooled {
		return // unnamed statements: every plan is made for its values
	}
	one, err := Open(ctx, oneConnection(dsn))
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	for range 10 {
		if _, err := one.Customers(ctx, f.a, billing.CustomerPage{Search: "1234", Limit: 51}); err != nil {
			t.Fatal(err)
		}
		if _, err := one.Products(ctx, f.a, billing.ProductPage{Search: "1234", Limit: 51}); err != nil {
			t.Fatal(err)
		}
	}
	err = one.read(ctx, f.a, func(d db.DBTX) error {
		rows, err := d.Query(ctx, `SELECT substring(statement FROM 'name: (\w+)'), generic_plans, custom_plans FROM pg_prepared_statements
		                           WHERE statement ~ 'name: List(Customers|Products) ' ORDER BY 1`)
		if err != nil {
			return err
		}
		var seen []string
		for rows.Next() {
			var name string
			var generic, custom int64
			if err := rows.Scan(&name, &generic, &custom); err != nil {
				return err
			}
			seen = append(seen, name)
			if generic != 0 || custom < 10 {
				t.Errorf("%s: %d generic plans, %d custom ones", name, generic, custom)
			}
		}
		if !slices.Equal(seen, []string{"ListCustomers", "ListProducts"}) {
			t.Errorf("prepared searches %v", seen)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// errExplained stops the generated query once explainDBTX has its plan.
var errExplained = errors.New("explained")

// TestSearchForSampledValues: a search for exactly a value the last
// ANALYZE sampled (a bound of the NIT's histogram, or of the lowered
// name's) still reads the trigram indexes. With PostgreSQL's default 100
// bounds such a pattern is estimated at 1 % of the rows, and at 100 000
// customers the planner walked the ordered range for it, filtering every
// row (migration 00024).
func TestSearchForSampledValues(t *testing.T) {
	ctx := context.Background()
	s, admin, _ := storeAndAdmin(t)
	tenant := uuid.Must(uuid.NewV7())
	if _, err := db.New(s.pool).CreateTenant(ctx, db.CreateTenantParams{ID: tenant, Name: "T"}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `INSERT INTO customers (tenant_id, id, razon_social, nit)
		SELECT $1, gen_random_uuid(), 'Colegio ' || (ARRAY['Andes','Bolívar','Caldas','Nariño','Sucre'])[1 + g % 5] || ' ' || g, (800000000 + g)::text
		FROM generate_series(1, 100000) g`, tenant); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "ANALYZE customers"); err != nil {
		t.Fatal(err)
	}
	var sampled []string
	for _, q := range []string{
		"SELECT histogram_bounds::text::text[] FROM pg_stats WHERE tablename = 'customers' AND attname = 'nit'",
		"SELECT histogram_bounds::text::text[] FROM pg_stats WHERE tablename = 'customers_razon_social_trgm_idx'",
	} {
		var bounds []string
		if err := admin.QueryRow(ctx, q).Scan(&bounds); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if len(bounds) < 500 {
			t.Fatalf("%d histogram bounds, want 00024's 1 000: %s", len(bounds), q)
		}
		for i := 1; i < len(bounds)-1; i += len(bounds) / 8 {
			sampled = append(sampled, bounds[i])
		}
	}
	for _, v := range sampled {
		if plan := explain(ctx, t, s, tenant, "customers", v); !strings.Contains(plan, "Bitmap Index Scan on customers_nit_trgm_idx") {
			t.Errorf("the search %q, a value ANALYZE sampled, does not read the trigram indexes:\n%s", v, plan)
		}
	}
}

// explainDBTX runs the generated statement under EXPLAIN, with its own
// arguments, and keeps the plan.
type explainDBTX struct {
	db.DBTX
	plan *string
}

func (e explainDBTX) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := e.DBTX.Query(ctx, "EXPLAIN "+sql, args...)
	if err != nil {
		return nil, err
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	*e.plan = strings.Join(lines, "\n")
	return nil, errExplained
}

func (e explainDBTX) Exec(context.Context, string, ...any) (pgconn.CommandTag, error) {
	return pgconn.CommandTag{}, errors.ErrUnsupported
}

// explain is the plan of one search through the service's read path.
func explain(ctx context.Context, t *testing.T, s *Store, tenant uuid.UUID, table, search string) string {
	t.Helper()
	var plan string
	err := s.read(ctx, tenant, func(d db.DBTX) error {
		q := db.New(explainDBTX{d, &plan})
		var err error
		if table == "products" {
			_, err = q.ListProducts(ctx, db.ListProductsParams{TenantID: tenant, Search: likePattern(search), AfterID: uuid.Nil, MaxRows: 51})
		} else {
			_, err = q.ListCustomers(ctx, db.ListCustomersParams{TenantID: tenant, Search: likePattern(search), AfterID: uuid.Nil, MaxRows: 51})
		}
		return err
	})
	if !errors.Is(err, errExplained) {
		t.Fatalf("explaining the %s search %q: %v", table, search, err)
	}
	return plan
}

// TestSearchMigratedWithoutSuperuser: migrated by a role that may create
// databases and roles but is no superuser, 00023 still applies; the search
// has no trigram index then, and answers the same.
func TestSearchMigratedWithoutSuperuser(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	super, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	suffix := strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	role, name := "migrator_"+suffix, "nosuper_"+suffix
	if _, err := super.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD 'migrator' NOSUPERUSER CREATEDB CREATEROLE", role)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, sql := range []string{"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "DROP ROLE IF EXISTS " + role} {
			if _, err := super.Exec(context.Background(), sql); err != nil {
				t.Errorf("%s: %v", sql, err)
			}
		}
		super.Close(context.Background())
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(role, "migrator")
	mine := *u
	mine.Path = "/" + name
	owner, err := pgx.Connect(ctx, u.String()) // the test's database, to create one of its own
	if err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		t.Fatal(err)
	}
	owner.Close(ctx)
	if _, err := schema.Migrate(ctx, mine.String()); err != nil {
		t.Fatalf("migrating as %s: %v", role, err)
	}
	admin, err := pgx.Connect(ctx, mine.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var leakproof bool
	var indexes int
	if err := admin.QueryRow(ctx, `SELECT (SELECT bool_or(proleakproof) FROM pg_proc WHERE proname IN ('billing_like', 'billing_lower')),
	        (SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%trgm%')`).Scan(&leakproof, &indexes); err != nil {
		t.Fatal(err)
	}
	if leakproof || indexes != 0 {
		t.Fatalf("without a superuser: leakproof functions %v, %d trigram indexes", leakproof, indexes)
	}
	s, err := Open(ctx, mine.String())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkSearches(ctx, t, s, seedSearch(ctx, t, s, admin))
}
