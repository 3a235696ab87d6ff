package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"time"

	"billing/internal/auth"
	"billing/internal/ledger"
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

// noSecretKeyWarning is the one warning of a service without
// BILLING_SECRET_KEY.
const noSecretKeyWarning = "BILLING_SECRET_KEY is not set: no certificate, software PIN or technical key can be stored or used, " +
	"so documents are neither signed nor sent (their jobs wait); set it to 32 random bytes in base64 (openssl rand -base64 32)"

func runServe(ctx context.Context, a *app, args []string) error {
	fs := a.flags("serve")
	addr := fs.String("addr", envOr(a.getenv("BILLING_ADDR"), ":8080"), "listen address (env BILLING_ADDR)")
	dsn := a.dbFlag(fs)
	af := a.authFlags(fs)
	metricsAddr := a.metricsFlag(fs)
	profiles := fs.Bool("pprof", a.getenv("BILLING_PPROF") == "on",
		"also serve Go's profiles (/debug/pprof/) on the metrics' own address; needs --metrics-addr ADDR (env BILLING_PPROF=on)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *profiles && (*metricsAddr == "" || *metricsAddr == "off") {
		return configErrorf("--pprof needs the metrics on an address of their own (--metrics-addr 127.0.0.1:9090), never on the API's")
	}
	workers, err := a.outboxWorkers()
	if err != nil {
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
	box, err := a.secretBox()
	if err != nil {
		return err
	}
	st, err := openStore(ctx, a, url, box)
	if err != nil {
		return err
	}
	defer st.Close()
	return serveHTTP(ctx, a, listen{api: *addr, metrics: *metricsAddr, pprof: *profiles, noOutbox: !workers}, st, v, nil)
}

// logInterval is how long a log record may wait in the log's buffer.
const logInterval = 100 * time.Millisecond

// listen says where to serve: the API's address, and the metrics'
// ("" on the API's listener, "off" nowhere, else an address of their own,
// where pprof adds Go's profiles: an operator's address, not the API's).
type listen struct {
	api, metrics string
	pprof        bool
	noOutbox     bool // BILLING_OUTBOX_WORKERS=off: no outbox workers in this process
}

func (a *app) metricsFlag(fs *flag.FlagSet) *string {
	return fs.String("metrics-addr", a.getenv("BILLING_METRICS_ADDR"),
		`where /metrics is served: "" on the API's address, "off" nowhere, or its own address such as 127.0.0.1:9090 (env BILLING_METRICS_ADDR)`)
}

// serveHTTP serves the API on addr until ctx is cancelled (SIGINT/SIGTERM),
// then drains in-flight requests. ready, if not nil, runs once the listener
// is open.
func serveHTTP(ctx context.Context, a *app, at listen, st *store.Store, v *auth.Verifier, ready func(addr string)) error {
	tuneGC()
	logw := newLogBuffer(a.stderr, logInterval)
	defer logw.Close()
	log := slog.New(slog.NewJSONHandler(logw, nil))
	if !st.KeepsSecrets() {
		log.Warn(noSecretKeyWarning)
	}
	mode := server.MetricsHere
	switch at.metrics {
	case "":
	case "off":
		mode = server.MetricsOff
	default:
		mode = server.MetricsApart
	}
	h, err := server.New(server.Config{
		Ledger: ledger.New(st, ledger.Options{AllowLoopbackWebhooks: a.loopbackWebhooks()}), Verifier: v, Logger: log, Metrics: mode,
		PoolStats: func() server.PoolStats { return server.PoolStats(st.PoolStats()) },
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", at.api)
	if err != nil {
		return configErrorf("cannot listen on %s: %v", at.api, err)
	}
	rescue, err := a.rescueAfter()
	if err != nil {
		ln.Close()
		return err
	}
	opts, err := a.outboxOptions()
	if err != nil {
		ln.Close()
		return err
	}
	if !at.noOutbox {
		stopWorkers, err := startOutbox(ctx, st, log, opts, rescue)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopWorkers()
	} else {
		log.Info("BILLING_OUTBOX_WORKERS=off: this process serves the API only; the outbox's jobs wait for a billing worker or serve that runs them")
	}
	if mode == server.MetricsApart {
		mln, err := net.Listen("tcp", at.metrics)
		if err != nil {
			ln.Close()
			return configErrorf("cannot listen on %s for metrics: %v", at.metrics, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", h.Metrics)
		if at.pprof {
			mux.HandleFunc("/debug/pprof/", pprof.Index)
			mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
			mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
			mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
			mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		}
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout}
		go func() { _ = msrv.Serve(mln) }()
		defer msrv.Close()
		log.Info("serving metrics", "addr", mln.Addr().String())
	}
	srv := &http.Server{
		Handler:           h,
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

// Garbage collector settings unless GOGC / GOMEMLIMIT say otherwise. The
// service's live heap is a few MB, so Go's default (collect whenever the heap
// has doubled) runs the collector every few hundred requests: profiled under
// make bench, 10-15 % of the CPU of a read. Collecting at 5x the live heap
// spends memory to save that CPU; the soft limit makes the collector work
// harder instead of growing past it. At 256 MB the 50-row page and the
// receivables report peaked at 94 and 101 MB of RSS under make bench's 16
// clients. The budget is 100 MB, of which the binary's own pages take
// about 26 (an idle service: 50 MB resident, 26 of it file-backed), so Go's
// heap and stacks get 64.
const (
	gcPercent     = 400
	gcMemoryLimit = 64 << 20
)

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(gcMemoryLimit)
	}
}

func envOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
