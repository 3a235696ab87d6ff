package pdf

import (
	"github.com/go-pdf/fpdf"
)

// Page geometry, in millimetres: A4 portrait with 15 mm margins; the body
// stops 20 mm above the bottom edge to leave the footer its room.
const (
	pageW      = 210.0
	pageH      = 297.0
	margin     = 15.0
	contentW   = pageW - 2*margin
	bodyBottom = pageH - 20
	footerY    = pageH - 14
)

// Fonts: PDF's core fonts, which every viewer has, so nothing is embedded.
const (
	sans = "Helvetica"
	mono = "Courier"
)

// sheet is the document being drawn with its text translator. fpdf's core
// fonts are single-byte (cp1252): every string goes through tr before it
// reaches fpdf, so that á, é, í, ó, ú, ñ, ü, ¿ and ¡ print and extract as
// themselves. A character outside cp1252 has no glyph there; fpdf's
// translator writes it as '.' (a '?' in spirit: it is lost).
type sheet struct {
	f  *fpdf.Fpdf
	tr func(string) string
}

// font selects the sans-serif font in a style ("", "B", "I") and size in
// points.
func (s *sheet) font(style string, size float64) { s.f.SetFont(sans, style, size) }

// gray sets the text colour to a grey level (0 black … 255 white).
func (s *sheet) gray(level int) { s.f.SetTextColor(level, level, level) }

// cell writes one line of txt at (x, y) in a box w wide and h high, aligned
// "L", "C" or "R", without wrapping.
func (s *sheet) cell(x, y, w, h float64, txt, align string) {
	s.f.SetXY(x, y)
	s.f.CellFormat(w, h, s.tr(txt), "", 0, align, false, 0, "")
}

// wrap splits txt into the lines that fit w millimetres in the current font.
// It measures the translated bytes, as fpdf prints them.
func (s *sheet) wrap(txt string, w float64) [][]byte {
	return s.f.SplitLines([]byte(s.tr(txt)), w)
}

// para writes txt wrapped to w from (x, y), h per line, aligned like cell,
// and returns the y below its last line. Empty text takes no room.
func (s *sheet) para(x, y, w, h float64, txt, align string) float64 {
	for _, line := range s.wrap(txt, w) {
		s.f.SetXY(x, y)
		s.f.CellFormat(w, h, string(line), "", 0, align, false, 0, "")
		y += h
	}
	return y
}

// paraHeight is the height para would take.
func (s *sheet) paraHeight(w, h float64, txt string) float64 {
	return float64(len(s.wrap(txt, w))) * h
}

// room starts a new page unless h millimetres fit above the footer at y, and
// returns where to draw: y itself, or the top of the new page's body (below
// its continuation header). broke reports the new page.
func (s *sheet) room(y, h float64) (top float64, broke bool) {
	if y+h <= bodyBottom {
		return y, false
	}
	s.f.AddPage()
	return s.f.GetY(), true
}

// rule draws a horizontal line across the content width at y.
func (s *sheet) rule(y float64, level int, width float64) {
	s.f.SetDrawColor(level, level, level)
	s.f.SetLineWidth(width)
	s.f.Line(margin, y, pageW-margin, y)
}
