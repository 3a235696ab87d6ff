package store

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"billing/internal/money"
)

// TestNumericCodec: a money.Decimal is read by the direct reader, values
// come back exact with PostgreSQL's scale, and values too wide for it take
// the general path.
func TestNumericCodec(t *testing.T) {
	ctx := context.Background()
	conn := poolConn(t)
	var x money.Decimal
	if _, ok := conn.Conn().TypeMap().PlanScan(pgtype.NumericOID, pgtype.BinaryFormatCode, &x).(*scanDecimal); !ok {
		t.Fatal("scanning a money.Decimal does not use scanDecimal")
	}
	for _, tt := range []struct{ sql, want string }{
		{"0.00::numeric(18,2)", "0.00"},
		{"1.5::numeric(12,3)", "1.500"},
		{"-9999999999999999.99::numeric(18,2)", "-9999999999999999.99"},
		{"1172150.00::numeric(18,2)", "1172150.00"},
		{"123456789012345678901234567890.12::numeric", "123456789012345678901234567890.12"},
	} {
		var got money.Decimal
		var opt *money.Decimal
		if err := conn.QueryRow(ctx, "SELECT "+tt.sql+", NULL::numeric").Scan(&got, &opt); err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		if got.String() != tt.want || opt != nil {
			t.Errorf("%s read as %s (and NULL as %v), want %s", tt.sql, got, opt, tt.want)
		}
	}
}

// TestNumericCodecWrites: a money.Decimal and a slice of them travel as
// parameters exactly, in binary and in text, and numeric[] reads back into a
// slice.
func TestNumericCodecWrites(t *testing.T) {
	ctx := context.Background()
	conn := poolConn(t)
	in := []money.Decimal{money.Must("0.00"), money.Must("1172150.00"), money.Must("-3.125"), money.Must("123456789012345678901234567890.12")}
	for _, s := range appendTestValues {
		in = append(in, money.Must(s))
	}
	for _, mode := range []struct {
		name string
		args []any
	}{
		{"binary", nil},
		{"text", []any{pgx.QueryResultFormats{pgtype.TextFormatCode, pgtype.TextFormatCode}}},
	} {
		var text string
		var back []money.Decimal
		args := append(mode.args, in[1], in)
		if err := conn.QueryRow(ctx, "SELECT $1::numeric::text, $2::numeric[]", args...).Scan(&text, &back); err != nil {
			t.Fatalf("%s: %v", mode.name, err)
		}
		if text != "1172150.00" || len(back) != len(in) {
			t.Fatalf("%s: %s, %v", mode.name, text, back)
		}
		for i := range in {
			if back[i].String() != in[i].String() {
				t.Errorf("%s: element %d read as %s, want %s", mode.name, i, back[i], in[i])
			}
		}
	}
}
