// Package pglocal runs a private PostgreSQL cluster from the machine's own
// PostgreSQL binaries: an ephemeral one for tests and a persistent one under
// .data/ for `make run`. The cluster listens on a Unix socket in its own
// directory only, so it never collides with another server's TCP port.
//
// PostgreSQL refuses to run as root; when this process is root, initdb and
// postgres run as the "postgres" user. That user must be able to enter every
// directory on the way to the cluster, which a checkout under a private home
// directory (mode 0700) or a fresh `mktemp -d` does not allow. Then the
// cluster lives in a directory of the postgres user's instead (see relocate),
// and the requested directory keeps a note saying where.
package pglocal

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the cluster's superuser role name, fixed so that DSNs do not
// depend on which OS user ran initdb.
const Superuser = "postgres"

// Options tunes a cluster.
type Options struct {
	// Durable keeps fsync on. Tests turn it off: a crash there loses nothing
	// worth keeping, and it makes the cluster several times faster.
	Durable bool
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	dir       string // owns data/, the socket and postgres.log
	relocated bool
	*process
	cred *syscall.Credential // the server's account when we are root, else nil
}

// BinDir finds the directory holding initdb and postgres: $PG_BINDIR, else
// the newest /usr/lib/postgresql/N/bin, else the directory of initdb on PATH.
func BinDir() (string, error) {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		return d, nil
	}
	if dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin"); len(dirs) > 0 {
		sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) > pgMajor(dirs[j]) })
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
				return d, nil
			}
		}
	}
	p, err := exec.LookPath("initdb")
	if err != nil {
		return "", errors.New("PostgreSQL server binaries not found: install postgresql (initdb, postgres) or set PG_BINDIR")
	}
	return filepath.Dir(p), nil
}

func pgMajor(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// Start initialises the cluster for root on first use, starts it and waits
// until it accepts connections. root is created if missing. The cluster
// lives in root itself unless this process is root and the postgres user
// cannot enter root; then it lives in a directory of that user's, the same
// one for the same root on every start (Dir says which).
func Start(ctx context.Context, root string, opts Options) (*Cluster, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", root, err)
	}
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	dir, relocated, err := place(root, acct)
	if err != nil {
		return nil, err
	}
	var cred *syscall.Credential
	if acct != nil {
		cred = &syscall.Credential{Uid: uint32(acct.uid), Gid: uint32(acct.gid)}
	}
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := initdb(ctx, bin, dir, data, cred); err != nil {
			return nil, err
		}
	}
	c := &Cluster{dir: dir, relocated: relocated, cred: cred}
	args := []string{
		"-D", data,
		"-k", dir,
		"-c", "listen_addresses=",
		"-c", "max_connections=200",
	}
	if !opts.Durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening postgres log: %w", err)
	}
	defer logFile.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// The server's working directory is its own: ours may be a checkout the
	// postgres user cannot enter.
	cmd.Dir = dir
	if c.process, err = startProcess(cmd, cred); err != nil {
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	if err := c.waitReady(ctx); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

// Dir is the directory holding the cluster's data/, its socket and
// postgres.log: the root given to Start, or the postgres user's directory
// Start chose instead (then Relocated is true).
func (c *Cluster) Dir() string { return c.dir }

// Relocated reports whether the cluster lives outside the root given to
// Start, because the postgres user cannot enter that root. A caller that
// removes root when done removes Dir too.
func (c *Cluster) Relocated() bool { return c.relocated }

// DSN returns a connection string for database name as the superuser.
func (c *Cluster) DSN(name string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&sslmode=disable", Superuser, name, c.dir)
}

// Stop shuts the server down (fast shutdown: open sessions are ended,
// committed data is kept) and waits for it to exit.
func (c *Cluster) Stop() error { return c.stop(syscall.SIGINT, 30*time.Second) }

func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, c.DSN("postgres"))
		if err == nil {
			_ = conn.Close(ctx)
			return nil
		}
		select {
		case <-c.exited:
			return fmt.Errorf("postgres exited during start-up (%v); see %s", c.waitErr, c.logTail())
		case <-ctx.Done():
			return fmt.Errorf("postgres did not accept connections in time: %w; see %s", err, c.logTail())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// logTail returns the log's path and its last lines, for error messages.
func (c *Cluster) logTail() string {
	path := filepath.Join(c.dir, "postgres.log")
	b, err := os.ReadFile(path)
	if err != nil {
		return path
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return path + ":\n" + strings.Join(lines, "\n")
}

func initdb(ctx context.Context, bin, dir, data string, cred *syscall.Credential) error {
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"-D", data, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb %s: %w: %s", data, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// account is the OS user the server runs as when this process is root.
type account struct {
	uid, gid int
	home     string
}

// serverAccount returns nil when this process is not root (the server runs
// as this process's user), else the postgres user.
func serverAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New("running as root, and PostgreSQL refuses root: a \"postgres\" user is needed to run the private cluster")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &account{uid: uid, gid: gid, home: u.HomeDir}, nil
}

// place creates root if missing and returns the directory the cluster lives
// in, ready for the server. Not root: root itself. Root: root handed to the
// postgres user when that user can enter it; else the postgres user's own
// directory for root (relocated is then true). A root that was relocated once
// stays relocated, even if it has since become enterable, so that its data
// is not left behind.
func place(root string, a *account) (dir string, relocated bool, err error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", false, fmt.Errorf("creating %s: %w", root, err)
	}
	if a == nil {
		return root, false, nil
	}
	if dir, ok := relocatedBefore(root, a); ok {
		return dir, true, nil
	}
	blocked, mode := unreachable(root, a)
	if blocked == "" {
		if err := os.Chown(root, a.uid, a.gid); err != nil {
			return "", false, fmt.Errorf("handing %s to the postgres user: %w", root, err)
		}
		return root, false, nil
	}
	if _, err := os.Stat(filepath.Join(root, "data", "PG_VERSION")); err == nil {
		// Moving an existing cluster is not ours to do behind the user's back.
		return "", false, fmt.Errorf("a cluster lives in %s, but the postgres user cannot enter %s (mode %v): let it through (chmod o+x %s), or remove %s to start a new cluster elsewhere",
			filepath.Join(root, "data"), blocked, mode, blocked, root)
	}
	dir, err = relocate(root, a)
	if err != nil {
		return "", false, err
	}
	return dir, true, nil
}

// unreachable returns the first ancestor of dir that the postgres user may
// not pass through, and its mode, or "" when there is none. The server runs
// with the user's primary group alone (no supplementary groups), so that is
// the only group that counts. dir itself is not checked: place hands it to
// the user.
func unreachable(dir string, a *account) (string, os.FileMode) {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return d, 0
		}
		if !enterable(fi, a) {
			return d, fi.Mode().Perm()
		}
		if d == "/" {
			return "", 0
		}
	}
}

func enterable(fi os.FileInfo, a *account) bool {
	mode := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case ok && int(st.Uid) == a.uid:
		return mode&0o100 != 0
	case ok && int(st.Gid) == a.gid:
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}

// Relocating beats the alternatives: opening the blocking directory (chmod
// o+x on a private home or a mktemp -d) undoes a privacy choice that is the
// user's; a fresh temp cluster per start would lose `make run`'s data; and
// running the server as root is what PostgreSQL refuses.
//
// A relocated cluster lives in <base>/<key>, where base is a directory the
// postgres user owns (relocationBase) and key is a hash of root's real path:
// the same checkout finds the same cluster on every start, and no two roots
// share one. Two small files tie them together, both written by this
// process (root), never by the server:
//
//   - root/location names the directory;
//   - <base>/<key>/origin names root's real path.
//
// A removed-and-recreated root (rm -rf .data, git clean -x) has no location
// file and starts afresh, as it would have without relocation, instead of
// silently getting the old database back; a root copied elsewhere (its
// location file with it) is not the origin's and starts afresh too.
const (
	// LocationFile is the name of root's note of where its relocated
	// cluster lives.
	LocationFile = "location"
	originFile   = "origin"
	// relocationDir is the directory under the postgres user's home (or the
	// temp dir) that holds relocated clusters.
	relocationDir = "billing-clusters"
)

// relocatedBefore returns the directory root/location names, when that
// directory's origin file names root.
func relocatedBefore(root string, a *account) (string, bool) {
	dir := readNote(filepath.Join(root, LocationFile))["dir"]
	real, err := filepath.EvalSymlinks(root)
	if dir == "" || err != nil {
		return "", false
	}
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() {
		return "", false
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != a.uid {
		return "", false
	}
	if readNote(filepath.Join(dir, originFile))["root"] != real {
		return "", false
	}
	return dir, true
}

// relocate makes the postgres user's directory for root, replacing a stale
// one left by an earlier root of the same path, and records the pair.
func relocate(root string, a *account) (string, error) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", root, err)
	}
	base, err := relocationBase(a)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(real))
	dir := filepath.Join(base, hex.EncodeToString(sum[:6]))
	if fi, err := os.Lstat(dir); err == nil {
		if !fi.IsDir() {
			return "", fmt.Errorf("%s is in the way of the cluster for %s: remove it", dir, root)
		}
		if running(filepath.Join(dir, "data")) {
			return "", fmt.Errorf("the cluster for %s in %s is running, but %s no longer points to it: stop that server first", root, dir, filepath.Join(root, LocationFile))
		}
		if err := os.RemoveAll(dir); err != nil {
			return "", fmt.Errorf("removing the stale cluster %s: %w", dir, err)
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	if err := os.Lchown(dir, a.uid, a.gid); err != nil {
		return "", fmt.Errorf("handing %s to the postgres user: %w", dir, err)
	}
	// origin first: a crash before location is written leaves a directory
	// that no root points to, which the next start replaces.
	origin := fmt.Sprintf("# The private PostgreSQL cluster started for root, a directory the postgres user could not enter.\nroot %s\n", real)
	if err := os.WriteFile(filepath.Join(dir, originFile), []byte(origin), 0o644); err != nil {
		return "", fmt.Errorf("writing %s: %w", filepath.Join(dir, originFile), err)
	}
	location := fmt.Sprintf("# The postgres user cannot enter this directory, so the cluster lives in dir.\ndir %s\n", dir)
	if err := os.WriteFile(filepath.Join(root, LocationFile), []byte(location), 0o644); err != nil {
		return "", fmt.Errorf("writing %s: %w", filepath.Join(root, LocationFile), err)
	}
	return dir, nil
}

// relocationBase returns <parent>/billing-clusters, owned by the postgres
// user, creating it if missing. The parent is the postgres user's home when
// it can enter it (Debian's /var/lib/postgresql: persistent, and already
// that user's), else the temp dir. An existing base that is not a plain
// directory owned by postgres or root is skipped: in a world-writable /tmp
// anyone could have planted it.
func relocationBase(a *account) (string, error) {
	seen := map[string]bool{}
	for _, parent := range []string{a.home, os.TempDir(), "/tmp"} {
		if parent == "" || !filepath.IsAbs(parent) || seen[parent] {
			continue
		}
		seen[parent] = true
		fi, err := os.Stat(parent)
		if err != nil || !fi.IsDir() || !enterable(fi, a) {
			continue
		}
		if blocked, _ := unreachable(parent, a); blocked != "" {
			continue
		}
		base := filepath.Join(parent, relocationDir)
		if err := os.Mkdir(base, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
			continue
		}
		fi, err = os.Lstat(base)
		if err != nil || !fi.IsDir() {
			continue
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok || (int(st.Uid) != a.uid && st.Uid != 0) {
			continue
		}
		if int(st.Uid) != a.uid {
			if err := os.Lchown(base, a.uid, a.gid); err != nil {
				return "", fmt.Errorf("handing %s to the postgres user: %w", base, err)
			}
		}
		return base, nil
	}
	return "", fmt.Errorf("no directory the postgres user can enter to hold its cluster (tried its home %q and the temp dir): set DATABASE_URL", a.home)
}

// running reports whether the server of data is up, by the pid in its
// postmaster.pid (which a clean shutdown removes).
func running(data string) bool {
	b, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		return false
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(line)))
	if err != nil || pid <= 0 {
		return false
	}
	err = syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// readNote reads a location or origin file: "key value" lines, # comments.
func readNote(path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	note := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, " "); ok {
			note[k] = v
		}
	}
	return note
}
