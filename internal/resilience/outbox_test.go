package resilience_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"billing/internal/devcert"
	"billing/internal/dian"
	"billing/internal/dianfake"
	secretbox "billing/internal/secret"
	"billing/internal/testdb"
)

// hookLog is a webhook receiver that keeps every delivery's event.
type hookLog struct {
	mu     sync.Mutex
	events []hookEvent
}

type hookEvent struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data struct {
		InvoiceID string `json:"invoiceId"`
	} `json:"data"`
}

func (h *hookLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var e hookEvent
	b, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(b, &e)
	h.mu.Lock()
	h.events = append(h.events, e)
	h.mu.Unlock()
}

const softwareID, softwarePIN = "56f2ae4e-9812-4fad-9255-08fcfcd5ccb0", "pin-75315"

// TestDeliveriesSurviveSIGKILL: the service is killed (SIGKILL) while 200
// electronic invoices are being issued, signed, sent to DIAN's double and
// announced to a webhook. After a restart (and, for a job the kill left
// running, River's rescue of it) every issued invoice ends
// accepted by DIAN with no further action, every issue and every
// acceptance reaches the webhook, and an event delivered more than once
// keeps its id (no event is emitted twice under two ids).
func TestDeliveriesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	const n = 200
	r := newDeliveryRig(t, testdb.DSN(t), n)
	drafts := r.drafts

	// Issue them from 8 clients; kill the service part-way, restart it,
	// and issue whatever was not issued (an issue the kill interrupted
	// either committed, and is ISSUED, or left a draft).
	issue := func(s *service, ids []string, issued *atomic.Int64) {
		issueConcurrently(ids, func(id string) {
			if status, _, err := r.issue(s, id); err == nil && status == http.StatusOK {
				issued.Add(1)
			}
		})
	}
	var before atomic.Int64
	done := make(chan struct{})
	go func() { issue(r.s, drafts, &before); close(done) }()
	for before.Load() < n/3 {
		time.Sleep(5 * time.Millisecond)
	}
	r.s.kill()
	<-done
	killedAt := before.Load()
	r.start()
	var after atomic.Int64
	issue(r.s, drafts, &after) // the ones already issued answer 400 and are left as they are
	restarted := time.Now()

	r.waitAccepted(drafts, 3*time.Minute, "3 minutes after the restart")
	settled := time.Since(restarted)

	// Every issue and acceptance announced; each (type, invoice) under
	// one event id however many times it was delivered.
	ids, duplicates := r.waitAnnounced(drafts, time.Minute)
	t.Logf("killed after %d of %d issues acknowledged; %d more issued after the restart; all %d accepted by DIAN's double %s after the restart "+
		"(%d sends); %d events delivered, %d of them again with the same id",
		killedAt, n, after.Load(), n, settled.Round(10*time.Millisecond), r.fake.Received(dian.OpSendBillSync), len(ids), duplicates)
}

// deliveryRig is what the delivery tests share: DIAN's double, a webhook
// receiver, the service configured to sign, send and announce, a tenant
// and its drafts.
type deliveryRig struct {
	t         *testing.T
	fake      *dianfake.Fake
	hooks     *hookLog
	dsn, addr string
	env       []string
	s         *service
	token     string
	drafts    []string
}

// newDeliveryRig starts DIAN's double, a webhook receiver and the service on
// dsn, gives a tenant a fiscal profile, a numbering resolution, a
// certificate and a webhook for invoice.issued and invoice.accepted, and
// creates n draft invoices.
func newDeliveryRig(t *testing.T, dsn string, n int) *deliveryRig {
	t.Helper()
	rg := &deliveryRig{t: t, dsn: dsn, addr: freeAddr(t), hooks: &hookLog{}}
	rg.fake = dianfake.New(slog.New(slog.NewTextHandler(io.Discard, nil)), filepath.Join("..", "dian", "testdata", "ubl-2.1"), nil,
		map[string]string{softwareID: softwarePIN})
	dianSrv := httptest.NewServer(rg.fake)
	t.Cleanup(dianSrv.Close)
	hookSrv := httptest.NewServer(rg.hooks)
	t.Cleanup(hookSrv.Close)
	rg.env = []string{"BILLING_SECRET_KEY=" + secretbox.NewKey(), "BILLING_DIAN_URL=" + dianSrv.URL + "/WcfDianCustomerServices.svc",
		"BILLING_WEBHOOKS_ALLOW_LOOPBACK=on",
		// A job the kill left running is run again after 10 s rather than
		// the default 2 minutes.
		"BILLING_OUTBOX_RESCUE_AFTER=10s"}
	rg.start()
	token, customer := seedTenant(t, rg.s)
	rg.token = token
	r := dian.TestRange()
	cert, err := devcert.New(devcert.Options{CommonName: "900123456", Organization: "Colegio R",
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), Password: "clave"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		method, path string
		body         any
		want         int
	}{
		{http.MethodPut, "/billing/fiscal-profile", map[string]any{"nit": "900123456-8", "razonSocial": "Colegio R", "tipoPersona": "JURIDICA",
			"responsabilidades": []string{"R-99-PN"}, "tributo": "ZZ", "direccion": "Calle 1", "municipio": "11001", "ciudad": "Bogotá",
			"departamento": "Bogotá", "email": "f@colegio.co", "ambiente": "PRUEBAS", "softwareId": softwareID, "softwarePin": softwarePIN}, 200},
		{http.MethodPost, "/billing/numbering-resolutions", map[string]any{"tipoDocumento": "FACTURA", "numeroResolucion": *r.NumeroResolucion,
			"fechaResolucion": r.FechaResolucion.String(), "prefijo": r.Prefijo, "desde": r.Desde, "hasta": r.Hasta,
			"vigenciaDesde": r.VigenciaDesde.String(), "vigenciaHasta": r.VigenciaHasta.String(), "claveTecnica": r.ClaveTecnica}, 201},
		{http.MethodPut, "/billing/fiscal-profile/certificate", map[string]any{"p12": base64.StdEncoding.EncodeToString(cert.P12), "password": "clave"}, 200},
		{http.MethodPost, "/billing/webhooks", map[string]any{"url": hookSrv.URL, "eventos": []string{"invoice.issued", "invoice.accepted"}}, 201},
	} {
		if status, body, err := rg.s.call(c.method, c.path, token, c.body); err != nil || status != c.want {
			t.Fatalf("%s %s: %d %s %v", c.method, c.path, status, body, err)
		}
	}
	rg.drafts = make([]string, n)
	for i := range rg.drafts {
		status, body, err := rg.s.call(http.MethodPost, "/billing/invoices", token, map[string]any{"customerId": customer,
			"items": []map[string]any{{"descripcion": "Pensión", "cantidad": 1, "valorUnitario": 350000, "tratamiento": "EXCLUIDO"}}})
		if err != nil || status != http.StatusCreated {
			t.Fatalf("draft %d: %d %s %v", i, status, body, err)
		}
		var d struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(body, &d)
		rg.drafts[i] = d.ID
	}
	return rg
}

// start starts (or starts again) the service, on the same address.
func (rg *deliveryRig) start() { rg.s = startService(rg.t, rg.dsn, rg.addr, rg.env...) }

// issue asks s to issue draft id once.
func (rg *deliveryRig) issue(s *service, id string) (int, []byte, error) {
	return s.call(http.MethodPatch, "/billing/invoices/"+id+"/status", rg.token, map[string]any{"status": "ISSUED"})
}

// issueConcurrently runs issue for every id, from 8 clients.
func issueConcurrently(ids []string, issue func(id string)) {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) {
					return
				}
				issue(ids[i])
			}
		}()
	}
	wg.Wait()
}

// accepted counts the invoices of ids DIAN's double has accepted, as the
// service reports them.
func (rg *deliveryRig) accepted(ids []string) int {
	count := 0
	for _, id := range ids {
		status, body, err := rg.s.call(http.MethodGet, "/billing/invoices/"+id+"/einvoice", rg.token, nil)
		var st struct {
			Estado string `json:"estado"`
		}
		_ = json.Unmarshal(body, &st)
		if err == nil && status == http.StatusOK && st.Estado == "ACEPTADA" {
			count++
		}
	}
	return count
}

// waitAccepted waits until every invoice of ids is accepted, failing the
// test after within (when says when that is, for the message).
func (rg *deliveryRig) waitAccepted(ids []string, within time.Duration, when string) {
	rg.t.Helper()
	deadline := time.Now().Add(within)
	for rg.accepted(ids) < len(ids) {
		if time.Now().After(deadline) {
			rg.t.Fatalf("%d of %d invoices accepted %s", rg.accepted(ids), len(ids), when)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitAnnounced waits until the issue and the acceptance of every invoice of
// invoices reached the webhook, failing the test after within or as soon
// as one (type, invoice) arrives under two event ids. It returns the event
// id of each (type, invoice) delivered and how many deliveries repeated one.
func (rg *deliveryRig) waitAnnounced(invoices []string, within time.Duration) (map[string]string, int) {
	rg.t.Helper()
	want := map[string]bool{}
	for _, id := range invoices {
		want["invoice.issued "+id], want["invoice.accepted "+id] = true, true
	}
	var ids map[string]string
	var duplicates int
	deadline := time.Now().Add(within)
	for {
		rg.hooks.mu.Lock()
		ids, duplicates = map[string]string{}, 0
		conflict := ""
		for _, e := range rg.hooks.events {
			k := e.Type + " " + e.Data.InvoiceID
			if prev, ok := ids[k]; ok {
				duplicates++
				if prev != e.ID {
					conflict = fmt.Sprintf("%s announced under two ids, %s and %s", k, prev, e.ID)
				}
			}
			ids[k] = e.ID
		}
		rg.hooks.mu.Unlock()
		if conflict != "" {
			rg.t.Fatal(conflict)
		}
		missing := 0
		for k := range want {
			if ids[k] == "" {
				missing++
			}
		}
		if missing == 0 {
			return ids, duplicates
		}
		if time.Now().After(deadline) {
			rg.t.Fatalf("%d of %d events never reached the webhook", missing, len(want))
		}
		time.Sleep(200 * time.Millisecond)
	}
}
