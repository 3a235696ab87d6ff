package billing

import (
	"strings"

	"billing/internal/fault"
)

// nitWeights are DIAN's prime weights for the modulo-11 check digit, applied
// from the rightmost digit of the number leftwards.
var nitWeights = [...]int{3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71}

// Lengths of an identification number as the ledger keys it.
const (
	minIDLength = 3
	maxIDLength = 20
)

// NITCheckDigit computes DIAN's check digit (dígito de verificación) for a
// NIT of at most 15 digits. ok is false when number is empty, too long or not
// all digits.
func NITCheckDigit(number string) (digit int, ok bool) {
	if number == "" || len(number) > len(nitWeights) {
		return 0, false
	}
	sum := 0
	for i := 0; i < len(number); i++ {
		c := number[len(number)-1-i]
		if c < '0' || c > '9' {
			return 0, false
		}
		sum += int(c-'0') * nitWeights[i]
	}
	r := sum % 11
	if r > 1 {
		return 11 - r, true
	}
	return r, true
}

// errNITForm says which forms of an identification number are accepted.
var errNITForm = fault.InvalidRequest(fault.FieldError{Field: "nit",
	Message: "must be a NIT such as 900123456, 900123456-8 or 900.123.456-8 (the check digit, when sent, is verified), " +
		"or another identification of 3 to 20 letters and digits"})

// NormalizeNIT reads an identification number as a client may write it and
// returns it as the ledger keys it: digits without thousands dots, leading
// zeros or the check digit ("900.123.456-8", "0900123456" and "900123456" are
// all "900123456"), or another identification (a passport) of letters and
// digits, upper-cased ("ab123c" is "AB123C"). A check digit that is sent must
// be DIAN's (ErrNitCheckDigit); any other form is refused with a message
// naming the accepted ones.
func NormalizeNIT(s string) (string, error) {
	s = strings.TrimSpace(s)
	number, dv, hasDV := strings.Cut(s, "-")
	if digits, ok := groupedDigits(number); ok {
		// Leading zeros pad a number (ERP exports do); the check digit is
		// the same without them.
		if trimmed := strings.TrimLeft(digits, "0"); trimmed != "" {
			digits = trimmed
		}
		if len(digits) < minIDLength || len(digits) > maxIDLength {
			return "", errNITForm
		}
		if hasDV {
			want, ok := NITCheckDigit(digits)
			if !ok || len(dv) != 1 || dv[0] < '0' || dv[0] > '9' {
				return "", errNITForm
			}
			if int(dv[0]-'0') != want {
				return "", fault.ErrNitCheckDigit
			}
		}
		return digits, nil
	}
	if hasDV || len(s) < minIDLength || len(s) > maxIDLength || !alphanumeric(s) {
		return "", errNITForm
	}
	return strings.ToUpper(s), nil
}

// groupedDigits reads "900123456" or "900.123.456" (dots only between
// groups of three, as thousands are written) and returns the digits alone.
func groupedDigits(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	groups := strings.Split(s, ".")
	for i, g := range groups {
		if !allDigits(g) || g == "" || (len(groups) > 1 && (len(g) > 3 || (i > 0 && len(g) != 3))) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func alphanumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}
