package dian

import (
	"strings"

	"billing/internal/billing"
	"billing/internal/money"
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
	return qrText([...]qrLine{
		{"NumFac", inv.Numero},
		{"FecFac", date},
		{"HorFac", hour},
		{"NitFac", doc.Seller.Nit},
		{"DocAdq", doc.Invoice.Customer.Nit},
		{"ValFac", cents(inv.Subtotal)},
		{"ValIva", cents(taxSum(inv.Taxes, billing.SchemeIVA))},
		{"ValOtroIm", cents(otherTaxes(inv.Taxes))},
		{"ValTolFac", cents(inv.Total)},
		{"CUFE", cufe},
		{"QRCode", QRURL(cufe, doc.Seller.Ambiente)},
	})
}

// CreditNoteQRText is a credit note's printed QR text. FISCAL.md §6 gives
// the invoice's shape only, so a note has that shape with its own figures
// and its CUDE under the key CUDE: NumFac (the note's number), FecFac,
// HorFac, NitFac, DocAdq, ValFac (the note's Subtotal), ValIva, ValOtroIm
// (from the note's tax groups), ValTolFac (its Total), CUDE, QRCode (the
// lookup URL of the CUDE).
func CreditNoteQRText(doc billing.CreditNoteDocument) string {
	n := doc.Note
	return qrText([...]qrLine{
		{"NumFac", n.Numero},
		{"FecFac", n.IssueDate},
		{"HorFac", n.IssueTime},
		{"NitFac", doc.Seller.Nit},
		{"DocAdq", doc.Buyer.Nit},
		{"ValFac", cents(n.Subtotal)},
		{"ValIva", cents(taxSum(n.Taxes, billing.SchemeIVA))},
		{"ValOtroIm", cents(otherTaxes(n.Taxes))},
		{"ValTolFac", cents(n.Total)},
		{"CUDE", n.CUDE},
		{"QRCode", QRURL(n.CUDE, doc.Seller.Ambiente)},
	})
}

// qrLine is one "Key: value" line of a QR text.
type qrLine struct{ key, value string }

func qrText(lines [11]qrLine) string {
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

// otherTaxes adds the Valor of the groups that are not IVA (ValOtroIm).
func otherTaxes(groups []billing.TaxGroup) money.Decimal {
	other := zero
	for _, g := range groups {
		if schemeOf(g.Tributo) != billing.SchemeIVA {
			other = other.Add(g.Valor)
		}
	}
	return other
}
