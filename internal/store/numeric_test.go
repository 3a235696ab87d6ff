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

// TestNumericArrayCodec: []money.Decimal moves through numeric[] by the
// direct plans (no reflection), empty and NULL arrays included, and a
// two-dimensional array is refused rather than flattened.
func TestNumericArrayCodec(t *testing.T) {
	ctx := context.Background()
	conn := poolConn(t)
	m := conn.Conn().TypeMap()
	if _, ok := m.PlanScan(pgtype.NumericArrayOID, pgtype.BinaryFormatCode, &[]money.Decimal{}).(scanDecimals); !ok {
		t.Fatal("scanning a []money.Decimal does not use scanDecimals")
	}
	if _, ok := m.PlanEncode(pgtype.NumericArrayOID, pgtype.BinaryFormatCode, []money.Decimal{}).(encodeDecimals); !ok {
		t.Fatal("writing a []money.Decimal does not use encodeDecimals")
	}
	var empty, null []money.Decimal
	var n int
	if err := conn.QueryRow(ctx, "SELECT $1::numeric[], NULL::numeric[], cardinality($1::numeric[])", []money.Decimal{}).Scan(&empty, &null, &n); err != nil {
		t.Fatal(err)
	}
	if empty == nil || len(empty) != 0 || null != nil || n != 0 {
		t.Fatalf("empty %v, NULL %v, cardinality %d", empty, null, n)
	}
	var square []money.Decimal
	if err := conn.QueryRow(ctx, "SELECT '{{1,2},{3,4}}'::numeric[]").Scan(&square); err == nil {
		t.Fatalf("a two-dimensional array read as %v", square)
	}
	var withNull []money.Decimal
	if err := conn.QueryRow(ctx, "SELECT '{1,NULL}'::numeric[]").Scan(&withNull); err == nil {
		t.Fatalf("an array with NULL read as %v", withNull)
	}
}
