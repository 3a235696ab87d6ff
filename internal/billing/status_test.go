package billing

import "testing"

func TestTransition(t *testing.T) {
	all := []Status{StatusDraft, StatusIssued, StatusCancelled}
	allowed := map[[2]Status]bool{
		{StatusDraft, StatusIssued}:     true,
		{StatusDraft, StatusCancelled}:  true,
		{StatusIssued, StatusCancelled}: true,
	}
	for _, from := range all {
		for _, to := range all {
			err := Transition(from, to)
			if allowed[[2]Status{from, to}] != (err == nil) {
				t.Errorf("Transition(%s, %s) = %v", from, to, err)
			}
			if err != nil && err.(*Error).Code != "invalid_status_transition" {
				t.Errorf("Transition(%s, %s) code %s", from, to, err.(*Error).Code)
			}
		}
	}
	if Transition("ARCHIVED", StatusIssued) == nil {
		t.Error("an unknown status moved")
	}
}
