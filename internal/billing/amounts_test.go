package billing

import (
	"testing"

	"billing/internal/fault"
	"billing/internal/money"
)

func TestChecks(t *testing.T) {
	tests := []struct {
		name  string
		check func(string, money.Decimal) *fault.FieldError
		in    string
		ok    bool
	}{
		{"price zero", CheckPrice, "0", true},
		{"price cents", CheckPrice, "850000.50", true},
		{"price trailing zero", CheckPrice, "1.500", true},
		{"price three decimals", CheckPrice, "1.005", false},
		{"price negative", CheckPrice, "-1", false},
		{"price max", CheckPrice, "9999999999999.99", true},
		{"price over max", CheckPrice, "10000000000000", false},
		{"quantity min", CheckQuantity, "0.001", true},
		{"quantity zero", CheckQuantity, "0", false},
		{"quantity four decimals", CheckQuantity, "1.0005", false},
		{"quantity max", CheckQuantity, "999999999.999", true},
		{"quantity over", CheckQuantity, "1000000000", false},
		{"rate 0", CheckRate, "0", true},
		{"rate 19", CheckRate, "19", true},
		{"rate 100", CheckRate, "100", true},
		{"rate over", CheckRate, "100.01", false},
		{"rate three decimals", CheckRate, "19.125", false},
	}
	for _, tt := range tests {
		fe := tt.check("body.x", money.Must(tt.in))
		if (fe == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, fe)
		}
		if fe != nil && fe.Field != "body.x" {
			t.Errorf("%s: field %q", tt.name, fe.Field)
		}
	}
}
