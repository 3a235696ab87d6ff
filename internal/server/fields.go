package server

import (
	"strings"

	"github.com/oapi-codegen/nullable"

	"billing/internal/fault"
	"billing/internal/ledger"
	"billing/internal/money"
)

// Helpers the resource handlers share: reading request fields into the use
// cases' inputs, and writing amounts at their column's scale.

// textPatch turns a PATCH field of an optional text into the use case's
// form: absent keeps it, null clears it, a value sets it.
func textPatch(v nullable.Nullable[string]) ledger.TextPatch {
	switch {
	case !v.IsSpecified():
		return ledger.TextPatch{}
	case v.IsNull():
		return ledger.TextPatch{Set: true}
	}
	s := v.MustGet()
	return ledger.TextPatch{Set: true, Value: &s}
}

// searchText reads a list's optional search parameter, trimmed; "" when
// there is nothing to search for.
func searchText(param *string) string {
	if param == nil {
		return ""
	}
	return strings.TrimSpace(*param)
}

// inBody says that the fields a use case names in its error were fields of
// the request body ("nit" is "body.nit"), as the validator names them.
func inBody(err error) error { return fault.WithFieldPrefix(err, "body.") }

// cents writes an amount or rate with its column's 2 decimals. The store's
// numeric codec keeps PostgreSQL's scale, but values wider than 64 bits
// (a dashboard total, say) take pgx's general path, which reads 0.00 as 0;
// so the mapping says the scale instead of trusting the driver to keep it.
func cents(d money.Decimal) money.Decimal { return d.Rescale(2) }

// thousandths writes a quantity with its column's 3 decimals (see cents).
func thousandths(d money.Decimal) money.Decimal { return d.Rescale(3) }
