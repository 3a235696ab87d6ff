package ledger

import (
	"strings"

	"billing/internal/fault"
)

// TextPatch is a PATCH of an optional text: Set false keeps the value,
// Set with a nil Value clears it, Set with a Value replaces it (a blank one
// clears it too).
type TextPatch struct {
	Set   bool
	Value *string
}

func (p TextPatch) apply(cur *string) *string {
	if !p.Set {
		return cur
	}
	return optionalText(p.Value)
}

// requiredText refuses a required text that is blank once trimmed. The
// schema's pattern (\S) only knows ASCII spaces; TrimSpace also removes
// Unicode ones (U+00A0, U+3000…), which would otherwise reach the database's
// length check as an empty string.
func requiredText(field, v string) *fault.FieldError {
	if strings.TrimSpace(v) == "" {
		return &fault.FieldError{Field: field, Message: "must not be blank"}
	}
	return nil
}

// optionalText trims an optional text and keeps a blank one as absent.
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

// sameText compares optional texts by value.
func sameText(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
