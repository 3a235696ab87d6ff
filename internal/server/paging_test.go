package server_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
)

var nextRel = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// walk follows Link rel="next" from first to the end and returns every
// page's ids.
func walk[T any](t *testing.T, e *env, token, first string, id func(T) uuid.UUID) [][]uuid.UUID {
	t.Helper()
	var pages [][]uuid.UUID
	for url := first; url != ""; {
		r := e.do(http.MethodGet, url, token, nil)
		wantStatus(t, r, http.StatusOK)
		var ids []uuid.UUID
		for _, row := range decode[[]T](t, r) {
			ids = append(ids, id(row))
		}
		pages = append(pages, ids)
		url = ""
		if link := r.Header.Get("Link"); link != "" {
			m := nextRel.FindStringSubmatch(link)
			if m == nil {
				t.Fatalf("malformed Link %q", link)
			}
			url = m[1]
		}
		if len(pages) > 50 {
			t.Fatal("paging does not end")
		}
	}
	return pages
}

func flatten(pages [][]uuid.UUID) []uuid.UUID {
	var all []uuid.UUID
	for _, p := range pages {
		all = append(all, p...)
	}
	return all
}

func TestPagingCustomers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.tenant("A"), auth.RoleAdmin)
	// Equal names, so the id tie-break is exercised too.
	for i := 0; i < 7; i++ {
		createCustomer(t, e, admin, map[string]any{"razonSocial": fmt.Sprintf("Colegio %d", i%3), "nit": fmt.Sprintf("9000%02d", i)})
	}
	createCustomer(t, e, admin, map[string]any{"razonSocial": "Otro", "nit": "555555"})
	id := func(c api.Customer) uuid.UUID { return c.ID }
	whole := walk(t, e, admin, "/billing/customers?search=colegio&limit=500", id)
	pages := walk(t, e, admin, "/billing/customers?search=colegio&limit=3", id)
	if len(whole) != 1 || len(whole[0]) != 7 {
		t.Fatalf("one big page: %v", whole)
	}
	if len(pages) != 3 || len(pages[0]) != 3 || len(pages[2]) != 1 {
		t.Fatalf("pages of 3: %v", pages)
	}
	if !slices.Equal(flatten(pages), whole[0]) {
		t.Fatalf("pages %v differ from the whole list %v", pages, whole[0])
	}
	// The search carries into the next link; no Link on the last page.
	if link := e.do(http.MethodGet, "/billing/customers?search=colegio&limit=3", admin, nil).Header.Get("Link"); !strings.Contains(link, "search=colegio") {
		t.Fatalf("Link %q lost the search", link)
	}
	r := e.do(http.MethodGet, "/billing/customers?limit=8", admin, nil)
	if r.Header.Get("Link") != "" {
		t.Fatalf("a Link on the last page: %q", r.Header.Get("Link"))
	}
}

func TestPagingProductsAndBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.tenant("A"), auth.RoleAdmin)
	for i := 0; i < 5; i++ {
		createProduct(t, e, admin, map[string]any{"nombre": fmt.Sprintf("Producto %d", i), "precio": i})
	}
	pages := walk(t, e, admin, "/billing/products?limit=2", func(p api.Product) uuid.UUID { return p.ID })
	if len(pages) != 3 || len(flatten(pages)) != 5 {
		t.Fatalf("pages %v", pages)
	}
	for _, bad := range []string{"limit=0", "limit=501", "limit=x", "cursor=!!!", "cursor=bm90LWpzb24", "cursor=eyJsIjoiaW52b2ljZXMiLCJrIjoiMjAyNiIsImkiOiIwMTkzYTFjMi03ZDRlLTdhMTAtOWM1NS0yZjFlMGI2ZDhhMDEifQ"} {
		r := e.do(http.MethodGet, "/billing/products?"+bad, admin, nil)
		if r.Status != http.StatusBadRequest {
			t.Fatalf("%s: status %d %s", bad, r.Status, r.Body)
		}
	}
}

// TestPagingInvoicesStableUnderInserts: invoices created while a client
// pages through the list neither repeat nor push rows off the pages.
func TestPagingInvoicesStableUnderInserts(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	line := map[string]any{"descripcion": "x", "cantidad": 1, "valorUnitario": 1}
	var created []uuid.UUID
	for i := 0; i < 6; i++ {
		created = append(created, createInvoice(t, l.e, l.operador, invoiceBody(l.customer.ID.String(), fmt.Sprintf("FV-%d", i), line)).ID)
	}
	r := l.e.do(http.MethodGet, "/billing/invoices?limit=4", l.admin, nil)
	first := decode[[]api.InvoiceSummary](t, r)
	m := nextRel.FindStringSubmatch(r.Header.Get("Link"))
	if len(first) != 4 || m == nil {
		t.Fatalf("first page %d rows, Link %q", len(first), r.Header.Get("Link"))
	}
	// Newer invoices arrive between the pages.
	for i := 6; i < 9; i++ {
		createInvoice(t, l.e, l.operador, invoiceBody(l.customer.ID.String(), fmt.Sprintf("FV-%d", i), line))
	}
	second := decode[[]api.InvoiceSummary](t, l.e.do(http.MethodGet, m[1], l.admin, nil))
	var got []uuid.UUID
	for _, s := range append(first, second...) {
		got = append(got, s.ID)
	}
	slices.Reverse(created)
	if !slices.Equal(got, created) {
		t.Fatalf("pages %v, want the original six newest first %v", got, created)
	}
	// With a status filter the link keeps it.
	r = l.e.do(http.MethodGet, "/billing/invoices?status=DRAFT&limit=1", l.admin, nil)
	if link := r.Header.Get("Link"); !regexp.MustCompile(`status=DRAFT`).MatchString(link) {
		t.Fatalf("Link %q lost the status filter", link)
	}
}
