package billing

import (
	"fmt"
	"sort"

	"billing/internal/fault"
	"billing/internal/money"
)

// Line is what the calculator needs of an invoice line. A line discount is
// a percentage (Descuento) or an amount (DescuentoValor), never both.
type Line struct {
	Cantidad       money.Decimal
	ValorUnitario  money.Decimal
	Impuesto       money.Decimal  // the line's tax rate, a percentage
	Tributo        TaxScheme      // "" is IVA
	Tratamiento    TaxTreatment   // "" is GRAVADO
	Descuento      *money.Decimal // a percentage of the gross value, at most 2 decimals
	DescuentoValor *money.Decimal // an amount, at most the gross value
}

// TaxGroup is the tax of all lines that share one scheme and rate, as DIAN's
// tax subtotals are: Valor = round_half_up(Base × Tarifa / 100, 2). Excluded
// lines belong to no group.
type TaxGroup struct {
	Tributo TaxScheme
	Tarifa  money.Decimal
	Base    money.Decimal
	Valor   money.Decimal
}

// Totals is the calculator's answer.
type Totals struct {
	LineGross       []money.Decimal // one per line, in order: round_half_up(cantidad × valorUnitario, 2)
	LineDiscounts   []money.Decimal // one per line: the line discount's amount
	LineSubtotals   []money.Decimal // one per line: gross − discount, the line's taxable base
	Subtotal        money.Decimal   // sum of line subtotals (DIAN's LineExtensionAmount)
	Impuestos       money.Decimal   // sum of the groups' Valor
	TotalDescuentos money.Decimal   // sum of the document-level discounts
	TotalCargos     money.Decimal   // sum of the document-level charges
	Total           money.Decimal   // Subtotal + Impuestos − TotalDescuentos + TotalCargos (PayableAmount)
	Taxes           []TaxGroup      // one per distinct (scheme, rate), by scheme then ascending rate
}

var hundredth = money.Must("0.01")

// ComputeTotals applies the totals rule to validated lines and the
// document-level discounts and charges (amounts outside every tax base):
//
//   - line valorBruto = round_half_up(cantidad × valorUnitario, 2);
//   - line valorDescuento = descuentoValor, or round_half_up(valorBruto × descuento / 100, 2),
//     or 0; it may not exceed valorBruto;
//   - line subtotal = valorBruto − valorDescuento: the line's taxable base;
//   - per tax scheme and rate, tax = round_half_up(sum of those lines' subtotals × rate / 100, 2);
//     an excluded line (EXCLUIDO) is outside every tax and in no group;
//   - subtotal = sum of line subtotals; impuestos = sum of the per-rate taxes;
//   - totalDescuentos, totalCargos = the sums of the document-level amounts;
//   - total = subtotal + impuestos − totalDescuentos + totalCargos, never negative.
//
// Without discounts or charges this is the seed's rule. It is pure and
// exact: no float64, and rounding only where the rule says.
func ComputeTotals(lines []Line, descuentos, cargos []money.Decimal) (Totals, error) {
	t := Totals{LineGross: make([]money.Decimal, len(lines)), LineDiscounts: make([]money.Decimal, len(lines)),
		LineSubtotals: make([]money.Decimal, len(lines)), Subtotal: money.New(0, -2)}
	bases := map[string]*TaxGroup{}
	for i, l := range lines {
		gross := l.Cantidad.Mul(l.ValorUnitario).RoundCents()
		if gross.Cmp(maxAmount) > 0 {
			return Totals{}, lineTooLarge(i)
		}
		discount := money.New(0, -2)
		switch {
		case l.DescuentoValor != nil:
			discount = l.DescuentoValor.Rescale(2)
		case l.Descuento != nil:
			discount = gross.Mul(*l.Descuento).Mul(hundredth).RoundCents()
		}
		if discount.Cmp(gross) > 0 {
			return Totals{}, fault.InvalidRequest(fault.FieldError{Field: fmt.Sprintf("items.%d.descuentoValor", i),
				Message: "must not exceed the line's gross value (cantidad × valorUnitario = " + gross.String() + ")"})
		}
		sub := gross.Sub(discount)
		t.LineGross[i], t.LineDiscounts[i], t.LineSubtotals[i] = gross, discount, sub
		t.Subtotal = t.Subtotal.Add(sub)
		if l.Tratamiento == Excluido {
			continue
		}
		scheme := l.Tributo
		if scheme == "" {
			scheme = SchemeIVA
		}
		key := string(scheme) + "/" + l.Impuesto.Key()
		g, ok := bases[key]
		if !ok {
			g = &TaxGroup{Tributo: scheme, Tarifa: l.Impuesto, Base: money.New(0, -2)}
			bases[key] = g
		}
		g.Base = g.Base.Add(sub)
	}
	t.Taxes = make([]TaxGroup, 0, len(bases))
	t.Impuestos = money.New(0, -2)
	for _, g := range bases {
		// rate / 100 is exact: a rate has at most 2 decimals.
		g.Valor = g.Base.Mul(g.Tarifa).Mul(hundredth).RoundCents()
		t.Impuestos = t.Impuestos.Add(g.Valor)
		t.Taxes = append(t.Taxes, *g)
	}
	sort.Slice(t.Taxes, func(i, j int) bool {
		if t.Taxes[i].Tributo != t.Taxes[j].Tributo {
			return t.Taxes[i].Tributo < t.Taxes[j].Tributo
		}
		return t.Taxes[i].Tarifa.Cmp(t.Taxes[j].Tarifa) < 0
	})
	t.TotalDescuentos, t.TotalCargos = sum(descuentos), sum(cargos)
	t.Total = t.Subtotal.Add(t.Impuestos).Sub(t.TotalDescuentos).Add(t.TotalCargos)
	if t.Total.Cmp(maxAmount) > 0 || t.TotalCargos.Cmp(maxAmount) > 0 || t.TotalDescuentos.Cmp(maxAmount) > 0 {
		return Totals{}, fault.ErrAmountTooLarge
	}
	if t.Total.Sign() < 0 {
		return Totals{}, fault.Invalid("discounts_exceed_total", "The document-level discounts exceed the invoice's value.",
			fault.FieldError{Field: "descuentos", Message: "add up to more than subtotal + impuestos + cargos (" +
				t.Subtotal.Add(t.Impuestos).Add(t.TotalCargos).String() + ")"})
	}
	return t, nil
}

// sum adds amounts at cents.
func sum(amounts []money.Decimal) money.Decimal {
	s := money.New(0, -2)
	for _, a := range amounts {
		s = s.Add(a)
	}
	return s.Rescale(2)
}

func lineTooLarge(i int) *fault.Error {
	return fault.Invalid(fault.ErrAmountTooLarge.Code, fault.ErrAmountTooLarge.Detail,
		fault.FieldError{Field: fmt.Sprintf("items.%d", i), Message: "cantidad × valorUnitario is too large"})
}
