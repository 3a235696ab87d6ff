package store

import (
	"encoding/binary"
	"math"

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
