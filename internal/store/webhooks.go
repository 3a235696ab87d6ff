package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/jobs"
)

func webhookSecretAD(tenant, endpoint uuid.UUID) string {
	return tenant.String() + "/webhook_endpoints/" + endpoint.String() + ".secret"
}

// CreateWebhookEndpoint keeps a new endpoint with its secret sealed
// (fault.ErrSecretKeyMissing without a key).
func (tx *Tx) CreateWebhookEndpoint(ctx context.Context, e billing.WebhookEndpoint) (billing.WebhookEndpoint, error) {
	sealed, err := seal(tx.secrets, []byte(e.Secret), webhookSecretAD(tx.tenant, e.ID))
	if err != nil {
		return billing.WebhookEndpoint{}, err
	}
	row, err := tx.q.CreateWebhookEndpoint(ctx, db.CreateWebhookEndpointParams{TenantID: tx.tenant, ID: e.ID, Url: e.URL,
		Eventos: eventNames(e.Eventos), SecretSealed: sealed})
	if err != nil {
		return billing.WebhookEndpoint{}, fmt.Errorf("creating webhook endpoint: %w", Translate(err))
	}
	out := toWebhookEndpoint(row)
	out.Secret = e.Secret
	return out, nil
}

// RotateWebhookSecret replaces an endpoint's secret; fault.ErrWebhookNotFound
// for a missing or deleted one.
func (tx *Tx) RotateWebhookSecret(ctx context.Context, id uuid.UUID, secret string) (billing.WebhookEndpoint, error) {
	sealed, err := seal(tx.secrets, []byte(secret), webhookSecretAD(tx.tenant, id))
	if err != nil {
		return billing.WebhookEndpoint{}, err
	}
	row, err := tx.q.RotateWebhookSecret(ctx, db.RotateWebhookSecretParams{TenantID: tx.tenant, ID: id, SecretSealed: sealed})
	if NoRows(err) {
		return billing.WebhookEndpoint{}, fault.ErrWebhookNotFound
	}
	if err != nil {
		return billing.WebhookEndpoint{}, fmt.Errorf("rotating webhook secret: %w", err)
	}
	out := toWebhookEndpoint(row)
	out.Secret = secret
	return out, nil
}

// DeleteWebhookEndpoint stops all deliveries to an endpoint; its log
// stays. fault.ErrWebhookNotFound for a missing or deleted one.
func (tx *Tx) DeleteWebhookEndpoint(ctx context.Context, id uuid.UUID) error {
	n, err := tx.q.DeleteWebhookEndpoint(ctx, db.DeleteWebhookEndpointParams{TenantID: tx.tenant, ID: id})
	if err != nil {
		return fmt.Errorf("deleting webhook endpoint: %w", err)
	}
	if n == 0 {
		return fault.ErrWebhookNotFound
	}
	return nil
}

// WebhookEndpoints lists the tenant's endpoints, oldest first.
func (s *Store) WebhookEndpoints(ctx context.Context, tenant uuid.UUID) ([]billing.WebhookEndpoint, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.WebhookEndpoint, error) { return q.ListWebhookEndpoints(ctx, tenant) })
	if err != nil {
		return nil, fmt.Errorf("listing webhook endpoints: %w", err)
	}
	out := make([]billing.WebhookEndpoint, len(rows))
	for i, r := range rows {
		out[i] = toWebhookEndpoint(r)
	}
	return out, nil
}

// WebhookAttempts reads an endpoint's delivery log, newest first, before
// (beforeAt, beforeID); fault.ErrWebhookNotFound for a missing endpoint.
func (s *Store) WebhookAttempts(ctx context.Context, tenant, endpoint uuid.UUID, beforeAt time.Time, beforeID uuid.UUID, limit int) ([]billing.WebhookAttempt, error) {
	var rows []db.ListWebhookAttemptsRow
	err := s.InTx(ctx, tenant, func(tx *Tx) error {
		if _, err := tx.q.GetWebhookEndpoint(ctx, db.GetWebhookEndpointParams{TenantID: tenant, ID: endpoint}); err != nil {
			if NoRows(err) {
				return fault.ErrWebhookNotFound
			}
			return err
		}
		var err error
		rows, err = tx.q.ListWebhookAttempts(ctx, db.ListWebhookAttemptsParams{TenantID: tenant, EndpointID: endpoint,
			BeforeCreatedAt: beforeAt, BeforeID: beforeID, MaxRows: int32(limit)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the webhook's deliveries: %w", err)
	}
	out := make([]billing.WebhookAttempt, len(rows))
	for i, r := range rows {
		a := billing.WebhookAttempt{ID: r.ID, EventID: r.EventID, EventType: billing.WebhookEvent(r.EventType), Attempt: int(r.Attempt),
			Error: r.Error, Duration: time.Duration(r.DurationMs) * time.Millisecond, CreatedAt: r.CreatedAt}
		if r.StatusCode != nil {
			c := int(*r.StatusCode)
			a.StatusCode = &c
		}
		out[i] = a
	}
	return out, nil
}

// Emit records an event of the transaction's write for every active
// endpoint of the tenant that subscribed to its type, and queues one
// delivery per endpoint: nothing is stored when none wants it. The event's
// id is what receivers deduplicate on.
func (tx *Tx) Emit(ctx context.Context, event billing.WebhookEvent, data any) error {
	endpoints, err := tx.q.ListSubscribedEndpoints(ctx, db.ListSubscribedEndpointsParams{TenantID: tx.tenant, Type: string(event)})
	if err != nil {
		return fmt.Errorf("finding the endpoints of %s: %w", event, err)
	}
	if len(endpoints) == 0 {
		return nil
	}
	body, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", event, err)
	}
	id := uuid.Must(uuid.NewV7())
	if err := tx.q.InsertWebhookEvent(ctx, db.InsertWebhookEventParams{TenantID: tx.tenant, ID: id, Type: string(event), Data: body}); err != nil {
		return fmt.Errorf("recording %s: %w", event, err)
	}
	for _, e := range endpoints {
		if err := tx.Enqueue(ctx, jobs.Webhook{TenantID: tx.tenant, EndpointID: e, EventID: id}); err != nil {
			return err
		}
	}
	return nil
}

// WebhookDelivery is what one delivery sends and where.
type WebhookDelivery struct {
	Type      billing.WebhookEvent
	Data      json.RawMessage
	CreatedAt time.Time
	URL       string
	Secret    string
	Active    bool // false once the endpoint was deleted or deactivated
}

// WebhookDelivery reads an event and its endpoint, the secret opened.
func (s *Store) WebhookDelivery(ctx context.Context, tenant, endpoint, event uuid.UUID) (WebhookDelivery, error) {
	r, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetWebhookDeliveryRow, error) {
		return q.GetWebhookDelivery(ctx, db.GetWebhookDeliveryParams{TenantID: tenant, EndpointID: endpoint, EventID: event})
	})
	if NoRows(err) {
		return WebhookDelivery{}, fault.ErrWebhookNotFound
	}
	if err != nil {
		return WebhookDelivery{}, fmt.Errorf("loading the webhook delivery: %w", err)
	}
	secret, err := unseal(s.secrets, r.SecretSealed, webhookSecretAD(tenant, endpoint))
	if err != nil {
		return WebhookDelivery{}, err
	}
	return WebhookDelivery{Type: billing.WebhookEvent(r.Type), Data: r.Data, CreatedAt: r.CreatedAt, URL: r.Url,
		Secret: string(secret), Active: r.Activo && !r.Deleted}, nil
}

// RecordWebhookAttempt adds an attempt to the endpoint's delivery log.
func (s *Store) RecordWebhookAttempt(ctx context.Context, tenant, endpoint uuid.UUID, a billing.WebhookAttempt) error {
	var status *int32
	if a.StatusCode != nil {
		c := int32(*a.StatusCode)
		status = &c
	}
	return s.InTx(ctx, tenant, func(tx *Tx) error {
		return tx.q.InsertWebhookAttempt(ctx, db.InsertWebhookAttemptParams{TenantID: tenant, ID: uuid.Must(uuid.NewV7()),
			EndpointID: endpoint, EventID: a.EventID, Attempt: int32(a.Attempt), StatusCode: status, Error: a.Error,
			DurationMs: int32(a.Duration.Milliseconds())})
	})
}

func eventNames(es []billing.WebhookEvent) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = string(e)
	}
	return out
}

func toWebhookEndpoint(r db.WebhookEndpoint) billing.WebhookEndpoint {
	out := billing.WebhookEndpoint{ID: r.ID, URL: r.Url, Activo: r.Activo, CreatedAt: r.CreatedAt}
	for _, e := range r.Eventos {
		out.Eventos = append(out.Eventos, billing.WebhookEvent(e))
	}
	return out
}
