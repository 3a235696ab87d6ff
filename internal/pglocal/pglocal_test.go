package pglocal

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// needRoot skips a test that is only meaningful as root: only then does the
// cluster run as another user (postgres), who may be unable to enter our
// directories. CI runs as root, so these run there.
func needRoot(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: as another user the cluster runs as that user, who can always enter its own directories")
	}
}

func query(t *testing.T, c *Cluster, sql string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		t.Fatalf("connecting to the cluster in %s: %v", c.Dir(), err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func start(t *testing.T, root string) *Cluster {
	t.Helper()
	c, err := Start(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Stop()
		if c.Relocated() {
			_ = os.RemoveAll(c.Dir())
		}
	})
	return c
}

// openTempDir is t.TempDir with it and its parent (which the testing
// package makes 0700) open to every user. It skips the test when a
// directory above them is closed to a (TMPDIR=$HOME/tmp under a 0700 home).
func openTempDir(t *testing.T, a *account) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if blocked, mode := unreachable(filepath.Join(dir, "x"), a); blocked != "" {
		t.Skipf("the temp dir is closed to uid %d at %s (mode %v): no open directory to test with", a.uid, blocked, mode)
	}
	return dir
}

// TestStartUnderPrivateDirectory is `make run` as root from a checkout in a
// directory of mode 0700 (a fresh mktemp -d, a private home), with the
// working directory there too: the cluster starts in a directory of the
// postgres user's, answers, and the next start from the same checkout
// finds the same data; after the checkout's .data is removed, a start
// begins afresh, as it would without relocation.
func TestStartUnderPrivateDirectory(t *testing.T) {
	needRoot(t)
	private := t.TempDir()
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Chdir(private)
	root := filepath.Join(private, "checkout", ".data", "pg")

	c := start(t, root)
	if !c.Relocated() || strings.HasPrefix(c.Dir(), private+"/") {
		t.Fatalf("cluster in %s (relocated %v), inside a directory the postgres user cannot enter", c.Dir(), c.Relocated())
	}
	fi, err := os.Lstat(c.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if st := fi.Sys().(*syscall.Stat_t); st.Uid == 0 || fi.Mode().Perm() != 0o700 {
		t.Errorf("%s: owner uid %d, mode %v; want the postgres user's, 0700", c.Dir(), st.Uid, fi.Mode().Perm())
	}
	if loc := readNote(filepath.Join(root, LocationFile)); loc["dir"] != c.Dir() {
		t.Errorf("%s names %q, want %s", filepath.Join(root, LocationFile), loc["dir"], c.Dir())
	}
	if err := query(t, c, "CREATE TABLE kept (x int)"); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}

	again := start(t, root)
	if again.Dir() != c.Dir() {
		t.Fatalf("second start in %s, first in %s", again.Dir(), c.Dir())
	}
	if err := query(t, again, "SELECT * FROM kept"); err != nil {
		t.Fatalf("second start lost the first one's data: %v", err)
	}
	if err := again.Stop(); err != nil {
		t.Fatal(err)
	}

	// A copy of the checkout carries the location file along; it must not
	// take the original's cluster.
	copied := filepath.Join(private, "copy", ".data", "pg")
	if err := os.MkdirAll(copied, 0o755); err != nil {
		t.Fatal(err)
	}
	note, err := os.ReadFile(filepath.Join(root, LocationFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(copied, LocationFile), note, 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := serverAccount()
	if err != nil {
		t.Fatal(err)
	}
	if dir, ok := relocatedBefore(copied, a); ok {
		t.Fatalf("a copied checkout takes the original's cluster %s", dir)
	}
	if dir, ok := relocatedBefore(root, a); !ok || dir != c.Dir() {
		t.Fatalf("the checkout itself no longer finds its cluster: %q, %v", dir, ok)
	}

	if err := os.RemoveAll(filepath.Dir(root)); err != nil { // rm -rf .data
		t.Fatal(err)
	}
	fresh := start(t, root)
	if fresh.Dir() != c.Dir() {
		t.Fatalf("start after rm -rf .data in %s, first in %s", fresh.Dir(), c.Dir())
	}
	if err := query(t, fresh, "SELECT * FROM kept"); err == nil {
		t.Fatal("after rm -rf .data the old cluster came back")
	}
}

// TestExistingClusterBehindPrivateDirectory: a cluster made while the
// postgres user could reach it is not silently replaced by an empty one
// elsewhere once a parent directory is closed to that user.
func TestExistingClusterBehindPrivateDirectory(t *testing.T) {
	needRoot(t)
	a, err := serverAccount()
	if err != nil {
		t.Fatal(err)
	}
	parent := openTempDir(t, a)
	root := filepath.Join(parent, "pg")
	c := start(t, root)
	if c.Relocated() || c.Dir() != root {
		t.Fatalf("cluster in %s (relocated %v), want %s", c.Dir(), c.Relocated(), root)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err = Start(context.Background(), root, Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot enter "+parent) {
		t.Fatalf("start behind a closed directory: %v; want an error naming %s", err, parent)
	}
}

// TestUnreachable: the first ancestor another user may not pass through.
func TestUnreachable(t *testing.T) {
	other := &account{uid: 54321, gid: 54321}
	top := openTempDir(t, other)
	closed := filepath.Join(top, "closed")
	open := filepath.Join(top, "open")
	for dir, mode := range map[string]os.FileMode{closed: 0o750, open: 0o701} {
		if err := os.Mkdir(dir, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
	}
	if d, _ := unreachable(filepath.Join(closed, "pg"), other); d != closed {
		t.Errorf("under %s: blocked at %q, want %s", closed, d, closed)
	}
	if d, _ := unreachable(filepath.Join(open, "pg"), other); d != "" {
		t.Errorf("under %s: blocked at %q, want nothing", open, d)
	}
	// The owner's bits decide for the owner, even when "other" may enter.
	owned := filepath.Join(top, "owned")
	if err := os.Mkdir(owned, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(owned, other.uid, other.gid); err != nil {
		t.Skipf("chown needs root: %v", err)
	}
	if err := os.Chmod(owned, 0o601); err != nil {
		t.Fatal(err)
	}
	if d, _ := unreachable(filepath.Join(owned, "pg"), other); d != owned {
		t.Errorf("under %s (mode 0601, owned by the user): blocked at %q, want %s", owned, d, owned)
	}
}
