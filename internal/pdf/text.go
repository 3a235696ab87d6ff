package pdf

import (
	"strconv"
	"strings"

	"billing/internal/billing"
	"billing/internal/money"
)

// amount writes a money amount the Colombian way, with dots between
// thousands and a decimal comma, always with 2 decimals: 365.200,00.
func amount(d money.Decimal) string {
	return localized(d.RoundCents().String())
}

// figure writes a quantity or a rate without trailing zeros (1.000 is 1,
// 2.500 is 2,5, 19.00 is 19), the Colombian way.
func figure(d money.Decimal) string {
	return localized(d.Key())
}

// localized rewrites a plain decimal literal ("-1234567.5") with grouped
// thousands and a decimal comma ("-1.234.567,5").
func localized(lit string) string {
	sign := ""
	if strings.HasPrefix(lit, "-") {
		sign, lit = "-", lit[1:]
	}
	whole, frac, hasFrac := strings.Cut(lit, ".")
	var b strings.Builder
	b.Grow(len(sign) + len(lit) + len(lit)/3)
	b.WriteString(sign)
	for i := 0; i < len(whole); i++ {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(whole[i])
	}
	if hasFrac {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// percent writes a tax rate: "19 %".
func percent(rate money.Decimal) string { return figure(rate) + " %" }

// lineTax is what a line's tax column shows: the scheme and rate of a taxed
// line, or the treatment of one that is not (an exempt line is taxed at 0 %
// and reported, an excluded one is outside the tax: FISCAL.md §2).
func lineTax(l billing.InvoiceLine) string { return taxText(l.Tratamiento, l.Tributo, l.Impuesto) }

// taxText is the tax column of a line of any document: lineTax's text for a
// treatment, scheme and rate.
func taxText(t billing.TaxTreatment, s billing.TaxScheme, rate money.Decimal) string {
	switch t {
	case billing.Excluido:
		return "Excluido"
	case billing.Exento:
		return "Exento"
	}
	return scheme(s).Name() + " " + percent(rate)
}

// scheme is s with the calculator's default: "" is IVA.
func scheme(s billing.TaxScheme) billing.TaxScheme {
	if s == "" {
		return billing.SchemeIVA
	}
	return s
}

// withDV writes a NIT with its check digit, "900123456-8"; a number that
// has none (not all digits) is written as it is.
func withDV(nit string) string {
	if d, ok := billing.NITCheckDigit(nit); ok {
		return nit + "-" + strconv.Itoa(d)
	}
	return nit
}

// idTypeNames are DIAN's identification types (FISCAL.md §1), as a buyer
// recognises them.
var idTypeNames = map[string]string{
	"11": "Registro civil",
	"12": "Tarjeta de identidad",
	"13": "Cédula de ciudadanía",
	"21": "Tarjeta de extranjería",
	"22": "Cédula de extranjería",
	"31": "NIT",
	"41": "Pasaporte",
	"42": "Documento de identificación extranjero",
	"47": "PEP",
	"48": "PPT",
	"50": "NIT de otro país",
	"91": "NUIP",
}

// identification writes a buyer's identification: the type's name (or its
// code, for one this table lacks) and the number, with the check digit for a
// NIT (type 31). The consumidor final says so.
func identification(c billing.Customer) string {
	number := c.Nit
	if c.TipoIdentificacion == billing.IDNIT {
		number = withDV(c.Nit)
	}
	kind, ok := idTypeNames[c.TipoIdentificacion]
	switch {
	case c.Nit == billing.ConsumidorFinal:
		return "Consumidor final " + number
	case ok:
		return kind + " " + number
	case c.TipoIdentificacion != "":
		return "Identificación tipo " + c.TipoIdentificacion + " " + number
	}
	return "NIT/CC " + number
}

// responsibilityNames are DIAN's fiscal responsibilities (TaxLevelCode,
// FISCAL.md §1); a code this table lacks is printed alone.
var responsibilityNames = map[string]string{
	"O-13":    "Gran contribuyente",
	"O-15":    "Autorretenedor",
	"O-23":    "Agente de retención IVA",
	"O-47":    "Régimen simple de tributación",
	"R-99-PN": "No aplica – otros",
}

// responsibilities writes a party's fiscal responsibilities, codes with
// their names: "O-13 Gran contribuyente; R-99-PN No aplica – otros".
func responsibilities(codes []string) string {
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		if name, ok := responsibilityNames[c]; ok {
			c += " " + name
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, "; ")
}

// partyScheme writes a party's tax scheme, code and name: "ZZ No aplica".
func partyScheme(code string) string {
	if name, ok := billing.PartySchemeName(code); ok {
		return code + " " + name
	}
	return code
}

// join writes the non-empty parts separated by sep.
func join(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// deref is *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// dateText writes an optional resolution date; a missing one shows as a
// dash rather than an empty gap in the authorisation sentence.
func dateText(d *billing.Date) string {
	if d == nil || d.IsZero() {
		return "—"
	}
	return d.String()
}

// orDash is s, or a dash for an empty s.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
