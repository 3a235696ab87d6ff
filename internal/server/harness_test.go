package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/dianfake"
	uc "billing/internal/ledger"
	"billing/internal/mailcatch"
	"billing/internal/secret"
	"billing/internal/server"
	"billing/internal/store"
	"billing/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var testSecret = []byte("test-secret-test-secret-test-secret!")

// env is one test's service: its own database, the real Echo stack, real
// HS256 tokens.
type env struct {
	t      testing.TB
	h      *server.Handler
	store  *store.Store
	dsn    string
	cfg    auth.Config
	router routers.Router
	dian   *dianfake.Fake     // DIAN's test double, once startWorkers started it
	mail   *mailcatch.Catcher // the SMTP server mail goes to, once startWorkers started it
}

// envConfig is what an env is built with: the verifier's configuration,
// and whether the service has a BILLING_SECRET_KEY (it has by default).
type envConfig struct {
	auth      auth.Config
	noSecrets bool
}

type envOption func(*envConfig)

// withAuth changes the verifier's configuration.
func withAuth(f func(*auth.Config)) envOption { return func(c *envConfig) { f(&c.auth) } }

// withoutSecretKey is a service started without BILLING_SECRET_KEY.
func withoutSecretKey(c *envConfig) { c.noSecrets = true }

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	ctx := context.Background()
	dsn := testdb.DSN(t)
	ec := envConfig{auth: auth.Config{Secret: testSecret}}
	for _, o := range opts {
		o(&ec)
	}
	var storeOpts []store.Option
	if !ec.noSecrets {
		box, err := secret.NewBox(secret.NewKey())
		if err != nil {
			t.Fatal(err)
		}
		storeOpts = append(storeOpts, store.WithSecrets(box))
	}
	// Under TEST_PG_POOLER the service goes through PgBouncer; e.dsn, for
	// what the tests do beside it, stays direct.
	serviceDSN, pooled := testdb.Pooled(dsn)
	if pooled {
		storeOpts = append(storeOpts, store.WithTransactionPooler())
	}
	st, err := store.Open(ctx, serviceDSN, storeOpts...)
	if err != nil {
		t.Fatalf("opening store: %v", err)
	}
	t.Cleanup(st.Close)
	cfg := ec.auth
	v, err := auth.NewVerifier(ctx, cfg)
	if err != nil {
		t.Fatalf("building verifier: %v", err)
	}
	t.Cleanup(v.Close)
	// Webhook receivers are real servers on loopback, as
	// BILLING_WEBHOOKS_ALLOW_LOOPBACK=on allows.
	h, err := server.New(server.Config{Ledger: uc.New(st, uc.Options{AllowLoopbackWebhooks: true}), Verifier: v, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		PoolStats: func() server.PoolStats { return server.PoolStats(st.PoolStats()) }})
	if err != nil {
		t.Fatalf("building server: %v", err)
	}
	return &env{t: t, h: h, store: st, dsn: dsn, cfg: cfg, router: specRouter(t)}
}

func specRouter(t testing.TB) routers.Router {
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatalf("loading spec: %v", err)
	}
	spec.Servers = nil
	r, err := legacy.NewRouter(spec)
	if err != nil {
		t.Fatalf("building router: %v", err)
	}
	return r
}

// tenant creates an ACTIVE tenant and returns its id.
func (e *env) tenant(name string) uuid.UUID {
	e.t.Helper()
	tn, err := e.store.CreateTenant(context.Background(), name)
	if err != nil {
		e.t.Fatalf("creating tenant: %v", err)
	}
	return tn.ID
}

// token signs a token for role in tenant, with the env's issuer and audience.
func (e *env) token(tenant uuid.UUID, role auth.Role) string {
	e.t.Helper()
	tok, err := auth.Sign(testSecret, auth.Principal{Subject: "user-" + strings.ToLower(string(role)), TenantID: tenant, Role: role}, time.Hour, e.cfg.Issuer, e.cfg.Audience)
	if err != nil {
		e.t.Fatalf("signing token: %v", err)
	}
	return tok
}

// response is a recorded answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) problem(t *testing.T) api.Problem {
	t.Helper()
	var p api.Problem
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, r.Body)
	}
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("decoding problem %s: %v", r.Body, err)
	}
	return p
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	return decodeTB[T](t, r)
}

func decodeTB[T any](t testing.TB, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("decoding %s: %v", r.Body, err)
	}
	return v
}

// do sends a request through the whole Echo stack. body is sent as is when it
// is a string, else as JSON. Every answer to a request the spec knows is
// checked against the spec's declared responses, so a handler cannot drift
// from the contract without failing a test.
func (e *env) do(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatalf("encoding body: %v", err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	e.checkContract(method, path, raw, res)
	return res
}

func (e *env) checkContract(method, path string, reqBody []byte, res response) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(reqBody))
	route, params, err := e.router.FindRoute(req)
	if err == nil && slices.Contains(slices.Collect(maps.Values(params)), "") {
		// kin-openapi lets {id} match an empty segment; the service does not.
		err = routers.ErrPathNotFound
	}
	if err != nil && published(path) {
		return
	}
	if err != nil {
		// Not an operation of the spec (unknown route or method): the answer
		// must still be a problem document.
		if res.Header.Get("Content-Type") != "application/problem+json" {
			e.t.Errorf("%s %s: non-problem answer %d %s", method, path, res.Status, res.Body)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status:  res.Status,
		Header:  res.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(res.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		e.t.Errorf("%s %s: answer %d breaks the contract: %v\nbody: %s", method, path, res.Status, err, res.Body)
	}
	// kin-openapi checks the headers a response declares, not the ones it
	// does not: an undeclared header fails here. X-Request-Id is on every
	// answer, as info.description says.
	declared := map[string]bool{"Content-Type": true, "Content-Length": true, "X-Request-Id": true}
	if ref := route.Operation.Responses.Status(res.Status); ref != nil && ref.Value != nil {
		for name := range ref.Value.Headers {
			declared[http.CanonicalHeaderKey(name)] = true
		}
	}
	for name := range res.Header {
		if !declared[http.CanonicalHeaderKey(name)] {
			e.t.Errorf("%s %s: answer %d has the undeclared header %s", method, path, res.Status, name)
		}
	}
}

// published reports whether path is served outside the contract: the
// contract itself, the docs page and metrics.
func published(path string) bool {
	for _, p := range []string{"/openapi.yaml", "/openapi.json", "/docs", "/metrics"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// wantStatus fails the test unless r has the given status.
func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
}

// wantProblem fails the test unless r is a problem with status and code.
func wantProblem(t *testing.T, r response, status int, code string) api.Problem {
	t.Helper()
	wantStatus(t, r, status)
	p := r.problem(t)
	if p.Code != code {
		t.Fatalf("problem code %q, want %q; body %s", p.Code, code, r.Body)
	}
	if p.Status != status || p.Type != "about:blank" || p.Title != http.StatusText(status) {
		t.Fatalf("malformed problem %s", r.Body)
	}
	if p.RequestID == nil || *p.RequestID != r.Header.Get("X-Request-Id") {
		t.Fatalf("problem requestId does not match the X-Request-Id header: %s", r.Body)
	}
	return p
}

// numeroOf reads an optional numero ("" when absent).
func numeroOf(n *string) string {
	if n == nil {
		return ""
	}
	return *n
}
