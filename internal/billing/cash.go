package billing

import (
	"sort"
	"time"

	"github.com/google/uuid"

	"billing/internal/money"
)

// CashRegister is one of a point of sale's drawers; OpenSession names its
// open session, if it has one.
type CashRegister struct {
	ID          uuid.UUID
	Nombre      string
	CreatedAt   time.Time
	OpenSession *uuid.UUID
	Cajero      string // the open session's cashier
}

// CashMovementKind is what moved a session's money.
type CashMovementKind string

const (
	CashSale CashMovementKind = "VENTA"   // a sale paid at the counter
	CashIn   CashMovementKind = "INGRESO" // cash put into the drawer
	CashOut  CashMovementKind = "RETIRO"  // cash taken out of it
)

// CashMovement is one movement of a session.
type CashMovement struct {
	ID        uuid.UUID
	Tipo      CashMovementKind
	Valor     money.Decimal
	MedioPago string // a sale's DIAN payment means code; "" otherwise
	Efectivo  bool   // whether it moved the drawer
	Motivo    string
	InvoiceID *uuid.UUID
	Actor     string
	CreatedAt time.Time
}

// CashSession is a cashier's turn on a register, from its opening with a
// base to its close with the cash counted. EfectivoContado is nil while
// it is open.
type CashSession struct {
	ID               uuid.UUID
	RegisterID       uuid.UUID
	Cajero           string
	Base             money.Decimal
	Movimientos      []CashMovement
	AbiertaEn        time.Time
	CerradaEn        *time.Time
	CerradaPor       string
	EfectivoContado  *money.Decimal
	efectivoEsperado *money.Decimal // kept at the close
}

// SaleTotal is what a session sold by one payment means.
type SaleTotal struct {
	MedioPago string
	Valor     money.Decimal
}

// Ventas is what the session sold, by payment means, in code order.
func (s CashSession) Ventas() []SaleTotal {
	var out []SaleTotal
	for _, m := range s.Movimientos {
		if m.Tipo != CashSale {
			continue
		}
		i := 0
		for i < len(out) && out[i].MedioPago != m.MedioPago {
			i++
		}
		if i == len(out) {
			out = append(out, SaleTotal{MedioPago: m.MedioPago, Valor: money.New(0, -2)})
		}
		out[i].Valor = out[i].Valor.Add(m.Valor)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MedioPago < out[j].MedioPago })
	return out
}

// EfectivoEsperado is the cash the drawer should hold: the base, plus the
// sales paid into the drawer and the cash put in, minus the cash taken
// out. A closed session answers what its close kept.
func (s CashSession) EfectivoEsperado() money.Decimal {
	if s.efectivoEsperado != nil {
		return *s.efectivoEsperado
	}
	total := s.Base
	for _, m := range s.Movimientos {
		switch {
		case m.Tipo == CashOut:
			total = total.Sub(m.Valor)
		case m.Efectivo:
			total = total.Add(m.Valor)
		}
	}
	return total
}

// Diferencia is counted minus expected (negative: cash missing); nil while
// open.
func (s CashSession) Diferencia() *money.Decimal {
	if s.EfectivoContado == nil {
		return nil
	}
	d := s.EfectivoContado.Sub(s.EfectivoEsperado())
	return &d
}

// WithClose is s as its close kept it: the expected cash fixed then.
func (s CashSession) WithClose(esperado *money.Decimal) CashSession {
	s.efectivoEsperado = esperado
	return s
}
