package resilience_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"billing/internal/dian"
	"billing/internal/pglocal"
	"billing/internal/schema"
)

// TestDeliveriesSurviveDatabaseRestart: PostgreSQL stops, stays down two
// seconds and starts again while 200 electronic invoices are being issued,
// signed, sent to DIAN's double and announced to a webhook. The service
// keeps running and reconnects by itself (its pool, and River's workers,
// elector and listener): every issue it acknowledged ends accepted by DIAN
// with no further action, every acknowledged issue and its acceptance reach
// the webhook, an event delivered more than once keeps its id, and no event
// id stands for two different events.
func TestDeliveriesSurviveDatabaseRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary and its own PostgreSQL")
	}
	db := startOwnCluster(t)
	const n = 200
	r := newDeliveryRig(t, db.dsn, n)
	t.Cleanup(func() {
		if t.Failed() {
			db.logOutbox(r.s)
		}
	})

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
	db.restart(2 * time.Second)
	back := time.Now()
	<-done
	issuedAll := time.Since(back)
	// The same process serves on: it was never restarted, and did not exit.
	if res, err := client.Get(r.s.base + "/healthz"); err != nil {
		t.Fatalf("the service stopped answering during the outage (%v): %s", err, r.s.log)
	} else {
		res.Body.Close()
	}
	if refused.Load() > 0 {
		t.Errorf("%d issues refused with a 4xx at their first attempt", refused.Load())
	}
	if nAcked.Load() <= atStop {
		t.Fatalf("%d issues acknowledged before the outage and none after it: issuing did not resume", atStop)
	}

	r.waitAccepted(acked, 90*time.Second, "90 s after the database was back")
	settled := time.Since(back)
	ids, duplicates := r.waitAnnounced(acked, time.Minute)
	r.hooks.checkOneEventPerID(t)
	t.Logf("database stopped after %d of %d issues acknowledged (%d sent to DIAN's double, %d webhook deliveries by then); "+
		"%d acknowledged in all (the last %s after the database was back), %d more issued but unacknowledged, %d retried requests; "+
		"all %d acknowledged accepted %s after the database was back "+
		"(%d sends); %d events delivered, %d of them again with the same id",
		atStop, n, sentAtStop, hooksAtStop, nAcked.Load(), issuedAll.Round(10*time.Millisecond), unacked.Load(), retries.Load(), len(acked),
		settled.Round(10*time.Millisecond), r.fake.Received(dian.OpSendBillSync), len(ids), duplicates)
}

// ownCluster is a private PostgreSQL cluster, migrated, that a test can
// restart under the service.
type ownCluster struct {
	t       *testing.T
	root    string
	cluster *pglocal.Cluster
	dsn     string
}

func startOwnCluster(t *testing.T) *ownCluster {
	t.Helper()
	root, err := os.MkdirTemp("", "billing-outbox-restart-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	if err := os.Chmod(root, 0o755); err != nil { // the postgres user enters it
		t.Fatal(err)
	}
	c := &ownCluster{t: t, root: root}
	if c.cluster, err = pglocal.Start(context.Background(), root, pglocal.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.cluster.Stop() })
	c.dsn = c.cluster.DSN("postgres")
	if _, err := schema.Migrate(context.Background(), c.dsn); err != nil {
		t.Fatal(err)
	}
	return c
}

// restart stops the server (a fast shutdown: sessions are ended), keeps it
// down for down, and starts it again on the same data.
func (c *ownCluster) restart(down time.Duration) {
	c.t.Helper()
	if err := c.cluster.Stop(); err != nil {
		c.t.Fatal(err)
	}
	time.Sleep(down)
	var err error
	if c.cluster, err = pglocal.Start(context.Background(), c.root, pglocal.Options{}); err != nil {
		c.t.Fatal(err)
	}
}

// logOutbox logs, for a failure's diagnosis, River's jobs by kind and
// state, its leader, and the end of the service's log.
func (c *ownCluster) logOutbox(s *service) {
	ctx := context.Background()
	if conn, err := pgx.Connect(ctx, c.dsn); err != nil {
		c.t.Logf("outbox: %v", err)
	} else {
		defer conn.Close(ctx)
		rows, err := conn.Query(ctx, `SELECT kind || ' ' || state || ': ' || count(*) || ' (attempts up to ' || max(attempt) || ')'
			FROM river_job GROUP BY kind, state ORDER BY kind, state`)
		if err == nil {
			lines, _ := pgx.CollectRows(rows, pgx.RowTo[string])
			c.t.Logf("outbox jobs: %s", strings.Join(lines, "; "))
		}
		var leader string
		if err := conn.QueryRow(ctx, `SELECT coalesce(string_agg(leader_id || ' until ' || expires_at, ', '), 'none') || ', now ' || now()
			FROM river_leader`).Scan(&leader); err == nil {
			c.t.Logf("outbox leader: %s", leader)
		}
	}
	var lines []string // the workers' lines, not the requests'
	for _, l := range strings.Split(strings.TrimSpace(s.log.String()), "\n") {
		if !strings.Contains(l, `"msg":"request`) {
			lines = append(lines, l)
		}
	}
	c.t.Logf("the service's log without its requests, the last 60 lines:\n%s", strings.Join(lines[max(0, len(lines)-60):], "\n"))
}

// count is how many deliveries arrived so far.
func (h *hookLog) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events)
}

// checkOneEventPerID fails the test if one event id arrived for two
// different (type, invoice) pairs.
func (h *hookLog) checkOneEventPerID(t *testing.T) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	seen := map[string]string{}
	for _, e := range h.events {
		k := e.Type + " " + e.Data.InvoiceID
		if prev, ok := seen[e.ID]; ok && prev != k {
			t.Fatalf("event id %s delivered for %s and for %s", e.ID, prev, k)
		}
		seen[e.ID] = k
	}
}
