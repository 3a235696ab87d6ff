package pdf

import (
	"strconv"
	"strings"

	"billing/internal/billing"
	"billing/internal/money"
)

// column is one column of a table: its title, width and alignment; wrap
// makes its text wrap to the width (a description), where the other
// columns break lines only at the "\n"s their cells carry.
type column struct {
	title string
	w     float64
	align string
	wrap  bool
}

// lineColumns are the lines table's columns when no line has a discount,
// the table invoices have always printed; their widths fill contentW.
var lineColumns = []column{
	{"#", 8, "R", false},
	{"Cantidad", 18, "R", false},
	{"Descripción", 72, "L", true},
	{"Valor unitario", 28, "R", false},
	{"Impuesto", 24, "C", false},
	{"Subtotal", 30, "R", false},
}

// discountColumns are the lines table's columns when some line has a
// discount: the gross value and the discount come before the tax, and the
// subtotal is the net, the line's taxable base. The description gives up
// the room; amounts up to hundreds of millions still fit one line.
var discountColumns = []column{
	{"#", 7, "R", false},
	{"Cantidad", 15, "R", false},
	{"Descripción", 47, "L", true},
	{"Valor unitario", 23, "R", false},
	{"Valor bruto", 23, "R", false},
	{"Descuento", 22, "R", false},
	{"Impuesto", 20, "C", false},
	{"Subtotal", 23, "R", false},
}

// Table geometry.
const (
	lineH       = 3.5 // one text line of a row
	rowPad      = 0.9 // above and below a row's text
	headRowH    = 6   // the header row's least height
	maxRowLines = 40  // a cell is cut there, so that a row always fits one page
)

// invoiceTable is the lines table of inv: its columns and one row of cells
// per line.
func invoiceTable(inv billing.Invoice) ([]column, [][]string) {
	discounted := false
	for _, l := range inv.Lines {
		discounted = discounted || hasDiscount(l)
	}
	rows := make([][]string, len(inv.Lines))
	for i, l := range inv.Lines {
		n := strconv.Itoa(i + 1)
		if !discounted {
			rows[i] = []string{n, figure(l.Cantidad), l.Descripcion, amount(l.ValorUnitario), lineTax(l), amount(l.Subtotal)}
			continue
		}
		rows[i] = []string{n, figure(l.Cantidad), l.Descripcion, amount(l.ValorUnitario),
			amount(grossOf(l)), discountCell(l), lineTax(l), amount(l.Subtotal)}
	}
	if discounted {
		return discountColumns, rows
	}
	return lineColumns, rows
}

// hasDiscount reports whether l was written with a discount. A line stored
// before discounts existed has zero-valued amounts there, which read as 0.
func hasDiscount(l billing.InvoiceLine) bool {
	return l.ValorDescuento.Sign() != 0 || (l.Descuento != nil && l.Descuento.Sign() != 0)
}

// grossOf is l's gross value, cantidad × valorUnitario rounded. A line
// stored before gross values were kept has none: its subtotal plus its
// discount is the same figure.
func grossOf(l billing.InvoiceLine) money.Decimal {
	if l.ValorBruto.Sign() != 0 {
		return l.ValorBruto
	}
	return l.Subtotal.Add(l.ValorDescuento)
}

// discountCell is what a line's discount column shows: the amount and,
// below it, the percentage it was written with; a dash for none.
func discountCell(l billing.InvoiceLine) string {
	if !hasDiscount(l) {
		return "—"
	}
	cell := amount(l.ValorDescuento)
	if l.Descuento != nil {
		cell += "\n(" + percent(*l.Descuento) + ")"
	}
	return cell
}

// table draws rows, one cell per column of cols, from y, breaking pages
// between rows and repeating the header on each new page, and returns the y
// below the last row.
func (s *sheet) table(cols []column, rows [][]string, y float64) float64 {
	s.font("B", 8)
	y, _ = s.room(y, s.headHeight(cols)+lineH+2*rowPad)
	y = s.tableHead(cols, y)
	for _, row := range rows {
		s.font("", 8)
		cells := make([][][]byte, len(cols))
		n := 1
		for c, col := range cols {
			cells[c] = s.cellLines(row[c], col)
			n = max(n, len(cells[c]))
		}
		h := float64(n)*lineH + 2*rowPad
		if top, broke := s.room(y, h); broke {
			y = s.tableHead(cols, top)
			s.font("", 8)
		}
		x := margin
		for c, col := range cols {
			for k, text := range cells[c] {
				s.f.SetXY(x, y+rowPad+float64(k)*lineH)
				s.f.CellFormat(col.w, lineH, string(text), "", 0, col.align, false, 0, "")
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

// cellLines is a cell's text as printed lines, translated to cp1252: wrapped
// to the column in a wrapping column, split at its "\n"s in the others (an
// amount never breaks between its digits), and cut to maxRowLines.
func (s *sheet) cellLines(text string, col column) [][]byte {
	if col.wrap {
		return s.cut(s.wrap(text, col.w), col.w)
	}
	var out [][]byte
	for part := range strings.SplitSeq(text, "\n") {
		out = append(out, []byte(s.tr(part)))
	}
	return s.cut(out, col.w)
}

// cut keeps the first maxRowLines of a cell's lines: a row taller than a
// page could never be placed.
func (s *sheet) cut(lines [][]byte, w float64) [][]byte { return s.cutTo(lines, w, maxRowLines) }

// cutTo keeps the first n of lines, the last one ending in an ellipsis
// within w. The bytes are cp1252, one per character, so trimming bytes trims
// characters.
func (s *sheet) cutTo(lines [][]byte, w float64, n int) [][]byte {
	if len(lines) <= n {
		return lines
	}
	ellipsis := s.tr("…")
	last := string(lines[n-1])
	for last != "" && s.f.GetStringWidth(last+ellipsis) > w-2*s.f.GetCellMargin() {
		last = last[:len(last)-1]
	}
	return append(lines[:n-1:n-1], []byte(last+ellipsis))
}

// headHeight is the height of the header row of cols in the current
// (bold) font: headRowH, or more when a title wraps.
func (s *sheet) headHeight(cols []column) float64 {
	n := 1
	for _, col := range cols {
		n = max(n, len(s.wrap(col.title, col.w)))
	}
	return max(headRowH, float64(n)*lineH+2*rowPad)
}

// tableHead draws the header row of cols at y, each title wrapped to its
// column and centred in the row's height, and returns the y below it.
func (s *sheet) tableHead(cols []column, y float64) float64 {
	s.font("B", 8)
	s.gray(0)
	h := s.headHeight(cols)
	s.f.SetFillColor(230, 230, 230)
	s.f.Rect(margin, y, contentW, h, "F")
	x := margin
	for _, col := range cols {
		lines := s.wrap(col.title, col.w)
		top := y + (h-float64(len(lines))*lineH)/2
		for k, text := range lines {
			s.f.SetXY(x, top+float64(k)*lineH)
			s.f.CellFormat(col.w, lineH, string(text), "", 0, col.align, false, 0, "")
		}
		x += col.w
	}
	return y + h
}
