// Package server is the HTTP face of the billing service and nothing else:
// Echo, the middleware that enforces the OpenAPI contract and authentication,
// one problem+json error renderer, the mapping between the generated API
// types and the domain's, PATCH merging into use-case patches, paging links,
// and thin handlers (one file per resource) that implement the generated
// strict server interface by calling the use cases of internal/ledger.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/ledger"
)

// Server implements every operation of openapi.yaml.
type Server struct {
	ledger  *ledger.Ledger
	log     *slog.Logger
	metrics *metrics
}

var _ api.StrictServerInterface = (*Server)(nil)

// Config is what the HTTP layer needs from the outside.
type Config struct {
	Ledger   *ledger.Ledger
	Verifier *auth.Verifier
	Logger   *slog.Logger
	// PoolStats reports the database pool's figures for /metrics.
	PoolStats func() PoolStats
	// Metrics says where /metrics is served: MetricsHere on the API's own
	// listener, MetricsOff nowhere, or MetricsApart (see Handler.Metrics).
	Metrics MetricsMode
}

// PoolStats are the database connection pool's figures.
type PoolStats struct {
	Acquired, Idle, Total, Max int32
	Acquires, EmptyAcquires    int64
	EmptyAcquireWait           time.Duration
}

// MetricsMode places the Prometheus endpoint.
type MetricsMode int

// Where /metrics is served.
const (
	MetricsHere  MetricsMode = iota // on the API listener
	MetricsOff                      // not at all
	MetricsApart                    // by the caller, on a listener of its own
)

// Handler is the service's whole HTTP surface: the API (Echo, behind the
// contract middleware), the published contract and docs page, and metrics.
type Handler struct {
	http.Handler
	// Metrics serves /metrics, for a separate listener (MetricsApart).
	Metrics http.Handler
}

// New builds the HTTP surface.
func New(cfg Config) (*Handler, error) {
	s := &Server{ledger: cfg.Ledger, log: cfg.Logger, metrics: newMetrics(cfg.PoolStats)}
	e, err := s.echo(cfg.Verifier)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", e)
	if err := publish(mux); err != nil {
		return nil, err
	}
	h := &Handler{Handler: mux, Metrics: s.metrics.handler()}
	if cfg.Metrics == MetricsHere {
		mux.Handle("GET /metrics", h.Metrics)
	}
	return h, nil
}

// echo builds the API proper: everything openapi.yaml declares.
func (s *Server) echo(verifier *auth.Verifier) (*echo.Echo, error) {
	k, err := newContract(verifier)
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// Order matters: the request id exists before anything logs, the access
	// log sees the final status, and recovery sits inside it so a panic is
	// logged as a 500 like any other failure.
	e.Use(withRequestID, s.accessLog, s.recoverPanic, k.middleware)
	api.RegisterHandlers(e, api.NewStrictHandler(s, nil))
	return e, nil
}

// actor returns who calls a secured operation, as the use cases take it.
// The contract middleware has put the verified principal there; its absence
// is a wiring bug, not a client error.
func actor(ctx context.Context) (ledger.Actor, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return ledger.Actor{}, errors.New("no principal on a secured request")
	}
	return ledger.Actor{Tenant: p.TenantID, Subject: p.Subject, Admin: p.Role == auth.RoleAdmin}, nil
}
