package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"billing/internal/billing"
	"billing/internal/dian"
	"billing/internal/fault"
	"billing/internal/ledger"
	"billing/internal/money"
	"billing/internal/secret"
	"billing/internal/store"
)

// The electronic part of the ledger is made through the use cases (the
// ledger package, in this process, before the service is driven), not
// with SQL: an invoice issued under a resolution carries its number, CUFE
// and frozen UBL document, which only the service's own code computes.
// The seed's million invoices stay the history from before electronic
// invoicing (client-chosen numbers, no document); these come on top.

// benchProfile is the bench tenant's fiscal profile: a school in DIAN's
// test environment. It has no certificate, and the bench's service runs no
// outbox workers: the signing and sending jobs the issues queue wait.
var benchProfile = billing.FiscalProfile{
	Nit: "901458652-7", RazonSocial: "Bench Academy S.A.S.", TipoPersona: billing.PersonaJuridica,
	Responsabilidades: []string{"R-99-PN"}, Tributo: "ZZ", Direccion: "Calle 80 # 15-42", Municipio: "11001",
	Ciudad: "Bogotá D.C.", Departamento: "Bogotá", Email: "facturacion@bench.edu.co",
	Ambiente: billing.AmbientePruebas, SoftwareID: "6d1f4b2a-3c5e-4f70-9a8b-2e4d6c8f0a1b", SoftwarePIN: "12345",
}

// secretKey is the bench service's BILLING_SECRET_KEY (the fiscal
// profile's software PIN is kept sealed; the CUFE's security code needs it).
const secretKey = "YmVuY2gtc2VjcmV0LWtleS1iZW5jaC1zZWNyZXQta2U="

// benchSubject is the bench token's subject: the cashier whose session the
// POS sales use.
const benchSubject = "bench"

// electronic is the bench tenant as an electronic invoicer: its use cases
// as the bench's admin, the cafeteria product its POS orders take and the
// customers its drafts are for.
type electronic struct {
	st        *store.Store
	l         *ledger.Ledger
	a         ledger.Actor
	customers int
	almuerzo  uuid.UUID
}

// setUpElectronic gives the bench tenant a fiscal profile, DIAN's test
// FACTURA range and a credit note range, a cash payment method, a
// cafeteria product (15 000, excluded) and an open cash register of the
// bench's subject; the ranges and the session a reused database already
// has are kept.
func setUpElectronic(ctx context.Context, dsn string, customers int) (*electronic, error) {
	box, err := secret.NewBox(secretKey)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, dsn, store.WithSecrets(box))
	if err != nil {
		return nil, err
	}
	e := &electronic{st: st, l: ledger.New(st), a: ledger.Actor{Tenant: tenantID, Subject: benchSubject, Admin: true}, customers: customers}
	if err := e.setUp(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return e, nil
}

func (e *electronic) close() { e.st.Close() }

func (e *electronic) setUp(ctx context.Context) error {
	// A reused database (BENCH_DATABASE_URL) already has the ranges and
	// the cashier's open session; its fiscal profile was removed for the
	// create row (see seed).
	if _, err := e.l.PutFiscalProfile(ctx, e.a, benchProfile); err != nil {
		return fmt.Errorf("writing the fiscal profile: %w", err)
	}
	ranges, err := e.l.Resolutions(ctx, e.a)
	if err != nil {
		return fmt.Errorf("reading the numbering ranges: %w", err)
	}
	for _, r := range []billing.NumberingResolution{dian.TestRange(),
		{TipoDocumento: billing.KindNotaCredito, Prefijo: "NC", Desde: 1, Hasta: 99999999}} {
		if slices.ContainsFunc(ranges, func(have billing.NumberingResolution) bool {
			return have.TipoDocumento == r.TipoDocumento && have.Activa
		}) {
			continue
		}
		if _, err := e.l.CreateResolution(ctx, e.a, r); err != nil {
			return fmt.Errorf("recording the %s range: %w", r.TipoDocumento, err)
		}
	}
	// The seed's SQL tenant has no payment methods; a cash sale needs one.
	methods, err := e.l.PaymentMethods(ctx, e.a)
	if err != nil {
		return fmt.Errorf("reading the payment methods: %w", err)
	}
	if !slices.ContainsFunc(methods, func(m billing.PaymentMethod) bool { return m.Codigo == "10" && m.Activo }) {
		if _, err := e.l.CreatePaymentMethod(ctx, e.a, ledger.NewPaymentMethod{Nombre: "Efectivo", Codigo: "10"}, nil); err != nil {
			return fmt.Errorf("creating the cash payment method: %w", err)
		}
	}
	p, err := e.l.CreateProduct(ctx, e.a, ledger.NewProduct{Nombre: "Almuerzo del día " + uuid.NewString()[:8],
		Precio: money.New(15000, 0), Impuesto: ptr(money.New(0, 0)), Tratamiento: ptr(billing.Excluido)}, nil)
	if err != nil {
		return fmt.Errorf("creating the cafeteria product: %w", err)
	}
	e.almuerzo = p.ID
	caja, err := e.l.CreateCashRegister(ctx, e.a, "Caja bench "+uuid.NewString()[:8], nil)
	if err != nil {
		return fmt.Errorf("creating the cash register: %w", err)
	}
	if _, err := e.l.OpenCashRegister(ctx, e.a, caja.ID, money.New(100000, 0)); err != nil && !errors.Is(err, fault.ErrCashierSessionOpen) {
		return fmt.Errorf("opening the cash register: %w", err)
	}
	return nil
}

// customerID is the id of seeded customer n, moved off the inactive ones
// (every 10th) as the create row's requests are.
func customerID(n int) uuid.UUID {
	if n%10 == 0 {
		n--
	}
	return uuid.MustParse(fmt.Sprintf(luaID("c"), n))
}

// lines are the create row's three lines.
func lines() []ledger.DraftLine {
	d, n, v := "Material didáctico", money.New(3, 0), money.New(45000, 0)
	l := ledger.DraftLine{Descripcion: &d, Cantidad: n, ValorUnitario: &v}
	return []ledger.DraftLine{l, l, l}
}

// drafts makes n drafts without a number (an electronic invoicer's, to be
// issued under the range) on 30 days' credit, so that issued they stay
// open; i picks the customer.
func (e *electronic) drafts(ctx context.Context, n int) ([]string, error) {
	credito, dias := billing.Credito, 30
	return parallel(ctx, n, func(ctx context.Context, i int) (string, error) {
		inv, err := e.l.CreateInvoice(ctx, e.a, ledger.Draft{CustomerID: customerID(1 + (i*7919)%e.customers), Lines: lines(),
			FormaPago: &credito, DiasCredito: &dias}, nil)
		return inv.ID.String(), err
	})
}

// orders takes n orders of one lunch each, for POS sales.
func (e *electronic) orders(ctx context.Context, n int) ([]string, error) {
	return parallel(ctx, n, func(ctx context.Context, _ int) (string, error) {
		o, err := e.l.CreateOrder(ctx, e.a, nil, []ledger.NewOrderLine{{ProductID: e.almuerzo, Cantidad: money.New(1, 0)}}, nil)
		return o.ID.String(), err
	})
}

// historyInvoices is how many invoices the bench issues under the range
// before it drives anything.
const historyInvoices = 2000

// warmUpRows is how many rows an operation that consumes them gets for its
// warm-up second, and at least for its run.
const warmUpRows = 1500

// issued is what history made.
type issued struct {
	n, paid, credited int
	open              []string // the ids of those still ISSUED and owed
}

func (h issued) String() string {
	return fmt.Sprintf("%d invoices issued under a numbering resolution (%d of them paid in part, %d annulled by a credit note)", h.n, h.paid, h.credited)
}

// history issues n drafts under the range through the use cases, annuls
// every tenth by a credit note and pays a third of the rest in part: the
// electronic invoices the ledger holds before the bench drives anything.
func (e *electronic) history(ctx context.Context, n int) (issued, error) {
	ids, err := e.drafts(ctx, n)
	if err != nil {
		return issued{}, fmt.Errorf("drafting: %w", err)
	}
	today := billing.DateOf(time.Now())
	annulled := func(i int) bool { return i%10 == 0 }
	paid := func(i int) bool { return !annulled(i) && i%3 == 0 }
	_, err = parallel(ctx, n, func(ctx context.Context, i int) (string, error) {
		id := uuid.MustParse(ids[i])
		if _, err := e.l.ChangeInvoiceStatus(ctx, e.a, id, billing.InvoiceIssued); err != nil {
			return "", fmt.Errorf("issuing: %w", err)
		}
		switch {
		case annulled(i):
			_, err = e.l.CreateCreditNote(ctx, e.a, id, ledger.CreditNoteRequest{Concepto: billing.ConceptAnulacion, Motivo: "Matrícula anulada"}, nil)
		case paid(i):
			_, err = e.l.RecordPayment(ctx, e.a, id, billing.NewPayment{Valor: money.New(150000, 0), Fecha: today, MedioPago: "47"}, nil)
		}
		return "", err
	})
	h := issued{n: n}
	for i, id := range ids {
		switch {
		case annulled(i):
			h.credited++
			continue
		case paid(i):
			h.paid++
		}
		h.open = append(h.open, id)
	}
	return h, err
}

// electronicOperations are the rows below the first six: the electronic
// invoice's paths, driven through the service like the others. open are
// issued invoices with a balance, which the payments, the XML and the PDF
// pick from at random.
func electronicOperations(e *electronic, open []string) []operation {
	today := billing.DateOf(time.Now()).String()
	get := func(what string) string {
		return `return wrk.format("GET", "/billing/invoices/" .. pick() .. "/` + what + `")`
	}
	return []operation{
		{
			name:    "PATCH /billing/invoices/{id}/status (issue under a resolution)",
			lua:     `return wrk.format("PATCH", "/billing/invoices/" .. pick() .. "/status", json_headers, '{"status":"ISSUED"}')`,
			consume: e.drafts,
		},
		{
			name: "POST /billing/invoices/{id}/payments",
			lua:  `return wrk.format("POST", "/billing/invoices/" .. pick() .. "/payments", json_headers, '{"valor":100,"fecha":"` + today + `","medioPago":"47"}')`,
			ids:  open,
		},
		{
			// A cafeteria lunch paid in cash: one order, issued under the
			// range (the tenant invoices electronically), its payment in the
			// bench's cash session. _id is a fresh UUID per request.
			name: "POST /invoices (POS sale of one order)",
			lua: `local r = math.random
  local sale = string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", r(0, 65535), r(0, 65535), r(0, 65535), r(0, 4095), 32768 + r(0, 16383), r(0, 65535), r(0, 65535), r(0, 65535))
  return wrk.format("POST", "/invoices", json_headers, '{"_id":"' .. sale .. '","orderProducts":[{"order":"' .. pick() .. '"}],"isPaid":true,"total":15000}')`,
			consume: e.orders,
		},
		{name: "GET /billing/invoices/{id}/xml", lua: get("xml"), ids: open},
		{name: "GET /billing/invoices/{id}/pdf", lua: get("pdf"), ids: open},
	}
}

// parallel runs one for 0 … n-1, eight at a time (the ledger's writes are
// round trips: the database works while a worker waits), and returns what
// each made, in order; the first error stops the rest.
func parallel(ctx context.Context, n int, one func(ctx context.Context, i int) (string, error)) ([]string, error) {
	out := make([]string, n)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range n {
		g.Go(func() (err error) {
			out[i], err = one(ctx, i)
			return err
		})
	}
	return out, g.Wait()
}

func ptr[T any](v T) *T { return &v }
