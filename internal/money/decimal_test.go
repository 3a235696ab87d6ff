package money

import (
	"encoding/json"
	"testing"
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

func TestCoefficientRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "0.00", "1172150.00", "-3.125", "9999999999999999.99", "0.001", "123456789012345678901234567890.12"} {
		d := Must(s)
		if back := FromBigInt(d.Coefficient()); back.String() != s {
			t.Errorf("%s round-tripped to %s", s, back)
		}
	}
	if z := FromUint64(0, true, -2); z.String() != "0.00" || z.Sign() != 0 {
		t.Errorf("negative zero: %s", z)
	}
}
