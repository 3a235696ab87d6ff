package store

import (
	"encoding/binary"
	"math/big"
	"testing"

	"billing/internal/money"

	"github.com/jackc/pgx/v5/pgtype"
)

// binaryNumeric is what pgx (and so PostgreSQL's wire format) writes for s.
func binaryNumeric(t testing.TB, s string) []byte {
	t.Helper()
	var n pgtype.Numeric
	if err := n.Scan(s); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	b, err := pgtype.NewMap().Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, n, nil)
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return b
}

// scanGeneral reads b the general way: pgx's own numeric codec into a
// pgtype.Numeric, then its coefficient and exponent.
func scanGeneral(t testing.TB, b []byte) money.Decimal {
	t.Helper()
	var n pgtype.Numeric
	if err := pgtype.NewMap().Scan(pgtype.NumericOID, pgtype.BinaryFormatCode, b, &n); err != nil {
		t.Fatal(err)
	}
	return money.FromBigInt(n.Int, n.Exp)
}

func TestDecimalFromBinary(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when the fast path must decline
	}{
		{"0", "0"},
		{"0.00", "0.00"},
		{"1.500", "1.500"},
		{"-12.34", "-12.34"},
		{"10000", "10000"},
		{"0.0001", "0.0001"},
		{"985000.00", "985000.00"},
		{"9999999999999999.99", "9999999999999999.99"},
		{"-9999999999999999.99", "-9999999999999999.99"},
		{"18446744073709551615", "18446744073709551615"},
		{"18446744073709551616", ""},
		{"123456789012345678901234567890.12", ""},
		{"NaN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b := binaryNumeric(t, tt.in)
			got, ok := decimalFromBinary(b)
			if tt.want == "" {
				if ok {
					t.Fatalf("read %s, want a refusal", got)
				}
				return
			}
			if !ok || got.String() != tt.want {
				t.Fatalf("got %s (ok %v), want %s", got, ok, tt.want)
			}
			if g := scanGeneral(t, b); g.Cmp(got) != 0 {
				t.Fatalf("general path reads %s, fast path %s", g, got)
			}
		})
	}
	for _, junk := range [][]byte{nil, {0, 1}, {0, 1, 0, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0x12, 0, 0, 0, 0, 1}, {0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10}} {
		if got, ok := decimalFromBinary(junk); ok {
			t.Errorf("%v read as %s", junk, got)
		}
	}
}

// FuzzDecimalFromBinary: whenever the fast path reads a value, it is
// the value the general path reads.
func FuzzDecimalFromBinary(f *testing.F) {
	f.Add(int64(98500000), int32(-2))
	f.Add(int64(-1), int32(-40))
	f.Add(int64(0), int32(3))
	f.Fuzz(func(t *testing.T, coeff int64, exp int32) {
		if exp < -40 || exp > 40 {
			t.Skip()
		}
		b, err := pgtype.NewMap().Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, pgtype.Numeric{Int: big.NewInt(coeff), Exp: exp, Valid: true}, nil)
		if err != nil {
			t.Skip()
		}
		fast, ok := decimalFromBinary(b)
		if !ok {
			return
		}
		if general := scanGeneral(t, b); general.Cmp(fast) != 0 {
			t.Fatalf("%de%d: fast %s, general %s", coeff, exp, fast, general)
		}
	})
}

// appendTestValues are the table cases of the direct writer; the numeric
// codec's database test sends them to PostgreSQL too.
var appendTestValues = []string{
	"0", "0.00", "0.000", "1", "-1", "1.5", "1.500", "10000", "9999", "10000.0001", "0.0001", "0.00001", "0.12345",
	"-12.34", "985000.00", "1172150.00", "9999999999999999.99", "-9999999999999999.99", "18446744073709551615",
	"0.000000000000000000000000000000000000001", "123456789.999", "100000000.000", "-0.50",
}

// TestAppendDecimalBinary: the direct writer's bytes read back (with pgx's
// own decoder) as the same value at the same scale. It normalises its digits
// (no zero groups at either end) where pgx's writer keeps some; PostgreSQL
// reads both alike (TestNumericCodecWrites sends these values to it).
func TestAppendDecimalBinary(t *testing.T) {
	for _, s := range appendTestValues {
		d := money.Must(s)
		got, ok := appendDecimalBinary(nil, d)
		if !ok {
			t.Errorf("%s: declined", s)
			continue
		}
		checkWritten(t, d, got)
	}
	for _, d := range []money.Decimal{money.Must("18446744073709551616"), money.FromUint64(5, false, 3)} {
		if _, ok := appendDecimalBinary(nil, d); ok {
			t.Errorf("%s: not declined", d)
		}
	}
}

// FuzzAppendDecimalBinary: whatever the direct writer writes reads back as
// the value it was given, at its scale.
func FuzzAppendDecimalBinary(f *testing.F) {
	f.Add(uint64(98500000), false, int32(-2))
	f.Add(uint64(1), true, int32(-40))
	f.Add(uint64(0), false, int32(-3))
	f.Add(uint64(18446744073709551615), true, int32(-7))
	f.Fuzz(func(t *testing.T, coeff uint64, negative bool, exp int32) {
		if exp < -40 || exp > 40 {
			t.Skip()
		}
		d := money.FromUint64(coeff, negative, exp)
		got, ok := appendDecimalBinary(nil, d)
		if !ok {
			return
		}
		checkWritten(t, d, got)
	})
}

// checkWritten: b, written for d, reads back with pgx's own decoder as d's
// value, carries d's scale, and the direct reader reads d exactly.
func checkWritten(t *testing.T, d money.Decimal, b []byte) {
	t.Helper()
	if back := scanGeneral(t, b); back.Cmp(d) != 0 {
		t.Fatalf("%s: % x reads back as %s", d, b, back)
	}
	if scale := int32(binary.BigEndian.Uint16(b[6:])); scale != d.Scale() {
		t.Fatalf("%s: % x has scale %d", d, b, scale)
	}
	if back, ok := decimalFromBinary(b); !ok || back.String() != d.String() {
		t.Fatalf("%s: % x reads back directly as %s (%v)", d, b, back, ok)
	}
}
