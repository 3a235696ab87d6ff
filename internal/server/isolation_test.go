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
	path := "/billing/customers/" + c.Id.String()
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
	if cb.Id == c.Id {
		t.Fatal("tenants share a customer id")
	}
}
