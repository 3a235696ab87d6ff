// Package fault is the service's error vocabulary: the kinds of failure a
// caller can act on, the Error that carries a stable code to clients, and
// the sentinels of every floor (codes.go). Each floor returns these; the HTTP
// layer maps a Kind to a status in one table and renders the rest.
package fault

import (
	"errors"
	"fmt"
)

// Kind classifies a failure by what the caller can do about it. The HTTP layer
// maps each kind to one status code in a single table.
type Kind uint8

// The kinds of failure the service reports to its callers.
const (
	KindInvalid         Kind = iota + 1 // the request breaks a rule: 400
	KindUnauthenticated                 // no usable credentials: 401
	KindForbidden                       // valid credentials, not allowed: 403
	KindNotFound                        // nothing there for this tenant: 404
	KindConflict                        // the resource is in a state that forbids it: 409
	KindUnavailable                     // a dependency is down, try later: 503
	KindUnprocessable                   // well-formed but contradicts an earlier request: 422
)

// FieldError names one bad input value.
type FieldError struct {
	Field   string // the input's path, e.g. "nit" or "items.2.cantidad"; HTTP adds where it was ("body.")
	Message string
}

// Error is an expected failure with a stable machine code and a sentence for
// people. Only *Error values reach clients verbatim; anything else is an
// internal error and is answered generically.
type Error struct {
	Kind   Kind
	Code   string // stable snake_case identifier clients switch on
	Detail string // human-readable explanation, never internals
	Fields []FieldError
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Detail)
}

// Is matches errors by code, so a wrapped copy of a sentinel with extra
// fields still satisfies errors.Is against the sentinel.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Invalid returns a KindInvalid error with the given code and detail.
func Invalid(code, detail string, fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: code, Detail: detail, Fields: fields}
}

// Fields returns nil when no check failed, else one KindInvalid
// invalid_request error naming every failed check.
func Fields(checks ...*FieldError) error {
	var fields []FieldError
	for _, c := range checks {
		if c != nil {
			fields = append(fields, *c)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return InvalidRequest(fields...)
}

// InvalidRequest is the error of a request that breaks the contract, naming
// each field; the schema validator and the floors' own checks answer with
// the same code.
func InvalidRequest(fields ...FieldError) *Error {
	return Invalid("invalid_request", "The request does not match the API contract.", fields...)
}

// WithFieldPrefix returns err with prefix put before each field name of a
// *Error in it (the HTTP layer says a use case's fields were in the body);
// any other error is returned as it is.
func WithFieldPrefix(err error, prefix string) error {
	return mapFields(err, func(f string) string { return prefix + f })
}

// WithFieldRenamed returns err with the field from of a *Error in it named
// to instead (a rule shared by two requests that name the field
// differently); any other error is returned as it is.
func WithFieldRenamed(err error, from, to string) error {
	return mapFields(err, func(f string) string {
		if f == from {
			return to
		}
		return f
	})
}

// mapFields returns a copy of the *Error in err with each field name
// mapped by name; err itself when it carries no fields.
func mapFields(err error, name func(string) string) error {
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]FieldError, len(e.Fields))
	for i, f := range e.Fields {
		c.Fields[i] = FieldError{Field: name(f.Field), Message: f.Message}
	}
	return &c
}
