package server_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"billing/gen/api"
	"billing/internal/auth"
)

// receiver is a webhook endpoint on loopback that keeps what it is sent
// and answers the statuses it is told to, in order (then 200).
type receiver struct {
	mu       sync.Mutex
	got      []received
	statuses []int
	srv      *httptest.Server
}

type received struct {
	signature, eventID string
	body               []byte
	event              struct {
		ID, Type, CreatedAt string
		Data                map[string]any
	}
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		rec := received{signature: req.Header.Get("Billing-Signature"), eventID: req.Header.Get("Billing-Event-Id"), body: body}
		_ = json.Unmarshal(body, &rec.event)
		r.mu.Lock()
		r.got = append(r.got, rec)
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// verifies checks a delivery's Billing-Signature as the README tells a
// receiver to: HMAC-SHA256 of "<t>.<body>" keyed with the secret's bytes.
func verifies(rec received, secret string) bool {
	parts := map[string]string{}
	for _, p := range strings.Split(rec.signature, ",") {
		k, v, _ := strings.Cut(p, "=")
		parts[k] = v
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(parts["t"] + "."))
	mac.Write(rec.body)
	got, err := hex.DecodeString(parts["v1"])
	return err == nil && parts["t"] != "" && hmac.Equal(got, mac.Sum(nil))
}

// TestWebhooks: an ADMIN registers an endpoint and sees its secret once;
// the tenant's writes are delivered to it signed, after commit, only the
// events it subscribed to; a failed delivery is retried with the same
// event id and logged; a rotated secret signs what follows; a deleted
// endpoint is sent nothing; another tenant cannot see or touch it.
func TestWebhooks(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	e := l.e
	e.startWorkers(t)
	hook := newReceiver(t, http.StatusServiceUnavailable)

	r := e.do(http.MethodPost, "/billing/webhooks", l.admin, api.CreateWebhook{URL: hook.srv.URL + "/hooks",
		Eventos: []api.WebhookEvent{api.WebhookEventPaymentRecorded, api.WebhookEventInvoiceIssued, api.WebhookEventInvoiceIssued}})
	wantStatus(t, r, http.StatusCreated)
	w := decode[api.WebhookWithSecret](t, r)
	if !strings.HasPrefix(w.Secreto, "whsec_") || len(w.Eventos) != 2 || !w.Activo {
		t.Fatalf("created %+v", w)
	}
	list := e.do(http.MethodGet, "/billing/webhooks", l.admin, nil)
	if strings.Contains(string(list.Body), w.Secreto) || len(decode[[]api.Webhook](t, list)) != 1 {
		t.Fatalf("the list: %s", list.Body)
	}

	inv := createInvoice(t, e, l.operador, l.seedInvoice("FV-WH-1"))
	wantStatus(t, e.do(http.MethodPatch, "/billing/invoices/"+inv.ID.String()+"/status", l.admin, api.UpdateInvoiceStatus{Status: api.InvoiceStatusISSUED}), http.StatusOK)
	// The first delivery is refused (503); River retries it (after about
	// a second, then longer) with the same event.
	eventually(t, "the retry delivered", func() bool { return len(hook.received()) == 2 })
	var done []api.Delivery
	eventually(t, "the delivery completed", func() bool {
		done = decode[[]api.Delivery](t, e.do(http.MethodGet, "/billing/deliveries?estado=COMPLETADA", l.admin, nil))
		return len(done) == 1
	})
	if done[0].Webhook == nil || done[0].Webhook.EndpointID != w.ID || done[0].Documento != nil || done[0].Intentos != 2 ||
		len(done[0].Errores) != 1 || done[0].Errores[0].Mensaje != "the receiver answered 503" {
		t.Fatalf("the delivery: %+v", done[0])
	}
	got := hook.received()
	if got[0].event.ID != got[1].event.ID || got[1].eventID != got[1].event.ID || got[1].event.Type != "invoice.issued" ||
		got[1].event.Data["invoiceId"] != inv.ID.String() || got[1].event.Data["numero"] != "FV-WH-1" || got[1].event.Data["total"] != 1172150.0 {
		t.Fatalf("the deliveries: %+v", got)
	}
	for _, rec := range got {
		if !verifies(rec, w.Secreto) || verifies(rec, w.Secreto+"x") {
			t.Fatalf("the signature %q does not verify with the secret", rec.signature)
		}
	}
	log := decode[[]api.WebhookAttempt](t, e.do(http.MethodGet, "/billing/webhooks/"+w.ID.String()+"/deliveries", l.admin, nil))
	if len(log) != 2 || log[0].EstadoHTTP == nil || *log[0].EstadoHTTP != 200 || log[0].Error != nil ||
		*log[1].EstadoHTTP != 503 || log[1].Error == nil || log[1].Intento != 1 || log[0].Tipo != api.WebhookEventInvoiceIssued {
		t.Fatalf("the delivery log: %+v", log)
	}

	// A rotated secret signs what follows; a reversal is not subscribed.
	rot := decode[api.WebhookWithSecret](t, e.do(http.MethodPost, "/billing/webhooks/"+w.ID.String()+"/rotate-secret", l.admin, nil))
	if rot.Secreto == w.Secreto {
		t.Fatal("the secret did not change")
	}
	pay := decode[api.Payment](t, l.pay(inv.ID.String(), "1000"))
	wantStatus(t, e.do(http.MethodPost, "/billing/payments/"+pay.ID.String()+"/reverse", l.admin, api.ReversePayment{Motivo: "error"}), http.StatusOK)
	eventually(t, "the payment delivered", func() bool { return len(hook.received()) == 3 })
	if p := hook.received()[2]; p.event.Type != "payment.recorded" || p.event.Data["valor"] != 1000.0 || !verifies(p, rot.Secreto) || verifies(p, w.Secreto) {
		t.Fatalf("the payment's delivery: %+v", p)
	}

	// Another tenant sees none of it.
	other := e.token(e.tenant("B"), auth.RoleAdmin)
	if rows := decode[[]api.Webhook](t, e.do(http.MethodGet, "/billing/webhooks", other, nil)); len(rows) != 0 {
		t.Fatalf("another tenant lists %+v", rows)
	}
	for _, c := range []struct{ method, path string }{
		{http.MethodDelete, "/billing/webhooks/" + w.ID.String()},
		{http.MethodPost, "/billing/webhooks/" + w.ID.String() + "/rotate-secret"},
		{http.MethodGet, "/billing/webhooks/" + w.ID.String() + "/deliveries"},
	} {
		wantProblem(t, e.do(c.method, c.path, other, nil), http.StatusNotFound, "webhook_not_found")
	}

	// Deleted: nothing more is queued for it.
	wantStatus(t, e.do(http.MethodDelete, "/billing/webhooks/"+w.ID.String(), l.admin, nil), http.StatusNoContent)
	wantProblem(t, e.do(http.MethodDelete, "/billing/webhooks/"+w.ID.String(), l.admin, nil), http.StatusNotFound, "webhook_not_found")
	before := len(decode[[]api.Delivery](t, e.do(http.MethodGet, "/billing/deliveries", l.admin, nil)))
	l.pay(inv.ID.String(), "1000")
	if after := len(decode[[]api.Delivery](t, e.do(http.MethodGet, "/billing/deliveries", l.admin, nil))); after != before {
		t.Fatalf("a delivery was queued for a deleted endpoint: %d → %d", before, after)
	}

	// Refused URLs name the field.
	for _, u := range []string{"ftp://erp.example.com/x", "https://10.0.0.8/hook", "https://169.254.169.254/latest", "http://erp.example.com/x"} {
		p := wantProblem(t, e.do(http.MethodPost, "/billing/webhooks", l.admin, api.CreateWebhook{URL: u, Eventos: []api.WebhookEvent{api.WebhookEventInvoiceIssued}}),
			http.StatusBadRequest, "webhook_url_not_allowed")
		if !hasField(p, "body.url") {
			t.Errorf("%s: %+v", u, p.Errors)
		}
	}
	wantProblem(t, e.do(http.MethodPost, "/billing/webhooks", l.admin, map[string]any{"url": "https://erp.example.com/x", "eventos": []string{"invoice.deleted"}}),
		http.StatusBadRequest, "invalid_request")
}
