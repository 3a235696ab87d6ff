package dian

import (
	"crypto/sha512"
	"encoding/hex"
	"strings"

	"billing/internal/billing"
	"billing/internal/money"
)

// The tax scheme codes that enter the CUFE, always in this order
// (FISCAL.md §4): IVA, INC, ICA.
const (
	codeIVA = "01"
	codeINC = "04"
	codeICA = "03"
)

// CUFEFields are the CUFE/CUDE inputs of FISCAL.md §4, amounts as decimals
// (formatted truncated to exactly 2 decimals by String).
type CUFEFields struct {
	NumFac, FecFac, HorFac                 string
	ValFac, ValIVA, ValINC, ValICA, ValTot money.Decimal
	NitOFE, NumAdq, Key, TipoAmbiente      string // Key: technical key (CUFE) or software PIN (CUDE); TipoAmbiente "1"|"2"
}

// String is the exact concatenation that is hashed: NumFac, FecFac, HorFac,
// ValFac, "01", ValIVA, "04", ValINC, "03", ValICA, ValTot, NitOFE, NumAdq,
// Key, TipoAmbiente. Amounts are truncated, not rounded, to two decimals:
// DIAN rejects a CUFE computed from rounded amounts (rule FAD06).
func (f CUFEFields) String() string {
	var b strings.Builder
	b.Grow(256)
	for _, s := range [...]string{
		f.NumFac, f.FecFac, f.HorFac,
		cents(f.ValFac),
		codeIVA, cents(f.ValIVA),
		codeINC, cents(f.ValINC),
		codeICA, cents(f.ValICA),
		cents(f.ValTot),
		f.NitOFE, f.NumAdq, f.Key, f.TipoAmbiente,
	} {
		b.WriteString(s)
	}
	return b.String()
}

// CUFE is the lowercase hex SHA-384 of f.String(): the CUFE of an invoice
// when f.Key is the range's technical key, the CUDE of a note when it is the
// software PIN.
func CUFE(f CUFEFields) string { return sha384Hex(f.String()) }

// SoftwareSecurityCode is SHA-384(softwareID + pin + numero) in lowercase
// hex, the sts:SoftwareSecurityCode of a document numbered numero.
func SoftwareSecurityCode(softwareID, pin, numero string) string {
	return sha384Hex(softwareID + pin + numero)
}

// InvoiceCUFEFields takes the CUFE inputs from an issued Document: NumFac =
// doc.Invoice.Numero, FecFac/HorFac = doc.Invoice.Stamp.IssueDate/IssueTime
// (empty while there is no Stamp), ValFac = Subtotal, ValIVA = sum of the
// tax groups under IVA (01), ValINC = sum under INC (04), ValICA 0 (the
// ledger has no ICA), ValTot = Total (PayableAmount: after the
// document-level discounts and charges), NitOFE = doc.Seller.Nit, NumAdq =
// doc.Invoice.Customer.Nit, TipoAmbiente = doc.Seller.Ambiente.Code(), Key =
// claveTecnica.
//
// These are the figures InvoiceXML writes, so the CUFE recomputed from the
// XML's own elements is the same.
func InvoiceCUFEFields(doc billing.Document, claveTecnica string) CUFEFields {
	inv := doc.Invoice
	f := CUFEFields{
		NumFac:       inv.Numero,
		ValFac:       inv.Subtotal,
		ValIVA:       taxSum(inv.Taxes, billing.SchemeIVA),
		ValINC:       taxSum(inv.Taxes, billing.SchemeINC),
		ValICA:       zero,
		ValTot:       inv.Total,
		NitOFE:       doc.Seller.Nit,
		NumAdq:       doc.Invoice.Customer.Nit,
		Key:          claveTecnica,
		TipoAmbiente: doc.Seller.Ambiente.Code(),
	}
	if inv.Stamp != nil {
		f.FecFac, f.HorFac = inv.Stamp.IssueDate, inv.Stamp.IssueTime
	}
	return f
}

// zero is 0.00, the value of a tax that is absent.
var zero = money.New(0, -2)

// schemeOf is a group's or line's scheme; "" is IVA, as in
// billing.ComputeTotals.
func schemeOf(s billing.TaxScheme) billing.TaxScheme {
	if s == "" {
		return billing.SchemeIVA
	}
	return s
}

// taxSum adds the Valor of the groups under scheme.
func taxSum(groups []billing.TaxGroup, scheme billing.TaxScheme) money.Decimal {
	sum := zero
	for _, g := range groups {
		if schemeOf(g.Tributo) == scheme {
			sum = sum.Add(g.Valor)
		}
	}
	return sum
}

// cents writes an amount with exactly two decimals, truncated as the CUFE
// takes it. Every amount of the XML and the QR is written this way too, so
// the document, its QR and its CUFE can never disagree, even on a value
// with more decimals than the ledger stores.
func cents(d money.Decimal) string { return d.TruncCents().String() }

func sha384Hex(s string) string {
	sum := sha512.Sum384([]byte(s))
	return hex.EncodeToString(sum[:])
}
