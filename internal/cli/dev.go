package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"billing/internal/auth"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/ledger"
	"billing/internal/pglocal"
	"billing/internal/store"
)

const (
	demoTenantName = "Demo Academy"
	devTokenTTL    = 24 * time.Hour
	devDatabase    = "billing"
)

// demoCustomers seed the demo tenant, so the first curl shows something.
var demoCustomers = []ledger.NewCustomer{
	{RazonSocial: "Colegio Los Andes S.A.S.", Nit: "900123456-8", Email: ptr("facturacion@colegiolosandes.edu.co"), Telefono: ptr("+57 601 3456789"), Direccion: ptr("Calle 45 # 12-30")},
	{RazonSocial: "Academia de Música Allegro", Nit: "901234567"},
	{RazonSocial: "Instituto Técnico Bolívar", Nit: "860002964-4", Email: ptr("pagos@itbolivar.edu.co")},
}

// runDev is `make run`: a private PostgreSQL under .data/ unless
// DATABASE_URL is set, migrations, a demo tenant with customers, printed
// tokens, and the API until Ctrl-C, which stops the API and then the database.
func runDev(ctx context.Context, a *app, args []string) error {
	fs := a.flags("dev")
	addr := fs.String("addr", envOr(a.getenv("BILLING_ADDR"), ":8080"), "listen address (env BILLING_ADDR)")
	dataDir := fs.String("data-dir", ".data", "where the private cluster and the dev secret live")
	dsn := a.dbFlag(fs)
	af := a.authFlags(fs)
	metricsAddr := a.metricsFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	url := *dsn
	if url == "" {
		pgRoot := filepath.Join(*dataDir, "pg")
		fmt.Fprintf(a.stdout, "starting the private PostgreSQL cluster for %s ...\n", pgRoot)
		// As root, when the postgres user cannot enter the checkout (a
		// private home, a fresh mktemp -d), pglocal keeps the cluster in a
		// directory of that user's, the same one on every run from this
		// checkout, and pgRoot's location file names it. The dev secret stays in
		// dataDir either way: this process writes and reads it, not postgres.
		cluster, err := pglocal.Start(ctx, pgRoot, pglocal.Options{Durable: true})
		if err != nil {
			return err
		}
		if cluster.Relocated() {
			fmt.Fprintf(a.stdout, "data directory: %s (the postgres user cannot reach %s; %s points here)\n",
				filepath.Join(cluster.Dir(), "data"), pgRoot, filepath.Join(pgRoot, pglocal.LocationFile))
		} else {
			fmt.Fprintf(a.stdout, "data directory: %s\n", filepath.Join(cluster.Dir(), "data"))
		}
		defer func() {
			if err := cluster.Stop(); err != nil {
				fmt.Fprintf(a.stderr, "billing: stopping PostgreSQL: %v\n", err)
			} else {
				fmt.Fprintln(a.stdout, "PostgreSQL stopped.")
			}
		}()
		if err := ensureDatabase(ctx, cluster.DSN("postgres"), devDatabase); err != nil {
			return err
		}
		url = cluster.DSN(devDatabase)
	} else if _, err := databaseURL(url); err != nil {
		return err
	}
	if _, err := migrate(ctx, a, url); err != nil {
		return err
	}
	if *af.secret == "" && *af.jwksURL == "" && *af.jwksFile == "" {
		secret, err := devSecret(*dataDir)
		if err != nil {
			return err
		}
		*af.secret = secret
	}
	v, err := af.verifier(ctx)
	if err != nil {
		return err
	}
	defer v.Close()
	st, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer st.Close()
	tenant, err := ensureDemoTenant(ctx, st)
	if err != nil {
		return err
	}
	banner := func(listening string) {
		printBanner(a, listening, url, tenant, []byte(*af.secret), *af.issuer, *af.audience)
	}
	return serveHTTP(ctx, a, listen{api: *addr, metrics: *metricsAddr}, st, v, banner)
}

func ensureDatabase(ctx context.Context, adminDSN, name string) error {
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return fmt.Errorf("connecting to the private cluster: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("looking for database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("creating database %s: %w", name, err)
	}
	return nil
}

// devSecret reads the dev HS256 secret from dataDir, creating it the first
// time, so tokens printed by one `make run` still work after a restart.
func devSecret(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "jwt-secret")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= minSecretBytes {
		return strings.TrimSpace(string(b)), nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("reading dev secret: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("making dev secret: %w", err)
	}
	secret := hex.EncodeToString(raw)
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", dataDir, err)
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("writing dev secret: %w", err)
	}
	return secret, nil
}

// ensureDemoTenant finds the demo tenant or creates it with a few customers.
func ensureDemoTenant(ctx context.Context, st *store.Store) (billing.Tenant, error) {
	t, err := st.TenantByName(ctx, demoTenantName)
	if err == nil {
		return t, nil // seeded by an earlier run, and the user's since
	}
	if !errors.Is(err, fault.ErrTenantNotFound) {
		return t, fmt.Errorf("looking for the demo tenant: %w", err)
	}
	// The tenant first: transactions on tenant data check that it exists.
	if t, err = st.CreateTenant(ctx, demoTenantName); err != nil {
		return t, fmt.Errorf("creating the demo tenant: %w", err)
	}
	// Through the use case, as any client's customers are written (figures
	// and all), one transaction each: a start killed in between leaves the
	// demo tenant with fewer customers, which a later start does not mend.
	l := ledger.New(st)
	for _, c := range demoCustomers {
		if _, err := l.CreateCustomer(ctx, ledger.Actor{Tenant: t.ID, Subject: "billing dev"}, c, nil); err != nil {
			return t, fmt.Errorf("creating the demo customers: %w", err)
		}
	}
	return t, nil
}

func printBanner(a *app, listening, dsn string, t billing.Tenant, secret []byte, issuer, audience string) {
	base := "http://" + hostPort(listening)
	tokens := map[auth.Role]string{}
	for _, r := range []auth.Role{auth.RoleAdmin, auth.RoleOperador, auth.RoleViewer} {
		tok, err := auth.Sign(secret, auth.Principal{Subject: "demo-" + strings.ToLower(string(r)), TenantID: t.ID, Role: r}, devTokenTTL, issuer, audience)
		if err != nil {
			fmt.Fprintf(a.stderr, "billing: signing the %s demo token: %v\n", r, err)
			return
		}
		tokens[r] = tok
	}
	w := a.stdout
	fmt.Fprintf(w, "\nbilling is serving on %s (Ctrl-C stops it); API reference at %s/docs/\n", base, base)
	fmt.Fprintf(w, "database:    %s\n", dsn)
	fmt.Fprintf(w, "demo tenant: %s (%s)\n\n", t.ID, t.Name)
	fmt.Fprintf(w, "Tokens, valid for %s:\n", devTokenTTL)
	fmt.Fprintf(w, "export ADMIN_TOKEN=%s\n", tokens[auth.RoleAdmin])
	fmt.Fprintf(w, "export OPERADOR_TOKEN=%s\n", tokens[auth.RoleOperador])
	fmt.Fprintf(w, "export VIEWER_TOKEN=%s\n\n", tokens[auth.RoleViewer])
	fmt.Fprintf(w, "Try:\ncurl -s '%s/billing/customers?search=colegio' -H 'Authorization: Bearer %s'\n\n", base, tokens[auth.RoleViewer])
	fmt.Fprintf(w, "curl -s -X POST %s/billing/customers -H \"Authorization: Bearer $OPERADOR_TOKEN\" -H 'Content-Type: application/json' \\\n", base)
	fmt.Fprintf(w, "  -d '{\"razonSocial\":\"Jardín Infantil Pasitos\",\"nit\":\"901555111\"}'\n\n")
}

// hostPort turns a listener address like "[::]:8080" into "localhost:8080".
func hostPort(listening string) string {
	host, port, err := net.SplitHostPort(listening)
	if err != nil {
		return listening
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func ptr(s string) *string { return &s }
