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
		return billing.Invoice{}, &fault.Error{Kind: fault.KindConflict, Code: "einvoice_data_incomplete",
			Detail: "The invoice cannot be issued electronically: " + err.Error() + "."}
	}
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("rendering invoice %s: %w", inv.ID, err)
	}
	// The stored content keeps no secret: the PIN and the technical key
	// stay in their own rows.
	kept := res
	kept.ClaveTecnica = ""
	doc.Seller.SoftwarePIN, doc.Resolution = "", &kept
	content, err := json.Marshal(doc)
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("encoding invoice %s's document: %w", inv.ID, err)
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
