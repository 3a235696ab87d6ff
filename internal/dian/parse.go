package dian

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"

	"billing/internal/money"
)

// The read side matches elements by namespace and local name, whatever
// prefixes the document uses; it reads only what ParseInvoice and
// ParseCreditNote return.

// parsedHead is what an Invoice and a CreditNote share of the CUFE's and
// the CUDE's inputs.
type parsedHead struct {
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

type parsedInvoice struct {
	XMLName xml.Name
	parsedHead
}

type parsedCreditNote struct {
	XMLName xml.Name
	parsedHead
	Discrepancy struct {
		ResponseCode string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 ResponseCode"`
	} `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 DiscrepancyResponse"`
	Reference struct {
		ID        string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 ID"`
		UUID      string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 UUID"`
		IssueDate string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 IssueDate"`
	} `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 BillingReference>InvoiceDocumentReference"`
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
	if f, err = v.fields(); err != nil {
		return "", CUFEFields{}, fmt.Errorf("parsing invoice %q: %w", v.ID, err)
	}
	return v.UUID, f, nil
}

// ParsedCreditNote is what ParseCreditNote reads back from a CreditNote.
type ParsedCreditNote struct {
	// CUDE is the note's cbc:UUID.
	CUDE string
	// Fields are the CUDE's inputs as the document writes them, Key empty
	// (the software PIN is not in the document).
	Fields CUFEFields
	// ResponseCode is DiscrepancyResponse/ResponseCode: DIAN's concept.
	ResponseCode string
	// InvoiceID, InvoiceCUFE and InvoiceIssueDate are the referenced
	// invoice (BillingReference/InvoiceDocumentReference).
	InvoiceID, InvoiceCUFE, InvoiceIssueDate string
}

// ParseCreditNote reads back from a CreditNote document what a check of its
// CUDE needs, the elements ParseInvoice reads of an invoice (the CUDE has
// the CUFE's inputs), with the concept and the invoice the note references.
// A missing element, the reference's included, or an amount that is not a
// decimal is an error.
func ParseCreditNote(xmlDoc []byte) (ParsedCreditNote, error) {
	var v parsedCreditNote
	if err := xml.NewDecoder(bytes.NewReader(xmlDoc)).Decode(&v); err != nil {
		return ParsedCreditNote{}, fmt.Errorf("parsing credit note: %w", err)
	}
	if v.XMLName.Space != nsCreditNote || v.XMLName.Local != "CreditNote" {
		return ParsedCreditNote{}, fmt.Errorf("parsing credit note: the root is {%s}%s, not a UBL CreditNote", v.XMLName.Space, v.XMLName.Local)
	}
	if missing := missingOf(
		v.Discrepancy.ResponseCode, "DiscrepancyResponse/ResponseCode",
		v.Reference.ID, "InvoiceDocumentReference/ID",
		v.Reference.UUID, "InvoiceDocumentReference/UUID",
		v.Reference.IssueDate, "InvoiceDocumentReference/IssueDate",
	); len(missing) > 0 {
		return ParsedCreditNote{}, fmt.Errorf("parsing credit note %q: missing %v", v.ID, missing)
	}
	f, err := v.fields()
	if err != nil {
		return ParsedCreditNote{}, fmt.Errorf("parsing credit note %q: %w", v.ID, err)
	}
	return ParsedCreditNote{
		CUDE: v.UUID, Fields: f, ResponseCode: v.Discrepancy.ResponseCode,
		InvoiceID: v.Reference.ID, InvoiceCUFE: v.Reference.UUID, InvoiceIssueDate: v.Reference.IssueDate,
	}, nil
}

// fields are the CUFE's (or CUDE's) inputs as the document writes them,
// Key empty.
func (v parsedHead) fields() (CUFEFields, error) {
	if missing := missingOf(
		v.ID, "ID", v.UUID, "UUID", v.IssueDate, "IssueDate", v.IssueTime, "IssueTime",
		v.ProfileExecutionID, "ProfileExecutionID",
		v.Supplier.Party.TaxScheme.CompanyID, "the supplier's CompanyID",
		v.Customer.Party.TaxScheme.CompanyID, "the customer's CompanyID",
	); len(missing) > 0 {
		return CUFEFields{}, fmt.Errorf("missing %v", missing)
	}
	f := CUFEFields{
		NumFac: v.ID, FecFac: v.IssueDate, HorFac: v.IssueTime,
		ValIVA: zero, ValINC: zero, ValICA: zero,
		NitOFE: v.Supplier.Party.TaxScheme.CompanyID, NumAdq: v.Customer.Party.TaxScheme.CompanyID,
		TipoAmbiente: v.ProfileExecutionID,
	}
	var err error
	if f.ValFac, err = parseAmount("LineExtensionAmount", v.MonetaryTotal.LineExtensionAmount); err != nil {
		return CUFEFields{}, err
	}
	if f.ValTot, err = parseAmount("PayableAmount", v.MonetaryTotal.PayableAmount); err != nil {
		return CUFEFields{}, err
	}
	for i, t := range v.TaxTotals {
		if len(t.Subtotals) == 0 {
			return CUFEFields{}, fmt.Errorf("TaxTotal %d has no TaxSubtotal", i+1)
		}
		a, err := parseAmount("TaxTotal/TaxAmount", t.TaxAmount)
		if err != nil {
			return CUFEFields{}, fmt.Errorf("TaxTotal %d: %w", i+1, err)
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
	return f, nil
}

// missingOf names the empty values of (value, name) pairs.
func missingOf(pairs ...string) []string {
	var missing []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] == "" {
			missing = append(missing, pairs[i+1])
		}
	}
	return missing
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
