package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/jobs"
)

// InvoiceToSend is what the transmitter needs of an electronic invoice.
type InvoiceToSend struct {
	Numero, CUFE string
	Signed       []byte // nil until the signer kept its signature
	Estado       billing.EInvoiceState
	Ambiente     billing.Ambiente
}

// InvoiceToSend reads an electronic invoice for the transmitter;
// fault.ErrInvoiceNotFound when there is none (or it is not electronic).
func (s *Store) InvoiceToSend(ctx context.Context, tenant, invoice uuid.UUID) (InvoiceToSend, error) {
	r, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetInvoiceToSendRow, error) {
		return q.GetInvoiceToSend(ctx, db.GetInvoiceToSendParams{TenantID: tenant, InvoiceID: invoice})
	})
	if NoRows(err) {
		return InvoiceToSend{}, fault.ErrInvoiceNotFound
	}
	if err != nil {
		return InvoiceToSend{}, fmt.Errorf("loading the invoice to send: %w", err)
	}
	return InvoiceToSend{Numero: r.Numero, CUFE: r.Cufe, Signed: r.SignedXml, Estado: billing.EInvoiceState(r.DianEstado),
		Ambiente: billing.Ambiente(r.Ambiente)}, nil
}

// Transmission is one attempt's outcome.
type Transmission struct {
	Estado   billing.EInvoiceState
	Reglas   []billing.DianRule
	Attempt  bool   // a request reached DIAN or failed to (counts as an attempt)
	Response []byte // DIAN's ApplicationResponse, when it sent one
	// Event is emitted with it (invoice.accepted, invoice.rejected), data
	// EventData; "" for none.
	Event     billing.WebhookEvent
	EventData any
}

// RecordTransmission records an attempt's outcome on the invoice, and its
// event, in one transaction. A final verdict already recorded is kept.
func (s *Store) RecordTransmission(ctx context.Context, tenant, invoice uuid.UUID, t Transmission) error {
	rules := t.Reglas
	if rules == nil {
		rules = []billing.DianRule{}
	}
	raw, err := json.Marshal(rules)
	if err != nil {
		return fmt.Errorf("encoding DIAN's rules: %w", err)
	}
	attempt := int32(0)
	if t.Attempt {
		attempt = 1
	}
	return s.InTx(ctx, tenant, func(tx *Tx) error {
		if err := tx.q.SetInvoiceTransmission(ctx, db.SetInvoiceTransmissionParams{TenantID: tenant, InvoiceID: invoice,
			DianEstado: string(t.Estado), DianReglas: raw, Intento: attempt, DianRespuesta: t.Response}); err != nil {
			return fmt.Errorf("recording the transmission: %w", err)
		}
		if t.Event != "" {
			return tx.Emit(ctx, t.Event, t.EventData)
		}
		return nil
	})
}

// InvoiceTransmission reads where an invoice stands with DIAN:
// fault.ErrInvoiceNotFound for none, fault.ErrInvoiceNotIssued for a draft,
// fault.ErrNotElectronic for one issued the seed's way.
func (s *Store) InvoiceTransmission(ctx context.Context, tenant, invoice uuid.UUID) (billing.EInvoiceStatus, error) {
	r, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetInvoiceTransmissionRow, error) {
		return q.GetInvoiceTransmission(ctx, db.GetInvoiceTransmissionParams{TenantID: tenant, InvoiceID: invoice})
	})
	switch {
	case NoRows(err):
		return billing.EInvoiceStatus{}, fault.ErrInvoiceNotFound
	case err != nil:
		return billing.EInvoiceStatus{}, fmt.Errorf("loading the invoice's transmission: %w", err)
	case r.IssuedAt == nil:
		return billing.EInvoiceStatus{}, fault.ErrInvoiceNotIssued
	case r.DianEstado == nil:
		return billing.EInvoiceStatus{}, fault.ErrNotElectronic
	}
	out := billing.EInvoiceStatus{Estado: billing.EInvoiceState(*r.DianEstado), Actualizado: r.DianActualizado}
	if r.DianIntentos != nil {
		out.Intentos = int(*r.DianIntentos)
	}
	if err := json.Unmarshal(r.DianReglas, &out.Reglas); err != nil {
		return billing.EInvoiceStatus{}, fmt.Errorf("reading DIAN's rules: %w", err)
	}
	return out, nil
}

// ResendInvoice puts a RECHAZADA or ERROR invoice back to be sent as it
// is, and queues its transmission, in one transaction; any other standing
// is fault.ErrEInvoiceNotResendable.
func (tx *Tx) ResendInvoice(ctx context.Context, invoice uuid.UUID) error {
	envio, err := tx.q.ResendInvoice(ctx, db.ResendInvoiceParams{TenantID: tx.tenant, InvoiceID: invoice})
	if NoRows(err) {
		return fault.ErrEInvoiceNotResendable
	}
	if err != nil {
		return fmt.Errorf("putting the invoice back to be sent: %w", err)
	}
	// A sending of its own: the previous one's job may still be finishing.
	return tx.Enqueue(ctx, jobs.Transmit{TenantID: tx.tenant, Document: jobs.Invoice, ID: invoice, Envio: int(envio)})
}
