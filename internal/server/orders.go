package server

import (
	"context"
	"fmt"
	"net/http"

	"billing/gen/api"
	"billing/internal/billing"
	"billing/internal/ledger"
)

// ListOrders answers the tenant's latest orders.
func (s *Server) ListOrders(ctx context.Context, req api.ListOrdersRequestObject) (api.ListOrdersResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var estado billing.OrderStatus
	if req.Params.Estado != nil {
		estado = billing.OrderStatus(*req.Params.Estado)
	}
	os, err := s.ledger.Orders(ctx, a, estado, valueOr(req.Params.Limit, 0))
	if err != nil {
		return nil, fmt.Errorf("listing orders: %w", err)
	}
	out := make(api.ListOrders200JSONResponse, len(os))
	for i, o := range os {
		out[i] = toAPIOrder(o)
	}
	return out, nil
}

// CreateOrder takes an order.
func (s *Server) CreateOrder(ctx context.Context, req api.CreateOrderRequestObject) (api.CreateOrderResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	lines := make([]ledger.NewOrderLine, len(req.Body.Lineas))
	for i, l := range req.Body.Lineas {
		lines[i] = ledger.NewOrderLine{ProductID: l.ProductServiceID, Cantidad: l.Cantidad, ValorUnitario: l.ValorUnitario, Nota: l.Nota}
	}
	o, err := s.ledger.CreateOrder(ctx, a, req.Body.Mesa, lines, once(ctx, http.StatusCreated, func(o billing.Order) any { return toAPIOrder(o) }))
	if err != nil {
		return nil, fmt.Errorf("taking order: %w", inBody(err))
	}
	return api.CreateOrder201JSONResponse{Body: toAPIOrder(o)}, nil
}

// GetOrder answers one order.
func (s *Server) GetOrder(ctx context.Context, req api.GetOrderRequestObject) (api.GetOrderResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.ledger.Order(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("reading order: %w", err)
	}
	return api.GetOrder200JSONResponse(toAPIOrder(o)), nil
}

// UpdateOrderStatus serves or annuls an order.
func (s *Server) UpdateOrderStatus(ctx context.Context, req api.UpdateOrderStatusRequestObject) (api.UpdateOrderStatusResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.ledger.ChangeOrderStatus(ctx, a, req.ID, billing.OrderStatus(req.Body.Estado))
	if err != nil {
		return nil, fmt.Errorf("changing order status: %w", inBody(err))
	}
	return api.UpdateOrderStatus200JSONResponse(toAPIOrder(o)), nil
}

func toAPIOrder(o billing.Order) api.Order {
	out := api.Order{ID: o.ID, Mesa: o.Mesa, Estado: api.OrderStatus(o.Estado), Total: o.Total(), Actor: o.Actor,
		InvoiceID: o.InvoiceID, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Lineas: make([]api.OrderLine, len(o.Lineas))}
	for i, l := range o.Lineas {
		out.Lineas[i] = api.OrderLine{ProductServiceID: l.ProductID, Descripcion: l.Descripcion, Cantidad: l.Cantidad,
			ValorUnitario: l.ValorUnitario, Valor: l.Valor()}
		if l.Nota != "" {
			out.Lineas[i].Nota = &l.Nota
		}
	}
	return out
}
