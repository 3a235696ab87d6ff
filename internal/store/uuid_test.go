package store

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"billing/internal/testdb"
)

// TestUUIDCodec: google/uuid values travel as 16 bytes both ways (the plans
// are uuidCodec's, not the driver.Valuer / sql.Scanner detours), and survive
// a round trip through PostgreSQL, NULLs included.
func TestUUIDCodec(t *testing.T) {
	ctx := context.Background()
	conn := poolConn(t)

	m := conn.Conn().TypeMap()
	var u uuid.UUID
	if _, ok := m.PlanScan(pgtype.UUIDOID, pgtype.BinaryFormatCode, &u).(scanUUID); !ok {
		t.Error("scanning a uuid.UUID does not use scanUUID")
	}
	if _, ok := m.PlanEncode(pgtype.UUIDOID, pgtype.BinaryFormatCode, u).(encodeUUID); !ok {
		t.Error("encoding a uuid.UUID does not use encodeUUID")
	}

	in := uuid.Must(uuid.NewV7())
	var out uuid.UUID
	var present, absent *uuid.UUID
	var text string
	err := conn.QueryRow(ctx, "SELECT $1::uuid, $2::uuid, NULL::uuid, $1::uuid::text", in, &in).Scan(&out, &present, &absent, &text)
	if err != nil {
		t.Fatal(err)
	}
	if out != in || present == nil || *present != in || absent != nil || text != in.String() {
		t.Fatalf("round trip of %s: %s, %v, %v, %s", in, out, present, absent, text)
	}
	var none *uuid.UUID
	if err := conn.QueryRow(ctx, "SELECT $1::uuid IS NULL", none).Scan(new(bool)); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT NULL::uuid").Scan(&out); err == nil {
		t.Fatal("NULL scanned into a uuid.UUID")
	}
}

// poolConn is a connection of a new Store's pool (so with the pool's type
// registrations), released when the test ends.
func poolConn(t *testing.T) *pgxpool.Conn {
	t.Helper()
	ctx := context.Background()
	s, err := testOpen(ctx, testdb.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Release)
	return conn
}
