package billing

import (
	"encoding/json"
	"testing"
)

// FuzzDecimalJSON: any input either fails to decode or round-trips exactly,
// and never panics.
func FuzzDecimalJSON(f *testing.F) {
	for _, seed := range []string{"0", "985000", "1172150.00", "0.001", "-1", "1e3", "1E-7", "12345678901234567890.123456789", `"1"`, "null", "[]", "1.", ".5", "00", "-0.0"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var d Decimal
		if err := json.Unmarshal(in, &d); err != nil {
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal %s: %v", in, err)
		}
		var back Decimal
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s (from %s): %v", out, in, err)
		}
		if back.Cmp(d) != 0 || back.String() != d.String() {
			t.Fatalf("%s → %s → %s", in, d, back)
		}
		n, err := d.NumericValue()
		if err != nil {
			t.Fatal(err)
		}
		var scanned Decimal
		if err := scanned.ScanNumeric(n); err != nil || scanned.String() != d.String() {
			t.Fatalf("numeric round trip of %s gave %s (%v)", d, scanned, err)
		}
	})
}

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
			c, err1 := ParseDecimal(in[0])
			v, err2 := ParseDecimal(in[1])
			r, err3 := ParseDecimal(in[2])
			if err1 != nil || err2 != nil || err3 != nil ||
				CheckQuantity("c", c) != nil || CheckPrice("v", v) != nil || CheckRate("r", r) != nil {
				return
			}
			lines = append(lines, Line{Cantidad: c, ValorUnitario: v, Impuesto: r})
		}
		tot, err := ComputeTotals(lines)
		if err != nil {
			return // too large for the ledger: refused, not mangled
		}
		sum, taxes := NewDecimal(0, -2), NewDecimal(0, -2)
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
