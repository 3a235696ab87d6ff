package billing

import (
	"errors"
	"testing"
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

func TestCheckNIT(t *testing.T) {
	tests := []struct {
		nit     string
		wantErr bool
	}{
		{"800197268-4", false},
		{"800197268-5", true},
		{"800197268", false},   // no check digit written
		{"AB1234567", false},   // passport-like: nothing to check
		{"AB12-3", false},      // letters in the number: not a NIT
		{"800197268-X", false}, // letter after the hyphen: not a check digit
	}
	for _, tt := range tests {
		err := CheckNIT(tt.nit)
		if (err != nil) != tt.wantErr {
			t.Errorf("CheckNIT(%q) = %v; want error %v", tt.nit, err, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrNitCheckDigit) {
			t.Errorf("CheckNIT(%q) = %v; want ErrNitCheckDigit", tt.nit, err)
		}
	}
}
