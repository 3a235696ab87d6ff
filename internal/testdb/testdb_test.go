package testdb

import (
	"context"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

// TestDSN: a test's database answers and carries the migrated schema.
func TestDSN(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var migrated int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM goose_db_version WHERE is_applied").Scan(&migrated); err != nil {
		t.Fatal(err)
	}
	if migrated == 0 {
		t.Fatal("the test database has no migrations applied")
	}
	if cluster != nil {
		t.Logf("cluster directory: %s", cluster.Dir())
	}
}

// TestPrivateTempDirAndCheckout runs TestDSN in a fresh test process whose
// TMPDIR and working directory sit in a directory of mode 0700, which the
// postgres user (that root runs the cluster as) cannot enter: the test
// cluster must still start there, and teardown must leave nothing behind.
func TestPrivateTempDirAndCheckout(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		t.Skip("TEST_DATABASE_URL is set: no private cluster to test")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: only as root does the cluster run as another user (postgres), who may not enter our directories")
	}
	private := t.TempDir()
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(private, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := osexec.Command(self, "-test.run=^TestDSN$", "-test.v", "-test.count=1")
	cmd.Dir = private
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "TMPDIR" && k != "CI" && k != "TEST_DATABASE_URL" {
			env = append(env, kv)
		}
	}
	// CI=true: the child fails, rather than skips, without a database.
	cmd.Env = append(env, "TMPDIR="+tmp, "CI=true")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestDSN") {
		t.Fatalf("TestDSN with TMPDIR=%s: %v\n%s", tmp, err, out)
	}
	m := regexp.MustCompile(`cluster directory: (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("TestDSN did not say where its cluster was:\n%s", out)
	}
	dir := string(m[1])
	if strings.HasPrefix(dir, private+"/") {
		t.Errorf("the cluster ran in %s, inside a directory the postgres user cannot enter", dir)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("teardown left the cluster directory %s (%v)", dir, err)
		_ = os.RemoveAll(dir)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("teardown left %d entries in the temp dir, the first %s", len(left), left[0].Name())
	}
}
