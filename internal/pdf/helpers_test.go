package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/money"
)

// testCUFE is a 96-hex CUFE of the shape FISCAL.md §4 gives.
const testCUFE = "8bb918b19ba22a694f1da11c643b5e9de39adf60311cf179179e9b33381030bcd4c3c3f156c506ed5908f9276f5bd9b4"

// testQRURL is DIAN's test lookup address of testCUFE.
const testQRURL = "https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=" + testCUFE

// testQR is the printed QR's text for the electronic test invoice
// (FISCAL.md §6).
const testQR = "NumFac: SETP990000001\n" +
	"FecFac: 2026-12-02\n" +
	"HorFac: 10:00:00-05:00\n" +
	"NitFac: 900123456\n" +
	"DocAdq: 1020304050\n" +
	"ValFac: 350000.00\n" +
	"ValIva: 15200.00\n" +
	"ValOtroIm: 0.00\n" +
	"ValTolFac: 365200.00\n" +
	"CUFE: " + testCUFE + "\n" +
	"QRCode: " + testQRURL

// testLine is an invoice line before its subtotal is computed.
type testLine struct {
	desc      string
	qty, unit string
	rate      string
	treatment billing.TaxTreatment
}

// schoolLines are a school's invoice: excluded tuition and a uniform taxed
// at 19 % (FISCAL.md §2), 350 000 before tax, 15 200 of IVA.
var schoolLines = []testLine{
	{"Pensión escolar diciembre 2026 — grado 5°", "1", "270000.00", "0", billing.Excluido},
	{"Uniforme de diario (camisa y pantalón)", "2", "40000.00", "19", billing.Gravado},
}

// lineDiscount is a test line's discount: a percentage or an amount ("" for
// neither).
type lineDiscount struct{ percent, amount string }

// lines builds invoice lines and their totals with the real calculator.
func lines(t testing.TB, tl []testLine) ([]billing.InvoiceLine, billing.Totals) {
	t.Helper()
	return priced(t, tl, nil, nil, nil)
}

// priced builds invoice lines with the line discounts ds (by position; a
// shorter slice leaves the rest without) and their totals with the
// document-level discounts and charges, with the real calculator.
func priced(t testing.TB, tl []testLine, ds []lineDiscount, descuentos, cargos []billing.Adjustment) ([]billing.InvoiceLine, billing.Totals) {
	t.Helper()
	in := make([]billing.Line, len(tl))
	out := make([]billing.InvoiceLine, len(tl))
	for i, l := range tl {
		in[i] = billing.Line{Cantidad: money.Must(l.qty).Rescale(3), ValorUnitario: money.Must(l.unit).Rescale(2),
			Impuesto: money.Must(l.rate).Rescale(2), Tributo: billing.SchemeIVA, Tratamiento: l.treatment}
		if i < len(ds) && ds[i].percent != "" {
			in[i].Descuento = ptr(money.Must(ds[i].percent).Rescale(2))
		}
		if i < len(ds) && ds[i].amount != "" {
			in[i].DescuentoValor = ptr(money.Must(ds[i].amount).Rescale(2))
		}
		out[i] = billing.InvoiceLine{ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i), byte(i >> 8)}),
			Descripcion: l.desc, Cantidad: in[i].Cantidad, ValorUnitario: in[i].ValorUnitario,
			Impuesto: in[i].Impuesto, Tributo: billing.SchemeIVA, Tratamiento: l.treatment, Descuento: in[i].Descuento}
	}
	totals, err := billing.ComputeTotals(in, valores(descuentos), valores(cargos))
	if err != nil {
		t.Fatalf("ComputeTotals: %v", err)
	}
	for i := range out {
		out[i].ValorBruto, out[i].ValorDescuento, out[i].Subtotal = totals.LineGross[i], totals.LineDiscounts[i], totals.LineSubtotals[i]
	}
	return out, totals
}

// valores are the amounts of adjustments, as the calculator takes them.
func valores(adjs []billing.Adjustment) []money.Decimal {
	out := make([]money.Decimal, len(adjs))
	for i, a := range adjs {
		out[i] = a.Valor
	}
	return out
}

// discounted is doc with lines tl priced again with the line discounts ds
// and the document-level descuentos and cargos.
func discounted(t testing.TB, doc billing.Document, tl []testLine, ds []lineDiscount, descuentos, cargos []billing.Adjustment) billing.Document {
	t.Helper()
	ls, totals := priced(t, tl, ds, descuentos, cargos)
	inv := &doc.Invoice
	inv.Lines, inv.Subtotal, inv.Impuestos, inv.Total, inv.Taxes = ls, totals.Subtotal, totals.Impuestos, totals.Total, totals.Taxes
	inv.Descuentos, inv.Cargos, inv.TotalDescuentos, inv.TotalCargos = descuentos, cargos, totals.TotalDescuentos, totals.TotalCargos
	return doc
}

// adjustment is a document-level discount or charge.
func adjustment(concepto, valor string) billing.Adjustment {
	return billing.Adjustment{Concepto: concepto, Valor: money.Must(valor).Rescale(2)}
}

func ptr[T any](v T) *T { return &v }

// issuedAt is the test invoices' issue: 2026-12-02 10:00:00 in Colombia.
var issuedAt = time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)

// electronicDoc is the school's electronic invoice SETP990000001 under
// DIAN's test resolution, to a parent identified by cédula.
func electronicDoc(t testing.TB, tl []testLine) billing.Document {
	t.Helper()
	doc := plainDoc(t, tl)
	doc.Seller = billing.FiscalProfile{
		Nit:               "900123456",
		RazonSocial:       "Colegio Ejemplo S.A.S.",
		NombreComercial:   ptr("Colegio Ejemplo"),
		TipoPersona:       billing.PersonaJuridica,
		Responsabilidades: []string{"R-99-PN"},
		Tributo:           "ZZ",
		Direccion:         "Calle 100 # 15-20",
		Municipio:         "11001",
		Ciudad:            "Bogotá, D.C.",
		Departamento:      "Bogotá",
		Email:             "facturacion@colegioejemplo.edu.co",
		Telefono:          ptr("6015550100"),
		Ambiente:          billing.AmbientePruebas,
		SoftwareID:        "56f2ae4e-9812-4fad-9255-08fcfcd5ccb0",
	}
	doc.Resolution = &billing.NumberingResolution{
		ID:               uuid.MustParse("7f0c5b8e-4d0a-4c55-9a57-2f3f7f0a1a01"),
		TipoDocumento:    billing.KindFactura,
		NumeroResolucion: ptr("18760000001"),
		FechaResolucion:  ptr(billing.NewDate(2019, time.January, 19)),
		Prefijo:          "SETP",
		Desde:            990000000,
		Hasta:            995000000,
		VigenciaDesde:    ptr(billing.NewDate(2019, time.January, 19)),
		VigenciaHasta:    ptr(billing.NewDate(2030, time.January, 19)),
		Activa:           true,
		Siguiente:        990000002,
	}
	doc.Invoice.Numero = "SETP990000001"
	doc.Invoice.Stamp = &billing.Stamp{
		ResolutionID: doc.Resolution.ID,
		Consecutivo:  990000001,
		IssueDate:    "2026-12-02",
		IssueTime:    "10:00:00-05:00",
		CUFE:         testCUFE,
		QR:           testQR,
	}
	doc.QRURL = testQRURL
	return doc
}

// plainDoc is a tenant without a fiscal profile invoicing the same lines
// the seed's way: numero FV-1001, no resolution, no stamp.
func plainDoc(t testing.TB, tl []testLine) billing.Document {
	t.Helper()
	ls, totals := lines(t, tl)
	buyer := billing.Customer{
		ID:                 uuid.MustParse("0b7e3c56-1d7e-4f7b-8f0e-6f1f2a3b4c5d"),
		RazonSocial:        "María José Peña Ñáñez",
		Nit:                "1020304050",
		Email:              ptr("maria.pena@example.com"),
		Direccion:          ptr("Carrera 7 # 45-10, Bogotá"),
		TipoIdentificacion: billing.IDCedula,
		TipoPersona:        ptr(billing.PersonaNatural),
		Status:             "ACTIVE",
	}
	return billing.Document{
		Seller: billing.FiscalProfile{RazonSocial: "Academia de Música Allegro"},
		Invoice: billing.Invoice{
			ID:        uuid.MustParse("3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99"),
			Numero:    "FV-1001",
			Status:    billing.InvoiceIssued,
			Customer:  buyer,
			Lines:     ls,
			Subtotal:  totals.Subtotal,
			Impuestos: totals.Impuestos,
			Total:     totals.Total,
			Taxes:     totals.Taxes,
			IssuedAt:  &issuedAt,
			CreatedAt: issuedAt.Add(-time.Hour),
			UpdatedAt: issuedAt,
		},
	}
}

// manyLines is n taxed and excluded lines, enough to need several pages.
func manyLines(n int) []testLine {
	out := make([]testLine, n)
	for i := range out {
		out[i] = testLine{fmt.Sprintf("Línea %d: transporte escolar ruta norte", i+1), "1", "10000.00", "0", billing.Excluido}
		if i%3 == 0 {
			out[i] = testLine{fmt.Sprintf("Línea %d: útiles escolares, cuaderno cuadriculado de 100 hojas con tapa dura", i+1), "3", "4500.50", "19", billing.Gravado}
		}
	}
	return out
}

// tool finds a command line tool, skipping the test without it, except in
// CI, where a missing tool fails it: CI must check what it claims to.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is needed by this test (poppler-utils, zbar-tools): %v", name, err)
	}
	t.Skipf("%s is not installed: %v", name, err)
	return ""
}

// run runs a tool and returns its standard output.
func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// render writes the PDF of doc to a temporary file and returns its path.
func render(t *testing.T, doc billing.Document) string {
	t.Helper()
	b, err := Invoice(doc)
	if err != nil {
		t.Fatalf("Invoice: %v", err)
	}
	return save(t, b)
}

// renderNote writes the PDF of a credit note to a temporary file and
// returns its path.
func renderNote(t *testing.T, doc billing.CreditNoteDocument) string {
	t.Helper()
	b, err := CreditNote(doc)
	if err != nil {
		t.Fatalf("CreditNote: %v", err)
	}
	return save(t, b)
}

// save writes PDF bytes to a temporary file and returns its path.
func save(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "document.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// lastPageQR renders the last page of the PDF at path at 200 dpi, as
// FISCAL.md §6 says to check, and reads a QR from it with zbarimg: its text,
// and whether one was read at all.
func lastPageQR(t *testing.T, path string) (string, bool) {
	t.Helper()
	n := pages(t, path)
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "200", "-png", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), "-singlefile", path, prefix)
	out, err := exec.Command(tool(t, "zbarimg"), "--raw", "-q", prefix+".png").Output()
	if err != nil || len(out) == 0 {
		return "", false
	}
	return strings.TrimSuffix(string(out), "\n"), true
}

// text is pdftotext -layout's text of the PDF at path.
func text(t *testing.T, path string) string {
	t.Helper()
	return string(run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"))
}

// rawText is pdftotext -raw's text of the PDF at path: the text in the
// order it was drawn, so that a paragraph wrapped in a narrow column comes
// back whole, where -layout interleaves it with the column beside it.
func rawText(t *testing.T, path string) string {
	t.Helper()
	return string(run(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-"))
}

var spaces = regexp.MustCompile(`\s+`)

// flat is s with every run of white space made one space, so that a
// sentence wrapped over lines (or spread by -layout) compares as written.
func flat(s string) string { return spaces.ReplaceAllString(s, " ") }

// testCUDE is a 96-hex CUDE, FISCAL.md §4's vector.
const testCUDE = "907e4444decc9e59c160a2fb3b6659b33dc5b632a5008922b9a62f83f757b1c448e47f5867f2b50dbdb96f48c7681168"

// testNoteQRURL is DIAN's test lookup address of testCUDE.
const testNoteQRURL = "https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=" + testCUDE

// noteQR is a credit note's printed QR text, the invoice's keys with the
// note's figures.
func noteQR(numero string, c billing.Credit) string {
	return "NumFac: " + numero + "\n" +
		"FecFac: 2026-12-10\n" +
		"HorFac: 08:30:00-05:00\n" +
		"NitFac: 900123456\n" +
		"DocAdq: 1020304050\n" +
		"ValFac: " + c.Subtotal.String() + "\n" +
		"ValIva: " + c.Impuestos.String() + "\n" +
		"ValOtroIm: 0.00\n" +
		"ValTolFac: " + c.Total.String() + "\n" +
		"CUDE: " + testCUDE + "\n" +
		"QRCode: " + testNoteQRURL
}

// creditNoteDoc is credit note NC990000001 against the electronic invoice
// of inv (electronicDoc's, or one priced again), of concept c crediting
// reqs, computed with the real credit calculator.
func creditNoteDoc(t testing.TB, invDoc billing.Document, c billing.CreditConcept, reqs []billing.CreditRequest) billing.CreditNoteDocument {
	t.Helper()
	inv := invDoc.Invoice
	groups := make([]billing.CreditedGroup, len(inv.Taxes))
	for i, g := range inv.Taxes {
		groups[i] = billing.CreditedGroup{TaxGroup: g, BaseAcreditada: money.New(0, -2), ValorAcreditado: money.New(0, -2)}
	}
	for i := range inv.Lines {
		inv.Lines[i].CantidadAcreditada, inv.Lines[i].ValorAcreditado = money.New(0, -3), money.New(0, -2)
	}
	inv.Acreditado = money.New(0, -2)
	credit, err := billing.ComputeCredit(c, inv, groups, reqs)
	if err != nil {
		t.Fatalf("ComputeCredit: %v", err)
	}
	const numero = "NC990000001"
	res := *invDoc.Resolution
	res.ID, res.TipoDocumento, res.Prefijo, res.NumeroResolucion = uuid.MustParse("7f0c5b8e-4d0a-4c55-9a57-2f3f7f0a1a02"), billing.KindNotaCredito, "NC", ptr("18760000002")
	return billing.CreditNoteDocument{
		Seller:     invDoc.Seller,
		Resolution: res,
		Note: billing.CreditNote{
			ID:           uuid.MustParse("5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"),
			InvoiceID:    inv.ID,
			Numero:       numero,
			ResolutionID: res.ID,
			Consecutivo:  990000001,
			Concepto:     c,
			Motivo:       "Devolución de un uniforme talla 10 sin usar",
			IssueDate:    "2026-12-10",
			IssueTime:    "08:30:00-05:00",
			CUDE:         testCUDE,
			QR:           noteQR(numero, credit),
			Credit:       credit,
			Actor:        "admin",
			CreatedAt:    time.Date(2026, 12, 10, 13, 30, 0, 0, time.UTC),
		},
		Invoice:              billing.InvoiceReference{ID: inv.ID, Numero: inv.Numero, CUFE: inv.Stamp.CUFE, IssueDate: inv.Stamp.IssueDate},
		Buyer:                inv.Customer,
		SoftwareSecurityCode: strings.Repeat("ab", 48),
		QRURL:                testNoteQRURL,
	}
}

// byQuantity asks to credit q units of line i of doc's invoice.
func byQuantity(doc billing.Document, i int, q string) billing.CreditRequest {
	return billing.CreditRequest{ItemID: doc.Invoice.Lines[i].ID, Cantidad: ptr(money.Must(q))}
}

// byValue asks to credit an amount of line i of doc's invoice.
func byValue(doc billing.Document, i int, v string) billing.CreditRequest {
	return billing.CreditRequest{ItemID: doc.Invoice.Lines[i].ID, Valor: ptr(money.Must(v))}
}

// pages is pdfinfo's page count of the PDF at path.
func pages(t *testing.T, path string) int {
	t.Helper()
	for _, line := range strings.Split(string(run(t, "pdfinfo", path)), "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("pdfinfo Pages %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatal("pdfinfo printed no Pages")
	return 0
}
