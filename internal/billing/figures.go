package billing

import "billing/internal/money"

// Figures are the dashboard's numbers, or a write's change to them.
type Figures struct {
	ClientesActivos   int64         // customers with status ACTIVE
	FacturasEmitidas  int64         // invoices with status ISSUED
	FacturasBorrador  int64         // invoices with status DRAFT
	IngresosEstimados money.Decimal // sum of total over ISSUED invoices
}

// Add returns f + g.
func (f Figures) Add(g Figures) Figures {
	return Figures{
		ClientesActivos:   f.ClientesActivos + g.ClientesActivos,
		FacturasEmitidas:  f.FacturasEmitidas + g.FacturasEmitidas,
		FacturasBorrador:  f.FacturasBorrador + g.FacturasBorrador,
		IngresosEstimados: f.IngresosEstimados.Add(g.IngresosEstimados),
	}
}

// IsZero reports whether f changes nothing.
func (f Figures) IsZero() bool {
	return f.ClientesActivos == 0 && f.FacturasEmitidas == 0 && f.FacturasBorrador == 0 && f.IngresosEstimados.Sign() == 0
}

// Equal compares figures by value (12.50 equals 12.5).
func (f Figures) Equal(g Figures) bool {
	return f.ClientesActivos == g.ClientesActivos && f.FacturasEmitidas == g.FacturasEmitidas &&
		f.FacturasBorrador == g.FacturasBorrador && f.IngresosEstimados.Cmp(g.IngresosEstimados) == 0
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

// InvoiceChange is how an invoice of the given total going from one status
// to another changes the figures; "" stands for "does not exist" (creation).
func InvoiceChange(from, to InvoiceStatus, total money.Decimal) Figures {
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
