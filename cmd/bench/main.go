// Command bench measures the billing service against the database's own
// limit, side by side in one run (`make bench`): it starts a private
// PostgreSQL (or uses BENCH_DATABASE_URL), seeds one tenant, starts the real
// binary, drives each operation over loopback at a fixed concurrency with
// wrk (a C load generator, cheaper per request than a Go client, which
// matters because it shares the machine's cores with the service), runs the
// SQL of the same operation with pgbench at the same concurrency (the
// service's own statements, read from db/queries by name: queries.go), and
// prints a markdown table (also written to -out). docs/performance.md
// explains the table and keeps the last full run's.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"billing/internal/auth"
	"billing/internal/billing"
	"billing/internal/money"
	"billing/internal/pglocal"
	"billing/internal/schema"
	"billing/internal/store"
)

const jwtSecret = "bench-secret-bench-secret-bench-secret"

// tenantID is fixed so the pgbench scripts can name it.
var tenantID = uuid.MustParse("0193a1c2-7d4e-7a10-9c55-2f1e0b6d8a00")

func main() {
	customers := flag.Int("customers", 100000, "customers to seed")
	products := flag.Int("products", 200, "products to seed")
	invoices := flag.Int("invoices", 1000000, "invoices to seed (3 lines each; 80% ISSUED over two years, most of them paid; 15% DRAFT, 5% CANCELLED)")
	clients := flag.Int("c", 16, "concurrent clients, for the service and for pgbench")
	duration := flag.Duration("d", 10*time.Second, "how long each operation is driven")
	out := flag.String("out", "bin/bench-results.md", "where the markdown table is written (make bench gives docs/bench-results.md to a full run)")
	bin := flag.String("bin", "bin/billing", "the billing binary")
	queryDir := flag.String("queries", "db/queries", "the service's query files, whose named statements the pgbench scripts run")
	profiles := flag.String("profile", "", "a directory for the service's CPU profile of each operation (go tool pprof -top FILE)")
	pooler := flag.Bool("pooler", false, "put the service behind a PgBouncer in transaction mode (BILLING_PG_POOLER=transaction); pgbench stays direct")
	flag.Parse()
	if err := run(*customers, *products, *invoices, *clients, *duration, *out, *bin, *queryDir, *profiles, *pooler); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(customers, products, invoices, clients int, d time.Duration, out, bin, queryDir, profiles string, pooler bool) error {
	ctx := context.Background()
	// The scripts first: a query that no longer fits them stops the bench
	// before anything is started.
	q, err := readQueries(queryDir)
	if err != nil {
		return err
	}
	ops, err := operations(q, invoices, customers)
	if err != nil {
		return fmt.Errorf("building the pgbench scripts: %w", err)
	}
	dsn := os.Getenv("BENCH_DATABASE_URL")
	if pooler && dsn != "" {
		return fmt.Errorf("-pooler starts PgBouncer in front of the bench's own cluster: unset BENCH_DATABASE_URL")
	}
	serviceDSN, serviceEnv := "", []string(nil)
	if dsn == "" {
		root, err := os.MkdirTemp("", "billing-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(root)
		if err := os.Chmod(root, 0o755); err != nil {
			return err
		}
		cluster, err := pglocal.Start(ctx, root, pglocal.Options{Durable: true})
		if err != nil {
			return err
		}
		defer cluster.Stop()
		dsn = cluster.DSN("postgres")
		if pooler {
			bouncer, err := cluster.StartBouncer(ctx)
			if err != nil {
				return err
			}
			defer bouncer.Stop()
			serviceDSN, serviceEnv = bouncer.DSN("postgres"), []string{"BILLING_PG_POOLER=transaction"}
		}
	}
	if serviceDSN == "" {
		serviceDSN = dsn
	}
	if _, err := schema.Migrate(ctx, dsn); err != nil {
		return err
	}
	start := time.Now()
	if err := seed(ctx, dsn, customers, products, invoices); err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	seeded := time.Since(start)
	logf("seeded %d customers, %d products, %d invoices in %s", customers, products, invoices, seeded.Round(time.Second))

	svc, err := startService(bin, serviceDSN, profiles != "", serviceEnv...)
	if err != nil {
		return err
	}
	defer svc.stop()
	token, err := auth.Sign([]byte(jwtSecret), auth.Principal{Subject: benchSubject, TenantID: tenantID, Role: auth.RoleAdmin}, 24*time.Hour, "", "")
	if err != nil {
		return err
	}
	scripts, err := os.MkdirTemp("", "billing-bench-sql-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scripts)

	var rows []result
	var upkeep string
	measure := func(op operation) error {
		var err error
		// Warm both sides up briefly, then measure. An operation that
		// consumes its rows gets fresh ones for each run, as many as twice
		// the warm-up's rate asks for (made before the run, so outside its
		// figures).
		if op.consume != nil {
			if op.ids, err = op.consume(ctx, warmUpRows); err != nil {
				return fmt.Errorf("making rows for %s: %w", op.name, err)
			}
		}
		warm, err := drive(svc, token, op, clients, time.Second, scripts, true)
		if err != nil {
			return err
		}
		if op.consume != nil {
			if op.ids, err = op.consume(ctx, max(warmUpRows, int(2*warm.rps*d.Seconds()))); err != nil {
				return fmt.Errorf("making rows for %s: %w", op.name, err)
			}
		}
		profiled := make(chan error, 1)
		if profiles != "" {
			go func() { profiled <- svc.profile(filepath.Join(profiles, slug(op.name)+".pprof"), d) }()
		}
		settle(ctx, dsn)
		svc.resetPeakRSS()
		cpu0 := svc.cpu()
		r, err := drive(svc, token, op, clients, d, scripts, false)
		if err != nil {
			return err
		}
		r.cpuPerReq = (svc.cpu() - cpu0) / time.Duration(max(r.ok, 1))
		r.loadCPUPerReq = r.loadCPU / time.Duration(max(r.ok, 1))
		if profiles != "" {
			if err := <-profiled; err != nil {
				return fmt.Errorf("profiling %s: %w", op.name, err)
			}
		}
		r.rss = svc.peakRSS()
		var tps float64
		if op.sql != "" {
			if tps, err = pgbench(dsn, scripts, op, clients, d); err != nil {
				return fmt.Errorf("pgbench %s: %w", op.name, err)
			}
		}
		r.pgbenchTPS = tps
		if op.bare != "" {
			// The script without the figures, in the order with, without,
			// without, with: whichever runs later meets more rows, WAL and
			// checkpoints, so one run of each would charge that drift to the
			// second; in this order both average the same position. The
			// create row reports the mean of the two runs with the figures.
			bare := op
			bare.name += " without figures"
			bare.sql = op.bare
			with, without := []float64{tps}, []float64{}
			for _, o := range []operation{bare, bare, op} {
				got, err := pgbench(dsn, scripts, o, clients, d)
				if err != nil {
					return fmt.Errorf("pgbench %s: %w", o.name, err)
				}
				if o.name == op.name {
					with = append(with, got)
				} else {
					without = append(without, got)
				}
			}
			tps = (with[0] + with[1]) / 2
			r.pgbenchTPS = tps
			base := (without[0] + without[1]) / 2
			upkeep = fmt.Sprintf("Keeping the dashboard's figures costs the create path %.1f %% in pgbench (%.0f tps with them, %.0f without; runs in the order with, without, without, with: %.0f, %.0f, %.0f, %.0f).",
				100*(base-tps)/base, tps, base, with[0], without[0], without[1], with[1])
			logf("%s", upkeep)
		}
		rows = append(rows, r)
		logf("%s: %.0f req/s (pgbench %.0f tps), p50 %s, p99 %s, %d errors", op.name, r.rps, tps, r.p50, r.p99, r.errors)
		return nil
	}
	for _, op := range ops {
		if err := measure(op); err != nil {
			return err
		}
	}
	// Then the tenant becomes an electronic invoicer (its drafts may no
	// longer carry a number of their own, which the create row's do): the
	// invoices issued under the range, paid and credited through the use
	// cases are the seed's last part, and the electronic paths are driven.
	t0 := time.Now()
	e, err := setUpElectronic(ctx, dsn, customers)
	if err != nil {
		return fmt.Errorf("setting up electronic invoicing: %w", err)
	}
	defer e.close()
	hist, err := e.history(ctx, historyInvoices)
	if err != nil {
		return fmt.Errorf("issuing under the range: %w", err)
	}
	seeded += time.Since(t0)
	logf("%s in %s; seeded in %s in all", hist, time.Since(t0).Round(time.Second), seeded.Round(time.Second))
	for _, op := range append(electronicOperations(e, hist.open), floorOperations()...) {
		if err := measure(op); err != nil {
			return err
		}
	}
	// After every row: the ledger has the seed's invoices, the electronic
	// ones and what the rows wrote.
	live, maintained, held, err := dashboardCosts(ctx, dsn)
	if err != nil {
		return err
	}
	owed, err := receivablesCosts(ctx, dsn, q)
	if err != nil {
		return fmt.Errorf("measuring receivables: %w", err)
	}
	table := render(rows, clients, d, invoices, customers, hist, seeded, pooler, held, live, maintained) + "\n" + upkeep + "\n\n" + owed + "\n"
	fmt.Print(table)
	if err := os.WriteFile(out, []byte(table), 0o644); err != nil {
		return err
	}
	// A row with refused or failed requests measured something else than
	// its operation: the table is kept for the diagnosis, the run fails.
	var failed []string
	for _, r := range rows {
		if r.errors > 0 {
			failed = append(failed, fmt.Sprintf("%s (%d)", r.name, r.errors))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("requests failed in %d rows: %s (a warm-up logs its first refusal above)", len(failed), strings.Join(failed, ", "))
	}
	return nil
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...) }

// seed writes one tenant's ledger with plain SQL, as the database owner.
// Row n of each kind has a deterministic id (see sqlID) so that pgbench scripts
// and the load generator pick the same rows.
func seed(ctx context.Context, dsn string, customers, products, invoices int) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)", tenantID).Scan(&exists); err != nil {
		return err
	}
	if exists {
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM invoices WHERE tenant_id = $1 AND numero LIKE 'S-%'", tenantID).Scan(&n); err != nil {
			return err
		}
		if n == invoices {
			// The previous run's creates go (drafts, never issued); its
			// electronic invoices stay, frozen, and the fiscal profile goes
			// so that the create row's numbered drafts are accepted again
			// (setUpElectronic writes it back after the six rows).
			logf("reusing the seeded ledger")
			for _, q := range []string{"DELETE FROM invoices WHERE tenant_id = $1 AND numero LIKE 'B-%'", "DELETE FROM fiscal_profiles WHERE tenant_id = $1"} {
				if _, err := conn.Exec(ctx, q, tenantID); err != nil {
					return err
				}
			}
			return reconcile(ctx, dsn)
		}
		return fmt.Errorf("BENCH_DATABASE_URL holds a bench tenant with %d invoices, not %d: drop it or match -invoices", n, invoices)
	}
	uid := func(kind string) string { return sqlID(kind, "g") }
	stmts := []string{
		fmt.Sprintf(`INSERT INTO tenants (id, name) VALUES ('%s', 'Bench Academy')`, tenantID),
		fmt.Sprintf(`INSERT INTO customers (tenant_id, id, razon_social, nit, email, status)
			SELECT '%s', %s, 'Colegio ' || (ARRAY['Andes','Bolívar','Caldas','Nariño','Sucre'])[1 + g %% 5] || ' ' || g,
			       (800000000 + g)::text, 'c' || g || '@colegio.edu.co', CASE WHEN g %% 10 = 0 THEN 'INACTIVE' ELSE 'ACTIVE' END
			FROM generate_series(1, %d) g`, tenantID, uid("c"), customers),
		fmt.Sprintf(`INSERT INTO products (tenant_id, id, nombre, precio, impuesto)
			SELECT '%s', %s, 'Producto ' || g, (1000 + g * 250)::numeric(15,2), (ARRAY[0,5,19])[1 + g %% 3]
			FROM generate_series(1, %d) g`, tenantID, uid("p"), products),
		// Issued invoices spread over two years (one a day per customer
		// slot), three in four on 30 days' credit; what is owed looks like
		// a school's: everything older than 90 days paid but one in a
		// hundred, of the younger a third unpaid, a third paid in part, a
		// third paid. Each paid amount is one payment (below).
		fmt.Sprintf(`INSERT INTO invoices (tenant_id, id, customer_id, numero, status, subtotal, impuestos, total, item_count,
			                      forma_pago, dias_credito, fecha_vencimiento, pagado, issued_at, created_at, updated_at)
			SELECT '%[1]s', %[2]s, %[5]s,
			       'S-' || g, CASE WHEN x.issued THEN 'ISSUED' WHEN g %% 20 < 19 THEN 'DRAFT' ELSE 'CANCELLED' END,
			       300000.00, 57000.00, 357000.00, 3,
			       CASE WHEN x.credit THEN 'CREDITO' ELSE 'CONTADO' END, CASE WHEN x.credit THEN 30 END,
			       CASE WHEN x.issued THEN ((now() - x.age * interval '1 day') AT TIME ZONE 'America/Bogota')::date + CASE WHEN x.credit THEN 30 ELSE 0 END END,
			       CASE WHEN NOT x.issued THEN 0
			            WHEN x.age > 90 THEN CASE WHEN g %% 100 = 0 THEN 0 ELSE 357000.00 END
			            ELSE (ARRAY[0, 150000.00, 357000.00])[1 + g %% 3] END,
			       CASE WHEN x.issued THEN now() - x.age * interval '1 day' END,
			       now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
			FROM generate_series(1, %[4]d) g, LATERAL (SELECT g %% 20 < 16 AS issued, g %% 730 AS age, g %% 4 < 3 AS credit) x`,
			tenantID, uid("i"), customers, invoices, sqlID("c", fmt.Sprintf("1 + g %% %d", customers))),
		fmt.Sprintf(`INSERT INTO payments (tenant_id, id, invoice_id, valor, fecha, medio_pago, actor)
			SELECT tenant_id, gen_random_uuid(), id, pagado, (issued_at AT TIME ZONE 'America/Bogota')::date, '47', 'seed'
			FROM invoices WHERE tenant_id = '%s' AND pagado > 0`, tenantID),
		fmt.Sprintf(`INSERT INTO invoice_items (tenant_id, invoice_id, id, position, product_service_id, descripcion, cantidad, valor_unitario, impuesto, subtotal)
			SELECT '%[1]s', %[2]s, gen_random_uuid(), p, NULL, 'Línea ' || p, 1.000, 100000.00, 19.00, 100000.00
			FROM generate_series(1, %[3]d) g, generate_series(1, 3) p`, tenantID, uid("i"), invoices),
		// The breakdown those lines give, as the service stores it with
		// an invoice (GetInvoiceDetail reads it back).
		fmt.Sprintf(`INSERT INTO invoice_taxes (tenant_id, invoice_id, tarifa, base, valor)
			SELECT '%[1]s', %[2]s, 19.00, 300000.00, 57000.00 FROM generate_series(1, %[3]d) g`, tenantID, uid("i"), invoices),
		fmt.Sprintf(`INSERT INTO invoice_events (tenant_id, invoice_id, seq, to_status, actor)
			SELECT '%[1]s', %[2]s, 1, 'DRAFT', 'seed' FROM generate_series(1, %[3]d) g`, tenantID, uid("i"), invoices),
		`VACUUM ANALYZE`,
	}
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%.60s…: %w", strings.TrimSpace(s), err)
		}
	}
	return reconcile(ctx, dsn)
}

// reconcile sets the bench tenant's dashboard figures from its ledger, as
// `billing reconcile` does: after the seed, and after a reused ledger drops
// the previous run's invoices.
func reconcile(ctx context.Context, dsn string) error {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	_, _, err = st.Reconcile(ctx, tenantID)
	return err
}

// Row n of a seeded kind has a UUID that SQL, pgbench and wrk's Lua can all
// compute: the first group names the kind, the last is n in hex.
var idPrefix = map[string]string{"c": "cccccccc", "p": "bbbbbbbb", "i": "aaaaaaaa"}

// luaID is the Lua string.format pattern of the seeded id of kind, for n.
func luaID(kind string) string { return idPrefix[kind] + "-0000-4000-8000-%012x" }

// sqlID is the SQL expression of the seeded id of kind for the integer
// expression n.
func sqlID(kind, n string) string {
	return fmt.Sprintf(`('%s-0000-4000-8000-' || lpad(to_hex(%s), 12, '0'))::uuid`, idPrefix[kind], n)
}

// service is the running billing binary.
type service struct {
	cmd   *exec.Cmd
	base  string
	debug string // where its profiles are served, when profiling
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// profile writes the service's CPU profile over the next d to file.
func (s *service) profile(file string, d time.Duration) error {
	res, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", s.debug, int(d.Seconds())))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: %s", res.Status)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o644)
}

// slug names a file after an operation.
func slug(name string) string {
	return strings.NewReplacer("/", "_", " ", "_", "?", "_", "{", "", "}", "", "&", "_", "=", "_", "…", "", "(", "", ")", "").Replace(name)
}

func startService(bin, dsn string, profiling bool, env ...string) (*service, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--addr", addr)
	// No outbox workers: the issues' signing and sending jobs wait, so
	// that each row's CPU is its requests' (the seed's and the rows'
	// electronic invoices stay unsigned).
	cmd.Env = append(append(os.Environ(), "DATABASE_URL="+dsn, "JWT_SECRET="+jwtSecret, "BILLING_METRICS_ADDR=off",
		"BILLING_SECRET_KEY="+secretKey, "BILLING_OUTBOX_WORKERS=off"), env...)
	debug := ""
	if profiling {
		if debug, err = freeAddr(); err != nil {
			return nil, err
		}
		cmd.Env = append(cmd.Env, "BILLING_METRICS_ADDR="+debug, "BILLING_PPROF=on")
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &service{cmd: cmd, base: "http://" + addr, debug: "http://" + debug}
	for i := 0; i < 300; i++ {
		if res, err := http.Get(s.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("the service did not become ready")
}

func (s *service) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
}

// cpu is the process's user+system CPU time so far, from /proc.
func (s *service) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ is 100 on Linux
}

// resetPeakRSS starts a new high-water mark for peakRSS, so that each
// operation reports its own peak rather than the largest so far.
func (s *service) resetPeakRSS() {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
}

var vmHWM = regexp.MustCompile(`VmHWM:\s+(\d+) kB`)

// peakRSS is the process's high-water resident set size since
// resetPeakRSS, in bytes.
func (s *service) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	m := vmHWM.FindSubmatch(b)
	if m == nil {
		return 0
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb * 1024
}

// operation is one benchmarked endpoint: how wrk makes its requests and the
// SQL it runs.
type operation struct {
	name string
	lua  string            // the body of wrk's request() (see wrkScript)
	sql  string            // pgbench script
	vars map[string]string // pgbench variables it reads, given with -D
	// bare is the create's script without the figures upkeep (the
	// AddTenantStats the store queues in front of COMMIT), run beside it to
	// show what that upkeep costs a write; empty for the other operations.
	bare string
	// ids are the rows the Lua's pick() chooses from: at random, or, with
	// consume, each once (a draft issued, an order sold), in which case
	// consume makes n fresh ones before each run. An operation with ids
	// and no sql has no pgbench script: its SQL is the use case's, several
	// statements chosen by the data (see electronicOperations).
	ids     []string
	consume func(ctx context.Context, n int) ([]string, error)
}

// Scripts are built from the service's own statements (db/queries, by
// name) with sqlc's arguments bound to pgbench variables: pgbench sends a
// variable of a prepared statement (-M prepared) as a parameter, as the
// service sends its arguments. The statements the service writes in Go
// rather than in db/queries (the transaction's and the read's tenant scope)
// are internal/store's own constants, with the tenant as :tenant.
var (
	// txScope is store's BEGIN, role and tenant scope of a write
	// transaction, sent as one pipeline.
	txScope = "\\startpipeline\nBEGIN;\n" + store.AppScope + ";\n" + tenantArg(store.TxScope) + ";\n\\endpipeline\n"
	// readScope is store's role and tenant scope: a read is it and the
	// query in one pipeline, one implicit read-only transaction.
	readScope = store.AppScope + ";\n" + tenantArg(store.ReadScope) + ";\n"
)

// tenantArg binds the store's $1 (the tenant) to pgbench's :tenant.
func tenantArg(sql string) string { return strings.ReplaceAll(sql, "$1", ":tenant") }

// readScript is a Read's pgbench script: its variables (\set lines), then
// the scope and the statement pipelined.
func readScript(sets, stmt string) string {
	return sets + `\startpipeline
` + readScope + stmt + `;
\endpipeline
`
}

// statement binds a named query's arguments (see bind).
func statement(q queries, name string, args map[string]string) (string, error) {
	sql, err := q.get(name)
	if err != nil {
		return "", err
	}
	return bind(name, sql, args)
}

func operations(q queries, invoices, customers int) ([]operation, error) {
	line := `{"descripcion":"Material didáctico","cantidad":3,"valorUnitario":45000}`
	t := tenantID.String()
	var errs []error
	must := func(name string, args map[string]string) string {
		s, err := statement(q, name, args)
		errs = append(errs, err)
		return s
	}

	// The create: what the handler runs for the wrk body below (3 lines of
	// 3 × 45000 at the default 19 %, no products, so no product lookup): the
	// transaction's scope, the customer (share lock), the invoice with its
	// lines, tax breakdown and creation event (one statement), then the
	// figures' one more draft and COMMIT in one pipeline, as store.rawTx
	// sends them. Keys as the service makes them: invoice ids time-ordered like
	// its UUIDv7 (PostgreSQL 15 has no uuidv7(): the first 48 bits are the
	// clock's milliseconds), numbers increasing, so both sides append to
	// the same indexes rather than one inserting at random.
	timeOrderedID := `encode(overlay(uuid_send(gen_random_uuid()) placing substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 'hex')::uuid`
	customer := sqlID("c", ":c::bigint")
	lockCustomer := must("GetCustomerForInvoice", map[string]string{"tenant_id": ":tenant", "id": customer, "numero": "''"})
	create := must("CreateInvoice", map[string]string{
		"tenant_id": ":tenant", "id": timeOrderedID, "customer_id": customer, "numero": `'B-' || ` + timeOrderedID,
		"subtotal": ":subtotal", "impuestos": ":impuestos", "total": ":total",
		"line_product_ids": ":line_product_ids", "line_descripciones": ":line_descripciones", "line_cantidades": ":line_cantidades",
		"line_valores_unitarios": ":line_valores_unitarios", "line_impuestos": ":line_impuestos", "line_subtotales": ":line_subtotales",
		"line_tributos": ":line_tributos", "line_tratamientos": ":line_tratamientos",
		"tax_tributos": ":tax_tributos", "tax_tarifas": ":tax_tarifas", "tax_bases": ":tax_bases", "tax_valores": ":tax_valores",
		"forma_pago": "'CONTADO'", "dias_credito": "NULL", "medio_pago": "'10'", "descuentos": "'[]'", "cargos": "'[]'",
		"total_descuentos": "0", "total_cargos": "0",
		"line_ids":        "ARRAY[gen_random_uuid(), gen_random_uuid(), gen_random_uuid()]",
		"line_descuentos": ":line_descuentos", "line_valores_descuento": ":line_descuentos",
		"actor": ":actor",
	})
	figures := must("AddTenantStats", map[string]string{"tenant_id": ":tenant", "slot": ":slot",
		"clientes_activos": ":zero", "facturas_emitidas": ":zero", "facturas_borrador": ":one", "ingresos_estimados": ":zero",
		"cartera_pendiente": ":zero", "creditos": ":zero"})
	createScript := func(upkeep string) string {
		// Every 10th seeded customer is INACTIVE (invoicing one is refused),
		// as wrk's requests skip them.
		return fmt.Sprintf(`\set c random(1, %d)
\set c :c - case when :c %% 10 = 0 then 1 else 0 end
\set slot random(0, 15)
`, customers) + txScope + lockCustomer + ";\n" + create + ";\n\\startpipeline\n" + upkeep + "COMMIT;\n\\endpipeline\n"
	}

	detail := must("GetInvoiceDetail", map[string]string{"tenant_id": ":tenant", "id": sqlID("i", ":n::bigint")})
	// A first page, as the handler asks for it: one row more than the
	// limit, from firstByNewest's position.
	page := must("ListInvoicesByStatus", map[string]string{"tenant_id": ":tenant", "status": ":status",
		"after_created_at": ":after_created_at", "after_id": ":after_id", "max_rows": ":max_rows"})
	// The dashboard reads its figures and the overdue balance in one
	// statement, judged on the Colombian date (pgbench's today is the
	// same date: -D at script time).
	dashboard := must("GetDashboard", map[string]string{"tenant_id": ":tenant", "today": ":today"})
	// The report's first page as the handler asks for it (100 customers
	// and one more, from firstByName's position).
	receivables := must("GetReceivablesPage", map[string]string{"tenant_id": ":tenant", "today": ":today",
		"after_razon_social": "''", "after_id": ":after_id", "max_rows": ":max_rows"})
	// A search for a NIT's digits, first page from firstByName's position.
	// The store escapes LIKE's wildcards (digits have none); digits are
	// their own NIT, so nit_search is NULL, sent as a parameter (a literal
	// NULL would let PostgreSQL drop that test, which the service's generic
	// plan keeps). The empty name is a literal: pgbench refuses -D with an
	// empty value.
	search := must("ListCustomers", map[string]string{"tenant_id": ":tenant", "search": ":n", "nit_search": "NULLIF(:nit_none, 'none')",
		"after_razon_social": "''", "after_id": ":after_id", "max_rows": ":max_rows"})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	scope := map[string]string{"tenant": t}
	today := billing.DateOf(time.Now()).String()
	with := func(extra map[string]string) map[string]string {
		m := maps.Clone(scope)
		maps.Copy(m, extra)
		return m
	}
	return []operation{
		{
			name: "POST /billing/invoices (3 lines)",
			// numero is unique per run, thread and request.
			lua: fmt.Sprintf(`counter = counter + 1
  local n = math.random(1, %[1]d)
  if n %% 10 == 0 then n = n - 1 end
  local body = string.format('{"customerId":"%[3]s","numero":"B-%%s-%%d-%%d","items":[%[2]s,%[2]s,%[2]s]}', n, nonce, id, counter)
  return wrk.format("POST", "/billing/invoices", json_headers, body)`, customers, line, luaID("c")),
			sql:  createScript(figures + ";\n"),
			bare: createScript(""),
			// The arguments the service computes for that body.
			vars: with(map[string]string{
				"subtotal": "405000.00", "impuestos": "76950.00", "total": "481950.00",
				"line_product_ids":       `{"","",""}`,
				"line_descripciones":     "{Material didáctico,Material didáctico,Material didáctico}",
				"line_cantidades":        "{3.000,3.000,3.000}",
				"line_valores_unitarios": "{45000.00,45000.00,45000.00}",
				"line_impuestos":         "{19.00,19.00,19.00}",
				"line_subtotales":        "{135000.00,135000.00,135000.00}",
				"line_tributos":          "{01,01,01}",
				"line_tratamientos":      "{GRAVADO,GRAVADO,GRAVADO}",
				"line_descuentos":        "{0.00,0.00,0.00}",
				"tax_tributos":           "{01}",
				"tax_tarifas":            "{19.00}", "tax_bases": "{405000.00}", "tax_valores": "{76950.00}",
				"actor": "bench", "zero": "0", "one": "1",
			}),
		},
		{
			name: "GET /billing/invoices/{id}",
			lua:  fmt.Sprintf(`return wrk.format("GET", string.format("/billing/invoices/%s", math.random(1, %d)))`, luaID("i"), invoices),
			sql:  readScript(fmt.Sprintf("\\set n random(1, %d)\n", invoices), detail),
			vars: scope,
		},
		{
			name: "GET /billing/invoices?status=ISSUED&limit=50",
			lua:  `return wrk.format("GET", "/billing/invoices?status=ISSUED&limit=50")`,
			sql:  readScript("", page),
			vars: with(map[string]string{"status": "ISSUED", "after_created_at": "9999-12-31T23:59:59Z",
				"after_id": "ffffffff-ffff-ffff-ffff-ffffffffffff", "max_rows": "51"}),
		},
		{
			name: "GET /billing/dashboard",
			lua:  `return wrk.format("GET", "/billing/dashboard")`,
			sql:  readScript("", dashboard),
			vars: with(map[string]string{"today": today}),
		},
		{
			name: "GET /billing/customers?search=…",
			lua:  fmt.Sprintf(`return wrk.format("GET", string.format("/billing/customers?search=%%d&limit=50", 800000000 + math.random(1, %d)))`, customers),
			sql:  readScript(fmt.Sprintf("\\set n random(800000001, %d)\n", 800000000+customers), search),
			vars: with(map[string]string{"after_id": "00000000-0000-0000-0000-000000000000", "max_rows": "51", "nit_none": "none"}),
		},
		{
			name: "GET /billing/receivables",
			lua:  `return wrk.format("GET", "/billing/receivables")`,
			sql:  readScript("", receivables),
			vars: with(map[string]string{"today": today, "after_id": "00000000-0000-0000-0000-000000000000", "max_rows": "101"}),
		},
	}, nil
}

// floorOperations are the last two rows, the floors under every other: the
// whole HTTP stack with nothing behind it (/healthz: Go's server, Echo, the
// middleware, the contract's check, the access log), and that stack with
// one round trip to PostgreSQL (/readyz: a ping). What a row's CPU has
// above /readyz's is its own work.
func floorOperations() []operation {
	return []operation{
		{name: "GET /healthz (the HTTP stack, no database)", lua: `return wrk.format("GET", "/healthz")`},
		{name: "GET /readyz (the HTTP stack and one database round trip)", lua: `return wrk.format("GET", "/readyz")`},
	}
}

type result struct {
	name          string
	ok, errors    int
	rps           float64
	p50, p99      time.Duration
	cpuPerReq     time.Duration
	loadCPU       time.Duration // wrk's CPU for the whole run
	loadCPUPerReq time.Duration
	pgbenchTPS    float64
	rss           int64
}

// wrkScript is the Lua script wrk runs for op: each connection sends the
// bench's token, request() makes op's requests, and done() prints one line
// drive parses. nonce keeps the invoice numbers of every run unique. With
// diagnose, each thread also keeps its first refused response (reading
// every response costs wrk time, so only warm-ups diagnose).
func wrkScript(op operation, token, nonce, idsFile string, diagnose bool) string {
	check := ""
	if diagnose {
		check = `function response(status, headers, body)
  if status >= 400 and failure == nil then failure = status .. " " .. string.sub(body, 1, 300) end
end`
	}
	return fmt.Sprintf(`-- written by cmd/bench for %[1]q
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  math.randomseed(id * 7919 + os.time())
  wrk.headers["Authorization"] = "Bearer %[2]s"
  -- wrk.format replaces wrk.headers with a table it is given
  json_headers = {["Authorization"] = "Bearer %[2]s", ["Content-Type"] = "application/json"}
end
nonce = %[3]q
counter = 0
%[6]s
function request()
  %[4]s
end
%[5]s
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
  for _, t in ipairs(threads) do
    local f = t:get("failure")
    if f then io.write("FAILURE " .. f .. "\n") end
  end
end
`, op.name, token, nonce, op.lua, check, pickFunction(op, idsFile))
}

// wrkThreads is wrk's -t.
const wrkThreads = 2

// pickFunction is the Lua that reads op's ids from idsFile (one a line: a
// table literal of them would pass LuaJIT's 65 536 constants of one
// function on a long run) and its pick(): a random one, or, for an
// operation that consumes them, thread t's n-th pick the id at
// (n-1)·threads + t, so that no two requests take the same one (past the
// end, the last again, which the service refuses: a run that outgrew its
// ids shows as errors).
func pickFunction(op operation, idsFile string) string {
	if op.ids == nil {
		return ""
	}
	load := fmt.Sprintf("ids = {}\nfor line in io.lines(%q) do ids[#ids + 1] = line end\n", idsFile)
	if op.consume == nil {
		return load + "function pick() return ids[math.random(#ids)] end\n"
	}
	return load + fmt.Sprintf("taken = 0\nfunction pick()\n  taken = taken + 1\n  return ids[(taken - 1) * %d + id] or ids[#ids]\nend\n", wrkThreads)
}

var wrkResult = regexp.MustCompile(`RESULT (\d+) (\d+) (\d+) (\d+) ([0-9.]+) ([0-9.]+)`)

// drive runs op with wrk (2 threads, `clients` connections) for d over
// loopback. wrk counts a status of 400 or more as an error.
func drive(s *service, token string, op operation, clients int, d time.Duration, dir string, diagnose bool) (result, error) {
	nonce := strconv.FormatInt(time.Now().UnixNano()%1e13, 36)
	script := filepath.Join(dir, slug(op.name)+".lua")
	ids := script + ".ids"
	if op.ids != nil {
		if err := os.WriteFile(ids, []byte(strings.Join(op.ids, "\n")+"\n"), 0o644); err != nil {
			return result{}, err
		}
	}
	if err := os.WriteFile(script, []byte(wrkScript(op, token, nonce, ids, diagnose)), 0o644); err != nil {
		return result{}, err
	}
	cmd := exec.Command("wrk", "-t", strconv.Itoa(wrkThreads), "-c", strconv.Itoa(clients), "-d", fmt.Sprintf("%ds", int(d.Seconds())),
		"--timeout", "30s", "-s", script, s.base)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	m := wrkResult.FindSubmatch(out)
	if m == nil {
		return result{}, fmt.Errorf("no result from wrk: %s", out)
	}
	num := func(i int) float64 { f, _ := strconv.ParseFloat(string(m[i]), 64); return f }
	requests, duration, socketErrors, statusErrors := num(1), num(2), num(3), num(4)
	r := result{name: op.name, ok: int(requests - statusErrors), errors: int(socketErrors + statusErrors)}
	r.rps = float64(r.ok) / (duration / 1e6)
	r.p50, r.p99 = time.Duration(num(5))*time.Microsecond, time.Duration(num(6))*time.Microsecond
	r.loadCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if r.errors > 0 {
		logf("%s: %d errors (%d socket, %d status ≥ 400)", op.name, r.errors, int(socketErrors), int(statusErrors))
	}
	if i := bytes.Index(out, []byte("FAILURE ")); i >= 0 {
		line, _, _ := bytes.Cut(out[i:], []byte("\n"))
		logf("%s: first refusal: %s", op.name, line)
	}
	return r, nil
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// settle writes PostgreSQL's dirty pages out (CHECKPOINT) before a
// measurement, so that no run pays for the checkpoint of the writes before it
// (the seed's invoices, or the previous run's creates). It needs a
// superuser; with a BENCH_DATABASE_URL that is not one, runs go unsettled.
func settle(ctx context.Context, dsn string) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
		settleOnce.Do(func() { logf("runs are not settled by a CHECKPOINT: %v", err) })
	}
}

var settleOnce sync.Once

// pgbench runs op's SQL at the same concurrency and returns transactions/s.
func pgbench(dsn, dir string, op operation, clients int, d time.Duration) (float64, error) {
	settle(context.Background(), dsn)
	bin, err := pglocal.BinDir()
	if err != nil {
		return 0, err
	}
	script := filepath.Join(dir, slug(op.name)+".sql")
	if err := os.WriteFile(script, []byte(op.sql), 0o644); err != nil {
		return 0, err
	}
	args := []string{"-n", "-M", "prepared", "-c", strconv.Itoa(clients), "-j", "2", "-T", strconv.Itoa(int(d.Seconds())), "-f", script}
	for _, k := range slices.Sorted(maps.Keys(op.vars)) {
		args = append(args, "-D", k+"="+op.vars[k])
	}
	cmd := exec.Command(filepath.Join(bin, "pgbench"), append(args, dsn)...)
	// As the service's own role, so row-level security costs pgbench what
	// it costs the service.
	cmd.Env = append(os.Environ(), "PGOPTIONS=-c role="+store.AppRole)
	outb, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%v: %s", err, outb)
	}
	m := tpsLine.FindSubmatch(outb)
	if m == nil {
		return 0, fmt.Errorf("no tps in pgbench output: %s", outb)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// dashboardCosts times the live aggregate against the maintained read,
// each the store's own read (LiveFigures, Figures) of the bench tenant, as
// the service's role through its one-round-trip read: best of five.
func dashboardCosts(ctx context.Context, dsn string) (live, maintained time.Duration, held int, err error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return 0, 0, 0, err
	}
	defer st.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, 0, 0, err
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM invoices WHERE tenant_id = $1", tenantID).Scan(&held); err != nil {
		return 0, 0, 0, err
	}
	timeIt := func(read func(context.Context, uuid.UUID) (billing.Figures, error)) (time.Duration, error) {
		var best time.Duration
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			if _, err := read(ctx, tenantID); err != nil {
				return 0, err
			}
			if took := time.Since(t0); best == 0 || took < best {
				best = took
			}
		}
		return best, nil
	}
	if live, err = timeIt(st.LiveFigures); err != nil {
		return 0, 0, 0, err
	}
	maintained, err = timeIt(st.Figures)
	return live, maintained, held, err
}

// receivablesCosts describes what the receivables report reads and times
// the overdue balance both ways: summed from the open invoices (the
// live reference) and from tenant_receivables through the dashboard's
// statement. The plan is EXPLAIN's as the service's role inside the
// tenant scope, so row-level security is in it as in the service.
func receivablesCosts(ctx context.Context, dsn string, q queries) (string, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer st.Close()
	today := billing.DateOf(time.Now())
	best := func(f func() error) (time.Duration, error) {
		var b time.Duration
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			if err := f(); err != nil {
				return 0, err
			}
			if took := time.Since(t0); b == 0 || took < b {
				b = took
			}
		}
		return b, nil
	}
	// The first page, and every page in turn (the whole report, as a
	// client walks it): the pages' customers must add up to the totals.
	first := billing.ReceivablesPage{AfterID: uuid.Nil, Limit: 101}
	tPage, err := best(func() error { _, _, err := st.Receivables(ctx, tenantID, today, first); return err })
	if err != nil {
		return "", err
	}
	customers, pages, sum := 0, 0, billing.ZeroBuckets()
	var totals billing.AgingBuckets
	t0 := time.Now()
	for p := first; ; pages++ {
		rows, t, err := st.Receivables(ctx, tenantID, today, p)
		if err != nil {
			return "", err
		}
		totals = t
		if len(rows) > 100 {
			rows = rows[:100]
		}
		for _, r := range rows {
			sum = sum.Add(r.AgingBuckets)
		}
		customers += len(rows)
		if len(rows) < 100 {
			pages++
			break
		}
		p.AfterRazonSocial, p.AfterID = rows[99].RazonSocial, rows[99].CustomerID
	}
	tWalk := time.Since(t0)
	if sum.Total.Cmp(totals.Total) != 0 || sum.Mas90.Cmp(totals.Mas90) != 0 || sum.NoVencido.Cmp(totals.NoVencido) != 0 {
		return "", fmt.Errorf("the pages' customers add up to %+v, the totals say %+v", sum, totals)
	}
	var live, kept money.Decimal
	tLive, err := best(func() (err error) { live, err = st.LiveOverdue(ctx, tenantID, today); return err })
	if err != nil {
		return "", err
	}
	tKept, err := best(func() error {
		d, err := st.Dashboard(ctx, tenantID, today)
		kept = d.CarteraVencida
		return err
	})
	if err != nil {
		return "", err
	}
	if live.Cmp(kept) != 0 {
		return "", fmt.Errorf("the dashboard's carteraVencida %s differs from the ledger's %s", kept, live)
	}

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var open, slots int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM invoices WHERE tenant_id = $1 AND status = 'ISSUED' AND saldo <> 0),
		(SELECT count(*) FROM tenant_receivables WHERE tenant_id = $1)`, tenantID).Scan(&open, &slots); err != nil {
		return "", err
	}
	stmt, err := statement(q, "GetReceivablesPage", map[string]string{"tenant_id": "'" + tenantID.String() + "'", "today": "'" + today.String() + "'",
		"after_razon_social": "''", "after_id": "'" + uuid.Nil.String() + "'", "max_rows": "101"})
	if err != nil {
		return "", err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SET LOCAL ROLE "+store.AppRole); err != nil {
		return "", err
	}
	if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tenantID.String()); err != nil {
		return "", err
	}
	rows, err := tx.Query(ctx, "EXPLAIN "+stmt)
	if err != nil {
		return "", err
	}
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	scan := "no scan of invoices_open_idx (see EXPLAIN)"
	for _, l := range plan {
		if strings.Contains(l, "invoices_open_idx") {
			scan, _, _ = strings.Cut(strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "->")), "  (cost")
			break
		}
	}
	return fmt.Sprintf("Receivables at that size: %d open invoices of %d customers, %s owed. A page of 100 customers read in %s "+
		"(best of 5, one statement: %s); the whole report, %d pages walked in turn, %s, its customers adding up to the totals. "+
		"The dashboard's carteraVencida (%s) read %s from %d due-date rows of tenant_receivables, summed live from the open invoices %s.",
		open, customers, totals.Total, tPage.Round(10*time.Microsecond), scan, pages, tWalk.Round(time.Millisecond),
		kept, tKept.Round(10*time.Microsecond), slots, tLive.Round(10*time.Microsecond)), nil
}

func render(rows []result, clients int, d time.Duration, invoices, customers int, hist issued, seeded time.Duration, pooler bool, held int, live, maintained time.Duration) string {
	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "# Benchmark results\n\n")
	via := ""
	if pooler {
		via = " The service reaches PostgreSQL through PgBouncer in transaction mode (BILLING_PG_POOLER=transaction); pgbench directly."
	}
	fmt.Fprintf(&b, "`make bench` on %s (%d CPUs), %s, %d clients, %s per operation, one tenant with %d invoices of 3 lines and %d customers, "+
		"and %s through the service's use cases, seeded in %s. Service and pgbench share the machine with PostgreSQL and the load generator.%s\n\n",
		host, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), clients, d, invoices, customers, hist, seeded.Round(time.Second), via)
	fmt.Fprintf(&b, "| operation | service req/s | pgbench tps | ratio | p50 | p99 | CPU µs/req | load generator CPU µs/req | peak RSS | errors |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		tps, ratio := "—", "—"
		if r.pgbenchTPS > 0 {
			tps, ratio = fmt.Sprintf("%.0f", r.pgbenchTPS), fmt.Sprintf("%.2f", r.rps/r.pgbenchTPS)
		}
		fmt.Fprintf(&b, "| `%s` | %.0f | %s | %s | %s | %s | %d | %d | %d MB | %d |\n",
			r.name, r.rps, tps, ratio, r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond),
			r.cpuPerReq.Microseconds(), r.loadCPUPerReq.Microseconds(), r.rss>>20, r.errors)
	}
	fmt.Fprintf(&b, "\nDashboard at %d invoices (the seed's, the electronic ones and the rows' writes): live aggregate %s per query, maintained figures %s per query (%.0f× faster).\n",
		held, live.Round(10*time.Microsecond), maintained.Round(10*time.Microsecond), float64(live)/float64(max(maintained, 1)))
	return b.String()
}
