package store

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"

	"billing/internal/billing"
)

// TestNumericCodec: a billing.Decimal is read by the direct reader, values
// come back exact with PostgreSQL's scale, and values too wide for it take
// the general path.
func TestNumericCodec(t *testing.T) {
	ctx := context.Background()
	conn := poolConn(t)
	var x billing.Decimal
	if _, ok := conn.Conn().TypeMap().PlanScan(pgtype.NumericOID, pgtype.BinaryFormatCode, &x).(scanDecimal); !ok {
		t.Fatal("scanning a billing.Decimal does not use scanDecimal")
	}
	for _, tt := range []struct{ sql, want string }{
		{"0.00::numeric(18,2)", "0.00"},
		{"1.5::numeric(12,3)", "1.500"},
		{"-9999999999999999.99::numeric(18,2)", "-9999999999999999.99"},
		{"1172150.00::numeric(18,2)", "1172150.00"},
		{"123456789012345678901234567890.12::numeric", "123456789012345678901234567890.12"},
	} {
		var got billing.Decimal
		var opt *billing.Decimal
		if err := conn.QueryRow(ctx, "SELECT "+tt.sql+", NULL::numeric").Scan(&got, &opt); err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		if got.String() != tt.want || opt != nil {
			t.Errorf("%s read as %s (and NULL as %v), want %s", tt.sql, got, opt, tt.want)
		}
	}
}
