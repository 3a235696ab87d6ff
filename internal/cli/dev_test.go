package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"billing/internal/billing"
	"billing/internal/ledger"
	"billing/internal/money"
	"billing/internal/secret"
	"billing/internal/store"
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
	bannerData  = regexp.MustCompile(`data directory: (\S+)`)
)

// devRun is a running `billing dev`, as its banner describes it.
type devRun struct {
	base, token, tenant string
	out                 string        // stdout up to the banner's tokens
	stdout, stderr      func() string // all written so far
	stop                func()        // Ctrl-C, then waits for a clean exit
}

// startDev runs `billing dev` on a free port until its stop is called (at
// the latest when the test ends), and returns what its banner says.
func startDev(t *testing.T, vars map[string]string, args ...string) devRun {
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
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("dev exited %d after Ctrl-C: %s", code, errb.String())
			}
		})
	}
	// A test that fails before stopping it still stops it.
	t.Cleanup(stop)
	return devRun{
		base:   bannerURL.FindStringSubmatch(s)[1],
		token:  bannerToken.FindStringSubmatch(s)[1],
		tenant: bannerID.FindStringSubmatch(s)[1],
		out:    s,
		stdout: out.String,
		stderr: errb.String,
		stop:   stop,
	}
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
	// Under a private TMPDIR, as root, the cluster lives elsewhere: remove
	// it too, after both runs have stopped.
	var elsewhere string
	t.Cleanup(func() {
		if elsewhere != "" {
			_ = os.RemoveAll(elsewhere)
		}
	})
	first := startDev(t, nil, "--data-dir", dir)
	if m := bannerData.FindStringSubmatch(first.out); m != nil && !strings.HasPrefix(m[1], dir+"/") {
		elsewhere = filepath.Dir(m[1])
	}
	if n := customersCount(t, first.base, first.token); n != len(demoCustomers) {
		t.Fatalf("%d demo customers, want %d", n, len(demoCustomers))
	}
	first.stop()
	second := startDev(t, nil, "--data-dir", dir)
	defer second.stop()
	if second.tenant != first.tenant {
		t.Fatalf("second run made a new demo tenant %s (first %s)", second.tenant, first.tenant)
	}
	if n := customersCount(t, second.base, first.token); n != len(demoCustomers) {
		t.Fatalf("second run: %d customers with the first run's token", n)
	}
}

// TestDevFromPrivateCheckout is `make run` as root from a checkout the
// postgres user cannot enter (cloned into a fresh mktemp -d, or under a
// home of mode 0700): the cluster starts elsewhere, the banner says where,
// the API answers from it, and a second run reuses the cluster and the
// secret, so the first run's tokens still work.
func TestDevFromPrivateCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own PostgreSQL cluster")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: only as root does the cluster run as another user (postgres), who may be unable to enter the checkout")
	}
	private := t.TempDir()
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(private, "checkout", ".data")

	var pgData string
	t.Cleanup(func() { // after both runs have stopped
		if pgData != "" {
			_ = os.RemoveAll(filepath.Dir(pgData))
		}
	})

	first := startDev(t, nil, "--data-dir", data)
	m := bannerData.FindStringSubmatch(first.out)
	if m == nil {
		t.Fatalf("no data directory in the output:\n%s", first.out)
	}
	pgData = m[1]
	if strings.HasPrefix(pgData, private+"/") {
		t.Fatalf("data directory %s is inside %s, which the postgres user cannot enter", pgData, private)
	}
	if n := customersCount(t, first.base, first.token); n != len(demoCustomers) {
		t.Fatalf("%d demo customers, want %d", n, len(demoCustomers))
	}
	first.stop()

	second := startDev(t, nil, "--data-dir", data)
	defer second.stop()
	if m := bannerData.FindStringSubmatch(second.out); m == nil || m[1] != pgData {
		t.Fatalf("second run's data directory %v, first %s", m, pgData)
	}
	if second.tenant != first.tenant {
		t.Fatalf("second run made a new demo tenant %s (first %s)", second.tenant, first.tenant)
	}
	if n := customersCount(t, second.base, first.token); n != len(demoCustomers) {
		t.Fatalf("second run: %d customers with the first run's token", n)
	}
}

// TestDevWithDatabaseURL: with DATABASE_URL set, dev uses that database.
func TestDevWithDatabaseURL(t *testing.T) {
	dir := t.TempDir()
	run := startDev(t, map[string]string{"DATABASE_URL": testdb.DSN(t)}, "--data-dir", dir)
	defer run.stop()
	if n := customersCount(t, run.base, run.token); n != len(demoCustomers) {
		t.Fatalf("%d demo customers, want %d", n, len(demoCustomers))
	}
	if _, err := os.Stat(dir + "/pg"); !os.IsNotExist(err) {
		t.Fatalf("a private cluster was created although DATABASE_URL is set: %v", err)
	}
}

// TestDemoTenantSeededOnce: the demo customers are written when the demo
// tenant is created, never again: a later start leaves the tenant as its
// user left it (a deleted customer stays deleted, a deactivated tenant
// starts, and is still refused).
func TestDemoTenantSeededOnce(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.DSN(t), store.WithSecrets(devBox(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	demo, err := ensureDemoTenant(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	tenant := demo.Tenant
	l := ledger.New(st)
	a := ledger.Actor{Tenant: tenant.ID, Subject: "test"}
	seeded, err := l.Customers(ctx, a, billing.CustomerPage{Limit: 10})
	if err != nil || len(seeded) != len(demoCustomers) {
		t.Fatalf("%d demo customers, %v", len(seeded), err)
	}
	if err := l.DeleteCustomer(ctx, a, seeded[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetTenantStatus(ctx, tenant.ID, billing.TenantInactive); err != nil {
		t.Fatal(err)
	}
	again, err := ensureDemoTenant(ctx, st)
	if err != nil || again.Tenant.ID != tenant.ID || again.Tenant.Status != billing.TenantInactive || again.Invoice != nil {
		t.Fatalf("second start: %+v, %v; want the same tenant, still INACTIVE, and no invoice to show", again, err)
	}
	if _, err := st.SetTenantStatus(ctx, tenant.ID, billing.TenantActive); err != nil {
		t.Fatal(err)
	}
	if left, err := l.Customers(ctx, a, billing.CustomerPage{Limit: 10}); err != nil || len(left) != len(demoCustomers)-1 {
		t.Fatalf("after a second start %d customers, %v; want %d", len(left), err, len(demoCustomers)-1)
	}
}

// demoState is what the demo tenant holds, counted.
type demoState struct {
	customers, products, resolutions, invoices int
	profileUpdated                             string
}

func readDemoState(t *testing.T, ctx context.Context, l *ledger.Ledger, a ledger.Actor) demoState {
	t.Helper()
	customers, err := l.Customers(ctx, a, billing.CustomerPage{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	products, err := l.Products(ctx, a, billing.ProductPage{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	ranges, err := l.Resolutions(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	invoices, err := l.Invoices(ctx, a, newestInvoices(billing.InvoicePage{Limit: 100}))
	if err != nil {
		t.Fatal(err)
	}
	profile, err := l.FiscalProfile(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return demoState{len(customers), len(products), len(ranges), len(invoices), profile.UpdatedAt.UTC().Format(time.RFC3339Nano)}
}

// TestDemoSchoolSeed: the demo tenant is a school invoicing electronically
// in DIAN's test environment (profile, DIAN's test range, tuition and
// enrolment excluded from IVA, a uniform at 19 %, a draft without numero);
// a second start adds nothing; the draft issues as SETP990000000 with a
// CUFE, an XML and a PDF; and the banner prints the commands for it.
func TestDemoSchoolSeed(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.DSN(t), store.WithSecrets(devBox(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	demo, err := ensureDemoTenant(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	l := ledger.New(st)
	a := ledger.Actor{Tenant: demo.Tenant.ID, Subject: "test"}

	p, err := l.FiscalProfile(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if p.Nit != "901458652" || p.DV() != "7" || p.TipoPersona != billing.PersonaJuridica || p.Tributo != "ZZ" ||
		!slices.Equal(p.Responsabilidades, []string{"R-99-PN"}) || p.Municipio != "11001" ||
		p.Ambiente != billing.AmbientePruebas || p.SoftwareID == "" || !p.SoftwarePINSet {
		t.Fatalf("fiscal profile %+v", p)
	}

	ranges, err := l.Resolutions(ctx, a)
	if err != nil || len(ranges) != 2 || ranges[1].TipoDocumento != billing.KindNotaCredito || ranges[1].Prefijo != "NC" || !ranges[1].Activa {
		t.Fatalf("resolutions %+v, %v; want DIAN's test range and a credit note range", ranges, err)
	}
	r := ranges[0]
	if r.TipoDocumento != billing.KindFactura || r.Prefijo != "SETP" || !r.Activa || r.Desde != 990000000 || r.Hasta != 995000000 ||
		r.Siguiente != 990000000 || r.NumeroResolucion == nil || *r.NumeroResolucion != "18760000001" ||
		r.FechaResolucion == nil || r.FechaResolucion.String() != "2019-01-19" ||
		r.VigenciaDesde == nil || r.VigenciaDesde.String() != "2019-01-19" ||
		r.VigenciaHasta == nil || r.VigenciaHasta.String() != "2030-01-19" || !r.ClaveTecnicaSet {
		t.Fatalf("resolution %+v", r)
	}

	products, err := l.Products(ctx, a, billing.ProductPage{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		treatment billing.TaxTreatment
		rate      money.Decimal
	}{
		demoTuition:   {billing.Excluido, money.New(0, 0)},
		demoEnrolment: {billing.Excluido, money.New(0, 0)},
		demoUniform:   {billing.Gravado, money.New(19, 0)},
	}
	if len(products) != len(want) {
		t.Fatalf("%d products, want %d", len(products), len(want))
	}
	for _, prod := range products {
		w, ok := want[prod.Nombre]
		if !ok || prod.Tributo != billing.SchemeIVA || prod.Tratamiento != w.treatment || prod.Impuesto.Cmp(w.rate) != 0 {
			t.Errorf("product %q: %s %s %s", prod.Nombre, prod.Tributo, prod.Tratamiento, prod.Impuesto)
		}
	}

	invoices, err := l.Invoices(ctx, a, newestInvoices(billing.InvoicePage{Limit: 100}))
	if err != nil || len(invoices) != 1 {
		t.Fatalf("invoices %+v, %v; want the demo draft alone", invoices, err)
	}
	if demo.Invoice == nil || demo.Invoice.ID != invoices[0].ID {
		t.Fatalf("the banner's invoice %+v, want the draft %s", demo.Invoice, invoices[0].ID)
	}
	draft, err := l.Invoice(ctx, a, invoices[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if draft.Status != billing.InvoiceDraft || draft.Numero != "" || draft.Stamp != nil ||
		draft.Customer.RazonSocial != "Laura Gómez" || draft.Customer.TipoIdentificacion != billing.IDCedula || len(draft.Lines) != 2 {
		t.Fatalf("demo draft %+v", draft)
	}
	// The tuition line is in no tax group; the uniform's 19 % is the only one.
	if len(draft.Taxes) != 1 || draft.Taxes[0].Tarifa.Cmp(money.New(19, 0)) != 0 || draft.Taxes[0].Base.Cmp(money.New(120000, 0)) != 0 ||
		draft.Total.Cmp(money.New(992800, 0)) != 0 {
		t.Fatalf("demo draft's taxes %+v, total %s; want 19 %% of 120000 alone, total 992800", draft.Taxes, draft.Total)
	}

	var banner bytes.Buffer
	svc := devServices{dianFake: true, mailDir: ".data/mail", webhookURL: "http://127.0.0.1:4321" + devHookPath, webhookLog: ".data/webhooks.log"}
	printBanner(&app{stdout: &banner, stderr: &banner}, "[::]:8080", "postgres://…", demo, svc, []byte(strings.Repeat("s", 32)), "", "")
	for _, line := range []string{
		"mail:        every message sent is kept in .data/mail, one .eml file each",
		"webhooks:    http://127.0.0.1:4321/billing-dev/webhooks hears every event of the demo tenant; each delivery's signature is checked and logged in .data/webhooks.log",
		"curl -s -X PATCH http://localhost:8080/billing/invoices/" + draft.ID.String() + "/status -H \"Authorization: Bearer $ADMIN_TOKEN\" -H 'Content-Type: application/json' -d '{\"status\":\"ISSUED\"}'",
		"With no further action, the outbox then signs it with the demo certificate, sends it to DIAN's test double and, once",
		"accepted, mails it to the customer (the catcher keeps the message in .data/mail) with <numero>.zip attached (DIAN's AttachedDocument and the PDF);",
		"invoice.issued and invoice.accepted are announced to the demo webhook (logged in .data/webhooks.log). Watch it:",
		"curl -s http://localhost:8080/billing/invoices/" + draft.ID.String() + "/einvoice -H \"Authorization: Bearer $VIEWER_TOKEN\"    # estado PENDIENTE, ENVIADA, then ACEPTADA",
		"ls .data/mail",
		"cat .data/webhooks.log",
		"curl -s http://localhost:8080/billing/invoices/" + draft.ID.String() + "/xml -H \"Authorization: Bearer $VIEWER_TOKEN\" -o factura.xml",
		"curl -s http://localhost:8080/billing/invoices/" + draft.ID.String() + "/pdf -H \"Authorization: Bearer $VIEWER_TOKEN\" -o factura.pdf",
		"xmllint --noout --schema internal/dian/testdata/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd factura.xml",
		"pdftoppm -r 200 -png factura.pdf page && zbarimg --raw page-1.png",
	} {
		if !strings.Contains(banner.String(), line+"\n") {
			t.Errorf("the banner lacks %s\n%s", line, banner.String())
		}
	}

	before := readDemoState(t, ctx, l, a)
	if before.customers != len(demoCustomers) {
		t.Fatalf("%d customers, want %d", before.customers, len(demoCustomers))
	}
	again, err := ensureDemoTenant(ctx, st)
	if err != nil || again.Tenant.ID != demo.Tenant.ID || again.Invoice == nil || again.Invoice.ID != draft.ID {
		t.Fatalf("second start: %+v, %v", again, err)
	}
	if after := readDemoState(t, ctx, l, a); after != before {
		t.Fatalf("second start changed the demo tenant: %+v, before %+v", after, before)
	}

	issued, err := l.ChangeInvoiceStatus(ctx, a, draft.ID, billing.InvoiceIssued)
	if err != nil {
		t.Fatal(err)
	}
	if issued.Numero != "SETP990000000" || issued.Stamp == nil || !regexp.MustCompile(`^[0-9a-f]{96}$`).MatchString(issued.Stamp.CUFE) {
		t.Fatalf("issued %q, stamp %+v; want SETP990000000 with a CUFE", issued.Numero, issued.Stamp)
	}
	xml, err := l.InvoiceXML(ctx, a, draft.ID)
	if err != nil || !bytes.HasPrefix(xml, []byte("<?xml")) || !bytes.Contains(xml, []byte(issued.Stamp.CUFE)) {
		t.Fatalf("XML %.80q, %v", xml, err)
	}
	pdf, err := l.InvoicePDF(ctx, a, draft.ID)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("PDF %.20q, %v", pdf, err)
	}

	// Once issued, a start writes no new draft, and the banner shows the
	// issued invoice's documents, with no PATCH.
	third, err := ensureDemoTenant(ctx, st)
	if err != nil || third.Invoice == nil || third.Invoice.ID != draft.ID || third.Invoice.Status != billing.InvoiceIssued {
		t.Fatalf("third start: %+v, %v; want the issued invoice", third, err)
	}
	if n := readDemoState(t, ctx, l, a).invoices; n != 1 {
		t.Fatalf("third start: %d invoices, want 1", n)
	}
	banner.Reset()
	printBanner(&app{stdout: &banner, stderr: &banner}, "127.0.0.1:8080", "postgres://…", third, svc, []byte(strings.Repeat("s", 32)), "", "")
	if out := banner.String(); strings.Contains(out, "-X PATCH") || !strings.Contains(out, "SETP990000000") ||
		!strings.Contains(out, "/billing/invoices/"+draft.ID.String()+"/xml") ||
		!strings.Contains(out, "/billing/invoices/"+draft.ID.String()+"/einvoice") || !strings.Contains(out, "cat .data/webhooks.log\n") {
		t.Fatalf("banner after the issue:\n%s", out)
	}
}

func devBox(t *testing.T) *secret.Box {
	t.Helper()
	b, err := secret.NewBox(secret.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	return b
}
