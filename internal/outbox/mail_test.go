package outbox

import (
	"testing"
	"time"
)

func TestWaitFor(t *testing.T) {
	created := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		age  time.Duration
		want time.Duration
	}{
		{0, time.Second},
		{2 * time.Second, time.Second},
		{20 * time.Second, 5 * time.Second},
		{4 * time.Minute, time.Minute},
		{time.Hour, time.Minute},
	}
	for _, tt := range tests {
		if got := waitFor(created, created.Add(tt.age)); got != tt.want {
			t.Errorf("a mailing %s old waits %s, want %s", tt.age, got, tt.want)
		}
	}
}
