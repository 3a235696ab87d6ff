package server_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
)

func createProduct(t *testing.T, e *env, token string, body map[string]any) api.Product {
	t.Helper()
	r := e.do(http.MethodPost, "/billing/products", token, body)
	wantStatus(t, r, http.StatusCreated)
	return decode[api.Product](t, r)
}

func TestCreateProduct(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.tenant("A"), auth.RoleAdmin)
	p := createProduct(t, e, admin, map[string]any{"nombre": " Servicio de matrícula – Grado 5° ", "descripcion": "Matrícula anual", "precio": 850000})
	if p.Nombre != "Servicio de matrícula – Grado 5°" || *p.Descripcion != "Matrícula anual" || !p.Activo {
		t.Fatalf("created %+v", p)
	}
	// impuesto defaults to 19; amounts come back exact, at their column's scale.
	if p.Precio.String() != "850000.00" || p.Impuesto.String() != "19.00" {
		t.Fatalf("precio %s impuesto %s", p.Precio, p.Impuesto)
	}
	q := createProduct(t, e, admin, map[string]any{"nombre": "Exento", "precio": 0.1, "impuesto": 0})
	if q.Precio.String() != "0.10" || q.Impuesto.String() != "0.00" || q.Descripcion != nil {
		t.Fatalf("created %+v", q)
	}
	got := decode[api.Product](t, e.do(http.MethodGet, "/billing/products/"+p.ID.String(), admin, nil))
	if got.ID != p.ID || got.Precio.String() != "850000.00" {
		t.Fatalf("read back %+v", got)
	}
}

func TestCreateProductValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.tenant("A"), auth.RoleAdmin)
	tests := []struct {
		name  string
		body  string
		field string
	}{
		{"three decimals", `{"nombre":"A","precio":1.005}`, "body.precio"},
		{"negative price", `{"nombre":"A","precio":-1}`, "body.precio"},
		{"huge price", `{"nombre":"A","precio":10000000000000}`, "body.precio"},
		{"price as string", `{"nombre":"A","precio":"10"}`, "body.precio"},
		{"rate over 100", `{"nombre":"A","precio":1,"impuesto":100.01}`, "body.impuesto"},
		{"rate with 3 decimals", `{"nombre":"A","precio":1,"impuesto":19.125}`, "body.impuesto"},
		{"no name", `{"precio":1}`, "body.nombre"},
		{"unicode-blank name", `{"nombre":"\u00a0","precio":1}`, "body.nombre"},
		{"no price", `{"nombre":"A"}`, "body.precio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := wantProblem(t, e.do(http.MethodPost, "/billing/products", admin, tt.body), http.StatusBadRequest, "invalid_request")
			var fields []string
			for _, f := range *p.Errors {
				fields = append(fields, f.Field)
			}
			if !slices.Contains(fields, tt.field) {
				t.Fatalf("errors %v do not name %s", fields, tt.field)
			}
		})
	}
	if list := decode[[]api.Product](t, e.do(http.MethodGet, "/billing/products", admin, nil)); len(list) != 0 {
		t.Fatalf("refused creates left %d products", len(list))
	}
}

func TestListProductsActiveOnlyByName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.tenant("A"), auth.RoleAdmin)
	for _, n := range []string{"Uniforme", "Álgebra I", "matrícula", "Transporte escolar"} {
		createProduct(t, e, admin, map[string]any{"nombre": n, "precio": 1000})
	}
	retired := createProduct(t, e, admin, map[string]any{"nombre": "Almuerzo", "precio": 1000})
	wantStatus(t, e.do(http.MethodPatch, "/billing/products/"+retired.ID.String(), admin, map[string]any{"activo": false}), http.StatusOK)

	names := func(query string) []string {
		var out []string
		for _, p := range decode[[]api.Product](t, e.do(http.MethodGet, "/billing/products"+query, admin, nil)) {
			out = append(out, p.Nombre)
		}
		return out
	}
	if got, want := names(""), []string{"Álgebra I", "matrícula", "Transporte escolar", "Uniforme"}; !slices.Equal(got, want) {
		t.Fatalf("list %q, want %q", got, want)
	}
	if got, want := names("?search=MATR"), []string{"matrícula"}; !slices.Equal(got, want) {
		t.Fatalf("search %q, want %q", got, want)
	}
	if got := names("?search=almuerzo"); len(got) != 0 {
		t.Fatalf("an inactive product is listed: %q", got)
	}
	// Inactive, yet readable by id.
	if p := decode[api.Product](t, e.do(http.MethodGet, "/billing/products/"+retired.ID.String(), admin, nil)); p.Activo {
		t.Fatalf("read back %+v", p)
	}
}

func TestUpdateProduct(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.tenant("A"), auth.RoleAdmin)
	p := createProduct(t, e, admin, map[string]any{"nombre": "Matrícula", "descripcion": "Anual", "precio": 850000, "impuesto": 5})
	path := "/billing/products/" + p.ID.String()
	u := decode[api.Product](t, e.do(http.MethodPatch, path, admin, map[string]any{"precio": 900000.5, "descripcion": nil}))
	if u.Precio.String() != "900000.50" || u.Descripcion != nil || u.Nombre != "Matrícula" || u.Impuesto.String() != "5.00" || !u.Activo {
		t.Fatalf("updated %+v", u)
	}
	same := decode[api.Product](t, e.do(http.MethodPatch, path, admin, map[string]any{"impuesto": 5.0}))
	if !same.UpdatedAt.Equal(u.UpdatedAt) {
		t.Fatal("a PATCH to the same value moved updatedAt")
	}
	p2 := wantProblem(t, e.do(http.MethodPatch, path, admin, `{"precio":1.001}`), http.StatusBadRequest, "invalid_request")
	if (*p2.Errors)[0].Field != "body.precio" {
		t.Fatalf("errors %+v", *p2.Errors)
	}
	wantProblem(t, e.do(http.MethodPatch, "/billing/products/"+uuid.Must(uuid.NewV7()).String(), admin, map[string]any{"activo": false}),
		http.StatusNotFound, "product_not_found")
	wantProblem(t, e.do(http.MethodGet, "/billing/products/"+uuid.Must(uuid.NewV7()).String(), admin, nil),
		http.StatusNotFound, "product_not_found")
}
