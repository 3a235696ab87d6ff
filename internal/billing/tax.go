package billing

import (
	"billing/internal/fault"
	"billing/internal/money"
)

// TaxScheme is the DIAN tax a line is under (TaxScheme/ID): IVA or INC.
type TaxScheme string

// The tax schemes a line may carry.
const (
	SchemeIVA TaxScheme = "01"
	SchemeINC TaxScheme = "04"
)

// Name is DIAN's TaxScheme/Name.
func (s TaxScheme) Name() string {
	if s == SchemeINC {
		return "INC"
	}
	return "IVA"
}

// TaxTreatment is how a line stands to its tax scheme.
type TaxTreatment string

// The treatments. EXENTO is taxed at 0 % and reported; EXCLUIDO is outside
// the tax: no tax subtotal at all (education, Estatuto Tributario art. 476).
const (
	Gravado  TaxTreatment = "GRAVADO"
	Exento   TaxTreatment = "EXENTO"
	Excluido TaxTreatment = "EXCLUIDO"
)

// zeroRate is the only rate of an exempt or excluded line.
var zeroRate = money.New(0, -2)

// ResolveTax settles a line's or a product's scheme, treatment and rate from
// what was sent (nil: not sent) and what it inherits (a product's, or the
// defaults: IVA, GRAVADO, DefaultTaxRate). An exempt or excluded treatment
// means rate 0: sent with it, or inherited with it, any other rate is refused
// (field names the rate). The rate comes back at the column's scale.
func ResolveTax(field string, scheme *TaxScheme, treatment *TaxTreatment, rate *money.Decimal,
	inherited TaxScheme, inheritedTreatment TaxTreatment, inheritedRate money.Decimal) (TaxScheme, TaxTreatment, money.Decimal, error) {
	s, t, r := inherited, inheritedTreatment, inheritedRate
	if scheme != nil {
		s = *scheme
	}
	if treatment != nil {
		t = *treatment
		switch {
		case t != Gravado && rate == nil:
			r = zeroRate // "EXCLUIDO" alone needs no "impuesto": 0
		case t == Gravado && rate == nil && inheritedTreatment != Gravado:
			// Taxing what was exempt or excluded: its 0 would stand silently.
			return "", "", money.Decimal{}, fault.InvalidRequest(fault.FieldError{Field: field,
				Message: "is required when tratamiento becomes GRAVADO"})
		}
	}
	if rate != nil {
		r = *rate
	}
	if t != Gravado && r.Sign() != 0 {
		return "", "", money.Decimal{}, fault.InvalidRequest(fault.FieldError{Field: field,
			Message: "must be 0 for an " + string(t) + " line or product (tratamiento " + string(t) + " means no tax)"})
	}
	return s, t, r.Rescale(2), nil
}
