package billing

import (
	"time"

	"github.com/google/uuid"

	"billing/internal/fault"
	"billing/internal/money"
)

// OrderStatus is where an order stands: taken (ESPERA), served
// (ENTREGADO), invoiced (FACTURADO, only by a point-of-sale invoice) or
// annulled (ANULADO).
type OrderStatus string

const (
	OrderWaiting   OrderStatus = "ESPERA"
	OrderDelivered OrderStatus = "ENTREGADO"
	OrderInvoiced  OrderStatus = "FACTURADO"
	OrderAnnulled  OrderStatus = "ANULADO"
)

// ErrOrderStatus refuses a change the order's lifecycle does not allow.
var ErrOrderStatus = &fault.Error{Kind: fault.KindConflict, Code: "order_status_invalid",
	Detail: "An order goes ESPERA → ENTREGADO, or to ANULADO before it is invoiced; FACTURADO comes only from its invoice, and an invoiced or annulled order stays so."}

// OrderTransition checks a change of an order's status asked by a user.
func OrderTransition(from, to OrderStatus) error {
	switch {
	case from == OrderWaiting && (to == OrderDelivered || to == OrderAnnulled):
	case from == OrderDelivered && to == OrderAnnulled:
	default:
		return ErrOrderStatus
	}
	return nil
}

// OrderLine is one line of an order: a product, its quantity and unit
// price (the product's unless the order gave one), and the cashier's note.
type OrderLine struct {
	ProductID     uuid.UUID
	Descripcion   string
	Cantidad      money.Decimal
	ValorUnitario money.Decimal
	Nota          string
}

// Valor is the line's value before taxes: cantidad × valorUnitario,
// rounded half-up to cents, as an invoice line's valorBruto.
func (l OrderLine) Valor() money.Decimal { return l.Cantidad.Mul(l.ValorUnitario).RoundCents() }

// Order is an order taken at a counter or a table.
type Order struct {
	ID        uuid.UUID
	Mesa      *string
	Estado    OrderStatus
	Lineas    []OrderLine
	Actor     string
	InvoiceID *uuid.UUID
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Total is the order's value before taxes: the sum of its lines'.
func (o Order) Total() money.Decimal {
	t := money.New(0, -2)
	for _, l := range o.Lineas {
		t = t.Add(l.Valor())
	}
	return t
}
