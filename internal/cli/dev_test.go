package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"billing/internal/billing"
	"billing/internal/ledger"
	"billing/internal/store"
	"billing/internal/testdb"
)

// syncBuffer is a bytes.Buffer safe to read while the command writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var (
	bannerURL   = regexp.MustCompile(`serving on (http://\S+)`)
	bannerToken = regexp.MustCompile(`export VIEWER_TOKEN=(\S+)`)
	bannerID    = regexp.MustCompile(`demo tenant: (\S+)`)
	bannerData  = regexp.MustCompile(`data directory: (\S+)`)
)

// devRun is a running `billing dev`, as its banner describes it.
type devRun struct {
	base, token, tenant string
	out                 string // stdout up to the banner's tokens
	stop                func() // Ctrl-C, then waits for a clean exit
}

// startDev runs `billing dev` on a free port until its stop is called (at
// the latest when the test ends), and returns what its banner says.
func startDev(t *testing.T, vars map[string]string, args ...string) devRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, append([]string{"dev", "--addr", "127.0.0.1:0"}, args...), &out, &errb, func(k string) string { return vars[k] })
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !bannerToken.MatchString(out.String()) {
		select {
		case code := <-done:
			t.Fatalf("dev exited %d: %s %s", code, out.String(), errb.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner: %s %s", out.String(), errb.String())
		}
	}
	s := out.String()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("dev exited %d after Ctrl-C: %s", code, errb.String())
			}
		})
	}
	// A test that fails before stopping it still stops it.
	t.Cleanup(stop)
	return devRun{
		base:   bannerURL.FindStringSubmatch(s)[1],
		token:  bannerToken.FindStringSubmatch(s)[1],
		tenant: bannerID.FindStringSubmatch(s)[1],
		out:    s,
		stop:   stop,
	}
}

func customersCount(t *testing.T, base, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/billing/customers", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var list []map[string]any
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&list) != nil {
		t.Fatalf("GET customers: %d", res.StatusCode)
	}
	return len(list)
}

// TestDevOnPrivateCluster is `make run` twice on a fresh machine: the first
// run creates the cluster, the demo tenant and its customers; the second
// reuses all of them, and the first run's tokens still work.
func TestDevOnPrivateCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own PostgreSQL cluster")
	}
	dir, err := os.MkdirTemp("", "billing-dev-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Under a private TMPDIR, as root, the cluster lives elsewhere: remove
	// it too, after both runs have stopped.
	var elsewhere string
	t.Cleanup(func() {
		if elsewhere != "" {
			_ = os.RemoveAll(elsewhere)
		}
	})
	first := startDev(t, nil, "--data-dir", dir)
	if m := bannerData.FindStringSubmatch(first.out); m != nil && !strings.HasPrefix(m[1], dir+"/") {
		elsewhere = filepath.Dir(m[1])
	}
	if n := customersCount(t, first.base, first.token); n != len(demoCustomers) {
		t.Fatalf("%d demo customers, want %d", n, len(demoCustomers))
	}
	first.stop()
	second := startDev(t, nil, "--data-dir", dir)
	defer second.stop()
	if second.tenant != first.tenant {
		t.Fatalf("second run made a new demo tenant %s (first %s)", second.tenant, first.tenant)
	}
	if n := customersCount(t, second.base, first.token); n != len(demoCustomers) {
		t.Fatalf("second run: %d customers with the first run's token", n)
	}
}

// TestDevFromPrivateCheckout is `make run` as root from a checkout the
// postgres user cannot enter (cloned into a fresh mktemp -d, or under a
// home of mode 0700): the cluster starts elsewhere, the banner says where,
// the API answers from it, and a second run reuses the cluster and the
// secret, so the first run's tokens still work.
func TestDevFromPrivateCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own PostgreSQL cluster")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: only as root does the cluster run as another user (postgres), who may be unable to enter the checkout")
	}
	private := t.TempDir()
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(private, "checkout", ".data")

	var pgData string
	t.Cleanup(func() { // after both runs have stopped
		if pgData != "" {
			_ = os.RemoveAll(filepath.Dir(pgData))
		}
	})

	first := startDev(t, nil, "--data-dir", data)
	m := bannerData.FindStringSubmatch(first.out)
	if m == nil {
		t.Fatalf("no data directory in the output:\n%s", first.out)
	}
	pgData = m[1]
	if strings.HasPrefix(pgData, private+"/") {
		t.Fatalf("data directory %s is inside %s, which the postgres user cannot enter", pgData, private)
	}
	if n := customersCount(t, first.base, first.token); n != len(demoCustomers) {
		t.Fatalf("%d demo customers, want %d", n, len(demoCustomers))
	}
	first.stop()

	second := startDev(t, nil, "--data-dir", data)
	defer second.stop()
	if m := bannerData.FindStringSubmatch(second.out); m == nil || m[1] != pgData {
		t.Fatalf("second run's data directory %v, first %s", m, pgData)
	}
	if second.tenant != first.tenant {
		t.Fatalf("second run made a new demo tenant %s (first %s)", second.tenant, first.tenant)
	}
	if n := customersCount(t, second.base, first.token); n != len(demoCustomers) {
		t.Fatalf("second run: %d customers with the first run's token", n)
	}
}

// TestDevWithDatabaseURL: with DATABASE_URL set, dev uses that database.
func TestDevWithDatabaseURL(t *testing.T) {
	dir := t.TempDir()
	run := startDev(t, map[string]string{"DATABASE_URL": testdb.DSN(t)}, "--data-dir", dir)
	defer run.stop()
	if n := customersCount(t, run.base, run.token); n != len(demoCustomers) {
		t.Fatalf("%d demo customers, want %d", n, len(demoCustomers))
	}
	if _, err := os.Stat(dir + "/pg"); !os.IsNotExist(err) {
		t.Fatalf("a private cluster was created although DATABASE_URL is set: %v", err)
	}
}

// TestDemoTenantSeededOnce: the demo customers are written when the demo
// tenant is created, never again: a later start leaves the tenant as its
// user left it (a deleted customer stays deleted, a deactivated tenant
// starts, and is still refused).
func TestDemoTenantSeededOnce(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tenant, err := ensureDemoTenant(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	l := ledger.New(st)
	a := ledger.Actor{Tenant: tenant.ID, Subject: "test"}
	seeded, err := l.Customers(ctx, a, billing.CustomerPage{Limit: 10})
	if err != nil || len(seeded) != len(demoCustomers) {
		t.Fatalf("%d demo customers, %v", len(seeded), err)
	}
	if err := l.DeleteCustomer(ctx, a, seeded[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetTenantStatus(ctx, tenant.ID, billing.TenantInactive); err != nil {
		t.Fatal(err)
	}
	again, err := ensureDemoTenant(ctx, st)
	if err != nil || again.ID != tenant.ID || again.Status != billing.TenantInactive {
		t.Fatalf("second start: %+v, %v; want the same tenant, still INACTIVE", again, err)
	}
	if _, err := st.SetTenantStatus(ctx, tenant.ID, billing.TenantActive); err != nil {
		t.Fatal(err)
	}
	if left, err := l.Customers(ctx, a, billing.CustomerPage{Limit: 10}); err != nil || len(left) != len(demoCustomers)-1 {
		t.Fatalf("after a second start %d customers, %v; want %d", len(left), err, len(demoCustomers)-1)
	}
}
