// Package resilience_test runs the real billing binary and breaks things
// under it: SIGKILL in the middle of a stream of writes, and a PostgreSQL
// restart under load. Afterwards nothing acknowledged is lost and nothing is
// half-written.
package resilience_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"billing/internal/auth"
	"billing/internal/billing"
	"billing/internal/money"
	"billing/internal/pglocal"
	"billing/internal/schema"
	"billing/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

const secret = "resilience-secret-resilience-secret!"

// buildBinary compiles the billing command once per test binary.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "billing-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "billing")
	out, err := exec.Command("go", "build", "-o", bin, "billing").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v: %s", err, out)
	}
	return bin, nil
})

// service is a running `billing serve`.
type service struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	dsn  string
	log  *bytes.Buffer
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startService(t *testing.T, dsn, addr string, env ...string) *service {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	s := &service{t: t, base: "http://" + addr, dsn: dsn, log: &bytes.Buffer{}}
	s.cmd = exec.Command(bin, "serve", "--addr", addr)
	// Under make pooler the service goes through PgBouncer; s.dsn, for what
	// the tests do beside it, stays direct.
	serviceDSN, pooled := testdb.Pooled(dsn)
	if pooled {
		env = append(env, "BILLING_PG_POOLER=transaction")
	}
	s.cmd.Env = append(append(os.Environ(), "DATABASE_URL="+serviceDSN, "JWT_SECRET="+secret, "BILLING_METRICS_ADDR=off"), env...)
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			_ = s.cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(s.base + "/healthz"); err == nil {
			res.Body.Close()
			return s
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("service did not start: %s", s.log)
	return nil
}

// checkServing fails the test if s no longer answers /healthz: it exited
// (ProcessState is only set by a Wait, so it cannot tell).
func (s *service) checkServing() {
	s.t.Helper()
	res, err := client.Get(s.base + "/healthz")
	if err != nil {
		s.t.Fatalf("the service stopped answering during the outage (%v): %s", err, s.log)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("/healthz answered %d after the outage: %s", res.StatusCode, s.log)
	}
}

// ownCluster is a private PostgreSQL cluster, migrated, that a test can
// restart under the service.
type ownCluster struct {
	t       *testing.T
	root    string
	cluster *pglocal.Cluster
	dsn     string
}

// startOwnCluster starts a cluster of the test's own and migrates it; it is
// stopped and removed when the test ends.
func startOwnCluster(t *testing.T) *ownCluster {
	t.Helper()
	root, err := os.MkdirTemp("", "billing-restart-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	if err := os.Chmod(root, 0o755); err != nil { // the postgres user enters it
		t.Fatal(err)
	}
	c := &ownCluster{t: t, root: root}
	c.start()
	t.Cleanup(func() { _ = c.cluster.Stop() }) // the cluster running then
	c.dsn = c.cluster.DSN("postgres")
	if _, err := schema.Migrate(context.Background(), c.dsn); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *ownCluster) start() {
	c.t.Helper()
	var err error
	if c.cluster, err = pglocal.Start(context.Background(), c.root, pglocal.Options{}); err != nil {
		c.t.Fatal(err)
	}
}

// restart stops the server (a fast shutdown: sessions are ended), runs
// whileDown, and starts it again on the same data.
func (c *ownCluster) restart(whileDown func()) {
	c.t.Helper()
	if err := c.cluster.Stop(); err != nil {
		c.t.Fatal(err)
	}
	whileDown()
	c.start()
}

func (s *service) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
}

var client = &http.Client{Timeout: 10 * time.Second}

func (s *service) call(method, path, token string, body any) (int, []byte, error) {
	return s.callHeaders(method, path, token, body)
}

// callHeaders is call with request headers, as name, value pairs.
func (s *service) callHeaders(method, path, token string, body any, header ...string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// seedTenant creates a tenant and a customer and returns an ADMIN token and
// the customer id.
func seedTenant(t *testing.T, s *service) (token, customer string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tenant := uuid.Must(uuid.NewV7())
	if _, err := conn.Exec(ctx, "INSERT INTO tenants (id, name) VALUES ($1, 'R')", tenant); err != nil {
		t.Fatal(err)
	}
	token, err = auth.Sign([]byte(secret), auth.Principal{Subject: "r", TenantID: tenant, Role: auth.RoleAdmin}, time.Hour, "", "")
	if err != nil {
		t.Fatal(err)
	}
	status, body, err := s.call(http.MethodPost, "/billing/customers", token, map[string]any{"razonSocial": "Colegio R", "nit": "900123456"})
	if err != nil || status != http.StatusCreated {
		t.Fatalf("creating customer: %d %s %v", status, body, err)
	}
	var c struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &c)
	return token, c.ID
}

// writer creates invoices until stop is closed and records the numeros the
// service acknowledged with 201.
type writer struct {
	mu    sync.Mutex
	acked map[string]bool
	sent  atomic.Int64
	other atomic.Int64 // answers that were neither 201 nor a transport error
}

func (w *writer) run(s *service, token, customer string, id int, stop <-chan struct{}) {
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		numero := fmt.Sprintf("W%d-%d", id, n)
		// Written by hand so quantities and prices are exact decimal literals.
		var items []string
		for i := 0; i <= n%7; i++ {
			items = append(items, fmt.Sprintf(`{"descripcion":"línea","cantidad":%d.%03d,"valorUnitario":%d.56,"impuesto":%d}`,
				i+1, n%1000, 1234+i, []int{0, 5, 19}[i%3]))
		}
		raw := []byte(fmt.Sprintf(`{"customerId":%q,"numero":%q,"items":[%s]}`, customer, numero, strings.Join(items, ",")))
		w.sent.Add(1)
		req, _ := http.NewRequest(http.MethodPost, s.base+"/billing/invoices", bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusCreated {
			w.mu.Lock()
			w.acked[numero] = true
			w.mu.Unlock()
		} else {
			w.other.Add(1)
		}
	}
}

// checkLedger: every acknowledged invoice exists, and every invoice has its
// lines, a creation event, and totals equal to a recomputation from its
// lines.
func checkLedger(t *testing.T, dsn string, acked map[string]bool) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT i.numero, i.subtotal::text, i.impuestos::text, i.total::text, i.item_count,
		(SELECT count(*) FROM invoice_events e WHERE e.tenant_id = i.tenant_id AND e.invoice_id = i.id),
		coalesce((SELECT json_agg(json_build_array(it.cantidad::text, it.valor_unitario::text, it.impuesto::text, it.subtotal::text) ORDER BY it.position)
		          FROM invoice_items it WHERE it.tenant_id = i.tenant_id AND it.invoice_id = i.id), '[]')
		FROM invoices i`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	found := map[string]bool{}
	for rows.Next() {
		var numero, subtotal, impuestos, total string
		var itemCount, events int
		var lines [][4]string
		if err := rows.Scan(&numero, &subtotal, &impuestos, &total, &itemCount, &events, &lines); err != nil {
			t.Fatal(err)
		}
		found[numero] = true
		if len(lines) == 0 || len(lines) != itemCount || events != 1 {
			t.Fatalf("invoice %s: %d lines, item_count %d, %d events", numero, len(lines), itemCount, events)
		}
		var in []billing.Line
		for _, l := range lines {
			in = append(in, billing.Line{Cantidad: money.Must(l[0]), ValorUnitario: money.Must(l[1]), Impuesto: money.Must(l[2])})
		}
		want, err := billing.ComputeTotals(in, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range lines {
			if want.LineSubtotals[i].Cmp(money.Must(l[3])) != 0 {
				t.Fatalf("invoice %s line %d: stored subtotal %s, recomputed %s", numero, i, l[3], want.LineSubtotals[i])
			}
		}
		if want.Subtotal.String() != subtotal || want.Impuestos.String() != impuestos || want.Total.String() != total {
			t.Fatalf("invoice %s: stored %s/%s/%s, recomputed %s/%s/%s", numero, subtotal, impuestos, total, want.Subtotal, want.Impuestos, want.Total)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for numero := range acked {
		if !found[numero] {
			t.Fatalf("acknowledged invoice %s is missing", numero)
		}
	}
	return len(found)
}

// TestKillMidStream: SIGKILL while four clients create invoices, restart,
// and check the ledger.
func TestKillMidStream(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	dsn := testdb.DSN(t)
	addr := freeAddr(t)
	s := startService(t, dsn, addr)
	token, customer := seedTenant(t, s)
	w := &writer{acked: map[string]bool{}}
	for round := 0; round < 3; round++ {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func(i int) { defer wg.Done(); w.run(s, token, customer, round*10+i, stop) }(i)
		}
		time.Sleep(400 * time.Millisecond)
		s.kill()
		close(stop)
		wg.Wait()
		s = startService(t, dsn, addr)
	}
	n := checkLedger(t, dsn, w.acked)
	t.Logf("%d requests sent, %d acknowledged, %d invoices stored", w.sent.Load(), len(w.acked), n)
	if len(w.acked) == 0 {
		t.Fatal("no invoice was acknowledged: the test tested nothing")
	}
	// And the restarted service serves them.
	status, _, err := s.call(http.MethodGet, "/billing/invoices?limit=500", token, nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("list after restart: %d %v", status, err)
	}
}

// TestDatabaseRestartUnderLoad: PostgreSQL stops and starts again while
// clients write; /readyz reports it and recovers without a service restart,
// and the ledger is whole.
func TestDatabaseRestartUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary and its own PostgreSQL")
	}
	db := startOwnCluster(t)
	s := startService(t, db.dsn, freeAddr(t))
	token, customer := seedTenant(t, s)
	ready := func() int {
		res, err := client.Get(s.base + "/readyz")
		if err != nil {
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	waitReady := func(want int) {
		deadline := time.Now().Add(30 * time.Second)
		for ready() != want {
			if time.Now().After(deadline) {
				t.Fatalf("/readyz never answered %d", want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	w := &writer{acked: map[string]bool{}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) { defer wg.Done(); w.run(s, token, customer, i, stop) }(i)
	}
	time.Sleep(300 * time.Millisecond)
	w.mu.Lock()
	before := len(w.acked)
	w.mu.Unlock()
	db.restart(func() {
		waitReady(http.StatusServiceUnavailable)
		time.Sleep(300 * time.Millisecond) // writes fail while the database is down
	})
	waitReady(http.StatusOK)
	w.mu.Lock()
	atRestart := len(w.acked)
	w.mu.Unlock()
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()
	s.checkServing() // the same process, never restarted
	if before == 0 || len(w.acked) <= atRestart {
		t.Fatalf("acknowledged: %d before the outage, %d at restart, %d at the end: writes did not resume", before, atRestart, len(w.acked))
	}
	n := checkLedger(t, db.dsn, w.acked)
	t.Logf("%d requests sent, %d acknowledged, %d refused during the outage, %d invoices stored", w.sent.Load(), len(w.acked), w.other.Load(), n)
}
