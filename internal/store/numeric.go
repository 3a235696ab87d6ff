package store

import (
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

func registerNumeric(m *pgtype.Map) {
	m.RegisterType(&pgtype.Type{Name: "numeric", OID: pgtype.NumericOID, Codec: numericCodec{}})
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
