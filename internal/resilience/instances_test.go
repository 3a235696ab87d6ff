package resilience_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"billing/gen/api"
	"billing/internal/billing"
	"billing/internal/dian"
	"billing/internal/money"
	"billing/internal/testdb"
)

// TestTwoInstancesOneDatabase: two `billing serve` processes on one
// database, as behind a load balancer (and, under make pooler, both behind
// PgBouncer in transaction mode), each with its outbox workers. The races
// of the ledger are run across them, every request of a race alternating
// between the two, and every guarantee holds as in one process: one draft
// per numero, consecutive numbers from one range, payments and credit
// notes that never exceed what is owed, an idempotent replay answered by
// the other instance, one invoice per POS order and per sale id; and no
// job's effect is delivered twice (DIAN gets each document once, the
// webhook each event once, the customer each mail once).
func TestTwoInstancesOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	const n = 50
	rg := newDeliveryRig(t, testdb.DSN(t), n)
	// The second instance's workers have a pool of their own on a direct
	// URL (BILLING_JOBS_DATABASE_URL): behind PgBouncer, one instance's
	// workers poll and the other's listen.
	pair := instances{rg.s, startService(t, rg.dsn, freeAddr(t), append(rg.env[:len(rg.env):len(rg.env)], "BILLING_JOBS_DATABASE_URL="+rg.dsn)...)}

	// 50 issues on one numbering range, all at once over both: 50
	// consecutive numbers, the range's first 50.
	issued := pair.race(n, func(i int, s *service) (int, []byte, error) { return rg.issue(s, rg.drafts[i]) })
	if got := issued.count(http.StatusOK); got != n {
		t.Fatalf("%d of %d issues answered 200: %v", got, n, issued.statuses())
	}
	r := dian.TestRange()
	numbers := make([]int64, 0, n)
	for _, id := range rg.drafts {
		inv := getJSON[api.InvoiceDetail](t, pair[1], rg.token, "/billing/invoices/"+id)
		numero := ""
		if inv.Numero != nil {
			numero = *inv.Numero
		}
		v, err := strconv.ParseInt(strings.TrimPrefix(numero, r.Prefijo), 10, 64)
		if err != nil || !strings.HasPrefix(numero, r.Prefijo) {
			t.Fatalf("invoice %s numbered %q", id, numero)
		}
		numbers = append(numbers, v)
	}
	sort.Slice(numbers, func(i, j int) bool { return numbers[i] < numbers[j] })
	for i, v := range numbers {
		if v != r.Desde+int64(i) {
			t.Fatalf("numbers %v: want %d to %d without a gap", numbers, r.Desde, r.Desde+n-1)
		}
	}

	// Racing payments of 100 000 on an invoice of 350 000: three are taken.
	paid := rg.drafts[0]
	payments := pair.race(8, func(_ int, s *service) (int, []byte, error) {
		return s.call(http.MethodPost, "/billing/invoices/"+paid+"/payments", rg.token,
			api.CreatePayment{Valor: money.Must("100000"), Fecha: openapi_types.Date{Time: billing.DateOf(time.Now()).Time()}})
	})
	payments.want(t, "payments", map[int]int{http.StatusCreated: 3, http.StatusConflict: 5}, "payment_exceeds_balance")
	if inv := getJSON[api.InvoiceDetail](t, pair[0], rg.token, "/billing/invoices/"+paid); inv.Pagado.String() != "300000.00" {
		t.Fatalf("paid %s after the race, want 300000.00", inv.Pagado)
	}

	// Racing credit notes of 100 000 on another: three are taken; and
	// racing annulments of a third: one.
	getID(t, pair[0], rg.token, "/billing/numbering-resolutions",
		api.CreateNumberingResolution{TipoDocumento: api.DocumentKindNOTACREDITO, Prefijo: "NC", Desde: 1, Hasta: 1000})
	credited := rg.drafts[1]
	item := getJSON[api.InvoiceDetail](t, pair[0], rg.token, "/billing/invoices/"+credited).Items[0].ID
	notes := pair.race(8, func(_ int, s *service) (int, []byte, error) {
		return s.call(http.MethodPost, "/billing/invoices/"+credited+"/credit-notes", rg.token, api.CreateCreditNote{Concepto: 3,
			Motivo: "Beca parcial", Lineas: &[]api.CreditNoteLineInput{{ItemID: item, Valor: ptr(money.Must("100000"))}}})
	})
	notes.want(t, "credit notes", map[int]int{http.StatusCreated: 3, http.StatusConflict: 5}, "")
	if inv := getJSON[api.InvoiceDetail](t, pair[1], rg.token, "/billing/invoices/"+credited); inv.Acreditado.String() != "300000.00" {
		t.Fatalf("credited %s after the race, want 300000.00", inv.Acreditado)
	}
	annulled := rg.drafts[2]
	annulments := pair.race(6, func(_ int, s *service) (int, []byte, error) {
		return s.call(http.MethodPost, "/billing/invoices/"+annulled+"/credit-notes", rg.token, api.CreateCreditNote{Concepto: 2, Motivo: "Anulación"})
	})
	annulments.want(t, "annulments", map[int]int{http.StatusCreated: 1, http.StatusConflict: 5}, "")

	// The documents, events and mails of the 50 issues (and the notes'
	// documents) each arrive once, though both instances work the outbox;
	// the annulled invoice is left out of the mail (its mailing is cancelled
	// when the annulment comes before DIAN's acceptance).
	rg.waitAccepted(rg.drafts, 2*time.Minute, "2m after the issues")
	mailed := append(rg.drafts[:2:2], rg.drafts[3:]...)
	if _, again := rg.waitMailed(mailed, time.Minute); again != 0 {
		t.Fatalf("%d invoices mailed twice by two instances' workers", again)
	}
	if _, again := rg.waitAnnounced(rg.drafts, time.Minute); again != 0 {
		t.Fatalf("%d events delivered twice by two instances' workers", again)
	}
	rg.waitDrained(time.Minute)
	// Once every job has finished, a late second delivery would be in too.
	if _, again := rg.waitMailed(mailed, time.Second); again != 0 {
		t.Fatalf("%d invoices mailed twice once the outbox drained", again)
	}
	if _, again := rg.waitAnnounced(rg.drafts, time.Second); again != 0 {
		t.Fatalf("%d events delivered twice once the outbox drained", again)
	}
	logWorkers(t, rg.dsn)
	if sent, want := rg.fake.Received(dian.OpSendBillSync), n+3+1; sent != want {
		t.Fatalf("DIAN's double received %d documents, want %d (50 invoices, 4 credit notes): some job ran twice", sent, want)
	}

	plainTenantRaces(t, pair)
}

// plainTenantRaces runs the races of a tenant without a fiscal profile
// across pair: the same numero, an idempotent create replayed on the other
// instance, and point-of-sale invoices of one order and of one sale id.
func plainTenantRaces(t *testing.T, pair instances) {
	token, customer := seedTenant(t, pair[1])

	// Eight creates of one numero: one draft.
	dup := pair.race(8, func(_ int, s *service) (int, []byte, error) {
		return s.call(http.MethodPost, "/billing/invoices", token, api.CreateInvoice{CustomerID: uuid.MustParse(customer), Numero: ptr("FV-DOS"),
			Items: []api.InvoiceItemInput{{Descripcion: ptr("Pensión"), Cantidad: money.Must("1"), ValorUnitario: ptr(money.Must("350000")), Tratamiento: ptr(api.TratamientoEXCLUIDO)}}})
	})
	dup.want(t, "creates of one numero", map[int]int{http.StatusCreated: 1, http.StatusBadRequest: 7}, "invoice_numero_taken")

	// An idempotent create answered by one instance is replayed by the
	// other, byte for byte; racing it on both still makes one product.
	product := api.CreateProduct{Nombre: "Empanada", Precio: money.Must("3500"), ControlInventario: ptr(false)}
	status, first, err := pair[0].callHeaders(http.MethodPost, "/billing/products", token, product, "Idempotency-Key", "empanada")
	if err != nil || status != http.StatusCreated {
		t.Fatalf("an idempotent create: %d %s %v", status, first, err)
	}
	status, replay, err := pair[1].callHeaders(http.MethodPost, "/billing/products", token, product, "Idempotency-Key", "empanada")
	if err != nil || status != http.StatusCreated || string(replay) != string(first) {
		t.Fatalf("its replay on the other instance: %d %s %v; first %s", status, replay, err, first)
	}
	keyed := pair.race(8, func(_ int, s *service) (int, []byte, error) {
		return s.callHeaders(http.MethodPost, "/billing/products", token, api.CreateProduct{Nombre: "Arepa", Precio: money.Must("4000")}, "Idempotency-Key", "arepa")
	})
	if keyed.count(http.StatusCreated)+keyed.count(http.StatusConflict) != 8 || keyed.count(http.StatusCreated) == 0 {
		t.Fatalf("racing one key: %v", keyed.statuses())
	}
	ids := map[string]bool{}
	for _, r := range keyed {
		if r.status == http.StatusCreated {
			var p api.Product
			_ = json.Unmarshal(r.body, &p)
			ids[p.ID.String()] = true
		}
	}
	if products := getJSON[[]api.Product](t, pair[0], token, "/billing/products?search=Arepa"); len(ids) != 1 || len(products) != 1 {
		t.Fatalf("racing one key made products %v, the catalogue lists %d", ids, len(products))
	}
	var empanada api.Product
	_ = json.Unmarshal(first, &empanada)

	// Point of sale: a cash payment method (seedTenant's tenant has none),
	// the caller's register open, an order per race.
	getID(t, pair[1], token, "/billing/payment-methods", api.CreatePaymentMethod{Nombre: "Efectivo", Codigo: api.MedioPagoN10})
	register := getID(t, pair[0], token, "/billing/cash-registers", api.CreateCashRegister{Nombre: "Caja cafetería"})
	if status, body, err := pair[1].call(http.MethodPost, "/billing/cash-registers/"+register+"/open", token, api.OpenCashRegister{Base: money.Must("50000")}); err != nil || status != http.StatusCreated {
		t.Fatalf("opening the register: %d %s %v", status, body, err)
	}
	order := func() uuid.UUID {
		return uuid.MustParse(getID(t, pair[0], token, "/billing/orders", api.CreateOrder{Lineas: []api.CreateOrderLine{{ProductServiceID: empanada.ID, Cantidad: money.Must("2")}}}))
	}
	sale := func(id, o uuid.UUID) api.CreatePosInvoice {
		return api.CreatePosInvoice{UnderscoreID: id, Total: money.Must("8330"), IsPaid: ptr(true),
			OrderProducts: []struct {
				Order uuid.UUID `json:"order"`
			}{{Order: o}}}
	}
	// Eight sales of one order under eight ids: one invoice.
	one := order()
	sales := pair.race(8, func(_ int, s *service) (int, []byte, error) {
		return s.call(http.MethodPost, "/invoices", token, sale(uuid.New(), one))
	})
	sales.want(t, "sales of one order", map[int]int{http.StatusCreated: 1, http.StatusConflict: 7}, "order_already_invoiced")
	// Six requests of one sale id: one 201, the replays 200 with the same invoice.
	three, id := order(), uuid.New()
	replays := pair.race(6, func(_ int, s *service) (int, []byte, error) {
		return s.call(http.MethodPost, "/invoices", token, sale(id, three))
	})
	replays.want(t, "requests of one sale", map[int]int{http.StatusCreated: 1, http.StatusOK: 5}, "")
	for _, r := range replays {
		var inv api.InvoiceDetail
		if err := json.Unmarshal(r.body, &inv); err != nil || inv.ID != id {
			t.Fatalf("a request of sale %s answered %s", id, r.body)
		}
	}
	session := getJSON[[]api.CashSession](t, pair[1], token, "/billing/cash-registers/"+register+"/sessions")
	if len(session) != 1 || len(session[0].Ventas) != 1 || session[0].Ventas[0].Valor.String() != "16660.00" {
		t.Fatalf("the session after the races (2 sales of 8330 expected): %+v", session)
	}
}

// logWorkers logs how many of the outbox's jobs each River client took
// (both instances may, or one may take most: behind PgBouncer one polls and
// the other listens).
func logWorkers(t *testing.T, dsn string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var split string
	err = conn.QueryRow(ctx, `SELECT coalesce(string_agg(n || ' by ' || client, ', ' ORDER BY client), 'none')
		FROM (SELECT attempted_by[array_length(attempted_by, 1)] AS client, count(*) AS n FROM river_job
		      WHERE attempted_by IS NOT NULL GROUP BY 1) c`).Scan(&split)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("outbox jobs by River client: %s", split)
}

// instances are services on one database.
type instances [2]*service

// answer is one response of a race.
type answer struct {
	status int
	body   []byte
}

// answers are a race's responses, in request order.
type answers []answer

// race runs do n times at once, request i on instance i mod 2, and
// returns the answers in request order.
func (p instances) race(n int, do func(i int, s *service) (int, []byte, error)) answers {
	out := make(answers, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, body, err := do(i, p[i%2])
			if err != nil {
				body = []byte(err.Error())
			}
			out[i] = answer{status, body}
		}()
	}
	close(start)
	wg.Wait()
	return out
}

func (a answers) count(status int) int {
	n := 0
	for _, r := range a {
		if r.status == status {
			n++
		}
	}
	return n
}

func (a answers) statuses() string {
	var b strings.Builder
	for _, r := range a {
		fmt.Fprintf(&b, "%d %.300s\n", r.status, r.body)
	}
	return b.String()
}

// want fails the test unless the answers count exactly want by status,
// and every 4xx carries code (when not empty).
func (a answers) want(t *testing.T, what string, want map[int]int, code string) {
	t.Helper()
	for status, n := range want {
		if a.count(status) != n {
			t.Fatalf("%s: want %v by status, got:\n%s", what, want, a.statuses())
		}
	}
	for _, r := range a {
		if r.status < 400 || code == "" {
			continue
		}
		var p struct {
			Code string `json:"code"`
		}
		if json.Unmarshal(r.body, &p) != nil || p.Code != code {
			t.Fatalf("%s: a loser answered %d %s, want code %s", what, r.status, r.body, code)
		}
	}
}

// getJSON reads path from s and decodes it, failing on anything but 200.
func getJSON[T any](t *testing.T, s *service, token, path string) T {
	t.Helper()
	var v T
	status, body, err := s.call(http.MethodGet, path, token, nil)
	if err != nil || status != http.StatusOK || json.Unmarshal(body, &v) != nil {
		t.Fatalf("GET %s: %d %s %v", path, status, body, err)
	}
	return v
}

// getID posts body to path on s, wants 201 and returns the new id.
func getID(t *testing.T, s *service, token, path string, body any) string {
	t.Helper()
	status, b, err := s.call(http.MethodPost, path, token, body)
	var v struct {
		ID string `json:"id"`
	}
	if err != nil || status != http.StatusCreated || json.Unmarshal(b, &v) != nil || v.ID == "" {
		t.Fatalf("POST %s: %d %s %v", path, status, b, err)
	}
	return v.ID
}

func ptr[T any](v T) *T { return &v }
