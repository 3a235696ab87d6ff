package pdf

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"billing/internal/billing"
)

// ErrIncompleteNote refuses a credit note without its number, CUDE or QR
// text: without them it is no electronic credit note, and its printed form
// could not be checked against DIAN's.
var ErrIncompleteNote = errors.New("the credit note lacks its number, CUDE or QR text")

// titleCreditNote is the printed credit note's title.
const titleCreditNote = "Nota crédito electrónica"

// noteColumns are a credit note's lines table. The first column is the
// credited line's number on the invoice, so each row is traced to what it
// corrects.
var noteColumns = []column{
	{"Línea", 10, "R", false},
	{"Cantidad", 18, "R", false},
	{"Descripción", 70, "L", true},
	{"Valor unitario", 28, "R", false},
	{"Impuesto", 24, "C", false},
	{"Subtotal", 30, "R", false},
}

// maxMotivoLines bounds the printed motivo: more than twice the API's 500
// characters.
const maxMotivoLines = 12

// valueOnly is the quantity column of a line that credits an amount of an
// invoice line (concepts 3 to 6) and gives back no units.
const valueOnly = "valor"

// CreditNote renders the graphic representation of an electronic credit
// note as PDF bytes, in the invoice's layout (A4 portrait, the same header,
// table, totals and electronic block): the title "Nota crédito electrónica"
// with the note's number and issue date and time; the buyer beside the
// referenced invoice's number and date; the invoice's CUFE, the concept
// (number and name) and the motivo; the credited lines (the invoice line's
// number, the credited quantity or "valor" for a line that credits an amount
// only, description, unit value, tax, subtotal); the tax breakdown; the
// totals (subtotal, impuestos, the document-level descuentos and cargos the
// note takes back when non-zero, total); and the electronic block with the
// NOTA_CREDITO resolution when it has a number, the CUDE and a QR holding
// exactly Note.QR.
//
// A note without its number, CUDE or QR text is refused with
// ErrIncompleteNote. The output is deterministic like Invoice's: the PDF's
// dates are the note's issue date and time (fallbackDate when they do not
// parse).
func CreditNote(doc billing.CreditNoteDocument) ([]byte, error) {
	defer printing()()
	n := doc.Note
	var missing []string
	for _, f := range []struct{ name, value string }{{"number", n.Numero}, {"CUDE", n.CUDE}, {"QR text", n.QR}} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("printing credit note %q: %w (no %s)", n.Numero, ErrIncompleteNote, strings.Join(missing, ", no "))
	}
	qr, err := newQR(n.QR)
	if err != nil {
		return nil, fmt.Errorf("printing credit note %s: %w", n.Numero, err)
	}
	p := &page{
		seller: doc.Seller, title: titleCreditNote, number: n.Numero,
		date: n.IssueDate, time: n.IssueTime, stamped: stampedAt(n.IssueDate, n.IssueTime),
	}
	ref := doc.Invoice
	s := newSheet(p)
	y := s.header(p)
	y = s.parties(doc.Buyer, "FACTURA REFERENCIADA", []string{
		"Número: " + orDash(ref.Numero),
		"Fecha de emisión: " + orDash(ref.IssueDate),
		currencyLine,
	}, y+4)
	y = s.correction(doc, y+3)
	y = s.table(noteColumns, noteRows(n.Lines), y+5)
	y = s.totals(n.Taxes, noteTotals(n.Credit), y+4)
	s.electronic(&stampBlock{
		auth:     noteAuthorisation(doc.Resolution),
		keyName:  "CUDE",
		key:      n.CUDE,
		qr:       qr,
		caption:  "Representación gráfica de la nota crédito electrónica",
		number:   n.Numero,
		issued:   n.IssueDate + " " + n.IssueTime,
		lookup:   doc.QRURL,
		testMode: doc.Seller.Ambiente == billing.AmbientePruebas,
	}, y+6)
	return s.output("credit note " + n.Numero)
}

// noteAuthorisation is the NOTA_CREDITO resolution's sentence, or "" for a
// range recorded without a resolution number: a note's numbering need not
// be authorised like an invoice's, and a sentence of dashes would claim an
// authorisation that does not exist.
func noteAuthorisation(r billing.NumberingResolution) string {
	if deref(r.NumeroResolucion) == "" {
		return ""
	}
	return authorisation(&r)
}

// conceptText writes a credit note concept, number and name: "1 –
// Devolución parcial …"; an unknown concept prints its number alone.
func conceptText(c billing.CreditConcept) string {
	if name := c.Name(); name != "" {
		return strconv.Itoa(int(c)) + " – " + name
	}
	return strconv.Itoa(int(c))
}

// correction draws the box that says what the note corrects and why: the
// invoice's CUFE on one line, the concept and the motivo; it returns the y
// below the box.
func (s *sheet) correction(doc billing.CreditNoteDocument, y float64) float64 {
	const pad, lh = 2.5, 4.2
	const w = contentW - 2*pad
	top := y
	y += pad
	s.font("B", 7.5)
	s.gray(90)
	s.cell(margin+pad, y, w, 3.5, "CORRECCIÓN", "L")
	s.gray(0)
	y += 4

	// The CUFE stays on one line like the invoice's own, so that text
	// extraction gives it back whole.
	s.font("B", 8)
	label := "CUFE de la factura: "
	lw := s.f.GetStringWidth(label) + 2
	s.cell(margin+pad, y, lw, lh, label, "L")
	s.f.SetFont(mono, "", cufeSize)
	s.cell(margin+pad+lw-2, y, w-lw+2, lh, orDash(doc.Invoice.CUFE), "L")
	y += lh

	s.font("", 9)
	y = s.para(margin+pad, y, w, lh, "Concepto: "+conceptText(doc.Note.Concepto), "L")
	// The API bounds a motivo to a few lines; the cut keeps the box on page
	// 1 whatever a stored document holds.
	if m := strings.TrimSpace(doc.Note.Motivo); m != "" {
		for _, line := range s.cutTo(s.wrap("Motivo: "+m, w), w, maxMotivoLines) {
			s.f.SetXY(margin+pad, y)
			s.f.CellFormat(w, lh, string(line), "", 0, "L", false, 0, "")
			y += lh
		}
	}

	bottom := y + pad
	s.f.SetDrawColor(160, 160, 160)
	s.f.SetLineWidth(0.2)
	s.f.Rect(margin, top, contentW, bottom-top, "D")
	return bottom
}

// noteRows are the credit note's table rows, one per credited line.
func noteRows(lines []billing.CreditNoteLine) [][]string {
	rows := make([][]string, len(lines))
	for i, l := range lines {
		qty := valueOnly
		if l.Cantidad.Sign() != 0 {
			qty = figure(l.Cantidad)
		}
		rows[i] = []string{strconv.Itoa(l.Position), qty, l.Descripcion, amount(l.ValorUnitario),
			taxText(l.Tratamiento, l.Tributo, l.Impuesto), amount(l.Subtotal)}
	}
	return rows
}

// noteTotals are a credit note's totals rows: subtotal, impuestos, the
// document-level discounts and charges it takes back when non-zero (their
// conceptos are the invoice's, which the note does not carry), and the
// total credited.
func noteTotals(c billing.Credit) []totalRow {
	rows := []totalRow{
		{label: "Subtotal", value: "$ " + amount(c.Subtotal)},
		{label: "Impuestos", value: "$ " + amount(c.Impuestos)},
	}
	if c.TotalDescuentos.Sign() != 0 {
		rows = append(rows, totalRow{label: labelDiscounts, value: "-$ " + amount(c.TotalDescuentos)})
	}
	if c.TotalCargos.Sign() != 0 {
		rows = append(rows, totalRow{label: labelCharges, value: "$ " + amount(c.TotalCargos)})
	}
	return append(rows, totalRow{label: "Total", value: "$ " + amount(c.Total)})
}
