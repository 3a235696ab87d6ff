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

// TestSpreadManyEqualShares: sixty equal lines sharing 10.00 — rounding
// each share half-up would give 0.17 × 60 = 10.20 and a negative share
// to make up for it; largest remainder gives 0.17 to forty and 0.16 to
// twenty, never below zero, adding up to 10.00.
func TestSpreadManyEqualShares(t *testing.T) {
	ws := make([]money.Decimal, 60)
	for i := range ws {
		ws[i] = money.Must("1000")
	}
	sum, high := money.New(0, -2), 0
	for _, s := range Spread(ws, money.Must("10")) {
		if s.Sign() < 0 || s.Cmp(money.Must("0.17")) > 0 {
			t.Fatalf("share %s", s)
		}
		if s.String() == "0.17" {
			high++
		}
		sum = sum.Add(s)
	}
	if sum.String() != "10.00" || high != 40 {
		t.Fatalf("shares add up to %s with %d at 0.17", sum, high)
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
		{"a cent left over goes to the first of equals", []string{"1", "1", "1"}, "100", []string{"33.34", "33.33", "33.33"}},
		{"the cent goes to the largest remainder", []string{"10", "20", "10"}, "0.01", []string{"0.00", "0.01", "0.00"}},
		{"remainders decide, not weights", []string{"2", "3"}, "0.03", []string{"0.01", "0.02"}},
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
			for i, g := range got {
				if g.Sign() < 0 {
					t.Errorf("share %d is negative: %s", i, g)
				}
			}
			if sum.Cmp(money.Must(tt.amount).RoundCents()) != 0 {
				t.Errorf("shares add up to %s, want %s", sum, tt.amount)
			}
		})
	}
}
