package pdf

import (
	"strconv"
)

// column is one column of the lines table.
type column struct {
	title string
	w     float64
	align string
}

// lineColumns are the lines table's columns; their widths fill contentW.
var lineColumns = [...]column{
	{"#", 8, "R"},
	{"Cantidad", 18, "R"},
	{"Descripción", 72, "L"},
	{"Valor unitario", 28, "R"},
	{"Impuesto", 24, "C"},
	{"Subtotal", 30, "R"},
}

// Lines table geometry.
const (
	lineH       = 3.5 // one text line of a row
	rowPad      = 0.9 // above and below a row's text
	headRowH    = 6
	descCol     = 2
	maxRowLines = 40 // a row's description is cut there, so it always fits one page
)

// lines draws the lines table from y, breaking pages between rows and
// repeating the table's header on each new page, and returns the y below.
func (s *sheet) lines(v *view, y float64) float64 {
	y, _ = s.room(y, headRowH+lineH+2*rowPad)
	y = s.tableHead(y)
	for i, l := range v.doc.Invoice.Lines {
		s.font("", 8)
		desc := s.cut(s.wrap(l.Descripcion, lineColumns[descCol].w), lineColumns[descCol].w)
		h := float64(max(len(desc), 1))*lineH + 2*rowPad
		if top, broke := s.room(y, h); broke {
			y = s.tableHead(top)
			s.font("", 8)
		}
		cells := [...]string{strconv.Itoa(i + 1), figure(l.Cantidad), "", amount(l.ValorUnitario), lineTax(l), amount(l.Subtotal)}
		x := margin
		for c, col := range lineColumns {
			if c == descCol {
				for k, d := range desc {
					s.f.SetXY(x, y+rowPad+float64(k)*lineH)
					s.f.CellFormat(col.w, lineH, string(d), "", 0, col.align, false, 0, "")
				}
			} else {
				s.cell(x, y+rowPad, col.w, lineH, cells[c], col.align)
			}
			x += col.w
		}
		y += h
		s.f.SetDrawColor(210, 210, 210)
		s.f.SetLineWidth(0.2)
		s.f.Line(margin, y, pageW-margin, y)
	}
	return y
}

// cut keeps the first maxRowLines of a wrapped description, the last one
// ending in an ellipsis within w: a row taller than a page could never be
// placed. The bytes are cp1252, one per character, so trimming bytes trims
// characters.
func (s *sheet) cut(lines [][]byte, w float64) [][]byte {
	if len(lines) <= maxRowLines {
		return lines
	}
	ellipsis := s.tr("…")
	last := string(lines[maxRowLines-1])
	for last != "" && s.f.GetStringWidth(last+ellipsis) > w-2*s.f.GetCellMargin() {
		last = last[:len(last)-1]
	}
	return append(lines[:maxRowLines-1:maxRowLines-1], []byte(last+ellipsis))
}

// tableHead draws the lines table's header row at y and returns the y
// below it.
func (s *sheet) tableHead(y float64) float64 {
	s.font("B", 8)
	s.gray(0)
	s.f.SetFillColor(230, 230, 230)
	s.f.Rect(margin, y, contentW, headRowH, "F")
	x := margin
	for _, col := range lineColumns {
		s.cell(x, y, col.w, headRowH, col.title, col.align)
		x += col.w
	}
	return y + headRowH
}
