package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/money"
)

// TestSearch: GET /billing/customers?search= and /billing/products?search=
// find what ILIKE on the name (and LIKE on the NIT) found before the
// trigram indexes, on inputs where case, accents, wildcards, the escape
// character and one- or two-character searches could tell them apart;
// every page of a search is the tenant's own, and the cursor walks the
// search's rows in order.
func TestSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenantA, tenantB := e.tenant("A"), e.tenant("B")
	admin, other := e.token(tenantA, auth.RoleAdmin), e.token(tenantB, auth.RoleAdmin)
	customers := []api.CreateCustomerJSONRequestBody{
		{RazonSocial: "Ñandú Comercial S.A.S.", Nit: "900123456"},
		{RazonSocial: "ÑANDÚ LTDA", Nit: "800197268"},
		{RazonSocial: "Mañana Panadería", Nit: "1020304050"},
		{RazonSocial: "MANANA Y CIA", Nit: "1020304051"},
		{RazonSocial: "José Pérez", Nit: "79555444"},
		{RazonSocial: "JOSE PEREZ", Nit: "79555445"},
		{RazonSocial: "Álvaro Ruiz", Nit: "52123123"},
		{RazonSocial: "Beatriz_Ruiz 100%", Nit: "52123124"},
		{RazonSocial: "Beatriz Ruiz 1000", Nit: "52123125"},
		{RazonSocial: "Beatriz-Ruiz", Nit: "52123126"},
		{RazonSocial: `Barra \ Invertida`, Nit: "52123127"},
		{RazonSocial: "Straße GmbH", Nit: "ab123456"}, // a passport, kept upper-cased
		{RazonSocial: "İnci Ltda", Nit: "41111111"},
	}
	mine := map[uuid.UUID]bool{}
	for _, body := range customers {
		mine[post[api.Customer](t, e, admin, "/billing/customers", body).ID] = true
		post[api.Customer](t, e, other, "/billing/customers", body) // the same rows in B: never in A's answers
	}
	products := []api.CreateProductJSONRequestBody{
		{Nombre: "Matrícula Ñoño", Precio: money.Must("1000")},
		{Nombre: "AÑO ESCOLAR", Precio: money.Must("1000")},
		{Nombre: "Cuaderno 100%", Precio: money.Must("1000")},
		{Nombre: "Cuaderno_100", Precio: money.Must("1000")},
		{Nombre: "cuaderno 1000", Precio: money.Must("1000")},
	}
	for _, body := range products {
		mine[post[api.Product](t, e, admin, "/billing/products", body).ID] = true
		post[api.Product](t, e, other, "/billing/products", body)
	}
	retired := post[api.Product](t, e, admin, "/billing/products", api.CreateProductJSONRequestBody{Nombre: "Año % _ retirado", Precio: money.Must("1000")})
	off := false
	wantStatus(t, e.do(http.MethodPatch, "/billing/products/"+retired.ID.String(), admin, api.UpdateProductJSONRequestBody{Activo: &off}), http.StatusOK)

	for _, tt := range []struct {
		list, search string
		want         []string
	}{
		{"customers", "ñandú", []string{"Ñandú Comercial S.A.S.", "ÑANDÚ LTDA"}},
		{"customers", "ÑAN", []string{"Mañana Panadería", "Ñandú Comercial S.A.S.", "ÑANDÚ LTDA"}},
		{"customers", "ñ", []string{"Mañana Panadería", "Ñandú Comercial S.A.S.", "ÑANDÚ LTDA"}},
		{"customers", "nandu", []string{}}, // case folds, accents do not
		{"customers", "josé", []string{"José Pérez"}},
		{"customers", "JOSE", []string{"JOSE PEREZ"}},
		{"customers", "ez", []string{"JOSE PEREZ", "José Pérez"}},
		{"customers", "ru", []string{"Álvaro Ruiz", "Beatriz Ruiz 1000", "Beatriz_Ruiz 100%", "Beatriz-Ruiz"}},
		{"customers", "%", []string{"Beatriz_Ruiz 100%"}},
		{"customers", "_", []string{"Beatriz_Ruiz 100%"}},
		{"customers", "z_r", []string{"Beatriz_Ruiz 100%"}},
		{"customers", `\`, []string{`Barra \ Invertida`}},
		{"customers", "STRAßE", []string{"Straße GmbH"}},
		{"customers", "strasse", []string{}},
		{"customers", "İnci", []string{"İnci Ltda"}},
		{"customers", "inci", []string{}}, // lower("İ") is "i" and a combining dot
		{"customers", "ltda", []string{"İnci Ltda", "ÑANDÚ LTDA"}},
		{"customers", "123456", []string{"Ñandú Comercial S.A.S.", "Straße GmbH"}}, // NIT substrings
		{"customers", "ab12", []string{"Straße GmbH"}},                             // the passport as the NIT is kept
		{"customers", "900.123.456-8", []string{"Ñandú Comercial S.A.S."}},         // a NIT as people write it
		{"customers", "nadie", []string{}},
		{"products", "ño", []string{"AÑO ESCOLAR", "Matrícula Ñoño"}},
		{"products", "MATRÍ", []string{"Matrícula Ñoño"}},
		{"products", "escolar", []string{"AÑO ESCOLAR"}},
		{"products", "%", []string{"Cuaderno 100%"}},
		{"products", "_", []string{"Cuaderno_100"}},
		{"products", "100", []string{"Cuaderno 100%", "cuaderno 1000", "Cuaderno_100"}},
		{"products", "retirado", []string{}}, // inactive
	} {
		t.Run(tt.list+"/"+tt.search, func(t *testing.T) {
			path := "/billing/" + tt.list + "?search=" + url.QueryEscape(tt.search)
			got, ids := []string{}, []uuid.UUID{}
			r := e.do(http.MethodGet, path+"&limit=500", admin, nil)
			wantStatus(t, r, http.StatusOK)
			if tt.list == "products" {
				for _, p := range decode[[]api.Product](t, r) {
					got, ids = append(got, p.Nombre), append(ids, p.ID)
				}
			} else {
				for _, c := range decode[[]api.Customer](t, r) {
					got, ids = append(got, c.RazonSocial), append(ids, c.ID)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("found %q, want %q", got, tt.want)
			}
			for _, id := range ids {
				if !mine[id] {
					t.Fatalf("%s is not tenant A's", id)
				}
			}
			// One row a page, the cursor carrying the search.
			var paged []uuid.UUID
			var pages [][]uuid.UUID
			if tt.list == "products" {
				pages = walk(t, e, admin, path+"&limit=1", func(p api.Product) uuid.UUID { return p.ID })
			} else {
				pages = walk(t, e, admin, path+"&limit=1", func(c api.Customer) uuid.UUID { return c.ID })
			}
			for _, p := range pages {
				paged = append(paged, p...)
			}
			if !slices.Equal(paged, ids) && (len(paged) != 0 || len(ids) != 0) {
				t.Fatalf("paged %v, want %v", paged, ids)
			}
		})
	}
}

// post creates what body describes and answers the created resource.
func post[T any](t *testing.T, e *env, token, path string, body any) T {
	t.Helper()
	r := e.do(http.MethodPost, path, token, body)
	wantStatus(t, r, http.StatusCreated)
	return decode[T](t, r)
}
