package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

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
)

// startDev runs `billing dev` on a free port until the returned stop is
// called, and returns the banner's base URL, viewer token and tenant id.
func startDev(t *testing.T, vars map[string]string, args ...string) (base, token, tenant string, stop func()) {
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
	stop = func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("dev exited %d after Ctrl-C: %s", code, errb.String())
		}
	}
	return bannerURL.FindStringSubmatch(s)[1], bannerToken.FindStringSubmatch(s)[1], bannerID.FindStringSubmatch(s)[1], stop
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
	base, token, tenant, stop := startDev(t, nil, "--data-dir", dir)
	if n := customersCount(t, base, token); n != len(demoCustomers) {
		t.Fatalf("%d demo customers, want %d", n, len(demoCustomers))
	}
	stop()
	base2, _, tenant2, stop2 := startDev(t, nil, "--data-dir", dir)
	defer stop2()
	if tenant2 != tenant {
		t.Fatalf("second run made a new demo tenant %s (first %s)", tenant2, tenant)
	}
	if n := customersCount(t, base2, token); n != len(demoCustomers) {
		t.Fatalf("second run: %d customers with the first run's token", n)
	}
}

// TestDevWithDatabaseURL: with DATABASE_URL set, dev uses that database.
func TestDevWithDatabaseURL(t *testing.T) {
	dir := t.TempDir()
	base, token, _, stop := startDev(t, map[string]string{"DATABASE_URL": testdb.DSN(t)}, "--data-dir", dir)
	defer stop()
	if n := customersCount(t, base, token); n != len(demoCustomers) {
		t.Fatalf("%d demo customers, want %d", n, len(demoCustomers))
	}
	if _, err := os.Stat(dir + "/pg"); !os.IsNotExist(err) {
		t.Fatalf("a private cluster was created although DATABASE_URL is set: %v", err)
	}
}
