package dian

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
)

func TestChooseResolution(t *testing.T) {
	d := billing.NewDate
	rng := func(name string, from, to billing.Date, desde, siguiente, hasta int64) billing.NumberingResolution {
		return billing.NumberingResolution{ID: uuid.NewSHA1(uuid.Nil, []byte(name)), Prefijo: name, VigenciaDesde: &from, VigenciaHasta: &to,
			Desde: desde, Siguiente: siguiente, Hasta: hasta}
	}
	old := rng("OLD", d(2025, 1, 1), d(2026, 12, 2), 1, 1, 100)      // its last valid day is 2026-12-02
	fresh := rng("NEW", d(2026, 12, 2), d(2028, 1, 1), 1, 1, 100)    // its first valid day is 2026-12-02
	used := rng("USED", d(2025, 1, 1), d(2026, 12, 31), 1, 101, 100) // exhausted
	later := rng("LATE", d(2027, 1, 1), d(2028, 1, 1), 1, 1, 100)    // not valid yet
	// Note ranges may have no validity dates: valid every day, used last.
	note := billing.NumberingResolution{ID: uuid.NewSHA1(uuid.Nil, []byte("NC")), TipoDocumento: billing.KindNotaCredito, Prefijo: "NC",
		Desde: 1, Siguiente: 1, Hasta: 100}
	undated := note
	undated.TipoDocumento, undated.Prefijo = billing.KindFactura, "BAD" // a FACTURA range is never valid without dates
	cases := []struct {
		name   string
		active []billing.NumberingResolution
		on     billing.Date
		want   string
		err    error
	}{
		{"none", nil, d(2026, 12, 2), "", fault.ErrResolutionMissing},
		{"last valid day counts", []billing.NumberingResolution{old}, d(2026, 12, 2), "OLD", nil},
		{"the day after does not", []billing.NumberingResolution{old}, d(2026, 12, 3), "", fault.ErrResolutionExpired},
		{"first valid day counts", []billing.NumberingResolution{fresh}, d(2026, 12, 2), "NEW", nil},
		{"not valid yet", []billing.NumberingResolution{later}, d(2026, 12, 2), "", fault.ErrResolutionExpired},
		{"the one ending first is used up first", []billing.NumberingResolution{fresh, old}, d(2026, 12, 2), "OLD", nil},
		{"an exhausted one is passed over", []billing.NumberingResolution{used, fresh}, d(2026, 12, 2), "NEW", nil},
		{"all valid ones exhausted", []billing.NumberingResolution{used, later}, d(2026, 12, 2), "", fault.ErrRangeExhausted},
		{"a note range without dates is valid any day", []billing.NumberingResolution{note}, d(2040, 1, 1), "NC", nil},
		{"a dated range ends first, so it goes first", []billing.NumberingResolution{note, fresh}, d(2026, 12, 2), "NEW", nil},
		{"an invoice range without dates is not valid", []billing.NumberingResolution{undated}, d(2026, 12, 2), "", fault.ErrResolutionExpired},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ChooseResolution(c.active, c.on)
			if !errors.Is(err, c.err) || got.Prefijo != c.want {
				t.Fatalf("chose %q, %v; want %q, %v", got.Prefijo, err, c.want, c.err)
			}
		})
	}
}

// TestColombianDate: the issue date is Colombia's (UTC−5), not UTC's.
func TestColombianDate(t *testing.T) {
	for _, c := range []struct {
		utc  string
		want string
	}{
		{"2026-12-02T04:59:59Z", "2026-12-01"},
		{"2026-12-02T05:00:00Z", "2026-12-02"},
		{"2027-01-01T03:00:00Z", "2026-12-31"},
	} {
		at, err := time.Parse(time.RFC3339, c.utc)
		if err != nil {
			t.Fatal(err)
		}
		if got := billing.DateOf(at).String(); got != c.want {
			t.Errorf("%s is %s in Colombia, want %s", c.utc, got, c.want)
		}
	}
	if got := Numero("SETP", 990000001); got != "SETP990000001" {
		t.Fatalf("numero %q", got)
	}
}
