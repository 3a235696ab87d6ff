package billing

import (
	"testing"

	"billing/internal/money"
)

// TestCashSessionFigures: sales add up by payment means in code order; the
// expected cash counts the base, the sales into the drawer and cash in,
// less cash out; a close's kept figure wins over the live one.
func TestCashSessionFigures(t *testing.T) {
	m := money.Must
	s := CashSession{Base: m("100000.00"), Movimientos: []CashMovement{
		{Tipo: CashSale, MedioPago: "48", Valor: m("30000.00")},
		{Tipo: CashSale, MedioPago: "10", Valor: m("45000.00"), Efectivo: true},
		{Tipo: CashSale, MedioPago: "10", Valor: m("5000.50"), Efectivo: true},
		{Tipo: CashIn, Valor: m("20000.00"), Efectivo: true},
		{Tipo: CashOut, Valor: m("8000.00"), Efectivo: true},
	}}
	cases := []struct {
		name       string
		s          CashSession
		esperado   string
		diferencia string
	}{
		{"open", s, "162000.50", ""},
		{"counted short", func() CashSession { c := s; n := m("161000.50"); c.EfectivoContado = &n; return c }(), "162000.50", "-1000.00"},
		{"closed, kept figure", func() CashSession {
			c := s.WithClose(ptrTo(m("150000.00")))
			n := m("150000.00")
			c.EfectivoContado = &n
			return c
		}(), "150000.00", "0.00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.s.EfectivoEsperado().String(); got != c.esperado {
				t.Fatalf("esperado %s, want %s", got, c.esperado)
			}
			d := c.s.Diferencia()
			if (d == nil) != (c.diferencia == "") || d != nil && d.String() != c.diferencia {
				t.Fatalf("diferencia %v, want %q", d, c.diferencia)
			}
		})
	}
	v := s.Ventas()
	if len(v) != 2 || v[0].MedioPago != "10" || v[0].Valor.String() != "50000.50" || v[1].MedioPago != "48" || v[1].Valor.String() != "30000.00" {
		t.Fatalf("ventas %+v", v)
	}
}

func ptrTo[T any](v T) *T { return &v }
