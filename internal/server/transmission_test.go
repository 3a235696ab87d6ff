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

	eventually(t, "the verdicts announced", func() bool { return len(hook.received()) == 4 })
	types := map[string]int{}
	for _, r := range hook.received() {
		types[r.event.Type]++
	}
	if types["invoice.accepted"] != 3 || types["invoice.rejected"] != 1 {
		t.Fatalf("webhook events %v", types)
	}

	// A draft has no standing with DIAN.
	wantProblem(t, l.e.do(http.MethodGet, "/billing/invoices/"+l.electronicDraft(t).ID.String()+"/einvoice", l.admin, nil),
		http.StatusConflict, "invoice_not_issued")
}

// TestDIANDoubleJudges: the double rejects what DIAN would, naming the
// rule: here a range it does not know (FAB10b).
func TestDIANDoubleJudges(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, schoolProfile()), http.StatusOK)
	unknown := dianTestRange()
	unknown.Prefijo, unknown.Desde, unknown.Hasta = "FE", 1, 1000
	wantStatus(t, l.e.do(http.MethodPost, "/billing/numbering-resolutions", l.admin, unknown), http.StatusCreated)
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", l.admin, upload(testCertificate(time.Now()), certPassword)), http.StatusOK)
	l.e.startWorkers(t)
	id := l.electronicDraft(t).ID.String()
	wantStatus(t, l.issue(t, id), http.StatusOK)
	var st api.EInvoiceStatus
	eventually(t, "rejected", func() bool { st = l.einvoice(t, id); return st.Estado == api.EInvoiceStateRECHAZADA })
	if len(st.Reglas) != 1 || st.Reglas[0].Regla == nil || *st.Reglas[0].Regla != "FAB10b" {
		t.Fatalf("an unknown range: %+v", st)
	}
}
