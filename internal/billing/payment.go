package billing

import (
	"time"

	"github.com/google/uuid"

	"billing/internal/money"
)

// PaymentStatus is where an issued invoice stands with its payer.
type PaymentStatus string

// The payment states. VENCIDA wins over PARCIAL and PENDIENTE: a balance
// past its due date is overdue however much of it was paid.
const (
	PaymentPending PaymentStatus = "PENDIENTE" // nothing paid, not yet due
	PaymentPartial PaymentStatus = "PARCIAL"   // something paid, a balance left, not yet due
	PaymentPaid    PaymentStatus = "PAGADA"    // nothing owed (paid, or credited, in full)
	PaymentOverdue PaymentStatus = "VENCIDA"   // a balance after the due date
)

// PaymentStatusOf is the payment state of an invoice in status with the
// given balance and payments, due on due, judged on Colombian date today:
// "" unless ISSUED; PAGADA when nothing is owed (saldo ≤ 0); VENCIDA when a
// balance remains after the due date; PARCIAL when something was paid;
// PENDIENTE else. The list filter (db/queries/invoices.sql) applies the same
// rule in SQL.
func PaymentStatusOf(status InvoiceStatus, saldo, pagado money.Decimal, due *Date, today Date) PaymentStatus {
	switch {
	case status != InvoiceIssued:
		return ""
	case saldo.Sign() <= 0:
		return PaymentPaid
	case due != nil && today.After(*due):
		return PaymentOverdue
	case pagado.Sign() > 0:
		return PaymentPartial
	}
	return PaymentPending
}

// Payment is money received against an issued invoice. It is never
// deleted: a mistaken one is reversed, and then no longer counts.
type Payment struct {
	ID         uuid.UUID
	InvoiceID  uuid.UUID
	Valor      money.Decimal
	Fecha      Date // the Colombian date it was received
	MedioPago  string
	Referencia *string
	Actor      string // the sub of the token that recorded it
	CreatedAt  time.Time
	Reversal   *Reversal
}

// Reversal is why and when a payment stopped counting.
type Reversal struct {
	Motivo string
	Actor  string
	At     time.Time
}

// NewPayment is what recording a payment gives.
type NewPayment struct {
	Valor      money.Decimal
	Fecha      Date
	MedioPago  string
	Referencia *string
}

// AgingBuckets are open balances by days past due: not yet due, 1–30,
// 31–60, 61–90 and more than 90 days, and their sum.
type AgingBuckets struct {
	NoVencido, D1_30, D31_60, D61_90, Mas90, Total money.Decimal
}

// Add returns a + b.
func (a AgingBuckets) Add(b AgingBuckets) AgingBuckets {
	return AgingBuckets{a.NoVencido.Add(b.NoVencido), a.D1_30.Add(b.D1_30), a.D31_60.Add(b.D31_60),
		a.D61_90.Add(b.D61_90), a.Mas90.Add(b.Mas90), a.Total.Add(b.Total)}
}

// CustomerReceivable is one customer's open balance by age.
type CustomerReceivable struct {
	CustomerID  uuid.UUID
	RazonSocial string
	AgingBuckets
}

// ReceivablesPage asks for the customers with open invoices after
// (AfterRazonSocial, AfterID) in that order, at most Limit of them.
type ReceivablesPage struct {
	AfterRazonSocial string
	AfterID          uuid.UUID
	Limit            int
}

// ZeroBuckets are empty buckets, at cents.
func ZeroBuckets() AgingBuckets {
	z := money.New(0, -2)
	return AgingBuckets{z, z, z, z, z, z}
}
