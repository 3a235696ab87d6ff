package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"billing/internal/auth"
	"billing/openapi"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(http.MethodGet, "/healthz", "", nil)
	wantStatus(t, r, http.StatusOK)
	if string(r.Body) != "{\"status\":\"ok\"}\n" {
		t.Fatalf("healthz body %q", r.Body)
	}
	wantStatus(t, e.do(http.MethodGet, "/readyz", "", nil), http.StatusOK)
}

func TestReadyzAndErrorsWhenTheDatabaseIsGone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant := e.tenant("A")
	tok := e.token(tenant, auth.RoleAdmin)
	e.store.Close()
	wantProblem(t, e.do(http.MethodGet, "/readyz", "", nil), http.StatusServiceUnavailable, "not_ready")
	r := e.do(http.MethodGet, "/billing/customers", tok, nil)
	p := wantProblem(t, r, http.StatusInternalServerError, "internal_error")
	body := strings.ToLower(string(r.Body))
	for _, leak := range []string{"pool", "sql", "pgx", "closed", "tenant"} {
		if strings.Contains(body, leak) || strings.Contains(strings.ToLower(p.Detail), leak) {
			t.Fatalf("500 leaks %q: %s", leak, r.Body)
		}
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wantProblem(t, e.do(http.MethodGet, "/nope", "", nil), http.StatusNotFound, "route_not_found")
	wantProblem(t, e.do(http.MethodGet, "/billing/customers/a/b", "", nil), http.StatusNotFound, "route_not_found")
	r := e.do(http.MethodPut, "/billing/customers", "", nil)
	wantProblem(t, r, http.StatusMethodNotAllowed, "method_not_allowed")
	if r.Header.Get("Allow") != "GET, POST" {
		t.Fatalf("Allow %q", r.Header.Get("Allow"))
	}
	wantProblem(t, e.do(http.MethodPatch, "/billing/customers", "", nil), http.StatusMethodNotAllowed, "method_not_allowed")
	r = e.do(http.MethodPost, "/billing/customers/0193a1c2-7d4e-7a10-9c55-2f1e0b6d8a01", "", nil)
	wantProblem(t, r, http.StatusMethodNotAllowed, "method_not_allowed")
	if r.Header.Get("Allow") != "GET, PATCH, DELETE" {
		t.Fatalf("Allow %q", r.Header.Get("Allow"))
	}
}

func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleAdmin)
	big := `{"razonSocial":"` + strings.Repeat("a", 1<<20) + `","nit":"123456"}`
	wantProblem(t, e.do(http.MethodPost, "/billing/customers", tok, big), http.StatusRequestEntityTooLarge, "body_too_large")
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(http.MethodGet, "/healthz", "", nil, "X-Request-Id", "trace-123.abc")
	if got := r.Header.Get("X-Request-Id"); got != "trace-123.abc" {
		t.Fatalf("caller's request id not echoed: %q", got)
	}
	for _, bad := range []string{"", "has space", strings.Repeat("x", 129), "new\nline"} {
		r := e.do(http.MethodGet, "/healthz", "", nil, "X-Request-Id", bad)
		if got := r.Header.Get("X-Request-Id"); got == bad || got == "" {
			t.Fatalf("request id %q kept or missing: %q", bad, got)
		}
	}
}

func TestPublishedContractAndDocs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(http.MethodGet, "/openapi.yaml", "", nil)
	wantStatus(t, r, http.StatusOK)
	if !bytes.Equal(r.Body, openapi.YAML) {
		t.Fatal("/openapi.yaml is not the contract as written")
	}
	r = e.do(http.MethodGet, "/openapi.json", "", nil)
	wantStatus(t, r, http.StatusOK)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil || doc.OpenAPI != "3.0.3" || doc.Paths["/billing/invoices"]["post"] == nil {
		t.Fatalf("/openapi.json: %v %s", err, r.Body[:min(200, len(r.Body))])
	}

	r = e.do(http.MethodGet, "/docs/", "", nil)
	wantStatus(t, r, http.StatusOK)
	page := string(r.Body)
	if !strings.Contains(page, "/openapi.json") || !regexp.MustCompile(`validatorUrl"?:\s*null`).MatchString(page) {
		t.Fatalf("docs page does not load our spec offline:\n%s", page)
	}
	// Every script and stylesheet is served by the binary itself.
	assets := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(assets) == 0 {
		t.Fatal("no assets referenced")
	}
	for _, m := range assets {
		if strings.HasPrefix(m[1], "http://") || strings.HasPrefix(m[1], "https://") || strings.HasPrefix(m[1], "//") {
			t.Fatalf("docs page references an outside asset %s", m[1])
		}
		if a := e.do(http.MethodGet, m[1], "", nil); a.Status != http.StatusOK || len(a.Body) == 0 {
			t.Fatalf("asset %s: %d", m[1], a.Status)
		}
	}
}

// TestDocsTryItOutOnAnyAddress: the published contract's servers are
// relative, so the docs page's "Try it out" sends its requests to whatever
// host and port served the page. Swagger UI resolves a server URL against
// the document's own URL; this does the same against a real listener on a
// random port (and two other origins), then calls the API at the result.
func TestDocsTryItOutOnAnyAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		Servers []struct{ URL string } `json:"servers"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || len(doc.Servers) == 0 {
		t.Fatalf("servers of /openapi.json: %+v, %v", doc.Servers, err)
	}
	for _, s := range doc.Servers {
		for _, page := range []string{srv.URL + "/openapi.json", "http://127.0.0.1:18080/openapi.json", "http://localhost:9999/openapi.json"} {
			base, _ := url.Parse(page)
			ref, err := url.Parse(s.URL)
			if err != nil {
				t.Fatalf("server URL %q: %v", s.URL, err)
			}
			if got := base.ResolveReference(ref); got.Host != base.Host || got.Scheme != base.Scheme {
				t.Fatalf("from %s, server %q sends requests to %s", page, s.URL, got)
			}
		}
		target, _ := url.Parse(srv.URL + "/openapi.json")
		ref, _ := url.Parse(strings.TrimSuffix(s.URL, "/") + "/healthz")
		r, err := http.Get(target.ResolveReference(ref).String())
		if err != nil || r.StatusCode != http.StatusOK {
			t.Fatalf("the API at server %q answered %v, %v", s.URL, r, err)
		}
		r.Body.Close()
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.tenant("A"), auth.RoleViewer)
	wantStatus(t, e.do(http.MethodGet, "/billing/customers", tok, nil), http.StatusOK)
	wantStatus(t, e.do(http.MethodGet, "/billing/customers", "", nil), http.StatusUnauthorized)
	for _, junk := range []string{"FOO1", "FOO2"} {
		wantStatus(t, e.do(junk, "/billing/customers", "", nil), http.StatusMethodNotAllowed)
	}
	r := e.do(http.MethodGet, "/metrics", "", nil)
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{
		`billing_http_requests_total{method="GET",operation="ListCustomers",status="200"} 1`,
		`billing_http_requests_total{method="GET",operation="ListCustomers",status="401"} 1`,
		`billing_http_request_duration_seconds_bucket{operation="ListCustomers",le="+Inf"} 2`,
		`billing_http_requests_total{method="OTHER",operation="none",status="405"} 2`,
		"billing_db_pool_max_connections",
		"billing_db_pool_acquires_total",
		"go_goroutines",
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
