package resilience_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"billing/internal/devcert"
	"billing/internal/dian"
	"billing/internal/dianfake"
	"billing/internal/mailcatch"
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

const (
	softwareID, softwarePIN = "56f2ae4e-9812-4fad-9255-08fcfcd5ccb0", "pin-75315"
	// mailFrom is BILLING_SMTP_FROM; customerEmail the seeded customer's.
	mailFrom, customerEmail = "facturacion@billing.test", "tesoreria@cliente-r.test"
)

// TestDeliveriesSurviveSIGKILL: the service is killed (SIGKILL) while 200
// electronic invoices are being issued, signed, sent to DIAN's double and
// announced to a webhook. After a restart (and, for a job the kill left
// running, River's rescue of it) every issued invoice ends
// accepted by DIAN with no further action, every issue and every
// acceptance reaches the webhook, every invoice is mailed to its customer,
// and an event or a message delivered more than once keeps its id (none
// is sent twice under two ids, no id stands for two).
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
	settled := r.settle(drafts, time.Now(), 3*time.Minute, "after the restart")
	t.Logf("killed after %d of %d issues acknowledged; %d more issued after the restart; %s", killedAt, n, after.Load(), settled)
}

// settle waits until every invoice of acked is accepted by DIAN's double
// (within of since), mailed to its customer and its issue and acceptance
// announced (a minute more each), and the outbox has no job left, and
// returns the figures for the log (after says what since is).
func (rg *deliveryRig) settle(acked []string, since time.Time, within time.Duration, after string) string {
	rg.t.Helper()
	rg.waitAccepted(acked, within, fmt.Sprintf("%s %s", within, after))
	accepted := time.Since(since)
	mails, mailAgain := rg.waitMailed(acked, time.Minute)
	mailed := time.Since(since)
	events, eventAgain := rg.waitAnnounced(acked, time.Minute)
	rg.waitDrained(30 * time.Second)
	return fmt.Sprintf("all %d acknowledged accepted by DIAN's double %s %s (%d sends) and mailed %s %s "+
		"(%d messages, %d distinct Message-IDs, %d messages again with the same one); %d events delivered, %d of them again with the same id",
		len(acked), accepted.Round(10*time.Millisecond), after, rg.fake.Received(dian.OpSendBillSync), mailed.Round(10*time.Millisecond), after,
		len(mails)+mailAgain, len(mails), mailAgain, len(events), eventAgain)
}

// deliveryRig is what the delivery tests share: DIAN's double, a webhook
// receiver, an SMTP catcher, the service configured to sign, send,
// announce and mail, a tenant and its drafts.
type deliveryRig struct {
	t         *testing.T
	fake      *dianfake.Fake
	hooks     *hookLog
	mail      *mailcatch.Catcher
	dsn, addr string
	env       []string
	s         *service
	token     string
	drafts    []string
}

// newDeliveryRig starts DIAN's double, a webhook receiver, an SMTP catcher
// and the service on dsn, gives a tenant a fiscal profile that mails each
// accepted invoice, a numbering resolution, a certificate and a webhook
// for invoice.issued and invoice.accepted, gives its customer an email,
// and creates n draft invoices. A failed test logs the outbox's jobs and
// the service's log.
func newDeliveryRig(t *testing.T, dsn string, n int) *deliveryRig {
	t.Helper()
	rg := &deliveryRig{t: t, dsn: dsn, addr: freeAddr(t), hooks: &hookLog{}}
	rg.fake = dianfake.New(slog.New(slog.NewTextHandler(io.Discard, nil)), filepath.Join("..", "dian", "testdata", "ubl-2.1"), nil,
		map[string]string{softwareID: softwarePIN})
	dianSrv := httptest.NewServer(rg.fake)
	t.Cleanup(dianSrv.Close)
	hookSrv := httptest.NewServer(rg.hooks)
	t.Cleanup(hookSrv.Close)
	var err error
	if rg.mail, err = mailcatch.Start("127.0.0.1:0", mailcatch.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rg.mail.Close() })
	t.Cleanup(rg.logOutbox) // after the service is stopped, before the database is
	rg.env = []string{"BILLING_SECRET_KEY=" + secretbox.NewKey(), "BILLING_DIAN_URL=" + dianSrv.URL + "/WcfDianCustomerServices.svc",
		"BILLING_WEBHOOKS_ALLOW_LOOPBACK=on", "BILLING_SMTP_URL=" + rg.mail.URL(), "BILLING_SMTP_FROM=" + mailFrom,
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
			"departamento": "Bogotá", "email": "f@colegio.co", "ambiente": "PRUEBAS", "softwareId": softwareID, "softwarePin": softwarePIN,
			"enviarAlAceptar": true}, 200},
		{http.MethodPost, "/billing/numbering-resolutions", map[string]any{"tipoDocumento": "FACTURA", "numeroResolucion": *r.NumeroResolucion,
			"fechaResolucion": r.FechaResolucion.String(), "prefijo": r.Prefijo, "desde": r.Desde, "hasta": r.Hasta,
			"vigenciaDesde": r.VigenciaDesde.String(), "vigenciaHasta": r.VigenciaHasta.String(), "claveTecnica": r.ClaveTecnica}, 201},
		{http.MethodPut, "/billing/fiscal-profile/certificate", map[string]any{"p12": base64.StdEncoding.EncodeToString(cert.P12), "password": "clave"}, 200},
		{http.MethodPost, "/billing/webhooks", map[string]any{"url": hookSrv.URL, "eventos": []string{"invoice.issued", "invoice.accepted"}}, 201},
		{http.MethodPatch, "/billing/customers/" + customer, map[string]any{"email": customerEmail}, 200},
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

// delivery is one delivery a receiver got: what it is about (key) and the
// id it came under.
type delivery struct{ key, id string }

// waitDelivered waits until every key of want was delivered (got lists the
// deliveries so far), failing the test after within, or as soon as a key
// arrives under two ids or one id for two keys. It returns the id of each
// key delivered and how many deliveries repeated one.
func (rg *deliveryRig) waitDelivered(what string, want []string, within time.Duration, got func() []delivery) (map[string]string, int) {
	rg.t.Helper()
	deadline := time.Now().Add(within)
	for {
		ids, keys, again := map[string]string{}, map[string]string{}, 0
		for _, d := range got() {
			if prev, ok := ids[d.key]; ok {
				again++
				if prev != d.id {
					rg.t.Fatalf("%s delivered under two ids, %s and %s", d.key, prev, d.id)
				}
			}
			if prev, ok := keys[d.id]; ok && prev != d.key {
				rg.t.Fatalf("id %s delivered for %s and for %s", d.id, prev, d.key)
			}
			ids[d.key], keys[d.id] = d.id, d.key
		}
		missing := 0
		for _, k := range want {
			if ids[k] == "" {
				missing++
			}
		}
		if missing == 0 {
			return ids, again
		}
		if time.Now().After(deadline) {
			rg.t.Fatalf("%d of %d %s never arrived", missing, len(want), what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitAnnounced waits until the issue and the acceptance of every invoice
// of invoices reached the webhook, each (type, invoice) under one event id
// (see waitDelivered).
func (rg *deliveryRig) waitAnnounced(invoices []string, within time.Duration) (map[string]string, int) {
	rg.t.Helper()
	var want []string
	for _, id := range invoices {
		want = append(want, "invoice.issued "+id, "invoice.accepted "+id)
	}
	return rg.waitDelivered("events", want, within, func() []delivery {
		rg.hooks.mu.Lock()
		defer rg.hooks.mu.Unlock()
		var ds []delivery
		for _, e := range rg.hooks.events {
			ds = append(ds, delivery{e.Type + " " + e.Data.InvoiceID, e.ID})
		}
		return ds
	})
}

// waitMailed waits until every invoice of invoices was mailed to the
// customer, each invoice (its numero, as the Subject names it) under one
// Message-ID (see waitDelivered). It fails on a message that is not an
// invoice's: its envelope, its Subject (NIT;Razón social;numero;01;Nombre
// comercial), its Message-ID <…@billing> and its one attachment,
// <numero>.zip.
func (rg *deliveryRig) waitMailed(invoices []string, within time.Duration) (map[string]string, int) {
	rg.t.Helper()
	var numeros []string
	for _, id := range invoices {
		status, body, err := rg.s.call(http.MethodGet, "/billing/invoices/"+id, rg.token, nil)
		var inv struct {
			Numero string `json:"numero"`
		}
		if err != nil || status != http.StatusOK || json.Unmarshal(body, &inv) != nil || inv.Numero == "" {
			rg.t.Fatalf("reading invoice %s: %d %s %v", id, status, body, err)
		}
		numeros = append(numeros, inv.Numero)
	}
	return rg.waitDelivered("invoices' messages", numeros, within, func() []delivery {
		var ds []delivery
		for _, m := range rg.mail.Messages() {
			h, err := m.Header()
			subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
			f, id := strings.Split(subject, ";"), h.Get("Message-ID")
			if err != nil || m.From != mailFrom || len(m.To) != 1 || m.To[0] != customerEmail || len(f) != 5 || f[3] != "01" ||
				!strings.HasSuffix(id, "@billing>") || bytes.Count(m.Data, []byte("filename=")) != 1 ||
				!bytes.Contains(m.Data, []byte(`filename="`+f[2]+`.zip"`)) {
				rg.t.Fatalf("not an invoice's message (%v): from %s to %v, Message-ID %s, subject %q:\n%.3000s", err, m.From, m.To, id, subject, m.Data)
			}
			ds = append(ds, delivery{f[2], id})
		}
		return ds
	})
}

// waitDrained waits until every job of the outbox completed (a mailing
// completes once recorded on the invoice's history) or was cancelled (the
// mailing of an invoice annulled before it was accepted), failing the test
// after within; logOutbox then lists the jobs left.
func (rg *deliveryRig) waitDrained(within time.Duration) {
	rg.t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, rg.dsn)
	if err != nil {
		rg.t.Fatal(err)
	}
	defer conn.Close(ctx)
	for deadline := time.Now().Add(within); ; time.Sleep(100 * time.Millisecond) {
		var left int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled')`).Scan(&left); err != nil {
			rg.t.Fatal(err)
		}
		if left == 0 {
			return
		}
		if time.Now().After(deadline) {
			rg.t.Fatalf("%d outbox jobs not completed %s after every delivery arrived", left, within)
		}
	}
}

// logOutbox logs River's jobs by kind and state; when the test failed,
// also the jobs not completed with their last error, the leader, and the
// end of the (last) service's log.
func (rg *deliveryRig) logOutbox() {
	ctx := context.Background()
	if conn, err := pgx.Connect(ctx, rg.dsn); err != nil {
		rg.t.Logf("outbox: %v", err)
	} else {
		defer conn.Close(ctx)
		queries := []string{`SELECT 'jobs: ' || string_agg(line, '; ' ORDER BY line) FROM (SELECT kind || ' ' || state || ': ' || count(*) ||
			' (attempts up to ' || max(attempt) || ')' AS line FROM river_job GROUP BY kind, state) j`}
		if rg.t.Failed() {
			queries = append(queries, `SELECT 'jobs not completed: ' || coalesce(string_agg(format(E'\n  %s %s %s attempt %s, scheduled %s: %s',
				kind, id, state, attempt, scheduled_at, errors[array_length(errors, 1)]->>'error'), '' ORDER BY id), 'none')
				FROM (SELECT * FROM river_job WHERE state <> 'completed' ORDER BY id LIMIT 30) j`,
				`SELECT 'leader: ' || coalesce(string_agg(leader_id || ' until ' || expires_at, ', '), 'none') || ', now ' || now() FROM river_leader`)
		}
		for _, q := range queries {
			var line *string
			if err := conn.QueryRow(ctx, q).Scan(&line); err != nil {
				rg.t.Logf("outbox: %v", err)
			} else if line != nil {
				rg.t.Logf("outbox %s", *line)
			}
		}
	}
	if !rg.t.Failed() || rg.s == nil {
		return
	}
	var lines []string // the workers' lines, not the requests'
	for _, l := range strings.Split(strings.TrimSpace(rg.s.log.String()), "\n") {
		if !strings.Contains(l, `"msg":"request`) {
			lines = append(lines, l)
		}
	}
	rg.t.Logf("the service's log without its requests, the last 60 lines:\n%s", strings.Join(lines[max(0, len(lines)-60):], "\n"))
}
