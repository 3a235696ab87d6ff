package billing

import (
	"errors"
	"testing"

	"billing/internal/fault"
)

func TestNITCheckDigit(t *testing.T) {
	tests := []struct {
		number string
		digit  int
		ok     bool
	}{
		{"900123456", 8, true}, // the spec example: sum 586, remainder 3
		{"800197268", 4, true}, // DIAN's own NIT
		{"860002964", 4, true}, // a published NIT
		{"899999068", 1, true}, // remainder 1: the digit is the remainder
		{"1", 8, true},         // 1*3 = 3, remainder 3 -> 11-3
		{"0", 0, true},         // remainder 0
		{"", 0, false},
		{"12a", 0, false},
		{"1234567890123456", 0, false}, // 16 digits: longer than the weights
	}
	for _, tt := range tests {
		got, ok := NITCheckDigit(tt.number)
		if ok != tt.ok || (ok && got != tt.digit) {
			t.Errorf("NITCheckDigit(%q) = %d, %v; want %d, %v", tt.number, got, ok, tt.digit, tt.ok)
		}
	}
}

func TestNormalizeNIT(t *testing.T) {
	tests := []struct {
		in, want string
		err      error // nil, fault.ErrNitCheckDigit or errNITForm
	}{
		{"900123456", "900123456", nil},
		{"900123456-8", "900123456", nil},
		{"900.123.456-8", "900123456", nil},
		{"900.123.456", "900123456", nil},
		{"  900123456-8 ", "900123456", nil},
		{"800197268-4", "800197268", nil},
		{"1.020.304", "1020304", nil},
		{"AB1234567", "AB1234567", nil}, // a passport: kept as written
		{"900123456-7", "", fault.ErrNitCheckDigit},
		{"900.123.456-9", "", fault.ErrNitCheckDigit},
		{"9001.23.456", "", errNITForm},  // dots not between thousands
		{"900..123456", "", errNITForm},  // empty group
		{"900123456-", "", errNITForm},   // hyphen without a digit
		{"900123456-88", "", errNITForm}, // two check digits
		{"900123456-X", "", errNITForm},
		{"AB12-3", "", errNITForm}, // a check digit belongs to a NIT
		{"12", "", errNITForm},     // too short
		{"123456789012345678901", "", errNITForm},
		{"1234567890123456-1", "", errNITForm}, // 16 digits have no check digit
		{"900 123 456", "", errNITForm},
		{"NIT900123456", "NIT900123456", nil},
		{"0900123456-8", "900123456", nil}, // zero-padded, as ERP exports write it
		{"000.900.123.456", "900123456", nil},
		{"ab1234567", "AB1234567", nil}, // one passport, whatever its case
		{"00012", "", errNITForm},       // too short once unpadded
		{"", "", errNITForm},
	}
	for _, tt := range tests {
		got, err := NormalizeNIT(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
			t.Errorf("NormalizeNIT(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	if _, err := NormalizeNIT("9.9"); err == nil || err.(*fault.Error).Fields[0].Field != "nit" {
		t.Errorf("a malformed NIT's error names no field: %v", err)
	}
}
