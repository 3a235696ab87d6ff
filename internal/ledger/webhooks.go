package ledger

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
	"billing/internal/store"
)

// newWebhookSecret makes an endpoint's signing secret: 32 random bytes,
// written as the receiver keys its HMAC with them (their UTF-8 text).
func newWebhookSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("ledger: the system's random source failed: " + err.Error())
	}
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b)
}

// NewWebhook is a webhook endpoint to register.
type NewWebhook struct {
	URL     string
	Eventos []billing.WebhookEvent
}

// CreateWebhook registers an endpoint for the tenant's events and answers
// it with its secret, shown this once. The URL must be https:// to a
// public host (billing.CheckWebhookURL), and a host name must resolve only
// to public addresses now (and at every delivery).
// It takes no Idempotency-Key: a kept answer would keep the secret.
func (l *Ledger) CreateWebhook(ctx context.Context, a Actor, w NewWebhook) (billing.WebhookEndpoint, error) {
	if err := l.checkWebhookURL(ctx, w.URL); err != nil {
		return billing.WebhookEndpoint{}, err
	}
	eventos := slices.Clone(w.Eventos)
	slices.Sort(eventos)
	eventos = slices.Compact(eventos)
	e := billing.WebhookEndpoint{ID: uuid.Must(uuid.NewV7()), URL: w.URL, Eventos: eventos, Secret: newWebhookSecret()}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.WebhookEndpoint, error) { return tx.CreateWebhookEndpoint(ctx, e) })
}

// checkWebhookURL applies CheckWebhookURL and, for a host name, checks
// every address it resolves to.
func (l *Ledger) checkWebhookURL(ctx context.Context, raw string) error {
	u, err := billing.CheckWebhookURL(raw, l.opts.AllowLoopbackWebhooks)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if _, err := netip.ParseAddr(host); err == nil || host == "localhost" {
		return nil
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(rctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return fault.Invalid("webhook_url_not_allowed", "Webhooks are sent only to https:// URLs of public hosts.",
			fault.FieldError{Field: "url", Message: "its host does not resolve"})
	}
	for _, ad := range addrs {
		if !billing.WebhookAddrAllowed(ad, l.opts.AllowLoopbackWebhooks) {
			return fault.Invalid("webhook_url_not_allowed", "Webhooks are sent only to https:// URLs of public hosts.",
				fault.FieldError{Field: "url", Message: "its host resolves to an address that is not public (" + ad.String() + ")"})
		}
	}
	return nil
}

// Webhooks lists the tenant's endpoints, without their secrets.
func (l *Ledger) Webhooks(ctx context.Context, a Actor) ([]billing.WebhookEndpoint, error) {
	return l.store.WebhookEndpoints(ctx, a.Tenant)
}

// DeleteWebhook stops every delivery to an endpoint; its log stays.
func (l *Ledger) DeleteWebhook(ctx context.Context, a Actor, id uuid.UUID) error {
	return l.store.InTx(ctx, a.Tenant, func(tx *store.Tx) error { return tx.DeleteWebhookEndpoint(ctx, id) })
}

// RotateWebhookSecret gives an endpoint a new secret, shown this once;
// deliveries from then on are signed with it.
func (l *Ledger) RotateWebhookSecret(ctx context.Context, a Actor, id uuid.UUID) (billing.WebhookEndpoint, error) {
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.WebhookEndpoint, error) {
		return tx.RotateWebhookSecret(ctx, id, newWebhookSecret())
	})
}

// WebhookAttempts reads an endpoint's delivery log, newest first.
func (l *Ledger) WebhookAttempts(ctx context.Context, a Actor, id uuid.UUID, beforeAt time.Time, beforeID uuid.UUID, limit int) ([]billing.WebhookAttempt, error) {
	return l.store.WebhookAttempts(ctx, a.Tenant, id, beforeAt, beforeID, limit)
}

// The events' data: what a receiver needs to act without calling back,
// amounts exact as everywhere.

type invoiceIssuedData struct {
	InvoiceID        uuid.UUID     `json:"invoiceId"`
	Numero           string        `json:"numero"`
	CustomerID       uuid.UUID     `json:"customerId"`
	Total            money.Decimal `json:"total"`
	FechaVencimiento *billing.Date `json:"fechaVencimiento"`
	Cufe             *string       `json:"cufe"`
	IssuedAt         *time.Time    `json:"issuedAt"`
}

func invoiceIssued(inv billing.Invoice) invoiceIssuedData {
	d := invoiceIssuedData{InvoiceID: inv.ID, Numero: inv.Numero, CustomerID: inv.Customer.ID, Total: inv.Total.Rescale(2),
		FechaVencimiento: inv.FechaVencimiento, IssuedAt: inv.IssuedAt}
	if inv.Stamp != nil {
		d.Cufe = &inv.Stamp.CUFE
	}
	return d
}

type paymentData struct {
	PaymentID uuid.UUID     `json:"paymentId"`
	InvoiceID uuid.UUID     `json:"invoiceId"`
	Valor     money.Decimal `json:"valor"`
	Fecha     billing.Date  `json:"fecha"`
	MedioPago string        `json:"medioPago"`
	Motivo    *string       `json:"motivo,omitempty"`
}

func paymentEvent(p billing.Payment) paymentData {
	d := paymentData{PaymentID: p.ID, InvoiceID: p.InvoiceID, Valor: p.Valor.Rescale(2), Fecha: p.Fecha, MedioPago: p.MedioPago}
	if p.Reversal != nil {
		d.Motivo = &p.Reversal.Motivo
	}
	return d
}

type creditNoteData struct {
	CreditNoteID uuid.UUID     `json:"creditNoteId"`
	InvoiceID    uuid.UUID     `json:"invoiceId"`
	Numero       string        `json:"numero"`
	Concepto     int           `json:"concepto"`
	Total        money.Decimal `json:"total"`
	Cude         string        `json:"cude"`
}

func creditNoteIssued(n billing.CreditNote) creditNoteData {
	return creditNoteData{CreditNoteID: n.ID, InvoiceID: n.InvoiceID, Numero: n.Numero, Concepto: int(n.Concepto),
		Total: n.Total.Rescale(2), Cude: n.CUDE}
}

// emit is tx.Emit with the event's context in its error.
func emit(ctx context.Context, tx *store.Tx, event billing.WebhookEvent, data any) error {
	if err := tx.Emit(ctx, event, data); err != nil {
		return fmt.Errorf("emitting %s: %w", event, err)
	}
	return nil
}
