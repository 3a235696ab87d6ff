package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
)

// seedCustomer is the example body of POST /billing/customers in the spec.
var seedCustomer = map[string]any{
	"razonSocial": "Colegio Los Andes S.A.S.",
	"nit":         "900123456",
	"email":       "facturacion@colegiolosandes.edu.co",
	"telefono":    "+57 601 3456789",
	"direccion":   "Calle 45 # 12-30",
}

func createCustomer(t *testing.T, e *env, token string, body map[string]any) api.Customer {
	t.Helper()
	r := e.do(http.MethodPost, "/billing/customers", token, body)
	wantStatus(t, r, http.StatusCreated)
	return decode[api.Customer](t, r)
}

func TestCreateCustomer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleOperador)

	c := createCustomer(t, e, tok, seedCustomer)
	if c.RazonSocial != "Colegio Los Andes S.A.S." || c.Nit != "900123456" || c.Status != api.CustomerStatusACTIVE ||
		*c.Email != "facturacion@colegiolosandes.edu.co" || *c.Telefono != "+57 601 3456789" || *c.Direccion != "Calle 45 # 12-30" {
		t.Fatalf("created %+v", c)
	}
	if c.ID == uuid.Nil || c.CreatedAt.IsZero() || !c.CreatedAt.Equal(c.UpdatedAt) {
		t.Fatalf("id and timestamps not set: %+v", c)
	}
	got := decode[api.Customer](t, e.do(http.MethodGet, "/billing/customers/"+c.ID.String(), tok, nil))
	if got.ID != c.ID || got.Nit != c.Nit || !got.UpdatedAt.Equal(c.UpdatedAt) {
		t.Fatalf("read back %+v, created %+v", got, c)
	}
}

func TestCreateCustomerTrimsAndDropsBlankOptionals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleAdmin)
	c := createCustomer(t, e, tok, map[string]any{"razonSocial": "  Academia Sol  ", "nit": "800197268-4", "email": "  ", "telefono": ""})
	if c.RazonSocial != "Academia Sol" || c.Email != nil || c.Telefono != nil || c.Direccion != nil {
		t.Fatalf("created %+v", c)
	}
}

func TestCreateCustomerDuplicateNIT(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleOperador)
	createCustomer(t, e, tok, seedCustomer)
	r := e.do(http.MethodPost, "/billing/customers", tok, map[string]any{"razonSocial": "Otro", "nit": "900123456"})
	wantProblem(t, r, http.StatusBadRequest, "customer_nit_taken")
	list := decode[[]api.Customer](t, e.do(http.MethodGet, "/billing/customers", tok, nil))
	if len(list) != 1 {
		t.Fatalf("a refused create left %d customers", len(list))
	}
}

// TestOneCustomerPerNIT: 900123456, 900123456-8 and 900.123.456-8 are one
// company: whichever form comes first is kept as the digits with dv 8, the
// others are refused as taken (naming body.nit), and a malformed NIT is told
// which forms are accepted.
func TestOneCustomerPerNIT(t *testing.T) {
	t.Parallel()
	forms := []string{"900123456", "900123456-8", "900.123.456-8", " 900.123.456 ", "0900123456-8"}
	for i, first := range forms {
		t.Run(first, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			tok := e.token(e.tenant("A"), auth.RoleOperador)
			c := createCustomer(t, e, tok, map[string]any{"razonSocial": "Colegio", "nit": first})
			if c.Nit != "900123456" || c.Dv == nil || *c.Dv != 8 {
				t.Fatalf("%q stored as nit %q dv %v", first, c.Nit, c.Dv)
			}
			for j, again := range forms {
				if j == i {
					continue
				}
				r := e.do(http.MethodPost, "/billing/customers", tok, map[string]any{"razonSocial": "Otro", "nit": again})
				p := wantProblem(t, r, http.StatusBadRequest, "customer_nit_taken")
				if p.Errors == nil || (*p.Errors)[0].Field != "body.nit" {
					t.Fatalf("%q after %q: problem does not name body.nit: %s", again, first, r.Body)
				}
			}
			if list := decode[[]api.Customer](t, e.do(http.MethodGet, "/billing/customers", tok, nil)); len(list) != 1 {
				t.Fatalf("%d customers for one NIT", len(list))
			}
			// A search written as the NIT finds it, in any of the forms.
			for _, form := range append(forms, "900.123") {
				found := decode[[]api.Customer](t, e.do(http.MethodGet, "/billing/customers?search="+url.QueryEscape(form), tok, nil))
				if len(found) != 1 || found[0].ID != c.ID {
					t.Fatalf("search %q found %d customers", form, len(found))
				}
			}
		})
	}
	t.Run("passport and malformed", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		tok := e.token(e.tenant("A"), auth.RoleOperador)
		if c := createCustomer(t, e, tok, map[string]any{"razonSocial": "Visitante", "nit": "ab1234567"}); c.Nit != "AB1234567" || c.Dv != nil {
			t.Fatalf("passport stored as %q dv %v", c.Nit, c.Dv)
		}
		wantProblem(t, e.do(http.MethodPost, "/billing/customers", tok, map[string]any{"razonSocial": "Otra", "nit": "AB1234567"}),
			http.StatusBadRequest, "customer_nit_taken")
		for _, bad := range []string{"9001.23.456", "900123456-", "AB12-3", "12"} {
			r := e.do(http.MethodPost, "/billing/customers", tok, map[string]any{"razonSocial": "X", "nit": bad})
			p := wantProblem(t, r, http.StatusBadRequest, "invalid_request")
			if p.Errors == nil || (*p.Errors)[0].Field != "body.nit" || !strings.Contains((*p.Errors)[0].Message, "900.123.456-8") {
				t.Fatalf("%q: %s", bad, r.Body)
			}
		}
	})
	t.Run("patch", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		tok := e.token(e.tenant("A"), auth.RoleOperador)
		c := createCustomer(t, e, tok, map[string]any{"razonSocial": "Colegio", "nit": "800197268"})
		path := "/billing/customers/" + c.ID.String()
		// The same NIT in another form changes nothing.
		same := decode[api.Customer](t, e.do(http.MethodPatch, path, tok, map[string]any{"nit": "800.197.268-4"}))
		if same.Nit != "800197268" || !same.UpdatedAt.Equal(c.UpdatedAt) {
			t.Fatalf("patched with the same NIT: %+v (was %+v)", same, c)
		}
		moved := decode[api.Customer](t, e.do(http.MethodPatch, path, tok, map[string]any{"nit": "900.123.456-8"}))
		if moved.Nit != "900123456" || moved.Dv == nil || *moved.Dv != 8 {
			t.Fatalf("patched NIT %+v", moved)
		}
	})
}

func TestCreateCustomerCheckDigit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleOperador)
	r := e.do(http.MethodPost, "/billing/customers", tok, map[string]any{"razonSocial": "X", "nit": "900123456-1"})
	p := wantProblem(t, r, http.StatusBadRequest, "nit_check_digit_invalid")
	if p.Errors == nil || (*p.Errors)[0].Field != "body.nit" {
		t.Fatalf("problem does not name body.nit: %s", r.Body)
	}
	createCustomer(t, e, tok, map[string]any{"razonSocial": "X", "nit": "900123456-8"})
}

func TestCreateCustomerValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleOperador)
	tests := []struct {
		name   string
		body   any
		fields []string
	}{
		{"missing required", map[string]any{}, []string{"body.razonSocial", "body.nit"}},
		{"blank name", map[string]any{"razonSocial": "   ", "nit": "123456"}, []string{"body.razonSocial"}},
		{"unicode-blank name", map[string]any{"razonSocial": "\u00a0\u3000\v", "nit": "123456"}, []string{"body.razonSocial"}},
		{"short nit", map[string]any{"razonSocial": "A", "nit": "12"}, []string{"body.nit"}},
		{"nit with spaces", map[string]any{"razonSocial": "A", "nit": "900 123"}, []string{"body.nit"}},
		{"nit too long", map[string]any{"razonSocial": "A", "nit": strings.Repeat("9", 33)}, []string{"body.nit"}},
		{"bad email", map[string]any{"razonSocial": "A", "nit": "123456", "email": "nope"}, []string{"body.email"}},
		{"unknown field", map[string]any{"razonSocial": "A", "nit": "123456", "status": "ACTIVE"}, []string{"body.status"}},
		{"nested unknown", `{"razonSocial":"A","nit":"123456","x":{"y":1}}`, []string{"body.x"}},
		{"wrong type", map[string]any{"razonSocial": 7, "nit": "123456"}, []string{"body.razonSocial"}},
		{"too long", map[string]any{"razonSocial": string(make([]byte, 201)), "nit": "123456"}, []string{"body.razonSocial"}},
		{"not an object", `[1,2]`, []string{"body"}},
		{"malformed JSON", `{"razonSocial":`, []string{"body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(http.MethodPost, "/billing/customers", tok, tt.body)
			p := wantProblem(t, r, http.StatusBadRequest, "invalid_request")
			if p.Errors == nil {
				t.Fatalf("no field errors: %s", r.Body)
			}
			var got []string
			for _, f := range *p.Errors {
				got = append(got, f.Field)
			}
			for _, f := range tt.fields {
				if !slices.Contains(got, f) {
					t.Errorf("errors %v do not name %s", got, f)
				}
			}
		})
	}
	if list := decode[[]api.Customer](t, e.do(http.MethodGet, "/billing/customers", tok, nil)); len(list) != 0 {
		t.Fatalf("invalid creates left %d customers", len(list))
	}
}

func TestCreateCustomerNULCharacter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleOperador)
	r := e.do(http.MethodPost, "/billing/customers", tok, `{"razonSocial":"A\u0000B","nit":"123456"}`)
	wantProblem(t, r, http.StatusBadRequest, "invalid_request")
}

func TestListCustomers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.tenant("A"), auth.RoleAdmin)
	names := []struct{ name, nit string }{
		{"Zeta Ltda", "111222333"},
		{"Álvaro Pérez", "79555444"},
		{"colegio San José", "800555666"},
		{"Beatriz_Ruiz 100%", "52123123"},
		{"Colegio Los Andes S.A.S.", "900123456"},
	}
	ids := map[string]uuid.UUID{}
	for _, n := range names {
		ids[n.name] = createCustomer(t, e, admin, map[string]any{"razonSocial": n.name, "nit": n.nit}).ID
	}
	// An inactive customer is still listed.
	wantStatus(t, e.do(http.MethodPatch, "/billing/customers/"+ids["Zeta Ltda"].String(), admin, map[string]any{"status": "INACTIVE"}), http.StatusOK)

	all := []string{"Álvaro Pérez", "Beatriz_Ruiz 100%", "Colegio Los Andes S.A.S.", "colegio San José", "Zeta Ltda"}
	tests := []struct {
		query string
		want  []string
	}{
		// Spanish order, accents and case aside: Á sorts with A, and
		// "Colegio Los" before "colegio San".
		{"", all},
		{"?search=COLEGIO", []string{"Colegio Los Andes S.A.S.", "colegio San José"}},
		{"?search=555", []string{"Álvaro Pérez", "colegio San José"}},
		{"?search=%25", []string{"Beatriz_Ruiz 100%"}}, // % matches itself, not everything
		{"?search=_", []string{"Beatriz_Ruiz 100%"}},
		{"?search=andes%20s.a.s", []string{"Colegio Los Andes S.A.S."}},
		{"?search=%20%20", all}, // blank search filters nothing
		{"?search=nadie", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := e.do(http.MethodGet, "/billing/customers"+tt.query, admin, nil)
			wantStatus(t, r, http.StatusOK)
			got := []string{}
			for _, c := range decode[[]api.Customer](t, r) {
				got = append(got, c.RazonSocial)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGetCustomerNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleViewer)
	r := e.do(http.MethodGet, "/billing/customers/"+uuid.Must(uuid.NewV7()).String(), tok, nil)
	wantProblem(t, r, http.StatusNotFound, "customer_not_found")
	r = e.do(http.MethodGet, "/billing/customers/not-a-uuid", tok, nil)
	p := wantProblem(t, r, http.StatusBadRequest, "invalid_request")
	if (*p.Errors)[0].Field != "path.id" {
		t.Fatalf("problem does not name path.id: %s", r.Body)
	}
}

func TestUpdateCustomerChangesOnlySentFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleOperador)
	c := createCustomer(t, e, tok, seedCustomer)
	path := "/billing/customers/" + c.ID.String()

	r := e.do(http.MethodPatch, path, tok, map[string]any{"email": "tesoreria@colegiolosandes.edu.co", "telefono": nil})
	wantStatus(t, r, http.StatusOK)
	u := decode[api.Customer](t, r)
	if *u.Email != "tesoreria@colegiolosandes.edu.co" || u.Telefono != nil {
		t.Fatalf("email/telefono not changed: %+v", u)
	}
	if u.RazonSocial != c.RazonSocial || u.Nit != c.Nit || *u.Direccion != *c.Direccion || u.Status != c.Status {
		t.Fatalf("fields not sent changed: %+v", u)
	}
	if !u.UpdatedAt.After(c.UpdatedAt) || !u.CreatedAt.Equal(c.CreatedAt) {
		t.Fatalf("timestamps: created %v→%v updated %v→%v", c.CreatedAt, u.CreatedAt, c.UpdatedAt, u.UpdatedAt)
	}

	// Deactivate, as the spec's PATCH example does; the customer stays readable.
	u = decode[api.Customer](t, e.do(http.MethodPatch, path, tok, map[string]any{"status": "INACTIVE"}))
	if u.Status != api.CustomerStatusINACTIVE {
		t.Fatalf("status %s, want INACTIVE", u.Status)
	}
	if got := decode[api.Customer](t, e.do(http.MethodGet, path, tok, nil)); got.Status != api.CustomerStatusINACTIVE {
		t.Fatalf("read back status %s", got.Status)
	}

	// An empty body, or one restating current values, writes nothing.
	same := decode[api.Customer](t, e.do(http.MethodPatch, path, tok, map[string]any{}))
	again := decode[api.Customer](t, e.do(http.MethodPatch, path, tok, map[string]any{"nit": c.Nit, "direccion": " Calle 45 # 12-30 "}))
	if !same.UpdatedAt.Equal(u.UpdatedAt) || !again.UpdatedAt.Equal(u.UpdatedAt) {
		t.Fatalf("a no-op PATCH moved updatedAt: %v, %v, %v", u.UpdatedAt, same.UpdatedAt, again.UpdatedAt)
	}
}

func TestUpdateCustomerRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleOperador)
	c := createCustomer(t, e, tok, seedCustomer)
	other := createCustomer(t, e, tok, map[string]any{"razonSocial": "Otro", "nit": "800197268"})
	path := "/billing/customers/" + c.ID.String()
	tests := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"nit of another customer", map[string]any{"nit": other.Nit}, 400, "customer_nit_taken"},
		{"wrong check digit", map[string]any{"nit": "800197268-5"}, 400, "nit_check_digit_invalid"},
		{"null name", map[string]any{"razonSocial": nil}, 400, "invalid_request"},
		{"unicode-blank name", map[string]any{"razonSocial": "\u2003"}, 400, "invalid_request"},
		{"null nit", map[string]any{"nit": nil}, 400, "invalid_request"},
		{"bad status", map[string]any{"status": "DELETED"}, 400, "invalid_request"},
		{"unknown field", map[string]any{"id": uuid.Nil}, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, e.do(http.MethodPatch, path, tok, tt.body), tt.status, tt.code)
		})
	}
	got := decode[api.Customer](t, e.do(http.MethodGet, path, tok, nil))
	if got.Nit != c.Nit || got.RazonSocial != c.RazonSocial || got.Status != c.Status || !got.UpdatedAt.Equal(c.UpdatedAt) {
		t.Fatalf("refused PATCHes changed the customer: %+v", got)
	}
	wantProblem(t, e.do(http.MethodPatch, "/billing/customers/"+uuid.Must(uuid.NewV7()).String(), tok, map[string]any{"status": "INACTIVE"}),
		http.StatusNotFound, "customer_not_found")
}

func TestDeleteCustomer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleAdmin)
	c := createCustomer(t, e, tok, seedCustomer)
	path := "/billing/customers/" + c.ID.String()
	r := e.do(http.MethodDelete, path, tok, nil)
	wantStatus(t, r, http.StatusNoContent)
	if len(r.Body) != 0 {
		t.Fatalf("204 with a body: %s", r.Body)
	}
	wantProblem(t, e.do(http.MethodGet, path, tok, nil), http.StatusNotFound, "customer_not_found")
	wantProblem(t, e.do(http.MethodDelete, path, tok, nil), http.StatusNotFound, "customer_not_found")
	// The nit is free again.
	createCustomer(t, e, tok, seedCustomer)
}
