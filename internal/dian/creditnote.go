package dian

import (
	"fmt"
	"strconv"
	"strings"

	"billing/internal/billing"
)

// The fixed values of a credit note (FISCAL.md §5).
const (
	// customizationReferenced is a note that references an invoice, as every
	// note the ledger issues does (ComputeCredit works on one invoice).
	customizationReferenced = "20"
	profileCreditNote       = "DIAN 2.1: Nota Crédito de Factura Electrónica de Venta"
	creditNoteTypeCode      = "91"
	uuidSchemeCUDE          = "CUDE-SHA384"
	// valueOnlyQuantity is the CreditedQuantity of a line that credits an
	// amount and no units: the schema requires a quantity, and one "unit"
	// priced at the credited amount keeps quantity × price = the line value.
	valueOnlyQuantity = "1.000"
)

// notePayment is every credit note's PaymentMeans: contado (1), efectivo
// (10), as DIAN's own samples write it. FISCAL.md gives no rule for notes,
// and a note does not carry its invoice's terms: the value it credits is
// given back (or taken off what is owed) at once.
var notePayment = paymentMeans{ID: billing.Contado.Code(), PaymentMeansCode: billing.DefaultPaymentMeans}

// The AllowanceChargeReason of a note's document-level amounts: the
// invoice's discounts and charges, taken back whole by the note that closes
// it (billing.ComputeCredit), one amount each.
const (
	noteDiscountsReason = "Descuentos de la factura"
	noteChargesReason   = "Cargos de la factura"
)

// CreditNoteXML renders an issued credit note as a UBL 2.1 CreditNote with
// DIAN's extensions (no InvoiceControl: notes have no DIAN range), under the
// conventions of InvoiceXML: no signature extension, the XML declaration and
// a newline first, the customary prefixes declared on the root with the
// signature's namespaces, exactly 2 decimals and currencyID="COP" on every
// amount, and the same bytes for the same document.
//
// The note references its invoice twice, as DIAN requires: in
// DiscrepancyResponse (the invoice number, the concept and the motivo, or
// the concept's name when there is none) and in
// BillingReference/InvoiceDocumentReference (number, CUFE, issue date). Its
// TaxTotal is the note's own per-group figure (doc.Note.Taxes); a line's is
// informative, as on the invoice. A line that credits units has them as
// CreditedQuantity and the invoice line's unit price; a value-only line
// (Cantidad 0, concepts 3–6) credits one unit priced at the credited value.
// A note that closes its invoice takes back the invoice's document-level
// discounts and charges: one AllowanceCharge each, when non-zero.
//
// A document that lacks something DIAN requires is refused with an error
// wrapping ErrIncomplete.
func CreditNoteXML(doc billing.CreditNoteDocument) ([]byte, error) {
	v, err := buildCreditNote(doc)
	if err != nil {
		return nil, fmt.Errorf("rendering credit note %q: %w", doc.Note.Numero, err)
	}
	out, err := encodeDocument(v, len(doc.Note.Lines))
	if err != nil {
		return nil, fmt.Errorf("rendering credit note %q: %w", doc.Note.Numero, err)
	}
	return out, nil
}

// buildCreditNote maps the note to the UBL structure, refusing what DIAN
// would refuse for lack of data.
func buildCreditNote(doc billing.CreditNoteDocument) (*creditNoteDoc, error) {
	n := doc.Note
	if err := checkNoteComplete(doc); err != nil {
		return nil, err
	}
	supplier, err := supplierParty(doc.Seller, doc.Resolution.Prefijo)
	if err != nil {
		return nil, err
	}
	customer, err := customerParty(doc.Buyer)
	if err != nil {
		return nil, err
	}
	ambiente := doc.Seller.Ambiente.Code()
	description := strings.TrimSpace(n.Motivo)
	if description == "" {
		description = n.Concepto.Name()
	}
	return &creditNoteDoc{
		Xmlns: nsCreditNote, XmlnsCAC: nsCAC, XmlnsCBC: nsCBC, XmlnsEXT: nsEXT, XmlnsSTS: nsSTS,
		XmlnsDS: nsDS, XmlnsXAdES: nsXAdES,
		Dian:                 dianExtensionsOf(doc.Seller, nil, doc.SoftwareSecurityCode, doc.QRURL),
		UBLVersionID:         ublVersion,
		CustomizationID:      customizationReferenced,
		ProfileID:            profileCreditNote,
		ProfileExecutionID:   ambiente,
		ID:                   n.Numero,
		UUID:                 identifier{SchemeID: ambiente, SchemeName: uuidSchemeCUDE, Value: n.CUDE},
		IssueDate:            n.IssueDate,
		IssueTime:            n.IssueTime,
		CreditNoteTypeCode:   creditNoteTypeCode,
		Note:                 strings.TrimSpace(n.Motivo),
		DocumentCurrencyCode: currencyCOP,
		LineCountNumeric:     len(n.Lines),
		DiscrepancyResponse: discrepancyResponse{
			ReferenceID:  doc.Invoice.Numero,
			ResponseCode: strconv.Itoa(int(n.Concepto)),
			Description:  description,
		},
		InvoiceReference: documentReference{
			ID:        doc.Invoice.Numero,
			UUID:      identifier{SchemeName: uuidSchemeCUFE, Value: doc.Invoice.CUFE},
			IssueDate: doc.Invoice.IssueDate,
		},
		Supplier:         supplier,
		Customer:         customer,
		PaymentMeans:     notePayment,
		AllowanceCharges: noteAllowances(n.Credit),
		TaxTotals:        documentTaxTotals(n.Taxes),
		MonetaryTotal:    monetaryTotals(n.Subtotal, n.Impuestos, n.TotalDescuentos, n.TotalCargos, n.Total, n.Taxes),
		Lines:            creditNoteLines(n.Lines),
	}, nil
}

// checkNoteComplete names everything an electronic credit note needs that
// doc lacks, in one error.
func checkNoteComplete(doc billing.CreditNoteDocument) error {
	n, inv := doc.Note, doc.Invoice
	var missing []string
	need := func(ok bool, what string) {
		if !ok {
			missing = append(missing, what)
		}
	}
	need(n.Numero != "", "the number")
	need(n.CUDE != "", "the CUDE")
	need(n.IssueDate != "" && n.IssueTime != "", "the issue date and time")
	need(n.Concepto.Name() != "", "DIAN concept (1 to 6)")
	need(inv.Numero != "" && inv.CUFE != "" && inv.IssueDate != "", "the referenced invoice's number, CUFE and issue date")
	need(doc.Seller.SoftwareID != "", "the seller's software ID")
	need(doc.SoftwareSecurityCode != "", "the software security code")
	need(doc.QRURL != "", "the QR URL")
	need(len(n.Lines) > 0, "lines") // the schema requires one CreditNoteLine at least
	if len(missing) > 0 {
		return fmt.Errorf("%w: no %s", ErrIncomplete, strings.Join(missing, ", no "))
	}
	return nil
}

// noteAllowances are a note's document-level AllowanceCharges: the charges
// it takes back, then the discounts, each one amount over the note's
// subtotal; none for a note that does not close its invoice (both zero, or
// unset on a note stored before them).
func noteAllowances(c billing.Credit) []allowanceCharge {
	var cargos, descuentos []billing.Adjustment
	if c.TotalCargos.Sign() != 0 {
		cargos = []billing.Adjustment{{Concepto: noteChargesReason, Valor: c.TotalCargos}}
	}
	if c.TotalDescuentos.Sign() != 0 {
		descuentos = []billing.Adjustment{{Concepto: noteDiscountsReason, Valor: c.TotalDescuentos}}
	}
	return documentAllowances(c.Subtotal, cargos, descuentos)
}

// creditNoteLines numbers the note's lines from 1.
func creditNoteLines(lines []billing.CreditNoteLine) []creditNoteLine {
	out := make([]creditNoteLine, len(lines))
	for i, l := range lines {
		q, price := l.Cantidad.String(), l.ValorUnitario
		if l.Cantidad.Sign() == 0 {
			q, price = valueOnlyQuantity, l.Subtotal
		}
		out[i] = creditNoteLine{
			ID:                  i + 1,
			CreditedQuantity:    quantity{UnitCode: unitCodeUnit, Value: q},
			LineExtensionAmount: cop(l.Subtotal),
			TaxTotal:            lineTaxTotal(l.Subtotal, l.Impuesto, l.Tributo, l.Tratamiento),
			AllowanceCharge:     creditedDiscount(l),
			Description:         l.Descripcion,
			PriceAmount:         cop(price),
			BaseQuantity:        quantity{UnitCode: unitCodeUnit, Value: baseQuantity},
		}
	}
	return out
}

// creditedDiscount is the AllowanceCharge of a line that credits units of a
// discounted invoice line: its credited value is its share of the net line,
// less than quantity × unit price by the share of the discount, and the
// line says so, as the invoice line did, so that quantity × price −
// allowance = LineExtensionAmount holds. nil for a value-only line (priced
// at its value) and for a line whose value is its gross value; a share
// rounded a cent above the gross value is left as it is.
func creditedDiscount(l billing.CreditNoteLine) *allowanceCharge {
	if l.Cantidad.Sign() == 0 {
		return nil
	}
	gross := l.Cantidad.Mul(l.ValorUnitario).RoundCents()
	discount := gross.Sub(l.Subtotal)
	if discount.Sign() <= 0 {
		return nil
	}
	return &allowanceCharge{
		ID:                      1,
		ChargeIndicator:         false,
		AllowanceChargeReason:   lineDiscountReason,
		MultiplierFactorNumeric: percentOf(discount, gross),
		Amount:                  cop(discount),
		BaseAmount:              cop(gross),
	}
}

// CreditNoteCUDEFields takes the CUDE inputs (FISCAL.md §4) from an issued
// credit note: NumFac = doc.Note.Numero, FecFac/HorFac = the note's
// IssueDate/IssueTime, ValFac = the note's Subtotal, ValIVA and ValINC the
// sums of the note's tax groups under IVA (01) and INC (04), ValICA 0 (the
// ledger has no ICA), ValTot = the note's Total, NitOFE = doc.Seller.Nit,
// NumAdq = doc.Buyer.Nit (the buyer as the invoice had it, as
// InvoiceCUFEFields takes it), Key = pin (the software PIN, in place of the
// technical key), TipoAmbiente = doc.Seller.Ambiente.Code(). The CUDE is
// CUFE of these fields.
//
// These are the figures CreditNoteXML writes, so the CUDE recomputed from
// the XML's own elements is the same.
func CreditNoteCUDEFields(doc billing.CreditNoteDocument, pin string) CUFEFields {
	n := doc.Note
	return CUFEFields{
		NumFac:       n.Numero,
		FecFac:       n.IssueDate,
		HorFac:       n.IssueTime,
		ValFac:       n.Subtotal,
		ValIVA:       taxSum(n.Taxes, billing.SchemeIVA),
		ValINC:       taxSum(n.Taxes, billing.SchemeINC),
		ValICA:       zero,
		ValTot:       n.Total,
		NitOFE:       doc.Seller.Nit,
		NumAdq:       doc.Buyer.Nit,
		Key:          pin,
		TipoAmbiente: doc.Seller.Ambiente.Code(),
	}
}
