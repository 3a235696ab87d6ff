package cli

import (
	"context"
	"log/slog"
	"time"

	"billing/internal/outbox"
	"billing/internal/store"
)

// runWorker is `billing worker`: the outbox's workers without the API, for
// deployments that run them apart (serve runs them too; any number of
// either may run on one database: River hands each job to one of them).
func runWorker(ctx context.Context, a *app, args []string) error {
	fs := a.flags("worker")
	dsn := a.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	url, err := databaseURL(*dsn)
	if err != nil {
		return err
	}
	box, err := a.secretBox()
	if err != nil {
		return err
	}
	st, err := openStore(ctx, a, url, box)
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewJSONHandler(a.stderr, nil))
	if !st.KeepsSecrets() {
		log.Warn(noSecretKeyWarning)
	}
	rescue, err := a.rescueAfter()
	if err != nil {
		return err
	}
	opts, err := a.outboxOptions()
	if err != nil {
		return err
	}
	stop, err := startOutbox(ctx, st, log, opts, rescue)
	if err != nil {
		return err
	}
	defer stop()
	log.Info("working the outbox until interrupted")
	<-ctx.Done()
	log.Info("shutting down")
	return nil
}

// startOutbox starts the workers this process can run (outbox.Workers) and
// returns what stops them, letting running jobs finish within the shutdown
// grace. With none to run it starts nothing: the jobs wait.
func startOutbox(ctx context.Context, st *store.Store, log *slog.Logger, o outbox.Options, rescueAfter time.Duration) (func(), error) {
	workers, kinds := outbox.Workers(st, log, o)
	if o.Mail.Send == nil {
		log.Info("no BILLING_SMTP_URL: invoices are not mailed; their mailings wait, listed in GET /billing/deliveries")
	}
	if len(kinds) == 0 {
		log.Warn("no outbox worker can run in this process: its jobs wait, listed in GET /billing/deliveries")
		return func() {}, nil
	}
	c, err := st.StartWorkers(context.WithoutCancel(ctx), workers, store.WorkerOptions{Logger: log, RescueAfter: rescueAfter})
	if err != nil {
		return nil, err
	}
	log.Info("outbox workers started", "kinds", kinds)
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := c.Stop(sctx); err != nil {
			log.Warn("stopping the outbox workers", "error", err.Error())
		}
	}, nil
}

// outboxWorkers reads BILLING_OUTBOX_WORKERS: whether serve runs the
// outbox's workers too ("on", the default) or the API alone ("off"), for a
// deployment that runs them in billing worker processes of their own (and
// for make bench, whose figures are the requests').
func (a *app) outboxWorkers() (bool, error) {
	switch a.getenv("BILLING_OUTBOX_WORKERS") {
	case "", "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, configErrorf("BILLING_OUTBOX_WORKERS must be on or off")
}

// rescueAfter reads BILLING_OUTBOX_RESCUE_AFTER: how long a job may stay
// running before it is taken for one whose process died; 0 (unset) is the
// store's default.
func (a *app) rescueAfter() (time.Duration, error) {
	v := a.getenv("BILLING_OUTBOX_RESCUE_AFTER")
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 10*time.Second {
		return 0, configErrorf("BILLING_OUTBOX_RESCUE_AFTER must be a duration of at least 10s, such as 2m")
	}
	return d, nil
}
