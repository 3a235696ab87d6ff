package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/dian"
	"billing/internal/fault"
	"billing/internal/jobs"
	"billing/internal/store"
)

// CreditNoteRequest is what issuing a credit note gives.
type CreditNoteRequest struct {
	Concepto billing.CreditConcept
	Motivo   string
	Lineas   []billing.CreditRequest
}

// CreateCreditNote issues a credit note against an ISSUED electronic
// invoice in one transaction with the invoice locked, so racing notes (and
// payments) queue and none credits what another already took. Concept 2
// (anulación) credits everything that remains and cancels the invoice,
// which is refused while payments count.
func (l *Ledger) CreateCreditNote(ctx context.Context, a Actor, invoice uuid.UUID, r CreditNoteRequest, once *Once[billing.CreditNoteDocument]) (billing.CreditNoteDocument, error) {
	r.Motivo = strings.TrimSpace(r.Motivo)
	if err := fault.Fields(requiredText("motivo", r.Motivo)); err != nil {
		return billing.CreditNoteDocument{}, err
	}
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.CreditNoteDocument, error) {
		lock, err := tx.LockInvoiceForStatus(ctx, invoice)
		if err != nil {
			return billing.CreditNoteDocument{}, err
		}
		cur := lock.Invoice
		switch {
		case cur.Status != billing.InvoiceIssued:
			return billing.CreditNoteDocument{}, fault.ErrPayableNotIssued
		case !lock.Stamped:
			return billing.CreditNoteDocument{}, fault.ErrNotElectronic
		case r.Concepto == billing.ConceptAnulacion && cur.Pagado.Sign() > 0:
			return billing.CreditNoteDocument{}, fault.ErrInvoiceHasPayments
		}
		doc, err := creditNote(ctx, tx, cur.ID, r, time.Now, a.Subject)
		if err != nil {
			return billing.CreditNoteDocument{}, err
		}
		if r.Concepto == billing.ConceptAnulacion {
			cur.Acreditado = cur.Acreditado.Add(doc.Note.Total)
			if _, err := tx.CancelByCreditNote(ctx, cur, doc.Note.ID, a.Subject); err != nil {
				return billing.CreditNoteDocument{}, err
			}
		}
		return doc, nil
	})
}

// annul cancels a locked ISSUED electronic invoice (without payments) the
// way DIAN allows: by a concept-2 credit note for everything still
// uncredited, in the caller's transaction, named in the status history.
// Nothing left to credit means no note.
func annul(ctx context.Context, tx *store.Tx, cur billing.Invoice, clock func() time.Time, actor string) (billing.Invoice, error) {
	if cur.Total.Sub(cur.Acreditado).Sign() <= 0 {
		return tx.SetInvoiceStatus(ctx, cur, billing.InvoiceCancelled, actor)
	}
	doc, err := creditNote(ctx, tx, cur.ID, CreditNoteRequest{Concepto: billing.ConceptAnulacion,
		Motivo: "Anulación de la factura electrónica " + cur.Numero}, clock, actor)
	if err != nil {
		return billing.Invoice{}, err
	}
	cur.Acreditado = cur.Acreditado.Add(doc.Note.Total)
	return tx.CancelByCreditNote(ctx, cur, doc.Note.ID, actor)
}

// creditNote issues a note against the locked invoice id in the caller's
// transaction: it works out the credit, takes the next number of the
// tenant's NOTA_CREDITO range (locked until commit: gapless), fixes the
// issue instant, computes the CUDE with the software PIN and the QR,
// renders the UBL CreditNote once and stores it with the document's
// content, and the credit's take of the invoice.
func creditNote(ctx context.Context, tx *store.Tx, id uuid.UUID, r CreditNoteRequest, clock func() time.Time, actor string) (billing.CreditNoteDocument, error) {
	inv, err := tx.Invoice(ctx, id)
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	groups, err := tx.CreditedTaxes(ctx, id)
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	credit, err := billing.ComputeCredit(r.Concepto, inv, groups, r.Lineas)
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	profile, err := tx.FiscalProfile(ctx)
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	active, err := tx.ActiveResolutions(ctx, billing.KindNotaCredito)
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	at := clock().Truncate(time.Second).In(billing.Colombia)
	res, err := dian.ChooseResolution(active, billing.DateOf(at))
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	consecutivo, err := tx.TakeConsecutive(ctx, res.ID)
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	note := billing.CreditNote{ID: uuid.Must(uuid.NewV7()), InvoiceID: inv.ID, Numero: dian.Numero(res.Prefijo, consecutivo),
		ResolutionID: res.ID, Consecutivo: consecutivo, Concepto: r.Concepto, Motivo: r.Motivo,
		IssueDate: at.Format(time.DateOnly), IssueTime: at.Format("15:04:05-07:00"), Credit: credit, Actor: actor}
	doc := billing.CreditNoteDocument{Seller: profile, Resolution: res, Note: note, Buyer: inv.Customer,
		Invoice: billing.InvoiceReference{ID: inv.ID, Numero: inv.Numero, CUFE: inv.Stamp.CUFE, IssueDate: inv.Stamp.IssueDate}}
	doc.Note.CUDE = dian.CUFE(dian.CreditNoteCUDEFields(doc, profile.SoftwarePIN))
	doc.QRURL = dian.QRURL(doc.Note.CUDE, profile.Ambiente)
	doc.SoftwareSecurityCode = dian.SoftwareSecurityCode(profile.SoftwareID, profile.SoftwarePIN, note.Numero)
	doc.Note.QR = dian.CreditNoteQRText(doc)
	xml, err := dian.CreditNoteXML(doc)
	if errors.Is(err, dian.ErrIncomplete) {
		return billing.CreditNoteDocument{}, &fault.Error{Kind: fault.KindConflict, Code: "einvoice_data_incomplete",
			Detail: "The credit note cannot be issued electronically: " + err.Error() + "."}
	}
	if err != nil {
		return billing.CreditNoteDocument{}, fmt.Errorf("rendering credit note of invoice %s: %w", inv.ID, err)
	}
	// The stored content keeps no secret (as an invoice's).
	kept := doc
	kept.Seller.SoftwarePIN, kept.Resolution.ClaveTecnica = "", ""
	content, err := json.Marshal(kept)
	if err != nil {
		return billing.CreditNoteDocument{}, fmt.Errorf("encoding credit note document: %w", err)
	}
	created, err := tx.IssueCreditNote(ctx, inv, doc.Note, xml, content, actor)
	if err != nil {
		return billing.CreditNoteDocument{}, err
	}
	if err := tx.Enqueue(ctx, jobs.Sign{TenantID: tx.Tenant(), Document: jobs.CreditNote, ID: doc.Note.ID}); err != nil {
		return billing.CreditNoteDocument{}, err
	}
	if err := emit(ctx, tx, billing.EventCreditNoteIssued, creditNoteIssued(doc.Note)); err != nil {
		return billing.CreditNoteDocument{}, err
	}
	kept.Note.CreatedAt = created
	return kept, nil
}

// CreditNote reads an issued credit note.
func (l *Ledger) CreditNote(ctx context.Context, a Actor, id uuid.UUID) (billing.CreditNoteDocument, error) {
	return l.store.CreditNote(ctx, a.Tenant, id)
}

// InvoiceCreditNotes reads an invoice's credit notes, oldest first.
func (l *Ledger) InvoiceCreditNotes(ctx context.Context, a Actor, invoice uuid.UUID) ([]billing.CreditNoteDocument, error) {
	return l.store.InvoiceCreditNotes(ctx, a.Tenant, invoice)
}

// CreditNotes reads one page of the tenant's credit notes, newest first.
func (l *Ledger) CreditNotes(ctx context.Context, a Actor, before time.Time, beforeID uuid.UUID, limit int) ([]billing.CreditNoteDocument, error) {
	return l.store.CreditNotes(ctx, a.Tenant, before, beforeID, limit)
}

// CreditNoteXML reads a credit note's number and UBL document.
func (l *Ledger) CreditNoteXML(ctx context.Context, a Actor, id uuid.UUID) (string, []byte, error) {
	return l.store.CreditNoteXML(ctx, a.Tenant, id)
}
