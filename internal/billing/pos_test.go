package billing

import (
	"testing"

	"billing/internal/money"
)

func TestPosIDType(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"CC", "13", true}, {"cc", "13", true}, {"NIT", "31", true}, {"PA", "41", true}, {"PP", "41", true},
		{"RC", "11", true}, {"TI", "12", true}, {"TE", "21", true}, {"CE", "22", true}, {"DIE", "42", true},
		{"PEP", "47", true}, {"PPT", "48", true}, {"NITE", "50", true}, {"NUIP", "91", true},
		{"13", "13", true}, {"31", "31", true}, {"DNI", "", false}, {"14", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		got, ok := PosIDType(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("PosIDType(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSpread(t *testing.T) {
	tests := []struct {
		name    string
		weights []string
		amount  string
		want    []string
	}{
		{"proportional", []string{"30000", "20000"}, "5000", []string{"3000.00", "2000.00"}},
		{"rounding left on the largest", []string{"1", "1", "1"}, "100", []string{"33.34", "33.33", "33.33"}},
		{"largest takes the remainder", []string{"10", "20", "10"}, "0.01", []string{"0.00", "0.01", "0.00"}},
		{"all zero", []string{"0", "0"}, "8000", []string{"8000.00", "0.00"}},
		{"one weight", []string{"7"}, "12.345", []string{"12.35"}},
		{"nothing to spread", []string{"5", "6"}, "0", []string{"0.00", "0.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := make([]money.Decimal, len(tt.weights))
			for i, w := range tt.weights {
				ws[i] = money.Must(w)
			}
			got := Spread(ws, money.Must(tt.amount))
			sum := money.New(0, -2)
			for i, g := range got {
				if g.String() != tt.want[i] {
					t.Errorf("share %d = %s, want %s", i, g, tt.want[i])
				}
				sum = sum.Add(g)
			}
			if sum.Cmp(money.Must(tt.amount).RoundCents()) != 0 {
				t.Errorf("shares add up to %s, want %s", sum, tt.amount)
			}
		})
	}
}
