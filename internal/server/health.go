package server

import (
	"context"
	"time"

	"billing/gen/api"
)

// Healthz answers while the process serves HTTP; it touches nothing else.
func (s *Server) Healthz(context.Context, api.HealthzRequestObject) (api.HealthzResponseObject, error) {
	return api.Healthz200JSONResponse{Status: api.HealthStatusOk}, nil
}

// Readyz answers 200 when the database answers a ping within two seconds.
func (s *Server) Readyz(ctx context.Context, _ api.ReadyzRequestObject) (api.ReadyzResponseObject, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.ledger.Ready(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "error", err)
		return nil, errNotReady
	}
	return api.Readyz200JSONResponse{Status: api.HealthStatusOk}, nil
}
