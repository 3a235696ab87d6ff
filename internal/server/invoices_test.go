package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"billing/gen/api"
	"billing/internal/auth"
)

func invoiceBody(customer, numero string, items ...map[string]any) map[string]any {
	return map[string]any{"customerId": customer, "numero": numero, "items": items}
}

func createInvoice(t *testing.T, e *env, token string, body any) api.Invoice {
	t.Helper()
	r := e.do(http.MethodPost, "/billing/invoices", token, body)
	wantStatus(t, r, http.StatusCreated)
	return decode[api.Invoice](t, r)
}

// ledger is a tenant with a customer and a product, ready to invoice.
type ledger struct {
	e        *env
	tenant   uuid.UUID
	admin    string
	operador string
	customer api.Customer
	product  api.Product
}

func newLedger(t *testing.T) *ledger {
	t.Helper()
	e := newEnv(t)
	l := &ledger{e: e, tenant: e.tenant("A")}
	l.admin, l.operador = e.token(l.tenant, auth.RoleAdmin), e.token(l.tenant, auth.RoleOperador)
	l.customer = createCustomer(t, e, l.admin, seedCustomer)
	l.product = createProduct(t, e, l.admin, map[string]any{"nombre": "Servicio de matrícula – Grado 5°", "precio": 850000})
	return l
}

// seedInvoice is the example request of POST /billing/invoices in the spec.
func (l *ledger) seedInvoice(numero string) map[string]any {
	return invoiceBody(l.customer.ID.String(), numero,
		map[string]any{"productServiceId": l.product.ID.String(), "descripcion": "Servicio de matrícula – Grado 5°", "cantidad": 1, "valorUnitario": 850000},
		map[string]any{"descripcion": "Material didáctico", "cantidad": 3, "valorUnitario": 45000},
	)
}

func amounts(inv api.Invoice) string {
	return inv.Subtotal.String() + " / " + inv.Impuestos.String() + " / " + inv.Total.String()
}

func TestCreateInvoiceSeedExample(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	body := l.seedInvoice("FV-0001")
	// Client-sent totals are ignored, as the seed says.
	body["subtotal"], body["impuestos"], body["total"] = 1, 2, 3
	inv := createInvoice(t, l.e, l.operador, body)
	if inv.Status != api.InvoiceStatusDRAFT || numeroOf(inv.Numero) != "FV-0001" || inv.CustomerID != l.customer.ID {
		t.Fatalf("created %+v", inv)
	}
	if got := amounts(inv); got != "985000.00 / 187150.00 / 1172150.00" {
		t.Fatalf("totals %s", got)
	}
	if inv.Customer.RazonSocial != "Colegio Los Andes S.A.S." || inv.Customer.Nit != "900123456" || inv.Customer.ID != l.customer.ID {
		t.Fatalf("customer %+v", inv.Customer)
	}
	if len(inv.Items) != 2 || inv.Items[0].Subtotal.String() != "850000.00" || inv.Items[1].Subtotal.String() != "135000.00" ||
		inv.Items[1].Cantidad.String() != "3.000" || inv.Items[1].Impuesto.String() != "19.00" || *inv.Items[0].ProductServiceID != l.product.ID {
		t.Fatalf("items %+v", inv.Items)
	}
	if len(inv.ImpuestosDetalle) != 1 || inv.ImpuestosDetalle[0].Base.String() != "985000.00" || inv.ImpuestosDetalle[0].Valor.String() != "187150.00" {
		t.Fatalf("impuestosDetalle %+v", inv.ImpuestosDetalle)
	}
	if inv.IssuedAt != nil || inv.CancelledAt != nil {
		t.Fatalf("a draft with issuedAt/cancelledAt: %+v", inv)
	}

	// GET answers the same invoice with the complete customer.
	r := l.e.do(http.MethodGet, "/billing/invoices/"+inv.ID.String(), l.admin, nil)
	wantStatus(t, r, http.StatusOK)
	got := decode[api.InvoiceDetail](t, r)
	if got.Customer.Email == nil || *got.Customer.Email != *l.customer.Email || got.Customer.Status != api.CustomerStatusACTIVE {
		t.Fatalf("GET customer %+v", got.Customer)
	}
	if got.Total.String() != "1172150.00" || len(got.Items) != 2 || got.Items[1].Descripcion != "Material didáctico" ||
		got.Items[0].Cantidad.String() != inv.Items[0].Cantidad.String() || !got.CreatedAt.Equal(inv.CreatedAt) {
		t.Fatalf("GET %+v", got)
	}
}

func TestCreateInvoiceTaxRatesAndDefaults(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	exento := createProduct(t, l.e, l.admin, map[string]any{"nombre": "Pensión", "precio": 400000, "impuesto": 0})
	inv := createInvoice(t, l.e, l.operador, invoiceBody(l.customer.ID.String(), "FV-RATES",
		// The product's rate (0) and price, and its name as description.
		map[string]any{"productServiceId": exento.ID.String(), "cantidad": 2},
		// The line's own rate wins over the product's.
		map[string]any{"productServiceId": exento.ID.String(), "cantidad": 1, "valorUnitario": 100000, "impuesto": 5},
		// Neither: 19.
		map[string]any{"descripcion": "Transporte", "cantidad": 0.5, "valorUnitario": 33333.33},
	))
	if inv.Items[0].Descripcion != "Pensión" || inv.Items[0].ValorUnitario.String() != "400000.00" || inv.Items[0].Impuesto.String() != "0.00" {
		t.Fatalf("line 0 %+v", inv.Items[0])
	}
	if inv.Items[1].Impuesto.String() != "5.00" || inv.Items[2].Impuesto.String() != "19.00" {
		t.Fatalf("rates %s %s", inv.Items[1].Impuesto, inv.Items[2].Impuesto)
	}
	// 800000 @0 + 100000 @5 + 16666.67 (16666.665 rounded up) @19
	if inv.Items[2].Subtotal.String() != "16666.67" {
		t.Fatalf("half-up line subtotal %s", inv.Items[2].Subtotal)
	}
	if got := amounts(inv); got != "916666.67 / 8166.67 / 924833.34" {
		t.Fatalf("totals %s", got)
	}
	var details []string
	for _, d := range inv.ImpuestosDetalle {
		details = append(details, d.Tarifa.String()+":"+d.Base.String()+":"+d.Valor.String())
	}
	if want := []string{"0.00:800000.00:0.00", "5.00:100000.00:5000.00", "19.00:16666.67:3166.67"}; !slices.Equal(details, want) {
		t.Fatalf("impuestosDetalle %q, want %q", details, want)
	}
}

func TestCreateInvoiceExactMoney(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	// Values a float64 cannot hold exactly, near the top of the ranges.
	inv := createInvoice(t, l.e, l.operador, invoiceBody(l.customer.ID.String(), "FV-EXACT",
		map[string]any{"descripcion": "A", "cantidad": 999.999, "valorUnitario": 9999999999999.99, "impuesto": 0},
		map[string]any{"descripcion": "B", "cantidad": 0.001, "valorUnitario": 0.01},
	))
	if inv.Items[0].Subtotal.String() != "9999989999999990.00" || inv.Items[1].Subtotal.String() != "0.00" {
		t.Fatalf("subtotals %s %s", inv.Items[0].Subtotal, inv.Items[1].Subtotal)
	}
	r := l.e.do(http.MethodGet, "/billing/invoices/"+inv.ID.String(), l.admin, nil)
	if !strings.Contains(string(r.Body), `"valorUnitario":9999999999999.99`) || !strings.Contains(string(r.Body), `"total":9999989999999990.00`) {
		t.Fatalf("amounts not written exactly: %s", r.Body)
	}
	// Over the ledger's range: refused, nothing written.
	over := invoiceBody(l.customer.ID.String(), "FV-OVER",
		map[string]any{"descripcion": "A", "cantidad": 999999999, "valorUnitario": 9999999999999.99})
	wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices", l.operador, over), http.StatusBadRequest, "invoice_amount_too_large")
}

func TestCreateInvoiceRefusals(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	cust := l.customer.ID.String()
	inactiveCustomer := createCustomer(t, l.e, l.admin, map[string]any{"razonSocial": "Retirado", "nit": "800197268"})
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/customers/"+inactiveCustomer.ID.String(), l.admin, map[string]any{"status": "INACTIVE"}), 200)
	inactiveProduct := createProduct(t, l.e, l.admin, map[string]any{"nombre": "Viejo", "precio": 1})
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/products/"+inactiveProduct.ID.String(), l.admin, map[string]any{"activo": false}), 200)
	createInvoice(t, l.e, l.operador, invoiceBody(cust, "FV-TAKEN", map[string]any{"descripcion": "x", "cantidad": 1, "valorUnitario": 1}))
	line := map[string]any{"descripcion": "x", "cantidad": 1, "valorUnitario": 1}
	many := make([]map[string]any, 1001)
	for i := range many {
		many[i] = line
	}
	tests := []struct {
		name  string
		body  any
		code  string
		field string
	}{
		{"unknown customer", invoiceBody(uuid.Must(uuid.NewV7()).String(), "FV-1", line), "customer_not_found", "body.customerId"},
		{"inactive customer", invoiceBody(inactiveCustomer.ID.String(), "FV-1", line), "customer_inactive", "body.customerId"},
		{"unknown product", invoiceBody(cust, "FV-1", line, map[string]any{"productServiceId": uuid.Must(uuid.NewV7()).String(), "cantidad": 1}), "product_not_found", "body.items.1.productServiceId"},
		{"inactive product", invoiceBody(cust, "FV-1", map[string]any{"productServiceId": inactiveProduct.ID.String(), "cantidad": 1}), "product_inactive", "body.items.0.productServiceId"},
		{"numero taken", invoiceBody(cust, "FV-TAKEN", line), "invoice_numero_taken", "body.numero"},
		{"numero taken once trimmed", invoiceBody(cust, "  FV-TAKEN ", line), "invoice_numero_taken", "body.numero"},
		{"numero blank", invoiceBody(cust, "   ", line), "invalid_request", "body.numero"},
		{"numero too long", invoiceBody(cust, strings.Repeat("9", 41), line), "invalid_request", "body.numero"},
		{"no items", invoiceBody(cust, "FV-1"), "invalid_request", "body.items"},
		{"too many items", map[string]any{"customerId": cust, "numero": "FV-1", "items": many}, "invalid_request", "body.items"},
		{"quantity zero", invoiceBody(cust, "FV-1", map[string]any{"descripcion": "x", "cantidad": 0, "valorUnitario": 1}), "invalid_request", "body.items.0.cantidad"},
		{"quantity with 4 decimals", invoiceBody(cust, "FV-1", map[string]any{"descripcion": "x", "cantidad": 1.0005, "valorUnitario": 1}), "invalid_request", "body.items.0.cantidad"},
		{"price with 3 decimals", invoiceBody(cust, "FV-1", line, map[string]any{"descripcion": "x", "cantidad": 1, "valorUnitario": 0.001}), "invalid_request", "body.items.1.valorUnitario"},
		{"negative price", invoiceBody(cust, "FV-1", map[string]any{"descripcion": "x", "cantidad": 1, "valorUnitario": -5}), "invalid_request", "body.items.0.valorUnitario"},
		{"rate over 100", invoiceBody(cust, "FV-1", map[string]any{"descripcion": "x", "cantidad": 1, "valorUnitario": 1, "impuesto": 101}), "invalid_request", "body.items.0.impuesto"},
		{"free line without description", invoiceBody(cust, "FV-1", map[string]any{"cantidad": 1, "valorUnitario": 1}), "invalid_request", "body.items.0.descripcion"},
		{"unicode-blank description", invoiceBody(cust, "FV-1", map[string]any{"descripcion": "\u3000", "cantidad": 1, "valorUnitario": 1}), "invalid_request", "body.items.0.descripcion"},
		{"free line without price", invoiceBody(cust, "FV-1", map[string]any{"descripcion": "x", "cantidad": 1}), "invalid_request", "body.items.0.valorUnitario"},
		{"bad customer id", invoiceBody("nope", "FV-1", line), "invalid_request", "body.customerId"},
		{"string amount", `{"customerId":"` + cust + `","numero":"FV-1","items":[{"descripcion":"x","cantidad":"1","valorUnitario":1}]}`, "invalid_request", "body.items.0.cantidad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices", l.operador, tt.body), http.StatusBadRequest, tt.code)
			if p.Errors == nil {
				t.Fatalf("no field named: %+v", p)
			}
			var fields []string
			for _, f := range *p.Errors {
				fields = append(fields, f.Field)
			}
			if !slices.Contains(fields, tt.field) {
				t.Fatalf("errors %v do not name %s", fields, tt.field)
			}
		})
	}
	// Nothing half-written: only the one good invoice exists, with its line.
	list := decode[[]api.InvoiceSummary](t, l.e.do(http.MethodGet, "/billing/invoices", l.admin, nil))
	if len(list) != 1 || list[0].ItemCount != 1 {
		t.Fatalf("refused creates left invoices behind: %+v", list)
	}
	var lines int
	if err := l.e.rawQueryRow("SELECT count(*) FROM invoice_items").Scan(&lines); err != nil || lines != 1 {
		t.Fatalf("%d invoice lines in the database (%v)", lines, err)
	}
}

func TestInvoiceLinesAreSnapshots(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	inv := createInvoice(t, l.e, l.operador, invoiceBody(l.customer.ID.String(), "FV-SNAP",
		map[string]any{"productServiceId": l.product.ID.String(), "cantidad": 2}))
	before := l.e.do(http.MethodGet, "/billing/invoices/"+inv.ID.String(), l.admin, nil)
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/products/"+l.product.ID.String(), l.admin,
		map[string]any{"nombre": "Otro nombre", "precio": 1, "impuesto": 0, "activo": false}), http.StatusOK)
	after := l.e.do(http.MethodGet, "/billing/invoices/"+inv.ID.String(), l.admin, nil)
	if string(before.Body) != string(after.Body) {
		t.Fatalf("a catalogue change altered the invoice:\n%s\n%s", before.Body, after.Body)
	}
}

func TestListInvoices(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	var ids []uuid.UUID
	for i := 0; i < 4; i++ {
		items := []map[string]any{{"descripcion": "x", "cantidad": 1, "valorUnitario": 100}}
		for j := 0; j < i; j++ {
			items = append(items, map[string]any{"descripcion": "y", "cantidad": 1, "valorUnitario": 1})
		}
		ids = append(ids, createInvoice(t, l.e, l.operador, invoiceBody(l.customer.ID.String(), fmt.Sprintf("FV-%d", i), items...)).ID)
	}
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/invoices/"+ids[1].String()+"/status", l.admin, map[string]any{"status": "ISSUED"}), 200)
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/invoices/"+ids[2].String()+"/status", l.admin, map[string]any{"status": "CANCELLED"}), 200)

	all := decode[[]api.InvoiceSummary](t, l.e.do(http.MethodGet, "/billing/invoices", l.admin, nil))
	var got []uuid.UUID
	for _, s := range all {
		got = append(got, s.ID)
		if s.Customer.ID != l.customer.ID || s.CustomerID != l.customer.ID || s.Customer.RazonSocial != l.customer.RazonSocial || s.Customer.Nit != l.customer.Nit {
			t.Fatalf("row customer %+v", s.Customer)
		}
	}
	if want := []uuid.UUID{ids[3], ids[2], ids[1], ids[0]}; !slices.Equal(got, want) {
		t.Fatalf("order %v, want newest first %v", got, want)
	}
	if all[0].ItemCount != 4 || all[3].ItemCount != 1 {
		t.Fatalf("itemCount %d, %d", all[0].ItemCount, all[3].ItemCount)
	}
	for status, want := range map[string][]uuid.UUID{"ISSUED": {ids[1]}, "CANCELLED": {ids[2]}, "DRAFT": {ids[3], ids[0]}} {
		var got []uuid.UUID
		for _, s := range decode[[]api.InvoiceSummary](t, l.e.do(http.MethodGet, "/billing/invoices?status="+status, l.admin, nil)) {
			got = append(got, s.ID)
			if string(s.Status) != status {
				t.Fatalf("status filter %s returned %s", status, s.Status)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("status %s: %v, want %v", status, got, want)
		}
	}
	wantProblem(t, l.e.do(http.MethodGet, "/billing/invoices?status=PAID", l.admin, nil), http.StatusBadRequest, "invalid_request")
}

func TestReplaceDraftInvoice(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	other := createCustomer(t, l.e, l.admin, map[string]any{"razonSocial": "Academia Sol", "nit": "800197268-4"})
	inv := createInvoice(t, l.e, l.operador, l.seedInvoice("FV-0001"))
	path := "/billing/invoices/" + inv.ID.String()
	r := l.e.do(http.MethodPut, path, l.operador, invoiceBody(other.ID.String(), " FV-0001-B ",
		map[string]any{"descripcion": "Material didáctico", "cantidad": 4, "valorUnitario": 45000, "impuesto": 5}))
	wantStatus(t, r, http.StatusOK)
	u := decode[api.Invoice](t, r)
	if u.ID != inv.ID || numeroOf(u.Numero) != "FV-0001-B" || u.CustomerID != other.ID || u.Customer.Nit != "800197268" || len(u.Items) != 1 {
		t.Fatalf("replaced %+v", u)
	}
	if got := amounts(u); got != "180000.00 / 9000.00 / 189000.00" {
		t.Fatalf("totals %s", got)
	}
	got := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, path, l.admin, nil))
	if len(got.Items) != 1 || got.Total.String() != "189000.00" || got.Customer.ID != other.ID {
		t.Fatalf("read back %+v", got)
	}
	summary := decode[[]api.InvoiceSummary](t, l.e.do(http.MethodGet, "/billing/invoices", l.admin, nil))
	if summary[0].ItemCount != 1 {
		t.Fatalf("itemCount after edit %d", summary[0].ItemCount)
	}

	// A refused edit changes nothing.
	before := l.e.do(http.MethodGet, path, l.admin, nil)
	wantProblem(t, l.e.do(http.MethodPut, path, l.operador, invoiceBody(other.ID.String(), "FV-X",
		map[string]any{"productServiceId": uuid.Must(uuid.NewV7()).String(), "cantidad": 1})), http.StatusBadRequest, "product_not_found")
	if after := l.e.do(http.MethodGet, path, l.admin, nil); string(after.Body) != string(before.Body) {
		t.Fatalf("a refused edit changed the invoice")
	}

	// Issued: no more edits.
	wantStatus(t, l.e.do(http.MethodPatch, path+"/status", l.admin, map[string]any{"status": "ISSUED"}), http.StatusOK)
	wantProblem(t, l.e.do(http.MethodPut, path, l.operador, l.seedInvoice("FV-0001")), http.StatusBadRequest, "invoice_not_draft")
	wantProblem(t, l.e.do(http.MethodPut, "/billing/invoices/"+uuid.Must(uuid.NewV7()).String(), l.operador, l.seedInvoice("FV-9")),
		http.StatusNotFound, "invoice_not_found")
}

func TestInvoiceStatusLifecycle(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	tests := []struct {
		path   []string // statuses requested in order
		result []int    // the answer to each
	}{
		{[]string{"ISSUED", "CANCELLED", "DRAFT"}, []int{200, 200, 400}},
		{[]string{"CANCELLED", "ISSUED"}, []int{200, 400}},
		{[]string{"ISSUED", "DRAFT", "ISSUED"}, []int{200, 400, 400}},
		{[]string{"DRAFT"}, []int{400}},
		{[]string{"ISSUED", "CANCELLED", "CANCELLED"}, []int{200, 200, 400}},
	}
	for i, tt := range tests {
		inv := createInvoice(t, l.e, l.operador, l.seedInvoice(fmt.Sprintf("FV-L%d", i)))
		path := "/billing/invoices/" + inv.ID.String()
		status := "DRAFT"
		for j, to := range tt.path {
			r := l.e.do(http.MethodPatch, path+"/status", l.admin, map[string]any{"status": to})
			if tt.result[j] == 400 {
				wantProblem(t, r, http.StatusBadRequest, "invalid_status_transition")
				continue
			}
			wantStatus(t, r, http.StatusOK)
			u := decode[api.Invoice](t, r)
			status = to
			if string(u.Status) != to || amounts(u) != amounts(inv) || len(u.Items) != 2 {
				t.Fatalf("after %s: %+v", to, u)
			}
			if (to == "ISSUED") != (u.IssuedAt != nil && u.CancelledAt == nil) && to != "CANCELLED" {
				t.Fatalf("issuedAt/cancelledAt after %s: %v %v", to, u.IssuedAt, u.CancelledAt)
			}
			if to == "CANCELLED" && u.CancelledAt == nil {
				t.Fatalf("cancelledAt not set")
			}
		}
		got := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, path, l.admin, nil))
		if string(got.Status) != status {
			t.Fatalf("case %d: status %s, want %s", i, got.Status, status)
		}
	}
}

func TestInvoiceHistory(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	inv := createInvoice(t, l.e, l.operador, l.seedInvoice("FV-H"))
	path := "/billing/invoices/" + inv.ID.String()
	wantStatus(t, l.e.do(http.MethodPatch, path+"/status", l.admin, map[string]any{"status": "ISSUED"}), 200)
	wantProblem(t, l.e.do(http.MethodPatch, path+"/status", l.admin, map[string]any{"status": "DRAFT"}), 400, "invalid_status_transition")
	wantStatus(t, l.e.do(http.MethodPatch, path+"/status", l.admin, map[string]any{"status": "CANCELLED"}), 200)

	events := decode[[]api.InvoiceEvent](t, l.e.do(http.MethodGet, path+"/history", l.e.token(l.tenant, auth.RoleViewer), nil))
	var got []string
	for _, ev := range events {
		from := "-"
		if ev.From != nil {
			from = string(*ev.From)
		}
		got = append(got, from+">"+string(ev.To)+"@"+ev.Actor)
	}
	want := []string{"->DRAFT@user-operador", "DRAFT>ISSUED@user-admin", "ISSUED>CANCELLED@user-admin"}
	if !slices.Equal(got, want) {
		t.Fatalf("history %q, want %q", got, want)
	}
	detail := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, path, l.admin, nil))
	if detail.IssuedAt == nil || detail.CancelledAt == nil || !events[1].At.Equal(*detail.IssuedAt) || !events[2].At.Equal(*detail.CancelledAt) {
		t.Fatalf("event times %v %v, invoice %v %v", events[1].At, events[2].At, detail.IssuedAt, detail.CancelledAt)
	}
	wantProblem(t, l.e.do(http.MethodGet, "/billing/invoices/"+uuid.Must(uuid.NewV7()).String()+"/history", l.admin, nil), 404, "invoice_not_found")
}

func TestDeleteCustomerWithInvoices(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	createInvoice(t, l.e, l.operador, l.seedInvoice("FV-D"))
	r := l.e.do(http.MethodDelete, "/billing/customers/"+l.customer.ID.String(), l.admin, nil)
	p := wantProblem(t, r, http.StatusConflict, "customer_has_invoices")
	if strings.Contains(strings.ToLower(string(r.Body)), "constraint") || strings.Contains(p.Detail, "invoices_customer_fk") {
		t.Fatalf("409 leaks database details: %s", r.Body)
	}
	wantStatus(t, l.e.do(http.MethodGet, "/billing/customers/"+l.customer.ID.String(), l.admin, nil), http.StatusOK)
}

func TestDashboard(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	viewer := l.e.token(l.tenant, auth.RoleViewer)
	dash := func() api.Dashboard {
		return decode[api.Dashboard](t, l.e.do(http.MethodGet, "/billing/dashboard", viewer, nil))
	}
	d := dash()
	if d.ClientesActivos != 1 || d.FacturasEmitidas != 0 || d.FacturasBorrador != 0 || d.IngresosEstimados.String() != "0.00" || d.TotalFacturado.String() != "0.00" {
		t.Fatalf("empty ledger %+v", d)
	}
	retired := createCustomer(t, l.e, l.admin, map[string]any{"razonSocial": "Retirado", "nit": "800197268"})
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/customers/"+retired.ID.String(), l.admin, map[string]any{"status": "INACTIVE"}), 200)
	var ids []string
	for i := 0; i < 4; i++ {
		ids = append(ids, createInvoice(t, l.e, l.operador, l.seedInvoice(fmt.Sprintf("FV-%d", i))).ID.String())
	}
	for _, id := range ids[:3] {
		wantStatus(t, l.e.do(http.MethodPatch, "/billing/invoices/"+id+"/status", l.admin, map[string]any{"status": "ISSUED"}), 200)
	}
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/invoices/"+ids[2]+"/status", l.admin, map[string]any{"status": "CANCELLED"}), 200)
	d = dash()
	// Two ISSUED of 1172150.00, one CANCELLED (not counted), one DRAFT.
	if d.ClientesActivos != 1 || d.FacturasEmitidas != 2 || d.FacturasBorrador != 1 ||
		d.IngresosEstimados.String() != "2344300.00" || d.TotalFacturado.String() != "2344300.00" {
		t.Fatalf("dashboard %+v", d)
	}
	// Another tenant's activity is not counted.
	other := l.e.tenant("B")
	bAdmin := l.e.token(other, auth.RoleAdmin)
	c := createCustomer(t, l.e, bAdmin, seedCustomer)
	b := createInvoice(t, l.e, bAdmin, invoiceBody(c.ID.String(), "FV-0", map[string]any{"descripcion": "x", "cantidad": 1, "valorUnitario": 5}))
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/invoices/"+b.ID.String()+"/status", bAdmin, map[string]any{"status": "ISSUED"}), 200)
	if again := dash(); fmt.Sprintf("%v", again) != fmt.Sprintf("%v", d) {
		t.Fatalf("tenant B changed tenant A's dashboard: %+v", again)
	}
}

// rawQueryRow reads the test database directly, for checks the API cannot
// make (nothing half-written).
func (e *env) rawQueryRow(sql string, args ...any) interface{ Scan(...any) error } {
	e.t.Helper()
	conn, err := pgx.Connect(context.Background(), e.dsn)
	if err != nil {
		e.t.Fatalf("connecting: %v", err)
	}
	e.t.Cleanup(func() { conn.Close(context.Background()) })
	return conn.QueryRow(context.Background(), sql, args...)
}

// rawExec runs SQL on the test database as its owner, for tests that must
// break something the API cannot.
func (e *env) rawExec(sql string, args ...any) error {
	conn, err := pgx.Connect(context.Background(), e.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(context.Background(), sql, args...)
	return err
}

// TestTaxBreakdownIsStored: an invoice's tax breakdown is read as it was
// stored when the invoice was written, never computed again from its lines
// (electronic invoicing freezes the issued figures): figures changed behind
// the service's back are what a read shows (a breakdown that does not add up
// to them is refused as an internal error), and an edit of the draft writes
// a new breakdown.
func TestTaxBreakdownIsStored(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	inv := createInvoice(t, l.e, l.operador, l.seedInvoice("FV-0001"))
	if len(inv.ImpuestosDetalle) != 1 || inv.ImpuestosDetalle[0].Valor.String() != "187150.00" {
		t.Fatalf("breakdown on create %+v", inv.ImpuestosDetalle)
	}
	conn, err := pgx.Connect(context.Background(), l.e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "UPDATE invoice_taxes SET valor = 1.23 WHERE invoice_id = $1", inv.ID); err != nil {
		t.Fatal(err)
	}
	path := "/billing/invoices/" + inv.ID.String()
	wantProblem(t, l.e.do(http.MethodGet, path, l.admin, nil), http.StatusInternalServerError, "internal_error")
	if _, err := conn.Exec(context.Background(), "UPDATE invoices SET impuestos = 1.23, total = subtotal + 1.23 WHERE id = $1", inv.ID); err != nil {
		t.Fatal(err)
	}
	got := decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, path, l.admin, nil))
	if len(got.ImpuestosDetalle) != 1 || got.ImpuestosDetalle[0].Valor.String() != "1.23" || got.Impuestos.String() != "1.23" {
		t.Fatalf("a read recomputed the breakdown: %+v", got.ImpuestosDetalle)
	}
	r := l.e.do(http.MethodPut, path, l.operador, invoiceBody(l.customer.ID.String(), "FV-0001",
		map[string]any{"descripcion": "a", "cantidad": 1, "valorUnitario": 100, "impuesto": 19},
		map[string]any{"descripcion": "b", "cantidad": 1, "valorUnitario": 100, "impuesto": 5}))
	wantStatus(t, r, http.StatusOK)
	got = decode[api.InvoiceDetail](t, l.e.do(http.MethodGet, path, l.admin, nil))
	if len(got.ImpuestosDetalle) != 2 || got.ImpuestosDetalle[0].Valor.String() != "5.00" || got.ImpuestosDetalle[1].Valor.String() != "19.00" {
		t.Fatalf("breakdown after the edit %+v", got.ImpuestosDetalle)
	}
}
