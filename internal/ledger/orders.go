package ledger

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
	"billing/internal/store"
)

// maxOrders is the most orders one list answers.
const maxOrders = 200

// NewOrderLine is a line of an order to take: a product, a quantity, a
// unit price (nil: the product's) and an optional note.
type NewOrderLine struct {
	ProductID     uuid.UUID
	Cantidad      money.Decimal
	ValorUnitario *money.Decimal
	Nota          *string
}

// CreateOrder takes an order: no cash session is needed to take one, only
// to invoice it. Each line's product must be one of the tenant's active
// products (400 product_not_found on its field).
func (l *Ledger) CreateOrder(ctx context.Context, a Actor, mesa *string, lines []NewOrderLine, once *Once[billing.Order]) (billing.Order, error) {
	var checks []*fault.FieldError
	if len(lines) == 0 {
		checks = append(checks, &fault.FieldError{Field: "lineas", Message: "must have at least one line"})
	}
	for i, ln := range lines {
		checks = append(checks, billing.CheckQuantity(fmt.Sprintf("lineas.%d.cantidad", i), ln.Cantidad))
		if ln.ValorUnitario != nil {
			checks = append(checks, billing.CheckPrice(fmt.Sprintf("lineas.%d.valorUnitario", i), *ln.ValorUnitario))
		}
	}
	if err := fault.Fields(checks...); err != nil {
		return billing.Order{}, err
	}
	o := billing.Order{ID: uuid.Must(uuid.NewV7()), Estado: billing.OrderWaiting, Actor: a.Subject, Mesa: optionalText(mesa)}
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.Order, error) {
		ids := make([]uuid.UUID, len(lines))
		for i, ln := range lines {
			ids[i] = ln.ProductID
		}
		products, err := tx.ProductsByID(ctx, ids)
		if err != nil {
			return billing.Order{}, err
		}
		o.Lineas = make([]billing.OrderLine, len(lines))
		var missing []fault.FieldError
		for i, ln := range lines {
			p, ok := products[ln.ProductID]
			if !ok || !p.Activo {
				missing = append(missing, fault.FieldError{Field: fmt.Sprintf("lineas.%d.productServiceId", i), Message: "is not an active product of this tenant"})
				continue
			}
			price := p.Precio
			if ln.ValorUnitario != nil {
				price = *ln.ValorUnitario
			}
			o.Lineas[i] = billing.OrderLine{ProductID: p.ID, Descripcion: p.Nombre, Cantidad: ln.Cantidad, ValorUnitario: price.Rescale(2)}
			if ln.Nota != nil {
				o.Lineas[i].Nota = strings.TrimSpace(*ln.Nota)
			}
		}
		if len(missing) > 0 {
			return billing.Order{}, fault.Invalid("product_not_found", "A line names no active product of this tenant.", missing...)
		}
		return tx.CreateOrder(ctx, o)
	})
}

// Order reads one order of the actor's tenant.
func (l *Ledger) Order(ctx context.Context, a Actor, id uuid.UUID) (billing.Order, error) {
	return l.store.Order(ctx, a.Tenant, id)
}

// Orders lists the actor's tenant's latest orders, optionally in one state.
func (l *Ledger) Orders(ctx context.Context, a Actor, estado billing.OrderStatus, limit int) ([]billing.Order, error) {
	if limit <= 0 || limit > maxOrders {
		limit = maxOrders
	}
	return l.store.Orders(ctx, a.Tenant, estado, limit)
}

// ChangeOrderStatus moves an order along its lifecycle (see
// billing.OrderTransition), with the order locked.
func (l *Ledger) ChangeOrderStatus(ctx context.Context, a Actor, id uuid.UUID, to billing.OrderStatus) (billing.Order, error) {
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.Order, error) {
		o, err := tx.LockOrder(ctx, id)
		if err != nil {
			return billing.Order{}, err
		}
		if err := billing.OrderTransition(o.Estado, to); err != nil {
			return billing.Order{}, err
		}
		return tx.SetOrderStatus(ctx, o, to)
	})
}
