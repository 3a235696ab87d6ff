package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
)

// RecordPayment writes payment p against the locked ISSUED invoice inv
// (whose balance the caller checked), adds it to the invoice's paid sum,
// and takes it off the receivables figures.
func (tx *Tx) RecordPayment(ctx context.Context, inv billing.Invoice, p billing.Payment) (billing.Payment, error) {
	row, err := tx.q.InsertPayment(ctx, db.InsertPaymentParams{TenantID: tx.tenant, ID: p.ID, InvoiceID: inv.ID,
		Valor: p.Valor, Fecha: p.Fecha.Time(), MedioPago: p.MedioPago, Referencia: p.Referencia, Actor: p.Actor})
	if err != nil {
		return billing.Payment{}, fmt.Errorf("writing payment: %w", Translate(err))
	}
	if err := tx.addPaid(ctx, inv, p.Valor); err != nil {
		return billing.Payment{}, err
	}
	return toPayment(row), nil
}

// LockPayment reads a payment and locks it; fault.ErrPaymentNotFound when
// the tenant has none of that id.
func (tx *Tx) LockPayment(ctx context.Context, id uuid.UUID) (billing.Payment, error) {
	row, err := tx.q.GetPaymentForUpdate(ctx, db.GetPaymentForUpdateParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return billing.Payment{}, fault.ErrPaymentNotFound
	}
	if err != nil {
		return billing.Payment{}, fmt.Errorf("locking payment: %w", err)
	}
	return toPayment(row), nil
}

// ReversePayment marks the locked payment p of the locked invoice inv
// reversed, takes it off the invoice's paid sum and puts its amount back in
// the receivables figures.
func (tx *Tx) ReversePayment(ctx context.Context, inv billing.Invoice, p billing.Payment, motivo, actor string) (billing.Payment, error) {
	row, err := tx.q.ReversePayment(ctx, db.ReversePaymentParams{TenantID: tx.tenant, ID: p.ID, Motivo: &motivo, Actor: &actor})
	if NoRows(err) {
		return billing.Payment{}, fault.ErrPaymentAlreadyReversed
	}
	if err != nil {
		return billing.Payment{}, fmt.Errorf("reversing payment: %w", Translate(err))
	}
	if err := tx.addPaid(ctx, inv, p.Valor.Neg()); err != nil {
		return billing.Payment{}, err
	}
	return toPayment(row), nil
}

// addPaid moves the invoice's paid sum and, while it is ISSUED, the
// receivables figures.
func (tx *Tx) addPaid(ctx context.Context, inv billing.Invoice, delta money.Decimal) error {
	if err := tx.q.AddInvoicePaid(ctx, db.AddInvoicePaidParams{TenantID: tx.tenant, ID: inv.ID, Delta: delta}); err != nil {
		return fmt.Errorf("updating invoice's paid sum: %w", Translate(err))
	}
	if inv.Status == billing.InvoiceIssued {
		tx.count(billing.PaymentChange(delta))
		if inv.FechaVencimiento != nil {
			tx.owe(*inv.FechaVencimiento, delta.Neg())
		}
	}
	return nil
}

// InvoicePayments reads an invoice's payments, reversed ones included,
// oldest first; fault.ErrInvoiceNotFound when there is no such invoice.
func (s *Store) InvoicePayments(ctx context.Context, tenant, invoice uuid.UUID) ([]billing.Payment, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.ListInvoicePaymentsRow, error) {
		return q.ListInvoicePayments(ctx, db.ListInvoicePaymentsParams{TenantID: tenant, InvoiceID: invoice})
	})
	if err != nil {
		return nil, fmt.Errorf("loading payments: %w", err)
	}
	if len(rows) == 0 {
		return nil, fault.ErrInvoiceNotFound
	}
	out := make([]billing.Payment, 0, len(rows))
	for _, r := range rows {
		if r.ID == uuid.Nil { // the invoice's row without payments
			continue
		}
		out = append(out, toPayment(db.Payment{ID: r.ID, InvoiceID: invoice, Valor: r.Valor, Fecha: r.Fecha, MedioPago: r.MedioPago,
			Referencia: r.Referencia, Actor: r.Actor, CreatedAt: r.CreatedAt, ReversedAt: r.ReversedAt,
			ReversalMotivo: r.ReversalMotivo, ReversedBy: r.ReversedBy}))
	}
	return out, nil
}

func toPayment(r db.Payment) billing.Payment {
	p := billing.Payment{ID: r.ID, InvoiceID: r.InvoiceID, Valor: r.Valor, Fecha: billing.DateFromTime(r.Fecha),
		MedioPago: r.MedioPago, Referencia: r.Referencia, Actor: r.Actor, CreatedAt: r.CreatedAt}
	if r.ReversedAt != nil && r.ReversalMotivo != nil && r.ReversedBy != nil {
		p.Reversal = &billing.Reversal{Motivo: *r.ReversalMotivo, Actor: *r.ReversedBy, At: *r.ReversedAt}
	}
	return p
}

// Receivables reads one page of the customers with open invoices, each
// with its open balance in aging buckets on Colombian date today, and the
// whole tenant's buckets, in one snapshot.
func (s *Store) Receivables(ctx context.Context, tenant uuid.UUID, today billing.Date, page billing.ReceivablesPage) ([]billing.CustomerReceivable, billing.AgingBuckets, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.GetReceivablesPageRow, error) {
		return q.GetReceivablesPage(ctx, db.GetReceivablesPageParams{TenantID: tenant, Today: today.Time(),
			AfterRazonSocial: page.AfterRazonSocial, AfterID: page.AfterID, MaxRows: int32(page.Limit)})
	})
	if err != nil {
		return nil, billing.AgingBuckets{}, fmt.Errorf("loading receivables: %w", err)
	}
	if len(rows) == 0 { // a page without customers is one row of the nil id
		return nil, billing.AgingBuckets{}, errors.New("loading receivables: the statement answered no row")
	}
	t := rows[0]
	out := make([]billing.CustomerReceivable, 0, len(rows))
	for _, r := range rows {
		if r.CustomerID != uuid.Nil {
			out = append(out, billing.CustomerReceivable{CustomerID: r.CustomerID, RazonSocial: r.RazonSocial,
				AgingBuckets: billing.AgingBuckets{NoVencido: r.NoVencido, D1_30: r.D130, D31_60: r.D3160, D61_90: r.D6190, Mas90: r.Mas90, Total: r.Total}})
		}
	}
	return out, billing.AgingBuckets{NoVencido: t.TNoVencido, D1_30: t.TD130, D31_60: t.TD3160, D61_90: t.TD6190, Mas90: t.TMas90, Total: t.TTotal}, nil
}
