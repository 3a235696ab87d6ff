package pdf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"billing/internal/billing"
)

// TestInvoiceText reads each kind of printed invoice back with pdftotext
// and checks what FISCAL.md §6 asks it to show, and what it must not.
func TestInvoiceText(t *testing.T) {
	t.Parallel()
	withNIT := plainDoc(t, schoolLines)
	withNIT.Seller.Nit = "900123456"
	cancelled := electronicDoc(t, schoolLines)
	cancelled.Invoice.Status = billing.InvoiceCancelled
	cancelled.Invoice.CancelledAt = ptr(issuedAt.Add(72 * time.Hour))
	common := []string{
		"María José Peña Ñáñez", "Cédula de ciudadanía 1020304050", "Carrera 7 # 45-10, Bogotá",
		"Pensión escolar diciembre 2026 — grado 5°", "Uniforme de diario (camisa y pantalón)",
		"Excluido", "IVA 19 %", "270.000,00", "40.000,00", "80.000,00",
		"Base gravable", "Subtotal $ 350.000,00", "Impuestos $ 15.200,00", "Total $ 365.200,00",
		"Fecha de emisión: 2026-12-02", "Hora de emisión: 10:00:00-05:00",
		"Forma de pago: Contado", "Medio de pago: Efectivo (10)",
		softwareLine, "Página 1 de 1",
	}
	tests := []struct {
		name    string
		doc     billing.Document
		want    []string // in the text, white space made single spaces
		raw     []string // in the text as it comes: on one line
		notWant []string // nowhere in the text, case-insensitively
	}{
		{
			name: "electronic",
			doc:  electronicDoc(t, schoolLines),
			want: append([]string{
				"Factura electrónica de venta", "Colegio Ejemplo S.A.S.", "NIT 900123456-8",
				"Calle 100 # 15-20, Bogotá, D.C., Bogotá", "Tel. 6015550100", "facturacion@colegioejemplo.edu.co",
				"Responsabilidades fiscales: R-99-PN No aplica – otros", "Tributo: ZZ No aplica",
				"No. SETP990000001",
				"Resolución DIAN No. 18760000001 del 2019-01-19, prefijo SETP, rango 990000000 a 995000000, " +
					"vigente del 2019-01-19 al 2030-01-19",
				"Fecha y hora de emisión: 2026-12-02 10:00:00-05:00",
				"Representación gráfica de la factura electrónica de venta",
				"ambiente de pruebas",
			}, common...),
			raw:     []string{"CUFE: " + testCUFE},
			notWant: []string{"ANULADA"},
		},
		{
			name:    "plain",
			doc:     plainDoc(t, schoolLines),
			want:    append([]string{"Factura de venta", "Academia de Música Allegro", "No. FV-1001"}, common...),
			notWant: []string{"electrónica", "electronica", "CUFE", testCUFE, "Resolución", "NIT 9", "QR", "DIAN"},
		},
		{
			name:    "plain with a NIT",
			doc:     withNIT,
			want:    []string{"Factura de venta", "Academia de Música Allegro", "NIT 900123456-8"},
			notWant: []string{"electrónica", "CUFE"},
		},
		{
			name: "cancelled electronic",
			doc:  cancelled,
			want: []string{"Factura electrónica de venta", "ANULADA el 2026-12-05", "Total $ 365.200,00"},
			raw:  []string{testCUFE},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := text(t, render(t, tt.doc))
			flatGot, lowerGot := flat(got), strings.ToLower(got)
			for _, w := range tt.want {
				if !strings.Contains(flatGot, w) {
					t.Errorf("text lacks %q", w)
				}
			}
			for _, w := range tt.raw {
				if !strings.Contains(got, w) {
					t.Errorf("text lacks %q on one line", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(lowerGot, strings.ToLower(w)) {
					t.Errorf("text has %q", w)
				}
			}
			if t.Failed() {
				t.Logf("pdftotext -layout:\n%s", got)
			}
		})
	}
}

// TestInvoiceQR renders page 1 at 200 dpi, as FISCAL.md §6 says to check,
// and reads the QR back: it must hold the Stamp's text exactly, and a plain
// invoice must have none.
func TestInvoiceQR(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  billing.Document
		want string // "" for no QR at all
	}{
		{"electronic", electronicDoc(t, schoolLines), testQR},
		{"electronic, many lines", electronicDoc(t, manyLines(120)), testQR},
		{"plain", plainDoc(t, schoolLines), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The QR closes the document: it is on the last page.
			got, ok := lastPageQR(t, render(t, tt.doc))
			switch {
			case tt.want == "" && ok:
				t.Fatalf("zbarimg found a code on a plain invoice: %q", got)
			case tt.want == "":
			case !ok:
				t.Fatal("zbarimg read no code from the 200 dpi render")
			case got != tt.want:
				t.Errorf("QR holds\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestInvoiceDeterministic: one document gives the same bytes every time,
// whenever it is rendered.
func TestInvoiceDeterministic(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]billing.Document{
		"electronic": electronicDoc(t, schoolLines),
		"plain":      plainDoc(t, schoolLines),
		"many lines": electronicDoc(t, manyLines(120)),
		"discounts":  discountedSchool(t, creditTerms(t)),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			first, err := Invoice(doc)
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				again, err := Invoice(doc)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, again) {
					t.Fatalf("two renders of one document differ (%d and %d bytes)", len(first), len(again))
				}
			}
			if !bytes.Contains(first, []byte("/CreationDate (D:20261202100000)")) {
				t.Errorf("the creation date is not the issue time in Colombia")
			}
		})
	}
}

// TestInvoiceManyLines: 120 lines flow over several pages, each repeating
// the table's header, and the totals and the electronic block follow them.
func TestInvoiceManyLines(t *testing.T) {
	t.Parallel()
	doc := electronicDoc(t, manyLines(120))
	path := render(t, doc)
	if n := pages(t, path); n < 2 {
		t.Fatalf("120 lines fit %d page", n)
	}
	got := text(t, path)
	flatGot := flat(got)
	for _, w := range []string{
		"Línea 1: útiles", "Línea 60: transporte", "Línea 120: transporte",
		"Total $ " + amount(doc.Invoice.Total), "Impuestos $ " + amount(doc.Invoice.Impuestos),
		"(continuación)", "CUFE: " + testCUFE, "Página 2 de",
	} {
		if !strings.Contains(flatGot, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	if heads := strings.Count(got, "Valor unitario"); heads < 2 {
		t.Errorf("the table's header is printed %d times, want once per page", heads)
	}
	// A wrapped description interleaves with the other columns in the
	// text, so each line is found by its number.
	for i := range doc.Invoice.Lines {
		if c := strings.Count(flatGot, "Línea "+strconv.Itoa(i+1)+":"); c != 1 {
			t.Errorf("line %d is printed %d times", i+1, c)
		}
	}
}

// TestInvoiceVectorQR: the QR is drawn, not embedded as an image.
func TestInvoiceVectorQR(t *testing.T) {
	t.Parallel()
	b, err := Invoice(electronicDoc(t, schoolLines))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("/Subtype /Image")) {
		t.Error("the PDF embeds an image")
	}
}

// TestQRSymbol: the symbol is at least 3.5 cm with a quiet zone of 4
// modules, whatever the text's length.
func TestQRSymbol(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
	}{
		{"short", "hola"},
		{"FISCAL §6", testQR},
		{"long", strings.Repeat(testQR, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := newQR(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if q.side() < 35 {
				t.Errorf("side %.1f mm, want at least 35", q.side())
			}
			if q.module < qrModule {
				t.Errorf("module %.2f mm, want at least %.2f", q.module, qrModule)
			}
			if len(q.modules) < 21 || len(q.modules) != len(q.modules[0]) {
				t.Errorf("matrix %d×%d is no QR", len(q.modules), len(q.modules[0]))
			}
			// A bare matrix starts with a finder pattern's dark corner.
			if !q.modules[0][0] {
				t.Error("the matrix carries its own border: the quiet zone would double")
			}
		})
	}
}

// TestInvoiceRefuses: a draft has nothing to print, and an electronic
// invoice without its CUFE or QR text is not one.
func TestInvoiceRefuses(t *testing.T) {
	t.Parallel()
	draft := plainDoc(t, schoolLines)
	draft.Invoice.IssuedAt, draft.Invoice.Status = nil, billing.InvoiceDraft
	noQR := electronicDoc(t, schoolLines)
	noQR.Invoice.Stamp = ptr(*noQR.Invoice.Stamp)
	noQR.Invoice.Stamp.QR = ""
	noCUFE := electronicDoc(t, schoolLines)
	noCUFE.Invoice.Stamp = ptr(*noCUFE.Invoice.Stamp)
	noCUFE.Invoice.Stamp.CUFE = ""
	tooLong := electronicDoc(t, schoolLines)
	tooLong.Invoice.Stamp = ptr(*tooLong.Invoice.Stamp)
	tooLong.Invoice.Stamp.QR = strings.Repeat("x", 5000)
	tests := []struct {
		name   string
		doc    billing.Document
		is     error
		substr string
	}{
		{"draft", draft, ErrNotIssued, "not issued"},
		{"no QR", noQR, nil, "CUFE and QR"},
		{"no CUFE", noCUFE, nil, "CUFE and QR"},
		{"QR too long", tooLong, nil, "encoding the QR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Invoice(tt.doc)
			if err == nil {
				t.Fatalf("Invoice gave %d bytes, want an error", len(b))
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("error %q does not say %q", err, tt.substr)
			}
		})
	}
}

// TestInvoiceLongDescription: a description too long for a page is cut,
// marked with an ellipsis, and the lines after it still print.
func TestInvoiceLongDescription(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Servicio de transporte escolar puerta a puerta ", 200)
	doc := plainDoc(t, []testLine{
		{long, "1", "10000.00", "0", billing.Excluido},
		{"Multi\nlínea", "1", "10000.00", "0", billing.Excluido},
		{"Después del corte", "1", "10000.00", "0", billing.Excluido},
	})
	path := render(t, doc)
	got := flat(text(t, path))
	for _, w := range []string{"…", "Multi", "línea", "Después del corte", "Total $ 30.000,00"} {
		if !strings.Contains(got, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	if c, want := strings.Count(got, "puerta a puerta"), 200; c >= want {
		t.Errorf("the description is printed whole (%d times the phrase), want it cut", c)
	}
}

// TestInvoiceOutsideCP1252: text the core fonts cannot print is replaced,
// not an error, and the rest of the line survives.
func TestInvoiceOutsideCP1252(t *testing.T) {
	t.Parallel()
	doc := plainDoc(t, []testLine{{"Excursión Ωmega 🚌 al museo", "1", "50000.00", "0", billing.Excluido}})
	doc.Invoice.Lines[0].Descripcion = "Excursión Ωmega 🚌 al museo"
	got := flat(text(t, render(t, doc)))
	if !strings.Contains(got, "Excursión .mega . al museo") {
		t.Errorf("text lacks the line with its unprintable characters replaced:\n%s", got)
	}
}

// TestInvoiceWritesFile leaves the sample PDFs, invoices and credit notes,
// in $PDF_SAMPLES when it is set, for a human to look at; it checks nothing
// else.
func TestInvoiceWritesFile(t *testing.T) {
	dir := os.Getenv("PDF_SAMPLES")
	if dir == "" {
		t.Skip("PDF_SAMPLES is not set")
	}
	write := func(name string, b []byte, err error) {
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for name, doc := range map[string]billing.Document{
		"electronic.pdf": electronicDoc(t, schoolLines),
		"plain.pdf":      plainDoc(t, schoolLines),
		"many.pdf":       electronicDoc(t, manyLines(120)),
		"discounts.pdf":  discountedSchool(t, creditTerms(t)),
	} {
		b, err := Invoice(doc)
		write(name, b, err)
	}
	for name, doc := range map[string]billing.CreditNoteDocument{
		"creditnote.pdf":       devolucion(t),
		"creditnote-value.pdf": rebaja(t),
		"creditnote-many.pdf":  manyNote(t),
	} {
		b, err := CreditNote(doc)
		write(name, b, err)
	}
}
