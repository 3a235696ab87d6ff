package ledger

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/store"
)

// RecordPayment records money received against an ISSUED invoice, in one
// transaction with the invoice locked: concurrent payments queue there, so
// two of them can never pay more than the open balance together.
func (l *Ledger) RecordPayment(ctx context.Context, a Actor, invoice uuid.UUID, np billing.NewPayment, once *Once[billing.Payment]) (billing.Payment, error) {
	today := l.Today()
	var checks []*fault.FieldError
	checks = append(checks, positiveAmount("valor", np.Valor))
	if np.MedioPago == "" {
		np.MedioPago = billing.DefaultPaymentMeans
	}
	checks = append(checks, billing.CheckPaymentMeans("medioPago", np.MedioPago))
	if np.Referencia != nil {
		ref := strings.TrimSpace(*np.Referencia)
		checks = append(checks, requiredText("referencia", ref))
		np.Referencia = &ref
	}
	if err := fault.Fields(checks...); err != nil {
		return billing.Payment{}, err
	}
	if np.Fecha.After(today) {
		return billing.Payment{}, fault.PaymentDateInvalid("must not be after today in Colombia (" + today.String() + ")")
	}
	id := uuid.Must(uuid.NewV7())
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.Payment, error) {
		lock, err := tx.LockInvoiceForStatus(ctx, invoice)
		if err != nil {
			return billing.Payment{}, err
		}
		inv := lock.Invoice
		if inv.Status != billing.InvoiceIssued {
			return billing.Payment{}, fault.ErrPayableNotIssued
		}
		if issued := billing.DateOf(*inv.IssuedAt); np.Fecha.Before(issued) {
			return billing.Payment{}, fault.PaymentDateInvalid("must not be before the invoice's issue date (" + issued.String() + ")")
		}
		if np.Valor.Cmp(inv.Saldo()) > 0 {
			e := *fault.ErrPaymentExceedsBalance
			e.Detail = "The payment (" + np.Valor.String() + ") is larger than the invoice's open balance (" + inv.Saldo().String() + ")."
			return billing.Payment{}, &e
		}
		p, err := tx.RecordPayment(ctx, inv, billing.Payment{ID: id, InvoiceID: inv.ID, Valor: np.Valor.Rescale(2), Fecha: np.Fecha,
			MedioPago: np.MedioPago, Referencia: np.Referencia, Actor: a.Subject})
		if err != nil {
			return billing.Payment{}, err
		}
		return p, emit(ctx, tx, billing.EventPaymentRecorded, paymentEvent(p))
	})
}

// ReversePayment marks a payment reversed, with why: it stays on record and
// stops counting, and its invoice's balance grows back. The payment is
// locked before its invoice, always in that order.
func (l *Ledger) ReversePayment(ctx context.Context, a Actor, id uuid.UUID, motivo string) (billing.Payment, error) {
	motivo = strings.TrimSpace(motivo)
	if err := fault.Fields(requiredText("motivo", motivo)); err != nil {
		return billing.Payment{}, err
	}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.Payment, error) {
		p, err := tx.LockPayment(ctx, id)
		if err != nil {
			return billing.Payment{}, err
		}
		if p.Reversal != nil {
			return billing.Payment{}, fault.ErrPaymentAlreadyReversed
		}
		lock, err := tx.LockInvoiceForStatus(ctx, p.InvoiceID)
		if err != nil {
			return billing.Payment{}, err
		}
		r, err := tx.ReversePayment(ctx, lock.Invoice, p, motivo, a.Subject)
		if err != nil {
			return billing.Payment{}, err
		}
		return r, emit(ctx, tx, billing.EventPaymentReversed, paymentEvent(r))
	})
}

// InvoicePayments reads an invoice's payments, reversed ones included.
func (l *Ledger) InvoicePayments(ctx context.Context, a Actor, invoice uuid.UUID) ([]billing.Payment, error) {
	return l.store.InvoicePayments(ctx, a.Tenant, invoice)
}

// Receivables reads one page of the customers' open balances by age on
// today's Colombian date, and the whole tenant's.
func (l *Ledger) Receivables(ctx context.Context, a Actor, page billing.ReceivablesPage) (billing.Date, []billing.CustomerReceivable, billing.AgingBuckets, error) {
	today := l.Today()
	rows, total, err := l.store.Receivables(ctx, a.Tenant, today, page)
	if err != nil {
		return billing.Date{}, nil, billing.AgingBuckets{}, err
	}
	return today, rows, total, nil
}
