package server_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
)

// TestOrders: an order is taken with the product's price unless one is
// given, its note and table kept; it is served and annulled along its
// lifecycle, never made FACTURADO by hand; unknown or inactive products
// are refused on their field; racing changes of one order queue; another
// tenant sees none of it.
func TestOrders(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	tinto := createProduct(t, l.e, l.admin, map[string]any{"nombre": "Tinto", "precio": 3500, "impuesto": 0, "tratamiento": "EXCLUIDO"})
	pan := createProduct(t, l.e, l.admin, map[string]any{"nombre": "Pan de bono", "precio": 2800.5})
	take := func(body api.CreateOrder) response {
		return l.e.do(http.MethodPost, "/billing/orders", l.operador, body)
	}

	r := take(api.CreateOrder{Mesa: ptr(" Mesa 4 "), Lineas: []api.CreateOrderLine{
		{ProductServiceID: tinto.ID, Cantidad: mustDecimal("2"), Nota: ptr("sin azúcar")},
		{ProductServiceID: pan.ID, Cantidad: mustDecimal("3"), ValorUnitario: ptr(mustDecimal("2500"))},
	}})
	wantStatus(t, r, http.StatusCreated)
	o := decode[api.Order](t, r)
	if o.Estado != api.OrderStatusESPERA || *o.Mesa != "Mesa 4" || o.Actor != "user-operador" || len(o.Lineas) != 2 ||
		o.Lineas[0].Descripcion != "Tinto" || o.Lineas[0].ValorUnitario.String() != "3500.00" || *o.Lineas[0].Nota != "sin azúcar" ||
		o.Lineas[1].ValorUnitario.String() != "2500.00" || o.Lineas[1].Valor.String() != "7500.00" || o.Total.String() != "14500.00" || o.InvoiceID != nil {
		t.Fatalf("order %+v", o)
	}
	if got := decode[api.Order](t, l.e.do(http.MethodGet, "/billing/orders/"+o.ID.String(), l.e.token(l.tenant, auth.RoleViewer), nil)); got.Total != o.Total || len(got.Lineas) != 2 {
		t.Fatalf("read back %+v", got)
	}

	p := wantProblem(t, take(api.CreateOrder{Lineas: []api.CreateOrderLine{
		{ProductServiceID: tinto.ID, Cantidad: mustDecimal("1")}, {ProductServiceID: uuid.New(), Cantidad: mustDecimal("1")},
	}}), http.StatusBadRequest, "product_not_found")
	if p.Errors == nil || (*p.Errors)[0].Field != "body.lineas.1.productServiceId" {
		t.Fatalf("unknown product: %+v", p)
	}
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/products/"+pan.ID.String(), l.admin, map[string]any{"activo": false}), http.StatusOK)
	wantProblem(t, take(api.CreateOrder{Lineas: []api.CreateOrderLine{{ProductServiceID: pan.ID, Cantidad: mustDecimal("1")}}}),
		http.StatusBadRequest, "product_not_found")
	wantStatus(t, take(api.CreateOrder{Lineas: []api.CreateOrderLine{}}), http.StatusBadRequest)

	status := func(id uuid.UUID, to api.OrderStatus) response {
		return l.e.do(http.MethodPatch, "/billing/orders/"+id.String()+"/status", l.operador, api.UpdateOrderStatus{Estado: to})
	}
	wantProblem(t, status(o.ID, api.OrderStatusFACTURADO), http.StatusConflict, "order_status_invalid")
	if got := decode[api.Order](t, status(o.ID, api.OrderStatusENTREGADO)); got.Estado != api.OrderStatusENTREGADO || !got.UpdatedAt.After(o.UpdatedAt) {
		t.Fatalf("served %+v", got)
	}
	wantProblem(t, status(o.ID, api.OrderStatusESPERA), http.StatusConflict, "order_status_invalid")
	wantStatus(t, status(o.ID, api.OrderStatusANULADO), http.StatusOK)
	wantProblem(t, status(o.ID, api.OrderStatusENTREGADO), http.StatusConflict, "order_status_invalid")

	// Racing serves of one waiting order: one moves it, the rest find it
	// served already.
	second := decode[api.Order](t, take(api.CreateOrder{Lineas: []api.CreateOrderLine{{ProductServiceID: tinto.ID, Cantidad: mustDecimal("1")}}}))
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for i := range codes {
		wg.Add(1)
		go func(i int) { defer wg.Done(); codes[i] = status(second.ID, api.OrderStatusENTREGADO).Status }(i)
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == http.StatusOK {
			ok++
		} else if c != http.StatusConflict {
			t.Fatalf("racing serves %v", codes)
		}
	}
	if ok != 1 {
		t.Fatalf("racing serves %v", codes)
	}

	list := decode[[]api.Order](t, l.e.do(http.MethodGet, "/billing/orders", l.admin, nil))
	if len(list) != 2 || list[0].ID != second.ID || list[1].ID != o.ID {
		t.Fatalf("list %+v", list)
	}
	if served := decode[[]api.Order](t, l.e.do(http.MethodGet, "/billing/orders?estado=ANULADO", l.admin, nil)); len(served) != 1 || served[0].ID != o.ID {
		t.Fatalf("annulled %+v", served)
	}

	other := l.e.token(l.e.tenant("B"), auth.RoleAdmin)
	wantProblem(t, l.e.do(http.MethodGet, "/billing/orders/"+o.ID.String(), other, nil), http.StatusNotFound, "order_not_found")
	wantProblem(t, l.e.do(http.MethodPatch, "/billing/orders/"+second.ID.String()+"/status", other, api.UpdateOrderStatus{Estado: api.OrderStatusANULADO}),
		http.StatusNotFound, "order_not_found")
	if got := decode[[]api.Order](t, l.e.do(http.MethodGet, "/billing/orders", other, nil)); len(got) != 0 {
		t.Fatalf("the other tenant sees %d orders", len(got))
	}
	// Another tenant's product is no product here.
	wantProblem(t, l.e.do(http.MethodPost, "/billing/orders", other, api.CreateOrder{Lineas: []api.CreateOrderLine{{ProductServiceID: tinto.ID, Cantidad: mustDecimal("1")}}}),
		http.StatusBadRequest, "product_not_found")
}
