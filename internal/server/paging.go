package server

import (
	"encoding/base64"
	"encoding/json"
	"net/url"

	"github.com/google/uuid"

	"billing/internal/fault"
)

// Page sizes of the list endpoints.
const (
	defaultLimit = 100
	maxLimit     = 500
)

var errInvalidCursor = fault.Invalid("invalid_cursor", "The cursor is not one this list issued; start again without it.",
	fault.FieldError{Field: "query.cursor", Message: "is not a cursor of this list"})

// cursor is the position after the last row of a page: the list it belongs
// to, the row's sort key and its id (the tie-break). It travels base64url
// encoded and is opaque to clients; a tampered cursor can only move the
// caller within its own tenant's rows.
type cursor struct {
	List string    `json:"l"`
	Key  string    `json:"k"`
	ID   uuid.UUID `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // a struct of strings and a UUID always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// Where each order's first page starts: a position before every row, so
// that every page, the first included, is one index range in its query.
// Names are never empty, so ("", nil UUID) precedes them all (PostgreSQL
// breaks the collation's ties byte by byte, so even a name of ignorable
// characters sorts after ""); invoices take created_at from now(), so none
// is newer than the last second of 9999.
var (
	firstByName   = cursor{Key: "", ID: uuid.Nil}
	firstByNewest = cursor{Key: "9999-12-31T23:59:59Z", ID: uuid.Max}
)

// decodeCursor reads the cursor parameter of list; first when there is none.
func decodeCursor(list string, s *string, first cursor) (cursor, error) {
	if s == nil || *s == "" {
		return first, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*s)
	if err != nil {
		return cursor{}, errInvalidCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.List != list || c.ID == uuid.Nil {
		return cursor{}, errInvalidCursor
	}
	return c, nil
}

// pageLimit is the requested page size, or the default.
func pageLimit(limit *int) int {
	if limit == nil {
		return defaultLimit
	}
	return min(max(*limit, 1), maxLimit)
}

// nextLink is the RFC 8288 Link header value for the page after next: the
// request's own path and query with the cursor replaced.
func nextLink(path string, query url.Values, next cursor) *string {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("cursor", next.encode())
	link := "<" + path + "?" + q.Encode() + `>; rel="next"`
	return &link
}

// page trims rows fetched with limit+1 to limit and, when there was more,
// returns the cursor after the last row kept.
func page[T any](rows []T, limit int, after func(T) cursor) ([]T, *cursor) {
	if len(rows) <= limit {
		return rows, nil
	}
	rows = rows[:limit]
	c := after(rows[limit-1])
	return rows, &c
}

// queryOf lists the non-empty query parameters of a list request, to carry
// them into the next page's link.
func queryOf(pairs ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	return q
}

// valueOr is an optional parameter's value, or def when it was not sent
// (the use case applies its own default and bound to 0).
func valueOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
