package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// StampInvoice writes what an issue under a resolution froze: the stamp, the
// UBL document's bytes and the document's content (JSON) the printed invoice
// is drawn from.
func (tx *Tx) StampInvoice(ctx context.Context, invoice uuid.UUID, s billing.Stamp, xml, document []byte) error {
	err := tx.q.InsertInvoiceStamp(ctx, db.InsertInvoiceStampParams{
		TenantID: tx.tenant, InvoiceID: invoice, ResolutionID: s.ResolutionID, Consecutivo: s.Consecutivo,
		IssueDate: s.IssueDate, IssueTime: s.IssueTime, Cufe: s.CUFE, Qr: s.QR, Xml: xml, Document: document,
	})
	if err != nil {
		return fmt.Errorf("writing invoice stamp: %w", Translate(err))
	}
	return nil
}

// InvoiceXML reads the UBL document stored at issue; fault.ErrNotElectronic
// when the invoice has none (the caller has looked the invoice up first).
func (s *Store) InvoiceXML(ctx context.Context, tenant, invoice uuid.UUID) ([]byte, error) {
	xml, err := readV(ctx, s, tenant, func(q *db.Queries) ([]byte, error) {
		return q.GetInvoiceXML(ctx, db.GetInvoiceXMLParams{TenantID: tenant, InvoiceID: invoice})
	})
	if NoRows(err) {
		return nil, fault.ErrNotElectronic
	}
	if err != nil {
		return nil, fmt.Errorf("loading invoice document: %w", err)
	}
	return xml, nil
}

// InvoiceDocument reads the document content (JSON) stored at issue;
// fault.ErrNotElectronic when the invoice has none.
func (s *Store) InvoiceDocument(ctx context.Context, tenant, invoice uuid.UUID) ([]byte, error) {
	doc, err := readV(ctx, s, tenant, func(q *db.Queries) ([]byte, error) {
		return q.GetInvoiceDocument(ctx, db.GetInvoiceDocumentParams{TenantID: tenant, InvoiceID: invoice})
	})
	if NoRows(err) {
		return nil, fault.ErrNotElectronic
	}
	if err != nil {
		return nil, fmt.Errorf("loading invoice document: %w", err)
	}
	return doc, nil
}
