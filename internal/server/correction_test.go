package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"billing/gen/api"
	"billing/internal/dian"
	"billing/internal/dianfake"
)

// uniforms is an electronic draft's body: tuition (excluded) and n
// uniforms at 19 %.
func (l *ledger) uniforms(n string) api.CreateInvoice {
	return api.CreateInvoice{CustomerID: l.customer.ID, Items: []api.InvoiceItemInput{
		{ProductServiceID: &l.product.ID, Descripcion: ptr("Pensión noviembre"), Cantidad: mustDecimal("1"), Tratamiento: ptr(api.TratamientoEXCLUIDO)},
		{Descripcion: ptr("Uniforme de diario"), Cantidad: mustDecimal(n), ValorUnitario: ptr(mustDecimal("60000"))},
	}}
}

// TestCorrectingARejectedInvoice: an electronic invoice DIAN rejected is
// corrected with PUT: it keeps its number, gets the body's lines and a new
// CUFE, XML and PDF, is signed and sent again and accepted; the rejected
// version is named in the history with its CUFE and DIAN's rules; the
// dashboard moves from the old total to the new. An accepted invoice, one
// with a payment and one with a credit note are not corrected.
func TestCorrectingARejectedInvoice(t *testing.T) {
	t.Parallel()
	l := receivablesLedger(t)
	cert := testCertificate(time.Now())
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", l.admin, upload(cert, certPassword)), http.StatusOK)
	l.e.startWorkers(t)
	rejectedOne := func() api.Invoice {
		t.Helper()
		l.e.dian.Script(dianfake.Outcome{Kind: "reject", Rule: "FAB10a"})
		id := createInvoice(t, l.e, l.operador, l.uniforms("2")).ID.String()
		inv := decode[api.Invoice](t, l.issue(t, id))
		eventually(t, "rejected", func() bool { return l.einvoice(t, id).Estado == api.EInvoiceStateRECHAZADA })
		return inv
	}
	dashboard := func() api.Dashboard {
		return decode[api.Dashboard](t, l.e.do(http.MethodGet, "/billing/dashboard", l.admin, nil))
	}

	rejected := rejectedOne()
	id := rejected.ID.String()
	oldCufe, _ := rejected.Cufe.Get()
	before := dashboard()
	r := l.e.do(http.MethodPut, "/billing/invoices/"+id, l.operador, l.uniforms("3"))
	wantStatus(t, r, http.StatusOK)
	corrected := decode[api.Invoice](t, r)
	newCufe, _ := corrected.Cufe.Get()
	if *corrected.Numero != *rejected.Numero || corrected.Status != api.InvoiceStatusISSUED || newCufe == oldCufe || len(newCufe) != 96 {
		t.Fatalf("corrected %v %s %s, was %v %s", *corrected.Numero, corrected.Status, newCufe, *rejected.Numero, oldCufe)
	}
	if got, want := corrected.Total.Sub(rejected.Total).String(), "71400.00"; got != want {
		// One more uniform: 60 000 plus 19 % IVA.
		t.Fatalf("the total moved by %s, want %s", got, want)
	}
	after := dashboard()
	if after.FacturasEmitidas != before.FacturasEmitidas || after.IngresosEstimados.Sub(before.IngresosEstimados).String() != "71400.00" ||
		after.CarteraPendiente.Sub(before.CarteraPendiente).String() != "71400.00" {
		t.Fatalf("dashboard before %+v after %+v", before, after)
	}
	var st api.EInvoiceStatus
	defer func() {
		if t.Failed() {
			var dump string
			_ = l.e.rawQueryRow(`SELECT string_agg(kind || ' ' || args::text || ' ' || state::text || ' ' || attempt::text || ' ' || coalesce(errors::text, ''), E'\n' ORDER BY id) FROM river_job`).Scan(&dump)
			t.Logf("%s %+v\n%s", id, l.einvoice(t, id), dump)
		}
	}()
	eventually(t, "the corrected invoice accepted", func() bool { st = l.einvoice(t, id); return st.Estado == api.EInvoiceStateACEPTADA })
	doc := l.e.do(http.MethodGet, "/billing/invoices/"+id+"/xml", l.admin, nil).Body
	verifySigned(t, doc, cert)
	validateInvoiceXML(t, doc)
	if !strings.Contains(string(doc), newCufe) || strings.Contains(string(doc), oldCufe) || !strings.Contains(string(doc), ">"+*rejected.Numero+"<") {
		t.Fatal("the served document is not the corrected one")
	}
	pdf := l.e.do(http.MethodGet, "/billing/invoices/"+id+"/pdf", l.admin, nil).Body
	if text := pdfText(t, pdf); !strings.Contains(text, *rejected.Numero) || !strings.Contains(text, printedCOP(corrected.Total.String())) {
		t.Fatal("the PDF is not the corrected invoice's")
	}
	var corrections []api.InvoiceEvent
	for _, e := range l.history(t, id) {
		if e.Correccion != nil {
			corrections = append(corrections, e)
		}
	}
	if len(corrections) != 1 {
		t.Fatalf("%d corrections in the history", len(corrections))
	}
	c := corrections[0]
	if c.Correccion.Version != 1 || c.Correccion.Cufe != oldCufe || len(c.Correccion.Reglas) != 1 ||
		c.Correccion.Reglas[0].Regla == nil || *c.Correccion.Reglas[0].Regla != "FAB10a" || c.Actor != "user-operador" ||
		*c.From != api.InvoiceStatusISSUED || c.To != api.InvoiceStatusISSUED {
		t.Fatalf("correction event %+v", c)
	}
	if n := l.e.dian.Received(dian.OpSendBillSync); n != 2 {
		t.Fatalf("the double received %d sends, want the rejected and the corrected", n)
	}

	// The database keeps an accepted stamp frozen, whatever the grants.
	if err := l.e.rawExec(`UPDATE invoice_stamps SET qr = 'x' WHERE invoice_id = $1`, id); err == nil || !strings.Contains(err.Error(), "frozen") {
		t.Fatalf("an accepted stamp changed: %v", err)
	}

	// Corrected to another customer: the document is the new buyer's.
	other := createCustomer(t, l.e, l.admin, map[string]any{"razonSocial": "Jardín Infantil Pasitos", "nit": "901555111"})
	moved := rejectedOne()
	body := l.uniforms("2")
	body.CustomerID = other.ID
	r = l.e.do(http.MethodPut, "/billing/invoices/"+moved.ID.String(), l.operador, body)
	wantStatus(t, r, http.StatusOK)
	if got := decode[api.Invoice](t, r); got.CustomerID != other.ID {
		t.Fatalf("corrected to customer %s, want %s", got.CustomerID, other.ID)
	}
	if doc := l.e.do(http.MethodGet, "/billing/invoices/"+moved.ID.String()+"/xml", l.admin, nil).Body; !strings.Contains(string(doc), "901555111") {
		t.Fatal("the corrected document does not name the new buyer")
	}
	// Sent again before the next script: the double answers in order.
	eventually(t, "the moved invoice accepted", func() bool { return l.einvoice(t, moved.ID.String()).Estado == api.EInvoiceStateACEPTADA })

	// Accepted now: amended by credit notes, not corrected.
	wantProblem(t, l.e.do(http.MethodPut, "/billing/invoices/"+id, l.operador, l.uniforms("4")), http.StatusBadRequest, "invoice_not_draft")
	// The number stays: a body with one is refused.
	paid := rejectedOne()
	numbered := l.uniforms("3")
	numbered.Numero = ptr("SETP990000999")
	wantStatus(t, l.e.do(http.MethodPut, "/billing/invoices/"+paid.ID.String(), l.operador, numbered), http.StatusBadRequest)
	wantStatus(t, l.pay(paid.ID.String(), "1000"), http.StatusCreated)
	wantProblem(t, l.e.do(http.MethodPut, "/billing/invoices/"+paid.ID.String(), l.operador, l.uniforms("3")), http.StatusConflict, "invoice_has_payments")
	credited := rejectedOne()
	full := l.invoice(t, credited.ID.String())
	wantStatus(t, l.credit(credited.ID.String(), api.CreateCreditNote{Concepto: 1, Motivo: "Devolución",
		Lineas: &[]api.CreditNoteLineInput{{ItemID: full.Items[1].ID, Cantidad: ptr(mustDecimal("1"))}}}), http.StatusCreated)
	wantProblem(t, l.e.do(http.MethodPut, "/billing/invoices/"+credited.ID.String(), l.operador, l.uniforms("3")), http.StatusConflict, "invoice_has_credit_notes")
	if st := l.einvoice(t, paid.ID.String()); st.Estado != api.EInvoiceStateRECHAZADA {
		t.Fatalf("a refused correction changed the invoice: %+v", st)
	}
}

// printedCOP writes an amount as the PDF prints it: 1064200.00 is
// 1.064.200,00.
func printedCOP(amount string) string {
	whole, cents, _ := strings.Cut(amount, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + "," + cents
}
