package pdf

import "billing/internal/billing"

// paymentTerms is how an invoice is paid, as the buyer block prints it:
// DIAN's forma de pago (cash or credit) and medio de pago (code list 3.4.4,
// the code in parentheses).
type paymentTerms struct {
	Forma string
	Medio string
}

// cashPayment is the one place that fixes every invoice's payment until
// invoices carry payment terms (a later issue): paid at once, in cash.
var cashPayment = paymentTerms{Forma: "Contado", Medio: "Efectivo (10)"}

// paymentOf is the payment terms of doc; the later issue reads them from the
// document here, and nothing else changes.
func paymentOf(billing.Document) paymentTerms { return cashPayment }
