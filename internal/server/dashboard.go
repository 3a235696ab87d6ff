package server

import (
	"context"
	"fmt"

	"billing/gen/api"
	"billing/gen/db"
)

// GetDashboard answers the tenant's live billing figures, all read by one
// statement so they agree with each other. It is the one place the figures
// are computed.
func (s *Server) GetDashboard(ctx context.Context, _ api.GetDashboardRequestObject) (api.GetDashboardResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var d db.GetDashboardRow
	err = s.store.Read(ctx, p.TenantID, func(q *db.Queries) error {
		var err error
		d, err = q.GetDashboard(ctx, p.TenantID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("computing dashboard: %w", err)
	}
	return api.GetDashboard200JSONResponse{
		ClientesActivos:   d.ClientesActivos,
		FacturasEmitidas:  d.FacturasEmitidas,
		FacturasBorrador:  d.FacturasBorrador,
		IngresosEstimados: cents(d.IngresosEstimados),
		// The seed defines totalFacturado as the same source.
		TotalFacturado: cents(d.IngresosEstimados),
	}, nil
}
