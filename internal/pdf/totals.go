package pdf

// Taxes and totals geometry: the tax breakdown on the left, the totals on
// the right, one row height for both.
const (
	totalsRowH = 5.0
	totalsW    = 68.0
	totalsX    = pageW - margin - totalsW
)

// taxColumns are the breakdown's columns: scheme, rate, base, valor.
var taxColumns = [...]column{
	{"Impuesto", 24, "L"},
	{"Tarifa", 18, "R"},
	{"Base gravable", 32, "R"},
	{"Valor", 30, "R"},
}

// totals draws the tax breakdown by scheme and rate and the invoice's
// totals from y, on one page, and returns the y below them.
func (s *sheet) totals(v *view, y float64) float64 {
	inv := v.doc.Invoice
	rows := max(len(inv.Taxes), 1) + 1 // a header, then a group per row
	y, _ = s.room(y, float64(max(rows, 3))*totalsRowH+2)

	// The breakdown: DIAN's tax subtotals, one per scheme and rate.
	s.font("B", 8)
	s.f.SetFillColor(230, 230, 230)
	s.f.Rect(margin, y, 104, totalsRowH, "F")
	x := margin
	for _, col := range taxColumns {
		s.cell(x, y, col.w, totalsRowH, col.title, col.align)
		x += col.w
	}
	s.font("", 8)
	ty := y + totalsRowH
	if len(inv.Taxes) == 0 {
		s.cell(margin, ty, 104, totalsRowH, "Sin impuestos: todas las líneas están excluidas", "L")
		ty += totalsRowH
	}
	for _, g := range inv.Taxes {
		cells := [...]string{scheme(g.Tributo).Name(), percent(g.Tarifa), amount(g.Base), amount(g.Valor)}
		x := margin
		for c, col := range taxColumns {
			s.cell(x, ty, col.w, totalsRowH, cells[c], col.align)
			x += col.w
		}
		ty += totalsRowH
	}

	// The totals, the last one framed and bold: what the buyer pays.
	const labelW = 30.0
	rowsOf := [...]struct{ label, value string }{
		{"Subtotal", amount(inv.Subtotal)},
		{"Impuestos", amount(inv.Impuestos)},
		{"Total", amount(inv.Total)},
	}
	sy := y
	for i, r := range rowsOf {
		if i == len(rowsOf)-1 {
			s.font("B", 10)
			s.f.SetDrawColor(60, 60, 60)
			s.f.SetLineWidth(0.4)
			s.f.Line(totalsX, sy, pageW-margin, sy)
			s.cell(totalsX, sy+0.5, labelW, totalsRowH+1, r.label, "L")
			s.cell(totalsX+labelW, sy+0.5, totalsW-labelW, totalsRowH+1, "$ "+r.value, "R")
			sy += totalsRowH + 1.5
			continue
		}
		s.font("", 9)
		s.cell(totalsX, sy, labelW, totalsRowH, r.label, "L")
		s.cell(totalsX+labelW, sy, totalsW-labelW, totalsRowH, "$ "+r.value, "R")
		sy += totalsRowH
	}
	return max(ty, sy)
}
