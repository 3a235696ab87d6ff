package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"billing/internal/auth"
	"billing/internal/server"
	"billing/internal/store"
)

// HTTP server limits: a slow or stalled client cannot hold a connection or a
// goroutine for long.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownGrace     = 20 * time.Second
)

func runServe(ctx context.Context, a *app, args []string) error {
	fs := a.flags("serve")
	addr := fs.String("addr", envOr(a.getenv("BILLING_ADDR"), ":8080"), "listen address (env BILLING_ADDR)")
	dsn := a.dbFlag(fs)
	af := a.authFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	url, err := databaseURL(*dsn)
	if err != nil {
		return err
	}
	v, err := af.verifier(ctx)
	if err != nil {
		return err
	}
	defer v.Close()
	st, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer st.Close()
	return serveHTTP(ctx, a, *addr, st, v, nil)
}

// serveHTTP serves the API on addr until ctx is cancelled (SIGINT/SIGTERM),
// then drains in-flight requests. ready, if not nil, runs once the listener
// is open.
func serveHTTP(ctx context.Context, a *app, addr string, st *store.Store, v *auth.Verifier, ready func(addr string)) error {
	log := slog.New(slog.NewJSONHandler(a.stderr, nil))
	e, err := server.New(server.Config{Store: st, Verifier: v, Logger: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return configErrorf("cannot listen on %s: %v", addr, err)
	}
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String())
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	return nil
}

func envOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
