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

// ErrIncomplete is InvoiceXML's and CreditNoteXML's answer for an electronic
// document that lacks something DIAN requires (a resolution's dates, the
// seller's DANE code, a note's CUDE, …): what issued it should have refused
// it. The wrapping error says what.
var ErrIncomplete = errors.New("electronic document incomplete")

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
//
// PaymentMeans carries the invoice's terms (form 1 contado / 2 crédito, the
// means code) and, with DueDate, its FechaVencimiento when it has one (an
// invoice on credit must). A line discount is the line's AllowanceCharge,
// its LineExtensionAmount the net Subtotal; the document-level charges and
// discounts are AllowanceCharges outside every tax base, summed in
// LegalMonetaryTotal's ChargeTotalAmount and AllowanceTotalAmount, and
// PayableAmount is the Total they move.
func InvoiceXML(doc billing.Document) ([]byte, error) {
	if !doc.Electronic() {
		return nil, fmt.Errorf("rendering invoice %q: %w", doc.Invoice.Numero, ErrNotElectronic)
	}
	v, err := buildInvoice(doc)
	if err != nil {
		return nil, fmt.Errorf("rendering invoice %q: %w", doc.Invoice.Numero, err)
	}
	out, err := encodeDocument(v, len(doc.Invoice.Lines))
	if err != nil {
		return nil, fmt.Errorf("rendering invoice %q: %w", doc.Invoice.Numero, err)
	}
	return out, nil
}

// encodeDocument writes the declaration, v indented by one space, and a
// final newline: the one layout of every document, so that the same value
// always gives the same bytes.
func encodeDocument(v any, lines int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(4096 + 1024*lines)
	buf.WriteString(xmlDeclaration)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding XML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding XML: %w", err)
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
	ambiente := doc.Seller.Ambiente.Code()
	terms := termsOf(inv)
	means := paymentMeans{ID: terms.Forma.Code(), PaymentMeansCode: terms.MedioPago}
	var due string
	if inv.FechaVencimiento != nil && !inv.FechaVencimiento.IsZero() {
		due = inv.FechaVencimiento.String()
		means.PaymentDueDate = due
	}
	control := &invoiceControl{
		InvoiceAuthorization: *res.NumeroResolucion,
		StartDate:            res.VigenciaDesde.String(),
		EndDate:              res.VigenciaHasta.String(),
		Prefix:               res.Prefijo,
		From:                 res.Desde,
		To:                   res.Hasta,
	}
	return &invoiceDoc{
		Xmlns: nsInvoice, XmlnsCAC: nsCAC, XmlnsCBC: nsCBC, XmlnsEXT: nsEXT, XmlnsSTS: nsSTS,
		XmlnsDS: nsDS, XmlnsXAdES: nsXAdES,
		Dian:                 dianExtensionsOf(doc.Seller, control, doc.SoftwareSecurityCode, doc.QRURL),
		UBLVersionID:         ublVersion,
		CustomizationID:      customizationStandard,
		ProfileID:            profileInvoice,
		ProfileExecutionID:   ambiente,
		ID:                   inv.Numero,
		UUID:                 identifier{SchemeID: ambiente, SchemeName: uuidSchemeCUFE, Value: stamp.CUFE},
		IssueDate:            stamp.IssueDate,
		IssueTime:            stamp.IssueTime,
		DueDate:              due,
		InvoiceTypeCode:      invoiceTypeSale,
		DocumentCurrencyCode: currencyCOP,
		LineCountNumeric:     len(inv.Lines),
		Supplier:             supplier,
		Customer:             customer,
		PaymentMeans:         means,
		AllowanceCharges:     documentAllowances(inv.Subtotal, inv.Cargos, inv.Descuentos),
		TaxTotals:            documentTaxTotals(inv.Taxes),
		MonetaryTotal:        monetaryTotals(inv.Subtotal, inv.Impuestos, inv.TotalDescuentos, inv.TotalCargos, inv.Total, inv.Taxes),
		Lines:                invoiceLines(inv.Lines),
	}, nil
}

// dianExtensionsOf is sts:DianExtensions: control is the invoice's
// numbering authorisation (nil for a note, which has none).
func dianExtensionsOf(s billing.FiscalProfile, control *invoiceControl, securityCode, qrURL string) dianExtensions {
	dv, _ := billing.NITCheckDigit(s.Nit) // supplierParty checked it
	return dianExtensions{
		Control: control,
		Source: code{
			ListAgencyID:   "6",
			ListAgencyName: "United Nations Economic Commission for Europe",
			ListSchemeURI:  "urn:oasis:names:specification:ubl:codelist:gc:CountryIdentificationCode-2.1",
			Value:          countryCO,
		},
		ProviderID:              dianID(s.Nit, billing.IDNIT, digit(dv)),
		SoftwareID:              identifier{SchemeAgencyID: dianAgencyID, SchemeAgencyName: dianAgencyName, Value: s.SoftwareID},
		SoftwareSecurityCode:    identifier{SchemeAgencyID: dianAgencyID, SchemeAgencyName: dianAgencyName, Value: securityCode},
		AuthorizationProviderID: dianID(dianNIT, billing.IDNIT, dianNITCheckDigit),
		QRCode:                  qrURL,
	}
}

// termsOf is the invoice's payment terms: billing.DefaultPaymentTerms for
// an invoice stored before terms existed (zero Terms), and cash for terms
// that name no means.
func termsOf(inv billing.Invoice) billing.PaymentTerms {
	t := inv.Terms
	if t == (billing.PaymentTerms{}) {
		return billing.DefaultPaymentTerms
	}
	if t.MedioPago == "" {
		t.MedioPago = billing.DefaultPaymentMeans
	}
	return t
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
	// Crédito needs PaymentDueDate (FISCAL.md §5); issuing fixes it.
	need(termsOf(inv).Forma != billing.Credito || (inv.FechaVencimiento != nil && !inv.FechaVencimiento.IsZero()),
		"due date of an invoice on credit")
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
// subtotal + impuestos, AllowanceTotalAmount and ChargeTotalAmount the
// document-level discounts and charges (written always, 0.00 when none: a
// document stored before them has zero values), PayableAmount the total.
func monetaryTotals(subtotal, impuestos, descuentos, cargos, total money.Decimal, taxes []billing.TaxGroup) monetaryTotal {
	bases := zero
	for _, g := range taxes {
		bases = bases.Add(g.Base)
	}
	return monetaryTotal{
		LineExtensionAmount:  cop(subtotal),
		TaxExclusiveAmount:   cop(bases),
		TaxInclusiveAmount:   cop(subtotal.Add(impuestos)),
		AllowanceTotalAmount: cop(descuentos),
		ChargeTotalAmount:    cop(cargos),
		PayableAmount:        cop(total),
	}
}

// documentAllowances are the document-level AllowanceCharges: each charge
// (ChargeIndicator true), then each discount, numbered from 1, each over
// the document's subtotal as BaseAmount (they change no tax base, FISCAL.md
// §2) with the percentage of it they are.
func documentAllowances(subtotal money.Decimal, cargos, descuentos []billing.Adjustment) []allowanceCharge {
	var out []allowanceCharge
	add := func(charge bool, adjustments []billing.Adjustment) {
		for _, a := range adjustments {
			out = append(out, allowanceCharge{
				ID:                      len(out) + 1,
				ChargeIndicator:         charge,
				AllowanceChargeReason:   a.Concepto,
				MultiplierFactorNumeric: percentOf(a.Valor, subtotal),
				Amount:                  cop(a.Valor),
				BaseAmount:              cop(subtotal),
			})
		}
	}
	add(true, cargos)
	add(false, descuentos)
	return out
}

// percentOf is part as a percentage of whole, rounded half up to 2
// decimals; 0.00 when whole is 0 (a document whose lines are all
// discounted away).
func percentOf(part, whole money.Decimal) string {
	if whole.Sign() == 0 {
		return zero.String()
	}
	return part.MulDivCents(hundred, whole).String()
}

var hundred = money.New(100, 0)

// lineDiscountReason is a line AllowanceCharge's reason.
const lineDiscountReason = "Descuento"

// lineDiscount is the line's AllowanceCharge, nil without a discount (an
// unset or zero ValorDescuento, as on lines stored before discounts): the
// percentage it was written with, or for an amount the percentage of the
// gross value it is. A line stored without its gross value has it back as
// Subtotal + ValorDescuento.
func lineDiscount(l billing.InvoiceLine) *allowanceCharge {
	if l.ValorDescuento.Sign() <= 0 {
		return nil
	}
	gross := l.ValorBruto
	if gross.Sign() == 0 {
		gross = l.Subtotal.Add(l.ValorDescuento)
	}
	factor := percentOf(l.ValorDescuento, gross)
	if l.Descuento != nil {
		factor = l.Descuento.RoundCents().String()
	}
	return &allowanceCharge{
		ID:                      1,
		ChargeIndicator:         false,
		AllowanceChargeReason:   lineDiscountReason,
		MultiplierFactorNumeric: factor,
		Amount:                  cop(l.ValorDescuento),
		BaseAmount:              cop(gross),
	}
}

// invoiceLines numbers the lines from 1. The quantity is written as stored
// (3 decimals; the schema's QuantityType is any xsd:decimal).
// LineExtensionAmount is the net Subtotal, the line's taxable base: a
// discount shows in the line's AllowanceCharge, already taken off.
func invoiceLines(lines []billing.InvoiceLine) []invoiceLine {
	out := make([]invoiceLine, len(lines))
	for i, l := range lines {
		out[i] = invoiceLine{
			ID:                  i + 1,
			InvoicedQuantity:    quantity{UnitCode: unitCodeUnit, Value: l.Cantidad.String()},
			LineExtensionAmount: cop(l.Subtotal),
			AllowanceCharge:     lineDiscount(l),
			TaxTotal:            lineTaxTotal(l.Subtotal, l.Impuesto, l.Tributo, l.Tratamiento),
			Description:         l.Descripcion,
			PriceAmount:         cop(l.ValorUnitario),
			BaseQuantity:        quantity{UnitCode: unitCodeUnit, Value: baseQuantity},
		}
	}
	return out
}

// lineTaxTotal is a line's informative TaxTotal, its own round_half_up(base
// × rate / 100, 2) (the document's TaxTotal holds the per-group figure);
// nil for an excluded line, which is outside the tax altogether (FISCAL.md
// §2).
func lineTaxTotal(base, rate money.Decimal, s billing.TaxScheme, t billing.TaxTreatment) *taxTotal {
	if t == billing.Excluido {
		return nil
	}
	tax := base.Mul(rate).Mul(hundredth).RoundCents()
	return &taxTotal{
		TaxAmount: cop(tax),
		Subtotals: []taxSubtotal{subtotal(base, tax, rate, schemeOf(s))},
	}
}
