package billing

import (
	"testing"

	"billing/internal/fault"
)

func TestTransition(t *testing.T) {
	all := []InvoiceStatus{InvoiceDraft, InvoiceIssued, InvoiceCancelled}
	allowed := map[[2]InvoiceStatus]bool{
		{InvoiceDraft, InvoiceIssued}:     true,
		{InvoiceDraft, InvoiceCancelled}:  true,
		{InvoiceIssued, InvoiceCancelled}: true,
	}
	for _, from := range all {
		for _, to := range all {
			err := Transition(from, to)
			if allowed[[2]InvoiceStatus{from, to}] != (err == nil) {
				t.Errorf("Transition(%s, %s) = %v", from, to, err)
			}
			if err != nil && err.(*fault.Error).Code != "invalid_status_transition" {
				t.Errorf("Transition(%s, %s) code %s", from, to, err.(*fault.Error).Code)
			}
		}
	}
	if Transition("ARCHIVED", InvoiceIssued) == nil {
		t.Error("an unknown status moved")
	}
}
