package billing

import "testing"

func TestInvoiceChange(t *testing.T) {
	total := MustDecimal("1172150.00")
	tests := []struct {
		from, to           Status
		emitidas, borrador int64
		ingresos           string
	}{
		{"", StatusDraft, 0, 1, "0"},
		{StatusDraft, StatusIssued, 1, -1, "1172150.00"},
		{StatusDraft, StatusCancelled, 0, -1, "0"},
		{StatusIssued, StatusCancelled, -1, 0, "-1172150.00"},
	}
	for _, tt := range tests {
		f := InvoiceChange(tt.from, tt.to, total)
		if f.FacturasEmitidas != tt.emitidas || f.FacturasBorrador != tt.borrador || f.IngresosEstimados.Cmp(MustDecimal(tt.ingresos)) != 0 || f.ClientesActivos != 0 {
			t.Errorf("%s→%s: %+v", tt.from, tt.to, f)
		}
	}
}

func TestCustomerChange(t *testing.T) {
	tests := []struct {
		from, to string
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
