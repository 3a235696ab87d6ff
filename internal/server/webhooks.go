package server

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"billing/gen/api"
	"billing/internal/billing"
	"billing/internal/ledger"
)

// ListWebhooks answers the tenant's endpoints, without their secrets.
func (s *Server) ListWebhooks(ctx context.Context, _ api.ListWebhooksRequestObject) (api.ListWebhooksResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ws, err := s.ledger.Webhooks(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("listing webhooks: %w", err)
	}
	out := make(api.ListWebhooks200JSONResponse, len(ws))
	for i, w := range ws {
		out[i] = api.Webhook{ID: w.ID, URL: w.URL, Eventos: apiEvents(w.Eventos), Activo: w.Activo, CreatedAt: w.CreatedAt}
	}
	return out, nil
}

// CreateWebhook registers an endpoint and answers it with its secret.
func (s *Server) CreateWebhook(ctx context.Context, req api.CreateWebhookRequestObject) (api.CreateWebhookResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	in := ledger.NewWebhook{URL: req.Body.URL}
	for _, e := range req.Body.Eventos {
		in.Eventos = append(in.Eventos, billing.WebhookEvent(e))
	}
	w, err := s.ledger.CreateWebhook(ctx, a, in)
	if err != nil {
		return nil, fmt.Errorf("creating webhook: %w", inBody(err))
	}
	return api.CreateWebhook201JSONResponse(withSecret(w)), nil
}

// DeleteWebhook stops every delivery to an endpoint.
func (s *Server) DeleteWebhook(ctx context.Context, req api.DeleteWebhookRequestObject) (api.DeleteWebhookResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.ledger.DeleteWebhook(ctx, a, req.ID); err != nil {
		return nil, fmt.Errorf("deleting webhook %s: %w", req.ID, err)
	}
	return api.DeleteWebhook204Response{}, nil
}

// RotateWebhookSecret gives an endpoint a new secret.
func (s *Server) RotateWebhookSecret(ctx context.Context, req api.RotateWebhookSecretRequestObject) (api.RotateWebhookSecretResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.ledger.RotateWebhookSecret(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("rotating webhook %s's secret: %w", req.ID, err)
	}
	return api.RotateWebhookSecret200JSONResponse(withSecret(w)), nil
}

// ListWebhookDeliveries answers one page of an endpoint's delivery log.
func (s *Server) ListWebhookDeliveries(ctx context.Context, req api.ListWebhookDeliveriesRequestObject) (api.ListWebhookDeliveriesResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	after, err := decodeCursor("webhook-deliveries", req.Params.Cursor, firstByNewest)
	if err != nil {
		return nil, err
	}
	at, err := time.Parse(time.RFC3339Nano, after.Key)
	if err != nil {
		return nil, errInvalidCursor
	}
	limit := pageLimit(req.Params.Limit)
	rows, err := s.ledger.WebhookAttempts(ctx, a, req.ID, at, after.ID, limit+1)
	if err != nil {
		return nil, fmt.Errorf("listing webhook %s's deliveries: %w", req.ID, err)
	}
	rows, next := page(rows, limit, func(w billing.WebhookAttempt) cursor {
		return cursor{List: "webhook-deliveries", Key: w.CreatedAt.UTC().Format(time.RFC3339Nano), ID: w.ID}
	})
	out := api.ListWebhookDeliveries200JSONResponse{Body: make([]api.WebhookAttempt, len(rows))}
	for i, r := range rows {
		out.Body[i] = api.WebhookAttempt{ID: r.ID, EventID: r.EventID, Tipo: api.WebhookEvent(r.EventType), Intento: r.Attempt,
			EstadoHTTP: r.StatusCode, Error: r.Error, DuracionMs: int(r.Duration.Milliseconds()), CreadoEn: r.CreatedAt}
	}
	if next != nil {
		out.Headers.Link = nextLink("/billing/webhooks/"+req.ID.String()+"/deliveries", queryOf("limit", strconv.Itoa(limit)), *next)
	}
	return out, nil
}

func withSecret(w billing.WebhookEndpoint) api.WebhookWithSecret {
	return api.WebhookWithSecret{ID: w.ID, URL: w.URL, Eventos: apiEvents(w.Eventos), Activo: w.Activo, CreatedAt: w.CreatedAt, Secreto: w.Secret}
}

func apiEvents(es []billing.WebhookEvent) []api.WebhookEvent {
	out := make([]api.WebhookEvent, len(es))
	for i, e := range es {
		out[i] = api.WebhookEvent(e)
	}
	return out
}
