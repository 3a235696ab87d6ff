package server

import (
	"strings"

	"github.com/oapi-codegen/nullable"

	"billing/internal/billing"
)

// Helpers the resource handlers share: reading request fields (required,
// optional and PATCHed text, search patterns, field errors) and writing
// amounts at their column's scale.

// sameText compares optional texts by value.
func sameText(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// patchText applies a PATCH field to an optional text: absent keeps it,
// null clears it, a value sets it (blank clears it too).
func patchText(cur *string, v nullable.Nullable[string]) *string {
	switch {
	case !v.IsSpecified():
		return cur
	case v.IsNull():
		return nil
	}
	s := v.MustGet()
	return optionalText(&s)
}

// requiredText refuses a required text that is blank once trimmed. The
// schema's pattern (\S) only knows ASCII spaces; TrimSpace also removes
// Unicode ones (U+00A0, U+3000…), which would otherwise reach the database's
// length check as an empty string.
func requiredText(field, v string) *billing.FieldError {
	if strings.TrimSpace(v) == "" {
		return &billing.FieldError{Field: field, Message: "must not be blank"}
	}
	return nil
}

// optionalText trims an optional text field and stores a blank one as absent.
func optionalText(v *string) *string {
	if v == nil {
		return nil
	}
	t := strings.TrimSpace(*v)
	if t == "" {
		return nil
	}
	return &t
}

// searchPattern reads a list's optional search parameter: the trimmed text
// (for the next page's link) and the LIKE pattern to match it as a
// substring, nil when there is nothing to search for.
func searchPattern(param *string) (string, *string) {
	if param == nil {
		return "", nil
	}
	search := strings.TrimSpace(*param)
	if search == "" {
		return "", nil
	}
	pattern := likeEscaper.Replace(search)
	return search, &pattern
}

// likeEscaper makes a string match itself literally inside a LIKE pattern.
// Built once: a Replacer builds its tables on first use (5 µs, 7 allocations).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// cents writes an amount or rate with its column's 2 decimals. The store's
// numeric codec keeps PostgreSQL's scale, but values wider than 64 bits
// (a dashboard total, say) take pgx's general path, which reads 0.00 as 0;
// so the mapping says the scale instead of trusting the driver to keep it.
func cents(d billing.Decimal) billing.Decimal { return d.Rescale(2) }

// thousandths writes a quantity with its column's 3 decimals (see cents).
func thousandths(d billing.Decimal) billing.Decimal { return d.Rescale(3) }

// fieldErrors gathers failed checks into one invalid_request problem.
func fieldErrors(checks ...*billing.FieldError) error {
	var fields []billing.FieldError
	for _, c := range checks {
		if c != nil {
			fields = append(fields, *c)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return invalidRequest(fields...)
}

// invalidRequest is the problem for a request that breaks the contract,
// naming each field; the schema validator and the handlers' own checks
// answer with the same code.
func invalidRequest(fields ...billing.FieldError) error {
	return billing.Invalid("invalid_request", "The request does not match the API contract.", fields...)
}
