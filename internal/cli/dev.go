package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"billing/internal/auth"
	"billing/internal/billing"
	"billing/internal/devcert"
	"billing/internal/dian"
	"billing/internal/fault"
	"billing/internal/ledger"
	"billing/internal/mailcatch"
	"billing/internal/money"
	"billing/internal/pglocal"
	"billing/internal/secret"
	"billing/internal/store"
)

const (
	demoTenantName = "Demo Academy"
	devTokenTTL    = 24 * time.Hour
	devDatabase    = "billing"
)

// demoCustomers seed the demo tenant, so the first curl shows something. The
// last is a parent, a natural person identified by her cédula: the demo
// draft's buyer.
var demoCustomers = []ledger.NewCustomer{
	{RazonSocial: "Colegio Los Andes S.A.S.", Nit: "900123456-8", Email: ptr("facturacion@colegiolosandes.edu.co"), Telefono: ptr("+57 601 3456789"), Direccion: ptr("Calle 45 # 12-30")},
	{RazonSocial: "Academia de Música Allegro", Nit: "901234567"},
	{RazonSocial: "Instituto Técnico Bolívar", Nit: "860002964-4", Email: ptr("pagos@itbolivar.edu.co")},
	demoParent,
}

// demoParent is the buyer of the demo draft.
var demoParent = ledger.NewCustomer{RazonSocial: "Laura Gómez", Nit: "1020304050", Email: ptr("laura.gomez@example.com"),
	Telefono: ptr("+57 310 5550123"), Direccion: ptr("Carrera 15 # 93-47, Bogotá"), TipoPersona: ptr(billing.PersonaNatural)}

// demoActor is the subject the seed's writes and status events record.
const demoActor = "billing dev"

// demoProfile makes the demo tenant a school that invoices electronically in
// DIAN's test environment (habilitación). A school that sells only excluded
// services is outside IVA: tax scheme ZZ, responsibility R-99-PN
// (FISCAL.md §1–2). billing.NITCheckDigit("901458652") is 7.
var demoProfile = billing.FiscalProfile{
	Nit:               "901458652-7",
	RazonSocial:       "Demo Academy S.A.S.",
	NombreComercial:   ptr("Demo Academy"),
	TipoPersona:       billing.PersonaJuridica,
	Responsabilidades: []string{"R-99-PN"},
	Tributo:           "ZZ",
	Direccion:         "Calle 80 # 15-42",
	Municipio:         "11001",
	Ciudad:            "Bogotá D.C.",
	Departamento:      "Bogotá",
	Email:             "facturacion@demoacademy.edu.co",
	Telefono:          ptr("+57 601 7654321"),
	Ambiente:          billing.AmbientePruebas,
	SoftwareID:        "6d1f4b2a-3c5e-4f70-9a8b-2e4d6c8f0a1b",
	// A placeholder PIN for DIAN's habilitación (test) environment, not a
	// secret: no DIAN registration knows this software id.
	SoftwarePIN: "12345",
	// Each accepted invoice is mailed to its customer (the dev catcher
	// keeps it under .data/mail/).
	EnviarAlAceptar: true,
}

// The demo school's catalogue: tuition and enrolment are education services,
// excluded from IVA (Estatuto Tributario art. 476 num. 5: no tax subtotal at
// all); a uniform is a good the school sells, taxed at the general 19 %.
const (
	demoTuition   = "Pensión mensual – Grado 5°"
	demoEnrolment = "Matrícula – Grado 5°"
	demoUniform   = "Uniforme de diario"
)

var demoProducts = []ledger.NewProduct{
	{Nombre: demoTuition, Descripcion: ptr("Servicio educativo, excluido de IVA (E.T. art. 476 num. 5)"), Precio: money.New(850000, 0),
		Impuesto: ptr(money.New(0, 0)), Tributo: ptr(billing.SchemeIVA), Tratamiento: ptr(billing.Excluido)},
	{Nombre: demoEnrolment, Descripcion: ptr("Servicio educativo, excluido de IVA (E.T. art. 476 num. 5)"), Precio: money.New(950000, 0),
		Impuesto: ptr(money.New(0, 0)), Tributo: ptr(billing.SchemeIVA), Tratamiento: ptr(billing.Excluido)},
	{Nombre: demoUniform, Descripcion: ptr("Camisa, pantalón o falda y saco"), Precio: money.New(120000, 0),
		Impuesto: ptr(money.New(19, 0)), Tributo: ptr(billing.SchemeIVA), Tratamiento: ptr(billing.Gravado)},
}

// demoTenant is what the seed leaves for the banner.
type demoTenant struct {
	Tenant billing.Tenant
	// Invoice is the one the banner's commands act on: the newest draft
	// without numero, else the newest invoice issued under a resolution;
	// nil when there is neither, or the tenant is inactive.
	Invoice *billing.InvoiceSummary
}

// devServices are the stand-ins `billing dev` started, for the banner.
type devServices struct {
	dianFake   bool   // documents go to DIAN's test double (BILLING_DIAN_URL is unset)
	mailDir    string // where the mail catcher keeps messages; "" when BILLING_SMTP_URL sends elsewhere
	webhookURL string // the webhook receiver registered for the demo tenant; "" when none
	webhookLog string // where the receiver logs each delivery
}

// runDev is `make run`: a private PostgreSQL under .data/ unless
// DATABASE_URL is set, migrations, a demo tenant with customers, printed
// tokens, and the API until Ctrl-C, which stops the API and then the database.
func runDev(ctx context.Context, a *app, args []string) error {
	a.dev = true
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
	box, err := a.secretBox()
	if err != nil {
		return err
	}
	if box == nil {
		if box, err = devSecretKey(*dataDir); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, a, url, box)
	if err != nil {
		return err
	}
	defer st.Close()
	demo, err := ensureDemoTenant(ctx, st)
	if err != nil {
		return err
	}
	var svc devServices
	// Documents go to DIAN's test double on loopback unless
	// BILLING_DIAN_URL says where: the whole flow runs offline.
	if a.getenv("BILLING_DIAN_URL") == "" {
		url, err := startDianFake(ctx, slog.New(slog.NewJSONHandler(a.stderr, nil)),
			map[string]string{demoProfile.SoftwareID: demoProfile.SoftwarePIN})
		if err != nil {
			return err
		}
		a.dianURL = url
		svc.dianFake = true
		fmt.Fprintf(a.stdout, "DIAN's test double: %s (set BILLING_DIAN_URL to send elsewhere)\n", url)
	}
	// Mail goes to a catcher on loopback that keeps each message under
	// .data/mail/, unless BILLING_SMTP_URL says where.
	if a.getenv("BILLING_SMTP_URL") == "" {
		dir := filepath.Join(*dataDir, "mail")
		c, err := mailcatch.Start("127.0.0.1:0", mailcatch.Options{Dir: dir, Log: slog.New(slog.NewJSONHandler(a.stderr, nil))})
		if err != nil {
			return err
		}
		go func() { <-ctx.Done(); _ = c.Close() }()
		a.smtpURL = c.URL()
		svc.mailDir = dir
		fmt.Fprintf(a.stdout, "mail catcher: %s, keeping each message in %s (set BILLING_SMTP_URL to send elsewhere)\n", c.URL(), dir)
	}
	// Events go to a receiver on loopback, registered afresh for the demo
	// tenant on each start (its port is this run's, and an endpoint's
	// secret is shown only when it is made), which verifies each delivery's
	// signature and logs it in .data/webhooks.log.
	if demo.Tenant.Status == billing.TenantActive {
		if !a.loopbackWebhooks() {
			fmt.Fprintln(a.stdout, "webhook receiver: not started (BILLING_WEBHOOKS_ALLOW_LOOPBACK is not on, so no delivery may reach this machine)")
		} else {
			logPath := filepath.Join(*dataDir, "webhooks.log")
			hook, err := startDevHook(ctx, a.stdout, slog.New(slog.NewJSONHandler(a.stderr, nil)), logPath)
			if err != nil {
				return err
			}
			id, err := registerDevHook(ctx, st, demo.Tenant.ID, hook)
			if err != nil {
				return err
			}
			// Runs before the store closes, after the workers have stopped.
			defer func() {
				if err := unregisterDevHook(context.WithoutCancel(ctx), st, demo.Tenant.ID, id); err != nil && !errors.Is(err, fault.ErrWebhookNotFound) {
					fmt.Fprintf(a.stderr, "billing: deleting the demo webhook %s: %v\n", id, err)
				}
			}()
			svc.webhookURL, svc.webhookLog = hook.url, logPath
			fmt.Fprintf(a.stdout, "webhook receiver: %s, registered for the demo tenant's events; each delivery is verified and logged in %s\n", hook.url, logPath)
		}
	}
	banner := func(listening string) {
		printBanner(a, listening, url, demo, svc, []byte(*af.secret), *af.issuer, *af.audience)
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

// devSecretKey reads the dev BILLING_SECRET_KEY from dataDir, creating it
// the first time: the demo's sealed secrets must open after a restart.
func devSecretKey(dataDir string) (*secret.Box, error) {
	path := filepath.Join(dataDir, "secret-key")
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		box, err := secret.NewBox(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return box, nil
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("reading the dev secret key: %w", err)
	}
	key := secret.NewKey()
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dataDir, err)
	}
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("writing the dev secret key: %w", err)
	}
	return secret.NewBox(key)
}

// ensureDemoTenant finds the demo tenant or creates it with a few
// customers, then makes sure it is a school that invoices electronically in
// DIAN's test environment (seedDemoSchool), and finds the invoice the
// banner's commands act on. An inactive tenant is left alone: it refuses
// every read and write.
func ensureDemoTenant(ctx context.Context, st *store.Store) (demoTenant, error) {
	t, err := st.TenantByName(ctx, demoTenantName)
	switch {
	case err == nil:
		// Seeded by an earlier run, and the user's since: its customers are
		// not written again (a deleted one stays deleted).
	case !errors.Is(err, fault.ErrTenantNotFound):
		return demoTenant{Tenant: t}, fmt.Errorf("looking for the demo tenant: %w", err)
	default:
		// The tenant first: transactions on tenant data check that it exists.
		if t, err = st.CreateTenant(ctx, demoTenantName); err != nil {
			return demoTenant{Tenant: t}, fmt.Errorf("creating the demo tenant: %w", err)
		}
		// Through the use case, as any client's customers are written
		// (figures and all), one transaction each: a start killed in between
		// leaves the demo tenant with fewer customers, which a later start
		// does not mend (but for the parent, whom the draft needs).
		l := ledger.New(st)
		for _, c := range demoCustomers {
			if _, err := l.CreateCustomer(ctx, ledger.Actor{Tenant: t.ID, Subject: demoActor}, c, nil); err != nil {
				return demoTenant{Tenant: t}, fmt.Errorf("creating the demo customers: %w", err)
			}
		}
	}
	d := demoTenant{Tenant: t}
	if t.Status != billing.TenantActive {
		return d, nil
	}
	l := ledger.New(st)
	a := ledger.Actor{Tenant: t.ID, Subject: demoActor}
	if err := seedDemoSchool(ctx, l, a); err != nil {
		return d, err
	}
	d.Invoice, err = demoInvoice(ctx, l, a)
	return d, err
}

// seedDemoSchool gives the demo tenant, on every start, what it lacks of a
// school invoicing electronically in DIAN's test environment, each piece
// through its use case as an ADMIN's request would write it, and nothing
// that is there already (so the user's changes stay): the fiscal profile
// when it has none, DIAN's test FACTURA range when it has no FACTURA range,
// each demo product when no active product has its name, and a draft for
// the parent (tuition and a uniform, without numero: the number is taken at
// issue) when it has no invoice at all, which is the case on a first start.
// demoCertificatePassword opens the demo's self-signed certificate.
const demoCertificatePassword = "demo-certificado"

func seedDemoSchool(ctx context.Context, l *ledger.Ledger, a ledger.Actor) error {
	if _, err := l.FiscalProfile(ctx, a); errors.Is(err, fault.ErrFiscalProfileNotFound) {
		if _, err := l.PutFiscalProfile(ctx, a, demoProfile); err != nil {
			return fmt.Errorf("writing the demo fiscal profile: %w", err)
		}
	} else if err != nil {
		return fmt.Errorf("reading the demo fiscal profile: %w", err)
	}

	ranges, err := l.Resolutions(ctx, a)
	if err != nil {
		return fmt.Errorf("reading the demo numbering resolutions: %w", err)
	}
	if !slices.ContainsFunc(ranges, func(r billing.NumberingResolution) bool { return r.TipoDocumento == billing.KindFactura }) {
		if _, err := l.CreateResolution(ctx, a, dian.TestRange()); err != nil {
			return fmt.Errorf("recording DIAN's test numbering resolution: %w", err)
		}
	}
	// Credit notes take their own consecutive numbers (DIAN authorises no
	// range for them): NC1, NC2, …
	if !slices.ContainsFunc(ranges, func(r billing.NumberingResolution) bool { return r.TipoDocumento == billing.KindNotaCredito }) {
		if _, err := l.CreateResolution(ctx, a, billing.NumberingResolution{TipoDocumento: billing.KindNotaCredito,
			Prefijo: "NC", Desde: 1, Hasta: 99999999}); err != nil {
			return fmt.Errorf("recording the demo credit note range: %w", err)
		}
	}

	// A self-signed test certificate for the demo's signatures (DIAN's
	// test environment checks the signature, not who issued the
	// certificate), valid two years from its first run.
	if _, err := l.SigningCertificate(ctx, a); errors.Is(err, fault.ErrCertificateNotFound) {
		now := time.Now()
		cert, err := devcert.New(devcert.Options{CommonName: demoProfile.Nit, Organization: demoProfile.RazonSocial,
			NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(2, 0, 0), Password: demoCertificatePassword})
		if err != nil {
			return fmt.Errorf("making the demo certificate: %w", err)
		}
		if _, err := l.PutSigningCertificate(ctx, a, cert.P12, demoCertificatePassword); err != nil {
			return fmt.Errorf("keeping the demo certificate: %w", err)
		}
	} else if err != nil {
		return fmt.Errorf("reading the demo certificate: %w", err)
	}

	products := map[string]uuid.UUID{}
	for _, p := range demoProducts {
		found, err := l.Products(ctx, a, billing.ProductPage{Search: p.Nombre, Limit: 100})
		if err != nil {
			return fmt.Errorf("looking for the demo products: %w", err)
		}
		if i := slices.IndexFunc(found, func(f billing.Product) bool { return f.Nombre == p.Nombre }); i >= 0 {
			products[p.Nombre] = found[i].ID
			continue
		}
		made, err := l.CreateProduct(ctx, a, p, nil)
		if err != nil {
			return fmt.Errorf("creating the demo products: %w", err)
		}
		products[p.Nombre] = made.ID
	}

	invoices, err := l.Invoices(ctx, a, newestInvoices(billing.InvoicePage{Limit: 1}))
	if err != nil {
		return fmt.Errorf("looking for invoices: %w", err)
	}
	if len(invoices) > 0 {
		return nil
	}
	parent, err := ensureDemoParent(ctx, l, a)
	if err != nil || parent.Status != billing.CustomerActive {
		return err // an inactive parent is the user's doing: no draft for her
	}
	one := money.New(1, 0)
	draft := ledger.Draft{CustomerID: parent.ID, Lines: []ledger.DraftLine{
		{ProductID: ptr(products[demoTuition]), Cantidad: one},
		{ProductID: ptr(products[demoUniform]), Cantidad: one},
	}}
	if _, err := l.CreateInvoice(ctx, a, draft, nil); err != nil {
		return fmt.Errorf("creating the demo draft: %w", err)
	}
	return nil
}

// ensureDemoParent finds the demo parent by her cédula, or adds her (to a
// tenant seeded before she was a demo customer).
func ensureDemoParent(ctx context.Context, l *ledger.Ledger, a ledger.Actor) (billing.Customer, error) {
	found, err := l.Customers(ctx, a, billing.CustomerPage{Search: demoParent.Nit, Limit: 100})
	if err != nil {
		return billing.Customer{}, fmt.Errorf("looking for the demo parent: %w", err)
	}
	if i := slices.IndexFunc(found, func(c billing.Customer) bool { return c.Nit == demoParent.Nit }); i >= 0 {
		return found[i], nil
	}
	c, err := l.CreateCustomer(ctx, a, demoParent, nil)
	if err != nil {
		return billing.Customer{}, fmt.Errorf("creating the demo parent: %w", err)
	}
	return c, nil
}

// demoInvoice is the invoice the banner's commands act on: the newest draft
// without numero (one the printed PATCH can issue), else the newest invoice
// issued under a resolution (whose XML and PDF the printed commands fetch).
func demoInvoice(ctx context.Context, l *ledger.Ledger, a ledger.Actor) (*billing.InvoiceSummary, error) {
	drafts, err := l.Invoices(ctx, a, newestInvoices(billing.InvoicePage{Status: billing.InvoiceDraft, Limit: 100}))
	if err != nil {
		return nil, fmt.Errorf("looking for the demo draft: %w", err)
	}
	for _, s := range drafts {
		if s.Numero == "" {
			return &s, nil
		}
	}
	issued, err := l.Invoices(ctx, a, newestInvoices(billing.InvoicePage{Status: billing.InvoiceIssued, Limit: 10}))
	if err != nil {
		return nil, fmt.Errorf("looking for the demo invoice: %w", err)
	}
	for _, s := range issued {
		inv, err := l.Invoice(ctx, a, s.ID)
		if err != nil {
			return nil, fmt.Errorf("reading invoice %s: %w", s.ID, err)
		}
		if inv.Stamp != nil {
			return &s, nil
		}
	}
	return nil, nil
}

// newestInvoices starts p at the first page, newest first (the position the
// HTTP layer's first page passes: after every row).
func newestInvoices(p billing.InvoicePage) billing.InvoicePage {
	p.BeforeCreatedAt, p.BeforeID = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), uuid.Max
	return p
}

func printBanner(a *app, listening, dsn string, d demoTenant, svc devServices, secret []byte, issuer, audience string) {
	t := d.Tenant
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
	fmt.Fprintf(w, "demo tenant: %s (%s)\n", t.ID, t.Name)
	if svc.mailDir != "" {
		fmt.Fprintf(w, "mail:        every message sent is kept in %s, one .eml file each\n", svc.mailDir)
	}
	if svc.webhookURL != "" {
		fmt.Fprintf(w, "webhooks:    %s hears every event of the demo tenant; each delivery's signature is checked and logged in %s\n", svc.webhookURL, svc.webhookLog)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Tokens, valid for %s:\n", devTokenTTL)
	fmt.Fprintf(w, "export ADMIN_TOKEN=%s\n", tokens[auth.RoleAdmin])
	fmt.Fprintf(w, "export OPERADOR_TOKEN=%s\n", tokens[auth.RoleOperador])
	fmt.Fprintf(w, "export VIEWER_TOKEN=%s\n\n", tokens[auth.RoleViewer])
	fmt.Fprintf(w, "Try:\ncurl -s '%s/billing/customers?search=colegio' -H 'Authorization: Bearer %s'\n\n", base, tokens[auth.RoleViewer])
	fmt.Fprintf(w, "curl -s -X POST %s/billing/customers -H \"Authorization: Bearer $OPERADOR_TOKEN\" -H 'Content-Type: application/json' \\\n", base)
	fmt.Fprintf(w, "  -d '{\"razonSocial\":\"Jardín Infantil Pasitos\",\"nit\":\"901555111\"}'\n\n")
	if d.Invoice != nil {
		printInvoiceCommands(w, base, *d.Invoice, svc)
	}
}

// printInvoiceCommands prints, for the demo invoice, the commands that issue
// it (a draft), say what the outbox then does with it and how to watch it
// (its standing with DIAN, the mail kept, the webhook log), fetch its UBL
// document and its PDF, and check both.
func printInvoiceCommands(w io.Writer, base string, inv billing.InvoiceSummary, svc devServices) {
	at := base + "/billing/invoices/" + inv.ID.String()
	fmt.Fprintf(w, "The demo tenant is a school invoicing electronically in DIAN's test environment (prefix %s).\n", dian.TestRange().Prefijo)
	if inv.Status == billing.InvoiceDraft {
		fmt.Fprintf(w, "Issue the demo draft for %s (tuition, excluded from IVA; a uniform at 19 %%):\n", inv.CustomerRazonSocial)
		fmt.Fprintf(w, "curl -s -X PATCH %s/status -H \"Authorization: Bearer $ADMIN_TOKEN\" -H 'Content-Type: application/json' -d '{\"status\":\"ISSUED\"}'\n", at)
		dianTo := "DIAN (BILLING_DIAN_URL)"
		if svc.dianFake {
			dianTo = "DIAN's test double"
		}
		mailTo := "mails it to the customer"
		if svc.mailDir != "" {
			mailTo += " (the catcher keeps the message in " + svc.mailDir + ")"
		}
		fmt.Fprintf(w, "With no further action, the outbox then signs it with the demo certificate, sends it to %s and, once\n", dianTo)
		fmt.Fprintf(w, "accepted, %s with <numero>.zip attached (DIAN's AttachedDocument and the PDF)", mailTo)
		if svc.webhookURL != "" {
			fmt.Fprintf(w, ";\ninvoice.issued and invoice.accepted are announced to the demo webhook (logged in %s)", svc.webhookLog)
		}
		fmt.Fprintf(w, ". Watch it:\n")
	} else {
		fmt.Fprintf(w, "The demo invoice %s is %s. Its standing with DIAN, the mail and the webhook deliveries:\n", inv.Numero, inv.Status)
	}
	fmt.Fprintf(w, "curl -s %s/einvoice -H \"Authorization: Bearer $VIEWER_TOKEN\"    # estado PENDIENTE, ENVIADA, then ACEPTADA\n", at)
	if svc.mailDir != "" {
		fmt.Fprintf(w, "ls %s\n", svc.mailDir)
	}
	if svc.webhookLog != "" {
		fmt.Fprintf(w, "cat %s\n", svc.webhookLog)
	}
	fmt.Fprintf(w, "Fetch its UBL 2.1 XML (signed once the outbox has signed it) and its PDF, and check them:\n")
	fmt.Fprintf(w, "curl -s %s/xml -H \"Authorization: Bearer $VIEWER_TOKEN\" -o factura.xml\n", at)
	fmt.Fprintf(w, "curl -s %s/pdf -H \"Authorization: Bearer $VIEWER_TOKEN\" -o factura.pdf\n", at)
	fmt.Fprintf(w, "xmllint --noout --schema internal/dian/testdata/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd factura.xml\n")
	fmt.Fprintf(w, "%s\n", xmlsec1Commands)
	fmt.Fprintf(w, "pdftoppm -r 200 -png factura.pdf page && zbarimg --raw page-1.png\n\n")
}

// xmlsec1Commands check the signed factura.xml with xmlsec1 (Debian's
// xmlsec1) under the key of the certificate it carries, the two Id
// attributes declared as FISCAL.md's command line does. xmlsec1 still
// tries the certificate's chain, and says the demo's is self-signed before
// its OK; with another key it fails (--insecure would not: it takes the
// document's own certificate).
const xmlsec1Commands = `xmllint --xpath 'string(//*[local-name()="X509Certificate"])' factura.xml | base64 -di | openssl x509 -inform DER -out demo-cert.pem
xmlsec1 --verify --pubkey-cert-pem demo-cert.pem --id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties --id-attr:Id http://www.w3.org/2000/09/xmldsig#:KeyInfo factura.xml   # OK, after a note that the demo certificate is self-signed`

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

func ptr[T any](v T) *T { return &v }
