// Package billing holds the domain of the billing service: its error
// vocabulary and the pure rules (NIT check digits, and later money, totals and
// the invoice status machine). It does no I/O and imports no HTTP or SQL code.
package billing

import "fmt"

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
	Field   string // where the value is, e.g. "body.nit"
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

// ErrInvalidText answers text PostgreSQL cannot store (a NUL character), which
// the schema's patterns do not exclude.
var ErrInvalidText = Invalid("invalid_request", "A text field contains a character that cannot be stored (NUL).")

// Failures of the tenant check every request makes (403).
var (
	ErrTenantNotFound = &Error{Kind: KindForbidden, Code: "tenant_not_found", Detail: "The token's tenant does not exist."}
	ErrTenantInactive = &Error{Kind: KindForbidden, Code: "tenant_inactive", Detail: "The token's tenant is deactivated."}
)

// Sentinel errors of the customer catalogue.
var (
	ErrCustomerNotFound    = &Error{Kind: KindNotFound, Code: "customer_not_found", Detail: "Customer not found."}
	ErrCustomerNitTaken    = &Error{Kind: KindInvalid, Code: "customer_nit_taken", Detail: "Another customer of this tenant already has this nit."}
	ErrCustomerHasInvoices = &Error{Kind: KindConflict, Code: "customer_has_invoices", Detail: "The customer has invoices and cannot be deleted; set its status to INACTIVE instead."}
	ErrNitCheckDigit       = &Error{Kind: KindInvalid, Code: "nit_check_digit_invalid", Detail: "The nit's check digit does not match its number.", Fields: []FieldError{{Field: "body.nit", Message: "check digit does not match"}}}
)

// Sentinel errors of the product catalogue.
var (
	ErrProductNotFound = &Error{Kind: KindNotFound, Code: "product_not_found", Detail: "Product not found."}
)

// Sentinel errors of the invoice ledger.
var (
	ErrInvoiceNotFound    = &Error{Kind: KindNotFound, Code: "invoice_not_found", Detail: "Invoice not found."}
	ErrInvoiceNumeroTaken = &Error{Kind: KindInvalid, Code: "invoice_numero_taken", Detail: "Another invoice of this tenant already has this numero.",
		Fields: []FieldError{{Field: "body.numero", Message: "is already used"}}}
	ErrInvoiceNotDraft = Invalid("invoice_not_draft", "Only a DRAFT invoice can be edited.")
)
