package dian

import (
	"strings"

	"billing/internal/billing"
)

// DIAN's document lookup pages (FISCAL.md §6): production, and the test
// environment (habilitación).
const (
	qrBaseProduction = "https://catalogo-vpfe.dian.gov.co/document/searchqr?documentkey="
	qrBaseTest       = "https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey="
)

// QRURL is DIAN's lookup address of the document with this CUFE (or CUDE)
// in environment a: catalogo-vpfe for production, catalogo-vpfe-hab for
// PRUEBAS (and, like Ambiente.Code, anything that is not production). It is
// the XML's sts:QRCode and the QR text's last line.
func QRURL(cufe string, a billing.Ambiente) string {
	if a == billing.AmbienteProduccion {
		return qrBaseProduction + cufe
	}
	return qrBaseTest + cufe
}

// QRText is the printed QR's text of FISCAL.md §6: lines "Key: value"
// joined by "\n", in the order NumFac, FecFac, HorFac, NitFac, DocAdq,
// ValFac, ValIva, ValOtroIm, ValTolFac, CUFE, QRCode. Amounts have 2
// decimals (truncated, as in the CUFE); ValOtroIm is the sum of the taxes
// that are not IVA. doc.Invoice.Stamp holds the date, time and CUFE; without
// a Stamp those lines are empty.
func QRText(doc billing.Document) string {
	inv := doc.Invoice
	var date, hour, cufe string
	if inv.Stamp != nil {
		date, hour, cufe = inv.Stamp.IssueDate, inv.Stamp.IssueTime, inv.Stamp.CUFE
	}
	iva := taxSum(inv.Taxes, billing.SchemeIVA)
	other := zero
	for _, g := range inv.Taxes {
		if schemeOf(g.Tributo) != billing.SchemeIVA {
			other = other.Add(g.Valor)
		}
	}
	lines := [...]struct {
		key, value string
	}{
		{"NumFac", inv.Numero},
		{"FecFac", date},
		{"HorFac", hour},
		{"NitFac", doc.Seller.Nit},
		{"DocAdq", doc.Invoice.Customer.Nit},
		{"ValFac", cents(inv.Subtotal)},
		{"ValIva", cents(iva)},
		{"ValOtroIm", cents(other)},
		{"ValTolFac", cents(inv.Total)},
		{"CUFE", cufe},
		{"QRCode", QRURL(cufe, doc.Seller.Ambiente)},
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.key)
		b.WriteString(": ")
		b.WriteString(l.value)
	}
	return b.String()
}
