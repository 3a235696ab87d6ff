package billing

import (
	"encoding/binary"
	"math"

	"github.com/cockroachdb/apd/v3"
)

// PostgreSQL's binary numeric: a header of four 16-bit words (digit count,
// weight of the first digit in powers of 10000, sign, display scale), then
// the digits in base 10000.
const (
	numericPositive = 0x0000
	numericNegative = 0x4000
)

// DecimalFromBinaryNumeric reads PostgreSQL's binary numeric format straight
// into a Decimal with the value's display scale (0.00 stays 0.00), when its
// digits fit in 64 bits, which every amount, price and quantity column does.
// ok is false for anything else (NaN, infinities, wider values, malformed
// input): the caller falls back to ScanNumeric, which handles them all. The
// general path builds a big.Int digit by digit; this one allocates nothing.
func DecimalFromBinaryNumeric(src []byte) (x Decimal, ok bool) {
	if len(src) < 8 {
		return Decimal{}, false
	}
	ndigits := int(binary.BigEndian.Uint16(src[0:]))
	weight := int(int16(binary.BigEndian.Uint16(src[2:])))
	sign := binary.BigEndian.Uint16(src[4:])
	dscale := int(binary.BigEndian.Uint16(src[6:]))
	if (sign != numericPositive && sign != numericNegative) || len(src) != 8+2*ndigits || dscale > maxDigits {
		return Decimal{}, false
	}
	// Each base-10000 digit's lowest decimal digit sits at 10^exp; digits
	// past the display scale are zeros PostgreSQL pads the last group with,
	// dropped here so that a full numeric(18,2) still fits.
	var coeff uint64
	exp := 4 * (weight + 1)
	for i := 0; i < ndigits; i++ {
		d := uint64(binary.BigEndian.Uint16(src[8+2*i:]))
		if d >= 10000 {
			return Decimal{}, false
		}
		exp -= 4
		mul := uint64(10000)
		if past := -dscale - exp; past > 0 {
			if past >= 4 {
				if d != 0 {
					return Decimal{}, false
				}
				exp += 4
				continue
			}
			p := uint64(math.Pow10(past))
			if d%p != 0 { // digits beyond the display scale: not PostgreSQL's output
				return Decimal{}, false
			}
			d, mul, exp = d/p, mul/p, exp+past
		}
		if coeff > (math.MaxUint64-d)/mul {
			return Decimal{}, false
		}
		coeff = coeff*mul + d
	}
	// coeff × 10^exp, exp ≥ -dscale: bring it to exponent -dscale.
	if coeff == 0 {
		exp = -dscale
	}
	for ; exp > -dscale; exp-- {
		if coeff > math.MaxUint64/10 {
			return Decimal{}, false
		}
		coeff *= 10
	}
	x.d = apd.Decimal{Exponent: int32(-dscale), Negative: sign == numericNegative && coeff != 0}
	x.d.Coeff.SetUint64(coeff)
	return x, true
}
