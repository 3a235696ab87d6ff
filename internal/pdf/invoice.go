package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"

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

// fallbackDate stamps the PDF's metadata when the invoice carries no time at
// all: fpdf would put the current time there, and the same document must
// always give the same bytes.
var fallbackDate = time.Date(2000, 1, 1, 0, 0, 0, 0, billing.Colombia)

// view is what the renderer needs of a document, settled once: the kind,
// the texts of the issue date and time, and the QR.
type view struct {
	doc        billing.Document
	electronic bool
	title      string
	date, time string    // issue date (YYYY-MM-DD) and time (HH:MM:SS-05:00)
	stamped    time.Time // for the PDF's creation date
	pay        paymentTerms
	qr         qrSymbol // electronic invoices only
}

// newView checks that doc can be printed and settles its view.
func newView(doc billing.Document) (*view, error) {
	inv := doc.Invoice
	v := &view{doc: doc, electronic: doc.Electronic(), title: titlePlain, pay: paymentOf(doc), stamped: fallbackDate}
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
		if t, err := time.Parse(time.RFC3339, st.IssueDate+"T"+st.IssueTime); err == nil {
			v.stamped = t
		}
	case inv.IssuedAt != nil:
		at := inv.IssuedAt.In(billing.Colombia)
		v.date, v.time = at.Format(time.DateOnly), at.Format("15:04:05-07:00")
	default:
		return nil, fmt.Errorf("invoice %s: %w", inv.ID, ErrNotIssued)
	}
	if inv.IssuedAt != nil {
		v.stamped = *inv.IssuedAt
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
// Text is printed in cp1252 with PDF's core fonts: Spanish text prints and
// extracts as itself, but a character outside cp1252 (an emoji, a Greek or
// Cyrillic letter) is printed as '.'.
//
// The output is deterministic: the PDF's creation and modification dates are
// the issue time and its catalogues are sorted, so one document always gives
// the same bytes.
func Invoice(doc billing.Document) ([]byte, error) {
	v, err := newView(doc)
	if err != nil {
		return nil, fmt.Errorf("printing the invoice: %w", err)
	}
	f := fpdf.New("P", "mm", "A4", "")
	s := &sheet{f: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	f.SetCatalogSort(true)
	f.SetCreationDate(v.stamped.In(billing.Colombia))
	f.SetModificationDate(v.stamped.In(billing.Colombia))
	f.SetTitle(v.title+" "+doc.Invoice.Numero, true)
	f.SetAuthor(doc.Seller.RazonSocial, true)
	f.SetCreator(softwareLine, true)
	f.SetMargins(margin, margin, margin)
	// Page breaks are the sections' own (sheet.room): a table row or the
	// totals block never splits across pages.
	f.SetAutoPageBreak(false, 0)
	f.AliasNbPages("")
	f.SetHeaderFunc(func() { s.continuation(v) })
	f.SetFooterFunc(func() { s.footer(v) })

	f.AddPage()
	y := s.header(v)
	y = s.buyer(v, y+4)
	y = s.lines(v, y+5)
	y = s.totals(v, y+4)
	if v.electronic {
		s.electronic(v, y+6)
	}

	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("printing invoice %s: %w", doc.Invoice.Numero, err)
	}
	return buf.Bytes(), nil
}
