package ledger

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/pdf"
)

// InvoiceXML serves the UBL document stored when the invoice was issued
// under a resolution, byte for byte. The invoice is looked up first (another
// tenant's is not found); one never issued is fault.ErrInvoiceNotIssued, one
// issued the seed's way fault.ErrNotElectronic.
func (l *Ledger) InvoiceXML(ctx context.Context, a Actor, id uuid.UUID) ([]byte, error) {
	inv, err := l.issuedInvoice(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if inv.Stamp == nil {
		return nil, fault.ErrNotElectronic
	}
	return l.store.InvoiceXML(ctx, a.Tenant, id)
}

// InvoicePDF renders the printed invoice of an issued invoice: an electronic
// one from the document content frozen at issue, a plain one from the
// invoice as stored, with the tenant's name as the seller.
func (l *Ledger) InvoicePDF(ctx context.Context, a Actor, id uuid.UUID) ([]byte, error) {
	inv, err := l.issuedInvoice(ctx, a, id)
	if err != nil {
		return nil, err
	}
	var doc billing.Document
	if inv.Stamp != nil {
		content, err := l.store.InvoiceDocument(ctx, a.Tenant, id)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(content, &doc); err != nil {
			return nil, fmt.Errorf("decoding invoice %s's document: %w", id, err)
		}
		// The status may have moved on (cancelled) since the issue.
		doc.Invoice.Status, doc.Invoice.CancelledAt = inv.Status, inv.CancelledAt
	} else {
		tenant, err := l.store.Tenant(ctx, a.Tenant)
		if err != nil {
			return nil, err
		}
		doc = billing.Document{Seller: billing.FiscalProfile{RazonSocial: tenant.Name}, Buyer: inv.Customer, Invoice: inv}
	}
	out, err := pdf.Invoice(doc)
	if err != nil {
		return nil, fmt.Errorf("rendering invoice %s: %w", id, err)
	}
	return out, nil
}

// issuedInvoice reads an invoice that has been issued (it may have been
// cancelled since).
func (l *Ledger) issuedInvoice(ctx context.Context, a Actor, id uuid.UUID) (billing.Invoice, error) {
	inv, err := l.store.Invoice(ctx, a.Tenant, id)
	if err != nil {
		return billing.Invoice{}, err
	}
	if inv.IssuedAt == nil {
		return billing.Invoice{}, fault.ErrInvoiceNotIssued
	}
	return inv, nil
}
