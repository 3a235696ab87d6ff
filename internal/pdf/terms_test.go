package pdf

import (
	"strings"
	"testing"

	"billing/internal/billing"
	"billing/internal/money"
)

// creditTerms are 30 days' credit by bank transfer, due 2027-01-01.
func creditTerms(t testing.TB) func(*billing.Invoice) {
	t.Helper()
	return func(inv *billing.Invoice) {
		inv.Terms = billing.PaymentTerms{Forma: billing.Credito, DiasCredito: 30, MedioPago: "47"}
		inv.FechaVencimiento = ptr(billing.NewDate(2027, 1, 1))
	}
}

// discountedSchool is the school's electronic invoice with a discount on
// each line (20 000 off the tuition, 10 % off the uniforms), a document
// discount for early payment and a charge, terms set by with:
// 250 000 + 72 000 before tax, 13 680 of IVA, 335 680 − 5 000 + 3 000.
func discountedSchool(t testing.TB, with func(*billing.Invoice)) billing.Document {
	t.Helper()
	doc := discounted(t, electronicDoc(t, schoolLines), schoolLines,
		[]lineDiscount{{amount: "20000"}, {percent: "10"}},
		[]billing.Adjustment{adjustment("Descuento por pronto pago", "5000")},
		[]billing.Adjustment{adjustment("Seguro estudiantil", "3000")})
	if with != nil {
		with(&doc.Invoice)
	}
	return doc
}

// TestInvoicePaymentTerms reads the printed payment terms back with
// pdftotext: forma de pago with the credit days, medio de pago by name and
// code, and the due date only when the invoice has one. A document stored
// before invoices carried terms prints DIAN's default, cash.
func TestInvoicePaymentTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		terms   billing.PaymentTerms
		due     *billing.Date
		want    []string
		notWant []string
	}{
		{
			name:    "stored before terms: cash",
			want:    []string{"Forma de pago: Contado", "Medio de pago: Efectivo (10)"},
			notWant: []string{"Crédito", "vencimiento"},
		},
		{
			name:  "credit, 30 days, bank transfer",
			terms: billing.PaymentTerms{Forma: billing.Credito, DiasCredito: 30, MedioPago: "47"},
			due:   ptr(billing.NewDate(2027, 1, 1)),
			want: []string{"Forma de pago: Crédito a 30 días", "Medio de pago: Transferencia débito bancaria (47)",
				"Fecha de vencimiento: 2027-01-01"},
			notWant: []string{"Contado", "Efectivo"},
		},
		{
			name:  "credit, one day, credit card",
			terms: billing.PaymentTerms{Forma: billing.Credito, DiasCredito: 1, MedioPago: "48"},
			due:   ptr(billing.NewDate(2026, 12, 3)),
			want: []string{"Forma de pago: Crédito a 1 día", "Medio de pago: Tarjeta crédito (48)",
				"Fecha de vencimiento: 2026-12-03"},
		},
		{
			name:  "cash by cheque, due on the issue date",
			terms: billing.PaymentTerms{Forma: billing.Contado, MedioPago: "20"},
			due:   ptr(billing.NewDate(2026, 12, 2)),
			want:  []string{"Forma de pago: Contado", "Medio de pago: Cheque (20)", "Fecha de vencimiento: 2026-12-02"},
		},
		{
			name:    "half-filled: the means alone",
			terms:   billing.PaymentTerms{MedioPago: "ZZZ"},
			want:    []string{"Forma de pago: Contado", "Medio de pago: Otro (ZZZ)"},
			notWant: []string{"vencimiento"},
		},
		{
			name:  "a code outside DIAN's list prints alone",
			terms: billing.PaymentTerms{Forma: billing.Credito, DiasCredito: 60, MedioPago: "71"},
			want:  []string{"Forma de pago: Crédito a 60 días", "Medio de pago: 71"},
		},
	}
	for _, tt := range tests {
		for _, kind := range []string{"electronic", "plain"} {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				t.Parallel()
				doc := electronicDoc(t, schoolLines)
				if kind == "plain" {
					doc = plainDoc(t, schoolLines)
				}
				doc.Invoice.Terms, doc.Invoice.FechaVencimiento = tt.terms, tt.due
				// A long medio de pago wraps in its column: read in drawing order.
				checkText(t, rawText(t, render(t, doc)), tt.want, nil, tt.notWant)
			})
		}
	}
}

// TestInvoiceDiscounts reads discounted invoices back with pdftotext: a line
// with a discount shows its gross value, the discount (its percentage when
// it was one) and the net subtotal; the totals show the document-level
// discounts and charges with their conceptos before "Total a pagar". An
// invoice without any keeps the table and totals it always printed, and so
// does one stored before discounts existed (zero-valued amounts).
func TestInvoiceDiscounts(t *testing.T) {
	t.Parallel()
	lineOnly := discounted(t, plainDoc(t, schoolLines), schoolLines, []lineDiscount{{}, {percent: "12.5"}}, nil, nil)
	chargeOnly := discounted(t, plainDoc(t, schoolLines), schoolLines, nil, nil,
		[]billing.Adjustment{adjustment("Propina voluntaria", "10000"), adjustment("Domicilio", "2500")})
	stored := plainDoc(t, schoolLines)
	for i := range stored.Invoice.Lines {
		l := &stored.Invoice.Lines[i]
		l.ValorBruto, l.ValorDescuento, l.Descuento = money.Decimal{}, money.Decimal{}, nil
	}
	stored.Invoice.TotalDescuentos, stored.Invoice.TotalCargos = money.Decimal{}, money.Decimal{}
	oldGross := plainDoc(t, schoolLines)
	oldGross = discounted(t, oldGross, schoolLines, []lineDiscount{{}, {amount: "1000"}}, nil, nil)
	oldGross.Invoice.Lines[1].ValorBruto = money.Decimal{} // a row written before gross values were kept
	tests := []struct {
		name    string
		doc     billing.Document
		want    []string
		order   []string // in this order in the text
		notWant []string
	}{
		{
			name: "line and document discounts, a charge",
			doc:  discountedSchool(t, creditTerms(t)),
			want: []string{
				"Valor bruto", "Descuento",
				"270.000,00 20.000,00 Excluido 250.000,00",
				"40.000,00 80.000,00 8.000,00 IVA 19 % 72.000,00", "(10 %)",
				"IVA 19 % 72.000,00 13.680,00",
				"Subtotal $ 322.000,00", "Impuestos $ 13.680,00",
				"Descuentos -$ 5.000,00", "Descuento por pronto pago -5.000,00",
				"Cargos $ 3.000,00", "Seguro estudiantil 3.000,00",
				"Total a pagar $ 333.680,00",
				"Forma de pago: Crédito a 30 días", "Fecha de vencimiento: 2027-01-01",
			},
			order: []string{"Impuestos $", "Descuentos -$", "Descuento por pronto pago", "Cargos $", "Seguro estudiantil", "Total a pagar $"},
		},
		{
			name:    "a percentage on one line only",
			doc:     lineOnly,
			want:    []string{"Valor bruto", "270.000,00 270.000,00 — Excluido 270.000,00", "80.000,00 10.000,00", "(12,5 %)", "70.000,00", "Total $ 353.300,00"},
			notWant: []string{"Total a pagar", "Descuentos", "Cargos"},
		},
		{
			name:    "charges only",
			doc:     chargeOnly,
			want:    []string{"Cargos $ 12.500,00", "Propina voluntaria 10.000,00", "Domicilio 2.500,00", "Total a pagar $ 377.700,00"},
			order:   []string{"Cargos $", "Propina voluntaria", "Domicilio", "Total a pagar $"},
			notWant: []string{"Descuentos", "Valor bruto"},
		},
		{
			name:    "no discounts: the table as always",
			doc:     plainDoc(t, schoolLines),
			want:    []string{"Valor unitario Impuesto Subtotal", "Total $ 365.200,00"},
			notWant: []string{"Valor bruto", "Descuento", "Cargos", "Total a pagar"},
		},
		{
			name:    "stored before discounts existed",
			doc:     stored,
			want:    []string{"Valor unitario Impuesto Subtotal", "80.000,00", "Total $ 365.200,00"},
			notWant: []string{"Valor bruto", "Descuento", "Cargos", "Total a pagar"},
		},
		{
			name: "a discounted line without its gross value",
			doc:  oldGross,
			want: []string{"40.000,00 80.000,00 1.000,00 IVA 19 % 79.000,00"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := text(t, render(t, tt.doc))
			checkText(t, got, tt.want, nil, tt.notWant)
			flatGot, at := flat(got), 0
			for _, w := range tt.order {
				i := strings.Index(flatGot[at:], w)
				if i < 0 {
					t.Errorf("text lacks %q after the rows before it", w)
					break
				}
				at += i + len(w)
			}
		})
	}
}

// checkText checks pdftotext's text: each of want in it, white space made
// single spaces; each of raw in it as it comes (on one line); none of
// notWant anywhere, case-insensitively. It logs the text when one fails.
func checkText(t *testing.T, got string, want, raw, notWant []string) {
	t.Helper()
	flatGot, lowerGot := flat(got), strings.ToLower(got)
	for _, w := range want {
		if !strings.Contains(flatGot, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	for _, w := range raw {
		if !strings.Contains(got, w) {
			t.Errorf("text lacks %q on one line", w)
		}
	}
	for _, w := range notWant {
		if strings.Contains(lowerGot, strings.ToLower(w)) {
			t.Errorf("text has %q", w)
		}
	}
	if t.Failed() {
		t.Logf("pdftotext -layout:\n%s", got)
	}
}
