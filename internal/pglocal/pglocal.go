// Package pglocal runs a private PostgreSQL cluster from the machine's own
// PostgreSQL binaries: an ephemeral one for tests and a persistent one under
// .data/ for `make run`. The cluster listens on a Unix socket in its own
// directory only, so it never collides with another server's TCP port.
//
// PostgreSQL refuses to run as root; when this process is root, initdb and
// postgres run as the "postgres" user, which must then own the directory.
package pglocal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
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
	root    string // owns data/, the socket and postgres.log
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
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

// Start initialises the cluster under root on first use, starts it and waits
// until it accepts connections. root is created if missing.
func Start(ctx context.Context, root string, opts Options) (*Cluster, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", root, err)
	}
	cred, err := runAs(root)
	if err != nil {
		return nil, err
	}
	data := filepath.Join(root, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := initdb(ctx, bin, data, cred); err != nil {
			return nil, err
		}
	}
	c := &Cluster{root: root, exited: make(chan struct{})}
	args := []string{
		"-D", data,
		"-k", root,
		"-c", "listen_addresses=",
		"-c", "max_connections=200",
	}
	if !opts.Durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	logFile, err := os.OpenFile(filepath.Join(root, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening postgres log: %w", err)
	}
	defer logFile.Close()
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), args...)
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	c.cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: cred,
		// Own process group: a Ctrl-C at the terminal reaches us, not the
		// server, so we can stop the HTTP server first and the database last.
		Setpgid: true,
		// If this process dies without stopping the server, the server goes
		// too (SIGINT is PostgreSQL's fast shutdown).
		Pdeathsig: syscall.SIGINT,
	}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the forking OS thread exits, so the fork happens
		// on a thread that stays locked until the server has exited.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := c.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.waitErr = c.cmd.Wait()
		close(c.exited)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	if err := c.waitReady(ctx); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

// DSN returns a connection string for database name as the superuser.
func (c *Cluster) DSN(name string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&sslmode=disable", Superuser, name, c.root)
}

// Stop shuts the server down (fast shutdown: open sessions are ended,
// committed data is kept) and waits for it to exit.
func (c *Cluster) Stop() error {
	select {
	case <-c.exited:
		return nil
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
		return nil
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
		return errors.New("postgres did not stop within 30s and was killed")
	}
}

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
	path := filepath.Join(c.root, "postgres.log")
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

func initdb(ctx context.Context, bin, data string, cred *syscall.Credential) error {
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"-D", data, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb %s: %w: %s", data, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// runAs prepares root for the server and returns the credential to run it
// with: nil when this process is not root, else the postgres user's, after
// handing root over to that user.
func runAs(root string) (*syscall.Credential, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", root, err)
	}
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New("running as root, and PostgreSQL refuses root: a \"postgres\" user is needed to run the private cluster")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(root, uid, gid); err != nil {
		return nil, fmt.Errorf("handing %s to the postgres user: %w", root, err)
	}
	if err := reachable(root, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// reachable checks that every ancestor of dir lets the postgres user through,
// so that a checkout under a private home directory fails with a clear
// message instead of an obscure initdb error.
func reachable(dir string, uid, gid int) error {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("checking %s: %w", d, err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		mode := fi.Mode().Perm()
		through := mode&0o001 != 0 ||
			(ok && int(st.Gid) == gid && mode&0o010 != 0) ||
			(ok && int(st.Uid) == uid && mode&0o100 != 0)
		if !through {
			return fmt.Errorf("the postgres user cannot enter %s (mode %v), so it cannot run a cluster under %s: set DATABASE_URL, or move the checkout", d, mode, dir)
		}
		if d == "/" {
			return nil
		}
	}
}
