package pglocal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// bouncerPort is the port in the name of PgBouncer's socket
// (.s.PGSQL.6432 beside the cluster's .s.PGSQL.5432).
const bouncerPort = 6432

// Bouncer is a PgBouncer in transaction pooling mode in front of a Cluster,
// for running the tests through the pooler a deployment may put between the
// service and PostgreSQL. Like the cluster it listens on a Unix socket in
// the cluster's directory only.
type Bouncer struct {
	dir string
	*process
}

// StartBouncer starts PgBouncer (from PATH or /usr/sbin) in transaction
// pooling mode in front of c, serving every database of the cluster, and
// waits until it accepts connections. It runs as the cluster's account
// (PgBouncer, too, refuses to run as root).
func (c *Cluster) StartBouncer(ctx context.Context) (*Bouncer, error) {
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/pgbouncer"); serr != nil {
			return nil, errors.New("pgbouncer not found: install it (apt-get install pgbouncer)")
		}
		bin = "/usr/sbin/pgbouncer"
	}
	// PgBouncer authenticates clients itself: trust, with the one user the
	// tests connect as listed in its users file.
	users := filepath.Join(c.dir, "pgbouncer.users")
	if err := os.WriteFile(users, []byte(fmt.Sprintf("%q \"\"\n", Superuser)), 0o644); err != nil {
		return nil, fmt.Errorf("writing pgbouncer's users file: %w", err)
	}
	// "*" serves any database name with the same server settings, so each
	// test's cloned database gets a pool of its own. A pool of 20 server
	// connections per database is above the service's 16; server
	// connections idle for 10 s are closed so that the dropped databases of
	// finished tests do not hold on to the cluster's 200.
	ini := strings.Join([]string{
		"[databases]",
		fmt.Sprintf("* = host=%s port=5432 user=%s", c.dir, Superuser),
		"[pgbouncer]",
		"unix_socket_dir = " + c.dir,
		fmt.Sprintf("listen_port = %d", bouncerPort),
		"auth_type = trust",
		"auth_file = " + users,
		"pool_mode = transaction",
		"admin_users = " + Superuser,
		"max_client_conn = 2000",
		"default_pool_size = 20",
		"server_idle_timeout = 10",
		"server_lifetime = 300",
		"logfile = " + filepath.Join(c.dir, "pgbouncer.log"),
		"",
	}, "\n")
	conf := filepath.Join(c.dir, "pgbouncer.ini")
	if err := os.WriteFile(conf, []byte(ini), 0o644); err != nil {
		return nil, fmt.Errorf("writing pgbouncer's configuration: %w", err)
	}
	if c.cred != nil {
		for _, f := range []string{users, conf} {
			if err := os.Chown(f, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
				return nil, fmt.Errorf("handing %s to the postgres user: %w", f, err)
			}
		}
	}
	cmd := exec.Command(bin, conf)
	cmd.Dir = c.dir
	b := &Bouncer{dir: c.dir}
	if b.process, err = startProcess(cmd, c.cred); err != nil {
		return nil, fmt.Errorf("starting pgbouncer: %w", err)
	}
	if err := b.waitReady(ctx); err != nil {
		_ = b.Stop()
		return nil, err
	}
	return b, nil
}

// DSN returns a connection string for database name through PgBouncer, as
// the superuser. A client must not use named prepared statements on it
// (PgBouncer 1.18 does not carry them across transactions).
func (b *Bouncer) DSN(name string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&port=%d&sslmode=disable", Superuser, name, b.dir, bouncerPort)
}

// Stop shuts PgBouncer down and waits for it to exit.
func (b *Bouncer) Stop() error {
	// SIGINT is PgBouncer's safe shutdown, which waits for transactions in
	// flight that a failed test may never end; up to PgBouncer 1.22 (Debian
	// ships 1.18) SIGTERM does not wait. From 1.23 SIGTERM waits too and
	// SIGQUIT is the immediate one: Stop then takes its 10 s and kills.
	return b.stop(syscall.SIGTERM, 10*time.Second)
}

func (b *Bouncer) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		conn, err := pgconn.Connect(ctx, b.DSN("postgres"))
		if err == nil {
			err = conn.Exec(ctx, "SELECT 1").Close()
			_ = conn.Close(ctx)
			if err == nil {
				return nil
			}
		}
		select {
		case <-b.exited:
			return fmt.Errorf("pgbouncer exited during start-up (%v); see %s", b.waitErr, filepath.Join(b.dir, "pgbouncer.log"))
		case <-ctx.Done():
			return fmt.Errorf("pgbouncer did not accept connections in time: %w; see %s", err, filepath.Join(b.dir, "pgbouncer.log"))
		case <-time.After(50 * time.Millisecond):
		}
	}
}
