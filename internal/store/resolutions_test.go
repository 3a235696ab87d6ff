package store

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/schema"
	"billing/internal/testdb"
)

// TestRolledBackIssueGivesItsNumberBack: a consecutive taken in a
// transaction that rolls back is the next one taken; numbers are never
// skipped, and the range refuses past its end.
func TestRolledBackIssueGivesItsNumberBack(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	if _, err := schema.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	s, err := testOpen(ctx, dsn, WithSecrets(testBox(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tenant, err := s.CreateTenant(ctx, "T")
	if err != nil {
		t.Fatal(err)
	}
	from, to := billing.NewDate(2019, 1, 19), billing.NewDate(2030, 1, 19)
	res := billing.NumberingResolution{ID: uuid.Must(uuid.NewV7()), TipoDocumento: billing.KindFactura,
		NumeroResolucion: ptr("18760000001"), FechaResolucion: &from, Prefijo: "SETP", Desde: 7, Hasta: 8,
		VigenciaDesde: &from, VigenciaHasta: &to, ClaveTecnica: "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"}
	if err := s.InTx(ctx, tenant.ID, func(tx *Tx) error { _, err := tx.CreateResolution(ctx, res); return err }); err != nil {
		t.Fatal(err)
	}
	take := func(fail bool) (int64, error) {
		var n int64
		err := s.InTx(ctx, tenant.ID, func(tx *Tx) error {
			active, err := tx.ActiveResolutions(ctx, billing.KindFactura)
			if err != nil {
				return err
			}
			if len(active) != 1 || !active[0].ClaveTecnicaSet || active[0].ClaveTecnica == "" {
				t.Fatalf("active ranges as the issue reads them: %+v", active)
			}
			if n, err = tx.TakeConsecutive(ctx, active[0].ID); err != nil {
				return err
			}
			if fail {
				return errRollback
			}
			return nil
		})
		return n, err
	}
	if n, err := take(true); n != 7 || !errors.Is(err, errRollback) {
		t.Fatalf("first take: %d, %v", n, err)
	}
	for _, want := range []int64{7, 8} {
		if n, err := take(false); n != want || err != nil {
			t.Fatalf("take: %d, %v; want %d", n, err, want)
		}
	}
	if _, err := take(false); !errors.Is(err, fault.ErrRangeExhausted) {
		t.Fatalf("past the range's end: %v", err)
	}
	if got, err := s.Resolution(ctx, tenant.ID, res.ID); err != nil || got.Siguiente != 9 || got.Disponibles() != 0 || got.ClaveTecnica != "" {
		t.Fatalf("read back %+v, %v", got, err)
	}
}

func ptr[T any](v T) *T { return &v }
