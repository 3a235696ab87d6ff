package pdf

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"

	"billing/internal/billing"
)

// page is what every page of a printed document names, whatever the
// document: the seller, the title, the number and the issue. The header,
// the continuation header and the footer draw from it alone, so an invoice
// and a credit note share them.
type page struct {
	seller     billing.FiscalProfile
	title      string
	number     string
	date, time string    // issue date (YYYY-MM-DD) and time (HH:MM:SS-05:00)
	mark       string    // a status under the issue ("ANULADA el …"), or ""
	stamped    time.Time // the PDF's creation and modification date
}

// newSheet starts the PDF of the document p names: A4 portrait, metadata
// fixed by p (never the clock, so that one document gives the same bytes),
// the continuation header and the footer on every page, and page 1 added.
func newSheet(p *page) *sheet {
	f := fpdf.New("P", "mm", "A4", "")
	s := &sheet{f: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	f.SetCatalogSort(true)
	f.SetCreationDate(p.stamped.In(billing.Colombia))
	f.SetModificationDate(p.stamped.In(billing.Colombia))
	f.SetTitle(p.title+" "+p.number, true)
	f.SetAuthor(p.seller.RazonSocial, true)
	f.SetCreator(softwareLine, true)
	f.SetMargins(margin, margin, margin)
	// Page breaks are the sections' own (sheet.room): a table row or the
	// totals block never splits across pages.
	f.SetAutoPageBreak(false, 0)
	f.AliasNbPages("")
	f.SetHeaderFunc(func() { s.continuation(p) })
	f.SetFooterFunc(func() { s.footer(p) })
	f.AddPage()
	return s
}

// output closes the PDF and returns its bytes; what names the document
// (an invoice's or a note's number) wraps the error.
func (s *sheet) output(what string) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("printing %s: %w", what, err)
	}
	return buf.Bytes(), nil
}

// stampedAt is the instant of a stamp's issue date and time texts, or
// fallbackDate when they do not parse (a document without them still needs
// a fixed date for its metadata).
func stampedAt(date, clock string) time.Time {
	if t, err := time.Parse(time.RFC3339, date+"T"+clock); err == nil {
		return t
	}
	return fallbackDate
}
