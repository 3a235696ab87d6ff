package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/fault"
	"billing/internal/jobs"
)

// DocumentToSign reads an issued electronic document for the signer: its
// number, its unsigned bytes as the issue froze them, and whether it is
// signed already. A missing document is fault.ErrInvoiceNotFound or
// fault.ErrCreditNoteNotFound.
func (s *Store) DocumentToSign(ctx context.Context, tenant uuid.UUID, doc jobs.Document, id uuid.UUID) (numero string, xml []byte, signed bool, err error) {
	switch doc {
	case jobs.Invoice:
		r, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetInvoiceToSignRow, error) {
			return q.GetInvoiceToSign(ctx, db.GetInvoiceToSignParams{TenantID: tenant, InvoiceID: id})
		})
		if NoRows(err) {
			return "", nil, false, fault.ErrInvoiceNotFound
		}
		if err != nil {
			return "", nil, false, fmt.Errorf("loading the invoice to sign: %w", err)
		}
		return r.Numero, r.Xml, r.Signed, nil
	case jobs.CreditNote:
		r, err := readV(ctx, s, tenant, func(q *db.Queries) (db.GetCreditNoteToSignRow, error) {
			return q.GetCreditNoteToSign(ctx, db.GetCreditNoteToSignParams{TenantID: tenant, ID: id})
		})
		if NoRows(err) {
			return "", nil, false, fault.ErrCreditNoteNotFound
		}
		if err != nil {
			return "", nil, false, fmt.Errorf("loading the credit note to sign: %w", err)
		}
		return r.Numero, r.Xml, r.Signed, nil
	}
	return "", nil, false, fmt.Errorf("signing: unknown document kind %q", doc)
}

// KeepSignature keeps a document's signed bytes, once, and queues an
// document's transmission to DIAN in the same transaction: it answers
// false, keeping nothing, when the document was signed already (a second
// worker of the same job lost the race; the first signature stands).
func (s *Store) KeepSignature(ctx context.Context, tenant uuid.UUID, doc jobs.Document, id uuid.UUID, signed []byte) (bool, error) {
	var n int64
	err := s.InTx(ctx, tenant, func(tx *Tx) error {
		var err error
		switch doc {
		case jobs.Invoice:
			var envios []int32
			envios, err = tx.q.SetInvoiceSignature(ctx, db.SetInvoiceSignatureParams{TenantID: tenant, InvoiceID: id, SignedXml: signed})
			if n = int64(len(envios)); err == nil && n == 1 {
				// Sent to DIAN once signed, by the outbox, as the sending
				// the stamp is at (a corrected invoice's is a new one).
				err = tx.Enqueue(ctx, jobs.Transmit{TenantID: tenant, Document: jobs.Invoice, ID: id, Envio: int(envios[0])})
			}
		case jobs.CreditNote:
			n, err = tx.q.SetCreditNoteSignature(ctx, db.SetCreditNoteSignatureParams{TenantID: tenant, ID: id, SignedXml: signed})
			if err == nil && n == 1 {
				err = tx.Enqueue(ctx, jobs.Transmit{TenantID: tenant, Document: jobs.CreditNote, ID: id, Envio: 1})
			}
		default:
			err = fmt.Errorf("unknown document kind %q", doc)
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("keeping the signature: %w", err)
	}
	return n == 1, nil
}
