package dian

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"

	"billing/internal/money"
)

// The read side matches elements by namespace and local name, whatever
// prefixes the document uses; it reads only what ParseInvoice returns.

type parsedInvoice struct {
	XMLName            xml.Name
	ProfileExecutionID string              `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 ProfileExecutionID"`
	ID                 string              `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 ID"`
	UUID               string              `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 UUID"`
	IssueDate          string              `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 IssueDate"`
	IssueTime          string              `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 IssueTime"`
	Supplier           parsedAccounting    `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 AccountingSupplierParty"`
	Customer           parsedAccounting    `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 AccountingCustomerParty"`
	TaxTotals          []parsedTaxTotal    `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 TaxTotal"`
	MonetaryTotal      parsedMonetaryTotal `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 LegalMonetaryTotal"`
}

type parsedAccounting struct {
	Party struct {
		TaxScheme struct {
			CompanyID string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 CompanyID"`
		} `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 PartyTaxScheme"`
	} `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 Party"`
}

type parsedTaxTotal struct {
	TaxAmount string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 TaxAmount"`
	Subtotals []struct {
		Category struct {
			Scheme struct {
				ID string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 ID"`
			} `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 TaxScheme"`
		} `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 TaxCategory"`
	} `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 TaxSubtotal"`
}

type parsedMonetaryTotal struct {
	LineExtensionAmount string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 LineExtensionAmount"`
	PayableAmount       string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 PayableAmount"`
}

// ParseInvoice reads back from an Invoice document what a check of its CUFE
// needs: its cbc:UUID, and the CUFEFields taken from the document's own
// elements (ID, IssueDate, IssueTime, LegalMonetaryTotal's
// LineExtensionAmount and PayableAmount, each document-level TaxTotal's
// TaxAmount by the scheme of its subtotals, the supplier's and the
// customer's PartyTaxScheme/CompanyID, ProfileExecutionID). Key is left
// empty for the caller: the technical key is not in the document.
//
// A missing element or an amount that is not a decimal is an error; so is
// a TaxTotal without a subtotal, whose scheme cannot be told.
func ParseInvoice(xmlDoc []byte) (uuid string, f CUFEFields, err error) {
	var v parsedInvoice
	if err := xml.NewDecoder(bytes.NewReader(xmlDoc)).Decode(&v); err != nil {
		return "", CUFEFields{}, fmt.Errorf("parsing invoice: %w", err)
	}
	if v.XMLName.Space != nsInvoice || v.XMLName.Local != "Invoice" {
		return "", CUFEFields{}, fmt.Errorf("parsing invoice: the root is {%s}%s, not a UBL Invoice", v.XMLName.Space, v.XMLName.Local)
	}
	var missing []string
	for _, e := range [...]struct{ value, name string }{
		{v.ID, "ID"}, {v.UUID, "UUID"}, {v.IssueDate, "IssueDate"}, {v.IssueTime, "IssueTime"},
		{v.ProfileExecutionID, "ProfileExecutionID"},
		{v.Supplier.Party.TaxScheme.CompanyID, "the supplier's CompanyID"},
		{v.Customer.Party.TaxScheme.CompanyID, "the customer's CompanyID"},
	} {
		if e.value == "" {
			missing = append(missing, e.name)
		}
	}
	if len(missing) > 0 {
		return "", CUFEFields{}, fmt.Errorf("parsing invoice %q: missing %v", v.ID, missing)
	}
	f = CUFEFields{
		NumFac: v.ID, FecFac: v.IssueDate, HorFac: v.IssueTime,
		ValIVA: zero, ValINC: zero, ValICA: zero,
		NitOFE: v.Supplier.Party.TaxScheme.CompanyID, NumAdq: v.Customer.Party.TaxScheme.CompanyID,
		TipoAmbiente: v.ProfileExecutionID,
	}
	if f.ValFac, err = parseAmount("LineExtensionAmount", v.MonetaryTotal.LineExtensionAmount); err != nil {
		return "", CUFEFields{}, fmt.Errorf("parsing invoice %q: %w", v.ID, err)
	}
	if f.ValTot, err = parseAmount("PayableAmount", v.MonetaryTotal.PayableAmount); err != nil {
		return "", CUFEFields{}, fmt.Errorf("parsing invoice %q: %w", v.ID, err)
	}
	for i, t := range v.TaxTotals {
		if len(t.Subtotals) == 0 {
			return "", CUFEFields{}, fmt.Errorf("parsing invoice %q: TaxTotal %d has no TaxSubtotal", v.ID, i+1)
		}
		a, err := parseAmount("TaxTotal/TaxAmount", t.TaxAmount)
		if err != nil {
			return "", CUFEFields{}, fmt.Errorf("parsing invoice %q: TaxTotal %d: %w", v.ID, i+1, err)
		}
		// Only the CUFE's three taxes matter here; any other scheme is ignored.
		switch t.Subtotals[0].Category.Scheme.ID {
		case codeIVA:
			f.ValIVA = f.ValIVA.Add(a)
		case codeINC:
			f.ValINC = f.ValINC.Add(a)
		case codeICA:
			f.ValICA = f.ValICA.Add(a)
		}
	}
	return v.UUID, f, nil
}

var errNoAmount = errors.New("missing")

func parseAmount(name, s string) (money.Decimal, error) {
	if s == "" {
		return money.Decimal{}, fmt.Errorf("%s: %w", name, errNoAmount)
	}
	d, err := money.Parse(s)
	if err != nil {
		return money.Decimal{}, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}
