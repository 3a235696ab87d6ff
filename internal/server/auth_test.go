package server_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"billing/gen/api"
	"billing/gen/db"
	"billing/internal/auth"
)

// rawToken signs arbitrary claims, for tokens the service must refuse.
func rawToken(t *testing.T, alg jwa.SignatureAlgorithm, key any, claims map[string]any) string {
	t.Helper()
	tok := jwt.New()
	for k, v := range claims {
		if err := tok.Set(k, v); err != nil {
			t.Fatalf("setting %s: %v", k, err)
		}
	}
	signed, err := jwt.Sign(tok, jwt.WithKey(alg, key))
	if err != nil {
		t.Fatalf("signing: %v", err)
	}
	return string(signed)
}

func validClaims(tenant uuid.UUID) map[string]any {
	return map[string]any{
		"sub":       "someone",
		"tenant_id": tenant.String(),
		"role":      "ADMIN",
		"exp":       time.Now().Add(time.Hour),
	}
}

func with(claims map[string]any, key string, value any) map[string]any {
	out := map[string]any{}
	for k, v := range claims {
		out[k] = v
	}
	if value == nil {
		delete(out, key)
	} else {
		out[key] = value
	}
	return out
}

// noneToken is an unsigned token (alg "none"), built by hand because jwx
// refuses to make one.
func noneToken(tenant uuid.UUID) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	payload := enc.EncodeToString([]byte(`{"sub":"x","role":"ADMIN","tenant_id":"` + tenant.String() + `","exp":4102444800}`))
	return header + "." + payload + "."
}

func TestTokensRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant := e.tenant("A")
	good := validClaims(tenant)
	tests := []struct {
		name   string
		header string
		status int
		code   string
	}{
		{"missing", "", 401, "token_missing"},
		{"not bearer", "Basic dXNlcjpwYXNz", 401, "token_invalid"},
		{"bearer without token", "Bearer ", 401, "token_invalid"},
		{"malformed", "Bearer not.a.jwt", 401, "token_invalid"},
		{"garbage", "Bearer " + strings.Repeat("x", 300), 401, "token_invalid"},
		{"bad signature", "Bearer " + rawToken(t, jwa.HS256(), []byte("another-secret-another-secret-another"), good), 401, "token_invalid"},
		{"alg none", "Bearer " + noneToken(tenant), 401, "token_invalid"},
		{"HS384 with our secret", "Bearer " + rawToken(t, jwa.HS384(), testSecret, good), 401, "token_invalid"},
		{"expired", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "exp", time.Now().Add(-time.Hour))), 401, "token_expired"},
		{"not yet valid", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "nbf", time.Now().Add(time.Hour))), 401, "token_invalid"},
		{"no exp", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "exp", nil)), 401, "token_invalid"},
		{"no sub", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "sub", nil)), 401, "token_invalid"},
		{"no tenant", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "tenant_id", nil)), 401, "token_invalid"},
		{"tenant not a uuid", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "tenant_id", "acme")), 401, "token_invalid"},
		{"no role", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "role", nil)), 401, "token_invalid"},
		{"unknown role", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "role", "SUPERUSER")), 403, "role_forbidden"},
		{"lower-case role", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "role", "admin")), 403, "role_forbidden"},
		{"unknown tenant", "Bearer " + rawToken(t, jwa.HS256(), testSecret, with(good, "tenant_id", uuid.Must(uuid.NewV7()).String())), 403, "tenant_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(http.MethodGet, "/billing/customers", "", nil, "Authorization", tt.header)
			wantProblem(t, r, tt.status, tt.code)
			if tt.status == 401 && !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("401 without WWW-Authenticate: %v", r.Header)
			}
		})
	}
	// The same claims, well signed, pass.
	wantStatus(t, e.do(http.MethodGet, "/billing/customers", rawToken(t, jwa.HS256(), testSecret, good), nil), http.StatusOK)
}

func TestIssuerAndAudienceWhenConfigured(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *auth.Config) { c.Issuer, c.Audience = "https://id.nitida.test", "billing" })
	tenant := e.tenant("A")
	good := with(with(validClaims(tenant), "iss", "https://id.nitida.test"), "aud", []string{"billing"})
	tests := []struct {
		name   string
		claims map[string]any
		status int
	}{
		{"both right", good, 200},
		{"wrong issuer", with(good, "iss", "https://evil.test"), 401},
		{"no issuer", with(good, "iss", nil), 401},
		{"wrong audience", with(good, "aud", []string{"payroll"}), 401},
		{"no audience", with(good, "aud", nil), 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(http.MethodGet, "/billing/customers", rawToken(t, jwa.HS256(), testSecret, tt.claims), nil)
			wantStatus(t, r, tt.status)
		})
	}
	// The harness's own tokens carry the configured iss and aud.
	wantStatus(t, e.do(http.MethodGet, "/billing/customers", e.token(tenant, auth.RoleViewer), nil), http.StatusOK)
}

func TestInactiveTenantRefusedAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant := e.tenant("A")
	tok := e.token(tenant, auth.RoleAdmin)
	wantStatus(t, e.do(http.MethodGet, "/billing/customers", tok, nil), http.StatusOK)
	setStatus := func(s string) {
		if _, err := e.store.Queries().SetTenantStatus(context.Background(), db.SetTenantStatusParams{ID: tenant, Status: s}); err != nil {
			t.Fatalf("setting tenant status: %v", err)
		}
	}
	setStatus("INACTIVE")
	wantProblem(t, e.do(http.MethodGet, "/billing/customers", tok, nil), http.StatusForbidden, "tenant_inactive")
	r := e.do(http.MethodPost, "/billing/customers", tok, seedCustomer)
	wantProblem(t, r, http.StatusForbidden, "tenant_inactive")
	setStatus("ACTIVE")
	if list := decode[[]api.Customer](t, e.do(http.MethodGet, "/billing/customers", tok, nil)); len(list) != 0 {
		t.Fatalf("a write by an inactive tenant went through: %d customers", len(list))
	}
}

// operation is one call of every authenticated operation, against a
// customer that exists.
type operation struct {
	id     string
	method string
	path   func(customer string) string
	body   any
}

var operations = []operation{
	{"ListCustomers", http.MethodGet, func(string) string { return "/billing/customers" }, nil},
	{"CreateCustomer", http.MethodPost, func(string) string { return "/billing/customers" }, map[string]any{"razonSocial": "Nuevo", "nit": "70111222"}},
	{"GetCustomer", http.MethodGet, func(id string) string { return "/billing/customers/" + id }, nil},
	{"UpdateCustomer", http.MethodPatch, func(id string) string { return "/billing/customers/" + id }, map[string]any{"telefono": "123"}},
	{"DeleteCustomer", http.MethodDelete, func(id string) string { return "/billing/customers/" + id }, nil},
}

func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	// The matrix must cover every operation the policy knows.
	var ids []string
	for _, op := range operations {
		ids = append(ids, op.id)
	}
	for _, op := range auth.Operations() {
		if !slices.Contains(ids, op) {
			t.Fatalf("operation %s is missing from the role matrix", op)
		}
	}
	allowed := map[string][]auth.Role{
		"ListCustomers":  {auth.RoleViewer, auth.RoleOperador, auth.RoleAdmin},
		"GetCustomer":    {auth.RoleViewer, auth.RoleOperador, auth.RoleAdmin},
		"CreateCustomer": {auth.RoleOperador, auth.RoleAdmin},
		"UpdateCustomer": {auth.RoleOperador, auth.RoleAdmin},
		"DeleteCustomer": {auth.RoleAdmin},
	}
	success := map[string]int{"ListCustomers": 200, "GetCustomer": 200, "CreateCustomer": 201, "UpdateCustomer": 200, "DeleteCustomer": 204}
	for _, op := range operations {
		for _, role := range []auth.Role{auth.RoleViewer, auth.RoleOperador, auth.RoleAdmin} {
			t.Run(op.id+"/"+string(role), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				tenant := e.tenant("A")
				c := createCustomer(t, e, e.token(tenant, auth.RoleAdmin), seedCustomer)
				r := e.do(op.method, op.path(c.Id.String()), e.token(tenant, role), op.body)
				if slices.Contains(allowed[op.id], role) {
					wantStatus(t, r, success[op.id])
					return
				}
				wantProblem(t, r, http.StatusForbidden, "role_forbidden")
				// A refused write changed nothing.
				list := decode[[]api.Customer](t, e.do(http.MethodGet, "/billing/customers", e.token(tenant, auth.RoleViewer), nil))
				if len(list) != 1 || list[0].Telefono == nil || *list[0].Telefono != seedCustomer["telefono"] {
					t.Fatalf("a refused %s changed data: %+v", op.id, list)
				}
			})
		}
	}
}
