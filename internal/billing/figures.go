package billing

import "billing/internal/money"

// Figures are the dashboard's numbers, or a write's change to them.
type Figures struct {
	ClientesActivos   int64         // customers with status ACTIVE
	FacturasEmitidas  int64         // invoices with status ISSUED
	FacturasBorrador  int64         // invoices with status DRAFT
	IngresosEstimados money.Decimal // sum of total over ISSUED invoices
	CarteraPendiente  money.Decimal // sum of saldo over ISSUED invoices
	Creditos          money.Decimal // sum of the credit notes' totals over ISSUED invoices
}

// Dashboard is what the dashboard shows: the figures and the part of the
// open balance past its due date on the day it is read.
type Dashboard struct {
	Figures
	CarteraVencida money.Decimal
}

// IngresosNetos is IngresosEstimados less the credit notes on ISSUED
// invoices.
func (f Figures) IngresosNetos() money.Decimal { return f.IngresosEstimados.Sub(f.Creditos) }

// Add returns f + g.
func (f Figures) Add(g Figures) Figures {
	return Figures{
		ClientesActivos:   f.ClientesActivos + g.ClientesActivos,
		FacturasEmitidas:  f.FacturasEmitidas + g.FacturasEmitidas,
		FacturasBorrador:  f.FacturasBorrador + g.FacturasBorrador,
		IngresosEstimados: f.IngresosEstimados.Add(g.IngresosEstimados),
		CarteraPendiente:  f.CarteraPendiente.Add(g.CarteraPendiente),
		Creditos:          f.Creditos.Add(g.Creditos),
	}
}

// IsZero reports whether f changes nothing.
func (f Figures) IsZero() bool {
	return f.ClientesActivos == 0 && f.FacturasEmitidas == 0 && f.FacturasBorrador == 0 && f.IngresosEstimados.Sign() == 0 &&
		f.CarteraPendiente.Sign() == 0 && f.Creditos.Sign() == 0
}

// Equal compares figures by value (12.50 equals 12.5).
func (f Figures) Equal(g Figures) bool {
	return f.ClientesActivos == g.ClientesActivos && f.FacturasEmitidas == g.FacturasEmitidas &&
		f.FacturasBorrador == g.FacturasBorrador && f.IngresosEstimados.Cmp(g.IngresosEstimados) == 0 &&
		f.CarteraPendiente.Cmp(g.CarteraPendiente) == 0 && f.Creditos.Cmp(g.Creditos) == 0
}

// CustomerChange is how a customer going from one status to another changes
// the figures; "" stands for "does not exist" (creation, deletion).
func CustomerChange(from, to CustomerStatus) Figures {
	var f Figures
	if from == CustomerActive {
		f.ClientesActivos--
	}
	if to == CustomerActive {
		f.ClientesActivos++
	}
	return f
}

// InvoiceChange is how an invoice going from one status to another changes
// the figures; "" stands for "does not exist" (creation). Entering ISSUED
// its whole total becomes owed; leaving it, its balance stops being owed
// and its credit notes stop counting against the income.
func InvoiceChange(from, to InvoiceStatus, inv Invoice) Figures {
	f := statusCounts(from, to, inv.Total)
	switch {
	case to == InvoiceIssued:
		f.CarteraPendiente = inv.Total.Sub(inv.Acreditado).Sub(inv.Pagado)
	case from == InvoiceIssued:
		f.CarteraPendiente = inv.Total.Sub(inv.Acreditado).Sub(inv.Pagado).Neg()
		f.Creditos = inv.Acreditado.Neg()
	}
	return f
}

// PaymentChange is how a payment of valor (negative: a reversal) against an
// ISSUED invoice changes the figures.
func PaymentChange(valor money.Decimal) Figures { return Figures{CarteraPendiente: valor.Neg()} }

// CreditChange is how a credit note of the given total against an ISSUED
// invoice changes the figures.
func CreditChange(total money.Decimal) Figures {
	return Figures{CarteraPendiente: total.Neg(), Creditos: total}
}

func statusCounts(from, to InvoiceStatus, total money.Decimal) Figures {
	var f Figures
	for _, side := range []struct {
		s    InvoiceStatus
		sign int64
	}{{from, -1}, {to, +1}} {
		switch side.s {
		case InvoiceDraft:
			f.FacturasBorrador += side.sign
		case InvoiceIssued:
			f.FacturasEmitidas += side.sign
			if side.sign > 0 {
				f.IngresosEstimados = f.IngresosEstimados.Add(total)
			} else {
				f.IngresosEstimados = f.IngresosEstimados.Add(total.Neg())
			}
		}
	}
	return f
}
