// Package server is the HTTP face of the billing service: Echo, the
// middleware that enforces the OpenAPI contract and authentication, one
// problem+json error renderer, and thin handlers (one file per resource) that
// implement the generated strict server interface over the store.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/store"
)

// Server implements every operation of openapi.yaml.
type Server struct {
	store   *store.Store
	log     *slog.Logger
	metrics *metrics
}

var _ api.StrictServerInterface = (*Server)(nil)

// Config is what the HTTP layer needs from the outside.
type Config struct {
	Store    *store.Store
	Verifier *auth.Verifier
	Logger   *slog.Logger
	// Metrics says where /metrics is served: MetricsHere on the API's own
	// listener, MetricsOff nowhere, or MetricsApart (see Server.Metrics).
	Metrics MetricsMode
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
	s := &Server{store: cfg.Store, log: cfg.Logger, metrics: newMetrics(cfg.Store.PoolStat)}
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

// principal returns the caller of a secured operation. The contract
// middleware has put it there; its absence is a wiring bug, not a client
// error.
func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Principal{}, errors.New("no principal on a secured request")
	}
	return p, nil
}
