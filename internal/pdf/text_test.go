package pdf

import (
	"testing"

	"billing/internal/billing"
	"billing/internal/money"
)

func TestAmount(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"0", "0,00"},
		{"5", "5,00"},
		{"999.99", "999,99"},
		{"1000", "1.000,00"},
		{"365200.00", "365.200,00"},
		{"1234567.891", "1.234.567,89"},
		{"9999999999999999.99", "9.999.999.999.999.999,99"},
		{"-15200.5", "-15.200,50"},
	}
	for _, tt := range tests {
		if got := amount(money.Must(tt.in)); got != tt.want {
			t.Errorf("amount(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFigure(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"1.000", "1"},
		{"2.500", "2,5"},
		{"0.125", "0,125"},
		{"19.00", "19"},
		{"100", "100"},
		{"1500.000", "1.500"},
	}
	for _, tt := range tests {
		if got := figure(money.Must(tt.in)); got != tt.want {
			t.Errorf("figure(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLineTax(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line billing.InvoiceLine
		want string
	}{
		{"IVA 19", billing.InvoiceLine{Impuesto: money.Must("19.00"), Tributo: billing.SchemeIVA, Tratamiento: billing.Gravado}, "IVA 19 %"},
		{"IVA 5 by default", billing.InvoiceLine{Impuesto: money.Must("5.00")}, "IVA 5 %"},
		{"INC 8", billing.InvoiceLine{Impuesto: money.Must("8.00"), Tributo: billing.SchemeINC, Tratamiento: billing.Gravado}, "INC 8 %"},
		{"exento", billing.InvoiceLine{Impuesto: money.Must("0.00"), Tratamiento: billing.Exento}, "Exento"},
		{"excluido", billing.InvoiceLine{Impuesto: money.Must("0.00"), Tratamiento: billing.Excluido}, "Excluido"},
	}
	for _, tt := range tests {
		if got := lineTax(tt.line); got != tt.want {
			t.Errorf("%s: lineTax = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIdentification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    billing.Customer
		want string
	}{
		{"cédula", billing.Customer{Nit: "1020304050", TipoIdentificacion: "13"}, "Cédula de ciudadanía 1020304050"},
		{"NIT with DV", billing.Customer{Nit: "800197268", TipoIdentificacion: "31"}, "NIT 800197268-4"},
		{"passport", billing.Customer{Nit: "AB123C", TipoIdentificacion: "41"}, "Pasaporte AB123C"},
		{"unknown type", billing.Customer{Nit: "123", TipoIdentificacion: "99"}, "Identificación tipo 99 123"},
		{"no type", billing.Customer{Nit: "123456"}, "NIT/CC 123456"},
		{"consumidor final", billing.Customer{Nit: billing.ConsumidorFinal, TipoIdentificacion: "13"}, "Consumidor final 222222222222"},
	}
	for _, tt := range tests {
		if got := identification(tt.c); got != tt.want {
			t.Errorf("%s: identification = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSellerTexts(t *testing.T) {
	t.Parallel()
	if got, want := responsibilities([]string{"O-13", "O-23", "X-1"}), "O-13 Gran contribuyente; O-23 Agente de retención IVA; X-1"; got != want {
		t.Errorf("responsibilities = %q, want %q", got, want)
	}
	if got, want := partyScheme("ZZ"), "ZZ No aplica"; got != want {
		t.Errorf("partyScheme = %q, want %q", got, want)
	}
	if got, want := partyScheme("QQ"), "QQ"; got != want {
		t.Errorf("partyScheme = %q, want %q", got, want)
	}
	r := &billing.NumberingResolution{Prefijo: "SETP", Desde: 1, Hasta: 5}
	if got, want := authorisation(r), "Numeración autorizada: Resolución DIAN No. — del —, prefijo SETP, rango 1 a 5, vigente del — al —."; got != want {
		t.Errorf("authorisation = %q, want %q", got, want)
	}
}
