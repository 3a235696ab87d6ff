package server_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"billing/internal/auth"
)

// benchRequest sends one request through the whole in-process stack
// (contract middleware, auth, validation, handler, real PostgreSQL) without
// the contract check of the test client, so it measures the service alone.
func benchRequest(b *testing.B, e *env, method, path, token, body string, want int) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
}

func benchLedger(b *testing.B) (*env, string, string, string) {
	e := newEnv(b)
	tenant := e.tenant("A")
	admin := e.token(tenant, auth.RoleAdmin)
	cust := createCustomerTB(b, e, admin)
	r := e.do(http.MethodPost, "/billing/invoices", admin, `{"customerId":"`+cust+`","numero":"FV-0","items":[{"descripcion":"x","cantidad":3,"valorUnitario":45000}]}`)
	inv := decodeTB[struct{ ID string }](b, r).ID
	return e, admin, cust, inv
}

func BenchmarkCreateInvoice(b *testing.B) {
	e, admin, cust, _ := benchLedger(b)
	line := `{"descripcion":"Material didáctico","cantidad":3,"valorUnitario":45000}`
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		body := `{"customerId":"` + cust + `","numero":"B-` + strconv.Itoa(i) + `","items":[` + line + `,` + line + `,` + line + `]}`
		benchRequest(b, e, http.MethodPost, "/billing/invoices", admin, body, http.StatusCreated)
	}
}

func BenchmarkGetInvoice(b *testing.B) {
	e, admin, _, inv := benchLedger(b)
	b.ReportAllocs()
	for b.Loop() {
		benchRequest(b, e, http.MethodGet, "/billing/invoices/"+inv, admin, "", http.StatusOK)
	}
}

// BenchmarkListInvoices reads a full page of 50 rows.
func BenchmarkListInvoices(b *testing.B) {
	e, admin, cust, _ := benchLedger(b)
	for i := 1; i < 50; i++ {
		benchRequest(b, e, http.MethodPost, "/billing/invoices", admin,
			`{"customerId":"`+cust+`","numero":"L-`+strconv.Itoa(i)+`","items":[{"descripcion":"x","cantidad":3,"valorUnitario":45000}]}`, http.StatusCreated)
	}
	b.ReportAllocs()
	for b.Loop() {
		benchRequest(b, e, http.MethodGet, "/billing/invoices?status=DRAFT&limit=50", admin, "", http.StatusOK)
	}
}

func BenchmarkDashboard(b *testing.B) {
	e, admin, _, _ := benchLedger(b)
	b.ReportAllocs()
	for b.Loop() {
		benchRequest(b, e, http.MethodGet, "/billing/dashboard", admin, "", http.StatusOK)
	}
}

// BenchmarkValidationOnly is a request refused by schema validation, after
// authentication: what the contract middleware costs without a handler.
func BenchmarkValidationOnly(b *testing.B) {
	e, admin, _, _ := benchLedger(b)
	b.ReportAllocs()
	for b.Loop() {
		benchRequest(b, e, http.MethodPost, "/billing/invoices", admin, `{"customerId":"x","numero":"","items":[]}`, http.StatusBadRequest)
	}
}

// benchElectronic is a tenant invoicing electronically under DIAN's test
// range, with a customer: the draft body it issues is three lines.
func benchElectronic(b *testing.B) (*env, string, string) {
	e := newEnv(b)
	tenant := e.tenant("A")
	admin := e.token(tenant, auth.RoleAdmin)
	cust := createCustomerTB(b, e, admin)
	if r := e.do(http.MethodPut, "/billing/fiscal-profile", admin, schoolProfile()); r.Status != http.StatusOK {
		b.Fatalf("profile: %d %s", r.Status, r.Body)
	}
	if r := e.do(http.MethodPost, "/billing/numbering-resolutions", admin, dianTestRange()); r.Status != http.StatusCreated {
		b.Fatalf("resolution: %d %s", r.Status, r.Body)
	}
	return e, admin, `{"customerId":"` + cust + `","items":[{"descripcion":"Pensión","cantidad":1,"valorUnitario":850000,"tratamiento":"EXCLUIDO"},` +
		`{"descripcion":"Uniforme","cantidad":2,"valorUnitario":60000},{"descripcion":"Texto","cantidad":1,"valorUnitario":80000,"impuesto":5}]}`
}

// BenchmarkIssueElectronic times the issue of a draft under a resolution:
// number, CUFE, QR, XML render and the stored stamp, in one transaction.
// The draft is written outside the timer.
func BenchmarkIssueElectronic(b *testing.B) {
	e, admin, draft := benchElectronic(b)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		id := decodeTB[struct{ ID string }](b, e.do(http.MethodPost, "/billing/invoices", admin, draft)).ID
		b.StartTimer()
		benchRequest(b, e, http.MethodPatch, "/billing/invoices/"+id+"/status", admin, `{"status":"ISSUED"}`, http.StatusOK)
	}
}

// BenchmarkIssueSeed is the same issue for a tenant without a fiscal
// profile, for comparison.
func BenchmarkIssueSeed(b *testing.B) {
	e, admin, cust, _ := benchLedger(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		id := decodeTB[struct{ ID string }](b, e.do(http.MethodPost, "/billing/invoices", admin,
			`{"customerId":"`+cust+`","numero":"S-`+strconv.Itoa(i)+`","items":[{"descripcion":"x","cantidad":3,"valorUnitario":45000}]}`)).ID
		b.StartTimer()
		benchRequest(b, e, http.MethodPatch, "/billing/invoices/"+id+"/status", admin, `{"status":"ISSUED"}`, http.StatusOK)
	}
}

// BenchmarkInvoiceXML serves a stored document; BenchmarkInvoicePDF
// renders the printed invoice from the frozen document.
func BenchmarkInvoiceXML(b *testing.B) { benchDocument(b, "/xml") }
func BenchmarkInvoicePDF(b *testing.B) { benchDocument(b, "/pdf") }

func benchDocument(b *testing.B, kind string) {
	e, admin, draft := benchElectronic(b)
	id := decodeTB[struct{ ID string }](b, e.do(http.MethodPost, "/billing/invoices", admin, draft)).ID
	benchRequest(b, e, http.MethodPatch, "/billing/invoices/"+id+"/status", admin, `{"status":"ISSUED"}`, http.StatusOK)
	b.ReportAllocs()
	for b.Loop() {
		benchRequest(b, e, http.MethodGet, "/billing/invoices/"+id+kind, admin, "", http.StatusOK)
	}
}
