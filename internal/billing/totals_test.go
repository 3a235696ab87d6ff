package billing

import (
	"billing/internal/fault"
	"billing/internal/money"
	"errors"
	"testing"
)

func line(cantidad, valor, rate string) Line {
	return Line{Cantidad: money.Must(cantidad), ValorUnitario: money.Must(valor), Impuesto: money.Must(rate)}
}

func repeat(n int, l Line) []Line {
	out := make([]Line, n)
	for i := range out {
		out[i] = l
	}
	return out
}

type wantTax struct{ tarifa, base, valor string }

func TestComputeTotals(t *testing.T) {
	tests := []struct {
		name                       string
		lines                      []Line
		lineSubtotals              []string
		subtotal, impuestos, total string
		taxes                      []wantTax
	}{
		{
			name:          "seed example",
			lines:         []Line{line("1", "850000", "19"), line("3", "45000", "19")},
			lineSubtotals: []string{"850000.00", "135000.00"},
			subtotal:      "985000.00", impuestos: "187150.00", total: "1172150.00",
			taxes: []wantTax{{"19", "985000.00", "187150.00"}},
		},
		{
			name:          "fractional quantities",
			lines:         []Line{line("2.5", "1234.56", "19"), line("0.333", "100.01", "19")},
			lineSubtotals: []string{"3086.40", "33.30"},                     // 33.30333 rounds down
			subtotal:      "3119.70", impuestos: "592.74", total: "3712.44", // 592.743 rounds down
			taxes: []wantTax{{"19", "3119.70", "592.74"}},
		},
		{
			name:          "mixed 0, 5 and 19 percent, out of order",
			lines:         []Line{line("1", "10000", "19"), line("1", "100000", "0"), line("2", "50000", "5")},
			lineSubtotals: []string{"10000.00", "100000.00", "100000.00"},
			subtotal:      "210000.00", impuestos: "6900.00", total: "216900.00",
			taxes: []wantTax{{"0", "100000.00", "0.00"}, {"5", "100000.00", "5000.00"}, {"19", "10000.00", "1900.00"}},
		},
		{
			name:          "half a cent on a line rounds up",
			lines:         []Line{line("0.5", "0.25", "0")},
			lineSubtotals: []string{"0.13"}, // 0.125
			subtotal:      "0.13", impuestos: "0.00", total: "0.13",
			taxes: []wantTax{{"0", "0.13", "0.00"}},
		},
		{
			name:          "half a cent of tax rounds up",
			lines:         []Line{line("1", "0.05", "10")},
			lineSubtotals: []string{"0.05"},
			subtotal:      "0.05", impuestos: "0.01", total: "0.06", // 0.005
			taxes: []wantTax{{"10", "0.05", "0.01"}},
		},
		{
			name:          "just under half a cent rounds down",
			lines:         []Line{line("1", "0.04", "12.25")},
			lineSubtotals: []string{"0.04"},
			subtotal:      "0.04", impuestos: "0.00", total: "0.04", // 0.0049
			taxes: []wantTax{{"12.25", "0.04", "0.00"}},
		},
		{
			name:          "tax per rate group, not per line",
			lines:         []Line{line("1", "0.03", "19"), line("1", "0.03", "19"), line("1", "0.03", "19")},
			lineSubtotals: []string{"0.03", "0.03", "0.03"},
			subtotal:      "0.09", impuestos: "0.02", total: "0.11", // 0.0171; per line it would be 0.03
			taxes: []wantTax{{"19", "0.09", "0.02"}},
		},
		{
			name:          "one rate written three ways is one group",
			lines:         []Line{line("1", "100", "19"), line("1", "100", "19.0"), line("1", "100", "19.00")},
			lineSubtotals: []string{"100.00", "100.00", "100.00"},
			subtotal:      "300.00", impuestos: "57.00", total: "357.00",
			taxes: []wantTax{{"19", "300.00", "57.00"}},
		},
		{
			name:          "amounts near 10^13",
			lines:         []Line{line("1", "9999999999999.99", "19")},
			lineSubtotals: []string{"9999999999999.99"},
			subtotal:      "9999999999999.99", impuestos: "1900000000000.00", total: "11899999999999.99",
			taxes: []wantTax{{"19", "9999999999999.99", "1900000000000.00"}},
		},
		{
			name:          "large quantity times large price",
			lines:         []Line{line("999.999", "9999999999999.99", "0")},
			lineSubtotals: []string{"9999989999999990.00"}, // 9999989999999989.99 + 0.00001 → rounds
			subtotal:      "9999989999999990.00", impuestos: "0.00", total: "9999989999999990.00",
			taxes: []wantTax{{"0", "9999989999999990.00", "0.00"}},
		},
		{
			name:          "a thousand lines of a cent",
			lines:         repeat(1000, line("1", "0.01", "19")),
			lineSubtotals: nil, // checked through the sums
			subtotal:      "10.00", impuestos: "1.90", total: "11.90",
			taxes: []wantTax{{"19", "10.00", "1.90"}},
		},
		{
			name:     "a thousand lines that round to zero",
			lines:    repeat(1000, line("0.001", "0.01", "19")),
			subtotal: "0.00", impuestos: "0.00", total: "0.00",
			taxes: []wantTax{{"19", "0.00", "0.00"}},
		},
		{
			name:          "zero price",
			lines:         []Line{line("3", "0", "19")},
			lineSubtotals: []string{"0.00"},
			subtotal:      "0.00", impuestos: "0.00", total: "0.00",
			taxes: []wantTax{{"19", "0.00", "0.00"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ComputeTotals(tt.lines, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tt.lineSubtotals {
				if got.LineSubtotals[i].String() != want {
					t.Errorf("line %d subtotal %s, want %s", i, got.LineSubtotals[i], want)
				}
			}
			if got.Subtotal.String() != tt.subtotal || got.Impuestos.String() != tt.impuestos || got.Total.String() != tt.total {
				t.Errorf("totals %s / %s / %s, want %s / %s / %s", got.Subtotal, got.Impuestos, got.Total, tt.subtotal, tt.impuestos, tt.total)
			}
			if len(got.Taxes) != len(tt.taxes) {
				t.Fatalf("%d tax groups, want %d: %+v", len(got.Taxes), len(tt.taxes), got.Taxes)
			}
			for i, w := range tt.taxes {
				g := got.Taxes[i]
				if g.Tarifa.Key() != w.tarifa || g.Base.String() != w.base || g.Valor.String() != w.valor {
					t.Errorf("tax group %d = %s %s %s, want %s %s %s", i, g.Tarifa, g.Base, g.Valor, w.tarifa, w.base, w.valor)
				}
			}
		})
	}
}

func TestComputeTotalsTooLarge(t *testing.T) {
	tests := [][]Line{
		{line("999999999.999", "9999999999999.99", "0")},                               // one line overflows
		repeat(2, line("999999.999", "9999999999999.99", "0")),                         // the sum overflows
		{line("1", "9999999999999999.99", "0"), line("1", "0", "0")},                   // exactly the limit, no tax: fits
		{line("1", "9999999999999999.99", "0"), line("1", "0.01", "0")},                // one cent over
		{line("1", "9000000000000000.00", "0"), line("1", "900000000000000.00", "19")}, // the tax pushes it over
	}
	fits := map[int]bool{2: true}
	for i, lines := range tests {
		_, err := ComputeTotals(lines, nil, nil)
		if fits[i] {
			if err != nil {
				t.Errorf("case %d: %v", i, err)
			}
			continue
		}
		if !errors.Is(err, fault.ErrAmountTooLarge) {
			t.Errorf("case %d: err %v, want fault.ErrAmountTooLarge", i, err)
		}
	}
}
