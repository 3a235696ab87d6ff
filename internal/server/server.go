// Package server is the HTTP face of the billing service: Echo, the
// middleware that enforces the OpenAPI contract and authentication, one
// problem+json error renderer, and thin handlers (one file per resource) that
// implement the generated strict server interface over the store.
package server

import (
	"context"
	"errors"
	"log/slog"

	"github.com/labstack/echo/v4"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/store"
)

// Server implements every operation of openapi.yaml.
type Server struct {
	store *store.Store
	log   *slog.Logger
}

var _ api.StrictServerInterface = (*Server)(nil)

// Config is what the HTTP layer needs from the outside.
type Config struct {
	Store    *store.Store
	Verifier *auth.Verifier
	Logger   *slog.Logger
}

// New builds the Echo instance that serves the API.
func New(cfg Config) (*echo.Echo, error) {
	s := &Server{store: cfg.Store, log: cfg.Logger}
	k, err := newContract(cfg.Verifier, cfg.Store)
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
