package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/jobs"
)

// Correctable says where a locked ISSUED invoice stands for a correction:
// DIAN's verdict ("" for an invoice issued the seed's way) and whether
// credit notes were issued against it.
func (tx *Tx) Correctable(ctx context.Context, invoice uuid.UUID) (billing.EInvoiceState, bool, error) {
	r, err := tx.q.InvoiceCorrectable(ctx, db.InvoiceCorrectableParams{TenantID: tx.tenant, InvoiceID: invoice})
	if NoRows(err) {
		return "", false, fault.ErrInvoiceNotFound
	}
	if err != nil {
		return "", false, fmt.Errorf("reading whether the invoice can be corrected: %w", err)
	}
	if r.DianEstado == nil {
		return "", r.HasNotes, nil
	}
	return billing.EInvoiceState(*r.DianEstado), r.HasNotes, nil
}

// ResolutionWithKey reads one of the tenant's ranges with its technical
// key opened (a correction computes its invoice's CUFE again).
func (tx *Tx) ResolutionWithKey(ctx context.Context, id uuid.UUID) (billing.NumberingResolution, error) {
	row, err := tx.q.GetNumberingResolutionForUpdate(ctx, db.GetNumberingResolutionForUpdateParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return billing.NumberingResolution{}, fault.ErrResolutionNotFound
	}
	if err != nil {
		return billing.NumberingResolution{}, fmt.Errorf("reading numbering resolution: %w", err)
	}
	return tx.withKey(row)
}

// CorrectInvoice replaces a locked, rejected electronic invoice (cur, as
// it stands) with its corrected version (inv: the same number and range,
// new lines and totals, a new issue instant and stamp, whose document xml
// and content are given): the rejected version is kept whole in the
// invoice's versions, named by a history event; the dashboard's figures
// and the open balance move from the old total and due date to the new;
// and the document is queued to be signed, then sent as a new sending.
// fault.ErrInvoiceNotDraft when DIAN's verdict is not a rejection (it
// changed since the caller looked).
func (tx *Tx) CorrectInvoice(ctx context.Context, cur, inv billing.Invoice, xml, content []byte, actor string) (billing.Invoice, error) {
	version, err := tx.q.ArchiveRejectedVersion(ctx, db.ArchiveRejectedVersionParams{TenantID: tx.tenant, InvoiceID: cur.ID, Actor: actor})
	if NoRows(err) {
		return billing.Invoice{}, fault.ErrInvoiceNotDraft
	}
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("keeping the rejected version: %w", err)
	}
	s := inv.Stamp
	envio, err := tx.q.RestampInvoice(ctx, db.RestampInvoiceParams{TenantID: tx.tenant, InvoiceID: cur.ID,
		IssueDate: s.IssueDate, IssueTime: s.IssueTime, Cufe: s.CUFE, Qr: s.QR, Xml: xml, Document: content})
	if NoRows(err) {
		// A resend put it back to be sent between the two statements.
		return billing.Invoice{}, fault.ErrInvoiceNotDraft
	}
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("re-stamping the invoice: %w", Translate(err))
	}
	if _, err := tx.ReplaceInvoice(ctx, inv); err != nil {
		return billing.Invoice{}, err
	}
	p := db.SetInvoiceStatusParams{TenantID: tx.tenant, ID: cur.ID, Status: string(billing.InvoiceIssued), IssuedAt: inv.IssuedAt}
	if inv.FechaVencimiento != nil {
		due := inv.FechaVencimiento.Time()
		p.FechaVencimiento = &due
	}
	row, err := tx.q.SetInvoiceStatus(ctx, p)
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("re-issuing the invoice: %w", Translate(err))
	}
	if err := tx.q.InsertCorrectionEvent(ctx, db.InsertCorrectionEventParams{TenantID: tx.tenant, InvoiceID: cur.ID,
		Actor: actor, Version: &version}); err != nil {
		return billing.Invoice{}, fmt.Errorf("recording the correction: %w", err)
	}
	// The rejected version leaves the figures as an issued invoice leaving
	// ISSUED would, and the corrected one enters them as a new issue (no
	// payment or credit note counts against either: a correction refuses
	// them).
	leaving, entering := billing.InvoiceChange(billing.InvoiceIssued, "", cur), billing.InvoiceChange("", billing.InvoiceIssued, inv)
	tx.count(leaving.Add(entering))
	if cur.FechaVencimiento != nil {
		tx.owe(*cur.FechaVencimiento, leaving.CarteraPendiente)
	}
	if row.FechaVencimiento != nil {
		tx.owe(billing.DateFromTime(*row.FechaVencimiento), entering.CarteraPendiente)
	}
	if err := tx.Enqueue(ctx, jobs.Sign{TenantID: tx.tenant, Document: jobs.Invoice, ID: cur.ID, Envio: int(envio)}); err != nil {
		return billing.Invoice{}, err
	}
	return tx.Invoice(ctx, cur.ID)
}
