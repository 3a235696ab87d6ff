package billing

import (
	"fmt"

	"billing/internal/fault"
)

// InvoiceStatus is an invoice's place in its lifecycle.
type InvoiceStatus string

// The invoice statuses.
const (
	InvoiceDraft     InvoiceStatus = "DRAFT"     // editable, not yet confirmed
	InvoiceIssued    InvoiceStatus = "ISSUED"    // issued to the customer; totals are final
	InvoiceCancelled InvoiceStatus = "CANCELLED" // voided; never changes again
)

// transitions lists every allowed change; anything absent is refused.
var transitions = map[InvoiceStatus][]InvoiceStatus{
	InvoiceDraft:  {InvoiceIssued, InvoiceCancelled},
	InvoiceIssued: {InvoiceCancelled},
}

// Transition decides whether an invoice may go from one status to another.
// Only DRAFT→ISSUED, DRAFT→CANCELLED and ISSUED→CANCELLED are allowed: a
// CANCELLED invoice never changes, an ISSUED one never returns to DRAFT
// (issued totals are final), and "changing" to the same status is refused.
func Transition(from, to InvoiceStatus) error {
	for _, allowed := range transitions[from] {
		if allowed == to {
			return nil
		}
	}
	return fault.Invalid("invalid_status_transition", fmt.Sprintf("An invoice cannot go from %s to %s.", from, to))
}

// CustomerStatus says whether a customer may be invoiced.
type CustomerStatus string

// The customer statuses.
const (
	CustomerActive   CustomerStatus = "ACTIVE"
	CustomerInactive CustomerStatus = "INACTIVE"
)

// TenantStatus says whether a tenant's tokens are honoured.
type TenantStatus string

// The tenant statuses.
const (
	TenantActive   TenantStatus = "ACTIVE"
	TenantInactive TenantStatus = "INACTIVE"
)
