package billing

import (
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
)

func TestDecimalJSON(t *testing.T) {
	tests := []struct {
		in, out string
		ok      bool
	}{
		{"985000", "985000", true},
		{"0.1", "0.1", true},
		{"1172150.00", "1172150.00", true},
		{"12345678901234567890.123456789", "12345678901234567890.123456789", true}, // beyond float64
		{"1e3", "1000", true},
		{"-2.50", "-2.50", true},
		{`"10"`, "", false},
		{"null", "", false},
		{"true", "", false},
		{"NaN", "", false},
		{"[1]", "", false},
	}
	for _, tt := range tests {
		var d Decimal
		err := json.Unmarshal([]byte(tt.in), &d)
		if (err == nil) != tt.ok {
			t.Errorf("Unmarshal(%s) error %v", tt.in, err)
			continue
		}
		if !tt.ok {
			continue
		}
		b, err := json.Marshal(struct{ V Decimal }{d}) // by value, as responses hold it
		if err != nil || string(b) != `{"V":`+tt.out+`}` {
			t.Errorf("Marshal(%s) = %s, %v; want %s", tt.in, b, err, tt.out)
		}
	}
}

func TestDecimalNumericRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "0.00", "1172150.00", "-3.125", "9999999999999999.99", "0.001"} {
		d := MustDecimal(s)
		n, err := d.NumericValue()
		if err != nil {
			t.Fatal(err)
		}
		var back Decimal
		if err := back.ScanNumeric(n); err != nil {
			t.Fatal(err)
		}
		if back.String() != s {
			t.Errorf("%s round-tripped to %s", s, back)
		}
	}
	var d Decimal
	if d.ScanNumeric(pgtype.Numeric{}) == nil || d.ScanNumeric(pgtype.Numeric{NaN: true, Valid: true}) == nil {
		t.Error("scanned NULL or NaN")
	}
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name  string
		check func(string, Decimal) *FieldError
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
		fe := tt.check("body.x", MustDecimal(tt.in))
		if (fe == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, fe)
		}
		if fe != nil && fe.Field != "body.x" {
			t.Errorf("%s: field %q", tt.name, fe.Field)
		}
	}
}
