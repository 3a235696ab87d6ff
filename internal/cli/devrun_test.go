package cli

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"billing/internal/billing"
	"billing/internal/devcert"
	"billing/internal/dian"
	"billing/internal/testdb"
)

var (
	bannerAdmin    = regexp.MustCompile(`export ADMIN_TOKEN=(\S+)`)
	bannerOperador = regexp.MustCompile(`export OPERADOR_TOKEN=(\S+)`)
	bannerDraft    = regexp.MustCompile(`-X PATCH \S+/billing/invoices/([0-9a-f-]{36})/status`)
)

// devCall is one request to a running `billing dev`.
func devCall(t *testing.T, method, url, token string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, out
}

// mailAttachment is a message's attached file by name, decoded; nil when
// it has none of that name.
func mailAttachment(raw []byte, name string) ([]byte, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	var walk func(contentType string, body io.Reader) ([]byte, error)
	walk = func(contentType string, body io.Reader) ([]byte, error) {
		media, params, err := mime.ParseMediaType(contentType)
		if err != nil || !strings.HasPrefix(media, "multipart/") {
			return nil, nil
		}
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart()
			if errors.Is(err, io.EOF) {
				return nil, nil
			} else if err != nil {
				return nil, err
			}
			if found, err := walk(p.Header.Get("Content-Type"), p); found != nil || err != nil {
				return found, err
			}
			if p.FileName() != name {
				continue
			}
			b, err := io.ReadAll(p)
			if err != nil {
				return nil, err
			}
			if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
				return base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(b)), ""))
			}
			return b, nil
		}
	}
	return walk(msg.Header.Get("Content-Type"), msg.Body)
}

// mailedInvoice looks in the catcher's directory for a message to `to`
// carrying <numero>.zip with <numero>.xml (DIAN's AttachedDocument) and
// <numero>.pdf; it answers the zip's files, or why none is there yet.
func mailedInvoice(dir, to, numero string) (map[string][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no message in %s (%v)", dir, err)
	}
	var why []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			why = append(why, f+": "+err.Error())
			continue
		}
		if !strings.Contains(msg.Header.Get("To"), to) {
			why = append(why, f+": to "+msg.Header.Get("To"))
			continue
		}
		zipped, err := mailAttachment(raw, numero+".zip")
		if err != nil || zipped == nil {
			why = append(why, fmt.Sprintf("%s: no %s.zip (%v)", f, numero, err))
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
		if err != nil {
			why = append(why, f+": "+err.Error())
			continue
		}
		out := map[string][]byte{}
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, err
			}
			out[zf.Name] = b
		}
		return out, nil
	}
	return nil, errors.New(strings.Join(why, "; "))
}

// TestDevIssuesDemoInvoiceEndToEnd is the issue's "done when": on `make
// run`, issuing the demo draft ends, with no further action, in a signed
// document that xmlsec1 verifies, accepted by DIAN's test double, mailed
// to the catcher with its PDF and AttachedDocument, and announced to the
// registered webhook, whose signatures verify. A second start replaces
// the first run's webhook with its own.
func TestDevIssuesDemoInvoiceEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs billing dev against PostgreSQL, with the outbox, DIAN's double, the mail catcher and the webhook receiver")
	}
	dsn := testdb.DSN(t)
	dir := t.TempDir()
	// From the checkout's root, as make run: the DIAN double finds the UBL
	// schemas there and checks the document against them.
	t.Chdir("../..")
	began := time.Now()
	run := startDev(t, map[string]string{"DATABASE_URL": dsn}, "--data-dir", dir)
	admin := bannerAdmin.FindStringSubmatch(run.out)
	draft := bannerDraft.FindStringSubmatch(run.out)
	if admin == nil || draft == nil {
		t.Fatalf("the banner has no ADMIN token or demo draft:\n%s", run.out)
	}
	mailDir, hookLog := filepath.Join(dir, "mail"), filepath.Join(dir, "webhooks.log")
	for _, s := range []string{"every message sent is kept in " + mailDir, "logged in " + hookLog, "cat " + hookLog, "ls " + mailDir} {
		if !strings.Contains(run.out, s) {
			t.Errorf("the banner does not say %q:\n%s", s, run.out)
		}
	}

	// The one endpoint registered, for every event.
	code, body := devCall(t, http.MethodGet, run.base+"/billing/webhooks", admin[1], nil)
	var hooks []struct {
		ID      string   `json:"id"`
		URL     string   `json:"url"`
		Eventos []string `json:"eventos"`
	}
	if code != http.StatusOK || json.Unmarshal(body, &hooks) != nil || len(hooks) != 1 ||
		!strings.HasPrefix(hooks[0].URL, "http://127.0.0.1:") || len(hooks[0].Eventos) != len(devHookEvents) {
		t.Fatalf("GET /billing/webhooks: %d %s; want the dev receiver alone, for every event", code, body)
	}

	invoice := run.base + "/billing/invoices/" + draft[1]
	code, body = devCall(t, http.MethodPatch, invoice+"/status", admin[1], map[string]string{"status": "ISSUED"})
	var issued struct{ Numero string }
	if code != http.StatusOK || json.Unmarshal(body, &issued) != nil || issued.Numero != "SETP990000000" {
		t.Fatalf("PATCH status ISSUED: %d %s", code, body)
	}
	issuedAt := time.Now()

	var (
		estado   string
		doc      []byte
		attached map[string][]byte
		mailErr  error
		logged   string
	)
	accepted := func() bool { return estado == "ACEPTADA" }
	signed := func() bool { return bytes.Contains(doc, []byte("<ds:Signature")) }
	announced := func() bool {
		return regexp.MustCompile(`(?m) invoice\.issued \S+ \(SETP990000000\) signature verified$`).MatchString(logged) &&
			regexp.MustCompile(`(?m) invoice\.accepted \S+ \(SETP990000000\) signature verified$`).MatchString(logged)
	}
	times := map[string]time.Duration{}
	note := func(what string, done bool) {
		if _, seen := times[what]; done && !seen {
			times[what] = time.Since(issuedAt)
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if !accepted() {
			code, body := devCall(t, http.MethodGet, invoice+"/einvoice", run.token, nil)
			var st struct{ Estado string }
			if code == http.StatusOK && json.Unmarshal(body, &st) == nil {
				estado = st.Estado
			}
			if estado == "RECHAZADA" {
				t.Fatalf("DIAN's double rejected the demo invoice: %s\n%s", body, run.stderr())
			}
		}
		if !signed() {
			if code, body := devCall(t, http.MethodGet, invoice+"/xml", run.token, nil); code == http.StatusOK {
				doc = body
			}
		}
		if attached == nil {
			attached, mailErr = mailedInvoice(mailDir, *demoParent.Email, issued.Numero)
		}
		if b, err := os.ReadFile(hookLog); err == nil {
			logged = string(b)
		}
		note("signed", signed())
		note("accepted", accepted())
		note("mailed", attached != nil)
		note("announced", announced())
		if accepted() && signed() && attached != nil && announced() {
			break
		}
		if time.Now().After(deadline) {
			code, deliveries := devCall(t, http.MethodGet, run.base+"/billing/deliveries", admin[1], nil)
			t.Fatalf("after 60 s: estado %q, signed %v, mail: %v, webhook log:\n%s\ndeliveries (%d): %s\nstderr:\n%s",
				estado, signed(), mailErr, logged, code, deliveries, run.stderr())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("after the PATCH: signed in %s, accepted in %s, mailed in %s, both events announced in %s",
		times["signed"], times["accepted"], times["mailed"], times["announced"])

	// The signed document verifies, with our verifier and with xmlsec1,
	// under the certificate it carries: the demo's.
	cert, err := dian.Verify(doc)
	if err != nil {
		t.Fatalf("dian.Verify: %v", err)
	}
	if cert.Subject.CommonName != demoProfile.Nit {
		t.Errorf("signed by %q, want the demo certificate (%s)", cert.Subject.CommonName, demoProfile.Nit)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	if err := devcert.XMLSec1Verify(doc, certPEM); errors.Is(err, devcert.ErrNoXMLSec1) && os.Getenv("CI") == "" {
		t.Log(err)
	} else if err != nil {
		t.Fatalf("xmlsec1: %v", err)
	}

	// The mail: DIAN's AttachedDocument, carrying the signed invoice
	// byte for byte, and the PDF.
	xmlName, pdfName := issued.Numero+".xml", issued.Numero+".pdf"
	if len(attached) != 2 || !bytes.Contains(attached[xmlName], []byte("AttachedDocument")) ||
		!bytes.HasPrefix(attached[pdfName], []byte("%PDF")) {
		t.Fatalf("the zip holds %v; want %s (AttachedDocument) and %s", slices.Sorted(maps.Keys(attached)), xmlName, pdfName)
	}
	if !bytes.Contains(attached[xmlName], []byte(issued.Numero)) {
		t.Errorf("the AttachedDocument does not name %s", issued.Numero)
	}

	// Each delivery logged once verified, on stdout too, and none refused.
	if strings.Contains(logged, "REJECTED") {
		t.Errorf("a delivery's signature was refused:\n%s", logged)
	}
	for _, ev := range []string{"invoice.issued", "invoice.accepted"} {
		if !strings.Contains(run.stdout(), "webhook: "+ev+" ") {
			t.Errorf("stdout has no line for %s:\n%s", ev, run.stdout())
		}
	}

	cashierFlow(t, run.base, admin[1], bannerOperador.FindStringSubmatch(run.out)[1])

	// A second start deletes the first run's endpoint (its port and
	// secret were that run's) and registers its own.
	run.stop()
	again := startDev(t, map[string]string{"DATABASE_URL": dsn}, "--data-dir", dir)
	code, body = devCall(t, http.MethodGet, again.base+"/billing/webhooks", admin[1], nil)
	var now []struct{ ID, URL string }
	if code != http.StatusOK || json.Unmarshal(body, &now) != nil || len(now) != 1 || now[0].ID == hooks[0].ID {
		t.Fatalf("after a restart GET /billing/webhooks: %d %s; want one endpoint, not the first run's %s", code, body, hooks[0].ID)
	}
	again.stop()
	t.Logf("the whole test took %s", time.Since(began).Round(time.Millisecond))
}

// TestDevHookVerifies: the receiver takes a delivery signed with its
// secret, and refuses one signed with another, one whose body changed,
// one older than five minutes (a replay), one from the future, and
// malformed headers, answering 401 and logging why.
func TestDevHookVerifies(t *testing.T) {
	dir := t.TempDir()
	var out syncBuffer
	now := time.Unix(1_800_000_000, 0)
	h := &devHook{url: "http://127.0.0.1:1" + devHookPath, logPath: filepath.Join(dir, "webhooks.log"), out: &out, now: func() time.Time { return now }}
	h.setSecret("whsec_test")
	body := []byte(`{"id":"0190a1b2-0000-7000-8000-000000000001","type":"invoice.issued","createdAt":"2027-01-15T08:00:00Z","data":{"numero":"SETP990000000"}}`)
	for _, c := range []struct {
		name   string
		header string
		body   []byte
		want   int
		why    string
	}{
		{"signed", billing.WebhookSignature("whsec_test", now.Add(-time.Minute), body), body, http.StatusNoContent, "signature verified"},
		{"two v1, one good", "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=00ff," +
			strings.SplitN(billing.WebhookSignature("whsec_test", now, body), ",", 2)[1], body, http.StatusNoContent, "signature verified"},
		{"another secret", billing.WebhookSignature("whsec_other", now, body), body, http.StatusUnauthorized, "no v1 signature matches"},
		{"body changed", billing.WebhookSignature("whsec_test", now, body), bytes.Replace(body, []byte("SETP9"), []byte("SETP8"), 1), http.StatusUnauthorized, "no v1 signature matches"},
		{"replayed", billing.WebhookSignature("whsec_test", now.Add(-6*time.Minute), body), body, http.StatusUnauthorized, "old (more than 5m0s)"},
		{"from the future", billing.WebhookSignature("whsec_test", now.Add(6*time.Minute), body), body, http.StatusUnauthorized, "ahead of this clock"},
		{"no header", "", body, http.StatusUnauthorized, "no Billing-Signature header"},
		{"no timestamp", "v1=00", body, http.StatusUnauthorized, "no timestamp"},
		{"no v1", "t=" + strconv.FormatInt(now.Unix(), 10), body, http.StatusUnauthorized, "no v1 signature"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, devHookPath, bytes.NewReader(c.body))
			if c.header != "" {
				req.Header.Set("Billing-Signature", c.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.want {
				t.Fatalf("answered %d %s, want %d", rec.Code, rec.Body, c.want)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "webhook: invoice.issued 0190a1b2-0000-7000-8000-000000000001 (SETP") || !strings.Contains(last, c.why) {
				t.Fatalf("stdout's line %q, want the event and %q", last, c.why)
			}
			logged, err := os.ReadFile(h.logPath)
			if err != nil || !strings.HasSuffix(string(logged), strings.TrimPrefix(last, "webhook: ")+"\n") {
				t.Fatalf("the log ends %q (%v), want the same line as stdout", logged, err)
			}
		})
	}
}

// cashierFlow is the point-of-sale issue's "done when" on the demo
// tenant: a cashier opens a register, takes two orders, invoices them with
// seed 003's body as an electronic invoice paid by card, and closes the
// register with the base as the expected cash (a card sale is not in the
// drawer).
func cashierFlow(t *testing.T, base, admin, cashier string) {
	t.Helper()
	call := func(method, path, token string, body any, want int, out any) {
		t.Helper()
		code, b := devCall(t, method, base+path, token, body)
		if code != want {
			t.Fatalf("%s %s: %d %s", method, path, code, b)
		}
		if out != nil {
			if err := json.Unmarshal(b, out); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
		}
	}
	var product, register, order1, order2, card struct {
		ID     string `json:"id"`
		Codigo string `json:"codigo"`
	}
	call(http.MethodPost, "/billing/products", admin, map[string]any{"nombre": "Almuerzo escolar", "precio": 12000, "impuesto": 0, "tratamiento": "EXCLUIDO"}, http.StatusCreated, &product)
	call(http.MethodPost, "/billing/cash-registers", admin, map[string]any{"nombre": "Caja cafetería"}, http.StatusCreated, &register)
	var methods []struct {
		ID     string `json:"id"`
		Codigo string `json:"codigo"`
	}
	call(http.MethodGet, "/billing/payment-methods", cashier, nil, http.StatusOK, &methods)
	for _, m := range methods {
		if m.Codigo == "48" {
			card.ID = m.ID
		}
	}
	call(http.MethodPost, "/billing/cash-registers/"+register.ID+"/open", cashier, map[string]any{"base": 50000}, http.StatusCreated, nil)
	line := func(n int) map[string]any {
		return map[string]any{"lineas": []map[string]any{{"productServiceId": product.ID, "cantidad": n}}, "mesa": "Mesa 3"}
	}
	call(http.MethodPost, "/billing/orders", cashier, line(1), http.StatusCreated, &order1)
	call(http.MethodPost, "/billing/orders", cashier, line(2), http.StatusCreated, &order2)
	var inv struct {
		Numero, Status, Cufe string
		Pagado               json.Number
	}
	var raw json.RawMessage
	call(http.MethodPost, "/invoices", cashier, map[string]any{
		"_id": "0193a1c2-7d4e-7a10-9c55-2f1e0b6d9c21", "isEInvoice": true,
		"orderProducts": []map[string]string{{"order": order1.ID}, {"order": order2.ID}},
		"client":        map[string]string{"name": "María González", "idType": "CC", "idNumber": "123456789", "email": "maria.gonzalez@example.com"},
		"paymentMethod": card.ID, "isPaid": true, "total": 36000, "sendInvoiceEmail": true,
	}, http.StatusCreated, &raw)
	if err := json.Unmarshal(raw, &inv); err != nil || inv.Status != "ISSUED" || !strings.HasPrefix(inv.Numero, "SETP") || len(inv.Cufe) != 96 || inv.Pagado != "36000.00" {
		t.Fatalf("the POS invoice: %v %s", err, raw)
	}
	var closed struct {
		EfectivoEsperado json.Number `json:"efectivoEsperado"`
		Diferencia       json.Number `json:"diferencia"`
		Ventas           []struct {
			MedioPago string      `json:"medioPago"`
			Valor     json.Number `json:"valor"`
		} `json:"ventas"`
	}
	call(http.MethodPost, "/billing/cash-registers/"+register.ID+"/close", cashier, map[string]any{"efectivoContado": 50000}, http.StatusOK, &closed)
	if closed.EfectivoEsperado != "50000.00" || closed.Diferencia != "0.00" || len(closed.Ventas) != 1 ||
		closed.Ventas[0].MedioPago != "48" || closed.Ventas[0].Valor != "36000.00" {
		t.Fatalf("the close: %+v", closed)
	}
}
