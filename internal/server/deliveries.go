package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/billing"
)

// ListDeliveries answers one page of the tenant's outbox jobs, newest first.
func (s *Server) ListDeliveries(ctx context.Context, req api.ListDeliveriesRequestObject) (api.ListDeliveriesResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	// The cursor's key is the last job id of the previous page (job ids
	// are River's integers; the cursor's uuid is unused, and set so that
	// the cursor is well-formed).
	after, err := decodeCursor("deliveries", req.Params.Cursor, cursor{Key: "0", ID: uuid.Max})
	if err != nil {
		return nil, err
	}
	before, err := strconv.ParseInt(after.Key, 10, 64)
	if err != nil || before < 0 {
		return nil, errInvalidCursor
	}
	var states []billing.DeliveryState
	estado := ""
	if req.Params.Estado != nil {
		estado = string(*req.Params.Estado)
		states = []billing.DeliveryState{billing.DeliveryState(estado)}
	}
	limit := pageLimit(req.Params.Limit)
	rows, err := s.ledger.Deliveries(ctx, a, states, before, limit+1)
	if err != nil {
		return nil, fmt.Errorf("listing deliveries: %w", err)
	}
	rows, next := page(rows, limit, func(d billing.Delivery) cursor {
		return cursor{List: "deliveries", Key: strconv.FormatInt(d.ID, 10), ID: uuid.Max}
	})
	out := api.ListDeliveries200JSONResponse{Body: make([]api.Delivery, len(rows))}
	for i, d := range rows {
		out.Body[i] = toAPIDelivery(d)
	}
	if next != nil {
		out.Headers.Link = nextLink("/billing/deliveries", queryOf("estado", estado, "limit", strconv.Itoa(limit)), *next)
	}
	return out, nil
}

// RetryDelivery runs a failed, cancelled or retrying job again now.
func (s *Server) RetryDelivery(ctx context.Context, req api.RetryDeliveryRequestObject) (api.RetryDeliveryResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.ledger.RetryDelivery(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("retrying delivery %d: %w", req.ID, err)
	}
	return api.RetryDelivery200JSONResponse(toAPIDelivery(d)), nil
}

func toAPIDelivery(d billing.Delivery) api.Delivery {
	out := api.Delivery{ID: d.ID, Tipo: d.Kind,
		Estado: api.DeliveryState(d.State), Intentos: d.Attempts, MaxIntentos: d.MaxAttempts, Errores: make([]api.DeliveryError, len(d.Errors)),
		CreadoEn: d.CreatedAt, ProgramadoPara: d.ScheduledAt, FinalizadoEn: d.FinalizedAt}
	for i, e := range d.Errors {
		out.Errores[i] = api.DeliveryError{En: e.At, Intento: e.Attempt, Mensaje: e.Message}
	}
	if d.Document != "" {
		out.Documento = &api.DeliveryDocument{Tipo: api.DeliveryDocumentTipo(d.Document), ID: d.DocumentID}
	}
	if d.EndpointID != uuid.Nil {
		out.Webhook = &api.DeliveryWebhook{EndpointID: d.EndpointID, EventID: d.EventID}
	}
	return out
}

// GetInvoiceEInvoice answers where an issued electronic invoice stands
// with DIAN.
func (s *Server) GetInvoiceEInvoice(ctx context.Context, req api.GetInvoiceEInvoiceRequestObject) (api.GetInvoiceEInvoiceResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.ledger.InvoiceEInvoice(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("reading invoice %s's e-invoice: %w", req.ID, err)
	}
	return api.GetInvoiceEInvoice200JSONResponse(toAPIEInvoice(st)), nil
}

// ResendInvoiceEInvoice sends a rejected or failed invoice to DIAN again.
func (s *Server) ResendInvoiceEInvoice(ctx context.Context, req api.ResendInvoiceEInvoiceRequestObject) (api.ResendInvoiceEInvoiceResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.ledger.ResendInvoice(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("sending invoice %s again: %w", req.ID, err)
	}
	return api.ResendInvoiceEInvoice202JSONResponse(toAPIEInvoice(st)), nil
}

func toAPIEInvoice(st billing.EInvoiceStatus) api.EInvoiceStatus {
	return api.EInvoiceStatus{Estado: api.EInvoiceState(st.Estado), Intentos: st.Intentos,
		Actualizado: st.Actualizado, Reglas: toAPIRules(st.Reglas)}
}

func toAPIRules(rules []billing.DianRule) []api.DianRule {
	out := make([]api.DianRule, len(rules))
	for i, r := range rules {
		out[i] = api.DianRule{Mensaje: r.Mensaje, Rechazo: r.Rechazo}
		if r.Regla != "" {
			out[i].Regla = &r.Regla
		}
	}
	return out
}

// SendInvoiceEmail queues a mailing of an invoice.
func (s *Server) SendInvoiceEmail(ctx context.Context, req api.SendInvoiceEmailRequestObject) (api.SendInvoiceEmailResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	email := ""
	if req.Body != nil && req.Body.Email != nil {
		email = *req.Body.Email
	}
	m, err := s.ledger.SendInvoice(ctx, a, req.ID, email, once(ctx, http.StatusAccepted, func(m billing.InvoiceMailing) any { return toAPIMailing(m) }))
	if err != nil {
		return nil, fmt.Errorf("mailing invoice: %w", inBody(err))
	}
	return api.SendInvoiceEmail202JSONResponse{Body: toAPIMailing(m)}, nil
}

func toAPIMailing(m billing.InvoiceMailing) api.InvoiceMailing {
	return api.InvoiceMailing{ID: m.ID, InvoiceID: m.InvoiceID, Email: m.Email, SolicitadoEn: m.RequestedAt}
}
