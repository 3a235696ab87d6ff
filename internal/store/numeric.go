package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgtype"

	"billing/internal/money"
)

// numericCodec is pgx's numeric codec, taught to move a money.Decimal: as
// its coefficient and exponent (a pgtype.Numeric) when writing, and straight
// from the wire when reading (decimalFromBinary) instead of building a big.Int
// digit by digit and converting it. Values the direct reader declines (NaN,
// wider than 64 bits) take pgx's general path. money knows nothing of pgx:
// this codec is the whole bridge, registered on every connection.
type numericCodec struct {
	pgtype.NumericCodec
}

// registerNumeric puts numericCodec on m, and a numeric[] codec made of it:
// pgx's own numeric[] holds on to pgx's numeric codec.
func registerNumeric(m *pgtype.Map) {
	numeric := &pgtype.Type{Name: "numeric", OID: pgtype.NumericOID, Codec: numericCodec{}}
	m.RegisterType(numeric)
	m.RegisterType(&pgtype.Type{Name: "_numeric", OID: pgtype.NumericArrayOID,
		Codec: decimalArrayCodec{ArrayCodec: &pgtype.ArrayCodec{ElementType: numeric}}})
}

// pgx plans a scan for every column of every query it runs, so the plans
// for money.Decimal are made once: pgx's numeric plans for a pgtype.Numeric
// hold no state (they only look at the target's type), and can be shared.
var (
	decimalPlans = map[int16]*scanDecimal{}
	encodePlans  = map[int16]*encodeDecimal{}
)

func init() {
	var codec pgtype.NumericCodec
	m := pgtype.NewMap()
	for _, format := range []int16{pgtype.BinaryFormatCode, pgtype.TextFormatCode} {
		decimalPlans[format] = &scanDecimal{
			general: codec.PlanScan(m, pgtype.NumericOID, format, &pgtype.Numeric{}),
			binary:  format == pgtype.BinaryFormatCode,
		}
		encodePlans[format] = &encodeDecimal{
			next:   codec.PlanEncode(m, pgtype.NumericOID, format, pgtype.Numeric{}),
			binary: format == pgtype.BinaryFormatCode,
		}
	}
}

func (c numericCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(money.Decimal); ok {
		if p := encodePlans[format]; p != nil && p.next != nil {
			return p
		}
	}
	return c.NumericCodec.PlanEncode(m, oid, format, value)
}

func (c numericCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*money.Decimal); ok {
		if p := decimalPlans[format]; p != nil && p.general != nil {
			return p
		}
	}
	return c.NumericCodec.PlanScan(m, oid, format, target)
}

// encodeDecimal writes a money.Decimal: straight into the binary format
// when it can (appendDecimalBinary), else as the pgtype.Numeric it is.
type encodeDecimal struct {
	next   pgtype.EncodePlan
	binary bool
}

func (p *encodeDecimal) Encode(value any, buf []byte) ([]byte, error) {
	d := value.(money.Decimal)
	if p.binary {
		if out, ok := appendDecimalBinary(buf, d); ok {
			return out, nil
		}
	}
	coeff, exp := d.Coefficient()
	return p.next.Encode(pgtype.Numeric{Int: coeff, Exp: exp, Valid: true}, buf)
}

// scanDecimal reads a numeric into a money.Decimal.
type scanDecimal struct {
	general pgtype.ScanPlan // into a pgtype.Numeric
	binary  bool
}

func (p *scanDecimal) Scan(src []byte, dst any) error {
	if src == nil {
		return errors.New("cannot scan NULL into a money.Decimal")
	}
	if p.binary {
		if d, ok := decimalFromBinary(src); ok {
			*dst.(*money.Decimal) = d
			return nil
		}
	}
	var n pgtype.Numeric
	if err := p.general.Scan(src, &n); err != nil {
		return err
	}
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return fmt.Errorf("cannot scan %s into a money.Decimal", src)
	}
	*dst.(*money.Decimal) = money.FromBigInt(n.Int, n.Exp)
	return nil
}

// decimalArrayCodec is numeric[] with a direct path for []money.Decimal in
// the binary format: pgx's array codec reaches a slice of a type it does not
// know by reflection (profiled: most of the allocations of a create, whose
// lines and tax breakdown travel as arrays).
type decimalArrayCodec struct {
	*pgtype.ArrayCodec
}

func (c decimalArrayCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.([]money.Decimal); ok && format == pgtype.BinaryFormatCode {
		return encodeDecimals{}
	}
	return c.ArrayCodec.PlanEncode(m, oid, format, value)
}

func (c decimalArrayCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*[]money.Decimal); ok && format == pgtype.BinaryFormatCode {
		return scanDecimals{}
	}
	return c.ArrayCodec.PlanScan(m, oid, format, target)
}

// PostgreSQL's binary array: dimensions, a has-nulls flag, the element
// type, each dimension's length and lower bound, then each element as its
// length (-1 for NULL) and its bytes.
const arrayHeader = 12

type encodeDecimals struct{}

func (encodeDecimals) Encode(value any, buf []byte) ([]byte, error) {
	ds := value.([]money.Decimal)
	if ds == nil {
		return nil, nil
	}
	dims := int32(1)
	if len(ds) == 0 {
		dims = 0
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(dims))
	buf = binary.BigEndian.AppendUint32(buf, 0) // no NULLs
	buf = binary.BigEndian.AppendUint32(buf, pgtype.NumericOID)
	if dims == 1 {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(ds)))
		buf = binary.BigEndian.AppendUint32(buf, 1)
	}
	for _, d := range ds {
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0) // the element's length, known once written
		var err error
		if buf, err = encodePlans[pgtype.BinaryFormatCode].Encode(d, buf); err != nil {
			return nil, err
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf, nil
}

type scanDecimals struct{}

func (scanDecimals) Scan(src []byte, dst any) error {
	out := dst.(*[]money.Decimal)
	if src == nil {
		*out = nil
		return nil
	}
	if len(src) < arrayHeader {
		return errors.New("numeric[]: a short array header")
	}
	dims := binary.BigEndian.Uint32(src[0:])
	rest := src[arrayHeader:]
	n := 0
	switch dims {
	case 0:
	case 1:
		if len(rest) < 8 {
			return errors.New("numeric[]: a short dimension")
		}
		n = int(binary.BigEndian.Uint32(rest))
		rest = rest[8:]
	default:
		return fmt.Errorf("numeric[]: %d dimensions, want at most 1", dims)
	}
	ds := make([]money.Decimal, n)
	for i := range ds {
		if len(rest) < 4 {
			return errors.New("numeric[]: a short element")
		}
		size := int32(binary.BigEndian.Uint32(rest))
		rest = rest[4:]
		if size < 0 {
			return errors.New("numeric[]: cannot scan NULL into a money.Decimal")
		}
		if int(size) > len(rest) {
			return errors.New("numeric[]: a short element")
		}
		if err := decimalPlans[pgtype.BinaryFormatCode].Scan(rest[:size], &ds[i]); err != nil {
			return fmt.Errorf("numeric[] element %d: %w", i, err)
		}
		rest = rest[size:]
	}
	*out = ds
	return nil
}
