package server_test

import (
	"bytes"
	"net/http"
	"testing"

	"billing/gen/api"
	"billing/internal/auth"
)

// TestTenantIsolation: tenant B, even as ADMIN, can neither see, change nor
// delete tenant A's customers; each attempt answers exactly like a missing
// id, and A's data stays byte-for-byte the same.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := e.tenant("A"), e.tenant("B")
	adminA, adminB := e.token(a, auth.RoleAdmin), e.token(b, auth.RoleAdmin)
	c := createCustomer(t, e, adminA, seedCustomer)
	path := "/billing/customers/" + c.ID.String()
	before := e.do(http.MethodGet, path, adminA, nil)
	listBefore := e.do(http.MethodGet, "/billing/customers", adminA, nil)

	attempts := []struct {
		method string
		body   any
	}{
		{http.MethodGet, nil},
		{http.MethodPatch, map[string]any{"razonSocial": "Robado", "status": "INACTIVE"}},
		{http.MethodPatch, map[string]any{}},
		{http.MethodDelete, nil},
	}
	for _, at := range attempts {
		r := e.do(at.method, path, adminB, at.body)
		p := wantProblem(t, r, http.StatusNotFound, "customer_not_found")
		if p.Detail != "Customer not found." {
			t.Fatalf("%s of another tenant's customer is distinguishable: %s", at.method, r.Body)
		}
	}
	for _, q := range []string{"", "?search=Colegio", "?search=900123456"} {
		if list := decode[[]api.Customer](t, e.do(http.MethodGet, "/billing/customers"+q, adminB, nil)); len(list) != 0 {
			t.Fatalf("tenant B lists tenant A's customers with %q: %+v", q, list)
		}
	}
	after := e.do(http.MethodGet, path, adminA, nil)
	listAfter := e.do(http.MethodGet, "/billing/customers", adminA, nil)
	if !bytes.Equal(before.Body, after.Body) || !bytes.Equal(listBefore.Body, listAfter.Body) {
		t.Fatalf("tenant A's data changed:\n%s\n%s", before.Body, after.Body)
	}

	// The same nit is free in another tenant: uniqueness is per tenant.
	cb := createCustomer(t, e, adminB, seedCustomer)
	if cb.ID == c.ID {
		t.Fatal("tenants share a customer id")
	}
}

// TestTenantIsolationOfTheLedger: with tenant A's product and invoice ids,
// tenant B's ADMIN gets 404 (or, inside a body, the documented 400) on every
// operation, and A's ledger stays byte-for-byte the same.
func TestTenantIsolationOfTheLedger(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := e.tenant("A"), e.tenant("B")
	f := newFixture(t, e, a)
	adminB := e.token(b, auth.RoleAdmin)
	before := snapshot(t, e, a, f)

	ownCustomer := createCustomer(t, e, adminB, map[string]any{"razonSocial": "Propio", "nit": "70111222"})
	line := map[string]any{"descripcion": "x", "cantidad": 1, "valorUnitario": 1}
	attempts := []struct {
		method, path string
		body         any
		status       int
		code         string
	}{
		{http.MethodGet, "/billing/products/" + f.product, nil, 404, "product_not_found"},
		{http.MethodPatch, "/billing/products/" + f.product, map[string]any{"precio": 1, "activo": false}, 404, "product_not_found"},
		{http.MethodGet, "/billing/invoices/" + f.invoice, nil, 404, "invoice_not_found"},
		{http.MethodGet, "/billing/invoices/" + f.invoice + "/history", nil, 404, "invoice_not_found"},
		{http.MethodPut, "/billing/invoices/" + f.invoice, invoiceBody(ownCustomer.ID.String(), "FV-B", line), 404, "invoice_not_found"},
		{http.MethodPatch, "/billing/invoices/" + f.invoice + "/status", map[string]any{"status": "CANCELLED"}, 404, "invoice_not_found"},
		{http.MethodDelete, "/billing/customers/" + f.customer, nil, 404, "customer_not_found"},
		// Another tenant's ids inside a body are unknown ids.
		{http.MethodPost, "/billing/invoices", invoiceBody(f.customer, "FV-B", line), 400, "customer_not_found"},
		{http.MethodPost, "/billing/invoices", invoiceBody(ownCustomer.ID.String(), "FV-B", map[string]any{"productServiceId": f.product, "cantidad": 1}), 400, "product_not_found"},
	}
	for _, at := range attempts {
		wantProblem(t, e.do(at.method, at.path, adminB, at.body), at.status, at.code)
	}
	for _, list := range []string{"/billing/products", "/billing/invoices", "/billing/invoices?status=DRAFT"} {
		if r := e.do(http.MethodGet, list, adminB, nil); string(r.Body) != "[]\n" {
			t.Fatalf("tenant B's %s shows %s", list, r.Body)
		}
	}
	if d := decode[api.Dashboard](t, e.do(http.MethodGet, "/billing/dashboard", adminB, nil)); d.ClientesActivos != 1 || d.FacturasBorrador != 0 {
		t.Fatalf("tenant B's dashboard counts A's data: %+v", d)
	}
	if after := snapshot(t, e, a, f); after != before {
		t.Fatalf("tenant A's ledger changed:\n%s\n%s", before, after)
	}
	// The same numero is free in another tenant.
	createInvoice(t, e, adminB, invoiceBody(ownCustomer.ID.String(), "FV-0001", line))
}
