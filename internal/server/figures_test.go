package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/billing"
)

// TestMaintainedFiguresMatchLive drives random sequences of every write that
// moves the dashboard (customer create, status change, delete; invoice
// create, edit, status change; refused writes too) and checks after each one
// that the maintained figures equal the live aggregate. It fails unless every
// kind of write, and every allowed status change, succeeded several times:
// a kind that is only ever refused tests nothing.
func TestMaintainedFiguresMatchLive(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant := e.tenant("A")
	other := e.tenant("B") // its writes must never show in A's figures
	admin, otherAdmin := e.token(tenant, auth.RoleAdmin), e.token(other, auth.RoleAdmin)
	rng := rand.New(rand.NewPCG(7, 11))
	ctx := context.Background()
	var customers, invoices []string
	status := map[string]string{} // invoice id -> its status, as last answered
	succeeded := map[string]int{}
	line := func() map[string]any {
		return map[string]any{"descripcion": "x", "cantidad": json.Number(fmt.Sprintf("%d.%d", 1+rng.IntN(5), rng.IntN(1000))),
			"valorUnitario": rng.IntN(100000), "impuesto": []int{0, 5, 19}[rng.IntN(3)]}
	}
	pick := func(ids []string) string {
		if len(ids) == 0 {
			return uuid.Nil.String()
		}
		return ids[rng.IntN(len(ids))]
	}
	// pickIn prefers an invoice in state (say a DRAFT, the only editable
	// kind) three times in four, so that allowed writes happen often.
	pickIn := func(state api.InvoiceStatus) string {
		var in []string
		for _, id := range invoices {
			if status[id] == string(state) {
				in = append(in, id)
			}
		}
		if len(in) > 0 && rng.IntN(4) > 0 {
			return pick(in)
		}
		return pick(invoices)
	}
	check := func(step int, what string) {
		t.Helper()
		maintained, err := e.store.Figures(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		live, err := e.store.LiveFigures(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		if !maintained.Equal(live) {
			t.Fatalf("step %d (%s): maintained %+v, live %+v", step, what, maintained, live)
		}
		// The overdue part, kept by due date, on a day every balance is past
		// due and on one none is.
		for _, on := range []billing.Date{billing.NewDate(2100, 1, 1), billing.NewDate(2000, 1, 1)} {
			kept, err := e.store.Dashboard(ctx, tenant, on)
			if err != nil {
				t.Fatal(err)
			}
			overdue, err := e.store.LiveOverdue(ctx, tenant, on)
			if err != nil {
				t.Fatal(err)
			}
			if kept.CarteraVencida.Cmp(overdue) != 0 {
				t.Fatalf("step %d (%s): overdue on %s kept %s, live %s", step, what, on, kept.CarteraVencida, overdue)
			}
		}
	}
	var payments []string // ids of the payments recorded
	for step := 0; step < 800; step++ {
		var what string
		var r response
		switch op := rng.IntN(10); op {
		case 0:
			what = "create customer"
			r = e.do(http.MethodPost, "/billing/customers", admin, map[string]any{"razonSocial": "C", "nit": fmt.Sprintf("7%08d", step)})
			if r.Status == http.StatusCreated {
				customers = append(customers, decode[api.Customer](t, r).ID.String())
			}
		case 1:
			what = "customer status"
			r = e.do(http.MethodPatch, "/billing/customers/"+pick(customers), admin, map[string]any{"status": []string{"ACTIVE", "INACTIVE"}[rng.IntN(2)]})
		case 2:
			what = "delete customer"
			r = e.do(http.MethodDelete, "/billing/customers/"+pick(customers), admin, nil)
		case 3, 4:
			what = "create invoice"
			lines := []map[string]any{line()}
			if rng.IntN(2) == 0 {
				lines = append(lines, line())
			}
			r = e.do(http.MethodPost, "/billing/invoices", admin, invoiceBody(pick(customers), fmt.Sprintf("FV-%d", step), lines...))
			if r.Status == http.StatusCreated {
				id := decode[api.Invoice](t, r).ID.String()
				invoices, status[id] = append(invoices, id), string(api.InvoiceStatusDRAFT)
			}
		case 5:
			what = "edit invoice"
			r = e.do(http.MethodPut, "/billing/invoices/"+pickIn(api.InvoiceStatusDRAFT), admin, invoiceBody(pick(customers), fmt.Sprintf("FV-E%d", step), line()))
		case 6:
			id := pickIn([]api.InvoiceStatus{api.InvoiceStatusDRAFT, api.InvoiceStatusISSUED}[rng.IntN(2)])
			to := []string{"ISSUED", "CANCELLED", "DRAFT"}[rng.IntN(3)]
			what = "invoice " + status[id] + " -> " + to
			r = e.do(http.MethodPatch, "/billing/invoices/"+id+"/status", admin, map[string]any{"status": to})
			if r.Status == http.StatusOK {
				status[id] = to
			}
		case 8:
			what = "payment"
			// Any invoice, not one ISSUED by preference: a paid invoice can no
			// longer be cancelled, and cancels must keep happening.
			r = e.do(http.MethodPost, "/billing/invoices/"+pick(invoices)+"/payments", admin,
				map[string]any{"valor": json.Number(fmt.Sprintf("%d.%02d", rng.IntN(50000), rng.IntN(100))), "fecha": time.Now().In(billing.Colombia).Format(time.DateOnly)})
			if r.Status == http.StatusCreated {
				payments = append(payments, decode[api.Payment](t, r).ID.String())
			}
		case 9:
			what = "reverse payment"
			r = e.do(http.MethodPost, "/billing/payments/"+pick(payments)+"/reverse", admin, map[string]any{"motivo": "error"})
		case 7:
			what = "another tenant's writes"
			r = e.do(http.MethodPost, "/billing/customers", otherAdmin, map[string]any{"razonSocial": "B", "nit": fmt.Sprintf("8%08d", step)})
		}
		if r.Status < 300 {
			succeeded[what]++
		}
		check(step, what)
	}
	for _, what := range []string{"create customer", "customer status", "delete customer", "create invoice", "edit invoice",
		"invoice DRAFT -> ISSUED", "invoice DRAFT -> CANCELLED", "invoice ISSUED -> CANCELLED", "another tenant's writes",
		"payment", "reverse payment"} {
		if succeeded[what] < 3 {
			t.Errorf("%q succeeded %d times in the sequence, want at least 3: %v", what, succeeded[what], succeeded)
		}
	}
}

// TestMaintainedFiguresUnderConcurrency: concurrent writers of one tenant
// (spread over the slots) leave the figures equal to the live aggregate.
func TestMaintainedFiguresUnderConcurrency(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				r := l.e.do(http.MethodPost, "/billing/invoices", l.operador, l.seedInvoice(fmt.Sprintf("FV-%d-%d", w, i)))
				if r.Status != http.StatusCreated || i%2 == 1 {
					continue
				}
				id := decodeTB[struct{ ID string }](t, r).ID
				l.e.do(http.MethodPatch, "/billing/invoices/"+id+"/status", l.admin, map[string]any{"status": "ISSUED"})
			}
		}(w)
	}
	wg.Wait()
	maintained, _ := l.e.store.Figures(context.Background(), l.tenant)
	live, _ := l.e.store.LiveFigures(context.Background(), l.tenant)
	if !maintained.Equal(live) || live.FacturasEmitidas != 40 || live.FacturasBorrador != 40 {
		t.Fatalf("maintained %+v, live %+v", maintained, live)
	}
}

// TestReconcile: figures knocked out of line are put right, and a reconcile
// racing writers loses none of their changes.
func TestReconcile(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	ctx := context.Background()
	inv := createInvoice(t, l.e, l.operador, l.seedInvoice("FV-R"))
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/invoices/"+inv.ID.String()+"/status", l.admin, map[string]any{"status": "ISSUED"}), 200)
	if err := l.e.rawExec("UPDATE tenant_stats SET facturas_emitidas = facturas_emitidas + 41, ingresos_estimados = 0"); err != nil {
		t.Fatal(err)
	}
	before, after, err := l.e.store.Reconcile(ctx, l.tenant)
	if err != nil {
		t.Fatal(err)
	}
	live, _ := l.e.store.LiveFigures(ctx, l.tenant)
	if before.FacturasEmitidas < 42 || !after.Equal(live) || after.FacturasEmitidas != 1 || after.IngresosEstimados.String() != "1172150.00" {
		t.Fatalf("before %+v after %+v live %+v", before, after, live)
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				l.e.do(http.MethodPost, "/billing/invoices", l.operador, l.seedInvoice(fmt.Sprintf("FV-C%d-%d", w, i)))
			}
		}(w)
	}
	for i := 0; i < 5; i++ {
		if _, _, err := l.e.store.Reconcile(ctx, l.tenant); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
	maintained, _ := l.e.store.Figures(ctx, l.tenant)
	live, _ = l.e.store.LiveFigures(ctx, l.tenant)
	if !maintained.Equal(live) || live.FacturasBorrador != 40 {
		t.Fatalf("after racing reconciles: maintained %+v, live %+v", maintained, live)
	}
}
