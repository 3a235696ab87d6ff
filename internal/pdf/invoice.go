package pdf

import (
	"errors"
	"fmt"
	"time"

	"billing/internal/billing"
)

// ErrNotIssued refuses a document whose invoice was never issued (a draft):
// it has no number or issue date to print.
var ErrNotIssued = errors.New("the invoice is not issued")

// Titles of the two kinds of printed invoice. Only an electronic invoice may
// call itself one.
const (
	titleElectronic = "Factura electrónica de venta"
	titlePlain      = "Factura de venta"
)

// softwareLine names the software that made the document, which FISCAL.md
// §6 asks the printed representation to show.
const softwareLine = "Software: billing — elaborado por el emisor"

// fallbackDate stamps the PDF's metadata when the document carries no time
// at all: fpdf would put the current time there, and the same document must
// always give the same bytes.
var fallbackDate = time.Date(2000, 1, 1, 0, 0, 0, 0, billing.Colombia)

// view is what the renderer needs of an invoice, settled once: what its
// pages name, the kind, the payment terms and the QR.
type view struct {
	page
	doc        billing.Document
	electronic bool
	pay        paymentTerms
	qr         qrSymbol // electronic invoices only
}

// newView checks that doc can be printed and settles its view.
func newView(doc billing.Document) (*view, error) {
	inv := doc.Invoice
	v := &view{
		page: page{seller: doc.Seller, title: titlePlain, number: inv.Numero, stamped: fallbackDate},
		doc:  doc, electronic: doc.Electronic(), pay: paymentOf(doc),
	}
	switch {
	case v.electronic:
		st := inv.Stamp
		if st.CUFE == "" || st.QR == "" {
			return nil, fmt.Errorf("invoice %s: an electronic invoice needs its CUFE and QR text", inv.Numero)
		}
		qr, err := newQR(st.QR)
		if err != nil {
			return nil, fmt.Errorf("invoice %s: %w", inv.Numero, err)
		}
		v.title, v.qr = titleElectronic, qr
		// The stamp's texts are the ones the CUFE and the QR were computed
		// from; printing anything else could contradict them.
		v.date, v.time = st.IssueDate, st.IssueTime
		v.stamped = stampedAt(st.IssueDate, st.IssueTime)
	case inv.IssuedAt != nil:
		at := inv.IssuedAt.In(billing.Colombia)
		v.date, v.time = at.Format(time.DateOnly), at.Format("15:04:05-07:00")
	default:
		return nil, fmt.Errorf("invoice %s: %w", inv.ID, ErrNotIssued)
	}
	if inv.IssuedAt != nil {
		v.stamped = *inv.IssuedAt
	}
	if inv.Status == billing.InvoiceCancelled {
		v.mark = "ANULADA"
		if inv.CancelledAt != nil {
			v.mark += " el " + billing.DateOf(*inv.CancelledAt).String()
		}
	}
	return v, nil
}

// Invoice renders the printed invoice of doc as PDF bytes: A4 portrait,
// laid out as the package comment describes.
//
// When doc.Electronic() it is the graphic representation of a "Factura
// electrónica de venta" with everything FISCAL.md §6 lists: the numbering
// authorisation, the issue date and time of the Stamp, the CUFE and a QR
// holding exactly Stamp.QR. Otherwise it is a plain "Factura de venta",
// issued at Invoice.IssuedAt (printed in Colombian time), with no CUFE, no QR
// and no claim to be electronic. A draft (neither issued nor stamped) is
// refused with ErrNotIssued.
//
// Both print the invoice's payment terms (forma and medio de pago, and the
// due date when it has one; a document stored before invoices carried terms
// prints billing.DefaultPaymentTerms), each line's gross value and discount
// when any line has one, and the document-level discounts and charges with
// their conceptos above the total.
//
// Text is printed in cp1252 with PDF's core fonts: Spanish text prints and
// extracts as itself, but a character outside cp1252 (an emoji, a Greek or
// Cyrillic letter) is printed as '.'.
//
// The output is deterministic: the PDF's creation and modification dates are
// the issue time and its catalogues are sorted, so one document always gives
// the same bytes.
func Invoice(doc billing.Document) ([]byte, error) {
	defer printing()()
	v, err := newView(doc)
	if err != nil {
		return nil, fmt.Errorf("printing the invoice: %w", err)
	}
	s := newSheet(&v.page)
	y := s.header(&v.page)
	y = s.parties(doc.Invoice.Customer, "CONDICIONES DE PAGO", v.pay.lines(), y+4)
	cols, rows := invoiceTable(doc.Invoice)
	y = s.table(cols, rows, y+5)
	y = s.totals(doc.Invoice.Taxes, invoiceTotals(doc.Invoice), y+4)
	if v.electronic {
		s.electronic(v.stampBlock(), y+6)
	}
	return s.output("invoice " + doc.Invoice.Numero)
}
