package cli

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/ledger"
	"billing/internal/store"
)

// devHookPath is the path of the receiver's URL. With the loopback host it
// marks the endpoints `billing dev` registered, which the next start
// deletes: their port was that run's, and their secret is gone with it.
const devHookPath = "/billing-dev/webhooks"

// devHookTolerance is how old (or how far ahead) a delivery's timestamp
// may be: an older signature is a replay.
const devHookTolerance = 5 * time.Minute

// devHookEvents are every event type: the dev receiver hears them all.
var devHookEvents = []billing.WebhookEvent{
	billing.EventInvoiceIssued, billing.EventInvoiceAccepted, billing.EventInvoiceRejected,
	billing.EventPaymentRecorded, billing.EventPaymentReversed, billing.EventCreditNoteIssued,
}

// devHook is `billing dev`'s webhook receiver on loopback: it checks each
// delivery's Billing-Signature with the endpoint's secret, kept in memory
// (it is shown only when the endpoint is made), and writes one line per
// delivery to stdout and to its log file.
type devHook struct {
	url     string
	logPath string
	out     io.Writer
	log     *slog.Logger
	now     func() time.Time

	mu     sync.Mutex // guards secret and the writes
	secret string
}

// startDevHook listens on a free loopback port and serves until ctx ends.
func startDevHook(ctx context.Context, out io.Writer, log *slog.Logger, logPath string) (*devHook, error) {
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return nil, fmt.Errorf("starting the webhook receiver: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the webhook receiver: %w", err)
	}
	h := &devHook{url: "http://" + ln.Addr().String() + devHookPath, logPath: logPath, out: out, log: log, now: time.Now}
	mux := http.NewServeMux()
	mux.Handle("POST "+devHookPath, h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout}
	go func() { <-ctx.Done(); _ = srv.Close() }()
	go func() { _ = srv.Serve(ln) }()
	return h, nil
}

func (h *devHook) setSecret(s string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.secret = s
}

// ServeHTTP answers 204 to a delivery whose signature verifies and 401 to
// any other (the outbox then retries it, and the endpoint's delivery log
// shows the 401).
func (h *devHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	// What the event says it is, for the log line; trusted only once the
	// signature verifies.
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Data struct {
			Numero string `json:"numero"`
		} `json:"data"`
	}
	_ = json.Unmarshal(body, &ev)
	if ev.ID == "" {
		ev.ID = r.Header.Get("Billing-Event-Id")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	verr := verifyWebhookSignature(h.secret, r.Header.Get("Billing-Signature"), body, h.now())
	line := fmt.Sprintf("%s %s", orDash(ev.Type), orDash(ev.ID))
	if ev.Data.Numero != "" {
		line += " (" + ev.Data.Numero + ")"
	}
	if verr == nil {
		line += " signature verified"
	} else {
		line += " signature REJECTED: " + verr.Error()
	}
	fmt.Fprintf(h.out, "webhook: %s\n", line)
	if err := appendLine(h.logPath, h.now().UTC().Format(time.RFC3339)+" "+line+"\n"); err != nil {
		h.log.Warn("writing the webhook log", "path", h.logPath, "error", err.Error())
	}
	if verr != nil {
		http.Error(w, verr.Error(), http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func appendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// verifyWebhookSignature checks a Billing-Signature header
// (t=<unix>,v1=<hex>, possibly several v1) against body, as a receiver
// must: the HMAC-SHA256 billing.WebhookSignature computes for t, compared
// in constant time, and t within devHookTolerance of now.
func verifyWebhookSignature(secret, header string, body []byte, now time.Time) error {
	if secret == "" {
		return errors.New("no secret to verify with (the endpoint is not this run's)")
	}
	if header == "" {
		return errors.New("no Billing-Signature header")
	}
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("no timestamp in Billing-Signature %q", header)
	}
	if len(sigs) == 0 {
		return fmt.Errorf("no v1 signature in Billing-Signature %q", header)
	}
	at := time.Unix(unix, 0)
	if age := now.Sub(at); age > devHookTolerance {
		return fmt.Errorf("timestamp %d is %s old (more than %s): a replay?", unix, age.Truncate(time.Second), devHookTolerance)
	} else if -age > devHookTolerance {
		return fmt.Errorf("timestamp %d is %s ahead of this clock", unix, (-age).Truncate(time.Second))
	}
	_, want, _ := strings.Cut(billing.WebhookSignature(secret, at, body), ",v1=")
	expected, err := hex.DecodeString(want)
	if err != nil {
		return fmt.Errorf("computing the signature: %w", err)
	}
	for _, s := range sigs {
		if hmac.Equal(s, expected) {
			return nil
		}
	}
	return errors.New("no v1 signature matches the body")
}

// isDevHook reports whether an endpoint is one a `billing dev` receiver
// registered.
func isDevHook(e billing.WebhookEndpoint) bool {
	u, err := url.Parse(e.URL)
	return err == nil && u.Scheme == "http" && u.Hostname() == "127.0.0.1" && u.Path == devHookPath
}

// registerDevHook deletes the demo tenant's endpoints of earlier runs'
// receivers and registers h for every event, keeping the new secret in h.
// It answers the new endpoint's id.
func registerDevHook(ctx context.Context, st *store.Store, tenant uuid.UUID, h *devHook) (uuid.UUID, error) {
	l := ledger.New(st, ledger.Options{AllowLoopbackWebhooks: true})
	a := ledger.Actor{Tenant: tenant, Subject: demoActor}
	old, err := l.Webhooks(ctx, a)
	if err != nil {
		return uuid.Nil, fmt.Errorf("listing the demo webhooks: %w", err)
	}
	for _, e := range old {
		if !isDevHook(e) {
			continue
		}
		if err := l.DeleteWebhook(ctx, a, e.ID); err != nil {
			return uuid.Nil, fmt.Errorf("deleting an earlier run's demo webhook %s: %w", e.ID, err)
		}
	}
	e, err := l.CreateWebhook(ctx, a, ledger.NewWebhook{URL: h.url, Eventos: devHookEvents})
	if err != nil {
		return uuid.Nil, fmt.Errorf("registering the demo webhook: %w", err)
	}
	h.setSecret(e.Secret)
	return e.ID, nil
}

// unregisterDevHook deletes this run's endpoint when `billing dev` stops:
// nothing listens on its port any more, and deliveries to it would only
// fail and be retried.
func unregisterDevHook(ctx context.Context, st *store.Store, tenant, id uuid.UUID) error {
	l := ledger.New(st, ledger.Options{AllowLoopbackWebhooks: true})
	return l.DeleteWebhook(ctx, ledger.Actor{Tenant: tenant, Subject: demoActor}, id)
}
