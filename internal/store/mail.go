package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/jobs"
)

// QueueMailing queues one mailing of an ISSUED invoice to email, or to its
// customer's email when email is "": fault.ErrMailNotIssued for a draft
// or a cancelled one, fault.ErrEInvoiceRejected for one DIAN rejected,
// fault.ErrCustomerEmailMissing when there is no address. An electronic
// invoice not accepted yet is queued all the same: the mailer waits for
// the acceptance.
func (tx *Tx) QueueMailing(ctx context.Context, m billing.InvoiceMailing, actor string) (billing.InvoiceMailing, error) {
	r, err := tx.q.GetInvoiceToMail(ctx, db.GetInvoiceToMailParams{TenantID: tx.tenant, InvoiceID: m.InvoiceID})
	if NoRows(err) {
		return billing.InvoiceMailing{}, fault.ErrInvoiceNotFound
	}
	if err != nil {
		return billing.InvoiceMailing{}, fmt.Errorf("loading the invoice to mail: %w", err)
	}
	if billing.InvoiceStatus(r.Status) != billing.InvoiceIssued {
		return billing.InvoiceMailing{}, fault.ErrMailNotIssued
	}
	if r.DianEstado != nil && billing.EInvoiceState(*r.DianEstado) == billing.EInvoiceRejected {
		return billing.InvoiceMailing{}, fault.ErrEInvoiceRejected
	}
	m.Email = strings.TrimSpace(m.Email)
	if m.Email == "" && r.CustomerEmail != nil {
		m.Email = strings.TrimSpace(*r.CustomerEmail)
	}
	if m.Email == "" {
		return billing.InvoiceMailing{}, fault.ErrCustomerEmailMissing
	}
	if err := tx.Enqueue(ctx, jobs.Mail{TenantID: tx.tenant, Document: jobs.Invoice, InvoiceID: m.InvoiceID, MailingID: m.ID, Email: m.Email, Actor: actor}); err != nil {
		return billing.InvoiceMailing{}, err
	}
	return m, nil
}

// Mailing is what the mailer reads of an invoice to mail.
type Mailing struct {
	Sent   bool // this mailing is recorded as sent already
	Status billing.InvoiceStatus
	Numero string
	// Electronic invoices only: the signed document (nil until signed),
	// where it stands with DIAN and DIAN's ApplicationResponse.
	Electronic bool
	Signed     []byte
	Estado     billing.EInvoiceState
	Response   []byte
	// Document is the invoice as printed: its frozen document when
	// electronic, else the invoice as stored with the tenant as seller.
	Document billing.Document
}

// Mailing reads an invoice for one mailing: fault.ErrInvoiceNotFound when
// there is none.
func (s *Store) Mailing(ctx context.Context, tenant, invoice, mailing uuid.UUID) (Mailing, error) {
	r, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetMailingRow, error) {
		return q.GetMailing(ctx, db.GetMailingParams{TenantID: tenant, InvoiceID: invoice, CorreoID: &mailing})
	})
	if NoRows(err) {
		return Mailing{}, fault.ErrInvoiceNotFound
	}
	if err != nil {
		return Mailing{}, fmt.Errorf("loading the invoice to mail: %w", err)
	}
	m := Mailing{Sent: r.Sent, Status: billing.InvoiceStatus(r.Status), Numero: r.Numero,
		Electronic: r.DianEstado != nil, Signed: r.SignedXml, Response: r.DianRespuesta}
	if r.DianEstado != nil {
		m.Estado = billing.EInvoiceState(*r.DianEstado)
	}
	if m.Sent {
		return m, nil
	}
	if m.Document, err = s.PrintableInvoice(ctx, tenant, invoice); err != nil {
		return Mailing{}, err
	}
	return m, nil
}

// RecordMailing records a mailing sent as an event of the invoice's
// history, once (a mailing the outbox ran twice is one event).
func (s *Store) RecordMailing(ctx context.Context, tenant uuid.UUID, m jobs.Mail) error {
	return s.InTx(ctx, tenant, func(tx *Tx) error {
		lock, err := tx.LockInvoiceForStatus(ctx, m.InvoiceID) // the history's next seq
		if err != nil {
			return err
		}
		status := string(lock.Invoice.Status)
		_, err = tx.q.InsertMailEvent(ctx, db.InsertMailEventParams{TenantID: tenant, InvoiceID: m.InvoiceID,
			Status: &status, Actor: m.Actor, CorreoID: &m.MailingID, CorreoDestinatario: &m.Email})
		if err != nil {
			return fmt.Errorf("recording the mailing: %w", err)
		}
		return nil
	})
}

// PrintableInvoice is an issued invoice as printed: an electronic one from
// the document content frozen at issue (with its status now), a plain one
// from the invoice as stored, with the tenant's name as the seller.
// fault.ErrInvoiceNotFound and fault.ErrInvoiceNotIssued as InvoiceXML.
func (s *Store) PrintableInvoice(ctx context.Context, tenant, id uuid.UUID) (billing.Document, error) {
	issued, err := s.InvoiceDocument(ctx, tenant, id)
	if err != nil {
		return billing.Document{}, err
	}
	if issued.Content != nil {
		var doc billing.Document
		if err := json.Unmarshal(issued.Content, &doc); err != nil {
			return billing.Document{}, fmt.Errorf("decoding invoice %s's document: %w", id, err)
		}
		// The status may have moved on since the issue.
		doc.Invoice.Status, doc.Invoice.CancelledAt = issued.Status, issued.CancelledAt
		return doc, nil
	}
	inv, err := s.Invoice(ctx, tenant, id)
	if err != nil {
		return billing.Document{}, err
	}
	t, err := s.Tenant(ctx, tenant)
	if err != nil {
		return billing.Document{}, err
	}
	return billing.Document{Seller: billing.FiscalProfile{RazonSocial: t.Name}, Invoice: inv}, nil
}
