package server_test

import (
	"net/http"
	"testing"
	"time"

	"billing/gen/api"
	"billing/internal/dian"
	"billing/internal/dianfake"
)

func (l *ledger) einvoice(t *testing.T, id string) api.EInvoiceStatus {
	t.Helper()
	return decode[api.EInvoiceStatus](t, l.e.do(http.MethodGet, "/billing/invoices/"+id+"/einvoice", l.admin, nil))
}

// TestInvoicesReachDIAN: an issued electronic invoice is signed, sent to
// DIAN's test double (which checks the WS-Security envelope, the schema,
// the signature, the range and the CUFE with the range's key) and
// accepted with no further action; a rejection names DIAN's rule and is
// final; a SOAP fault is ERROR and retried until accepted, never taken for
// an acceptance; "in process" is ENVIADA and asked again until DIAN
// answers. invoice.accepted and invoice.rejected reach a webhook.
func TestInvoicesReachDIAN(t *testing.T) {
	t.Parallel()
	l := receivablesLedger(t)
	cert := testCertificate(time.Now())
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", l.admin, upload(cert, certPassword)), http.StatusOK)
	l.e.startWorkers(t)
	hook := newReceiver(t)
	wantStatus(t, l.e.do(http.MethodPost, "/billing/webhooks", l.admin, api.CreateWebhook{URL: hook.srv.URL,
		Eventos: []api.WebhookEvent{api.WebhookEventInvoiceAccepted, api.WebhookEventInvoiceRejected}}), http.StatusCreated)

	issued := func() string {
		t.Helper()
		id := l.electronicDraft(t).ID.String()
		wantStatus(t, l.issue(t, id), http.StatusOK)
		return id
	}
	until := func(id string, want api.EInvoiceState) api.EInvoiceStatus {
		t.Helper()
		var st api.EInvoiceStatus
		eventually(t, "e-invoice "+string(want), func() bool { st = l.einvoice(t, id); return st.Estado == want })
		return st
	}

	accepted := issued()
	if st := until(accepted, api.EInvoiceStateACEPTADA); st.Intentos != 1 || st.Actualizado == nil {
		t.Fatalf("accepted: %+v", st)
	}
	if n := l.e.dian.Received(dian.OpSendBillSync); n != 1 {
		t.Fatalf("the double received %d sends", n)
	}

	l.e.dian.Script(dianfake.Outcome{Kind: "reject", Rule: "FAB10a"})
	rejected := issued()
	st := until(rejected, api.EInvoiceStateRECHAZADA)
	if len(st.Reglas) != 1 || st.Reglas[0].Regla == nil || *st.Reglas[0].Regla != "FAB10a" || !st.Reglas[0].Rechazo {
		t.Fatalf("rejected: %+v", st)
	}

	// A credit note of the rejected invoice waits for the invoice's
	// acceptance; one of an accepted invoice is sent (its CUDE checked
	// with the software's PIN) and accepted.
	noteOf := func(invoice string) string {
		t.Helper()
		inv := l.invoice(t, invoice)
		r := l.credit(invoice, api.CreateCreditNote{Concepto: 1, Motivo: "Devolución",
			Lineas: &[]api.CreditNoteLineInput{{ItemID: inv.Items[1].ID, Cantidad: ptr(mustDecimal("1"))}}})
		wantStatus(t, r, http.StatusCreated)
		return decode[api.CreditNote](t, r).ID.String()
	}
	noteState := func(id string) api.EInvoiceState {
		n := decode[api.CreditNote](t, l.e.do(http.MethodGet, "/billing/credit-notes/"+id, l.admin, nil))
		if n.Einvoice == nil {
			t.Fatalf("note %s has no einvoice", id)
		}
		return n.Einvoice.Estado
	}
	acceptedNote := noteOf(accepted)
	eventually(t, "the note of an accepted invoice accepted", func() bool { return noteState(acceptedNote) == api.EInvoiceStateACEPTADA })
	waiting := noteOf(rejected)
	time.Sleep(300 * time.Millisecond)
	if st := noteState(waiting); st != api.EInvoiceStatePENDIENTE {
		t.Fatalf("the note of a rejected invoice is %s", st)
	}

	// The invoice's detail carries it too; an ADMIN sends it again as it
	// is, and this time DIAN accepts it (and the note that waited goes).
	if inv := l.invoice(t, rejected); inv.Einvoice == nil || inv.Einvoice.Estado != api.EInvoiceStateRECHAZADA {
		t.Fatalf("the detail's einvoice: %+v", inv.Einvoice)
	}
	wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices/"+accepted+"/einvoice/retry", l.admin, nil), http.StatusConflict, "einvoice_not_resendable")
	r := l.e.do(http.MethodPost, "/billing/invoices/"+rejected+"/einvoice/retry", l.admin, nil)
	wantStatus(t, r, http.StatusAccepted)
	if got := decode[api.EInvoiceStatus](t, r); got.Estado != api.EInvoiceStatePENDIENTE {
		t.Fatalf("resent: %+v", got)
	}
	defer func() {
		if t.Failed() {
			var n int
			var states, masks string
			_ = l.e.rawQueryRow(`SELECT count(*), string_agg(state::text, ','), string_agg(coalesce(unique_states::text, '-'), ',') FROM river_job WHERE kind = 'transmit_document' AND args->>'id' = $1`, rejected).Scan(&n, &states, &masks)
			t.Logf("rejected now: %+v; transmit jobs %d %s %s", l.einvoice(t, rejected), n, states, masks)
		}
	}()
	if st = until(rejected, api.EInvoiceStateACEPTADA); st.Intentos != 2 {
		t.Fatalf("accepted when sent again: %+v", st)
	}
	eventually(t, "the waiting note accepted", func() bool { return noteState(waiting) == api.EInvoiceStateACEPTADA })

	l.e.dian.Script(dianfake.Outcome{Kind: "fault"})
	faulted := issued()
	eventually(t, "the fault recorded", func() bool {
		st = l.einvoice(t, faulted)
		return st.Estado == api.EInvoiceStateERROR || st.Estado == api.EInvoiceStateACEPTADA
	})
	if st.Estado == api.EInvoiceStateERROR && (len(st.Reglas) != 1 || st.Reglas[0].Rechazo) {
		t.Fatalf("the fault: %+v", st)
	}
	if st = until(faulted, api.EInvoiceStateACEPTADA); st.Intentos != 2 {
		t.Fatalf("accepted after the fault: %+v", st)
	}

	l.e.dian.Script(dianfake.Outcome{Kind: "in-process"})
	slow := issued()
	if st = until(slow, api.EInvoiceStateACEPTADA); st.Intentos != 2 || l.e.dian.Received(dian.OpGetStatus) != 1 {
		t.Fatalf("accepted after being in process: %+v, %d status queries", st, l.e.dian.Received(dian.OpGetStatus))
	}

	eventually(t, "the verdicts announced", func() bool { return len(hook.received()) == 5 })
	types := map[string]int{}
	for _, r := range hook.received() {
		types[r.event.Type]++
	}
	if types["invoice.accepted"] != 4 || types["invoice.rejected"] != 1 {
		t.Fatalf("webhook events %v", types)
	}

	// A draft has no standing with DIAN.
	wantProblem(t, l.e.do(http.MethodGet, "/billing/invoices/"+l.electronicDraft(t).ID.String()+"/einvoice", l.admin, nil),
		http.StatusConflict, "invoice_not_issued")
}

// TestDIANDoubleJudges: the double rejects what DIAN would, naming the
// rule: a range it does not know (FAB10b), a CUFE computed with a key that
// is not the range's (FAD06), a security code made with a PIN that is not
// the software's (FAB27b).
func TestDIANDoubleJudges(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, rule string
		edit       func(p *api.PutFiscalProfile, r *api.CreateNumberingResolution)
	}{
		{"an unknown range", "FAB10b", func(_ *api.PutFiscalProfile, r *api.CreateNumberingResolution) {
			r.Prefijo, r.Desde, r.Hasta = "FE", 1, 1000
		}},
		{"another technical key", "FAD06", func(_ *api.PutFiscalProfile, r *api.CreateNumberingResolution) {
			r.ClaveTecnica = ptr("0123456789abcdef0123456789abcdef01234567")
		}},
		{"another PIN", "FAB27b", func(p *api.PutFiscalProfile, _ *api.CreateNumberingResolution) { p.SoftwarePin = ptr("otro-pin") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := newLedger(t)
			profile, rng := schoolProfile(), dianTestRange()
			c.edit(&profile, &rng)
			wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, profile), http.StatusOK)
			wantStatus(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, rng), http.StatusCreated)
			wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", l.admin, upload(testCertificate(time.Now()), certPassword)), http.StatusOK)
			l.e.startWorkers(t)
			id := l.electronicDraft(t).ID.String()
			wantStatus(t, l.issue(t, id), http.StatusOK)
			var st api.EInvoiceStatus
			eventually(t, "rejected", func() bool { st = l.einvoice(t, id); return st.Estado == api.EInvoiceStateRECHAZADA })
			if len(st.Reglas) != 1 || st.Reglas[0].Regla == nil || *st.Reglas[0].Regla != c.rule {
				t.Fatalf("want only %s: %+v", c.rule, st.Reglas)
			}
		})
	}
}

// TestInvoicesByTestSet: under PRUEBAS, a profile with DIAN's test set id
// sends with SendTestSetAsync and learns the verdict with GetStatusZip and
// the ZipKey it was given (a batch still in process is asked again), never
// with SendBillSync; a rejection names the rule as SendBillSync's does;
// and a credit note goes the same way once its invoice is accepted.
func TestInvoicesByTestSet(t *testing.T) {
	t.Parallel()
	l := receivablesLedger(t)
	profile := schoolProfile()
	profile.TestSetID, profile.SoftwarePin = ptr("6ac7d9a1-0c2f-4a36-9d5e-3b1f2e4c5d6e"), nil
	got := decode[api.FiscalProfile](t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, profile))
	if got.TestSetID == nil || *got.TestSetID != *profile.TestSetID {
		t.Fatalf("the profile's test set: %v", got.TestSetID)
	}
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", l.admin, upload(testCertificate(time.Now()), certPassword)), http.StatusOK)
	l.e.startWorkers(t)
	until := func(id string, want api.EInvoiceState) api.EInvoiceStatus {
		t.Helper()
		var st api.EInvoiceStatus
		eventually(t, "e-invoice "+string(want), func() bool { st = l.einvoice(t, id); return st.Estado == want })
		return st
	}

	l.e.dian.Script(dianfake.Outcome{Kind: "in-process"})
	inv := l.electronicDraft(t)
	wantStatus(t, l.issue(t, inv.ID.String()), http.StatusOK)
	if st := until(inv.ID.String(), api.EInvoiceStateACEPTADA); st.Intentos != 3 {
		// The send, the batch in process, the verdict.
		t.Fatalf("accepted: %+v", st)
	}
	if s, z, b := l.e.dian.Received(dian.OpSendTestSetAsync), l.e.dian.Received(dian.OpGetStatusZip), l.e.dian.Received(dian.OpSendBillSync); s != 1 || z != 2 || b != 0 {
		t.Fatalf("the double received %d test-set sends, %d zip status queries, %d SendBillSync", s, z, b)
	}

	l.e.dian.Script(dianfake.Outcome{Kind: "reject", Rule: "FAB10a"})
	rejected := l.electronicDraft(t).ID.String()
	wantStatus(t, l.issue(t, rejected), http.StatusOK)
	if st := until(rejected, api.EInvoiceStateRECHAZADA); len(st.Reglas) != 1 || st.Reglas[0].Regla == nil || *st.Reglas[0].Regla != "FAB10a" {
		t.Fatalf("rejected: %+v", st)
	}

	full := l.invoice(t, inv.ID.String())
	r := l.credit(inv.ID.String(), api.CreateCreditNote{Concepto: 1, Motivo: "Devolución",
		Lineas: &[]api.CreditNoteLineInput{{ItemID: full.Items[1].ID, Cantidad: ptr(mustDecimal("1"))}}})
	wantStatus(t, r, http.StatusCreated)
	note := decode[api.CreditNote](t, r).ID.String()
	eventually(t, "the note accepted", func() bool {
		n := decode[api.CreditNote](t, l.e.do(http.MethodGet, "/billing/credit-notes/"+note, l.admin, nil))
		return n.Einvoice != nil && n.Einvoice.Estado == api.EInvoiceStateACEPTADA
	})
	if n := l.e.dian.Received(dian.OpSendBillSync); n != 0 {
		t.Fatalf("%d SendBillSync under the test set", n)
	}
}
