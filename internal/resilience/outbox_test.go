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
	fake := dianfake.New(slog.New(slog.NewTextHandler(io.Discard, nil)), filepath.Join("..", "dian", "testdata", "ubl-2.1"), nil,
		map[string]string{softwareID: softwarePIN})
	dianSrv := httptest.NewServer(fake)
	defer dianSrv.Close()
	hooks := &hookLog{}
	hookSrv := httptest.NewServer(hooks)
	defer hookSrv.Close()

	dsn := testdb.DSN(t)
	addr := freeAddr(t)
	env := []string{"BILLING_SECRET_KEY=" + secretbox.NewKey(), "BILLING_DIAN_URL=" + dianSrv.URL + "/WcfDianCustomerServices.svc",
		"BILLING_WEBHOOKS_ALLOW_LOOPBACK=on",
		// A job the kill left running is run again after 10 s rather than
		// the default 2 minutes.
		"BILLING_OUTBOX_RESCUE_AFTER=10s"}
	s := startService(t, dsn, addr, env...)
	token, customer := seedTenant(t, s)
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
		if status, body, err := s.call(c.method, c.path, token, c.body); err != nil || status != c.want {
			t.Fatalf("%s %s: %d %s %v", c.method, c.path, status, body, err)
		}
	}
	const n = 200
	drafts := make([]string, n)
	for i := range drafts {
		status, body, err := s.call(http.MethodPost, "/billing/invoices", token, map[string]any{"customerId": customer,
			"items": []map[string]any{{"descripcion": "Pensión", "cantidad": 1, "valorUnitario": 350000, "tratamiento": "EXCLUIDO"}}})
		if err != nil || status != http.StatusCreated {
			t.Fatalf("draft %d: %d %s %v", i, status, body, err)
		}
		var d struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(body, &d)
		drafts[i] = d.ID
	}

	// Issue them from 8 clients; kill the service part-way, restart it,
	// and issue whatever was not issued (an issue the kill interrupted
	// either committed, and is ISSUED, or left a draft).
	issue := func(s *service, ids []string, issued *atomic.Int64) {
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
					status, _, err := s.call(http.MethodPatch, "/billing/invoices/"+ids[i]+"/status", token, map[string]any{"status": "ISSUED"})
					if err == nil && status == http.StatusOK {
						issued.Add(1)
					}
				}
			}()
		}
		wg.Wait()
	}
	var before atomic.Int64
	done := make(chan struct{})
	go func() { issue(s, drafts, &before); close(done) }()
	for before.Load() < n/3 {
		time.Sleep(5 * time.Millisecond)
	}
	s.kill()
	<-done
	killedAt := before.Load()
	s = startService(t, dsn, addr, env...)
	var after atomic.Int64
	issue(s, drafts, &after) // the ones already issued answer 400 and are left as they are
	restarted := time.Now()

	accepted := func() int {
		count := 0
		for _, id := range drafts {
			status, body, err := s.call(http.MethodGet, "/billing/invoices/"+id+"/einvoice", token, nil)
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
	deadline := time.Now().Add(3 * time.Minute)
	for accepted() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d invoices accepted 3 minutes after the restart", accepted(), n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	settled := time.Since(restarted)

	// Every issue and acceptance announced; each (type, invoice) under
	// one event id however many times it was delivered.
	want := map[string]bool{}
	for _, id := range drafts {
		want["invoice.issued "+id], want["invoice.accepted "+id] = true, true
	}
	var ids map[string]string
	var duplicates int
	deadline = time.Now().Add(time.Minute)
	for {
		hooks.mu.Lock()
		ids, duplicates = map[string]string{}, 0
		conflict := ""
		for _, e := range hooks.events {
			k := e.Type + " " + e.Data.InvoiceID
			if prev, ok := ids[k]; ok {
				duplicates++
				if prev != e.ID {
					conflict = fmt.Sprintf("%s announced under two ids, %s and %s", k, prev, e.ID)
				}
			}
			ids[k] = e.ID
		}
		hooks.mu.Unlock()
		if conflict != "" {
			t.Fatal(conflict)
		}
		missing := 0
		for k := range want {
			if ids[k] == "" {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d events never reached the webhook", missing, len(want))
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("killed after %d of %d issues acknowledged; %d more issued after the restart; all %d accepted by DIAN's double %s after the restart "+
		"(%d sends); %d events delivered, %d of them again with the same id",
		killedAt, n, after.Load(), n, settled.Round(10*time.Millisecond), fake.Received(dian.OpSendBillSync), len(ids), duplicates)
}
