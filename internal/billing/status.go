package billing

import "fmt"

// Status is an invoice's place in its lifecycle.
type Status string

// The invoice statuses.
const (
	StatusDraft     Status = "DRAFT"     // editable, not yet confirmed
	StatusIssued    Status = "ISSUED"    // issued to the customer; totals are final
	StatusCancelled Status = "CANCELLED" // voided; never changes again
)

// transitions lists every allowed change; anything absent is refused.
var transitions = map[Status][]Status{
	StatusDraft:  {StatusIssued, StatusCancelled},
	StatusIssued: {StatusCancelled},
}

// Transition decides whether an invoice may go from one status to another.
// Only DRAFT→ISSUED, DRAFT→CANCELLED and ISSUED→CANCELLED are allowed: a
// CANCELLED invoice never changes, an ISSUED one never returns to DRAFT
// (issued totals are final), and "changing" to the same status is refused.
func Transition(from, to Status) error {
	for _, allowed := range transitions[from] {
		if allowed == to {
			return nil
		}
	}
	return Invalid("invalid_status_transition", fmt.Sprintf("An invoice cannot go from %s to %s.", from, to))
}
