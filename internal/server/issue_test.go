package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/dian"
	"billing/internal/money"
)

var cufePattern = regexp.MustCompile(`^[0-9a-f]{96}$`)

// invoiceSchema is the OASIS UBL 2.1 Invoice schema the documents must
// validate against.
var invoiceSchema = filepath.Join("..", "dian", "testdata", "ubl-2.1", "maindoc", "UBL-Invoice-2.1.xsd")

// electronicLedger is a ledger whose tenant invoices electronically under
// DIAN's test range.
func electronicLedger(t *testing.T) *ledger {
	t.Helper()
	l := newLedger(t)
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, schoolProfile()), http.StatusOK)
	wantStatus(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, dianTestRange()), http.StatusCreated)
	return l
}

// electronicDraft is a draft without numero: tuition (excluded) and a
// uniform at 19 %.
func (l *ledger) electronicDraft(t *testing.T) api.Invoice {
	t.Helper()
	return createInvoice(t, l.e, l.operador, api.CreateInvoice{CustomerID: l.customer.ID, Items: []api.InvoiceItemInput{
		{ProductServiceID: &l.product.ID, Descripcion: ptr("Pensión noviembre"), Cantidad: mustDecimal("1"), Tratamiento: ptr(api.TratamientoEXCLUIDO)},
		{Descripcion: ptr("Uniforme de diario"), Cantidad: mustDecimal("2"), ValorUnitario: ptr(mustDecimal("60000"))},
	}})
}

func (l *ledger) issue(t *testing.T, id string) response {
	t.Helper()
	return l.e.do(http.MethodPatch, "/billing/invoices/"+id+"/status", l.admin, api.UpdateInvoiceStatus{Status: api.InvoiceStatusISSUED})
}

func TestElectronicInvoiceIssue(t *testing.T) {
	t.Parallel()
	l := electronicLedger(t)
	draft := l.electronicDraft(t)
	if draft.Numero != nil || draft.Cufe.IsSpecified() && !draft.Cufe.IsNull() {
		t.Fatalf("an e-invoicing draft has numero %v, cufe %v", draft.Numero, draft.Cufe)
	}
	if amounts(draft) != "970000.00 / 22800.00 / 992800.00" || len(draft.ImpuestosDetalle) != 1 || draft.ImpuestosDetalle[0].Tributo != api.TributoN01 {
		t.Fatalf("totals %s, breakdown %+v", amounts(draft), draft.ImpuestosDetalle)
	}
	id := draft.ID.String()
	wantProblem(t, l.e.do(http.MethodGet, "/billing/invoices/"+id+"/xml", l.admin, nil), http.StatusConflict, "invoice_not_issued")
	wantProblem(t, l.e.do(http.MethodGet, "/billing/invoices/"+id+"/pdf", l.admin, nil), http.StatusConflict, "invoice_not_issued")

	r := l.issue(t, id)
	wantStatus(t, r, http.StatusOK)
	inv := decode[api.Invoice](t, r)
	cufe, _ := inv.Cufe.Get()
	qr, _ := inv.Qr.Get()
	if numeroOf(inv.Numero) != "SETP990000000" || !cufePattern.MatchString(cufe) || inv.Status != api.InvoiceStatusISSUED {
		t.Fatalf("issued as %s, cufe %q", numeroOf(inv.Numero), cufe)
	}
	if !strings.Contains(string(r.Body), `-05:00"`) {
		t.Fatalf("issuedAt is not written in Colombia's offset: %s", r.Body)
	}
	issuedAt := inv.IssuedAt.In(time.FixedZone("COT", -5*3600))
	for _, want := range []string{"NumFac: SETP990000000", "NitFac: 900123456", "DocAdq: 900123456", "ValFac: 970000.00", "ValIva: 22800.00",
		"ValOtroIm: 0.00", "ValTolFac: 992800.00", "CUFE: " + cufe, "FecFac: " + issuedAt.Format(time.DateOnly), "HorFac: " + issuedAt.Format("15:04:05-07:00"),
		"QRCode: https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=" + cufe} {
		if !strings.Contains(qr, want) {
			t.Fatalf("QR text lacks %q:\n%s", want, qr)
		}
	}
	// The issue answers what it stored (it does not read the invoice again).
	got := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, "/billing/invoices/"+id, l.admin, nil))
	answered := []string{mustGet(inv.Cufe), mustGet(inv.Qr), numeroOf(inv.Numero), string(inv.Status), inv.IssuedAt.Format(time.RFC3339Nano),
		inv.UpdatedAt.Format(time.RFC3339Nano), inv.CreatedAt.Format(time.RFC3339Nano), amounts(inv), fmt.Sprint(len(inv.Items), len(inv.ImpuestosDetalle))}
	read := []string{mustGet(got.Cufe), mustGet(got.Qr), numeroOf(got.Numero), string(got.Status), got.IssuedAt.Format(time.RFC3339Nano),
		got.UpdatedAt.Format(time.RFC3339Nano), got.CreatedAt.Format(time.RFC3339Nano),
		got.Subtotal.String() + " / " + got.Impuestos.String() + " / " + got.Total.String(), fmt.Sprint(len(got.Items), len(got.ImpuestosDetalle))}
	if !slices.Equal(answered, read) {
		t.Fatalf("the issue answered\n%v\nand a read gives\n%v", answered, read)
	}

	// The document: schema-valid, its UUID the CUFE, which recomputes from
	// its own fields and DIAN's technical key.
	x := l.e.do(http.MethodGet, "/billing/invoices/"+id+"/xml", l.admin, nil)
	wantStatus(t, x, http.StatusOK)
	if ct := x.Header.Get("Content-Type"); ct != "application/xml" {
		t.Fatalf("Content-Type %q", ct)
	}
	validateInvoiceXML(t, x.Body)
	uuid, fields, err := dian.ParseInvoice(x.Body)
	if err != nil {
		t.Fatal(err)
	}
	fields.Key = dianKey
	if uuid != cufe || dian.CUFE(fields) != cufe || fields.FecFac != issuedAt.Format(time.DateOnly) || fields.HorFac != issuedAt.Format("15:04:05-07:00") {
		t.Fatalf("document UUID %s, recomputed %s, stamp %s %s; want %s at %s", uuid, dian.CUFE(fields), fields.FecFac, fields.HorFac, cufe, issuedAt)
	}
	pdf := l.e.do(http.MethodGet, "/billing/invoices/"+id+"/pdf", l.viewerToken(), nil)
	wantStatus(t, pdf, http.StatusOK)
	text := pdfText(t, pdf.Body)
	for _, want := range []string{"Factura electrónica de venta", "SETP990000000", cufe, "18760000001", "Colegio Los Andes S.A.S.", "900123456-8", "Uniforme de diario"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the printed invoice lacks %q:\n%s", want, text)
		}
	}
	if got := pdfQR(t, pdf.Body); got != qr {
		t.Fatalf("the printed QR reads\n%s\nwant\n%s", got, qr)
	}

	// Frozen: renaming the customer and editing the profile change nothing
	// in the issued document, nor in its printed form.
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/customers/"+l.customer.ID.String(), l.admin, map[string]any{"razonSocial": "Otro Nombre S.A.S."}), http.StatusOK)
	edited := schoolProfile()
	edited.RazonSocial, edited.SoftwarePin = "Colegio Renombrado S.A.S.", nil
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, edited), http.StatusOK)
	again := l.e.do(http.MethodGet, "/billing/invoices/"+id+"/xml", l.admin, nil)
	if !bytes.Equal(again.Body, x.Body) {
		t.Fatal("the issued document changed after the customer and the profile were edited")
	}
	text = pdfText(t, l.e.do(http.MethodGet, "/billing/invoices/"+id+"/pdf", l.admin, nil).Body)
	if strings.Contains(text, "Otro Nombre") || strings.Contains(text, "Renombrado") || !strings.Contains(text, "Colegio Los Andes S.A.S.") {
		t.Fatalf("the printed invoice follows later edits:\n%s", text)
	}
	// The range moved on by one.
	list := decode[[]api.NumberingResolution](t, l.e.do(http.MethodGet, "/billing/numbering-resolutions", l.admin, nil))
	if list[0].Siguiente != 990000001 || list[0].Disponibles != 5000000 {
		t.Fatalf("range after one issue: %+v", list[0])
	}
	// An issued electronic invoice is annulled by a credit note, which
	// needs a NOTA_CREDITO range this tenant lacks: it stays ISSUED. A range
	// that has issued can be deactivated and back.
	wantProblem(t, l.e.do(http.MethodPatch, "/billing/invoices/"+id+"/status", l.admin, api.UpdateInvoiceStatus{Status: api.InvoiceStatusCANCELLED}),
		http.StatusConflict, "numbering_resolution_missing")
	if got := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, "/billing/invoices/"+id, l.admin, nil)); got.Status != api.InvoiceStatusISSUED {
		t.Fatalf("a refused annulment left the invoice %s", got.Status)
	}
	rpath := "/billing/numbering-resolutions/" + list[0].ID.String()
	wantStatus(t, l.e.do(http.MethodPatch, rpath, l.admin, api.UpdateNumberingResolution{Activa: ptr(false)}), http.StatusOK)
	wantStatus(t, l.e.do(http.MethodPatch, rpath, l.admin, api.UpdateNumberingResolution{Activa: ptr(true)}), http.StatusOK)
	// Another tenant sees none of it.
	other := l.e.token(l.e.tenant("B"), auth.RoleAdmin)
	for _, p := range []string{"", "/xml", "/pdf"} {
		wantProblem(t, l.e.do(http.MethodGet, "/billing/invoices/"+id+p, other, nil), http.StatusNotFound, "invoice_not_found")
	}
}

func TestElectronicDraftRules(t *testing.T) {
	t.Parallel()
	l := electronicLedger(t)
	p := wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices", l.operador, l.seedInvoice("FV-0001")), http.StatusBadRequest, "numero_assigned_at_issue")
	if !hasField(p, "body.numero") {
		t.Fatalf("problem does not name body.numero: %+v", p.Errors)
	}
	draft := l.electronicDraft(t)
	body := l.seedInvoice("FV-0002")
	wantProblem(t, l.e.do(http.MethodPut, "/billing/invoices/"+draft.ID.String(), l.operador, body), http.StatusBadRequest, "numero_assigned_at_issue")
	delete(body, "numero")
	if got := decode[api.Invoice](t, l.e.do(http.MethodPut, "/billing/invoices/"+draft.ID.String(), l.operador, body)); got.Numero != nil {
		t.Fatalf("edited draft has numero %q", *got.Numero)
	}
	// A draft is cancelled as any draft, and never takes a number.
	got := decode[api.Invoice](t, l.e.do(http.MethodPatch, "/billing/invoices/"+draft.ID.String()+"/status", l.admin, api.UpdateInvoiceStatus{Status: api.InvoiceStatusCANCELLED}))
	if got.Status != api.InvoiceStatusCANCELLED || got.Numero != nil || !got.Cufe.IsNull() {
		t.Fatalf("cancelled draft: %s %q", got.Status, numeroOf(got.Numero))
	}
	if next := decode[api.Invoice](t, l.issue(t, l.electronicDraft(t).ID.String())); numeroOf(next.Numero) != "SETP990000000" {
		t.Fatalf("the first issue after a cancelled draft took %s", numeroOf(next.Numero))
	}
}

// TestSeedTenantUnchanged: a tenant without a fiscal profile keeps the
// seed's contract, and its issued invoices are printed as plain invoices.
func TestSeedTenantUnchanged(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	body := l.seedInvoice("x")
	delete(body, "numero")
	p := wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices", l.operador, body), http.StatusBadRequest, "invalid_request")
	if !hasField(p, "body.numero") {
		t.Fatalf("problem does not name body.numero: %+v", p.Errors)
	}
	inv := createInvoice(t, l.e, l.operador, l.seedInvoice("FV-0001"))
	issued := decode[api.Invoice](t, l.issue(t, inv.ID.String()))
	if numeroOf(issued.Numero) != "FV-0001" || !issued.Cufe.IsNull() || !issued.Qr.IsNull() {
		t.Fatalf("seed issue gave numero %q, cufe %v", numeroOf(issued.Numero), issued.Cufe)
	}
	wantProblem(t, l.e.do(http.MethodGet, "/billing/invoices/"+inv.ID.String()+"/xml", l.admin, nil), http.StatusConflict, "einvoicing_not_configured")
	r := l.e.do(http.MethodGet, "/billing/invoices/"+inv.ID.String()+"/pdf", l.admin, nil)
	wantStatus(t, r, http.StatusOK)
	text := strings.ToLower(pdfText(t, r.Body))
	if strings.Contains(text, "electrónica") || strings.Contains(text, "electronica") || !strings.Contains(text, "fv-0001") || !strings.Contains(text, "1.172.150,00") {
		t.Fatalf("plain printed invoice:\n%s", text)
	}
	// A profile set later does not make it electronic.
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, schoolProfile()), http.StatusOK)
	wantProblem(t, l.e.do(http.MethodGet, "/billing/invoices/"+inv.ID.String()+"/xml", l.admin, nil), http.StatusConflict, "einvoicing_not_configured")
}

func TestIssueRefusals(t *testing.T) {
	t.Parallel()
	t.Run("no resolution", func(t *testing.T) {
		t.Parallel()
		l := newLedger(t)
		legacy := createInvoice(t, l.e, l.operador, l.seedInvoice("FV-0001"))
		wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, schoolProfile()), http.StatusOK)
		draft := l.electronicDraft(t)
		l.wantStaysDraft(t, draft.ID.String(), http.StatusConflict, "numbering_resolution_missing")
		// A draft written before the profile keeps its client numero: it is
		// not issued under a resolution until edited without one.
		wantStatus(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, dianTestRange()), http.StatusCreated)
		l.wantStaysDraft(t, legacy.ID.String(), http.StatusConflict, "invoice_numero_client_chosen")
	})
	t.Run("expired", func(t *testing.T) {
		t.Parallel()
		l := newLedger(t)
		wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, schoolProfile()), http.StatusOK)
		r := dianTestRange()
		r.VigenciaHasta = date(time.Now().In(time.FixedZone("COT", -5*3600)).AddDate(0, 0, -1).Format(time.DateOnly))
		wantStatus(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, r), http.StatusCreated)
		l.wantStaysDraft(t, l.electronicDraft(t).ID.String(), http.StatusConflict, "numbering_resolution_expired")
	})
	t.Run("exhausted after its last number", func(t *testing.T) {
		t.Parallel()
		l := newLedger(t)
		wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, schoolProfile()), http.StatusOK)
		r := dianTestRange()
		r.Desde, r.Hasta = 41, 42
		wantStatus(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, r), http.StatusCreated)
		var got []string
		for range 2 {
			got = append(got, numeroOf(decode[api.Invoice](t, l.issue(t, l.electronicDraft(t).ID.String())).Numero))
		}
		if !slices.Equal(got, []string{"SETP41", "SETP42"}) {
			t.Fatalf("issued %v", got)
		}
		l.wantStaysDraft(t, l.electronicDraft(t).ID.String(), http.StatusConflict, "numbering_range_exhausted")
		res := decode[[]api.NumberingResolution](t, l.e.do(http.MethodGet, "/billing/numbering-resolutions", l.admin, nil))[0]
		if res.Siguiente != 43 || res.Disponibles != 0 || !res.Activa {
			t.Fatalf("exhausted range reads %+v", res)
		}
	})
}

// wantStaysDraft issues id, expects the refusal, and checks the invoice is
// still a DRAFT without numero or CUFE.
func (l *ledger) wantStaysDraft(t *testing.T, id string, status int, code string) {
	t.Helper()
	before := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, "/billing/invoices/"+id, l.admin, nil))
	wantProblem(t, l.issue(t, id), status, code)
	after := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, "/billing/invoices/"+id, l.admin, nil))
	if after.Status != api.InvoiceStatusDRAFT || numeroOf(after.Numero) != numeroOf(before.Numero) || !after.Cufe.IsNull() {
		t.Fatalf("after a refused issue: %s %q", after.Status, numeroOf(after.Numero))
	}
}

// TestConcurrentIssues: 50 issues at once on one range take 50 distinct
// consecutive numbers, with no gap.
func TestConcurrentIssues(t *testing.T) {
	t.Parallel()
	l := electronicLedger(t)
	const n = 50
	ids := make([]string, n)
	for i := range ids {
		ids[i] = l.electronicDraft(t).ID.String()
	}
	numeros := make([]string, n)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			r := l.e.do(http.MethodPatch, "/billing/invoices/"+id+"/status", l.admin, api.UpdateInvoiceStatus{Status: api.InvoiceStatusISSUED})
			if r.Status == http.StatusOK {
				numeros[i] = numeroOf(decode[api.Invoice](t, r).Numero)
			} else {
				numeros[i] = fmt.Sprintf("status %d: %s", r.Status, r.Body)
			}
		})
	}
	wg.Wait()
	slices.Sort(numeros)
	for i, got := range numeros {
		if want := fmt.Sprintf("SETP%d", 990000000+i); got != want {
			t.Fatalf("issue %d took %q, want %q (all: %v)", i, got, want, numeros)
		}
	}
	if res := decode[[]api.NumberingResolution](t, l.e.do(http.MethodGet, "/billing/numbering-resolutions", l.admin, nil))[0]; res.Siguiente != 990000000+n {
		t.Fatalf("range's next number %d after %d issues", res.Siguiente, n)
	}
}

func (l *ledger) viewerToken() string { return l.e.token(l.tenant, auth.RoleViewer) }

func mustGet[T any](n interface{ Get() (T, error) }) T {
	v, _ := n.Get()
	return v
}

// tool finds a checker program: a developer without it skips the check, CI
// (CI=true) fails.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: CI installs it (.ci/run)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return path
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(tool(t, name), args...)
	cmd.Stderr = &stderr // zbarimg complains there about a missing D-Bus
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s%s", name, args, err, out, stderr.Bytes())
	}
	return out
}

func validateInvoiceXML(t *testing.T, doc []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "invoice.xml")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "xmllint", "--noout", "--schema", invoiceSchema, path)
}

// pdfText is the PDF's text as pdftotext reads it, in reading order.
func pdfText(t *testing.T, doc []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	return string(run(t, "pdftotext", "-layout", path, "-"))
}

// pdfQR renders the PDF's last page at 200 dpi, as a reader's scan would,
// and decodes its QR code.
func pdfQR(t *testing.T, doc []byte) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "invoice.pdf")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "pdftoppm", "-r", "200", "-png", path, filepath.Join(dir, "page"))
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	slices.Sort(pages)
	if len(pages) == 0 {
		t.Fatal("pdftoppm rendered no page")
	}
	out := run(t, "zbarimg", "--raw", "-q", pages[len(pages)-1])
	return strings.TrimSuffix(string(out), "\n")
}

func mustDecimal(s string) money.Decimal { return money.Must(s) }

// TestElectronicDocumentOfAwkwardText: names and descriptions with XML's
// special characters, a control character and text beyond Latin-1 still
// give a schema-valid document whose CUFE recomputes, and a printed invoice
// whose QR reads back.
func TestElectronicDocumentOfAwkwardText(t *testing.T) {
	t.Parallel()
	l := electronicLedger(t)
	buyer := createCustomer(t, l.e, l.operador, map[string]any{"razonSocial": `Pérez & Hijos <"Ñandú"> S.A.S.`, "nit": "890903938-8",
		"direccion": "Cra 7 # 12-30\x07 interior 2", "email": "a&b@example.co", "tipoPersona": "JURIDICA"})
	draft := createInvoice(t, l.e, l.operador, api.CreateInvoice{CustomerID: buyer.ID, Items: []api.InvoiceItemInput{
		{Descripcion: ptr("Clase de música ♪ — 3 > 2 & 1 < 2"), Cantidad: mustDecimal("1.5"), ValorUnitario: ptr(mustDecimal("33333.33"))},
	}})
	inv := decode[api.Invoice](t, l.issue(t, draft.ID.String()))
	cufe := mustGet(inv.Cufe)
	x := l.e.do(http.MethodGet, "/billing/invoices/"+draft.ID.String()+"/xml", l.admin, nil)
	wantStatus(t, x, http.StatusOK)
	validateInvoiceXML(t, x.Body)
	uuid, fields, err := dian.ParseInvoice(x.Body)
	if err != nil {
		t.Fatal(err)
	}
	fields.Key = dianKey
	if uuid != cufe || dian.CUFE(fields) != cufe || fields.NumAdq != "890903938" || fields.ValFac.String() != "50000.00" {
		t.Fatalf("document %s / %s, fields %+v", uuid, dian.CUFE(fields), fields)
	}
	pdf := l.e.do(http.MethodGet, "/billing/invoices/"+draft.ID.String()+"/pdf", l.admin, nil)
	wantStatus(t, pdf, http.StatusOK)
	if text := pdfText(t, pdf.Body); !strings.Contains(text, "Pérez & Hijos") {
		t.Fatalf("the printed buyer:\n%s", text)
	}
	if got := pdfQR(t, pdf.Body); got != mustGet(inv.Qr) {
		t.Fatalf("QR reads %q", got)
	}
}
