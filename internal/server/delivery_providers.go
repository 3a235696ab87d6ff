package server

import (
	"context"
	"fmt"
	"net/http"

	"billing/gen/api"
	"billing/internal/billing"
)

// ListDeliveryProviders answers the tenant's delivery providers.
func (s *Server) ListDeliveryProviders(ctx context.Context, _ api.ListDeliveryProvidersRequestObject) (api.ListDeliveryProvidersResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.ledger.DeliveryProviders(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("listing delivery providers: %w", err)
	}
	out := make(api.ListDeliveryProviders200JSONResponse, len(ps))
	for i, p := range ps {
		out[i] = toAPIDeliveryProvider(p)
	}
	return out, nil
}

// CreateDeliveryProvider adds a delivery provider.
func (s *Server) CreateDeliveryProvider(ctx context.Context, req api.CreateDeliveryProviderRequestObject) (api.CreateDeliveryProviderResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.ledger.CreateDeliveryProvider(ctx, a, req.Body.Nombre, req.Body.Activo,
		once(ctx, http.StatusCreated, func(p billing.DeliveryProvider) any { return toAPIDeliveryProvider(p) }))
	if err != nil {
		return nil, fmt.Errorf("creating delivery provider: %w", inBody(err))
	}
	return api.CreateDeliveryProvider201JSONResponse{Body: toAPIDeliveryProvider(p)}, nil
}

// UpdateDeliveryProvider applies a PATCH of a delivery provider.
func (s *Server) UpdateDeliveryProvider(ctx context.Context, req api.UpdateDeliveryProviderRequestObject) (api.UpdateDeliveryProviderResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.ledger.UpdateDeliveryProvider(ctx, a, req.ID, req.Body.Nombre, req.Body.Activo)
	if err != nil {
		return nil, fmt.Errorf("updating delivery provider: %w", inBody(err))
	}
	return api.UpdateDeliveryProvider200JSONResponse(toAPIDeliveryProvider(p)), nil
}

func toAPIDeliveryProvider(p billing.DeliveryProvider) api.DeliveryProvider {
	return api.DeliveryProvider{ID: p.ID, Nombre: p.Nombre, Activo: p.Activo, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}
