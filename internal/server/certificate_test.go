package server_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/devcert"
)

const certPassword = "clave-firma"

// testCertificate is a self-signed certificate valid a year around now.
func testCertificate(now time.Time) devcert.Bundle {
	b, err := devcert.New(devcert.Options{CommonName: "900123456", Organization: "Colegio Los Andes S.A.S.",
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0), Password: certPassword})
	if err != nil {
		panic(err)
	}
	return b
}

func upload(c devcert.Bundle, password string) api.SigningCertificateUpload {
	return api.SigningCertificateUpload{P12: base64.StdEncoding.EncodeToString(c.P12), Password: password}
}

// TestSigningCertificate: an ADMIN uploads the tenant's certificate; the
// read shows its subject, issuer, serial and validity, never the file or
// the password; bad files, wrong passwords and expired certificates are
// refused naming the field; another tenant sees none.
func TestSigningCertificate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant := e.tenant("A")
	admin := e.token(tenant, auth.RoleAdmin)
	wantProblem(t, e.do(http.MethodGet, "/billing/fiscal-profile/certificate", admin, nil), http.StatusNotFound, "certificate_not_found")

	now := time.Now()
	good := testCertificate(now)
	expired, err := devcert.New(devcert.Options{CommonName: "900123456", Organization: "X",
		NotBefore: now.AddDate(-2, 0, 0), NotAfter: now.AddDate(0, 0, -1), Password: certPassword})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		body        api.SigningCertificateUpload
		code, field string
	}{
		{"wrong password", upload(good, "otra"), "certificate_invalid", "body.password"},
		{"not base64", api.SigningCertificateUpload{P12: "%%%%", Password: certPassword}, "certificate_invalid", "body.p12"},
		{"not PKCS#12", api.SigningCertificateUpload{P12: base64.StdEncoding.EncodeToString([]byte("hello, world")), Password: certPassword}, "certificate_invalid", "body.p12"},
		{"expired", upload(expired, certPassword), "certificate_expired", "body.p12"},
	} {
		p := wantProblem(t, e.do(http.MethodPut, "/billing/fiscal-profile/certificate", admin, c.body), http.StatusBadRequest, c.code)
		if !hasField(p, c.field) {
			t.Errorf("%s: %s does not name %s: %+v", c.name, c.code, c.field, p.Errors)
		}
	}
	r := e.do(http.MethodPut, "/billing/fiscal-profile/certificate", admin, upload(good, certPassword))
	wantStatus(t, r, http.StatusOK)
	if strings.Contains(string(r.Body), certPassword) || strings.Contains(string(r.Body), "p12") {
		t.Fatalf("the answer shows the secret: %s", r.Body)
	}
	got := decode[api.SigningCertificate](t, e.do(http.MethodGet, "/billing/fiscal-profile/certificate", e.token(tenant, auth.RoleViewer), nil))
	if got.Serial != good.Cert.SerialNumber.String() || got.Subject != good.Cert.Subject.String() || got.Issuer != got.Subject ||
		!got.NotAfter.Equal(good.Cert.NotAfter) || got.UploadedBy == "" {
		t.Fatalf("the read: %+v", got)
	}
	other := e.token(e.tenant("B"), auth.RoleAdmin)
	wantProblem(t, e.do(http.MethodGet, "/billing/fiscal-profile/certificate", other, nil), http.StatusNotFound, "certificate_not_found")
}

// TestSecretsNeedTheKey: a service started without BILLING_SECRET_KEY
// keeps no secret (409 secret_key_missing) and serves everything else.
func TestSecretsNeedTheKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withoutSecretKey)
	tenant := e.tenant("A")
	admin := e.token(tenant, auth.RoleAdmin)
	wantProblem(t, e.do(http.MethodPut, "/billing/fiscal-profile/certificate", admin, upload(testCertificate(time.Now()), certPassword)),
		http.StatusConflict, "secret_key_missing")
	wantProblem(t, e.do(http.MethodPut, "/billing/fiscal-profile", admin, schoolProfile()), http.StatusConflict, "secret_key_missing")
	wantProblem(t, e.do(http.MethodPost, "/billing/numbering-resolutions", admin, dianTestRange()), http.StatusConflict, "secret_key_missing")
	// The seed's invoicing is untouched.
	l := &ledger{e: e, tenant: tenant, admin: admin}
	l.customer = createCustomer(t, e, admin, seedCustomer)
	inv := createInvoice(t, e, admin, invoiceBody(l.customer.ID.String(), "FV-1", map[string]any{"descripcion": "Pensión", "cantidad": 1, "valorUnitario": 100}))
	wantStatus(t, e.do(http.MethodPatch, "/billing/invoices/"+inv.ID.String()+"/status", admin, api.UpdateInvoiceStatus{Status: api.InvoiceStatusISSUED}), http.StatusOK)
}
