package billing

import (
	"testing"

	"billing/internal/money"
)

// FuzzComputeTotals: for any lines that pass the input checks, the totals
// keep their invariants: cents everywhere, total = subtotal + impuestos, the
// groups' bases add up to the subtotal and their taxes to impuestos.
func FuzzComputeTotals(f *testing.F) {
	f.Add("1", "850000", "19", "3", "45000", "19")
	f.Add("0.5", "0.25", "0", "0.001", "0.01", "5")
	f.Add("999999999.999", "9999999999999.99", "100", "1", "1", "12.5")
	f.Fuzz(func(t *testing.T, c1, v1, r1, c2, v2, r2 string) {
		var lines []Line
		for _, in := range [][3]string{{c1, v1, r1}, {c2, v2, r2}} {
			c, err1 := money.Parse(in[0])
			v, err2 := money.Parse(in[1])
			r, err3 := money.Parse(in[2])
			if err1 != nil || err2 != nil || err3 != nil ||
				CheckQuantity("c", c) != nil || CheckPrice("v", v) != nil || CheckRate("r", r) != nil {
				return
			}
			lines = append(lines, Line{Cantidad: c, ValorUnitario: v, Impuesto: r})
		}
		tot, err := ComputeTotals(lines, nil, nil)
		if err != nil {
			return // too large for the ledger: refused, not mangled
		}
		sum, taxes := money.New(0, -2), money.New(0, -2)
		for _, s := range tot.LineSubtotals {
			if s.Scale() != 2 || s.Sign() < 0 {
				t.Fatalf("line subtotal %s", s)
			}
		}
		for i, g := range tot.Taxes {
			sum, taxes = sum.Add(g.Base), taxes.Add(g.Valor)
			if i > 0 && tot.Taxes[i-1].Tarifa.Cmp(g.Tarifa) >= 0 {
				t.Fatalf("tax groups out of order: %+v", tot.Taxes)
			}
		}
		if sum.Cmp(tot.Subtotal) != 0 || taxes.Cmp(tot.Impuestos) != 0 || tot.Subtotal.Add(tot.Impuestos).Cmp(tot.Total) != 0 {
			t.Fatalf("%s + %s ≠ %s (groups %s, %s)", tot.Subtotal, tot.Impuestos, tot.Total, sum, taxes)
		}
		if tot.Total.Scale() != 2 {
			t.Fatalf("total %s", tot.Total)
		}
	})
}
