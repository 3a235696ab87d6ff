package server_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"

	"billing/gen/api"
)

// parallel runs f(i) for i in [0, n) at once and returns the statuses.
func parallel(n int, f func(i int) response) []response {
	out := make([]response, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			out[i] = f(i)
		}(i)
	}
	close(start)
	wg.Wait()
	return out
}

func TestRaceSameNumero(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	results := parallel(50, func(int) response {
		return l.e.do(http.MethodPost, "/billing/invoices", l.operador, l.seedInvoice("FV-RACE"))
	})
	created := 0
	for _, r := range results {
		switch r.Status {
		case http.StatusCreated:
			created++
		case http.StatusBadRequest:
			if p := r.problem(t); p.Code != "invoice_numero_taken" {
				t.Fatalf("loser answered %s", r.Body)
			}
		default:
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	}
	if created != 1 {
		t.Fatalf("%d creates won, want exactly 1", created)
	}
	list := decode[[]api.InvoiceSummary](t, l.e.do(http.MethodGet, "/billing/invoices", l.admin, nil))
	if len(list) != 1 || list[0].ItemCount != 2 {
		t.Fatalf("ledger after the race: %+v", list)
	}
}

func TestRaceStatusChanges(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	for round := 0; round < 3; round++ {
		inv := createInvoice(t, l.e, l.operador, l.seedInvoice(fmt.Sprintf("FV-S%d", round)))
		path := "/billing/invoices/" + inv.ID.String()
		targets := []string{"ISSUED", "CANCELLED", "DRAFT"}
		results := parallel(20, func(int) response {
			return l.e.do(http.MethodPatch, path+"/status", l.admin, map[string]any{"status": targets[rand.IntN(3)]})
		})
		ok := 0
		for _, r := range results {
			switch r.Status {
			case http.StatusOK:
				ok++
			case http.StatusBadRequest:
			default:
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
		}
		final := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, path, l.admin, nil))
		events := decode[[]api.InvoiceEvent](t, l.e.do(http.MethodGet, path+"/history", l.admin, nil))
		if len(events) != ok+1 {
			t.Fatalf("%d successful changes but %d events", ok, len(events)-1)
		}
		at := api.InvoiceStatusDRAFT
		for i, ev := range events[1:] {
			if ev.From == nil || *ev.From != at {
				t.Fatalf("event %d goes from %v, but the invoice was %s", i+1, ev.From, at)
			}
			at = ev.To
		}
		if final.Status != at {
			t.Fatalf("final status %s, history ends at %s", final.Status, at)
		}
		if (final.Status == api.InvoiceStatusISSUED) != (final.IssuedAt != nil && final.CancelledAt == nil) {
			t.Fatalf("final %s with issuedAt %v cancelledAt %v", final.Status, final.IssuedAt, final.CancelledAt)
		}
	}
}

// TestRaceDeleteCustomerWhileInvoicing: each round deletes a customer while
// invoicing it. Either the delete wins (the invoice answers
// customer_not_found) or the invoice does (the delete answers 409); never an
// invoice of a deleted customer.
func TestRaceDeleteCustomerWhileInvoicing(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	for round := 0; round < 15; round++ {
		c := createCustomer(t, l.e, l.admin, map[string]any{"razonSocial": "Efímero", "nit": fmt.Sprintf("5000%03d", round)})
		results := parallel(2, func(i int) response {
			if i == 0 {
				return l.e.do(http.MethodDelete, "/billing/customers/"+c.ID.String(), l.admin, nil)
			}
			return l.e.do(http.MethodPost, "/billing/invoices", l.operador,
				invoiceBody(c.ID.String(), fmt.Sprintf("FV-D%d", round), map[string]any{"descripcion": "x", "cantidad": 1, "valorUnitario": 1}))
		})
		del, inv := results[0], results[1]
		switch {
		case del.Status == http.StatusNoContent && inv.Status == http.StatusBadRequest:
			if p := inv.problem(t); p.Code != "customer_not_found" {
				t.Fatalf("round %d: invoice answered %s", round, inv.Body)
			}
		case del.Status == http.StatusConflict && inv.Status == http.StatusCreated:
		default:
			t.Fatalf("round %d: delete %d %s, invoice %d %s", round, del.Status, del.Body, inv.Status, inv.Body)
		}
	}
	var orphans int
	if err := l.e.rawQueryRow(`SELECT count(*) FROM invoices i WHERE NOT EXISTS
		(SELECT 1 FROM customers c WHERE c.tenant_id = i.tenant_id AND c.id = i.customer_id)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Fatalf("%d invoices of deleted customers (%v)", orphans, err)
	}
}

// TestRaceReadWhileEditingDraft: a GET of an invoice whose draft is being
// replaced sees one version whole (header, totals and lines of the same
// edit), never the header of one edit with the lines of another.
func TestRaceReadWhileEditingDraft(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	two := l.seedInvoice("FV-TWO") // 2 lines, total 1172150.00
	one := invoiceBody(l.customer.ID.String(), "FV-ONE", map[string]any{"descripcion": "Una línea", "cantidad": 1, "valorUnitario": 1000})
	inv := createInvoice(t, l.e, l.operador, two)
	path := "/billing/invoices/" + inv.ID.String()

	done := make(chan struct{})
	var wg sync.WaitGroup
	var reads, mixed sync.Map
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-done:
					reads.Store(r, n)
					return
				default:
				}
				res := l.e.do(http.MethodGet, path, l.admin, nil)
				if res.Status != http.StatusOK {
					mixed.Store(fmt.Sprintf("%d-%d", r, n), fmt.Sprintf("status %d: %s", res.Status, res.Body))
					continue
				}
				got := decode[api.Invoice](t, res)
				whole := (numeroOf(got.Numero) == "FV-TWO" && len(got.Items) == 2 && got.Total.String() == "1172150.00") ||
					(numeroOf(got.Numero) == "FV-ONE" && len(got.Items) == 1 && got.Total.String() == "1190.00")
				if !whole {
					mixed.Store(fmt.Sprintf("%d-%d", r, n), fmt.Sprintf("%s with %d lines, total %s", numeroOf(got.Numero), len(got.Items), got.Total))
				}
			}
		}(r)
	}
	for i := 0; i < 40; i++ {
		body := one
		if i%2 == 1 {
			body = two
		}
		wantStatus(t, l.e.do(http.MethodPut, path, l.operador, body), http.StatusOK)
	}
	close(done)
	wg.Wait()
	mixed.Range(func(k, v any) bool {
		t.Errorf("read %v saw a mixed invoice: %v", k, v)
		return true
	})
	total := 0
	reads.Range(func(_, v any) bool { total += v.(int); return true })
	if total == 0 {
		t.Fatal("no read ran during the edits")
	}
}
