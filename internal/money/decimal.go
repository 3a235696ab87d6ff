// Package money holds Decimal, the exact decimal number that amounts,
// quantities and tax rates are from the JSON body to PostgreSQL and back.
// It knows JSON and arithmetic; the database codecs live in the store.
package money

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"

	"github.com/cockroachdb/apd/v3"
)

// Decimal is an exact decimal number: money, quantities and tax rates travel
// as Decimal from the JSON body to PostgreSQL numeric and back, never through
// float64.
//
// JSON: it reads a JSON number literal exactly and writes an exact decimal
// literal (with its scale, e.g. 1172150.00). PostgreSQL: the store's numeric
// codec moves it as a coefficient and an exponent (FromBigInt, Coefficient),
// without a detour through strings or floats.
type Decimal struct {
	d apd.Decimal
}

// maxDigits bounds the digits and the exponent of a parsed decimal.
const maxDigits = 40

// ctx has room for every product of the service's bounded operands
// (quantities below 10^9 with 3 decimals times amounts below 10^16 with 2),
// so arithmetic never rounds except where the rules ask for it.
var ctx = apd.Context{Precision: 50, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Traps: apd.DefaultTraps, Rounding: apd.RoundHalfUp}

// truncCtx is ctx rounding toward zero, for TruncCents.
var truncCtx = apd.Context{Precision: 50, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Traps: apd.DefaultTraps, Rounding: apd.RoundDown}

// New returns coeff × 10^exp, e.g. New(19, 0) or New(1050, -2).
func New(coeff int64, exp int32) Decimal {
	var d Decimal
	d.d.SetFinite(coeff, exp)
	return d
}

// Parse reads a decimal literal such as "985000" or "0.125". It
// refuses NaN, infinities and anything that is not a plain number.
func Parse(s string) (Decimal, error) {
	var d Decimal
	if _, _, err := d.d.SetString(s); err != nil {
		return Decimal{}, fmt.Errorf("parsing decimal %q: %w", s, err)
	}
	if d.d.Form != apd.Finite {
		return Decimal{}, fmt.Errorf("parsing decimal %q: not a finite number", s)
	}
	// Far beyond any amount, quantity or rate of the ledger; refusing them
	// here keeps "1e999999" from turning into a megabyte of zeros.
	if d.d.Exponent < -maxDigits || d.d.Exponent > maxDigits {
		return Decimal{}, fmt.Errorf("parsing decimal %q: more than %d digits", s, maxDigits)
	}
	// One spelling per value where it matters: no positive exponent ("1e3"
	// is 1000, so it writes as a plain literal) and no negative zero
	// (PostgreSQL has none).
	if d.d.Exponent > 0 {
		if _, err := ctx.Quantize(&d.d, &d.d, 0); err != nil {
			return Decimal{}, fmt.Errorf("parsing decimal %q: %w", s, err)
		}
	}
	if d.d.IsZero() {
		d.d.Negative = false
	}
	if d.d.NumDigits() > maxDigits {
		return Decimal{}, fmt.Errorf("parsing decimal %q: more than %d digits", s, maxDigits)
	}
	return d, nil
}

// Must is Parse for literals in code and tests.
func Must(s string) Decimal {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String writes the exact decimal literal, without exponent.
func (x Decimal) String() string { return x.d.Text('f') }

// Cmp compares x and y numerically: -1, 0 or +1.
func (x Decimal) Cmp(y Decimal) int { return x.d.Cmp(&y.d) }

// Sign is -1, 0 or +1.
func (x Decimal) Sign() int { return x.d.Sign() }

// Scale is the number of digits after the decimal point as written:
// 1.50 has scale 2, 100 has scale 0.
func (x Decimal) Scale() int32 {
	if x.d.Exponent >= 0 {
		return 0
	}
	return -x.d.Exponent
}

// Add returns x + y, exactly.
func (x Decimal) Add(y Decimal) Decimal {
	var z Decimal
	mustExact(ctx.Add(&z.d, &x.d, &y.d))
	return z
}

// Neg returns -x.
func (x Decimal) Neg() Decimal {
	var z Decimal
	z.d.Neg(&x.d)
	return z
}

// Sub returns x − y, exactly.
func (x Decimal) Sub(y Decimal) Decimal {
	var z Decimal
	mustExact(ctx.Sub(&z.d, &x.d, &y.d))
	return z
}

// MulDivCents returns round_half_up(x × y / z, 2): a share of an amount
// (a credited part of a line). The quotient is first cut toward zero at 50
// digits, which cannot move it across a half cent: an exact half is a
// terminating decimal and survives whole. z must not be zero.
func (x Decimal) MulDivCents(y, z Decimal) Decimal {
	var p, q Decimal
	mustExact(ctx.Mul(&p.d, &x.d, &y.d))
	if _, err := truncCtx.Quo(&q.d, &p.d, &z.d); err != nil {
		panic(fmt.Sprintf("dividing %s by %s: %v", p, z, err))
	}
	return q.RoundCents()
}

// Min returns the smaller of x and y.
func (x Decimal) Min(y Decimal) Decimal {
	if y.Cmp(x) < 0 {
		return y
	}
	return x
}

// Mul returns x × y, exactly.
func (x Decimal) Mul(y Decimal) Decimal {
	var z Decimal
	mustExact(ctx.Mul(&z.d, &x.d, &y.d))
	return z
}

// RoundCents rounds half away from zero ("half-up" for the non-negative
// amounts of an invoice) to 2 decimals, and always writes 2 decimals.
func (x Decimal) RoundCents() Decimal {
	var z Decimal
	if _, err := ctx.Quantize(&z.d, &x.d, -2); err != nil {
		panic(fmt.Sprintf("rounding %s: %v", x, err))
	}
	return z
}

// TruncCents drops every decimal after the second (toward zero), and always
// writes 2 decimals: DIAN's CUFE takes amounts truncated, not rounded.
func (x Decimal) TruncCents() Decimal {
	var z Decimal
	if _, err := truncCtx.Quantize(&z.d, &x.d, -2); err != nil {
		panic(fmt.Sprintf("truncating %s: %v", x, err))
	}
	return z
}

// Rescale writes x with exactly scale decimals (1 at scale 3 is 1.000), as a
// numeric(p,scale) column stores it. x must already fit: validation refuses
// values that would need rounding.
func (x Decimal) Rescale(scale int32) Decimal {
	if x.d.Exponent == -scale {
		return x // the common case: read from a column of that scale
	}
	var z Decimal
	if _, err := ctx.Quantize(&z.d, &x.d, -scale); err != nil {
		panic(fmt.Sprintf("rescaling %s: %v", x, err))
	}
	return z
}

// Key is a canonical text for grouping equal values written differently
// (19, 19.0 and 19.00 share one key).
func (x Decimal) Key() string {
	r := x.reduced()
	return r.d.Text('f')
}

// reduced is x without trailing zeros (1.50 becomes 1.5, 100 stays 1E+2).
func (x Decimal) reduced() Decimal {
	var r Decimal
	r.d.Reduce(&x.d)
	return r
}

// mustExact panics on an arithmetic condition the bounds make impossible;
// reaching it is a bug, not bad input.
func mustExact(_ apd.Condition, err error) {
	if err != nil {
		panic(fmt.Sprintf("decimal arithmetic: %v", err))
	}
}

// MarshalJSON writes the exact literal as a JSON number. The value receiver
// matters: generated response types hold Decimal by value.
func (x Decimal) MarshalJSON() ([]byte, error) {
	return x.AppendJSON(make([]byte, 0, 24)), nil
}

// AppendJSON appends what MarshalJSON writes to b, for encoders that build
// a whole document in one buffer.
func (x Decimal) AppendJSON(b []byte) []byte {
	return x.d.Append(b, 'f')
}

// UnmarshalJSON reads a JSON number literal exactly. Strings, null and
// other JSON types are refused, as the contract declares numbers.
func (x *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || !(b[0] == '-' || (b[0] >= '0' && b[0] <= '9')) {
		return errors.New("decimal: want a JSON number")
	}
	d, err := Parse(string(b))
	if err != nil {
		return err
	}
	*x = d
	return nil
}

// FromBigInt returns coeff × 10^exp. The coefficient is copied.
func FromBigInt(coeff *big.Int, exp int32) Decimal {
	var x Decimal
	x.d.Exponent = exp
	x.d.Negative = coeff.Sign() < 0
	x.d.Coeff.SetMathBigInt(coeff)
	if x.d.Negative {
		x.d.Coeff.Neg(&x.d.Coeff)
	}
	return x
}

// FromUint64 returns ±coeff × 10^exp without allocating, for codecs that
// read the digits themselves. A zero is never negative.
func FromUint64(coeff uint64, negative bool, exp int32) Decimal {
	var x Decimal
	x.d.Exponent = exp
	x.d.Negative = negative && coeff != 0
	x.d.Coeff.SetUint64(coeff)
	return x
}

// Coefficient returns x as coeff × 10^exp, with a new big.Int.
func (x Decimal) Coefficient() (coeff *big.Int, exp int32) {
	i := new(big.Int).Set(x.d.Coeff.MathBigInt())
	if x.d.Negative {
		i.Neg(i)
	}
	return i, x.d.Exponent
}

// Uint64 returns x as ±coeff × 10^exp when its coefficient fits 64 bits
// (every amount, price, quantity and rate of the ledger does); ok is false
// otherwise. It allocates nothing, for codecs on the hot path.
func (x Decimal) Uint64() (coeff uint64, negative bool, exp int32, ok bool) {
	if !x.d.Coeff.IsUint64() {
		return 0, false, 0, false
	}
	return x.d.Coeff.Uint64(), x.d.Negative, x.d.Exponent, true
}

// Places is the number of decimals x needs: 1.50 needs 1, so a trailing zero
// never makes a valid amount invalid.
func (x Decimal) Places() int32 { return x.reduced().Scale() }
