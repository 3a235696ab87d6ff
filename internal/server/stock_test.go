package server_test

import (
	"net/http"
	"sync"
	"testing"

	"billing/gen/api"
	"billing/internal/auth"
)

// TestStock: a product that tracks its stock starts at 0 and moves by
// adjustments with a reason, each kept with the stock it left; it never
// goes below zero unless the product allows it, also when adjustments
// race; one that does not track its stock refuses them; it stops tracking
// only at 0; another tenant's product is not found.
func TestStock(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	cuaderno := decode[api.Product](t, l.e.do(http.MethodPost, "/billing/products", l.admin,
		map[string]any{"nombre": "Cuaderno cosido", "precio": 6500, "controlInventario": true}))
	if !*cuaderno.ControlInventario || *cuaderno.PermitirNegativo || cuaderno.Stock.String() != "0.000" {
		t.Fatalf("created %+v", cuaderno)
	}
	at := "/billing/products/" + cuaderno.ID.String() + "/stock-movements"
	adjust := func(path, cantidad, motivo string) response {
		return l.e.do(http.MethodPost, path, l.admin, api.AdjustStock{Cantidad: mustDecimal(cantidad), Motivo: motivo})
	}
	r := adjust(at, "5", "Inventario inicial")
	wantStatus(t, r, http.StatusCreated)
	if m := decode[api.StockMovement](t, r); m.Tipo != api.StockMovementTipoAJUSTE || m.Cantidad.String() != "5.000" || m.Saldo.String() != "5.000" || *m.Motivo != "Inventario inicial" {
		t.Fatalf("movement %+v", m)
	}
	wantProblem(t, adjust(at, "-6", "Pérdida"), http.StatusConflict, "stock_insufficient")
	wantStatus(t, adjust(at, "0", "nada"), http.StatusBadRequest)
	wantStatus(t, adjust(at, "1", " "), http.StatusBadRequest)
	wantProblem(t, adjust("/billing/products/"+l.product.ID.String()+"/stock-movements", "1", "conteo"), http.StatusConflict, "stock_not_tracked")

	// Racing withdrawals of one unit each: exactly the five in stock pass.
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func(i int) { defer wg.Done(); codes[i] = adjust(at, "-1", "Venta de mostrador").Status }(i)
	}
	wg.Wait()
	passed := 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			passed++
		case http.StatusConflict:
		default:
			t.Fatalf("racing withdrawals %v", codes)
		}
	}
	p := decode[api.Product](t, l.e.do(http.MethodGet, "/billing/products/"+cuaderno.ID.String(), l.admin, nil))
	if passed != 5 || p.Stock.String() != "0.000" {
		t.Fatalf("%d withdrawals passed, stock %s (%v)", passed, p.Stock.String(), codes)
	}

	// Allowed below zero, then it cannot stop tracking until back at 0.
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/products/"+cuaderno.ID.String(), l.admin, map[string]any{"permitirNegativo": true}), http.StatusOK)
	if m := decode[api.StockMovement](t, adjust(at, "-2.5", "Pedido sobre encargo")); m.Saldo.String() != "-2.500" {
		t.Fatalf("below zero: %+v", m)
	}
	wantProblem(t, l.e.do(http.MethodPatch, "/billing/products/"+cuaderno.ID.String(), l.admin, map[string]any{"controlInventario": false}),
		http.StatusConflict, "stock_not_zero")
	wantStatus(t, adjust(at, "2.5", "Llegó el pedido"), http.StatusCreated)
	wantStatus(t, l.e.do(http.MethodPatch, "/billing/products/"+cuaderno.ID.String(), l.admin, map[string]any{"controlInventario": false}), http.StatusOK)

	ms := decode[[]api.StockMovement](t, l.e.do(http.MethodGet, at, l.e.token(l.tenant, auth.RoleViewer), nil))
	if len(ms) != 8 || ms[0].Saldo.String() != "0.000" || ms[0].Cantidad.String() != "2.500" || ms[len(ms)-1].Saldo.String() != "5.000" {
		t.Fatalf("%d movements, newest %+v", len(ms), ms[0])
	}

	other := l.e.token(l.e.tenant("B"), auth.RoleAdmin)
	wantProblem(t, l.e.do(http.MethodGet, at, other, nil), http.StatusNotFound, "product_not_found")
	wantProblem(t, l.e.do(http.MethodPost, at, other, api.AdjustStock{Cantidad: mustDecimal("1"), Motivo: "x"}), http.StatusNotFound, "product_not_found")
}
