package resilience_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"billing/internal/dian"
)

// TestDeliveriesSurviveDatabaseRestart: PostgreSQL stops, stays down two
// seconds and starts again while 200 electronic invoices are being issued,
// signed, sent to DIAN's double and announced to a webhook. The service
// keeps running and reconnects by itself (its pool, and River's workers,
// elector and listener): every issue it acknowledged ends accepted by DIAN
// with no further action, every acknowledged issue and its acceptance reach
// the webhook, and each acknowledged invoice is mailed to its customer. An
// event or a message delivered more than once keeps its id, and no id
// stands for two different events or invoices.
func TestDeliveriesSurviveDatabaseRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary and its own PostgreSQL")
	}
	db := startOwnCluster(t)
	const n = 200
	r := newDeliveryRig(t, db.dsn, n)

	// Issue them from 8 clients. An issue the outage refused (a 5xx or no
	// answer) is asked again until the service answers; one refused with a
	// 4xx after such a failure was committed by the failed attempt, or
	// found the invoice no longer a draft: it is issued, but the service
	// never acknowledged it, so it is not counted.
	var (
		mu                       sync.Mutex
		acked                    []string
		nAcked, retries, unacked atomic.Int64
		refused                  atomic.Int64
		giveUp                   = time.Now().Add(2 * time.Minute)
	)
	done := make(chan struct{})
	go func() {
		issueConcurrently(r.drafts, func(id string) {
			for failed := false; ; failed = true {
				status, _, err := r.issue(r.s, id)
				switch {
				case err == nil && status/100 == 2:
					mu.Lock()
					acked = append(acked, id)
					mu.Unlock()
					nAcked.Add(1)
					return
				case err == nil && status < 500 && failed:
					unacked.Add(1)
					return
				case err == nil && status < 500:
					refused.Add(1)
					return
				case time.Now().After(giveUp):
					return
				}
				retries.Add(1)
				time.Sleep(20 * time.Millisecond)
			}
		})
		close(done)
	}()
	deadline := time.Now().Add(time.Minute)
	for nAcked.Load() < n/3 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d issues acknowledged in a minute before the restart", nAcked.Load(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	atStop, sentAtStop, hooksAtStop := nAcked.Load(), r.fake.Received(dian.OpSendBillSync), r.hooks.count()
	db.restart(func() { time.Sleep(2 * time.Second) })
	back := time.Now()
	<-done
	issuedAll := time.Since(back)
	// The same process serves on: it was never restarted, and did not exit.
	r.s.checkServing()
	if refused.Load() > 0 {
		t.Errorf("%d issues refused with a 4xx at their first attempt", refused.Load())
	}
	if nAcked.Load() <= atStop {
		t.Fatalf("%d issues acknowledged before the outage and none after it: issuing did not resume", atStop)
	}

	settled := r.settle(acked, back, 90*time.Second, "after the database was back")
	t.Logf("database stopped after %d of %d issues acknowledged (%d sent to DIAN's double, %d webhook deliveries by then); "+
		"%d acknowledged in all (the last %s after the database was back), %d more issued but unacknowledged, %d retried requests; %s",
		atStop, n, sentAtStop, hooksAtStop, nAcked.Load(), issuedAll.Round(10*time.Millisecond), unacked.Load(), retries.Load(), settled)
}

// count is how many deliveries arrived so far.
func (h *hookLog) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events)
}
