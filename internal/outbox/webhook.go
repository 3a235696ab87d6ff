package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/jobs"
	"billing/internal/store"
)

// webhookTimeout bounds one delivery: a receiver that does not answer in
// time is a failed attempt, retried later.
const webhookTimeout = 10 * time.Second

// webhookSender delivers one event to one endpoint, signed with the
// endpoint's secret.
type webhookSender struct {
	river.WorkerDefaults[jobs.Webhook]
	store  *store.Store
	client *http.Client
	log    *slog.Logger
}

// newWebhookSender's client connects only to addresses a webhook may
// reach (billing.WebhookAddrAllowed), judged on the address actually
// dialled, after DNS: a name that resolved to a public address at
// registration and to a private one now (DNS rebinding) is refused. It
// follows no redirects.
func newWebhookSender(st *store.Store, log *slog.Logger, allowLoopback bool) *webhookSender {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !billing.WebhookAddrAllowed(ap.Addr(), allowLoopback) {
			return fmt.Errorf("webhook address %s is not public", address)
		}
		return nil
	}}
	transport := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second,
		MaxIdleConnsPerHost: 2, IdleConnTimeout: 30 * time.Second}
	return &webhookSender{store: st, log: log, client: &http.Client{Transport: transport, Timeout: webhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// event is a delivery's body.
type event struct {
	ID        uuid.UUID       `json:"id"`
	Type      string          `json:"type"`
	CreatedAt time.Time       `json:"createdAt"`
	Data      json.RawMessage `json:"data"`
}

// Work sends the event; any answer but 2xx, or none, is a failed attempt
// (River retries it with a backoff), and every attempt is logged on the
// endpoint. An endpoint deleted since is given up.
func (w *webhookSender) Work(ctx context.Context, job *river.Job[jobs.Webhook]) error {
	a := job.Args
	d, err := w.store.WebhookDelivery(ctx, a.TenantID, a.EndpointID, a.EventID)
	if errors.Is(err, fault.ErrWebhookNotFound) {
		return river.JobCancel(errors.New("the event or its endpoint no longer exists"))
	}
	if err != nil {
		return err
	}
	if !d.Active {
		return river.JobCancel(errors.New("the endpoint was deleted"))
	}
	body, err := json.Marshal(event{ID: a.EventID, Type: string(d.Type), CreatedAt: d.CreatedAt.UTC(), Data: d.Data})
	if err != nil {
		return fmt.Errorf("encoding the event: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return river.JobCancel(fmt.Errorf("the endpoint's URL: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "billing-webhooks/1")
	req.Header.Set("Billing-Event-Id", a.EventID.String())
	req.Header.Set("Billing-Signature", billing.WebhookSignature(d.Secret, time.Now(), body))
	start := time.Now()
	res, err := w.client.Do(req)
	attempt := billing.WebhookAttempt{EventID: a.EventID, Attempt: job.Attempt, Duration: time.Since(start)}
	var failure error
	if err != nil {
		failure = fmt.Errorf("no answer: %w", err)
	} else {
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		res.Body.Close()
		code := res.StatusCode
		attempt.StatusCode = &code
		if code < 200 || code > 299 {
			failure = fmt.Errorf("the receiver answered %d", code)
		}
	}
	if failure != nil {
		msg := failure.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		attempt.Error = &msg
	}
	if err := w.store.RecordWebhookAttempt(ctx, a.TenantID, a.EndpointID, attempt); err != nil {
		w.log.Warn("logging a webhook attempt", "tenant", a.TenantID, "endpoint", a.EndpointID, "error", err.Error())
	}
	return failure
}
