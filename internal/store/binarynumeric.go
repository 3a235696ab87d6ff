package store

import (
	"encoding/binary"
	"math"
	"strconv"

	"billing/internal/money"
)

// PostgreSQL's binary numeric: a header of four 16-bit words (digit count,
// weight of the first digit in powers of 10000, sign, display scale), then
// the digits in base 10000.
const (
	maxScale        = 40 // beyond any column's scale; money.Parse's bound too
	numericPositive = 0x0000
	numericNegative = 0x4000
)

// decimalFromBinary reads PostgreSQL's binary numeric format straight
// into a Decimal with the value's display scale (0.00 stays 0.00), when its
// digits fit in 64 bits, which every amount, price and quantity column does.
// ok is false for anything else (NaN, infinities, wider values, malformed
// input): the caller falls back to pgx's numeric codec, which handles them
// all. The
// general path builds a big.Int digit by digit; this one allocates nothing.
func decimalFromBinary(src []byte) (x money.Decimal, ok bool) {
	if len(src) < 8 {
		return money.Decimal{}, false
	}
	ndigits := int(binary.BigEndian.Uint16(src[0:]))
	weight := int(int16(binary.BigEndian.Uint16(src[2:])))
	sign := binary.BigEndian.Uint16(src[4:])
	dscale := int(binary.BigEndian.Uint16(src[6:]))
	if (sign != numericPositive && sign != numericNegative) || len(src) != 8+2*ndigits || dscale > maxScale {
		return money.Decimal{}, false
	}
	// Each base-10000 digit's lowest decimal digit sits at 10^exp; digits
	// past the display scale are zeros PostgreSQL pads the last group with,
	// dropped here so that a full numeric(18,2) still fits.
	var coeff uint64
	exp := 4 * (weight + 1)
	for i := 0; i < ndigits; i++ {
		d := uint64(binary.BigEndian.Uint16(src[8+2*i:]))
		if d >= 10000 {
			return money.Decimal{}, false
		}
		exp -= 4
		mul := uint64(10000)
		if past := -dscale - exp; past > 0 {
			if past >= 4 {
				if d != 0 {
					return money.Decimal{}, false
				}
				exp += 4
				continue
			}
			p := uint64(math.Pow10(past))
			if d%p != 0 { // digits beyond the display scale: not PostgreSQL's output
				return money.Decimal{}, false
			}
			d, mul, exp = d/p, mul/p, exp+past
		}
		if coeff > (math.MaxUint64-d)/mul {
			return money.Decimal{}, false
		}
		coeff = coeff*mul + d
	}
	// coeff × 10^exp, exp ≥ -dscale: bring it to exponent -dscale.
	if coeff == 0 {
		exp = -dscale
	}
	for ; exp > -dscale; exp-- {
		if coeff > math.MaxUint64/10 {
			return money.Decimal{}, false
		}
		coeff *= 10
	}
	return money.FromUint64(coeff, sign == numericNegative, int32(-dscale)), true
}

// appendDecimalBinary appends x in PostgreSQL's binary numeric format, as
// pgx's codec writes it, without the big.Int arithmetic that codec does
// (profiled on the create path: most of its allocations). ok is false for
// values it leaves to pgx: a coefficient wider than 64 bits, a positive
// exponent, a scale beyond maxScale.
func appendDecimalBinary(buf []byte, x money.Decimal) ([]byte, bool) {
	coeff, negative, exp, ok := x.Uint64()
	if !ok || exp > 0 || -exp > maxScale {
		return buf, false
	}
	scale := int(-exp)
	var digits [20]byte // a uint64's decimal digits
	text := strconv.AppendUint(digits[:0], coeff, 10)
	if coeff == 0 {
		text = text[:0]
	}
	// Split into the integer part and exactly scale fraction digits.
	intLen := len(text) - scale
	var whole, frac []byte
	var fracBuf [maxScale]byte
	if intLen > 0 {
		whole, frac = text[:intLen], text[intLen:]
	} else {
		frac = append(fracBuf[:0], zeros[:-intLen]...)
		frac = append(frac, text...)
	}
	// Groups of four decimal digits: the integer part padded on the left,
	// the fraction on the right.
	var groups [16]uint16
	n := 0
	lead := (4 - len(whole)%4) % 4
	for i := -lead; i < len(whole); i += 4 {
		groups[n] = group(whole, i)
		n++
	}
	weight := n - 1
	for i := 0; i < len(frac); i += 4 {
		groups[n] = group(frac, i)
		n++
	}
	// Leading zero groups move the weight; trailing ones are dropped.
	first := 0
	for first < n && groups[first] == 0 {
		first++
		weight--
	}
	last := n
	for last > first && groups[last-1] == 0 {
		last--
	}
	if first == last {
		weight, negative = 0, false
	}
	sign := uint16(numericPositive)
	if negative {
		sign = numericNegative
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(last-first))
	buf = binary.BigEndian.AppendUint16(buf, uint16(int16(weight)))
	buf = binary.BigEndian.AppendUint16(buf, sign)
	buf = binary.BigEndian.AppendUint16(buf, uint16(scale))
	for _, g := range groups[first:last] {
		buf = binary.BigEndian.AppendUint16(buf, g)
	}
	return buf, true
}

// zeros pads a fraction whose digits start after its first maxScale places.
var zeros = []byte("0000000000000000000000000000000000000000")

// group reads the four digits of s at i..i+3 as one base-10000 digit;
// positions outside s are zeros.
func group(s []byte, i int) uint16 {
	var g uint16
	for j := i; j < i+4; j++ {
		g *= 10
		if j >= 0 && j < len(s) {
			g += uint16(s[j] - '0')
		}
	}
	return g
}
