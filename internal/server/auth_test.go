package server_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/billing"
	"billing/internal/devcert"
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
	e := newEnv(t, withAuth(func(c *auth.Config) { c.Issuer, c.Audience = "https://id.nitida.test", "billing" }))
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
		if _, err := e.store.SetTenantStatus(context.Background(), tenant, billing.TenantStatus(s)); err != nil {
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

// matrixCertificate is one test certificate for the whole matrix (an RSA
// key takes a while to make).
var matrixCertificate = sync.OnceValue(func() devcert.Bundle { return testCertificate(time.Now()) })

// fixture is one tenant's data that every operation of the matrix can act on.
type fixture struct {
	customer, product, invoice, resolution string
}

// operation is one call of every authenticated operation.
type operation struct {
	id     string
	method string
	path   func(f fixture) string
	body   func(f fixture) any
	status int // the answer when the role may call it
}

func static(p string) func(fixture) string { return func(fixture) string { return p } }
func noBody(fixture) any                   { return nil }

var operations = []operation{
	{"ListCustomers", http.MethodGet, static("/billing/customers"), noBody, 200},
	{"CreateCustomer", http.MethodPost, static("/billing/customers"), func(fixture) any { return map[string]any{"razonSocial": "Nuevo", "nit": "70111222"} }, 201},
	{"GetCustomer", http.MethodGet, func(f fixture) string { return "/billing/customers/" + f.customer }, noBody, 200},
	{"UpdateCustomer", http.MethodPatch, func(f fixture) string { return "/billing/customers/" + f.customer }, func(fixture) any { return map[string]any{"telefono": "123"} }, 200},
	{"DeleteCustomer", http.MethodDelete, func(f fixture) string { return "/billing/customers/" + f.customer }, noBody, 409}, // it has an invoice
	{"ListProducts", http.MethodGet, static("/billing/products"), noBody, 200},
	{"CreateProduct", http.MethodPost, static("/billing/products"), func(fixture) any { return map[string]any{"nombre": "Uniforme", "precio": 120000} }, 201},
	{"GetProduct", http.MethodGet, func(f fixture) string { return "/billing/products/" + f.product }, noBody, 200},
	{"UpdateProduct", http.MethodPatch, func(f fixture) string { return "/billing/products/" + f.product }, func(fixture) any { return map[string]any{"precio": 1} }, 200},
	{"ListInvoices", http.MethodGet, static("/billing/invoices"), noBody, 200},
	{"CreateInvoice", http.MethodPost, static("/billing/invoices"), func(f fixture) any {
		return invoiceBody(f.customer, "FV-NEW", map[string]any{"productServiceId": f.product, "cantidad": 1})
	}, 201},
	{"GetInvoice", http.MethodGet, func(f fixture) string { return "/billing/invoices/" + f.invoice }, noBody, 200},
	{"ReplaceInvoice", http.MethodPut, func(f fixture) string { return "/billing/invoices/" + f.invoice }, func(f fixture) any {
		return invoiceBody(f.customer, "FV-EDIT", map[string]any{"descripcion": "x", "cantidad": 2, "valorUnitario": 10})
	}, 200},
	{"UpdateInvoiceStatus", http.MethodPatch, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/status" }, func(fixture) any { return map[string]any{"status": "ISSUED"} }, 200},
	{"GetInvoiceHistory", http.MethodGet, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/history" }, noBody, 200},
	{"GetDashboard", http.MethodGet, static("/billing/dashboard"), noBody, 200},
	// The fixture's tenant has no fiscal profile, and its invoice is a draft.
	{"GetFiscalProfile", http.MethodGet, static("/billing/fiscal-profile"), noBody, 404},
	{"PutFiscalProfile", http.MethodPut, static("/billing/fiscal-profile"), func(fixture) any { return schoolProfile() }, 200},
	{"GetInvoiceEInvoice", http.MethodGet, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/einvoice" }, noBody, 409},
	{"ResendInvoiceEInvoice", http.MethodPost, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/einvoice/retry" }, noBody, 409},
	{"SendInvoiceEmail", http.MethodPost, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/send" }, func(fixture) any {
		return api.SendInvoiceEmail{Email: ptr("tesoreria@acudiente.co")}
	}, 409},
	{"GetSigningCertificate", http.MethodGet, static("/billing/fiscal-profile/certificate"), noBody, 404},
	{"PutSigningCertificate", http.MethodPut, static("/billing/fiscal-profile/certificate"), func(fixture) any {
		c := matrixCertificate()
		return api.SigningCertificateUpload{P12: base64.StdEncoding.EncodeToString(c.P12), Password: certPassword}
	}, 200},
	{"ListNumberingResolutions", http.MethodGet, static("/billing/numbering-resolutions"), noBody, 200},
	// The fixture's product does not track its stock.
	{"AdjustStock", http.MethodPost, func(f fixture) string { return "/billing/products/" + f.product + "/stock-movements" }, func(fixture) any {
		return api.AdjustStock{Cantidad: mustDecimal("1"), Motivo: "conteo"}
	}, 409},
	{"ListStockMovements", http.MethodGet, func(f fixture) string { return "/billing/products/" + f.product + "/stock-movements" }, noBody, 200},
	{"ListDeliveryProviders", http.MethodGet, static("/billing/delivery-providers"), noBody, 200},
	{"CreateDeliveryProvider", http.MethodPost, static("/billing/delivery-providers"), func(fixture) any {
		return api.CreateDeliveryProvider{Nombre: "Domicilios " + uuid.NewString()}
	}, 201},
	{"UpdateDeliveryProvider", http.MethodPatch, func(fixture) string { return "/billing/delivery-providers/" + uuid.NewString() }, func(fixture) any {
		return api.UpdateDeliveryProvider{Activo: ptr(false)}
	}, 404},
	{"ListOrders", http.MethodGet, static("/billing/orders"), noBody, 200},
	{"CreateOrder", http.MethodPost, static("/billing/orders"), func(f fixture) any {
		return api.CreateOrder{Lineas: []api.CreateOrderLine{{ProductServiceID: uuid.MustParse(f.product), Cantidad: mustDecimal("1")}}}
	}, 201},
	{"GetOrder", http.MethodGet, func(fixture) string { return "/billing/orders/" + uuid.NewString() }, noBody, 404},
	{"UpdateOrderStatus", http.MethodPatch, func(fixture) string { return "/billing/orders/" + uuid.NewString() + "/status" }, func(fixture) any {
		return api.UpdateOrderStatus{Estado: api.OrderStatusENTREGADO}
	}, 404},
	// No open cash session: each role that may sell reaches the use case.
	{"CreatePosInvoice", http.MethodPost, static("/invoices"), func(fixture) any {
		return api.CreatePosInvoice{UnderscoreID: uuid.New(), Total: mustDecimal("1000"),
			OrderProducts: []struct {
				Order uuid.UUID `json:"order"`
			}{{Order: uuid.New()}}}
	}, 409},
	{"GetInvoiceSale", http.MethodGet, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/sale" }, noBody, 404},
	{"ListCashRegisters", http.MethodGet, static("/billing/cash-registers"), noBody, 200},
	{"CreateCashRegister", http.MethodPost, static("/billing/cash-registers"), func(fixture) any {
		return api.CreateCashRegister{Nombre: "Caja " + uuid.NewString()}
	}, 201},
	// An unknown register: each role that may act reaches the use case.
	{"OpenCashRegister", http.MethodPost, func(fixture) string { return "/billing/cash-registers/" + uuid.NewString() + "/open" }, func(fixture) any {
		return api.OpenCashRegister{Base: mustDecimal("100000")}
	}, 404},
	{"CreateCashMovement", http.MethodPost, func(fixture) string { return "/billing/cash-registers/" + uuid.NewString() + "/movements" }, func(fixture) any {
		return api.CreateCashMovement{Tipo: api.CreateCashMovementTipoRETIRO, Valor: mustDecimal("1000"), Motivo: "x"}
	}, 404},
	{"CloseCashRegister", http.MethodPost, func(fixture) string { return "/billing/cash-registers/" + uuid.NewString() + "/close" }, func(fixture) any {
		return api.CloseCashRegister{EfectivoContado: mustDecimal("0")}
	}, 404},
	{"ListCashSessions", http.MethodGet, func(fixture) string { return "/billing/cash-registers/" + uuid.NewString() + "/sessions" }, noBody, 404},
	{"ListPaymentMethods", http.MethodGet, static("/billing/payment-methods"), noBody, 200},
	{"CreatePaymentMethod", http.MethodPost, static("/billing/payment-methods"), func(fixture) any {
		return api.CreatePaymentMethod{Nombre: "Nequi " + uuid.NewString(), Codigo: api.MedioPagoN47}
	}, 201},
	{"UpdatePaymentMethod", http.MethodPatch, func(f fixture) string { return "/billing/payment-methods/" + uuid.NewString() }, func(fixture) any {
		return api.UpdatePaymentMethod{Activo: ptr(false)}
	}, 404},
	{"ListDeliveries", http.MethodGet, static("/billing/deliveries"), noBody, 200},
	{"ListWebhooks", http.MethodGet, static("/billing/webhooks"), noBody, 200},
	// A public address written as one: no DNS needed.
	{"CreateWebhook", http.MethodPost, static("/billing/webhooks"), func(fixture) any {
		return api.CreateWebhook{URL: "https://203.0.113.10/hook", Eventos: []api.WebhookEvent{api.WebhookEventInvoiceIssued}}
	}, 201},
	{"DeleteWebhook", http.MethodDelete, static("/billing/webhooks/0193a1c2-7d4e-7a10-9c55-2f1e0b6d8f03"), noBody, 404},
	{"RotateWebhookSecret", http.MethodPost, static("/billing/webhooks/0193a1c2-7d4e-7a10-9c55-2f1e0b6d8f03/rotate-secret"), noBody, 404},
	{"ListWebhookDeliveries", http.MethodGet, static("/billing/webhooks/0193a1c2-7d4e-7a10-9c55-2f1e0b6d8f03/deliveries"), noBody, 404},
	{"RetryDelivery", http.MethodPost, static("/billing/deliveries/424242/retry"), noBody, 404},
	{"CreateNumberingResolution", http.MethodPost, static("/billing/numbering-resolutions"), func(fixture) any {
		r := dianTestRange()
		r.Prefijo = "SETQ"
		return r
	}, 201},
	{"GetNumberingResolution", http.MethodGet, func(f fixture) string { return "/billing/numbering-resolutions/" + f.resolution }, noBody, 200},
	{"UpdateNumberingResolution", http.MethodPatch, func(f fixture) string { return "/billing/numbering-resolutions/" + f.resolution },
		func(fixture) any { return map[string]any{"activa": false} }, 200},
	{"GetInvoiceXML", http.MethodGet, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/xml" }, noBody, 409},
	{"GetInvoicePdf", http.MethodGet, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/pdf" }, noBody, 409},
	// What is owed: the fixture's invoice is a draft, so it takes neither
	// payments nor notes, and there is no payment or note to find.
	{"ListInvoicePayments", http.MethodGet, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/payments" }, noBody, 200},
	{"CreatePayment", http.MethodPost, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/payments" },
		func(fixture) any { return map[string]any{"valor": 1000, "fecha": "2026-01-02"} }, 409},
	{"ReversePayment", http.MethodPost, static("/billing/payments/0193a1c2-7d4e-7a10-9c55-2f1e0b6d8f01/reverse"),
		func(fixture) any { return map[string]any{"motivo": "error"} }, 404},
	{"ListInvoiceCreditNotes", http.MethodGet, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/credit-notes" }, noBody, 200},
	{"CreateCreditNote", http.MethodPost, func(f fixture) string { return "/billing/invoices/" + f.invoice + "/credit-notes" },
		func(fixture) any { return map[string]any{"concepto": 2, "motivo": "anulación"} }, 409},
	{"ListCreditNotes", http.MethodGet, static("/billing/credit-notes"), noBody, 200},
	{"GetCreditNote", http.MethodGet, static("/billing/credit-notes/0193a1c2-7d4e-7a10-9c55-2f1e0b6d8f02"), noBody, 404},
	{"GetCreditNoteXML", http.MethodGet, static("/billing/credit-notes/0193a1c2-7d4e-7a10-9c55-2f1e0b6d8f02/xml"), noBody, 404},
	{"GetCreditNotePdf", http.MethodGet, static("/billing/credit-notes/0193a1c2-7d4e-7a10-9c55-2f1e0b6d8f02/pdf"), noBody, 404},
	{"GetReceivables", http.MethodGet, static("/billing/receivables"), noBody, 200},
}

// newFixture creates a customer, a product and a DRAFT invoice in tenant.
func newFixture(t *testing.T, e *env, tenant uuid.UUID) fixture {
	t.Helper()
	admin := e.token(tenant, auth.RoleAdmin)
	c := createCustomer(t, e, admin, seedCustomer)
	p := createProduct(t, e, admin, map[string]any{"nombre": "Matrícula", "precio": 850000})
	inv := createInvoice(t, e, admin, invoiceBody(c.ID.String(), "FV-0001", map[string]any{"productServiceId": p.ID.String(), "cantidad": 1}))
	res := decode[api.NumberingResolution](t, e.do(http.MethodPost, "/billing/numbering-resolutions", admin, dianTestRange()))
	return fixture{customer: c.ID.String(), product: p.ID.String(), invoice: inv.ID.String(), resolution: res.ID.String()}
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
	// The contract's roles (README "The API in brief", the spec's descriptions), spelled out role by role, so a change to the policy
	// table is a visible change to this test too (checked both ways: the
	// policy must allow exactly these).
	viewer, operador, admin := auth.RoleViewer, auth.RoleOperador, auth.RoleAdmin
	everyone, writers, admins := []auth.Role{viewer, operador, admin}, []auth.Role{operador, admin}, []auth.Role{admin}
	allowed := map[string][]auth.Role{
		"ListCustomers": everyone, "GetCustomer": everyone, "CreateCustomer": writers, "UpdateCustomer": writers, "DeleteCustomer": admins,
		"ListProducts": everyone, "GetProduct": everyone, "CreateProduct": admins, "UpdateProduct": admins,
		"AdjustStock": admins, "ListStockMovements": everyone,
		"ListInvoices": everyone, "GetInvoice": everyone, "GetInvoiceHistory": everyone,
		"CreateInvoice": writers, "ReplaceInvoice": writers, "UpdateInvoiceStatus": admins,
		"GetDashboard":     everyone,
		"GetFiscalProfile": everyone, "PutFiscalProfile": admins, "GetSigningCertificate": everyone, "GetInvoiceEInvoice": everyone, "ResendInvoiceEInvoice": admins, "PutSigningCertificate": admins,
		"SendInvoiceEmail":      writers,
		"ListDeliveryProviders": everyone, "CreateDeliveryProvider": admins, "UpdateDeliveryProvider": admins,
		"ListOrders": everyone, "GetOrder": everyone, "CreateOrder": writers, "UpdateOrderStatus": writers,
		"CreatePosInvoice": writers, "GetInvoiceSale": everyone,
		"ListCashRegisters": everyone, "CreateCashRegister": admins, "OpenCashRegister": writers, "CreateCashMovement": writers,
		"CloseCashRegister": writers, "ListCashSessions": everyone,
		"ListPaymentMethods": everyone, "CreatePaymentMethod": admins, "UpdatePaymentMethod": admins,
		"ListDeliveries": admins, "RetryDelivery": admins, "ListWebhooks": admins, "CreateWebhook": admins,
		"DeleteWebhook": admins, "RotateWebhookSecret": admins, "ListWebhookDeliveries": admins,
		"ListNumberingResolutions": everyone, "GetNumberingResolution": everyone,
		"CreateNumberingResolution": admins, "UpdateNumberingResolution": admins,
		"GetInvoiceXML": everyone, "GetInvoicePdf": everyone,
		"ListInvoicePayments": everyone, "CreatePayment": writers, "ReversePayment": admins,
		"ListInvoiceCreditNotes": everyone, "CreateCreditNote": admins, "ListCreditNotes": everyone,
		"GetCreditNote": everyone, "GetCreditNoteXML": everyone, "GetCreditNotePdf": everyone, "GetReceivables": everyone,
	}
	if len(allowed) != len(auth.Operations()) {
		t.Fatalf("the expected roles name %d operations, the policy %d", len(allowed), len(auth.Operations()))
	}
	for _, op := range auth.Operations() {
		for _, r := range everyone {
			if auth.Allowed(op, r) != slices.Contains(allowed[op], r) {
				t.Fatalf("the policy lets %s call %s: %v; the contract says %v", r, op, auth.Allowed(op, r), slices.Contains(allowed[op], r))
			}
		}
	}
	for _, op := range operations {
		for _, role := range []auth.Role{auth.RoleViewer, auth.RoleOperador, auth.RoleAdmin} {
			t.Run(op.id+"/"+string(role), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				tenant := e.tenant("A")
				f := newFixture(t, e, tenant)
				before := snapshot(t, e, tenant, f)
				r := e.do(op.method, op.path(f), e.token(tenant, role), op.body(f))
				if slices.Contains(allowed[op.id], role) {
					wantStatus(t, r, op.status)
					return
				}
				wantProblem(t, r, http.StatusForbidden, "role_forbidden")
				if after := snapshot(t, e, tenant, f); after != before {
					t.Fatalf("a refused %s changed data:\n%s\n%s", op.id, before, after)
				}
			})
		}
	}
}

// snapshot is everything a write could change in the fixture's tenant.
func snapshot(t *testing.T, e *env, tenant uuid.UUID, f fixture) string {
	t.Helper()
	tok := e.token(tenant, auth.RoleViewer)
	var b strings.Builder
	for _, p := range []string{"/billing/customers", "/billing/products", "/billing/invoices", "/billing/invoices/" + f.invoice,
		"/billing/invoices/" + f.invoice + "/history", "/billing/products/" + f.product, "/billing/dashboard", "/billing/numbering-resolutions",
		"/billing/invoices/" + f.invoice + "/payments", "/billing/credit-notes", "/billing/receivables"} {
		r := e.do(http.MethodGet, p, tok, nil)
		wantStatus(t, r, http.StatusOK)
		b.Write(r.Body)
	}
	// What only an ADMIN reads.
	for _, p := range []string{"/billing/webhooks", "/billing/deliveries"} {
		r := e.do(http.MethodGet, p, e.token(tenant, auth.RoleAdmin), nil)
		wantStatus(t, r, http.StatusOK)
		b.Write(r.Body)
	}
	// Read before any write: 404 until one succeeds.
	for _, p := range []string{"/billing/fiscal-profile", "/billing/fiscal-profile/certificate"} {
		r := e.do(http.MethodGet, p, tok, nil)
		fmt.Fprintf(&b, "%s %d", p, r.Status)
		if r.Status == http.StatusOK {
			b.Write(r.Body)
		}
	}
	return b.String()
}
