package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/jobs"
)

// DocumentToSend is what the transmitter needs of an electronic document.
type DocumentToSend struct {
	Numero string
	Key    string // its CUFE (an invoice) or CUDE (a credit note)
	Signed []byte // nil until the signer kept its signature
	Estado billing.EInvoiceState
	// InvoiceEstado is a credit note's invoice's standing with DIAN (a
	// note is sent once its invoice is accepted); empty for an invoice.
	InvoiceEstado billing.EInvoiceState
	Ambiente      billing.Ambiente
	// TestSetID is the profile's habilitación test set ("" for none);
	// ZipKey is SendTestSetAsync's answer to the last send ("" after a
	// SendBillSync or before any send).
	TestSetID, ZipKey string
	// Envio is the invoice's sending now (1, then one more per resend or
	// correction); 0 for a credit note, which is sent once.
	Envio int
}

// DocumentToSend reads an electronic document for the transmitter;
// fault.ErrInvoiceNotFound or fault.ErrCreditNoteNotFound when there is
// none.
func (s *Store) DocumentToSend(ctx context.Context, tenant uuid.UUID, doc jobs.Document, id uuid.UUID) (DocumentToSend, error) {
	switch doc {
	case jobs.Invoice:
		r, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetInvoiceToSendRow, error) {
			return q.GetInvoiceToSend(ctx, db.GetInvoiceToSendParams{TenantID: tenant, InvoiceID: id})
		})
		if NoRows(err) {
			return DocumentToSend{}, fault.ErrInvoiceNotFound
		}
		if err != nil {
			return DocumentToSend{}, fmt.Errorf("loading the invoice to send: %w", err)
		}
		return DocumentToSend{Numero: r.Numero, Key: r.Cufe, Signed: r.SignedXml, Estado: billing.EInvoiceState(r.DianEstado),
			Ambiente: billing.Ambiente(r.Ambiente), TestSetID: textOf(r.TestSetID), ZipKey: textOf(r.DianZipKey),
			Envio: int(r.DianEnvios)}, nil
	case jobs.CreditNote:
		r, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetCreditNoteToSendRow, error) {
			return q.GetCreditNoteToSend(ctx, db.GetCreditNoteToSendParams{TenantID: tenant, ID: id})
		})
		if NoRows(err) {
			return DocumentToSend{}, fault.ErrCreditNoteNotFound
		}
		if err != nil {
			return DocumentToSend{}, fmt.Errorf("loading the credit note to send: %w", err)
		}
		return DocumentToSend{Numero: r.Numero, Key: r.Cude, Signed: r.SignedXml, Estado: billing.EInvoiceState(r.DianEstado),
			InvoiceEstado: billing.EInvoiceState(r.InvoiceDianEstado), Ambiente: billing.Ambiente(r.Ambiente),
			TestSetID: textOf(r.TestSetID), ZipKey: textOf(r.DianZipKey)}, nil
	}
	return DocumentToSend{}, fmt.Errorf("sending: unknown document kind %q", doc)
}

// Transmission is one attempt's outcome.
type Transmission struct {
	Estado   billing.EInvoiceState
	Reglas   []billing.DianRule
	Attempt  bool   // a request reached DIAN or failed to (counts as an attempt)
	Response []byte // DIAN's ApplicationResponse, when it sent one
	// Sent is an answer to a send (not to a status query): ZipKey, the
	// key SendTestSetAsync answered ("" for SendBillSync), replaces the
	// document's.
	Sent   bool
	ZipKey string
	// Event is emitted with it (invoice.accepted, invoice.rejected), data
	// EventData; "" for none.
	Event     billing.WebhookEvent
	EventData any
}

// RecordTransmission records an attempt's outcome on the document, and
// its event, in one transaction. A final verdict already recorded is
// kept. An invoice's acceptance queues its mailing in that transaction
// when the tenant's profile says enviarAlAceptar, and after the commit
// wakes its tenant's credit notes that wait for an acceptance (only those:
// an invoice retrying after an error keeps its backoff); any verdict wakes
// the tenant's mailings that wait for one.
func (s *Store) RecordTransmission(ctx context.Context, tenant uuid.UUID, doc jobs.Document, id uuid.UUID, t Transmission) error {
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
	err = s.InTx(ctx, tenant, func(tx *Tx) error {
		var err error
		switch doc {
		case jobs.Invoice:
			err = tx.q.SetInvoiceTransmission(ctx, db.SetInvoiceTransmissionParams{TenantID: tenant, InvoiceID: id,
				DianEstado: string(t.Estado), DianReglas: raw, Intento: attempt, DianRespuesta: t.Response,
				SetZipKey: t.Sent, DianZipKey: nullIfEmpty(t.ZipKey)})
		case jobs.CreditNote:
			err = tx.q.SetCreditNoteTransmission(ctx, db.SetCreditNoteTransmissionParams{TenantID: tenant, ID: id,
				DianEstado: string(t.Estado), DianReglas: raw, Intento: attempt, DianRespuesta: t.Response,
				SetZipKey: t.Sent, DianZipKey: nullIfEmpty(t.ZipKey)})
		default:
			err = fmt.Errorf("unknown document kind %q", doc)
		}
		if err != nil {
			return fmt.Errorf("recording the transmission: %w", err)
		}
		if doc == jobs.Invoice && t.Estado == billing.EInvoiceAccepted {
			if err := tx.mailOnAcceptance(ctx, id); err != nil {
				return err
			}
		}
		if t.Event != "" {
			return tx.Emit(ctx, t.Event, t.EventData)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if doc == jobs.Invoice && t.Estado == billing.EInvoiceAccepted {
		if _, err := s.WakeWaiting(ctx, tenant, jobs.Transmit{}.Kind(), jobs.CreditNote); err != nil {
			return fmt.Errorf("waking the credit notes that wait: %w", err)
		}
	}
	if doc == jobs.Invoice && t.Estado.Final() {
		// Mailings wait for the verdict: sent on an acceptance, cancelled
		// on a rejection.
		if _, err := s.WakeWaiting(ctx, tenant, jobs.Mail{}.Kind(), jobs.Invoice); err != nil {
			return fmt.Errorf("waking the mailings that wait: %w", err)
		}
	}
	return nil
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
	intentos := 0
	if r.DianIntentos != nil {
		intentos = int(*r.DianIntentos)
	}
	return eInvoiceStatus(*r.DianEstado, r.DianReglas, intentos, r.DianActualizado)
}

func eInvoiceStatus(estado string, reglas []byte, intentos int, at *time.Time) (billing.EInvoiceStatus, error) {
	out := billing.EInvoiceStatus{Estado: billing.EInvoiceState(estado), Intentos: intentos, Actualizado: at}
	if err := json.Unmarshal(reglas, &out.Reglas); err != nil {
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

// mailOnAcceptance queues the mailing of an invoice DIAN accepted when the
// tenant asks for it and the customer has an email. Its id is derived from
// the invoice's, so an acceptance recorded twice queues one mailing (River
// keeps it unique while pending, the history records it sent once).
func (tx *Tx) mailOnAcceptance(ctx context.Context, invoice uuid.UUID) error {
	r, err := tx.q.GetAcceptanceMailing(ctx, db.GetAcceptanceMailingParams{TenantID: tx.tenant, InvoiceID: invoice})
	if err != nil {
		return fmt.Errorf("reading whether to mail the accepted invoice: %w", err)
	}
	if !r.EnviarAlAceptar || r.CustomerEmail == nil || strings.TrimSpace(*r.CustomerEmail) == "" {
		return nil
	}
	return tx.Enqueue(ctx, jobs.Mail{TenantID: tx.tenant, Document: jobs.Invoice, InvoiceID: invoice, MailingID: uuid.NewSHA1(invoice, []byte("aceptacion")),
		Email: strings.TrimSpace(*r.CustomerEmail), Actor: jobs.AcceptanceActor})
}
