package server_test

import (
	"net/http"
	"testing"

	"billing/gen/api"
	"billing/internal/auth"
)

// TestPaymentMethods: a tenant starts with its four methods (cash into the
// drawer); a new one is added with a unique name (case-insensitive) and
// DIAN's code, efectivo defaulting to code 10 only; a PATCH renames or
// deactivates one; another tenant's method is not found.
func TestPaymentMethods(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	list := func(token string) []api.PaymentMethod {
		t.Helper()
		return decode[[]api.PaymentMethod](t, l.e.do(http.MethodGet, "/billing/payment-methods", token, nil))
	}
	got := map[string]api.PaymentMethod{}
	var names []string
	for _, m := range list(l.e.token(l.tenant, auth.RoleViewer)) {
		got[m.Nombre] = m
		names = append(names, m.Nombre)
	}
	want := []struct {
		nombre   string
		codigo   api.MedioPago
		efectivo bool
	}{{"Efectivo", "10", true}, {"Tarjeta crédito", "48", false}, {"Tarjeta débito", "49", false}, {"Transferencia", "47", false}}
	if len(names) != len(want) {
		t.Fatalf("seeded %v", names)
	}
	for i, w := range want {
		m := got[w.nombre]
		if names[i] != w.nombre || m.Codigo != w.codigo || m.Efectivo != w.efectivo || !m.Activo {
			t.Fatalf("seeded #%d: %+v, want %+v (order %v)", i, m, w, names)
		}
	}

	r := l.e.do(http.MethodPost, "/billing/payment-methods", l.admin, api.CreatePaymentMethod{Nombre: "  Nequi ", Codigo: api.MedioPagoN47})
	wantStatus(t, r, http.StatusCreated)
	nequi := decode[api.PaymentMethod](t, r)
	if nequi.Nombre != "Nequi" || nequi.Efectivo || !nequi.Activo {
		t.Fatalf("created %+v", nequi)
	}
	caja := decode[api.PaymentMethod](t, l.e.do(http.MethodPost, "/billing/payment-methods", l.admin,
		api.CreatePaymentMethod{Nombre: "Caja menor", Codigo: api.MedioPagoN10}))
	if !caja.Efectivo {
		t.Fatal("a code-10 method is not cash by default")
	}
	wantProblem(t, l.e.do(http.MethodPost, "/billing/payment-methods", l.admin, api.CreatePaymentMethod{Nombre: "NEQUI", Codigo: api.MedioPagoN48}),
		http.StatusConflict, "payment_method_name_taken")
	wantStatus(t, l.e.do(http.MethodPost, "/billing/payment-methods", l.admin, map[string]any{"nombre": "Bitcoin", "codigo": "99"}), http.StatusBadRequest)
	wantStatus(t, l.e.do(http.MethodPost, "/billing/payment-methods", l.admin, map[string]any{"nombre": " ", "codigo": "10"}), http.StatusBadRequest)

	r = l.e.do(http.MethodPatch, "/billing/payment-methods/"+nequi.ID.String(), l.admin, api.UpdatePaymentMethod{Activo: ptr(false), Nombre: ptr("Nequi empresas")})
	wantStatus(t, r, http.StatusOK)
	if m := decode[api.PaymentMethod](t, r); m.Activo || m.Nombre != "Nequi empresas" || m.Codigo != "47" || !m.UpdatedAt.After(nequi.UpdatedAt) {
		t.Fatalf("patched %+v", m)
	}
	wantProblem(t, l.e.do(http.MethodPatch, "/billing/payment-methods/"+nequi.ID.String(), l.admin, api.UpdatePaymentMethod{Nombre: ptr("efectivo")}),
		http.StatusConflict, "payment_method_name_taken")

	other := l.e.token(l.e.tenant("B"), auth.RoleAdmin)
	if n := len(list(other)); n != 4 {
		t.Fatalf("the other tenant sees %d methods", n)
	}
	wantProblem(t, l.e.do(http.MethodPatch, "/billing/payment-methods/"+nequi.ID.String(), other, api.UpdatePaymentMethod{Activo: ptr(true)}),
		http.StatusNotFound, "payment_method_not_found")
	if m := list(l.admin); len(m) != 6 {
		t.Fatalf("%d methods after the other tenant's attempt", len(m))
	}
}
