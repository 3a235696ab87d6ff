package pdf

import "billing/internal/billing"

// Taxes and totals geometry: the tax breakdown on the left, the totals on
// the right, one row height for both.
const (
	totalsRowH   = 5.0
	totalsW      = 68.0
	totalsX      = pageW - margin - totalsW
	totalsLabelW = 30.0
	detailH      = 3.6 // one line of a concepto under its row
	detailIndent = 3.0
	detailValueW = 24.0
)

// taxColumns are the breakdown's columns: scheme, rate, base, valor.
var taxColumns = [...]column{
	{"Impuesto", 24, "L", false},
	{"Tarifa", 18, "R", false},
	{"Base gravable", 32, "R", false},
	{"Valor", 30, "R", false},
}

// totalRow is one row of the totals block: a label and an amount ("$ …"),
// or, detail, a concepto with its amount under the row it explains, in a
// smaller font. The block's last row is the total, framed and bold.
type totalRow struct {
	label, value string
	detail       bool
}

// Labels of the totals block.
const (
	labelDiscounts = "Descuentos"
	labelCharges   = "Cargos"
)

// invoiceTotals are inv's totals rows: subtotal and impuestos; then the
// document-level discounts and charges, when non-zero, each with its
// conceptos; then the total. The total reads "Total a pagar" when discounts
// or charges stand between subtotal + impuestos and what the buyer pays, and
// "Total", as invoices always printed it, when nothing does.
func invoiceTotals(inv billing.Invoice) []totalRow {
	rows := []totalRow{
		{label: "Subtotal", value: "$ " + amount(inv.Subtotal)},
		{label: "Impuestos", value: "$ " + amount(inv.Impuestos)},
	}
	last := totalRow{label: "Total", value: "$ " + amount(inv.Total)}
	// A document stored before adjustments existed has zero-valued totals
	// there, which read as 0 and print nothing.
	if inv.TotalDescuentos.Sign() != 0 {
		rows = append(rows, totalRow{label: labelDiscounts, value: "-$ " + amount(inv.TotalDescuentos)})
		rows = append(rows, adjustmentRows(inv.Descuentos, "-")...)
		last.label = "Total a pagar"
	}
	if inv.TotalCargos.Sign() != 0 {
		rows = append(rows, totalRow{label: labelCharges, value: "$ " + amount(inv.TotalCargos)})
		rows = append(rows, adjustmentRows(inv.Cargos, "")...)
		last.label = "Total a pagar"
	}
	return append(rows, last)
}

// adjustmentRows are the detail rows of document-level discounts or
// charges: each concepto with its amount, signed like the row they explain.
func adjustmentRows(adjs []billing.Adjustment, sign string) []totalRow {
	rows := make([]totalRow, 0, len(adjs))
	for _, a := range adjs {
		rows = append(rows, totalRow{label: orDash(a.Concepto), value: sign + amount(a.Valor), detail: true})
	}
	return rows
}

// totals draws the tax breakdown by scheme and rate of taxes and the totals
// rows from y, on one page, and returns the y below them.
func (s *sheet) totals(taxes []billing.TaxGroup, rows []totalRow, y float64) float64 {
	left := float64(max(len(taxes), 1)+1) * totalsRowH // a header, then a group per row
	y, _ = s.room(y, max(left, s.totalsHeight(rows))+2)

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
	if len(taxes) == 0 {
		s.cell(margin, ty, 104, totalsRowH, "Sin impuestos: todas las líneas están excluidas", "L")
		ty += totalsRowH
	}
	for _, g := range taxes {
		cells := [...]string{scheme(g.Tributo).Name(), percent(g.Tarifa), amount(g.Base), amount(g.Valor)}
		x := margin
		for c, col := range taxColumns {
			s.cell(x, ty, col.w, totalsRowH, cells[c], col.align)
			x += col.w
		}
		ty += totalsRowH
	}

	// The totals, the last one framed and bold: what the buyer pays.
	sy := y
	for i, r := range rows {
		switch {
		case i == len(rows)-1:
			s.font("B", 10)
			s.f.SetDrawColor(60, 60, 60)
			s.f.SetLineWidth(0.4)
			s.f.Line(totalsX, sy, pageW-margin, sy)
			s.cell(totalsX, sy+0.5, totalsLabelW, totalsRowH+1, r.label, "L")
			s.cell(totalsX+totalsLabelW, sy+0.5, totalsW-totalsLabelW, totalsRowH+1, r.value, "R")
			sy += totalsRowH + 1.5
		case r.detail:
			// A concepto may be long: it wraps beside its amount.
			s.font("", 7.5)
			s.gray(90)
			next := s.para(totalsX+detailIndent, sy, totalsW-detailIndent-detailValueW, detailH, r.label, "L")
			s.cell(pageW-margin-detailValueW, sy, detailValueW, detailH, r.value, "R")
			sy = next
			s.gray(0)
		default:
			s.font("", 9)
			s.cell(totalsX, sy, totalsLabelW, totalsRowH, r.label, "L")
			s.cell(totalsX+totalsLabelW, sy, totalsW-totalsLabelW, totalsRowH, r.value, "R")
			sy += totalsRowH
		}
	}
	return max(ty, sy)
}

// totalsHeight is the height the totals rows take, as totals draws them.
func (s *sheet) totalsHeight(rows []totalRow) float64 {
	h := 0.0
	for i, r := range rows {
		switch {
		case i == len(rows)-1:
			h += totalsRowH + 1.5
		case r.detail:
			s.font("", 7.5)
			h += s.paraHeight(totalsW-detailIndent-detailValueW, detailH, r.label)
		default:
			h += totalsRowH
		}
	}
	return h
}
