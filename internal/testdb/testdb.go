// Package testdb gives each test its own freshly migrated PostgreSQL
// database. The server is TEST_DATABASE_URL when set (a superuser, or a role
// that may CREATE DATABASE and CREATE ROLE: the migrations create
// billing_app), otherwise an ephemeral private cluster started from the
// machine's PostgreSQL binaries. The schema is migrated once into a template
// database; each test gets a clone (CREATE DATABASE … TEMPLATE), dropped when
// it ends.
//
// With TEST_PG_POOLER=transaction a PgBouncer in transaction pooling mode
// is started in front of the private cluster, and Pooled gives the URL of a
// test's database through it: the suites that open the service's store with
// Pooled run behind the pooler, while DSN stays direct for what the tests
// do as administrators.
//
// Without a database the tests skip locally, but under CI=true they fail:
// CI must never pass by testing nothing.
package testdb

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"billing/internal/pglocal"
	"billing/internal/schema"
)

var (
	once     sync.Once
	adminDSN string // a maintenance database on the server
	template string // the migrated template's name
	setupErr error
	cluster  *pglocal.Cluster
	bouncer  *pglocal.Bouncer // with TEST_PG_POOLER=transaction
	tmpRoot  string
	counter  atomic.Int64
)

// Main runs a package's tests and then stops the ephemeral cluster, if one
// was started. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	teardown()
	os.Exit(code)
}

// DSN returns the connection string of a new database, migrated to the
// newest schema, that belongs to this test alone.
func DSN(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no test database (CI=true forbids skipping): %v", setupErr)
		}
		t.Skipf("no test database: %v", setupErr)
	}
	name := fmt.Sprintf("%s_%d", template, counter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := exec(ctx, adminDSN, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		t.Fatalf("cloning test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := exec(ctx, adminDSN, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Errorf("dropping test database: %v", err)
		}
	})
	return withDatabase(adminDSN, name)
}

// Pooled returns dsn, a database DSN gave, as the service reaches it: through
// PgBouncer with true under TEST_PG_POOLER=transaction, else (or for a
// database of another server) dsn itself and false. The caller opens the store with store.WithTransactionPooler when
// it is true.
func Pooled(dsn string) (string, bool) {
	if bouncer == nil {
		return dsn, false
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Query().Get("host") != cluster.Dir() {
		return dsn, false // not a database of the cluster PgBouncer serves
	}
	p, err := url.Parse(bouncer.DSN(u.Path[1:]))
	if err != nil {
		panic(fmt.Sprintf("testdb: pgbouncer's DSN does not parse: %v", err))
	}
	// Parameters the test added (pool_max_conns=1, say) go along.
	q := p.Query()
	for k, v := range u.Query() {
		if !q.Has(k) {
			q[k] = v
		}
	}
	p.RawQuery = q.Encode()
	return p.String(), true
}

func setup() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	adminDSN = os.Getenv("TEST_DATABASE_URL")
	if adminDSN == "" {
		// A fresh directory in the temp dir (mode 0700, owned by us): as
		// root, pglocal hands it to the postgres user when that user can
		// reach the temp dir, and otherwise (a private TMPDIR) puts the
		// cluster in a directory of that user's, which teardown removes too.
		root, err := os.MkdirTemp("", "billing-testdb-")
		if err != nil {
			setupErr = fmt.Errorf("creating cluster directory: %w", err)
			return
		}
		tmpRoot = root
		cluster, err = pglocal.Start(ctx, root, pglocal.Options{})
		if err != nil {
			setupErr = err
			return
		}
		adminDSN = cluster.DSN("postgres")
	}
	switch m := os.Getenv("TEST_PG_POOLER"); {
	case m == "":
	case m != "transaction":
		setupErr = fmt.Errorf("TEST_PG_POOLER is %q: the only pooler mode is transaction", m)
		return
	case cluster == nil:
		setupErr = fmt.Errorf("TEST_PG_POOLER needs the private cluster (unset TEST_DATABASE_URL)")
		return
	default:
		var err error
		if bouncer, err = cluster.StartBouncer(ctx); err != nil {
			setupErr = err
			return
		}
	}
	// Several test binaries may share one TEST_DATABASE_URL at once: the pid
	// keeps their templates and clones apart.
	template = fmt.Sprintf("billing_test_%d", os.Getpid())
	if err := exec(ctx, adminDSN, "DROP DATABASE IF EXISTS "+template); err != nil {
		setupErr = fmt.Errorf("connecting to the test server: %w", err)
		return
	}
	if err := exec(ctx, adminDSN, "CREATE DATABASE "+template); err != nil {
		setupErr = fmt.Errorf("creating template database: %w", err)
		return
	}
	if _, err := schema.Migrate(ctx, withDatabase(adminDSN, template)); err != nil {
		setupErr = fmt.Errorf("migrating template database: %w", err)
	}
}

func teardown() {
	if template != "" && setupErr == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_ = exec(ctx, adminDSN, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", template))
		cancel()
	}
	if bouncer != nil {
		_ = bouncer.Stop()
	}
	if cluster != nil {
		_ = cluster.Stop()
		if cluster.Relocated() {
			_ = os.RemoveAll(cluster.Dir())
		}
	}
	if tmpRoot != "" {
		_ = os.RemoveAll(tmpRoot)
	}
}

func exec(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase returns dsn pointed at database name.
func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		// A keyword/value DSN: a later dbname overrides an earlier one.
		return dsn + " dbname=" + name
	}
	u.Path = "/" + name
	return u.String()
}
