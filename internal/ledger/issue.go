package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"billing/internal/billing"
	"billing/internal/dian"
	"billing/internal/fault"
	"billing/internal/jobs"
	"billing/internal/store"
)

// issue issues a locked DRAFT of a tenant with a fiscal profile, in the
// caller's transaction: it takes the next number of the active FACTURA range
// valid on today's Colombian date (the ranges stay locked until commit, so
// concurrent issues queue and a rollback gives the number back), fixes the
// issue instant to the second in Colombia's offset, computes the CUFE and
// the QR text, renders the UBL document once and stores it with the
// document's content, and sets the status. Whatever fails leaves the
// invoice DRAFT.
func issue(ctx context.Context, tx *store.Tx, cur billing.Invoice, profile billing.FiscalProfile, clock func() time.Time, actor string) (billing.Invoice, error) {
	if cur.Numero != "" {
		return billing.Invoice{}, fault.ErrDraftHasClientNumero
	}
	active, err := tx.ActiveResolutions(ctx, billing.KindFactura)
	if err != nil {
		return billing.Invoice{}, err
	}
	// Read the clock once the ranges are locked: issues queue there, so a
	// later consecutive never carries an earlier issue time.
	at := clock().Truncate(time.Second).In(billing.Colombia)
	res, err := dian.ChooseResolution(active, billing.DateOf(at))
	if err != nil {
		return billing.Invoice{}, err
	}
	consecutivo, err := tx.TakeConsecutive(ctx, res.ID)
	if err != nil {
		return billing.Invoice{}, err
	}
	inv, err := tx.Invoice(ctx, cur.ID)
	if err != nil {
		return billing.Invoice{}, err
	}
	inv.Numero = dian.Numero(res.Prefijo, consecutivo)
	inv, xml, content, err := stampDocument(inv, res, consecutivo, profile, at)
	if err != nil {
		return billing.Invoice{}, err
	}
	issued, err := tx.IssueUnderResolution(ctx, cur, inv, xml, content, actor)
	if err != nil {
		return billing.Invoice{}, err
	}
	// Signed after the issue commits, by the outbox (never inside the
	// transaction that holds the range's number).
	if err := tx.Enqueue(ctx, jobs.Sign{TenantID: tx.Tenant(), Document: jobs.Invoice, ID: inv.ID}); err != nil {
		return billing.Invoice{}, err
	}
	return issued, nil
}

// stampDocument issues inv (its number set) at the instant at under the
// range res as its consecutivo: the due date, the stamp with the CUFE and
// the QR text, the UBL document rendered once, and the document's content
// to keep (without the PIN and the technical key, which stay in their own
// rows).
func stampDocument(inv billing.Invoice, res billing.NumberingResolution, consecutivo int64, profile billing.FiscalProfile, at time.Time) (billing.Invoice, []byte, []byte, error) {
	due := inv.Terms.DueDate(billing.DateOf(at))
	inv.Status, inv.IssuedAt, inv.FechaVencimiento = billing.InvoiceIssued, &at, &due
	stamp := &billing.Stamp{ResolutionID: res.ID, Consecutivo: consecutivo,
		IssueDate: at.Format(time.DateOnly), IssueTime: at.Format("15:04:05-07:00")}
	inv.Stamp = stamp
	doc := billing.Document{Seller: profile, Resolution: &res, Invoice: inv}
	stamp.CUFE = dian.CUFE(dian.InvoiceCUFEFields(doc, res.ClaveTecnica))
	doc.QRURL = dian.QRURL(stamp.CUFE, profile.Ambiente)
	doc.SoftwareSecurityCode = dian.SoftwareSecurityCode(profile.SoftwareID, profile.SoftwarePIN, inv.Numero)
	stamp.QR = dian.QRText(doc)
	xml, err := dian.InvoiceXML(doc)
	if errors.Is(err, dian.ErrIncomplete) {
		return billing.Invoice{}, nil, nil, &fault.Error{Kind: fault.KindConflict, Code: "einvoice_data_incomplete",
			Detail: "The invoice cannot be issued electronically: " + err.Error() + "."}
	}
	if err != nil {
		return billing.Invoice{}, nil, nil, fmt.Errorf("rendering invoice %s: %w", inv.ID, err)
	}
	kept := res
	kept.ClaveTecnica = ""
	doc.Seller.SoftwarePIN, doc.Resolution = "", &kept
	content, err := json.Marshal(doc)
	if err != nil {
		return billing.Invoice{}, nil, nil, fmt.Errorf("encoding invoice %s's document: %w", inv.ID, err)
	}
	return inv, xml, content, nil
}

// correct replaces a locked ISSUED electronic invoice that DIAN rejected
// (cur) with the draft d: the same number and range, the lines and totals
// of d, a new issue instant and so a new CUFE, XML and PDF; the rejected
// version is kept (store.Tx.CorrectInvoice), and the corrected one is
// signed and sent again. An invoice with payments or credit notes is not
// corrected: they were made against the rejected document.
func correct(ctx context.Context, tx *store.Tx, cur billing.Invoice, d Draft, clock func() time.Time, actor string) (billing.Invoice, error) {
	estado, notes, err := tx.Correctable(ctx, cur.ID)
	switch {
	case err != nil:
		return billing.Invoice{}, err
	case estado != billing.EInvoiceRejected:
		return billing.Invoice{}, fault.ErrInvoiceNotDraft
	case cur.Pagado.Sign() > 0:
		return billing.Invoice{}, fault.ErrCorrectionHasPayments
	case notes:
		return billing.Invoice{}, fault.ErrCorrectionHasCreditNotes
	}
	profile, err := tx.FiscalProfile(ctx)
	if err != nil {
		return billing.Invoice{}, err
	}
	old, err := tx.Invoice(ctx, cur.ID)
	if err != nil {
		return billing.Invoice{}, err
	}
	res, err := tx.ResolutionWithKey(ctx, old.Stamp.ResolutionID)
	if err != nil {
		return billing.Invoice{}, err
	}
	inv, err := resolveDraft(ctx, tx, cur.ID, d)
	if err != nil {
		return billing.Invoice{}, err
	}
	inv.Numero, inv.CreatedAt = old.Numero, old.CreatedAt
	at := clock().Truncate(time.Second).In(billing.Colombia)
	if !dian.ValidOn(res, billing.DateOf(at)) {
		// Issued again today under a range no longer valid, DIAN would
		// reject it again.
		return billing.Invoice{}, fault.ErrResolutionExpired
	}
	inv, xml, content, err := stampDocument(inv, res, old.Stamp.Consecutivo, profile, at)
	if err != nil {
		return billing.Invoice{}, err
	}
	return tx.CorrectInvoice(ctx, cur, inv, xml, content, actor)
}
