package server

import (
	"context"
	"fmt"

	"billing/gen/api"
)

// GetDashboard answers the tenant's billing figures (see ledger.Dashboard).
func (s *Server) GetDashboard(ctx context.Context, _ api.GetDashboardRequestObject) (api.GetDashboardResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.ledger.Dashboard(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("reading dashboard: %w", err)
	}
	return api.GetDashboard200JSONResponse{
		ClientesActivos:   f.ClientesActivos,
		FacturasEmitidas:  f.FacturasEmitidas,
		FacturasBorrador:  f.FacturasBorrador,
		IngresosEstimados: cents(f.IngresosEstimados),
		// The seed defines totalFacturado as the same source.
		TotalFacturado:   cents(f.IngresosEstimados),
		IngresosNetos:    cents(f.IngresosNetos()),
		CarteraPendiente: cents(f.CarteraPendiente),
		CarteraVencida:   cents(f.CarteraVencida),
	}, nil
}
