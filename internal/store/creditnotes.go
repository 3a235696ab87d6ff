package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
)

// CreditedTaxes reads a locked invoice's tax groups with what credit notes
// took of each.
func (tx *Tx) CreditedTaxes(ctx context.Context, invoice uuid.UUID) ([]billing.CreditedGroup, error) {
	rows, err := tx.q.ListCreditedTaxes(ctx, db.ListCreditedTaxesParams{TenantID: tx.tenant, InvoiceID: invoice})
	if err != nil {
		return nil, fmt.Errorf("loading tax groups: %w", err)
	}
	out := make([]billing.CreditedGroup, len(rows))
	for i, r := range rows {
		out[i] = billing.CreditedGroup{
			TaxGroup:       billing.TaxGroup{Tributo: billing.TaxScheme(r.Tributo), Tarifa: r.Tarifa, Base: r.Base, Valor: r.Valor},
			BaseAcreditada: r.BaseAcreditada, ValorAcreditado: r.ValorAcreditado,
		}
	}
	return out, nil
}

// IssueCreditNote writes an issued credit note against the locked ISSUED
// invoice inv: the note with its UBL bytes and its document's content, its
// take of each line and tax group (the tables' checks refuse more than
// they hold), the invoice's credited sum, and the receivables figures. It
// returns the note's creation time.
func (tx *Tx) IssueCreditNote(ctx context.Context, inv billing.Invoice, n billing.CreditNote, xml, document []byte, actor string) (time.Time, error) {
	created, err := tx.q.InsertCreditNote(ctx, db.InsertCreditNoteParams{
		TenantID: tx.tenant, ID: n.ID, InvoiceID: inv.ID, ResolutionID: n.ResolutionID, Consecutivo: n.Consecutivo,
		Numero: n.Numero, Concepto: int16(n.Concepto), Motivo: n.Motivo, IssueDate: n.IssueDate, IssueTime: n.IssueTime,
		Cude: n.CUDE, Qr: n.QR, Subtotal: n.Subtotal, Impuestos: n.Impuestos, TotalDescuentos: n.TotalDescuentos,
		TotalCargos: n.TotalCargos, Total: n.Total, Xml: xml, Document: document, Actor: actor,
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("writing credit note: %w", Translate(err))
	}
	lines := db.CreditInvoiceItemsParams{TenantID: tx.tenant, InvoiceID: inv.ID}
	for _, l := range n.Lines {
		lines.Positions = append(lines.Positions, int32(l.Position))
		lines.Cantidades = append(lines.Cantidades, l.Cantidad)
		lines.Valores = append(lines.Valores, l.Subtotal)
	}
	if err := tx.q.CreditInvoiceItems(ctx, lines); err != nil {
		return time.Time{}, fmt.Errorf("crediting invoice lines: %w", Translate(err))
	}
	if len(n.Taxes) > 0 {
		t := taxColumns(n.Taxes)
		if err := tx.q.CreditInvoiceTaxes(ctx, db.CreditInvoiceTaxesParams{TenantID: tx.tenant, InvoiceID: inv.ID,
			Tributos: t.tributos, Tarifas: t.tarifas, Bases: t.bases, Valores: t.valores}); err != nil {
			return time.Time{}, fmt.Errorf("crediting invoice taxes: %w", Translate(err))
		}
	}
	if err := tx.q.AddInvoiceCredited(ctx, db.AddInvoiceCreditedParams{TenantID: tx.tenant, ID: inv.ID, Delta: n.Total}); err != nil {
		return time.Time{}, fmt.Errorf("updating invoice's credited sum: %w", Translate(err))
	}
	tx.count(billing.CreditChange(n.Total))
	if inv.FechaVencimiento != nil {
		tx.owe(*inv.FechaVencimiento, n.Total.Neg())
	}
	return created, nil
}

// CreditNote reads an issued credit note's frozen document;
// fault.ErrCreditNoteNotFound when the tenant has none of that id.
func (s *Store) CreditNote(ctx context.Context, tenant, id uuid.UUID) (billing.CreditNoteDocument, error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetCreditNoteDocumentRow, error) {
		return q.GetCreditNoteDocument(ctx, db.GetCreditNoteDocumentParams{TenantID: tenant, ID: id})
	})
	if NoRows(err) {
		return billing.CreditNoteDocument{}, fault.ErrCreditNoteNotFound
	}
	if err != nil {
		return billing.CreditNoteDocument{}, fmt.Errorf("loading credit note: %w", err)
	}
	d, err := creditNoteDocument(row.Document, row.CreatedAt, row.Actor)
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	st, err := eInvoiceStatus(row.DianEstado, row.DianReglas, int(row.DianIntentos), row.DianActualizado)
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	d.EInvoice = &st
	return d, nil
}

// CreditNoteXML reads a credit note's number and UBL document.
func (s *Store) CreditNoteXML(ctx context.Context, tenant, id uuid.UUID) (string, []byte, error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetCreditNoteXMLRow, error) {
		return q.GetCreditNoteXML(ctx, db.GetCreditNoteXMLParams{TenantID: tenant, ID: id})
	})
	if NoRows(err) {
		return "", nil, fault.ErrCreditNoteNotFound
	}
	if err != nil {
		return "", nil, fmt.Errorf("loading credit note document: %w", err)
	}
	return row.Numero, row.Xml, nil
}

// InvoiceCreditNotes reads an invoice's credit notes, oldest first;
// fault.ErrInvoiceNotFound when there is no such invoice.
func (s *Store) InvoiceCreditNotes(ctx context.Context, tenant, invoice uuid.UUID) ([]billing.CreditNoteDocument, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.ListInvoiceCreditNotesRow, error) {
		return q.ListInvoiceCreditNotes(ctx, db.ListInvoiceCreditNotesParams{TenantID: tenant, InvoiceID: invoice})
	})
	if err != nil {
		return nil, fmt.Errorf("loading credit notes: %w", err)
	}
	if len(rows) == 0 {
		return nil, fault.ErrInvoiceNotFound
	}
	out := make([]billing.CreditNoteDocument, 0, len(rows))
	for _, r := range rows {
		if r.Document == nil { // the invoice's row without notes
			continue
		}
		d, err := creditNoteDocument(r.Document, *r.CreatedAt, *r.Actor)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// CreditNotes reads one page of the tenant's credit notes, newest first,
// created before the given position.
func (s *Store) CreditNotes(ctx context.Context, tenant uuid.UUID, beforeCreatedAt time.Time, beforeID uuid.UUID, limit int) ([]billing.CreditNoteDocument, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.ListCreditNotesRow, error) {
		return q.ListCreditNotes(ctx, db.ListCreditNotesParams{TenantID: tenant, AfterCreatedAt: beforeCreatedAt,
			AfterID: beforeID, MaxRows: int32(limit)})
	})
	if err != nil {
		return nil, fmt.Errorf("listing credit notes: %w", err)
	}
	out := make([]billing.CreditNoteDocument, len(rows))
	for i, r := range rows {
		if out[i], err = creditNoteDocument(r.Document, r.CreatedAt, r.Actor); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func creditNoteDocument(content []byte, created time.Time, actor string) (billing.CreditNoteDocument, error) {
	var d billing.CreditNoteDocument
	if err := json.Unmarshal(content, &d); err != nil {
		return billing.CreditNoteDocument{}, fmt.Errorf("decoding credit note document: %w", err)
	}
	d.Note.CreatedAt, d.Note.Actor = created, actor
	rescaleCredit(&d.Note.Credit)
	return d, nil
}

// rescaleCredit puts a decoded note's amounts at their columns' scales, as
// JSON does not keep trailing zeros of every writer.
func rescaleCredit(c *billing.Credit) {
	for i := range c.Lines {
		l := &c.Lines[i]
		l.Cantidad, l.ValorUnitario, l.Impuesto, l.Subtotal = l.Cantidad.Rescale(3), l.ValorUnitario.Rescale(2), l.Impuesto.Rescale(2), l.Subtotal.Rescale(2)
	}
	for i := range c.Taxes {
		g := &c.Taxes[i]
		g.Tarifa, g.Base, g.Valor = g.Tarifa.Rescale(2), g.Base.Rescale(2), g.Valor.Rescale(2)
	}
	for _, a := range []*money.Decimal{&c.Subtotal, &c.Impuestos, &c.TotalDescuentos, &c.TotalCargos, &c.Total} {
		*a = a.Rescale(2)
	}
}
