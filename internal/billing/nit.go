package billing

import (
	"strings"
)

// nitWeights are DIAN's prime weights for the modulo-11 check digit, applied
// from the rightmost digit of the number leftwards.
var nitWeights = [...]int{3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71}

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

// CheckNIT verifies the check digit of a NIT written as "number-digit" with
// an all-digit number. Other identity numbers (a plain number, a passport with
// letters) carry no check digit and pass unchanged.
func CheckNIT(nit string) error {
	number, dv, found := strings.Cut(nit, "-")
	if !found || len(dv) != 1 || dv[0] < '0' || dv[0] > '9' {
		return nil
	}
	want, ok := NITCheckDigit(number)
	if !ok {
		return nil
	}
	if int(dv[0]-'0') != want {
		return ErrNitCheckDigit
	}
	return nil
}
