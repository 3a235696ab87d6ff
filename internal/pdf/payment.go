package pdf

import (
	"strconv"

	"billing/internal/billing"
)

// paymentTerms is how an invoice is paid, as the buyer block prints it:
// DIAN's forma de pago (cash, or credit with its days), medio de pago (code
// list 3.4.4, the code in parentheses) and the due date ("" for none).
type paymentTerms struct {
	Forma       string
	Medio       string
	Vencimiento string
}

// paymentOf is the payment terms of doc. A document stored before invoices
// carried terms has zero Terms, which mean billing.DefaultPaymentTerms; each
// part falls back on its own, so that a half-filled old row still prints
// terms that are true of it rather than an empty "Medio de pago:".
func paymentOf(doc billing.Document) paymentTerms {
	t := doc.Invoice.Terms
	if t.Forma == "" {
		t.Forma = billing.DefaultPaymentTerms.Forma
	}
	if t.MedioPago == "" {
		t.MedioPago = billing.DefaultPaymentTerms.MedioPago
	}
	p := paymentTerms{Forma: "Contado", Medio: paymentMeans(t.MedioPago)}
	// Any other form is cash, as PaymentForm.Code reads it for the XML: the
	// printed terms must not disagree with the electronic ones.
	if t.Forma == billing.Credito {
		p.Forma = creditTerm(t.DiasCredito)
	}
	if d := doc.Invoice.FechaVencimiento; d != nil && !d.IsZero() {
		p.Vencimiento = d.String()
	}
	return p
}

// creditTerm writes a credit's forma de pago: "Crédito a 30 días".
func creditTerm(days int) string {
	switch {
	case days <= 0: // never valid; print no invented term
		return "Crédito"
	case days == 1:
		return "Crédito a 1 día"
	}
	return "Crédito a " + strconv.Itoa(days) + " días"
}

// paymentMeans writes a payment means code with its name, "Transferencia
// débito bancaria (47)"; a code outside DIAN's list is printed alone.
func paymentMeans(code string) string {
	if name, ok := billing.PaymentMeansName(code); ok {
		return name + " (" + code + ")"
	}
	return code
}

// lines are the terms as the buyer block's right column prints them.
func (p paymentTerms) lines() []string {
	out := []string{"Forma de pago: " + p.Forma, "Medio de pago: " + p.Medio}
	if p.Vencimiento != "" {
		out = append(out, "Fecha de vencimiento: "+p.Vencimiento)
	}
	return append(out, currencyLine)
}

// currencyLine names the one currency every document is in.
const currencyLine = "Moneda: COP (peso colombiano)"
