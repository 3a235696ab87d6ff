package pdf

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"billing/internal/billing"
)

// devolucion is a concept 1 note giving back one of the two uniforms:
// 40 000 and 7 600 of IVA.
func devolucion(t testing.TB) billing.CreditNoteDocument {
	t.Helper()
	inv := electronicDoc(t, schoolLines)
	return creditNoteDoc(t, inv, billing.ConceptDevolucion, []billing.CreditRequest{byQuantity(inv, 1, "1")})
}

// rebaja is a concept 3 note taking 20 000 off the (excluded) tuition and
// 10 000 off the uniforms: amounts, no units.
func rebaja(t testing.TB) billing.CreditNoteDocument {
	t.Helper()
	inv := electronicDoc(t, schoolLines)
	doc := creditNoteDoc(t, inv, billing.ConceptRebaja, []billing.CreditRequest{byValue(inv, 0, "20000"), byValue(inv, 1, "10000")})
	doc.Note.Motivo = "Beca parcial de diciembre"
	return doc
}

// anulacion is a concept 2 note annulling the discounted invoice: it takes
// everything back, the document-level discount and charge included.
func anulacion(t testing.TB) billing.CreditNoteDocument {
	t.Helper()
	doc := creditNoteDoc(t, discountedSchool(t, nil), billing.ConceptAnulacion, nil)
	doc.Note.Motivo = "Factura emitida al acudiente equivocado"
	return doc
}

// manyNote gives back a unit of each of 120 lines.
func manyNote(t testing.TB) billing.CreditNoteDocument {
	t.Helper()
	inv := electronicDoc(t, manyLines(120))
	reqs := make([]billing.CreditRequest, len(inv.Invoice.Lines))
	for i := range reqs {
		reqs[i] = byQuantity(inv, i, "1")
	}
	return creditNoteDoc(t, inv, billing.ConceptDevolucion, reqs)
}

// TestCreditNoteText reads printed credit notes back with pdftotext: the
// title, number, issue, seller, buyer, the referenced invoice (number, CUFE,
// date), concept and motivo, the lines, taxes and totals, and the CUDE.
func TestCreditNoteText(t *testing.T) {
	t.Parallel()
	production := devolucion(t)
	production.Seller.Ambiente = billing.AmbienteProduccion
	production.Resolution.NumeroResolucion = nil
	production.QRURL = ""
	production.Note.Motivo = "  "
	longMotivo := devolucion(t)
	longMotivo.Note.Motivo = strings.Repeat("Devolución por talla equivocada, ", 200)
	common := []string{
		"Nota crédito electrónica", "No. NC990000001",
		"Fecha de emisión: 2026-12-10", "Hora de emisión: 08:30:00-05:00",
		"Colegio Ejemplo S.A.S.", "NIT 900123456-8",
		"María José Peña Ñáñez", "Cédula de ciudadanía 1020304050",
		"FACTURA REFERENCIADA", "Número: SETP990000001", "Fecha de emisión: 2026-12-02",
		"CUFE de la factura: " + testCUFE,
		"Línea Cantidad Descripción Valor unitario Impuesto Subtotal",
		"Representación gráfica de la nota crédito electrónica", "Número: NC990000001",
		"Fecha y hora de emisión: 2026-12-10 08:30:00-05:00",
		softwareLine, "NC990000001 · Página 1 de 1",
	}
	tests := []struct {
		name    string
		doc     billing.CreditNoteDocument
		want    []string
		notWant []string
	}{
		{
			name: "devolución of one uniform",
			doc:  devolucion(t),
			want: append([]string{
				"Concepto: 1 – Devolución parcial de los bienes y/o no aceptación parcial del servicio",
				"Motivo: Devolución de un uniforme talla 10 sin usar",
				"2 1 Uniforme de diario (camisa y pantalón) 40.000,00 IVA 19 % 40.000,00",
				"IVA 19 % 40.000,00 7.600,00",
				"Subtotal $ 40.000,00", "Impuestos $ 7.600,00", "Total $ 47.600,00",
				"Numeración autorizada: Resolución DIAN No. 18760000002", "prefijo NC",
				"ambiente de pruebas", "https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=907e4444",
			}, common...),
			notWant: []string{"Pensión escolar", "Descuentos", "Cargos"},
		},
		{
			name: "rebaja by value",
			doc:  rebaja(t),
			want: append([]string{
				"Concepto: 3 – Rebaja o descuento parcial o total", "Motivo: Beca parcial de diciembre",
				"1 valor Pensión escolar diciembre 2026 — grado 5° 270.000,00 Excluido 20.000,00",
				"2 valor Uniforme de diario (camisa y pantalón) 40.000,00 IVA 19 % 10.000,00",
				"IVA 19 % 10.000,00 1.900,00",
				"Subtotal $ 30.000,00", "Impuestos $ 1.900,00", "Total $ 31.900,00",
			}, common...),
			notWant: []string{"Descuentos", "Cargos"},
		},
		{
			name: "anulación with the document's discount and charge",
			doc:  anulacion(t),
			want: append([]string{
				"Concepto: 2 – Anulación de factura electrónica", "Motivo: Factura emitida al acudiente equivocado",
				"1 1 Pensión escolar diciembre 2026 — grado 5° 270.000,00 Excluido 250.000,00",
				"2 2 Uniforme de diario (camisa y pantalón) 40.000,00 IVA 19 % 72.000,00",
				"Subtotal $ 322.000,00", "Impuestos $ 13.680,00",
				"Descuentos -$ 5.000,00", "Cargos $ 3.000,00", "Total $ 333.680,00",
			}, common...),
			notWant: []string{"Total a pagar"},
		},
		{
			name: "production, no resolution number, no lookup address, no motivo",
			doc:  production,
			want: append([]string{
				"Concepto: 1 – Devolución parcial", "Consulte este documento en la DIAN escaneando el código QR.",
			}, common...),
			notWant: []string{"Numeración autorizada", "Motivo", "ambiente de pruebas", "catalogo-vpfe"},
		},
		{
			name:    "a motivo too long for a page is cut",
			doc:     longMotivo,
			want:    append([]string{"Motivo: Devolución por talla equivocada, Devolución", "…", "Total $ 47.600,00"}, common...),
			notWant: []string{"Página 2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			notWant := append([]string{"Factura electrónica de venta", "Forma de pago", "ANULADA"}, tt.notWant...)
			checkText(t, text(t, renderNote(t, tt.doc)), tt.want, []string{"CUDE: " + testCUDE, testCUFE}, notWant)
		})
	}
}

// TestCreditNoteQR renders the last page at 200 dpi and reads the QR back:
// it holds Note.QR exactly, however many pages the lines take.
func TestCreditNoteQR(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  billing.CreditNoteDocument
	}{
		{"devolución", devolucion(t)},
		{"rebaja by value", rebaja(t)},
		{"anulación", anulacion(t)},
		{"120 lines", manyNote(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := lastPageQR(t, renderNote(t, tt.doc))
			if !ok {
				t.Fatal("zbarimg read no code from the 200 dpi render")
			}
			if got != tt.doc.Note.QR {
				t.Errorf("QR holds\n%q\nwant\n%q", got, tt.doc.Note.QR)
			}
		})
	}
}

// TestCreditNoteManyLines: 120 credited lines flow over pages that repeat
// the table's header under a continuation header naming the note, and
// each line prints once.
func TestCreditNoteManyLines(t *testing.T) {
	t.Parallel()
	doc := manyNote(t)
	path := renderNote(t, doc)
	if n := pages(t, path); n < 2 {
		t.Fatalf("120 lines fit %d page", n)
	}
	got := text(t, path)
	flatGot := flat(got)
	for _, w := range []string{
		"Nota crédito electrónica No. NC990000001 (continuación)", "Página 2 de",
		"Total $ " + amount(doc.Note.Total), "CUDE: " + testCUDE,
	} {
		if !strings.Contains(flatGot, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	if heads := strings.Count(got, "Valor unitario"); heads < 2 {
		t.Errorf("the table's header is printed %d times, want once per page", heads)
	}
	for i := range doc.Note.Lines {
		if c := strings.Count(flatGot, "Línea "+strconv.Itoa(i+1)+":"); c != 1 {
			t.Errorf("line %d is printed %d times", i+1, c)
		}
	}
}

// TestCreditNoteDeterministic: one note gives the same bytes every time,
// dated by its issue.
func TestCreditNoteDeterministic(t *testing.T) {
	t.Parallel()
	undated := devolucion(t)
	undated.Note.IssueDate, undated.Note.IssueTime = "", ""
	tests := []struct {
		name    string
		doc     billing.CreditNoteDocument
		created string
	}{
		{"devolución", devolucion(t), "/CreationDate (D:20261210083000)"},
		{"rebaja by value", rebaja(t), "/CreationDate (D:20261210083000)"},
		{"120 lines", manyNote(t), "/CreationDate (D:20261210083000)"},
		{"no issue texts: fallbackDate", undated, "/CreationDate (D:20000101000000)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			first, err := CreditNote(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				again, err := CreditNote(tt.doc)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, again) {
					t.Fatalf("two renders of one note differ (%d and %d bytes)", len(first), len(again))
				}
			}
			if !bytes.Contains(first, []byte(tt.created)) {
				t.Errorf("the PDF lacks %s", tt.created)
			}
			if bytes.Contains(first, []byte("/Subtype /Image")) {
				t.Error("the PDF embeds an image: the QR must be drawn")
			}
		})
	}
}

// TestCreditNoteRefuses: a note without its number, CUDE or QR text is no
// electronic credit note, and a QR text too long to encode is an error.
func TestCreditNoteRefuses(t *testing.T) {
	t.Parallel()
	with := func(change func(*billing.CreditNote)) billing.CreditNoteDocument {
		doc := devolucion(t)
		change(&doc.Note)
		return doc
	}
	tests := []struct {
		name   string
		doc    billing.CreditNoteDocument
		is     error
		substr string
	}{
		{"no number", with(func(n *billing.CreditNote) { n.Numero = "" }), ErrIncompleteNote, "no number"},
		{"no CUDE", with(func(n *billing.CreditNote) { n.CUDE = "" }), ErrIncompleteNote, "no CUDE"},
		{"no QR", with(func(n *billing.CreditNote) { n.QR = "" }), ErrIncompleteNote, "no QR text"},
		{"nothing", with(func(n *billing.CreditNote) { *n = billing.CreditNote{} }), ErrIncompleteNote, "no number, no CUDE, no QR text"},
		{"QR too long", with(func(n *billing.CreditNote) { n.QR = strings.Repeat("x", 5000) }), nil, "encoding the QR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := CreditNote(tt.doc)
			if err == nil {
				t.Fatalf("CreditNote gave %d bytes, want an error", len(b))
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.substr) || !strings.Contains(err.Error(), "credit note") {
				t.Errorf("error %q does not say %q of a credit note", err, tt.substr)
			}
		})
	}
}
