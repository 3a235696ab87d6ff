package dian

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"billing/internal/billing"
	"billing/internal/money"
)

// ErrNotElectronic is InvoiceXML's answer for a Document that is not an
// electronic invoice (no numbering resolution or no Stamp): a plain printed
// invoice has no XML.
var ErrNotElectronic = errors.New("not an electronic invoice (no numbering resolution or no stamp)")

// ErrIncomplete is InvoiceXML's answer for an electronic Document that lacks
// something DIAN requires (a resolution's dates, the seller's DANE code, …):
// what issued it should have refused it. The wrapping error says what.
var ErrIncomplete = errors.New("electronic invoice incomplete")

// xmlDeclaration opens every document.
const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n"

// The fixed values of a sale invoice (FISCAL.md §5).
const (
	ublVersion            = "UBL 2.1"
	customizationStandard = "10" // standard sale, referencing no other document
	profileInvoice        = "DIAN 2.1: Factura Electrónica de Venta"
	invoiceTypeSale       = "01"
	uuidSchemeCUFE        = "CUFE-SHA384"
	currencyCOP           = "COP"
	unitCodeUnit          = "94" // UN/ECE rec. 20: "unidad"
)

// payment is a PaymentMeans: the form (ID: 1 contado, 2 crédito) and the
// means code (10 efectivo, 42 consignación, …).
type payment struct{ form, means string }

// defaultPayment is what every invoice declares until invoices carry
// payment terms (a later change): paid on delivery (contado), in cash
// (efectivo). The one place to change it.
var defaultPayment = payment{form: "1", means: "10"}

// baseQuantity is Price/BaseQuantity: PriceAmount is the line's unit price
// (ValorUnitario), so the quantity it prices is one unit, whatever the
// line's quantity.
const baseQuantity = "1.00"

// hundredth turns a percentage into a factor.
var hundredth = money.New(1, -2)

// InvoiceXML renders an issued electronic invoice (doc.Electronic() true;
// ErrNotElectronic otherwise) as a UBL 2.1 Invoice with DIAN's extensions,
// without the signature's extension: an unsigned document validates against
// the OASIS schemas, and the signer adds its UBLExtension to these bytes.
// The result starts with the XML declaration (standalone="no") and a
// newline, and is deterministic: the same Document gives the same bytes.
//
// Amounts carry exactly 2 decimals and currencyID="COP". The document's
// TaxTotal is the ledger's per-group figure (one TaxTotal per scheme, one
// TaxSubtotal per rate); a line's TaxTotal is informative, its own
// round_half_up(Subtotal × rate / 100, 2), and may differ by a cent from its
// share of the group. An excluded line has no TaxTotal, and a document whose
// lines are all excluded has no document TaxTotal.
func InvoiceXML(doc billing.Document) ([]byte, error) {
	if !doc.Electronic() {
		return nil, fmt.Errorf("rendering invoice %q: %w", doc.Invoice.Numero, ErrNotElectronic)
	}
	v, err := buildInvoice(doc)
	if err != nil {
		return nil, fmt.Errorf("rendering invoice %q: %w", doc.Invoice.Numero, err)
	}
	var buf bytes.Buffer
	buf.Grow(4096 + 1024*len(doc.Invoice.Lines))
	buf.WriteString(xmlDeclaration)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("rendering invoice %q: encoding XML: %w", doc.Invoice.Numero, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("rendering invoice %q: encoding XML: %w", doc.Invoice.Numero, err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// buildInvoice maps the Document to the UBL structure, refusing what DIAN
// would refuse for lack of data.
func buildInvoice(doc billing.Document) (*invoiceDoc, error) {
	inv, res, stamp := doc.Invoice, doc.Resolution, doc.Invoice.Stamp
	if err := checkComplete(doc); err != nil {
		return nil, err
	}
	supplier, err := supplierParty(doc.Seller, res.Prefijo)
	if err != nil {
		return nil, err
	}
	customer, err := customerParty(doc.Invoice.Customer)
	if err != nil {
		return nil, err
	}
	dv, _ := billing.NITCheckDigit(doc.Seller.Nit) // supplierParty checked it
	ambiente := doc.Seller.Ambiente.Code()
	return &invoiceDoc{
		Xmlns: nsInvoice, XmlnsCAC: nsCAC, XmlnsCBC: nsCBC, XmlnsEXT: nsEXT, XmlnsSTS: nsSTS,
		XmlnsDS: nsDS, XmlnsXAdES: nsXAdES,
		Dian: dianExtensions{
			Control: invoiceControl{
				InvoiceAuthorization: *res.NumeroResolucion,
				StartDate:            res.VigenciaDesde.String(),
				EndDate:              res.VigenciaHasta.String(),
				Prefix:               res.Prefijo,
				From:                 res.Desde,
				To:                   res.Hasta,
			},
			Source: code{
				ListAgencyID:   "6",
				ListAgencyName: "United Nations Economic Commission for Europe",
				ListSchemeURI:  "urn:oasis:names:specification:ubl:codelist:gc:CountryIdentificationCode-2.1",
				Value:          countryCO,
			},
			ProviderID:              dianID(doc.Seller.Nit, billing.IDNIT, digit(dv)),
			SoftwareID:              identifier{SchemeAgencyID: dianAgencyID, SchemeAgencyName: dianAgencyName, Value: doc.Seller.SoftwareID},
			SoftwareSecurityCode:    identifier{SchemeAgencyID: dianAgencyID, SchemeAgencyName: dianAgencyName, Value: doc.SoftwareSecurityCode},
			AuthorizationProviderID: dianID(dianNIT, billing.IDNIT, dianNITCheckDigit),
			QRCode:                  doc.QRURL,
		},
		UBLVersionID:         ublVersion,
		CustomizationID:      customizationStandard,
		ProfileID:            profileInvoice,
		ProfileExecutionID:   ambiente,
		ID:                   inv.Numero,
		UUID:                 identifier{SchemeID: ambiente, SchemeName: uuidSchemeCUFE, Value: stamp.CUFE},
		IssueDate:            stamp.IssueDate,
		IssueTime:            stamp.IssueTime,
		InvoiceTypeCode:      invoiceTypeSale,
		DocumentCurrencyCode: currencyCOP,
		LineCountNumeric:     len(inv.Lines),
		Supplier:             supplier,
		Customer:             customer,
		PaymentMeans:         paymentMeans{ID: defaultPayment.form, PaymentMeansCode: defaultPayment.means},
		TaxTotals:            documentTaxTotals(inv.Taxes),
		MonetaryTotal:        monetaryTotals(inv),
		Lines:                invoiceLines(inv.Lines),
	}, nil
}

// checkComplete names everything an electronic invoice needs that doc
// lacks, in one error.
func checkComplete(doc billing.Document) error {
	inv, res, stamp := doc.Invoice, doc.Resolution, doc.Invoice.Stamp
	var missing []string
	need := func(ok bool, what string) {
		if !ok {
			missing = append(missing, what)
		}
	}
	need(inv.Numero != "", "the number")
	need(stamp.CUFE != "", "the stamp's CUFE")
	need(stamp.IssueDate != "" && stamp.IssueTime != "", "the stamp's issue date and time")
	need(res.NumeroResolucion != nil && *res.NumeroResolucion != "", "the resolution's number")
	need(res.VigenciaDesde != nil && !res.VigenciaDesde.IsZero() && res.VigenciaHasta != nil && !res.VigenciaHasta.IsZero(),
		"the resolution's validity dates")
	need(doc.Seller.SoftwareID != "", "the seller's software ID")
	need(doc.SoftwareSecurityCode != "", "the software security code")
	need(doc.QRURL != "", "the QR URL")
	need(len(inv.Lines) > 0, "lines") // the schema requires one InvoiceLine at least
	if len(missing) > 0 {
		return fmt.Errorf("%w: no %s", ErrIncomplete, strings.Join(missing, ", no "))
	}
	return nil
}

// documentTaxTotals is one TaxTotal per scheme present in groups, in the
// groups' order (billing sorts them by scheme, then rate), with one
// TaxSubtotal per group; nil when no line is taxed.
func documentTaxTotals(groups []billing.TaxGroup) []taxTotal {
	var totals []taxTotal
	var sums []money.Decimal
	for _, g := range groups {
		s := schemeOf(g.Tributo)
		i := len(totals) - 1
		// A scheme's groups are adjacent when sorted; search all the same, so
		// an unsorted slice cannot split a scheme into two TaxTotals.
		for i >= 0 && totals[i].Subtotals[0].Category.TaxScheme.ID != string(s) {
			i--
		}
		if i < 0 {
			totals = append(totals, taxTotal{})
			sums = append(sums, zero)
			i = len(totals) - 1
		}
		totals[i].Subtotals = append(totals[i].Subtotals, subtotal(g.Base, g.Valor, g.Tarifa, s))
		sums[i] = sums[i].Add(g.Valor)
	}
	for i := range totals {
		totals[i].TaxAmount = cop(sums[i])
	}
	return totals
}

func subtotal(base, tax, rate money.Decimal, s billing.TaxScheme) taxSubtotal {
	return taxSubtotal{
		TaxableAmount: cop(base),
		TaxAmount:     cop(tax),
		Category: taxCategory{
			Percent:   rate.RoundCents().String(),
			TaxScheme: taxScheme{ID: string(s), Name: s.Name()},
		},
	}
}

// monetaryTotals is LegalMonetaryTotal: TaxExclusiveAmount is the sum of
// the taxable bases (excluded lines are in none), TaxInclusiveAmount
// Subtotal + Impuestos. There are no allowances or charges yet.
func monetaryTotals(inv billing.Invoice) monetaryTotal {
	bases := zero
	for _, g := range inv.Taxes {
		bases = bases.Add(g.Base)
	}
	return monetaryTotal{
		LineExtensionAmount: cop(inv.Subtotal),
		TaxExclusiveAmount:  cop(bases),
		TaxInclusiveAmount:  cop(inv.Subtotal.Add(inv.Impuestos)),
		PayableAmount:       cop(inv.Total),
	}
}

// invoiceLines numbers the lines from 1. The quantity is written as stored
// (3 decimals; the schema's QuantityType is any xsd:decimal).
func invoiceLines(lines []billing.InvoiceLine) []invoiceLine {
	out := make([]invoiceLine, len(lines))
	for i, l := range lines {
		out[i] = invoiceLine{
			ID:                  i + 1,
			InvoicedQuantity:    quantity{UnitCode: unitCodeUnit, Value: l.Cantidad.String()},
			LineExtensionAmount: cop(l.Subtotal),
			Description:         l.Descripcion,
			PriceAmount:         cop(l.ValorUnitario),
			BaseQuantity:        quantity{UnitCode: unitCodeUnit, Value: baseQuantity},
		}
		if l.Tratamiento == billing.Excluido {
			continue // outside the tax: no TaxTotal at all (FISCAL.md §2)
		}
		// Informative: the document's TaxTotal holds the per-group figure.
		tax := l.Subtotal.Mul(l.Impuesto).Mul(hundredth).RoundCents()
		out[i].TaxTotal = &taxTotal{
			TaxAmount: cop(tax),
			Subtotals: []taxSubtotal{subtotal(l.Subtotal, tax, l.Impuesto, schemeOf(l.Tributo))},
		}
	}
	return out
}
