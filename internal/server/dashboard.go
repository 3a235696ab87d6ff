package server

import (
	"context"
	"fmt"

	"billing/gen/api"
)

// GetDashboard answers the tenant's billing figures. They are maintained in
// the same transaction as every write that changes them (see
// store.AddFigures), so this read is a handful of rows however large the
// ledger, and exactly as current as a live count.
func (s *Server) GetDashboard(ctx context.Context, _ api.GetDashboardRequestObject) (api.GetDashboardResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.store.Figures(ctx, p.TenantID)
	if err != nil {
		return nil, fmt.Errorf("reading dashboard: %w", err)
	}
	return api.GetDashboard200JSONResponse{
		ClientesActivos:   f.ClientesActivos,
		FacturasEmitidas:  f.FacturasEmitidas,
		FacturasBorrador:  f.FacturasBorrador,
		IngresosEstimados: cents(f.IngresosEstimados),
		// The seed defines totalFacturado as the same source.
		TotalFacturado: cents(f.IngresosEstimados),
	}, nil
}
