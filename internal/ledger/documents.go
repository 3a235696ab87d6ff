package ledger

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/internal/pdf"
)

// InvoiceXML serves the UBL document stored when the invoice was issued
// under a resolution, byte for byte, in one read: an invoice of another
// tenant is not found, one never issued is fault.ErrInvoiceNotIssued, one
// issued the seed's way fault.ErrNotElectronic.
func (l *Ledger) InvoiceXML(ctx context.Context, a Actor, id uuid.UUID) ([]byte, error) {
	return l.store.InvoiceXML(ctx, a.Tenant, id)
}

// InvoicePDF renders the printed invoice of an issued invoice (see
// store.PrintableInvoice).
func (l *Ledger) InvoicePDF(ctx context.Context, a Actor, id uuid.UUID) ([]byte, error) {
	doc, err := l.store.PrintableInvoice(ctx, a.Tenant, id)
	if err != nil {
		return nil, err
	}
	out, err := pdf.Invoice(doc)
	if err != nil {
		return nil, fmt.Errorf("rendering invoice %s: %w", id, err)
	}
	return out, nil
}

// CreditNotePDF renders the printed credit note from its frozen document.
func (l *Ledger) CreditNotePDF(ctx context.Context, a Actor, id uuid.UUID) ([]byte, error) {
	doc, err := l.store.CreditNote(ctx, a.Tenant, id)
	if err != nil {
		return nil, err
	}
	out, err := pdf.CreditNote(doc)
	if err != nil {
		return nil, fmt.Errorf("rendering credit note %s: %w", id, err)
	}
	return out, nil
}
