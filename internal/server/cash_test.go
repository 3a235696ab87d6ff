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

// cashier is a token of an OPERADOR with a sub of its own.
func (e *env) cashier(tenant uuid.UUID, sub string) string {
	e.t.Helper()
	tok, err := auth.Sign(testSecret, auth.Principal{Subject: sub, TenantID: tenant, Role: auth.RoleOperador}, time.Hour, e.cfg.Issuer, e.cfg.Audience)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// TestCashRegisters: a register is opened by a cashier with a base, one
// open session per register and per cashier; cash put in and taken out
// with a reason moves the expected cash; the close keeps expected, counted
// and the difference, and the closed session never changes (the database
// refuses it too); only its cashier or an ADMIN closes it; another tenant
// sees none of it.
func TestCashRegisters(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	ana, beto := l.e.cashier(l.tenant, "ana@colegio"), l.e.cashier(l.tenant, "beto@colegio")
	create := func(nombre string) api.CashRegister {
		t.Helper()
		r := l.e.do(http.MethodPost, "/billing/cash-registers", l.admin, api.CreateCashRegister{Nombre: nombre})
		wantStatus(t, r, http.StatusCreated)
		return decode[api.CashRegister](t, r)
	}
	caja, libreria := create("Caja cafetería"), create("Caja librería")
	wantProblem(t, l.e.do(http.MethodPost, "/billing/cash-registers", l.admin, api.CreateCashRegister{Nombre: "CAJA CAFETERÍA"}),
		http.StatusConflict, "cash_register_name_taken")
	at := func(reg api.CashRegister, what string) string {
		return "/billing/cash-registers/" + reg.ID.String() + "/" + what
	}

	r := l.e.do(http.MethodPost, at(caja, "open"), ana, api.OpenCashRegister{Base: mustDecimal("100000")})
	wantStatus(t, r, http.StatusCreated)
	open := decode[api.CashSession](t, r)
	if open.Cajero != "ana@colegio" || open.Base.String() != "100000.00" || open.EfectivoEsperado.String() != "100000.00" ||
		open.CerradaEn != nil || open.EfectivoContado != nil || len(open.Ventas) != 0 {
		t.Fatalf("opened %+v", open)
	}
	wantProblem(t, l.e.do(http.MethodPost, at(caja, "open"), beto, api.OpenCashRegister{Base: mustDecimal("0")}), http.StatusConflict, "cash_register_open")
	wantProblem(t, l.e.do(http.MethodPost, at(libreria, "open"), ana, api.OpenCashRegister{Base: mustDecimal("0")}), http.StatusConflict, "cash_session_open")
	regs := decode[[]api.CashRegister](t, l.e.do(http.MethodGet, "/billing/cash-registers", l.admin, nil))
	if len(regs) != 2 || regs[0].ID != caja.ID || regs[0].SesionAbierta == nil || *regs[0].SesionAbierta != open.ID ||
		*regs[0].Cajero != "ana@colegio" || regs[1].SesionAbierta != nil {
		t.Fatalf("registers %+v", regs)
	}

	move := func(token, tipo, valor, motivo string) response {
		return l.e.do(http.MethodPost, at(caja, "movements"), token, map[string]any{"tipo": tipo, "valor": mustDecimal(valor), "motivo": motivo})
	}
	wantStatus(t, move(ana, "INGRESO", "20000", "Sencillo del banco"), http.StatusCreated)
	m := decode[api.CashMovement](t, move(ana, "RETIRO", "8000.50", "Compra de hielo"))
	if m.Tipo != api.CashMovementTipoRETIRO || m.Valor.String() != "8000.50" || !m.Efectivo || *m.Motivo != "Compra de hielo" || m.Actor != "ana@colegio" {
		t.Fatalf("movement %+v", m)
	}
	wantProblem(t, move(beto, "RETIRO", "1000", "x"), http.StatusConflict, "cash_register_closed")
	wantStatus(t, move(ana, "VENTA", "1000", "x"), http.StatusBadRequest)
	wantStatus(t, move(ana, "RETIRO", "0", "x"), http.StatusBadRequest)
	wantStatus(t, move(ana, "RETIRO", "1000", " "), http.StatusBadRequest)

	wantProblem(t, l.e.do(http.MethodPost, at(caja, "close"), beto, api.CloseCashRegister{EfectivoContado: mustDecimal("0")}),
		http.StatusConflict, "cash_session_other_cashier")
	r = l.e.do(http.MethodPost, at(caja, "close"), ana, api.CloseCashRegister{EfectivoContado: mustDecimal("110999.50")})
	wantStatus(t, r, http.StatusOK)
	closed := decode[api.CashSession](t, r)
	if closed.EfectivoEsperado.String() != "111999.50" || closed.EfectivoContado.String() != "110999.50" ||
		closed.Diferencia.String() != "-1000.00" || closed.CerradaEn == nil || *closed.CerradaPor != "ana@colegio" || len(closed.Movimientos) != 2 {
		t.Fatalf("closed %+v", closed)
	}
	wantProblem(t, move(ana, "INGRESO", "1000", "tarde"), http.StatusConflict, "cash_register_closed")
	wantProblem(t, l.e.do(http.MethodPost, at(caja, "close"), ana, api.CloseCashRegister{EfectivoContado: mustDecimal("0")}),
		http.StatusConflict, "cash_register_closed")
	if err := l.e.rawExec(`UPDATE cash_sessions SET efectivo_contado = 0 WHERE id = $1`, closed.ID); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("a closed session changed: %v", err)
	}

	// Opened again, by beto this time, and closed by an ADMIN.
	wantStatus(t, l.e.do(http.MethodPost, at(caja, "open"), beto, api.OpenCashRegister{Base: mustDecimal("50000")}), http.StatusCreated)
	r = l.e.do(http.MethodPost, at(caja, "close"), l.admin, api.CloseCashRegister{EfectivoContado: mustDecimal("50000")})
	if wantStatus(t, r, http.StatusOK); decode[api.CashSession](t, r).Diferencia.String() != "0.00" {
		t.Fatal("a balanced close has a difference")
	}
	sessions := decode[[]api.CashSession](t, l.e.do(http.MethodGet, at(caja, "sessions"), l.e.token(l.tenant, auth.RoleViewer), nil))
	if len(sessions) != 2 || sessions[0].Cajero != "beto@colegio" || sessions[1].ID != closed.ID ||
		sessions[1].Diferencia.String() != "-1000.00" || len(sessions[1].Movimientos) != 2 {
		t.Fatalf("sessions %+v", sessions)
	}
	if one := decode[[]api.CashSession](t, l.e.do(http.MethodGet, at(caja, "sessions")+"?limit=1", l.admin, nil)); len(one) != 1 {
		t.Fatalf("limit=1 gave %d", len(one))
	}

	// Racing opens of one register: exactly one wins.
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes[i] = l.e.do(http.MethodPost, at(libreria, "open"), l.e.cashier(l.tenant, "cajero-"+string(rune('a'+i))),
				api.OpenCashRegister{Base: mustDecimal("1000")}).Status
		}(i)
	}
	wg.Wait()
	won := 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			won++
		case http.StatusConflict:
		default:
			t.Fatalf("racing opens answered %v", codes)
		}
	}
	if won != 1 {
		t.Fatalf("racing opens: %v", codes)
	}

	// Another tenant sees none of it.
	other := l.e.token(l.e.tenant("B"), auth.RoleAdmin)
	if got := decode[[]api.CashRegister](t, l.e.do(http.MethodGet, "/billing/cash-registers", other, nil)); len(got) != 0 {
		t.Fatalf("the other tenant sees %d registers", len(got))
	}
	wantProblem(t, l.e.do(http.MethodGet, at(caja, "sessions"), other, nil), http.StatusNotFound, "cash_register_not_found")
	wantProblem(t, l.e.do(http.MethodPost, at(caja, "open"), other, api.OpenCashRegister{Base: mustDecimal("0")}), http.StatusNotFound, "cash_register_not_found")
}
