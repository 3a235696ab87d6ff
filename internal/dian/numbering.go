package dian

import (
	"sort"
	"strconv"

	"billing/internal/billing"
	"billing/internal/fault"
)

// ChooseResolution picks the range a document issued on date takes its
// number from, among the tenant's active ranges of its kind (FACTURA for an
// invoice, NOTA_CREDITO for a credit note): one valid on that Colombian
// date (see ValidOn) with a number left, preferring the one whose validity
// ends first (then the lowest range; a range without an end comes last),
// so a range is used up before it lapses. No active range is
// fault.ErrResolutionMissing; active ranges none of which is valid that day,
// fault.ErrResolutionExpired; valid ranges all used up,
// fault.ErrRangeExhausted.
func ChooseResolution(active []billing.NumberingResolution, on billing.Date) (billing.NumberingResolution, error) {
	if len(active) == 0 {
		return billing.NumberingResolution{}, fault.ErrResolutionMissing
	}
	var valid []billing.NumberingResolution
	for _, r := range active {
		if ValidOn(r, on) {
			valid = append(valid, r)
		}
	}
	if len(valid) == 0 {
		return billing.NumberingResolution{}, fault.ErrResolutionExpired
	}
	sort.SliceStable(valid, func(i, j int) bool {
		a, b := valid[i], valid[j]
		switch {
		case (a.VigenciaHasta == nil) != (b.VigenciaHasta == nil):
			return b.VigenciaHasta == nil
		case a.VigenciaHasta != nil && !a.VigenciaHasta.Time().Equal(b.VigenciaHasta.Time()):
			return a.VigenciaHasta.Before(*b.VigenciaHasta)
		}
		return a.Desde < b.Desde
	})
	for _, r := range valid {
		if r.Disponibles() > 0 {
			return r, nil
		}
	}
	return billing.NumberingResolution{}, fault.ErrRangeExhausted
}

// ValidOn reports whether a range's validity holds date (inclusive). A
// FACTURA range always has its dates (a resolution is created with them);
// a note range may have none (DIAN authorises no range for notes), and is
// then valid on every date.
func ValidOn(r billing.NumberingResolution, on billing.Date) bool {
	if r.VigenciaDesde == nil || r.VigenciaHasta == nil {
		return r.TipoDocumento != billing.KindFactura && r.VigenciaDesde == nil && r.VigenciaHasta == nil
	}
	return !on.Before(*r.VigenciaDesde) && !on.After(*r.VigenciaHasta)
}

// Numero is the document number DIAN expects: the prefix and the
// consecutive with no separator (SETP990000001).
func Numero(prefijo string, consecutivo int64) string {
	return prefijo + strconv.FormatInt(consecutivo, 10)
}

// TestRange is DIAN's own numbering range of its test environment
// (habilitación, FISCAL.md §3), shared by every software under test: a
// FACTURA range, prefix SETP, 990000000–995000000, resolution 18760000001
// valid 2019-01-19 to 2030-01-19, with its technical key.
func TestRange() billing.NumberingResolution {
	from, to := billing.NewDate(2019, 1, 19), billing.NewDate(2030, 1, 19)
	number := "18760000001"
	return billing.NumberingResolution{
		TipoDocumento: billing.KindFactura, NumeroResolucion: &number, FechaResolucion: &from,
		Prefijo: "SETP", Desde: 990000000, Hasta: 995000000, VigenciaDesde: &from, VigenciaHasta: &to,
		ClaveTecnica: "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c",
	}
}
