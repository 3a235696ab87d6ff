package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// InvoiceXML reads the UBL document stored when the invoice was issued
// under a resolution, with the invoice's own answers first: none in the
// tenant is fault.ErrInvoiceNotFound, one never issued
// fault.ErrInvoiceNotIssued, one issued the seed's way fault.ErrNotElectronic.
func (s *Store) InvoiceXML(ctx context.Context, tenant, invoice uuid.UUID) ([]byte, error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetInvoiceXMLRow, error) {
		return q.GetInvoiceXML(ctx, db.GetInvoiceXMLParams{TenantID: tenant, InvoiceID: invoice})
	})
	switch {
	case NoRows(err):
		return nil, fault.ErrInvoiceNotFound
	case err != nil:
		return nil, fmt.Errorf("loading invoice document: %w", err)
	case row.IssuedAt == nil:
		return nil, fault.ErrInvoiceNotIssued
	case row.Xml == nil:
		return nil, fault.ErrNotElectronic
	}
	return row.Xml, nil
}

// IssuedDocument is what the printed form of an issued invoice starts from:
// its status now, and the document content frozen at issue (nil for an
// invoice issued the seed's way).
type IssuedDocument struct {
	Status      billing.InvoiceStatus
	CancelledAt *time.Time
	Content     []byte
}

// InvoiceDocument reads an issued invoice's status and stored document
// content; fault.ErrInvoiceNotFound and fault.ErrInvoiceNotIssued as
// InvoiceXML.
func (s *Store) InvoiceDocument(ctx context.Context, tenant, invoice uuid.UUID) (IssuedDocument, error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetInvoiceDocumentRow, error) {
		return q.GetInvoiceDocument(ctx, db.GetInvoiceDocumentParams{TenantID: tenant, InvoiceID: invoice})
	})
	switch {
	case NoRows(err):
		return IssuedDocument{}, fault.ErrInvoiceNotFound
	case err != nil:
		return IssuedDocument{}, fmt.Errorf("loading invoice document: %w", err)
	case row.IssuedAt == nil:
		return IssuedDocument{}, fault.ErrInvoiceNotIssued
	}
	return IssuedDocument{Status: billing.InvoiceStatus(row.Status), CancelledAt: row.CancelledAt, Content: row.Document}, nil
}
