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

func (c numericCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(money.Decimal); ok {
		if next := c.NumericCodec.PlanEncode(m, oid, format, pgtype.Numeric{}); next != nil {
			return encodeDecimal{next: next}
		}
	}
	return c.NumericCodec.PlanEncode(m, oid, format, value)
}

func (c numericCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*money.Decimal); ok {
		if general := c.NumericCodec.PlanScan(m, oid, format, &pgtype.Numeric{}); general != nil {
			return scanDecimal{general: general, binary: format == pgtype.BinaryFormatCode}
		}
	}
	return c.NumericCodec.PlanScan(m, oid, format, target)
}

// encodeDecimal writes a money.Decimal as the pgtype.Numeric it is.
type encodeDecimal struct{ next pgtype.EncodePlan }

func (p encodeDecimal) Encode(value any, buf []byte) ([]byte, error) {
	coeff, exp := value.(money.Decimal).Coefficient()
	return p.next.Encode(pgtype.Numeric{Int: coeff, Exp: exp, Valid: true}, buf)
}

// scanDecimal reads a numeric into a money.Decimal.
type scanDecimal struct {
	general pgtype.ScanPlan // into a pgtype.Numeric
	binary  bool
}

func (p scanDecimal) Scan(src []byte, dst any) error {
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
