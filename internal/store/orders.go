package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// CreateOrder writes an order and its lines.
func (tx *Tx) CreateOrder(ctx context.Context, o billing.Order) (billing.Order, error) {
	r, err := tx.q.CreateOrder(ctx, db.CreateOrderParams{TenantID: tx.tenant, ID: o.ID, Mesa: o.Mesa, Actor: o.Actor})
	if err != nil {
		return billing.Order{}, fmt.Errorf("creating order: %w", Translate(err))
	}
	p := db.InsertOrderLinesParams{TenantID: tx.tenant, OrderID: o.ID}
	for _, l := range o.Lineas {
		p.ProductIds = append(p.ProductIds, l.ProductID)
		p.Descripciones = append(p.Descripciones, l.Descripcion)
		p.Cantidades = append(p.Cantidades, l.Cantidad)
		p.Valores = append(p.Valores, l.ValorUnitario)
		p.Notas = append(p.Notas, l.Nota)
	}
	if err := tx.q.InsertOrderLines(ctx, p); err != nil {
		return billing.Order{}, fmt.Errorf("writing order lines: %w", Translate(err))
	}
	out := toOrder(r)
	out.Lineas = o.Lineas
	return out, nil
}

// Order reads one of the tenant's orders with its lines;
// fault.ErrOrderNotFound for none.
func (s *Store) Order(ctx context.Context, tenant, id uuid.UUID) (billing.Order, error) {
	var out billing.Order
	err := s.InTx(ctx, tenant, func(tx *Tx) error {
		r, err := tx.q.GetOrder(ctx, db.GetOrderParams{TenantID: tenant, ID: id})
		if NoRows(err) {
			return fault.ErrOrderNotFound
		}
		if err != nil {
			return fmt.Errorf("reading order: %w", err)
		}
		os, err := tx.withLines(ctx, []db.Order{r})
		out = os[0]
		return err
	})
	return out, err
}

// Orders lists the tenant's orders, newest first, in one state when estado
// is not "", at most limit.
func (s *Store) Orders(ctx context.Context, tenant uuid.UUID, estado billing.OrderStatus, limit int) ([]billing.Order, error) {
	var out []billing.Order
	err := s.InTx(ctx, tenant, func(tx *Tx) error {
		rows, err := tx.q.ListOrders(ctx, db.ListOrdersParams{TenantID: tenant, Estado: nullIfEmpty(string(estado)), MaxRows: int32(limit)})
		if err != nil {
			return fmt.Errorf("listing orders: %w", err)
		}
		out, err = tx.withLines(ctx, rows)
		return err
	})
	return out, err
}

// LockOrder locks one of the tenant's orders (its status changes queue on
// it); fault.ErrOrderNotFound for none.
func (tx *Tx) LockOrder(ctx context.Context, id uuid.UUID) (billing.Order, error) {
	r, err := tx.q.LockOrder(ctx, db.LockOrderParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return billing.Order{}, fault.ErrOrderNotFound
	}
	if err != nil {
		return billing.Order{}, fmt.Errorf("locking order: %w", err)
	}
	os, err := tx.withLines(ctx, []db.Order{r})
	if err != nil {
		return billing.Order{}, err
	}
	return os[0], nil
}

// SetOrderStatus writes a locked order's new status.
func (tx *Tx) SetOrderStatus(ctx context.Context, o billing.Order, to billing.OrderStatus) (billing.Order, error) {
	r, err := tx.q.SetOrderStatus(ctx, db.SetOrderStatusParams{TenantID: tx.tenant, ID: o.ID, Estado: string(to)})
	if err != nil {
		return billing.Order{}, fmt.Errorf("changing the order's status: %w", Translate(err))
	}
	out := toOrder(r)
	out.Lineas = o.Lineas
	return out, nil
}

func (tx *Tx) withLines(ctx context.Context, rows []db.Order) ([]billing.Order, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	lines, err := tx.q.ListOrderLines(ctx, db.ListOrderLinesParams{TenantID: tx.tenant, OrderIds: ids})
	if err != nil {
		return nil, fmt.Errorf("reading order lines: %w", err)
	}
	byOrder := map[uuid.UUID][]billing.OrderLine{}
	for _, l := range lines {
		byOrder[l.OrderID] = append(byOrder[l.OrderID], billing.OrderLine{ProductID: l.ProductID, Descripcion: l.Descripcion,
			Cantidad: l.Cantidad, ValorUnitario: l.ValorUnitario, Nota: textOf(l.Nota)})
	}
	out := make([]billing.Order, len(rows))
	for i, r := range rows {
		out[i] = toOrder(r)
		out[i].Lineas = byOrder[r.ID]
	}
	return out, nil
}

func toOrder(r db.Order) billing.Order {
	return billing.Order{ID: r.ID, Mesa: r.Mesa, Estado: billing.OrderStatus(r.Estado), Actor: r.Actor, InvoiceID: r.InvoiceID,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}
