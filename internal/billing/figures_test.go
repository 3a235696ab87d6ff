package billing

import (
	"testing"

	"billing/internal/money"
)

func TestInvoiceChange(t *testing.T) {
	total := money.Must("1172150.00")
	tests := []struct {
		from, to           InvoiceStatus
		emitidas, borrador int64
		ingresos           string
	}{
		{"", InvoiceDraft, 0, 1, "0"},
		{InvoiceDraft, InvoiceIssued, 1, -1, "1172150.00"},
		{InvoiceDraft, InvoiceCancelled, 0, -1, "0"},
		{InvoiceIssued, InvoiceCancelled, -1, 0, "-1172150.00"},
	}
	for _, tt := range tests {
		f := InvoiceChange(tt.from, tt.to, Invoice{Total: total})
		if f.FacturasEmitidas != tt.emitidas || f.FacturasBorrador != tt.borrador || f.IngresosEstimados.Cmp(money.Must(tt.ingresos)) != 0 || f.ClientesActivos != 0 {
			t.Errorf("%s→%s: %+v", tt.from, tt.to, f)
		}
	}
}

func TestCustomerChange(t *testing.T) {
	tests := []struct {
		from, to CustomerStatus
		want     int64
	}{
		{"", "ACTIVE", 1}, {"ACTIVE", "INACTIVE", -1}, {"INACTIVE", "ACTIVE", 1},
		{"ACTIVE", "", -1}, {"INACTIVE", "", 0}, {"ACTIVE", "ACTIVE", 0},
	}
	for _, tt := range tests {
		if f := CustomerChange(tt.from, tt.to); f.ClientesActivos != tt.want || f.IngresosEstimados.Sign() != 0 {
			t.Errorf("%q→%q: %+v", tt.from, tt.to, f)
		}
	}
}
