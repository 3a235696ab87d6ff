package server_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/billing"
	"billing/internal/dian"
	"billing/internal/money"
)

// creditNoteSchema is the OASIS UBL 2.1 CreditNote schema.
var creditNoteSchema = filepath.Join("..", "dian", "testdata", "ubl-2.1", "maindoc", "UBL-CreditNote-2.1.xsd")
var attachedSchema = filepath.Join("..", "dian", "testdata", "ubl-2.1", "maindoc", "UBL-AttachedDocument-2.1.xsd")

// noteRange is a NOTA_CREDITO range without validity dates (DIAN
// authorises none for notes).
func noteRange() api.CreateNumberingResolution {
	return api.CreateNumberingResolution{TipoDocumento: api.DocumentKindNOTACREDITO, Prefijo: "NC", Desde: 1, Hasta: 1000}
}

// receivablesLedger is an electronic ledger that can also issue credit notes.
func receivablesLedger(t *testing.T) *ledger {
	t.Helper()
	l := electronicLedger(t)
	wantStatus(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, noteRange()), http.StatusCreated)
	return l
}

// creditDraft is tuition (excluded) and two uniforms at 19 % with a 10 %
// line discount, a tip outside every base and an early-payment discount
// outside every base, on 30 days' credit, paid by transfer.
func (l *ledger) creditDraft(t *testing.T) api.Invoice {
	t.Helper()
	return createInvoice(t, l.e, l.operador, api.CreateInvoice{CustomerID: l.customer.ID,
		FormaPago: ptr(api.FormaPagoCREDITO), DiasCredito: ptr(30), MedioPago: ptr(api.MedioPagoN47),
		Cargos:     &[]api.Adjustment{{Concepto: "Propina", Valor: mustDecimal("8000")}},
		Descuentos: &[]api.Adjustment{{Concepto: "Pronto pago", Valor: mustDecimal("5000")}},
		Items: []api.InvoiceItemInput{
			{ProductServiceID: &l.product.ID, Descripcion: ptr("Pensión noviembre"), Cantidad: mustDecimal("1"), Tratamiento: ptr(api.TratamientoEXCLUIDO)},
			{Descripcion: ptr("Uniforme de diario"), Cantidad: mustDecimal("2"), ValorUnitario: ptr(mustDecimal("60000")), Descuento: ptr(mustDecimal("10"))},
		}})
}

// figuresAgree checks the maintained dashboard figures against the live
// aggregate, and the overdue balance on each of the given Colombian dates.
func (l *ledger) figuresAgree(t *testing.T, step string, on ...billing.Date) billing.Figures {
	t.Helper()
	ctx := context.Background()
	live, err := l.e.store.LiveFigures(ctx, l.tenant)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range append(on, billing.DateOf(time.Now())) {
		kept, err := l.e.store.Dashboard(ctx, l.tenant, d)
		if err != nil {
			t.Fatal(err)
		}
		overdue, err := l.e.store.LiveOverdue(ctx, l.tenant, d)
		if err != nil {
			t.Fatal(err)
		}
		if !kept.Figures.Equal(live) || kept.CarteraVencida.Cmp(overdue) != 0 {
			t.Fatalf("%s, on %s: maintained %+v overdue %s; live %+v overdue %s", step, d, kept.Figures, kept.CarteraVencida, live, overdue)
		}
	}
	return live
}

func (l *ledger) invoice(t *testing.T, id string) api.InvoiceDetail {
	t.Helper()
	return decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, "/billing/invoices/"+id, l.admin, nil))
}

func (l *ledger) pay(id, valor string) response {
	return l.e.do(http.MethodPost, "/billing/invoices/"+id+"/payments", l.operador,
		api.CreatePayment{Valor: mustDecimal(valor), Fecha: openapi_types.Date{Time: billing.DateOf(time.Now()).Time()}, MedioPago: ptr(api.MedioPagoN47)})
}

func (l *ledger) credit(id string, body api.CreateCreditNote) response {
	return l.e.do(http.MethodPost, "/billing/invoices/"+id+"/credit-notes", l.admin, body)
}

// TestReceivablesLifecycle is the issue's "done when": an invoice issued on
// credit with discounts and a charge, paid in two parts, partly credited,
// its balance, aging and the dashboard agreeing at every step; then a
// reversal, and the annulment by a concept-2 note.
func TestReceivablesLifecycle(t *testing.T) {
	t.Parallel()
	l := receivablesLedger(t)
	draft := l.creditDraft(t)
	// 850000 excluded + (120000 − 12000) at 19 % = 20520; − 5000 + 8000.
	uniform := draft.Items[1]
	if amounts(draft) != "958000.00 / 20520.00 / 981520.00" || uniform.ValorBruto.String() != "120000.00" ||
		uniform.ValorDescuento.String() != "12000.00" || uniform.Subtotal.String() != "108000.00" ||
		draft.TotalCargos.String() != "8000.00" || draft.TotalDescuentos.String() != "5000.00" ||
		draft.ImpuestosDetalle[0].Base.String() != "108000.00" || draft.Saldo.String() != "0.00" || draft.EstadoPago != nil {
		t.Fatalf("draft %s, line %+v, breakdown %+v, saldo %s", amounts(draft), uniform, draft.ImpuestosDetalle, draft.Saldo)
	}
	id := draft.ID.String()
	wantProblem(t, l.pay(id, "1000"), http.StatusConflict, "invoice_not_issued")

	issued := decode[api.Invoice](t, l.issue(t, id))
	today := billing.DateOf(time.Now())
	due := today.AddDays(30)
	if issued.FechaVencimiento == nil || issued.FechaVencimiento.String() != due.String() || issued.Saldo.String() != "981520.00" ||
		issued.EstadoPago == nil || *issued.EstadoPago != api.EstadoPagoPENDIENTE {
		t.Fatalf("issued due %v, saldo %s, estado %v", issued.FechaVencimiento, issued.Saldo, issued.EstadoPago)
	}
	x := l.e.do(http.MethodGet, "/billing/invoices/"+id+"/xml", l.admin, nil)
	validateInvoiceXML(t, x.Body)
	for _, want := range []string{"<cbc:DueDate>" + due.String(), "<cbc:ID>2</cbc:ID>", "<cbc:PaymentMeansCode>47",
		"<cbc:ChargeIndicator>true", "<cbc:AllowanceTotalAmount currencyID=\"COP\">5000.00", "<cbc:ChargeTotalAmount currencyID=\"COP\">8000.00",
		"<cbc:PayableAmount currencyID=\"COP\">981520.00"} {
		if !strings.Contains(string(x.Body), want) {
			t.Fatalf("the XML lacks %q", want)
		}
	}
	cufe, fields, err := dian.ParseInvoice(x.Body)
	fields.Key = dianKey
	if err != nil || dian.CUFE(fields) != cufe || cufe != mustGet[string](issued.Cufe) ||
		fields.ValFac.Cmp(issued.Subtotal) != 0 || fields.ValTot.Cmp(issued.Total) != 0 {
		t.Fatalf("CUFE %s does not recompute from ValFac %s, ValTot %s (%v)", cufe, fields.ValFac, fields.ValTot, err)
	}
	l.figuresAgree(t, "issued", due, due.AddDays(1), due.AddDays(45))
	ctx := context.Background()
	ages := func(on billing.Date) billing.AgingBuckets {
		t.Helper()
		rows, total, err := l.e.store.Receivables(ctx, l.tenant, on, billing.ReceivablesPage{Limit: 10})
		if err != nil || len(rows) != 1 || total != rows[0].AgingBuckets {
			t.Fatalf("receivables on %s: %v (totals %v), %v", on, rows, total, err)
		}
		return rows[0].AgingBuckets
	}
	for _, c := range []struct {
		on   billing.Date
		want string // noVencido d1_30 d31_60 d61_90 mas90 total, without trailing zeros
	}{
		{due, "981520 0 0 0 0 981520"},
		{due.AddDays(1), "0 981520 0 0 0 981520"},
		{due.AddDays(30), "0 981520 0 0 0 981520"},
		{due.AddDays(31), "0 0 981520 0 0 981520"},
		{due.AddDays(90), "0 0 0 981520 0 981520"},
		{due.AddDays(91), "0 0 0 0 981520 981520"},
	} {
		b := ages(c.on)
		got := strings.Join([]string{b.NoVencido.Key(), b.D1_30.Key(), b.D31_60.Key(), b.D61_90.Key(), b.Mas90.Key(), b.Total.Key()}, " ")
		if got != c.want {
			t.Fatalf("aging on %s (due %s): %s, want %s", c.on, due, got, c.want)
		}
	}

	// First part.
	first := decode[api.Payment](t, l.pay(id, "500000"))
	if got := l.invoice(t, id); got.Saldo.String() != "481520.00" || got.Pagado.String() != "500000.00" || *got.EstadoPago != api.EstadoPagoPARCIAL {
		t.Fatalf("after the first payment: saldo %s pagado %s estado %v", got.Saldo, got.Pagado, got.EstadoPago)
	}
	wantProblem(t, l.pay(id, "481520.01"), http.StatusConflict, "payment_exceeds_balance")
	// The list filters by payment state and customer; the dashboard shows the balance.
	for _, c := range []struct {
		query string
		want  int
	}{
		{"?estadoPago=PARCIAL", 1}, {"?estadoPago=PENDIENTE", 0}, {"?estadoPago=VENCIDA", 0},
		{"?customerId=" + l.customer.ID.String(), 1}, {"?customerId=" + draft.ID.String(), 0},
		{"?estadoPago=PARCIAL&status=DRAFT", 0},
	} {
		rows := decode[[]api.InvoiceSummary](t, l.e.do(http.MethodGet, "/billing/invoices"+c.query, l.admin, nil))
		if len(rows) != c.want || c.want == 1 && (rows[0].Saldo.String() != "481520.00" || *rows[0].EstadoPago != api.EstadoPagoPARCIAL) {
			t.Fatalf("list%s: %+v", c.query, rows)
		}
	}
	if d := decode[api.Dashboard](t, l.e.do(http.MethodGet, "/billing/dashboard", l.admin, nil)); d.CarteraPendiente.String() != "481520.00" ||
		d.CarteraVencida.String() != "0.00" || d.IngresosEstimados.String() != "981520.00" {
		t.Fatalf("dashboard %+v", d)
	}
	future := billing.NewDate(2100, 1, 1)
	wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices/"+id+"/payments", l.operador,
		api.CreatePayment{Valor: mustDecimal("1"), Fecha: openapi_types.Date{Time: future.Time()}}), http.StatusBadRequest, "payment_date_invalid")
	wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices/"+id+"/payments", l.operador,
		api.CreatePayment{Valor: mustDecimal("1"), Fecha: openapi_types.Date{Time: today.AddDays(-1).Time()}}), http.StatusBadRequest, "payment_date_invalid")
	l.figuresAgree(t, "paid in part", due.AddDays(1))

	// A partial credit: one of the two uniforms back. Half the line's
	// value, its tax at the group's rate; the document-level amounts stay.
	r := l.credit(id, api.CreateCreditNote{Concepto: 1, Motivo: "Devolución de un uniforme",
		Lineas: &[]api.CreditNoteLineInput{{ItemID: uniform.ID, Cantidad: ptr(mustDecimal("1"))}}})
	wantStatus(t, r, http.StatusCreated)
	note := decode[api.CreditNote](t, r)
	if note.Numero != "NC1" || note.Subtotal.String() != "54000.00" || note.Impuestos.String() != "10260.00" ||
		note.Total.String() != "64260.00" || !cufePattern.MatchString(note.Cude) || note.InvoiceID != draft.ID {
		t.Fatalf("note %+v", note)
	}
	nx := l.e.do(http.MethodGet, "/billing/credit-notes/"+note.ID.String()+"/xml", l.admin, nil)
	validateAgainst(t, nx.Body, creditNoteSchema)
	parsed, err := dian.ParseCreditNote(nx.Body)
	if err != nil {
		t.Fatal(err)
	}
	parsed.Fields.Key = *schoolProfile().SoftwarePin
	if parsed.CUDE != note.Cude || dian.CUFE(parsed.Fields) != note.Cude || parsed.InvoiceCUFE != mustGet[string](issued.Cufe) ||
		parsed.InvoiceID != numeroOf(issued.Numero) || parsed.ResponseCode != "1" {
		t.Fatalf("note XML: %+v; CUDE %s", parsed, note.Cude)
	}
	if text := pdfText(t, l.e.do(http.MethodGet, "/billing/credit-notes/"+note.ID.String()+"/pdf", l.admin, nil).Body); !strings.Contains(text, "NC1") ||
		!strings.Contains(text, note.Cude) {
		t.Fatalf("the printed note lacks its number or CUDE:\n%s", text)
	}
	got := l.invoice(t, id)
	if got.Saldo.String() != "417260.00" || got.Acreditado.String() != "64260.00" || got.Items[1].CantidadAcreditada.String() != "1.000" ||
		got.Items[1].ValorAcreditado.String() != "54000.00" {
		t.Fatalf("after the note: saldo %s acreditado %s line %+v", got.Saldo, got.Acreditado, got.Items[1])
	}
	// More units than remain are refused, naming the line.
	p := wantProblem(t, l.credit(id, api.CreateCreditNote{Concepto: 1, Motivo: "x",
		Lineas: &[]api.CreditNoteLineInput{{ItemID: uniform.ID, Cantidad: ptr(mustDecimal("1.001"))}}}), http.StatusConflict, "credit_exceeds_invoice")
	if !hasField(p, "body.lineas.0.cantidad") {
		t.Fatalf("refusal names %+v", p.Errors)
	}
	f := l.figuresAgree(t, "credited in part", due.AddDays(1))
	if f.Creditos.String() != "64260.00" || f.IngresosNetos().Cmp(money.Must("917260")) != 0 {
		t.Fatalf("figures after the note: %+v", f)
	}

	// The rest; then a reversal opens the balance again.
	second := decode[api.Payment](t, l.pay(id, "417260"))
	if got := l.invoice(t, id); got.Saldo.String() != "0.00" || *got.EstadoPago != api.EstadoPagoPAGADA {
		t.Fatalf("paid in full: saldo %s estado %v", got.Saldo, got.EstadoPago)
	}
	l.figuresAgree(t, "paid", due.AddDays(1))
	wantProblem(t, l.e.do(http.MethodPatch, "/billing/invoices/"+id+"/status", l.admin, api.UpdateInvoiceStatus{Status: api.InvoiceStatusCANCELLED}),
		http.StatusConflict, "invoice_has_payments")
	rev := l.e.do(http.MethodPost, "/billing/payments/"+second.ID.String()+"/reverse", l.admin, api.ReversePayment{Motivo: "Devuelta por el banco"})
	wantStatus(t, rev, http.StatusOK)
	if p := decode[api.Payment](t, rev); !p.Reversado || p.MotivoReverso == nil || *p.MotivoReverso != "Devuelta por el banco" {
		t.Fatalf("reversed payment %+v", p)
	}
	wantProblem(t, l.e.do(http.MethodPost, "/billing/payments/"+second.ID.String()+"/reverse", l.admin, api.ReversePayment{Motivo: "otra vez"}),
		http.StatusConflict, "payment_already_reversed")
	if got := l.invoice(t, id); got.Saldo.String() != "417260.00" || *got.EstadoPago != api.EstadoPagoPARCIAL {
		t.Fatalf("after the reversal: saldo %s estado %v", got.Saldo, got.EstadoPago)
	}
	if ps := decode[[]api.Payment](t, l.e.do(http.MethodGet, "/billing/invoices/"+id+"/payments", l.admin, nil)); len(ps) != 2 || ps[0].Reversado || !ps[1].Reversado {
		t.Fatalf("payments %+v", ps)
	}
	l.figuresAgree(t, "reversed", due.AddDays(1))

	// Another tenant sees none of it.
	other := l.e.token(l.e.tenant("B"), "ADMIN")
	for _, path := range []string{"/billing/invoices/" + id + "/payments", "/billing/invoices/" + id + "/credit-notes"} {
		wantProblem(t, l.e.do(http.MethodGet, path, other, nil), http.StatusNotFound, "invoice_not_found")
	}
	for _, path := range []string{"", "/xml", "/pdf"} {
		wantProblem(t, l.e.do(http.MethodGet, "/billing/credit-notes/"+note.ID.String()+path, other, nil), http.StatusNotFound, "credit_note_not_found")
	}
	wantProblem(t, l.e.do(http.MethodPost, "/billing/payments/"+first.ID.String()+"/reverse", other, api.ReversePayment{Motivo: "x"}),
		http.StatusNotFound, "payment_not_found")
	if b := decode[[]api.CreditNote](t, l.e.do(http.MethodGet, "/billing/credit-notes", other, nil)); len(b) != 0 {
		t.Fatalf("another tenant lists %d notes", len(b))
	}

	// Annulment: the first payment reversed too, the cancel issues a
	// concept-2 note for exactly what remains (the tuition, the last uniform,
	// its remaining tax, and the document-level amounts back).
	wantStatus(t, l.e.do(http.MethodPost, "/billing/payments/"+first.ID.String()+"/reverse", l.admin, api.ReversePayment{Motivo: "error"}), http.StatusOK)
	cancelled := decode[api.Invoice](t, l.e.do(http.MethodPatch, "/billing/invoices/"+id+"/status", l.admin,
		api.UpdateInvoiceStatus{Status: api.InvoiceStatusCANCELLED}))
	if cancelled.Status != api.InvoiceStatusCANCELLED || cancelled.Acreditado.String() != "981520.00" || cancelled.Saldo.String() != "0.00" {
		t.Fatalf("cancelled: %s acreditado %s saldo %s", cancelled.Status, cancelled.Acreditado, cancelled.Saldo)
	}
	notes := decode[[]api.CreditNote](t, l.e.do(http.MethodGet, "/billing/invoices/"+id+"/credit-notes", l.admin, nil))
	if len(notes) != 2 || notes[1].Concepto != 2 || notes[1].Numero != "NC2" || notes[1].Total.String() != "917260.00" ||
		notes[1].Impuestos.String() != "10260.00" || notes[1].TotalCargos.String() != "8000.00" || notes[1].TotalDescuentos.String() != "5000.00" {
		t.Fatalf("notes %+v", notes)
	}
	validateAgainst(t, l.e.do(http.MethodGet, "/billing/credit-notes/"+notes[1].ID.String()+"/xml", l.admin, nil).Body, creditNoteSchema)
	history := decode[[]api.InvoiceEvent](t, l.e.do(http.MethodGet, "/billing/invoices/"+id+"/history", l.admin, nil))
	last := history[len(history)-1]
	if last.To != api.InvoiceStatusCANCELLED || last.NotaCredito == nil || last.NotaCredito.Numero != "NC2" {
		t.Fatalf("the cancel's event %+v", last)
	}
	f = l.figuresAgree(t, "annulled", due.AddDays(1))
	if f.CarteraPendiente.Sign() != 0 || f.Creditos.Sign() != 0 || f.FacturasEmitidas != 0 {
		t.Fatalf("figures after the annulment: %+v", f)
	}
	// A reconcile finds nothing to change, and rebuilds the same balances.
	before, after, err := l.e.store.Reconcile(ctx, l.tenant)
	if err != nil || !before.Equal(after) {
		t.Fatalf("reconcile: %+v -> %+v, %v", before, after, err)
	}
	l.figuresAgree(t, "reconciled", due.AddDays(1))
}

// TestRacingPayments: payments racing on one invoice never pay more than it
// owes: of eight halves, exactly two go through.
func TestRacingPayments(t *testing.T) {
	t.Parallel()
	l := receivablesLedger(t)
	id := l.electronicDraft(t).ID.String()
	inv := decode[api.Invoice](t, l.issue(t, id)) // total 992800.00
	rs := parallel(8, func(int) response { return l.pay(id, "496400") })
	ok := 0
	for _, r := range rs {
		switch r.Status {
		case http.StatusCreated:
			ok++
		case http.StatusConflict:
			wantProblem(t, r, http.StatusConflict, "payment_exceeds_balance")
		default:
			t.Fatalf("a racing payment answered %d: %s", r.Status, r.Body)
		}
	}
	got := l.invoice(t, id)
	if ok != 2 || got.Pagado.Cmp(inv.Total) != 0 || got.Saldo.Sign() != 0 {
		t.Fatalf("%d payments went through; pagado %s of %s, saldo %s", ok, got.Pagado, inv.Total, got.Saldo)
	}
	l.figuresAgree(t, "raced payments")
}

// TestRacingCreditNotes: notes racing on one line never credit more than
// it holds, take consecutive numbers, and the one taking the last unit
// takes exactly what remains of the line and of its tax.
func TestRacingCreditNotes(t *testing.T) {
	t.Parallel()
	l := receivablesLedger(t)
	draft := createInvoice(t, l.e, l.operador, api.CreateInvoice{CustomerID: l.customer.ID, Items: []api.InvoiceItemInput{
		{Descripcion: ptr("Cuaderno"), Cantidad: mustDecimal("3"), ValorUnitario: ptr(mustDecimal("3333.33"))},
	}})
	id := draft.ID.String()
	wantStatus(t, l.issue(t, id), http.StatusOK)
	item := draft.Items[0].ID
	rs := parallel(8, func(int) response {
		return l.credit(id, api.CreateCreditNote{Concepto: 1, Motivo: "Devolución",
			Lineas: &[]api.CreditNoteLineInput{{ItemID: item, Cantidad: ptr(mustDecimal("1"))}}})
	})
	var numeros []string
	sub, tax := money.New(0, -2), money.New(0, -2)
	for _, r := range rs {
		switch r.Status {
		case http.StatusCreated:
			n := decode[api.CreditNote](t, r)
			numeros = append(numeros, n.Numero)
			sub, tax = sub.Add(n.Subtotal), tax.Add(n.Impuestos)
		case http.StatusConflict:
			wantProblem(t, r, http.StatusConflict, "credit_exceeds_invoice")
		default:
			t.Fatalf("a racing note answered %d: %s", r.Status, r.Body)
		}
	}
	got := l.invoice(t, id)
	// 9999.99 at 19 % is 1900.00; each third is 3333.33 and 633.33, the last
	// one takes 3333.33 and 633.34.
	if len(numeros) != 3 || sub.Cmp(got.Subtotal) != 0 || tax.Cmp(got.Impuestos) != 0 || got.Acreditado.Cmp(got.Total) != 0 || got.Saldo.Sign() != 0 {
		t.Fatalf("notes %v credited %s + %s of %s + %s; acreditado %s", numeros, sub, tax, got.Subtotal, got.Impuestos, got.Acreditado)
	}
	for _, want := range []string{"NC1", "NC2", "NC3"} {
		if !strings.Contains(strings.Join(numeros, " "), want) {
			t.Fatalf("note numbers %v, want NC1..NC3", numeros)
		}
	}
	l.figuresAgree(t, "raced notes")
}

// TestCreditNoteRefusals: what a credit note is refused for.
func TestCreditNoteRefusals(t *testing.T) {
	t.Parallel()
	l := electronicLedger(t) // no NOTA_CREDITO range yet
	draft := l.electronicDraft(t)
	id := draft.ID.String()
	body := api.CreateCreditNote{Concepto: 1, Motivo: "x", Lineas: &[]api.CreditNoteLineInput{{ItemID: draft.Items[1].ID, Cantidad: ptr(mustDecimal("1"))}}}
	wantProblem(t, l.credit(id, body), http.StatusConflict, "invoice_not_issued")
	wantStatus(t, l.issue(t, id), http.StatusOK)
	wantProblem(t, l.credit(id, body), http.StatusConflict, "numbering_resolution_missing")
	wantStatus(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, noteRange()), http.StatusCreated)
	for _, c := range []struct {
		name  string
		body  api.CreateCreditNote
		code  string
		field string
	}{
		{"concept 2 takes no lines", api.CreateCreditNote{Concepto: 2, Motivo: "x", Lineas: body.Lineas}, "invalid_request", "body.lineas"},
		{"concept 1 gives back quantities", api.CreateCreditNote{Concepto: 1, Motivo: "x",
			Lineas: &[]api.CreditNoteLineInput{{ItemID: draft.Items[1].ID, Valor: ptr(mustDecimal("1"))}}}, "invalid_request", "body.lineas.0.valor"},
		{"a line of another invoice", api.CreateCreditNote{Concepto: 1, Motivo: "x",
			Lineas: &[]api.CreditNoteLineInput{{ItemID: l.product.ID, Cantidad: ptr(mustDecimal("1"))}}}, "invoice_item_not_found", "body.lineas.0.itemId"},
		{"a value above the line's", api.CreateCreditNote{Concepto: 4, Motivo: "x",
			Lineas: &[]api.CreditNoteLineInput{{ItemID: draft.Items[1].ID, Valor: ptr(mustDecimal("120000.01"))}}}, "credit_exceeds_invoice", "body.lineas.0.valor"},
		{"no lines", api.CreateCreditNote{Concepto: 3, Motivo: "x"}, "invalid_request", "body.lineas"},
	} {
		p := l.credit(id, c.body).problem(t)
		if p.Code != c.code || !hasField(p, c.field) {
			t.Errorf("%s: %s %+v, want %s on %s", c.name, p.Code, p.Errors, c.code, c.field)
		}
	}
	// A price adjustment (concept 4) of part of a line's value credits no units.
	n := decode[api.CreditNote](t, l.credit(id, api.CreateCreditNote{Concepto: 4, Motivo: "Ajuste",
		Lineas: &[]api.CreditNoteLineInput{{ItemID: draft.Items[1].ID, Valor: ptr(mustDecimal("20000"))}}}))
	if n.Lineas[0].Cantidad.Sign() != 0 || n.Subtotal.String() != "20000.00" || n.Impuestos.String() != "3800.00" {
		t.Fatalf("price adjustment %+v", n)
	}
	validateAgainst(t, l.e.do(http.MethodGet, "/billing/credit-notes/"+n.ID.String()+"/xml", l.admin, nil).Body, creditNoteSchema)
	// A seed tenant's invoice (no CUFE) takes payments, never notes.
	seed := newLedger(t)
	inv := createInvoice(t, seed.e, seed.admin, seed.seedInvoice("FV-1"))
	wantStatus(t, seed.issue(t, inv.ID.String()), http.StatusOK)
	wantProblem(t, seed.credit(inv.ID.String(), api.CreateCreditNote{Concepto: 2, Motivo: "x"}), http.StatusConflict, "einvoicing_not_configured")
	wantStatus(t, seed.pay(inv.ID.String(), "1000"), http.StatusCreated)
}

func validateAgainst(t *testing.T, doc []byte, schema string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "xmllint", "--noout", "--schema", schema, path)
}

// TestReceivablesPages walks the report a customer at a time: customers
// with open invoices only, in razonSocial order (Spanish, case-insensitive),
// each page carrying the whole tenant's totals, which its customers add up
// to; another tenant's balances never appear.
func TestReceivablesPages(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	e := l.e
	owe := func(tok, customer, numero string) api.Invoice {
		t.Helper()
		inv := createInvoice(t, e, tok, api.CreateInvoice{CustomerID: uuid.MustParse(customer), Numero: &numero,
			Items: []api.InvoiceItemInput{{Descripcion: ptr("Pensión"), Cantidad: mustDecimal("1"), ValorUnitario: ptr(mustDecimal("100000")), Impuesto: ptr(mustDecimal("19"))}}})
		wantStatus(t, e.do(http.MethodPatch, "/billing/invoices/"+inv.ID.String()+"/status", tok, api.UpdateInvoiceStatus{Status: api.InvoiceStatusISSUED}), http.StatusOK)
		return inv
	}
	customer := func(tok, name, nit string) string {
		t.Helper()
		r := e.do(http.MethodPost, "/billing/customers", tok, api.CreateCustomer{RazonSocial: name, Nit: nit})
		wantStatus(t, r, http.StatusCreated)
		return decode[api.Customer](t, r).ID.String()
	}
	// Nothing owed yet: no customers, totals of zero.
	if rep := decode[api.Receivables](t, e.do(http.MethodGet, "/billing/receivables", l.admin, nil)); len(rep.Clientes) != 0 || rep.Totales.Total.String() != "0.00" {
		t.Fatalf("an empty ledger's report: %+v", rep)
	}
	alfa, beta, gamma := customer(l.admin, "alfa Ltda.", "800100200"), customer(l.admin, "Beta S.A.S.", "800100300"), customer(l.admin, "Gamma", "800100400")
	customer(l.admin, "Delta sin facturas", "800100500")
	owe(l.admin, alfa, "A-1")
	owe(l.admin, alfa, "A-2")
	owe(l.admin, beta, "B-1")
	paid := owe(l.admin, gamma, "G-1")
	wantStatus(t, l.pay(paid.ID.String(), "119000"), http.StatusCreated)
	other := e.tenant("B")
	otherAdmin := e.token(other, auth.RoleAdmin)
	owe(otherAdmin, customer(otherAdmin, "Aaa de otro tenant", "800100600"), "X-1")

	var names []string
	sum := money.New(0, -2)
	for url, pages := "/billing/receivables?limit=1", 0; url != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		r := e.do(http.MethodGet, url, l.admin, nil)
		wantStatus(t, r, http.StatusOK)
		rep := decode[api.Receivables](t, r)
		if rep.Totales.Total.String() != "357000.00" || rep.Totales.NoVencido.String() != "357000.00" {
			t.Fatalf("page %d totals %+v, want the tenant's 357000.00, not yet due", pages, rep.Totales)
		}
		for _, c := range rep.Clientes {
			names = append(names, c.RazonSocial)
			sum = sum.Add(c.Total)
		}
		url = ""
		if link := r.Header.Get("Link"); link != "" {
			m := nextRel.FindStringSubmatch(link)
			if m == nil {
				t.Fatalf("malformed Link %q", link)
			}
			url = m[1]
		}
	}
	if strings.Join(names, "|") != "alfa Ltda.|Beta S.A.S." || sum.String() != "357000.00" {
		t.Fatalf("pages list %v adding up to %s", names, sum)
	}
	wantProblem(t, e.do(http.MethodGet, "/billing/receivables?cursor=garbage", l.admin, nil), http.StatusBadRequest, "invalid_cursor")
	// A customer list's cursor is not the report's.
	r := e.do(http.MethodGet, "/billing/customers?limit=1", l.admin, nil)
	m := nextRel.FindStringSubmatch(r.Header.Get("Link"))
	if m == nil {
		t.Fatalf("the customer list has no next page: %q", r.Header.Get("Link"))
	}
	cur := m[1][strings.Index(m[1], "cursor=")+len("cursor="):]
	cur, _, _ = strings.Cut(cur, "&")
	wantProblem(t, e.do(http.MethodGet, "/billing/receivables?cursor="+cur, l.admin, nil), http.StatusBadRequest, "invalid_cursor")
}
