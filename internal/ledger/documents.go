package ledger

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/pdf"
)

// InvoiceXML serves the UBL document stored when the invoice was issued
// under a resolution, byte for byte, in one read: an invoice of another
// tenant is not found, one never issued is fault.ErrInvoiceNotIssued, one
// issued the seed's way fault.ErrNotElectronic.
func (l *Ledger) InvoiceXML(ctx context.Context, a Actor, id uuid.UUID) ([]byte, error) {
	return l.store.InvoiceXML(ctx, a.Tenant, id)
}

// InvoicePDF renders the printed invoice of an issued invoice: an electronic
// one from the document content frozen at issue, a plain one from the
// invoice as stored, with the tenant's name as the seller.
func (l *Ledger) InvoicePDF(ctx context.Context, a Actor, id uuid.UUID) ([]byte, error) {
	issued, err := l.store.InvoiceDocument(ctx, a.Tenant, id)
	if err != nil {
		return nil, err
	}
	var doc billing.Document
	if issued.Content != nil {
		if err := json.Unmarshal(issued.Content, &doc); err != nil {
			return nil, fmt.Errorf("decoding invoice %s's document: %w", id, err)
		}
		// The status may have moved on since the issue.
		doc.Invoice.Status, doc.Invoice.CancelledAt = issued.Status, issued.CancelledAt
	} else {
		inv, err := l.store.Invoice(ctx, a.Tenant, id)
		if err != nil {
			return nil, err
		}
		tenant, err := l.store.Tenant(ctx, a.Tenant)
		if err != nil {
			return nil, err
		}
		doc = billing.Document{Seller: billing.FiscalProfile{RazonSocial: tenant.Name}, Invoice: inv}
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
