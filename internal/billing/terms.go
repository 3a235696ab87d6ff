package billing

import (
	"fmt"

	"billing/internal/fault"
)

// PaymentForm is how an invoice is to be paid: at once or on credit (DIAN's
// PaymentMeans/ID 1 and 2).
type PaymentForm string

// The payment forms.
const (
	Contado PaymentForm = "CONTADO"
	Credito PaymentForm = "CREDITO"
)

// Code is DIAN's PaymentMeans/ID: 1 contado, 2 crédito.
func (f PaymentForm) Code() string {
	if f == Credito {
		return "2"
	}
	return "1"
}

// MaxCreditDays bounds diasCredito.
const MaxCreditDays = 365

// DefaultPaymentMeans is cash (efectivo), the means of an invoice that
// names none.
const DefaultPaymentMeans = "10"

// paymentMeans are DIAN's payment means codes the ledger accepts (FISCAL.md
// §5), with their names for the printed invoice.
var paymentMeans = map[string]string{
	"10":  "Efectivo",
	"20":  "Cheque",
	"42":  "Consignación bancaria",
	"47":  "Transferencia débito bancaria",
	"48":  "Tarjeta crédito",
	"49":  "Tarjeta débito",
	"ZZZ": "Otro",
}

// PaymentMeansName is the name of a payment means code; ok is false for a
// code outside the list.
func PaymentMeansName(code string) (name string, ok bool) {
	name, ok = paymentMeans[code]
	return name, ok
}

// CheckPaymentMeans refuses a code outside DIAN's list, naming field.
func CheckPaymentMeans(field, code string) *fault.FieldError {
	if _, ok := paymentMeans[code]; !ok {
		return &fault.FieldError{Field: field, Message: "must be a DIAN payment means code (10, 20, 42, 47, 48, 49, ZZZ)"}
	}
	return nil
}

// PaymentTerms are an invoice's payment terms.
type PaymentTerms struct {
	Forma       PaymentForm
	DiasCredito int    // 1 to MaxCreditDays on credit; 0 for CONTADO
	MedioPago   string // DIAN payment means code
}

// DefaultPaymentTerms are an invoice's terms when it names none: paid at
// once, in cash.
var DefaultPaymentTerms = PaymentTerms{Forma: Contado, MedioPago: DefaultPaymentMeans}

// ResolveTerms settles an invoice's terms from what was sent (nil: not
// sent): CONTADO by default, CREDITO needs diasCredito (1–365) and CONTADO
// refuses it; medioPago defaults to cash.
func ResolveTerms(forma *PaymentForm, dias *int, medio *string) (PaymentTerms, error) {
	t := DefaultPaymentTerms
	if forma != nil {
		t.Forma = *forma
	}
	if medio != nil {
		t.MedioPago = *medio
	}
	var checks []*fault.FieldError
	switch {
	case t.Forma == Credito && dias == nil:
		checks = append(checks, &fault.FieldError{Field: "diasCredito", Message: "is required when formaPago is CREDITO"})
	case t.Forma == Credito && (*dias < 1 || *dias > MaxCreditDays):
		checks = append(checks, &fault.FieldError{Field: "diasCredito", Message: fmt.Sprintf("must be between 1 and %d", MaxCreditDays)})
	case t.Forma == Credito:
		t.DiasCredito = *dias
	case dias != nil:
		checks = append(checks, &fault.FieldError{Field: "diasCredito", Message: "is only allowed when formaPago is CREDITO"})
	}
	checks = append(checks, CheckPaymentMeans("medioPago", t.MedioPago))
	if err := fault.Fields(checks...); err != nil {
		return PaymentTerms{}, err
	}
	return t, nil
}

// DueDate is when an invoice issued on issue falls due: that day for
// CONTADO, DiasCredito days later on credit.
func (t PaymentTerms) DueDate(issue Date) Date { return issue.AddDays(t.DiasCredito) }
