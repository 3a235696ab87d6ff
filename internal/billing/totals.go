package billing

import (
	"fmt"
	"sort"

	"billing/internal/fault"
	"billing/internal/money"
)

// Line is what the calculator needs of an invoice line.
type Line struct {
	Cantidad      money.Decimal
	ValorUnitario money.Decimal
	Impuesto      money.Decimal // the line's tax rate, a percentage
	Tributo       TaxScheme     // "" is IVA
	Tratamiento   TaxTreatment  // "" is GRAVADO
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
	LineSubtotals []money.Decimal // one per line, in order
	Subtotal      money.Decimal   // sum of line subtotals
	Impuestos     money.Decimal   // sum of the groups' Valor
	Total         money.Decimal   // Subtotal + Impuestos
	Taxes         []TaxGroup      // one per distinct (scheme, rate), by scheme then ascending rate
}

var hundredth = money.Must("0.01")

// ComputeTotals applies the totals rule to validated lines:
//
//   - line subtotal = cantidad × valorUnitario, rounded half-up to 2 decimals;
//   - per tax scheme and rate, tax = round_half_up(sum of those lines' subtotals × rate / 100, 2);
//     an excluded line (EXCLUIDO) is outside every tax and in no group;
//   - impuestos = sum of the per-rate taxes; total = subtotal + impuestos.
//
// It is pure and exact: no float64, and rounding only where the rule says.
func ComputeTotals(lines []Line) (Totals, error) {
	t := Totals{LineSubtotals: make([]money.Decimal, len(lines)), Subtotal: money.New(0, -2)}
	bases := map[string]*TaxGroup{}
	for i, l := range lines {
		sub := l.Cantidad.Mul(l.ValorUnitario).RoundCents()
		if sub.Cmp(maxAmount) > 0 {
			return Totals{}, lineTooLarge(i)
		}
		t.LineSubtotals[i] = sub
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
	t.Total = t.Subtotal.Add(t.Impuestos)
	if t.Total.Cmp(maxAmount) > 0 {
		return Totals{}, fault.ErrAmountTooLarge
	}
	return t, nil
}

func lineTooLarge(i int) *fault.Error {
	return fault.Invalid(fault.ErrAmountTooLarge.Code, fault.ErrAmountTooLarge.Detail,
		fault.FieldError{Field: fmt.Sprintf("items.%d", i), Message: "cantidad × valorUnitario is too large"})
}
