package server

import (
	"context"
	"fmt"
	"net/http"

	"billing/gen/api"
	"billing/internal/billing"
	"billing/internal/ledger"
)

// ListPaymentMethods answers the tenant's payment methods.
func (s *Server) ListPaymentMethods(ctx context.Context, _ api.ListPaymentMethodsRequestObject) (api.ListPaymentMethodsResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := s.ledger.PaymentMethods(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("listing payment methods: %w", err)
	}
	out := make(api.ListPaymentMethods200JSONResponse, len(ms))
	for i, m := range ms {
		out[i] = toAPIPaymentMethod(m)
	}
	return out, nil
}

// CreatePaymentMethod adds a payment method.
func (s *Server) CreatePaymentMethod(ctx context.Context, req api.CreatePaymentMethodRequestObject) (api.CreatePaymentMethodResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	in := ledger.NewPaymentMethod{Nombre: b.Nombre, Codigo: string(b.Codigo), Efectivo: b.Efectivo, Activo: b.Activo}
	m, err := s.ledger.CreatePaymentMethod(ctx, a, in, once(ctx, http.StatusCreated, func(m billing.PaymentMethod) any { return toAPIPaymentMethod(m) }))
	if err != nil {
		return nil, fmt.Errorf("creating payment method: %w", inBody(err))
	}
	return api.CreatePaymentMethod201JSONResponse{Body: toAPIPaymentMethod(m)}, nil
}

// UpdatePaymentMethod applies a PATCH of a payment method.
func (s *Server) UpdatePaymentMethod(ctx context.Context, req api.UpdatePaymentMethodRequestObject) (api.UpdatePaymentMethodResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	m, err := s.ledger.UpdatePaymentMethod(ctx, a, req.ID, ledger.PaymentMethodPatch{Nombre: b.Nombre, Efectivo: b.Efectivo, Activo: b.Activo})
	if err != nil {
		return nil, fmt.Errorf("updating payment method: %w", inBody(err))
	}
	return api.UpdatePaymentMethod200JSONResponse(toAPIPaymentMethod(m)), nil
}

func toAPIPaymentMethod(m billing.PaymentMethod) api.PaymentMethod {
	return api.PaymentMethod{ID: m.ID, Nombre: m.Nombre, Codigo: api.MedioPago(m.Codigo), Efectivo: m.Efectivo, Activo: m.Activo,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}
