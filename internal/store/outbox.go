package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/jobs"
)

// The outbox is River's job tables (internal/schema's River migration): a
// write queues its jobs in its own transaction (Tx.Enqueue), so a job
// exists exactly when the write committed, and workers run them after
// commit, at least once, with retries. River's tables hold every tenant's
// jobs and have no row-level security (the one named exception); the
// functions here fence them by the tenant each job carries.

// insertOnlyClient is the River client the writes insert with: no queues,
// no workers, never started.
func insertOnlyClient(pool *pgxpool.Pool) (*river.Client[pgx.Tx], error) {
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, fmt.Errorf("creating the outbox client: %w", err)
	}
	return c, nil
}

// uniqueWhilePending makes a job unique by its arguments while one is still
// to run (River's default would also count finished ones: a rejected
// invoice sent again after its correction queues the same arguments).
var uniqueWhilePending = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{rivertype.JobStateAvailable,
	rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}

// Enqueue queues job in the transaction: it runs once the transaction
// commits, and never if it rolls back. A job equal to one still to run
// (the same arguments) is queued once.
func (tx *Tx) Enqueue(ctx context.Context, job jobs.Job) error {
	if job.Tenant() != tx.tenant {
		return fmt.Errorf("queueing %s: the job is for tenant %s, the transaction for %s", job.Kind(), job.Tenant(), tx.tenant)
	}
	_, err := tx.jobs.InsertTx(ctx, connTx{tx.conn}, job, &river.InsertOpts{UniqueOpts: uniqueWhilePending})
	if err != nil {
		return fmt.Errorf("queueing %s: %w", job.Kind(), err)
	}
	return nil
}

// Tenant is the tenant the transaction is scoped to.
func (tx *Tx) Tenant() uuid.UUID { return tx.tenant }

// connTx lends River the store's transaction. River's insert takes a pgx.Tx;
// the store's transactions are a connection on which it sent BEGIN itself
// (pipelined with the tenant scope, see rawTx), so this presents that
// connection as the transaction, whose end stays the store's.
type connTx struct{ c *pgx.Conn }

var errTxOwned = errors.New("store: the transaction belongs to the store")

func (t connTx) Begin(context.Context) (pgx.Tx, error) { return nil, errTxOwned }
func (t connTx) Commit(context.Context) error          { return errTxOwned }
func (t connTx) Rollback(context.Context) error        { return errTxOwned }
func (t connTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	return t.c.CopyFrom(ctx, table, cols, src)
}
func (t connTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return t.c.SendBatch(ctx, b)
}
func (t connTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }
func (t connTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.c.Prepare(ctx, name, sql)
}
func (t connTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return t.c.Exec(ctx, sql, args...)
}
func (t connTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.c.Query(ctx, sql, args...)
}
func (t connTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return t.c.QueryRow(ctx, sql, args...)
}
func (t connTx) Conn() *pgx.Conn { return t.c }

// WorkerOptions configure the workers' River client.
type WorkerOptions struct {
	MaxWorkers int           // concurrent jobs; default 4
	PollOnly   bool          // no LISTEN/NOTIFY (behind a transaction pooler)
	Poll       time.Duration // how often to look for jobs without a notification; default 1 s
	// RescueAfter is how long a job may stay running before it is taken
	// for one whose process died (a crash, a SIGKILL) and run again;
	// default 2 minutes. Jobs time out well before it.
	RescueAfter time.Duration
	Logger      *slog.Logger
}

// StartWorkers starts a River client that works the outbox's jobs with
// workers, only the kinds registered there (a job of another kind waits,
// visible in Deliveries, for a process that can work it). Stop it with
// its Stop.
func (s *Store) StartWorkers(ctx context.Context, workers *river.Workers, o WorkerOptions) (*river.Client[pgx.Tx], error) {
	if o.MaxWorkers == 0 {
		o.MaxWorkers = 4
	}
	if o.Poll == 0 {
		o.Poll = time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.RescueAfter == 0 {
		o.RescueAfter = 2 * time.Minute
	}
	// River's default leaves a job that was running when its process died
	// for an hour; here it runs again after RescueAfter (River's rescuer
	// looks every 30 s), and no job may run longer than half of that.
	timeout := min(55*time.Second, o.RescueAfter/2)
	pool, err := s.workersPool(ctx)
	if err != nil {
		return nil, err
	}
	// Behind a transaction pooler, LISTEN would hold on to one server
	// connection that later transactions of other clients share, and
	// NOTIFY reaches whoever holds it: the workers poll instead.
	o.PollOnly = o.PollOnly || pool == s.pool && s.pooled
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.MaxWorkers}},
		Workers:              workers,
		FetchOnlyKnownKinds:  true,
		FetchPollInterval:    o.Poll,
		FetchCooldown:        min(100*time.Millisecond, o.Poll),
		PollOnly:             o.PollOnly,
		JobTimeout:           timeout,
		RescueStuckJobsAfter: o.RescueAfter,
		Logger:               o.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("creating the outbox workers: %w", err)
	}
	if err := c.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the outbox workers: %w", err)
	}
	return c, nil
}

// workersPool is the pool the workers' River client runs on: the store's,
// or one of its own on the URL WithJobsURL gave (closed with the store).
func (s *Store) workersPool(ctx context.Context) (*pgxpool.Pool, error) {
	if s.jobsURL == "" {
		return s.pool, nil
	}
	cfg, err := poolConfig(s.jobsURL, false)
	if err != nil {
		return nil, fmt.Errorf("the outbox workers' database URL: %w", err)
	}
	if !strings.Contains(s.jobsURL, "pool_max_conns") {
		cfg.MaxConns = 4
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("creating the outbox workers' pool: %w", err)
	}
	s.extraPools = append(s.extraPools, pool)
	return pool, nil
}

// deliveryStates maps the API's delivery states to River's job states.
var deliveryStates = map[billing.DeliveryState][]rivertype.JobState{
	billing.DeliveryPending:   {rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStatePending},
	billing.DeliveryRunning:   {rivertype.JobStateRunning},
	billing.DeliveryRetrying:  {rivertype.JobStateRetryable},
	billing.DeliveryFailed:    {rivertype.JobStateDiscarded},
	billing.DeliveryDone:      {rivertype.JobStateCompleted},
	billing.DeliveryCancelled: {rivertype.JobStateCancelled},
}

func deliveryStateOf(s rivertype.JobState) billing.DeliveryState {
	for d, states := range deliveryStates {
		for _, js := range states {
			if js == s {
				return d
			}
		}
	}
	return billing.DeliveryPending
}

// byTenant selects a tenant's jobs by containment, which River's GIN index
// on the arguments serves (an equality on args->>'tenant_id' would scan
// every job the table keeps).
const byTenant = "args @> jsonb_build_object('tenant_id', @tenant::text)"

// tenantArgs is what every job's arguments share (jobs.Job).
type tenantArgs struct {
	TenantID   uuid.UUID     `json:"tenant_id"`
	Document   jobs.Document `json:"document"`
	DocumentID uuid.UUID     `json:"id"`
	EndpointID uuid.UUID     `json:"endpoint_id"`
	EventID    uuid.UUID     `json:"event_id"`
}

// Deliveries lists the tenant's outbox jobs, newest first, in the given
// states (every state when none), beforeID excluded (0: from the newest),
// at most limit.
func (s *Store) Deliveries(ctx context.Context, tenant uuid.UUID, states []billing.DeliveryState, beforeID int64, limit int) ([]billing.Delivery, error) {
	if beforeID <= 0 {
		beforeID = 1<<63 - 1
	}
	p := river.NewJobListParams().
		Where(byTenant+" AND id < @before", river.NamedArgs{"tenant": tenant.String(), "before": beforeID}).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).
		First(limit)
	var js []rivertype.JobState
	for _, st := range states {
		js = append(js, deliveryStates[st]...)
	}
	if len(js) > 0 {
		p = p.States(js...)
	}
	res, err := s.jobs.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("listing deliveries: %w", err)
	}
	out := make([]billing.Delivery, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		d, a := toDelivery(j)
		if a.TenantID == tenant { // the filter's second wall
			out = append(out, d)
		}
	}
	return out, nil
}

// RetryDelivery makes a failed, cancelled or waiting-to-retry job of the
// tenant run again now. Another tenant's job is fault.ErrDeliveryNotFound,
// like a missing one; a job pending, running or done is
// fault.ErrDeliveryNotRetryable.
func (s *Store) RetryDelivery(ctx context.Context, tenant uuid.UUID, id int64) (billing.Delivery, error) {
	j, err := s.jobs.JobGet(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return billing.Delivery{}, fault.ErrDeliveryNotFound
	}
	if err != nil {
		return billing.Delivery{}, fmt.Errorf("reading delivery: %w", err)
	}
	if _, a := toDelivery(j); a.TenantID != tenant {
		return billing.Delivery{}, fault.ErrDeliveryNotFound
	}
	switch j.State {
	case rivertype.JobStateDiscarded, rivertype.JobStateCancelled, rivertype.JobStateRetryable:
	default:
		return billing.Delivery{}, fault.ErrDeliveryNotRetryable
	}
	j, err = s.jobs.JobRetry(ctx, id)
	if err != nil {
		return billing.Delivery{}, fmt.Errorf("retrying delivery: %w", err)
	}
	d, _ := toDelivery(j)
	return d, nil
}

func toDelivery(j *rivertype.JobRow) (billing.Delivery, tenantArgs) {
	var a tenantArgs
	_ = json.Unmarshal(j.EncodedArgs, &a) // our own jobs' JSON; a foreign row has no tenant and matches none
	d := billing.Delivery{ID: j.ID, Kind: j.Kind, Document: string(a.Document), DocumentID: a.DocumentID,
		EndpointID: a.EndpointID, EventID: a.EventID,
		State: deliveryStateOf(j.State), Attempts: j.Attempt, MaxAttempts: j.MaxAttempts,
		CreatedAt: j.CreatedAt, ScheduledAt: j.ScheduledAt, FinalizedAt: j.FinalizedAt}
	for _, e := range j.Errors {
		d.Errors = append(d.Errors, billing.DeliveryError{At: e.At, Attempt: e.Attempt, Message: e.Error})
	}
	return d, a
}

// WakeWaiting makes the tenant's jobs of kind (on documents of kind doc,
// when not "") that wait for a later run (snoozed, or retrying after a
// failure) run now: after what they waited for happened, such as the
// tenant's certificate uploaded or a note's invoice accepted.
func (s *Store) WakeWaiting(ctx context.Context, tenant uuid.UUID, kind string, doc jobs.Document) (int, error) {
	filter := map[string]string{"tenant_id": tenant.String()}
	if doc != "" {
		filter["document"] = string(doc)
	}
	want, err := json.Marshal(filter)
	if err != nil {
		return 0, err
	}
	res, err := s.jobs.JobList(ctx, river.NewJobListParams().
		Where("args @> @filter::jsonb", river.NamedArgs{"filter": string(want)}).
		Kinds(kind).States(rivertype.JobStateScheduled, rivertype.JobStateRetryable).First(1000))
	if err != nil {
		return 0, fmt.Errorf("listing waiting jobs: %w", err)
	}
	n := 0
	for _, j := range res.Jobs {
		if _, a := toDelivery(j); a.TenantID != tenant {
			continue
		}
		if _, err := s.jobs.JobRetry(ctx, j.ID); err != nil {
			return n, fmt.Errorf("waking job %d: %w", j.ID, err)
		}
		n++
	}
	return n, nil
}
