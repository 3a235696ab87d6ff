package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"billing/internal/auth"
	"billing/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

const cliSecret = "cli-secret-cli-secret-cli-secret-cli"

// run runs the command line with only the given environment.
func run(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, &out, &errb, func(k string) string { return vars[k] })
	return code, out.String(), errb.String()
}

func TestConfigErrorsExit2WithOneLine(t *testing.T) {
	jwks := filepath.Join(t.TempDir(), "absent.json")
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"no command", nil, nil, "usage"},
		{"unknown command", nil, []string{"launch"}, "unknown command"},
		{"serve without database", map[string]string{"JWT_SECRET": cliSecret}, []string{"serve"}, "DATABASE_URL is not set"},
		{"serve with a bad URL", map[string]string{"DATABASE_URL": "postgres://%zz", "JWT_SECRET": cliSecret}, []string{"serve"}, "not a valid PostgreSQL URL"},
		{"serve without keys", map[string]string{"DATABASE_URL": "postgres://localhost/x"}, []string{"serve"}, "no token key"},
		{"serve with a short secret", map[string]string{"DATABASE_URL": "postgres://localhost/x", "JWT_SECRET": "short"}, []string{"serve"}, "at least 32"},
		{"serve with a short previous secret", map[string]string{"DATABASE_URL": "postgres://localhost/x", "JWT_SECRET": cliSecret, "JWT_SECRET_PREVIOUS": "short"}, []string{"serve"}, "JWT_SECRET_PREVIOUS"},
		{"serve with a missing JWKS file", map[string]string{"DATABASE_URL": "postgres://localhost/x", "JWT_JWKS_FILE": jwks}, []string{"serve"}, "JWKS"},
		{"serve with profiles on the API's address", map[string]string{"DATABASE_URL": "postgres://localhost/x", "JWT_SECRET": cliSecret, "BILLING_PPROF": "on"}, []string{"serve"}, "--pprof needs"},
		{"serve with profiles and no metrics", map[string]string{"DATABASE_URL": "postgres://localhost/x", "JWT_SECRET": cliSecret}, []string{"serve", "--pprof", "--metrics-addr", "off"}, "--pprof needs"},
		{"serve with an unknown pooler mode", map[string]string{"DATABASE_URL": "postgres://localhost/x", "JWT_SECRET": cliSecret, "BILLING_PG_POOLER": "statement"}, []string{"serve"}, "BILLING_PG_POOLER"},
		{"serve with an unknown outbox setting", map[string]string{"DATABASE_URL": "postgres://localhost/x", "JWT_SECRET": cliSecret, "BILLING_OUTBOX_WORKERS": "no"}, []string{"serve"}, "BILLING_OUTBOX_WORKERS"},
		{"worker with a bad jobs URL", map[string]string{"DATABASE_URL": "postgres://localhost/x", "BILLING_JOBS_DATABASE_URL": "postgres://%zz"}, []string{"worker"}, "BILLING_JOBS_DATABASE_URL"},
		{"tenant list with an unknown pooler mode", map[string]string{"DATABASE_URL": "postgres://localhost/x", "BILLING_PG_POOLER": "yes"}, []string{"tenant", "list"}, "BILLING_PG_POOLER"},
		{"unknown flag", nil, []string{"migrate", "--nope"}, "flag provided but not defined"},
		{"migrate without database", nil, []string{"migrate"}, "DATABASE_URL"},
		{"tenant without subcommand", nil, []string{"tenant"}, "subcommand"},
		{"tenant create without name", map[string]string{"DATABASE_URL": "postgres://localhost/x"}, []string{"tenant", "create"}, "--name"},
		{"tenant activate bad id", map[string]string{"DATABASE_URL": "postgres://localhost/x"}, []string{"tenant", "activate", "acme"}, "not a tenant ID"},
		{"token without secret", nil, []string{"token", "--tenant", uuid.NewString(), "--role", "ADMIN"}, "JWT_SECRET"},
		{"token with a bad role", map[string]string{"JWT_SECRET": cliSecret}, []string{"token", "--tenant", uuid.NewString(), "--role", "ROOT"}, "--role"},
		{"token with a bad tenant", map[string]string{"JWT_SECRET": cliSecret}, []string{"token", "--tenant", "x", "--role", "ADMIN"}, "--tenant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.vars, tt.args...)
			if code != exitConfig {
				t.Fatalf("exit %d, want 2; stderr %q", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Fatalf("stderr %q does not say %q", stderr, tt.want)
			}
			if tt.args != nil && strings.Count(strings.TrimSpace(stderr), "\n") > 0 && !strings.Contains(stderr, "flag provided") {
				t.Fatalf("more than one line on stderr: %q", stderr)
			}
		})
	}
}

func TestTenantLifecycleAndToken(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": testdb.DSN(t), "JWT_SECRET": cliSecret}
	for i := 0; i < 2; i++ { // migrate is idempotent
		if code, out, stderr := run(t, vars, "migrate"); code != 0 {
			t.Fatalf("migrate #%d: exit %d: %s %s", i, code, out, stderr)
		}
	}
	code, out, stderr := run(t, vars, "tenant", "create", "--name", "Colegio Norte")
	if code != 0 {
		t.Fatalf("tenant create: exit %d: %s", code, stderr)
	}
	id, err := uuid.Parse(strings.TrimSuffix(out, "\n"))
	if err != nil || strings.Count(out, "\n") != 1 {
		t.Fatalf("tenant create printed %q, want the UUID alone", out)
	}
	_, out, _ = run(t, vars, "tenant", "list")
	if !strings.Contains(out, id.String()) || !strings.Contains(out, "ACTIVE") || !strings.Contains(out, "Colegio Norte") {
		t.Fatalf("tenant list: %q", out)
	}
	if code, out, _ = run(t, vars, "tenant", "deactivate", id.String()); code != 0 || !strings.Contains(out, "INACTIVE") {
		t.Fatalf("deactivate: %d %q", code, out)
	}
	// Reconcile covers inactive tenants too, and goes on past them.
	if code, out, stderr = run(t, vars, "reconcile"); code != 0 || !strings.Contains(out, id.String()) {
		t.Fatalf("reconcile with an inactive tenant: %d %q %q", code, out, stderr)
	}
	if code, out, _ = run(t, vars, "tenant", "activate", id.String()); code != 0 || !strings.Contains(out, "ACTIVE") {
		t.Fatalf("activate: %d %q", code, out)
	}
	if code, _, stderr = run(t, vars, "tenant", "activate", uuid.NewString()); code != exitFailure || !strings.Contains(stderr, "no tenant") {
		t.Fatalf("activate unknown: %d %q", code, stderr)
	}

	if code, out, stderr = run(t, vars, "reconcile"); code != 0 || !strings.Contains(out, id.String()) || !strings.Contains(out, "\tok") {
		t.Fatalf("reconcile: %d %q %q", code, out, stderr)
	}
	if code, out, _ = run(t, vars, "reconcile", "--tenant", id.String()); code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("reconcile one tenant: %d %q", code, out)
	}
	if code, _, stderr = run(t, vars, "reconcile", "--tenant", uuid.NewString()); code != exitFailure || !strings.Contains(stderr, "no tenant") {
		t.Fatalf("reconcile unknown tenant: %d %q", code, stderr)
	}

	code, out, stderr = run(t, vars, "token", "--tenant", id.String(), "--role", "VIEWER", "--sub", "ana", "--ttl", "5m")
	if code != 0 {
		t.Fatalf("token: %d %s", code, stderr)
	}
	v, err := auth.NewVerifier(context.Background(), auth.Config{Secret: []byte(cliSecret)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := v.Verify(context.Background(), strings.TrimSpace(out))
	if err != nil || p.TenantID != id || p.Role != auth.RoleViewer || p.Subject != "ana" {
		t.Fatalf("printed token verifies to %+v, %v", p, err)
	}
}

func TestDevSecretPersists(t *testing.T) {
	dir := t.TempDir()
	a, err := devSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := devSecret(dir)
	if err != nil || a != b || len(a) < minSecretBytes {
		t.Fatalf("dev secret %q then %q (%v)", a, b, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "jwt-secret")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode: %v %v", fi, err)
	}
}
