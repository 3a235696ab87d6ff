package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"billing/gen/api"
	"billing/internal/auth"
)

func TestIdempotentCreates(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	post := func(path, token, key string, body any) response {
		return l.e.do(http.MethodPost, path, token, body, "Idempotency-Key", key)
	}
	// Same key, same body: the first answer again, and one write.
	first := post("/billing/invoices", l.operador, "inv-1", l.seedInvoice("FV-IDEM"))
	wantStatus(t, first, http.StatusCreated)
	if first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("a first answer marked as replayed")
	}
	again := post("/billing/invoices", l.operador, "inv-1", l.seedInvoice("FV-IDEM"))
	wantStatus(t, again, http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Fatalf("replay differs:\n%s\n%s", first.Body, again.Body)
	}
	if list := decode[[]api.InvoiceSummary](t, l.e.do(http.MethodGet, "/billing/invoices", l.admin, nil)); len(list) != 1 {
		t.Fatalf("%d invoices after a retried create", len(list))
	}

	// Same key, another body: refused, nothing written.
	other := l.seedInvoice("FV-OTRA")
	wantProblem(t, post("/billing/invoices", l.operador, "inv-1", other), http.StatusUnprocessableEntity, "idempotency_key_reused")
	// A key names one request: reusing it on another endpoint is refused too.
	wantProblem(t, post("/billing/customers", l.operador, "inv-1", map[string]any{"razonSocial": "X", "nit": "123456"}),
		http.StatusUnprocessableEntity, "idempotency_key_reused")

	// Keys are per tenant: tenant B's "inv-1" is its own.
	b := l.e.tenant("B")
	bTok := l.e.token(b, auth.RoleAdmin)
	r := post("/billing/customers", bTok, "inv-1", map[string]any{"razonSocial": "X", "nit": "123456"})
	wantStatus(t, r, http.StatusCreated)
	if r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("tenant B got tenant A's stored answer")
	}

	// A failed request stores nothing: the key stays free.
	wantProblem(t, post("/billing/customers", l.admin, "cust-1", seedCustomer), http.StatusBadRequest, "customer_nit_taken")
	wantStatus(t, post("/billing/customers", l.admin, "cust-1", map[string]any{"razonSocial": "Nuevo", "nit": "654321"}), http.StatusCreated)

	// A malformed key is a bad request.
	p := wantProblem(t, post("/billing/products", l.admin, strings.Repeat("k", 256), map[string]any{"nombre": "X", "precio": 1}),
		http.StatusBadRequest, "invalid_request")
	if (*p.Errors)[0].Field != "header.Idempotency-Key" {
		t.Fatalf("errors %+v", *p.Errors)
	}
}

func TestIdempotencyKeyInProgressAndExpiry(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, l.e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	body := map[string]any{"nombre": "Uniforme", "precio": 120000}
	lock := "SELECT pg_advisory_lock(hashtextextended($1, 0))"
	name := l.tenant.String() + ":prod-1"
	// Another request holds the key: 409, nothing written.
	if _, err := conn.Exec(ctx, lock, name); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, l.e.do(http.MethodPost, "/billing/products", l.admin, body, "Idempotency-Key", "prod-1"), http.StatusConflict, "idempotency_in_progress")
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", name); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, l.e.do(http.MethodPost, "/billing/products", l.admin, body, "Idempotency-Key", "prod-1"), http.StatusCreated)
	wantStatus(t, l.e.do(http.MethodPost, "/billing/products", l.admin, body, "Idempotency-Key", "prod-1"), http.StatusCreated)
	if n := len(decode[[]api.Product](t, l.e.do(http.MethodGet, "/billing/products", l.admin, nil))); n != 2 { // the ledger's own + 1
		t.Fatalf("%d products, want 2", n)
	}
	// After 24 hours the key is forgotten: the same request runs again.
	if _, err := conn.Exec(ctx, "UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"); err != nil {
		t.Fatal(err)
	}
	r := l.e.do(http.MethodPost, "/billing/products", l.admin, body, "Idempotency-Key", "prod-1")
	wantStatus(t, r, http.StatusCreated)
	if r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("an expired key was replayed")
	}
	if n := len(decode[[]api.Product](t, l.e.do(http.MethodGet, "/billing/products", l.admin, nil))); n != 3 {
		t.Fatalf("%d products, want 3", n)
	}
}
