package server_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
)

// orderRef is one entry of a POS invoice's orderProducts.
type orderRef = struct {
	Order uuid.UUID `json:"order"`
}

// pos is a ledger with a point of sale: two excluded cafeteria products,
// the tenant's payment methods by DIAN code, and a register that cashier
// ana has opened with a base of 100 000.
type pos struct {
	*ledger
	ana      string
	caja     api.CashRegister
	almuerzo api.Product
	jugo     api.Product
	methods  map[string]api.PaymentMethod
}

func newPos(t *testing.T, l *ledger) *pos {
	t.Helper()
	p := &pos{ledger: l, ana: l.e.cashier(l.tenant, "ana@colegio"), methods: map[string]api.PaymentMethod{}}
	p.almuerzo = createProduct(t, l.e, l.admin, map[string]any{"nombre": "Almuerzo del día", "precio": 15000, "impuesto": 0, "tratamiento": "EXCLUIDO"})
	p.jugo = createProduct(t, l.e, l.admin, map[string]any{"nombre": "Jugo natural", "precio": 5000, "impuesto": 0, "tratamiento": "EXCLUIDO"})
	for _, m := range decode[[]api.PaymentMethod](t, l.e.do(http.MethodGet, "/billing/payment-methods", l.admin, nil)) {
		p.methods[string(m.Codigo)] = m
	}
	r := l.e.do(http.MethodPost, "/billing/cash-registers", l.admin, api.CreateCashRegister{Nombre: "Caja cafetería"})
	wantStatus(t, r, http.StatusCreated)
	p.caja = decode[api.CashRegister](t, r)
	wantStatus(t, l.e.do(http.MethodPost, p.at(p.caja, "open"), p.ana, api.OpenCashRegister{Base: mustDecimal("100000")}), http.StatusCreated)
	return p
}

func (p *pos) at(reg api.CashRegister, what string) string {
	return "/billing/cash-registers/" + reg.ID.String() + "/" + what
}

// order takes an order of n units of product.
func (p *pos) order(t *testing.T, product api.Product, n string) uuid.UUID {
	t.Helper()
	r := p.e.do(http.MethodPost, "/billing/orders", p.operador, api.CreateOrder{Lineas: []api.CreateOrderLine{{ProductServiceID: product.ID, Cantidad: mustDecimal(n)}}})
	wantStatus(t, r, http.StatusCreated)
	return decode[api.Order](t, r).ID
}

func (p *pos) sell(token string, body api.CreatePosInvoice) response {
	return p.e.do(http.MethodPost, "/invoices", token, body)
}

func (p *pos) orderStatus(t *testing.T, id uuid.UUID) api.Order {
	t.Helper()
	return decode[api.Order](t, p.e.do(http.MethodGet, "/billing/orders/"+id.String(), p.admin, nil))
}

func (p *pos) session(t *testing.T) api.CashSession {
	t.Helper()
	return decode[[]api.CashSession](t, p.e.do(http.MethodGet, p.at(p.caja, "sessions"), p.admin, nil))[0]
}

func refs(ids ...uuid.UUID) []orderRef {
	out := make([]orderRef, len(ids))
	for i, id := range ids {
		out[i].Order = id
	}
	return out
}

// TestPosSeedExamples runs seed 003's examples 1, 3 and 4 as written
// (ids replaced by real ones) at a tenant without a fiscal profile, then
// closes the register: the drawer holds the base and the two cash sales.
func TestPosSeedExamples(t *testing.T) {
	t.Parallel()
	p := newPos(t, newLedger(t))

	// 1. A table's invoice: two orders (30 000 + 20 000), a 5 000
	// discount, paid in cash.
	o1, o2 := p.order(t, p.almuerzo, "2"), p.order(t, p.jugo, "4")
	efectivo := p.methods["10"]
	ex1 := api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(o1, o2), Table: ptr("507f1f77bcf86cd799439014"),
		Client:        &api.PosClient{Name: ptr("Juan Pérez"), Phone: ptr("+57 300 123 4567"), Email: ptr("[email protected]")},
		PaymentMethod: &efectivo.ID, IsPaid: ptr(true), Total: mustDecimal("45000"), DiscountAdditionalTotal: ptr(mustDecimal("5000"))}
	r := p.sell(p.ana, ex1)
	wantStatus(t, r, http.StatusCreated)
	inv := decode[api.InvoiceDetail](t, r)
	if inv.ID != ex1.UnderscoreID || *inv.Numero != "POS-1" || inv.Status != api.InvoiceStatusISSUED || inv.Total.String() != "45000.00" ||
		inv.Pagado.String() != "45000.00" || *inv.EstadoPago != api.EstadoPagoPAGADA || inv.Customer.Nit != "222222222222" ||
		len(inv.Items) != 2 || inv.Items[0].ValorDescuento.String() != "3000.00" || inv.Items[1].ValorDescuento.String() != "2000.00" ||
		string(inv.MedioPago) != "10" || inv.FormaPago != api.FormaPagoCONTADO {
		t.Fatalf("example 1: %+v", inv)
	}
	if h := p.history(t, inv.ID.String()); len(h) != 2 || h[0].Actor != "ana@colegio" || h[1].Actor != "ana@colegio" || string(h[1].To) != "ISSUED" {
		t.Fatalf("history %+v", h)
	}
	for _, o := range []uuid.UUID{o1, o2} {
		if got := p.orderStatus(t, o); got.Estado != api.OrderStatusFACTURADO || *got.InvoiceID != inv.ID {
			t.Fatalf("order %+v", got)
		}
	}
	r = p.e.do(http.MethodGet, "/billing/invoices/"+inv.ID.String()+"/sale", p.e.token(p.tenant, auth.RoleViewer), nil)
	wantStatus(t, r, http.StatusOK)
	sale := decode[api.PosSale](t, r)
	if sale.Cajero != "ana@colegio" || *sale.Mesa != "507f1f77bcf86cd799439014" || *sale.Cliente.Nombre != "Juan Pérez" ||
		*sale.Cliente.Telefono != "+57 300 123 4567" || !sale.Pagada || *sale.PaymentMethodID != efectivo.ID || len(sale.Pedidos) != 2 || sale.Domicilio != nil {
		t.Fatalf("sale %+v", sale)
	}
	// The consumidor final keeps no name, email or phone of the client.
	cf := p.invoice(t, inv.ID.String()).Customer
	if cf.RazonSocial != "Consumidor final" || cf.Email != nil || cf.Telefono != nil {
		t.Fatalf("consumidor final %+v", cf)
	}
	// The same _id and body again: the same invoice, 200, nothing new;
	// the same _id with another body: refused.
	r = p.sell(p.ana, ex1)
	if wantStatus(t, r, http.StatusOK); decode[api.InvoiceDetail](t, r).ID != inv.ID {
		t.Fatal("a replay answered another invoice")
	}
	// Written otherwise (45000.00, isEInvoice false said): the same sale.
	same := ex1
	same.Total, same.IsEInvoice = mustDecimal("45000.00"), ptr(false)
	r = p.sell(p.ana, same)
	if wantStatus(t, r, http.StatusOK); decode[api.InvoiceDetail](t, r).ID != inv.ID {
		t.Fatal("a replay written otherwise answered another invoice")
	}
	other := ex1
	other.Total = mustDecimal("44000")
	wantProblem(t, p.sell(p.ana, other), http.StatusConflict, "sale_id_reused")

	// 3. On credit: the NIT's check digit as the seed writes it is wrong.
	o3, o4 := p.order(t, p.almuerzo, "3"), p.order(t, p.almuerzo, "2")
	ex3 := api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(o3, o4),
		Client:   &api.PosClient{Name: ptr("Empresa ABC"), IDType: ptr("NIT"), IDNumber: ptr("900123456-1")},
		IsCredit: ptr(true), CreditDays: ptr(30), Total: mustDecimal("75000"), Status: ptr(api.CreatePosInvoiceStatusPendiente)}
	pr := wantProblem(t, p.sell(p.ana, ex3), http.StatusBadRequest, "nit_check_digit_invalid")
	if pr.Errors == nil || (*pr.Errors)[0].Field != "body.client.idNumber" {
		t.Fatalf("check digit: %+v", pr)
	}
	if got := p.orderStatus(t, o3); got.Estado != api.OrderStatusESPERA {
		t.Fatalf("a refused sale moved its order: %+v", got)
	}
	// With the right one it passes, invoiced to the customer the tenant has
	// with that NIT (the ledger's seed customer), whose name the client's
	// does not overwrite.
	ex3.Client.IDNumber = ptr("900123456-8")
	r = p.sell(p.ana, ex3)
	wantStatus(t, r, http.StatusCreated)
	credit := decode[api.InvoiceDetail](t, r)
	if *credit.Numero != "POS-2" || credit.FormaPago != api.FormaPagoCREDITO || *credit.DiasCredito != 30 || *credit.EstadoPago != api.EstadoPagoPENDIENTE ||
		credit.Saldo.String() != "75000.00" || credit.FechaVencimiento == nil ||
		credit.Customer.ID != p.customer.ID || credit.Customer.RazonSocial != p.customer.RazonSocial {
		t.Fatalf("example 3: %+v", credit)
	}
	rec := decode[api.Receivables](t, p.e.do(http.MethodGet, "/billing/receivables", p.admin, nil))
	if rec.Totales.Total.String() != "75000.00" {
		t.Fatalf("receivables %+v", rec.Totales)
	}

	// 4. Delivered: 30 000 of goods and an 8 000 delivery, paid in cash
	// (no paymentMethod).
	provider := decode[api.DeliveryProvider](t, p.e.do(http.MethodPost, "/billing/delivery-providers", p.admin, api.CreateDeliveryProvider{Nombre: "Domicilios propios"}))
	o5 := p.order(t, p.almuerzo, "2")
	ex4 := api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(o5),
		Delivery: &api.PosDelivery{IsDelivery: true, DeliveryProvider: &provider.ID,
			DeliveryGuy: &struct {
				InternalID *string `json:"internalId,omitempty"`
			}{ptr("507f1f77bcf86cd799439025")}, Address: ptr("Calle 123 #45-67, Bogotá")},
		DeliveryCost: ptr(mustDecimal("8000")), IsPaid: ptr(true), Total: mustDecimal("38000")}
	r = p.sell(p.ana, ex4)
	wantStatus(t, r, http.StatusCreated)
	delivered := decode[api.InvoiceDetail](t, r)
	if len(delivered.Items) != 2 || delivered.Items[1].Descripcion != "Domicilio" || delivered.Items[1].Subtotal.String() != "8000.00" ||
		delivered.Items[1].Tratamiento != api.TratamientoEXCLUIDO || delivered.Pagado.String() != "38000.00" {
		t.Fatalf("example 4: %+v", delivered)
	}
	sale = decode[api.PosSale](t, p.e.do(http.MethodGet, "/billing/invoices/"+delivered.ID.String()+"/sale", p.admin, nil))
	if d := sale.Domicilio; d == nil || *d.DeliveryProviderID != provider.ID || *d.Repartidor != "507f1f77bcf86cd799439025" ||
		*d.Direccion != "Calle 123 #45-67, Bogotá" || d.Valor.String() != "8000.00" {
		t.Fatalf("delivery %+v", sale.Domicilio)
	}

	// A known client needs only its identification; an unknown one its
	// name too. Neither is paid: the drawer is left as it is.
	o7 := p.order(t, p.jugo, "1")
	pr = wantProblem(t, p.sell(p.ana, api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(o7),
		Client: &api.PosClient{IDNumber: ptr("777000111")}, Total: mustDecimal("5000")}), http.StatusBadRequest, "invalid_request")
	if (*pr.Errors)[0].Field != "body.client.name" {
		t.Fatalf("unknown client without a name: %+v", pr)
	}
	r = p.sell(p.ana, api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(o7),
		Client: &api.PosClient{IDNumber: ptr("900.123.456-8")}, Total: mustDecimal("5000")})
	if wantStatus(t, r, http.StatusCreated); decode[api.InvoiceDetail](t, r).Customer.ID != p.customer.ID {
		t.Fatal("a known client was not found by its identification")
	}

	// The close: 100 000 + 45 000 + 38 000 expected; 182 500 counted.
	s := p.session(t)
	if len(s.Ventas) != 1 || string(s.Ventas[0].MedioPago) != "10" || s.Ventas[0].Valor.String() != "83000.00" || s.EfectivoEsperado.String() != "183000.00" {
		t.Fatalf("open session %+v", s)
	}
	r = p.e.do(http.MethodPost, p.at(p.caja, "close"), p.ana, api.CloseCashRegister{EfectivoContado: mustDecimal("182500")})
	wantStatus(t, r, http.StatusOK)
	if closed := decode[api.CashSession](t, r); closed.EfectivoEsperado.String() != "183000.00" || closed.Diferencia.String() != "-500.00" {
		t.Fatalf("closed %+v", closed)
	}
	// A closed session refuses the next sale, and changes nothing.
	o6 := p.order(t, p.jugo, "1")
	wantProblem(t, p.sell(p.ana, api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(o6), IsPaid: ptr(true), Total: mustDecimal("5000")}),
		http.StatusConflict, "cash_register_closed")
	if got := p.orderStatus(t, o6); got.Estado != api.OrderStatusESPERA {
		t.Fatalf("order %+v", got)
	}
	// POS-n is the point of sale's numbering: a client's numero cannot
	// take it.
	wantStatus(t, p.e.do(http.MethodPost, "/billing/invoices", p.admin, p.seedInvoice("pos-3")), http.StatusBadRequest)
}

// TestPosTotals: the discount is spread over the goods by value, the
// delivery over the goods' tax groups, each taxed as its group (ET art.
// 447); a total that disagrees is refused showing the computed one.
func TestPosTotals(t *testing.T) {
	t.Parallel()
	p := newPos(t, newLedger(t))
	uniforme := createProduct(t, p.e, p.admin, map[string]any{"nombre": "Camiseta del uniforme", "precio": 10000, "impuesto": 19})
	o1, o2 := p.order(t, uniforme, "2"), p.order(t, p.almuerzo, "1")
	// Goods 20 000 at 19 % and 15 000 excluded; discount 3 500 → 2 000 and
	// 1 500; delivery 7 000 over 18 000 : 13 500 → 4 000 and 3 000;
	// tax 19 % × (18 000 + 4 000) = 4 180.
	body := api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(o1, o2), IsPaid: ptr(true), PaymentMethod: ptr(p.methods["49"].ID),
		DiscountAdditionalTotal: ptr(mustDecimal("3500")), Delivery: &api.PosDelivery{IsDelivery: true}, DeliveryCost: ptr(mustDecimal("7000")),
		Total: mustDecimal("40000")}
	pr := wantProblem(t, p.sell(p.ana, body), http.StatusUnprocessableEntity, "total_mismatch")
	if !strings.Contains(pr.Detail, "40000") || !strings.Contains(pr.Detail, "42680.00") {
		t.Fatalf("mismatch detail %q", pr.Detail)
	}
	body.Total = mustDecimal("42680")
	r := p.sell(p.ana, body)
	wantStatus(t, r, http.StatusCreated)
	inv := decode[api.InvoiceDetail](t, r)
	want := []struct{ desc, discount, subtotal, rate string }{
		{"Camiseta del uniforme", "2000.00", "18000.00", "19.00"},
		{"Almuerzo del día", "1500.00", "13500.00", "0.00"},
		{"Domicilio", "0.00", "4000.00", "19.00"},
		{"Domicilio", "0.00", "3000.00", "0.00"},
	}
	if len(inv.Items) != len(want) || inv.Impuestos.String() != "4180.00" || inv.Total.String() != "42680.00" || string(inv.MedioPago) != "49" {
		t.Fatalf("invoice %+v", inv)
	}
	for i, w := range want {
		it := inv.Items[i]
		if it.Descripcion != w.desc || it.ValorDescuento.String() != w.discount || it.Subtotal.String() != w.subtotal || it.Impuesto.String() != w.rate {
			t.Errorf("line %d: %s %s %s %s, want %+v", i, it.Descripcion, it.ValorDescuento, it.Subtotal, it.Impuesto, w)
		}
	}
	// Paid by card: in the session's sales, not in the drawer.
	if s := p.session(t); len(s.Ventas) != 1 || string(s.Ventas[0].MedioPago) != "49" || s.EfectivoEsperado.String() != "100000.00" {
		t.Fatalf("session %+v", s)
	}
	wantProblem(t, p.sell(p.ana, api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(p.order(t, p.jugo, "1")),
		DiscountAdditionalTotal: ptr(mustDecimal("5000.01")), Total: mustDecimal("0")}), http.StatusBadRequest, "discount_exceeds_total")
}

// TestPosRefusals: every refusal names its field or state and leaves
// orders, stock and the drawer as they were.
func TestPosRefusals(t *testing.T) {
	t.Parallel()
	p := newPos(t, newLedger(t))
	o := p.order(t, p.jugo, "1")
	sale := func(mod func(*api.CreatePosInvoice)) api.CreatePosInvoice {
		b := api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(o), IsPaid: ptr(true), Total: mustDecimal("5000")}
		mod(&b)
		return b
	}
	// The order check comes before the total check.
	pr := wantProblem(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) {
		b.OrderProducts, b.Total = refs(o, uuid.New()), mustDecimal("1")
	})), http.StatusBadRequest, "order_not_found")
	if pr.Errors == nil || (*pr.Errors)[0].Field != "body.orderProducts.1.order" {
		t.Fatalf("unknown order: %+v", pr)
	}
	wantProblem(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) { b.Client = &api.PosClient{IDType: ptr("DNI"), IDNumber: ptr("123")} })),
		http.StatusBadRequest, "id_type_unknown")
	wantStatus(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) { b.IsCredit, b.CreditDays = ptr(true), ptr(30) })), http.StatusBadRequest)
	wantStatus(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) { b.IsPaid, b.IsCredit = nil, ptr(true) })), http.StatusBadRequest)
	wantStatus(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) { b.DeliveryCost = ptr(mustDecimal("1000")) })), http.StatusBadRequest)
	wantStatus(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) { b.Table = ptr(strings.Repeat("m", 61)) })), http.StatusBadRequest)
	wantProblem(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) { b.IsEInvoice = ptr(true) })), http.StatusConflict, "einvoice_unavailable")
	wantProblem(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) { b.PaymentMethod = ptr(uuid.New()) })), http.StatusBadRequest, "payment_method_not_found")
	pr = wantProblem(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) {
		b.SendInvoiceEmail, b.Client = ptr(true), &api.PosClient{Email: ptr("[email protected]")}
	})), http.StatusBadRequest, "invalid_request")
	if (*pr.Errors)[0].Field != "body.client.email" {
		t.Fatalf("email: %+v", pr)
	}
	wantProblem(t, p.sell(p.e.cashier(p.tenant, "beto@colegio"), sale(func(*api.CreatePosInvoice) {})), http.StatusConflict, "cash_register_closed")
	annulled := p.order(t, p.jugo, "1")
	wantStatus(t, p.e.do(http.MethodPatch, "/billing/orders/"+annulled.String()+"/status", p.operador, api.UpdateOrderStatus{Estado: api.OrderStatusANULADO}), http.StatusOK)
	wantProblem(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) { b.OrderProducts = refs(annulled) })), http.StatusConflict, "order_status_invalid")

	// Stock: one notebook left, an order of two.
	cuaderno := decode[api.Product](t, p.e.do(http.MethodPost, "/billing/products", p.admin,
		map[string]any{"nombre": "Cuaderno", "precio": 5000, "impuesto": 0, "tratamiento": "EXCLUIDO", "controlInventario": true}))
	stock := "/billing/products/" + cuaderno.ID.String() + "/stock-movements"
	wantStatus(t, p.e.do(http.MethodPost, stock, p.admin, api.AdjustStock{Cantidad: mustDecimal("1"), Motivo: "Inventario"}), http.StatusCreated)
	two := p.order(t, cuaderno, "2")
	wantProblem(t, p.sell(p.ana, sale(func(b *api.CreatePosInvoice) { b.OrderProducts, b.Total = refs(two), mustDecimal("10000") })),
		http.StatusConflict, "stock_insufficient")

	if got := p.orderStatus(t, o); got.Estado != api.OrderStatusESPERA {
		t.Fatalf("order %+v", got)
	}
	if got := p.orderStatus(t, two); got.Estado != api.OrderStatusESPERA {
		t.Fatalf("order %+v", got)
	}
	if s := p.session(t); len(s.Ventas) != 0 || len(s.Movimientos) != 0 {
		t.Fatalf("the drawer moved: %+v", s)
	}
	if got := decode[api.Product](t, p.e.do(http.MethodGet, "/billing/products/"+cuaderno.ID.String(), p.admin, nil)); got.Stock.String() != "1.000" {
		t.Fatalf("stock %s", got.Stock)
	}
	if n := len(decode[[]api.InvoiceSummary](t, p.e.do(http.MethodGet, "/billing/invoices", p.admin, nil))); n != 0 {
		t.Fatalf("%d invoices after refusals", n)
	}
}

// TestPosRaces: racing sales of one order (exactly one wins), of one _id
// (one invoice, one 201) and of the last units of a product sold by two
// cashiers on two registers (exactly the stock passes).
func TestPosRaces(t *testing.T) {
	t.Parallel()
	p := newPos(t, newLedger(t))
	race := func(n int, fn func(i int) int) []int {
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Add(1)
			go func(i int) { defer wg.Done(); codes[i] = fn(i) }(i)
		}
		wg.Wait()
		return codes
	}
	count := func(codes []int, status int) int {
		n := 0
		for _, c := range codes {
			if c == status {
				n++
			}
		}
		return n
	}

	one := p.order(t, p.jugo, "1")
	codes := race(4, func(int) int {
		return p.sell(p.ana, api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(one), IsPaid: ptr(true), Total: mustDecimal("5000")}).Status
	})
	if count(codes, http.StatusCreated) != 1 || count(codes, http.StatusConflict) != 3 {
		t.Fatalf("one order, racing sales: %v", codes)
	}

	same := api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(p.order(t, p.jugo, "1")), IsPaid: ptr(true), Total: mustDecimal("5000")}
	codes = race(4, func(int) int { return p.sell(p.ana, same).Status })
	if count(codes, http.StatusCreated) != 1 || count(codes, http.StatusOK) != 3 {
		t.Fatalf("one _id, racing requests: %v", codes)
	}

	cuaderno := decode[api.Product](t, p.e.do(http.MethodPost, "/billing/products", p.admin,
		map[string]any{"nombre": "Cuaderno", "precio": 5000, "impuesto": 0, "tratamiento": "EXCLUIDO", "controlInventario": true}))
	wantStatus(t, p.e.do(http.MethodPost, "/billing/products/"+cuaderno.ID.String()+"/stock-movements", p.admin,
		api.AdjustStock{Cantidad: mustDecimal("3"), Motivo: "Inventario"}), http.StatusCreated)
	libreria := decode[api.CashRegister](t, p.e.do(http.MethodPost, "/billing/cash-registers", p.admin, api.CreateCashRegister{Nombre: "Caja librería"}))
	beto := p.e.cashier(p.tenant, "beto@colegio")
	wantStatus(t, p.e.do(http.MethodPost, p.at(libreria, "open"), beto, api.OpenCashRegister{Base: mustDecimal("0")}), http.StatusCreated)
	orders := make([]uuid.UUID, 6)
	for i := range orders {
		orders[i] = p.order(t, cuaderno, "1")
	}
	codes = race(len(orders), func(i int) int {
		cashier := p.ana
		if i%2 == 1 {
			cashier = beto
		}
		return p.sell(cashier, api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(orders[i]), IsPaid: ptr(true), Total: mustDecimal("5000")}).Status
	})
	if count(codes, http.StatusCreated) != 3 || count(codes, http.StatusConflict) != 3 {
		t.Fatalf("three in stock, six racing sales: %v", codes)
	}
	if got := decode[api.Product](t, p.e.do(http.MethodGet, "/billing/products/"+cuaderno.ID.String(), p.admin, nil)); got.Stock.String() != "0.000" {
		t.Fatalf("stock %s", got.Stock)
	}
	// Gapless: the five sales that passed are POS-1 … POS-5.
	seen := map[string]bool{}
	for _, s := range decode[[]api.InvoiceSummary](t, p.e.do(http.MethodGet, "/billing/invoices", p.admin, nil)) {
		seen[*s.Numero] = true
	}
	for _, n := range []string{"POS-1", "POS-2", "POS-3", "POS-4", "POS-5"} {
		if !seen[n] || len(seen) != 5 {
			t.Fatalf("numbers %v", seen)
		}
	}
}

// TestPosIsolation: another tenant's orders, payment methods, delivery
// providers and sales are missing ones; the same _id in two tenants makes
// two invoices.
func TestPosIsolation(t *testing.T) {
	t.Parallel()
	a := newPos(t, newLedger(t))
	o := a.order(t, a.jugo, "1")
	first := api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(o), IsPaid: ptr(true), Total: mustDecimal("5000")}
	wantStatus(t, a.sell(a.ana, first), http.StatusCreated)
	provider := decode[api.DeliveryProvider](t, a.e.do(http.MethodPost, "/billing/delivery-providers", a.admin, api.CreateDeliveryProvider{Nombre: "Rappi"}))

	l := &ledger{e: a.e, tenant: a.e.tenant("B")}
	l.admin, l.operador = a.e.token(l.tenant, auth.RoleAdmin), a.e.token(l.tenant, auth.RoleOperador)
	b := newPos(t, l)
	wantProblem(t, b.sell(b.ana, first), http.StatusBadRequest, "order_not_found")
	own := b.order(t, b.jugo, "1")
	wantProblem(t, b.sell(b.ana, api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(own), IsPaid: ptr(true),
		PaymentMethod: ptr(a.methods["10"].ID), Total: mustDecimal("5000")}), http.StatusBadRequest, "payment_method_not_found")
	wantProblem(t, b.sell(b.ana, api.CreatePosInvoice{UnderscoreID: uuid.New(), OrderProducts: refs(own),
		Delivery: &api.PosDelivery{IsDelivery: true, DeliveryProvider: &provider.ID}, Total: mustDecimal("5000")}), http.StatusBadRequest, "delivery_provider_not_found")
	wantProblem(t, b.e.do(http.MethodGet, "/billing/invoices/"+first.UnderscoreID.String()+"/sale", b.admin, nil), http.StatusNotFound, "sale_not_found")
	r := b.sell(b.ana, api.CreatePosInvoice{UnderscoreID: first.UnderscoreID, OrderProducts: refs(own), IsPaid: ptr(true), Total: mustDecimal("5000")})
	wantStatus(t, r, http.StatusCreated)
	if inv := decode[api.InvoiceDetail](t, r); *inv.Numero != "POS-1" {
		t.Fatalf("tenant B's first sale is %s", *inv.Numero)
	}
	if got := a.orderStatus(t, o); got.Estado != api.OrderStatusFACTURADO {
		t.Fatalf("tenant A's order %+v", got)
	}
}

// TestPosElectronic is seed example 2 and the done-when flow at a tenant
// with a fiscal profile: two orders invoiced as an electronic invoice
// paid by card, signed, accepted by DIAN and mailed; the register closes
// with the base as the expected cash.
func TestPosElectronic(t *testing.T) {
	t.Parallel()
	p := newPos(t, electronicLedger(t))
	wantStatus(t, p.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", p.admin, upload(matrixCertificate(), certPassword)), http.StatusOK)
	p.e.startWorkers(t)
	o1, o2 := p.order(t, p.almuerzo, "1"), p.order(t, p.jugo, "3")
	card := p.methods["48"]
	ex2 := api.CreatePosInvoice{UnderscoreID: uuid.New(), IsEInvoice: ptr(true), OrderProducts: refs(o1, o2),
		Client:        &api.PosClient{Name: ptr("María González"), IDType: ptr("CC"), IDNumber: ptr("123456789"), Email: ptr("maria.gonzalez@example.com")},
		PaymentMethod: &card.ID, IsPaid: ptr(true), Total: mustDecimal("30000"), SendInvoiceEmail: ptr(true)}
	r := p.sell(p.ana, ex2)
	wantStatus(t, r, http.StatusCreated)
	inv := decode[api.InvoiceDetail](t, r)
	if inv.Status != api.InvoiceStatusISSUED || inv.Numero == nil || !strings.HasPrefix(*inv.Numero, "SETP") || inv.Cufe.IsNull() ||
		inv.Customer.Nit != "123456789" || inv.Customer.TipoIdentificacion != "13" || inv.Pagado.String() != "30000.00" || string(inv.MedioPago) != "48" {
		t.Fatalf("example 2: %+v", inv)
	}
	var st api.EInvoiceStatus
	eventually(t, "DIAN accepts the POS invoice", func() bool {
		st = p.einvoice(t, inv.ID.String())
		return st.Estado == api.EInvoiceStateACEPTADA
	})
	if t.Failed() {
		t.Fatalf("e-invoice %+v", st)
	}
	msgs := p.e.mail.Wait(1, 15*time.Second)
	if len(msgs) != 1 || msgs[0].To[0] != "maria.gonzalez@example.com" {
		t.Fatalf("mail %+v", msgs)
	}
	r = p.e.do(http.MethodPost, p.at(p.caja, "close"), p.ana, api.CloseCashRegister{EfectivoContado: mustDecimal("100000")})
	wantStatus(t, r, http.StatusOK)
	if s := decode[api.CashSession](t, r); s.EfectivoEsperado.String() != "100000.00" || s.Diferencia.String() != "0.00" ||
		len(s.Ventas) != 1 || string(s.Ventas[0].MedioPago) != "48" || s.Ventas[0].Valor.String() != "30000.00" {
		t.Fatalf("closed %+v", s)
	}
}
