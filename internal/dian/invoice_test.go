package dian

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"billing/internal/billing"
	"billing/internal/money"
)

// schemaDir is the OASIS UBL 2.1 schemas, copied unchanged from the team's
// shared/xsd into testdata so that a clean clone validates on its own.
var schemaDir = filepath.Join("testdata", "ubl-2.1")

// validate runs xmllint against the UBL Invoice schema. Without xmllint the
// test is skipped on a developer's machine and fails in CI.
func validate(t *testing.T, doc []byte) error {
	t.Helper()
	return validateAgainst(t, doc, "UBL-Invoice-2.1.xsd")
}

// validateAgainst runs xmllint against the main document schema named
// (maindoc/UBL-CreditNote-2.1.xsd, …), as validate does.
func validateAgainst(t *testing.T, doc []byte, schema string) error {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("xmllint not installed (Debian libxml2-utils); CI fails instead")
		}
		t.Fatalf("xmllint is required in CI: %v", err)
	}
	xsd := filepath.Join(schemaDir, "maindoc", schema)
	if _, err := os.Stat(xsd); err != nil {
		t.Fatalf("the UBL schema: %v", err)
	}
	file := filepath.Join(t.TempDir(), "document.xml")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", xsd, file).CombinedOutput()
	if err != nil {
		return errors.New(strings.TrimSpace(string(out)))
	}
	return nil
}

func render(t testing.TB, doc billing.Document) []byte {
	t.Helper()
	out, err := InvoiceXML(doc)
	if err != nil {
		t.Fatalf("InvoiceXML: %v", err)
	}
	return out
}

func TestInvoiceXMLValidatesAgainstUBL(t *testing.T) {
	for _, c := range xmlCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if err := validate(t, render(t, c.doc)); err != nil {
				t.Errorf("xmllint refuses the invoice:\n%v", err)
			}
		})
	}
}

// TestSchemaCheckBites: the validation above would catch an element out of
// order, so its passing means something.
func TestSchemaCheckBites(t *testing.T) {
	out := render(t, xmlCases(t)[1].doc)
	swapped := bytes.Replace(out, []byte("<cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>\n <cbc:CustomizationID>10</cbc:CustomizationID>"),
		[]byte("<cbc:CustomizationID>10</cbc:CustomizationID>\n <cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>"), 1)
	if bytes.Equal(swapped, out) {
		t.Fatal("the document's head is not as expected")
	}
	if err := validate(t, swapped); err == nil {
		t.Error("xmllint accepted UBLVersionID after CustomizationID")
	}
}

func TestInvoiceXMLCUFERoundTrip(t *testing.T) {
	for _, c := range xmlCases(t) {
		t.Run(c.name, func(t *testing.T) {
			id, f, err := ParseInvoice(render(t, c.doc))
			if err != nil {
				t.Fatalf("ParseInvoice: %v", err)
			}
			if id != c.doc.Invoice.Stamp.CUFE {
				t.Errorf("UUID = %s, want the stamp's CUFE %s", id, c.doc.Invoice.Stamp.CUFE)
			}
			if f.Key != "" {
				t.Errorf("Key = %q, want it left to the caller", f.Key)
			}
			f.Key = testKey
			if got := CUFE(f); got != c.doc.Invoice.Stamp.CUFE {
				t.Errorf("CUFE recomputed from the XML = %s, want %s\n from the XML %s\n issued from %s",
					got, c.doc.Invoice.Stamp.CUFE, f, InvoiceCUFEFields(c.doc, testKey))
			}
		})
	}
}

func TestInvoiceXMLIsDeterministic(t *testing.T) {
	for _, c := range xmlCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if a, b := render(t, c.doc), render(t, c.doc); !bytes.Equal(a, b) {
				t.Error("two renderings of one Document differ")
			}
		})
	}
}

func TestInvoiceXMLHeader(t *testing.T) {
	out := render(t, xmlCases(t)[0].doc)
	const decl = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n<Invoice "
	if !bytes.HasPrefix(out, []byte(decl)) {
		t.Errorf("the document starts %q, want %q", out[:min(len(out), len(decl))], decl)
	}
	for _, ns := range []string{
		`xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"`,
		`xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"`,
		`xmlns:sts="dian:gov:co:facturaelectronica:Structures-2-1"`,
	} {
		if !bytes.Contains(out[:bytes.IndexByte(out[len(decl):], '>')+len(decl)], []byte(ns)) {
			t.Errorf("the root does not declare %s", ns)
		}
	}
	if bytes.Contains(out, []byte("ds:Signature")) {
		t.Error("an unsigned document carries a signature element")
	}
}

// The test's read side: what the XML tests check. Elements are matched by
// local name (xmllint checks the UBL namespaces), except DIAN's extensions,
// which no schema here checks: those are matched by namespace too. A path
// tag's namespace applies to every element of the path, so an element of
// another namespace inside sts needs its own struct.

type readID struct {
	SchemeAgencyID string `xml:"schemeAgencyID,attr"`
	SchemeID       string `xml:"schemeID,attr"`
	SchemeName     string `xml:"schemeName,attr"`
	Value          string `xml:",chardata"`
}

type readTaxTotal struct {
	TaxAmount string `xml:"TaxAmount"`
	Subtotals []struct {
		TaxableAmount string `xml:"TaxableAmount"`
		TaxAmount     string `xml:"TaxAmount"`
		Percent       string `xml:"TaxCategory>Percent"`
		SchemeID      string `xml:"TaxCategory>TaxScheme>ID"`
		SchemeName    string `xml:"TaxCategory>TaxScheme>Name"`
	} `xml:"TaxSubtotal"`
}

type readAllowance struct {
	ID              string `xml:"ID"`
	ChargeIndicator string `xml:"ChargeIndicator"`
	Reason          string `xml:"AllowanceChargeReason"`
	Factor          string `xml:"MultiplierFactorNumeric"`
	Amount          string `xml:"Amount"`
	BaseAmount      string `xml:"BaseAmount"`
}

type readMonetary struct {
	LineExtension  string `xml:"LineExtensionAmount"`
	TaxExclusive   string `xml:"TaxExclusiveAmount"`
	TaxInclusive   string `xml:"TaxInclusiveAmount"`
	AllowanceTotal string `xml:"AllowanceTotalAmount"`
	ChargeTotal    string `xml:"ChargeTotalAmount"`
	Payable        string `xml:"PayableAmount"`
}

type readParty struct {
	AdditionalAccountID string `xml:"AdditionalAccountID"`
	Party               struct {
		Identification *readID  `xml:"PartyIdentification>ID"`
		Names          []string `xml:"PartyName>Name"`
		Location       *struct {
			ID                   string `xml:"ID"`
			CountrySubentityCode string `xml:"CountrySubentityCode"`
			Line                 string `xml:"AddressLine>Line"`
			Country              string `xml:"Country>IdentificationCode"`
		} `xml:"PhysicalLocation>Address"`
		TaxScheme struct {
			CompanyID    readID `xml:"CompanyID"`
			TaxLevelCode string `xml:"TaxLevelCode"`
			SchemeID     string `xml:"TaxScheme>ID"`
			SchemeName   string `xml:"TaxScheme>Name"`
		} `xml:"PartyTaxScheme"`
		LegalEntity struct {
			CompanyID readID `xml:"CompanyID"`
			Prefix    string `xml:"CorporateRegistrationScheme>ID"`
		} `xml:"PartyLegalEntity"`
		Emails []string `xml:"Contact>ElectronicMail"`
	} `xml:"Party"`
}

type readDian struct {
	Control struct {
		Authorization string `xml:"dian:gov:co:facturaelectronica:Structures-2-1 InvoiceAuthorization"`
		Period        struct {
			StartDate string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 StartDate"`
			EndDate   string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 EndDate"`
		} `xml:"dian:gov:co:facturaelectronica:Structures-2-1 AuthorizationPeriod"`
		Prefix string `xml:"dian:gov:co:facturaelectronica:Structures-2-1 AuthorizedInvoices>Prefix"`
		From   string `xml:"dian:gov:co:facturaelectronica:Structures-2-1 AuthorizedInvoices>From"`
		To     string `xml:"dian:gov:co:facturaelectronica:Structures-2-1 AuthorizedInvoices>To"`
	} `xml:"dian:gov:co:facturaelectronica:Structures-2-1 InvoiceControl"`
	Source struct {
		Code string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 IdentificationCode"`
	} `xml:"dian:gov:co:facturaelectronica:Structures-2-1 InvoiceSource"`
	ProviderID   readID `xml:"dian:gov:co:facturaelectronica:Structures-2-1 SoftwareProvider>ProviderID"`
	SoftwareID   string `xml:"dian:gov:co:facturaelectronica:Structures-2-1 SoftwareProvider>SoftwareID"`
	SecurityCode string `xml:"dian:gov:co:facturaelectronica:Structures-2-1 SoftwareSecurityCode"`
	AuthProvider readID `xml:"dian:gov:co:facturaelectronica:Structures-2-1 AuthorizationProvider>AuthorizationProviderID"`
	QRCode       string `xml:"dian:gov:co:facturaelectronica:Structures-2-1 QRCode"`
}

type readInvoice struct {
	Extensions []struct {
		Dian *readDian `xml:"dian:gov:co:facturaelectronica:Structures-2-1 DianExtensions"`
	} `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2 UBLExtensions>UBLExtension>ExtensionContent"`
	ProfileExecutionID string          `xml:"ProfileExecutionID"`
	UUID               readID          `xml:"UUID"`
	DueDate            *string         `xml:"DueDate"`
	LineCount          int             `xml:"LineCountNumeric"`
	Supplier           readParty       `xml:"AccountingSupplierParty"`
	Customer           readParty       `xml:"AccountingCustomerParty"`
	PaymentFormID      string          `xml:"PaymentMeans>ID"`
	PaymentMeansCode   string          `xml:"PaymentMeans>PaymentMeansCode"`
	PaymentDueDate     *string         `xml:"PaymentMeans>PaymentDueDate"`
	Allowances         []readAllowance `xml:"AllowanceCharge"`
	TaxTotals          []readTaxTotal  `xml:"TaxTotal"`
	Monetary           readMonetary    `xml:"LegalMonetaryTotal"`
	Lines              []struct {
		ID           string          `xml:"ID"`
		Quantity     string          `xml:"InvoicedQuantity"`
		Extension    string          `xml:"LineExtensionAmount"`
		Allowances   []readAllowance `xml:"AllowanceCharge"`
		TaxTotals    []readTaxTotal  `xml:"TaxTotal"`
		Description  string          `xml:"Item>Description"`
		Price        string          `xml:"Price>PriceAmount"`
		BaseQuantity string          `xml:"Price>BaseQuantity"`
	} `xml:"InvoiceLine"`
}

func read(t *testing.T, out []byte) readInvoice {
	t.Helper()
	var v readInvoice
	if err := xml.Unmarshal(out, &v); err != nil {
		t.Fatalf("reading the invoice back: %v", err)
	}
	return v
}

func TestInvoiceXMLTaxTotals(t *testing.T) {
	for _, c := range xmlCases(t) {
		t.Run(c.name, func(t *testing.T) {
			v := read(t, render(t, c.doc))
			var schemes []string
			for _, tt := range v.TaxTotals {
				schemes = append(schemes, tt.Subtotals[0].SchemeID)
			}
			if strings.Join(schemes, ",") != strings.Join(c.taxSchemes, ",") {
				t.Errorf("document TaxTotals by scheme = %v, want %v", schemes, c.taxSchemes)
			}
			if len(v.Lines) != len(c.taxedLines) || v.LineCount != len(c.taxedLines) {
				t.Fatalf("%d lines (LineCountNumeric %d), want %d", len(v.Lines), v.LineCount, len(c.taxedLines))
			}
			for i, l := range v.Lines {
				if taxed := len(l.TaxTotals) > 0; taxed != c.taxedLines[i] {
					t.Errorf("line %s has a TaxTotal: %v, want %v", l.ID, taxed, c.taxedLines[i])
				}
				if src := c.doc.Invoice.Lines[i]; (src.Tratamiento == billing.Excluido) == (len(l.TaxTotals) > 0) {
					t.Errorf("line %s (%s) has %d TaxTotals", l.ID, src.Tratamiento, len(l.TaxTotals))
				}
			}
		})
	}
}

func TestInvoiceXMLFigures(t *testing.T) {
	doc := xmlCases(t)[1].doc // excluded tuition, a uniform and two books at 19 %
	v := read(t, render(t, doc))
	m := v.Monetary
	if m.LineExtension != "1390001.00" || m.TaxExclusive != "190001.00" || m.TaxInclusive != "1426101.19" || m.Payable != "1426101.19" ||
		m.AllowanceTotal != "0.00" || m.ChargeTotal != "0.00" {
		t.Errorf("LegalMonetaryTotal = %+v", m)
	}
	if len(v.TaxTotals) != 1 || v.TaxTotals[0].TaxAmount != "36100.19" {
		t.Fatalf("TaxTotals = %+v", v.TaxTotals)
	}
	sub := v.TaxTotals[0].Subtotals
	if len(sub) != 1 || sub[0].TaxableAmount != "190001.00" || sub[0].TaxAmount != "36100.19" || sub[0].Percent != "19.00" ||
		sub[0].SchemeID != "01" || sub[0].SchemeName != "IVA" {
		t.Errorf("TaxSubtotal = %+v", sub)
	}
	l := v.Lines[2]
	if l.ID != "3" || l.Quantity != "2.000" || l.Extension != "90001.00" || l.Price != "45000.50" || l.BaseQuantity != "1.00" ||
		l.Description != "Texto guía de inglés" {
		t.Errorf("line 3 = %+v", l)
	}
	if lt := l.TaxTotals[0]; lt.TaxAmount != "17100.19" || lt.Subtotals[0].TaxableAmount != "90001.00" || lt.Subtotals[0].Percent != "19.00" {
		t.Errorf("line 3 TaxTotal = %+v", lt)
	}
	if v.PaymentFormID != "1" || v.PaymentMeansCode != "10" {
		t.Errorf("PaymentMeans = %s/%s, want 1/10", v.PaymentFormID, v.PaymentMeansCode)
	}

	// A line's tax is its own rounding; the document keeps the group's.
	inc := read(t, render(t, xmlCases(t)[3].doc)) // 45000.00 and 33.30 at 8 %
	if inc.TaxTotals[0].TaxAmount != "3602.66" || inc.Lines[0].TaxTotals[0].TaxAmount != "3600.00" ||
		inc.Lines[1].TaxTotals[0].TaxAmount != "2.66" || inc.TaxTotals[0].Subtotals[0].SchemeName != "INC" {
		t.Errorf("INC totals: document %+v, lines %+v %+v", inc.TaxTotals, inc.Lines[0].TaxTotals, inc.Lines[1].TaxTotals)
	}

	excluded := read(t, render(t, xmlCases(t)[0].doc))
	if excluded.Monetary.TaxExclusive != "0.00" || excluded.Monetary.TaxInclusive != "1200000.00" {
		t.Errorf("all excluded: LegalMonetaryTotal = %+v", excluded.Monetary)
	}
}

func TestInvoiceXMLDianExtensions(t *testing.T) {
	for _, c := range xmlCases(t) {
		t.Run(c.name, func(t *testing.T) {
			v := read(t, render(t, c.doc))
			if len(v.Extensions) != 1 || v.Extensions[0].Dian == nil {
				t.Fatalf("want exactly one UBLExtension holding sts:DianExtensions, got %d", len(v.Extensions))
			}
			d := *v.Extensions[0].Dian
			checks := []struct{ what, got, want string }{
				{"InvoiceAuthorization", d.Control.Authorization, "18760000001"},
				{"StartDate", d.Control.Period.StartDate, "2019-01-19"},
				{"EndDate", d.Control.Period.EndDate, "2030-01-19"},
				{"Prefix", d.Control.Prefix, "SETP"},
				{"From", d.Control.From, "990000000"},
				{"To", d.Control.To, "995000000"},
				{"InvoiceSource", d.Source.Code, "CO"},
				{"ProviderID", d.ProviderID.Value, testSellerNIT},
				{"ProviderID@schemeID (the DV)", d.ProviderID.SchemeID, "8"},
				{"ProviderID@schemeName", d.ProviderID.SchemeName, "31"},
				{"SoftwareID", d.SoftwareID, testSoftwareID},
				{"SoftwareSecurityCode", d.SecurityCode, SoftwareSecurityCode(testSoftwareID, testPIN, c.doc.Invoice.Numero)},
				{"AuthorizationProviderID", d.AuthProvider.Value, "800197268"},
				{"AuthorizationProviderID@schemeID", d.AuthProvider.SchemeID, "4"},
				{"QRCode", d.QRCode, QRURL(c.doc.Invoice.Stamp.CUFE, billing.AmbientePruebas)},
				{"ProfileExecutionID", v.ProfileExecutionID, "2"},
				{"UUID@schemeID", v.UUID.SchemeID, "2"},
				{"UUID@schemeName", v.UUID.SchemeName, "CUFE-SHA384"},
			}
			for _, ch := range checks {
				if ch.got != ch.want {
					t.Errorf("%s = %q, want %q", ch.what, ch.got, ch.want)
				}
			}
		})
	}
	if dv, _ := billing.NITCheckDigit("800197268"); digit(dv) != dianNITCheckDigit {
		t.Errorf("DIAN's check digit is %d", dv)
	}
}

func TestInvoiceXMLParties(t *testing.T) {
	cases := xmlCases(t)
	supplier := read(t, render(t, cases[1].doc)).Supplier
	sp, tax := supplier.Party, supplier.Party.TaxScheme
	if supplier.AdditionalAccountID != "1" || strings.Join(sp.Names, "|") != "Colegio Ejemplo" ||
		sp.Location == nil || sp.Location.ID != "11001" || sp.Location.CountrySubentityCode != "11" || sp.Location.Country != "CO" ||
		tax.CompanyID.Value != testSellerNIT || tax.CompanyID.SchemeID != "8" || tax.CompanyID.SchemeName != "31" ||
		tax.CompanyID.SchemeAgencyID != "195" || tax.TaxLevelCode != "O-13;O-15" || tax.SchemeID != "01" || tax.SchemeName != "IVA" ||
		sp.LegalEntity.Prefix != "SETP" || sp.LegalEntity.CompanyID != tax.CompanyID ||
		strings.Join(sp.Emails, "|") != "facturacion@colegio.example" {
		t.Errorf("supplier = %+v", supplier)
	}

	tests := []struct {
		name                        string
		c                           xmlCase
		account, schemeName, dv     string
		named, identified, location bool
		emails                      string
	}{
		{"a parent (CC, natural by default)", cases[0], "2", "13", "", false, true, true, "maria@example.com"},
		{"a company (NIT with its DV)", cases[2], "1", "31", "8", true, false, true, "compras@alimentos.example"},
		{"consumidor final", cases[4], "2", "13", "", false, true, false, ""},
		{"no email, no address", cases[5], "2", "13", "", false, true, false, ""},
		{"no recorded identification type (a JURIDICA NIT)", xmlCase{doc: issue(t, 990000007, seller("ZZ"), func() billing.Customer {
			c := company()
			c.TipoIdentificacion = ""
			return c
		}(), tuition())}, "1", "31", "8", true, false, true, "compras@alimentos.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := read(t, render(t, tt.c.doc)).Customer
			p := c.Party
			id := p.TaxScheme.CompanyID
			if c.AdditionalAccountID != tt.account || id.Value != tt.c.doc.Invoice.Customer.Nit || id.SchemeName != tt.schemeName ||
				id.SchemeID != tt.dv || id.SchemeAgencyID != "195" || p.LegalEntity.CompanyID != id {
				t.Errorf("identity: account %s, CompanyID %+v, legal %+v", c.AdditionalAccountID, id, p.LegalEntity.CompanyID)
			}
			if p.TaxScheme.TaxLevelCode != "R-99-PN" || p.TaxScheme.SchemeID != "ZZ" || p.TaxScheme.SchemeName != "No aplica" {
				t.Errorf("tax scheme %+v", p.TaxScheme)
			}
			if named := len(p.Names) > 0; named != tt.named {
				t.Errorf("PartyName %v, want %v", p.Names, tt.named)
			}
			if identified := p.Identification != nil; identified != tt.identified ||
				(identified && (p.Identification.Value != id.Value || p.Identification.SchemeName != tt.schemeName)) {
				t.Errorf("PartyIdentification %+v, want one: %v", p.Identification, tt.identified)
			}
			if location := p.Location != nil; location != tt.location ||
				(location && (p.Location.Line != *tt.c.doc.Invoice.Customer.Direccion || p.Location.Country != "CO" || p.Location.ID != "")) {
				t.Errorf("PhysicalLocation %+v, want one: %v", p.Location, tt.location)
			}
			if got := strings.Join(p.Emails, "|"); got != tt.emails {
				t.Errorf("emails %q, want %q", got, tt.emails)
			}
		})
	}
}

// amountText is how every amount is written.
var amountText = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)

func TestInvoiceXMLAmountsHaveTwoDecimalsAndCOP(t *testing.T) {
	for _, c := range xmlCases(t) {
		t.Run(c.name, func(t *testing.T) { checkAmounts(t, render(t, c.doc)) })
	}
}

// checkAmounts fails for an amount (an element whose name ends in Amount)
// that is not in COP with exactly two decimals, and for a document with
// fewer than 6 amounts, which would not be checking much.
func checkAmounts(t *testing.T, out []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	var amounts int
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		start, ok := tok.(xml.StartElement)
		if !ok || !strings.HasSuffix(start.Name.Local, "Amount") {
			continue
		}
		amounts++
		var v struct {
			Currency string `xml:"currencyID,attr"`
			Value    string `xml:",chardata"`
		}
		if err := dec.DecodeElement(&v, &start); err != nil {
			t.Fatal(err)
		}
		if v.Currency != "COP" || !amountText.MatchString(v.Value) {
			t.Errorf("%s = %q currencyID %q", start.Name.Local, v.Value, v.Currency)
		}
	}
	if amounts < 6 {
		t.Errorf("only %d amounts", amounts)
	}
}

func TestInvoiceXMLRefuses(t *testing.T) {
	good := xmlCases(t)[1].doc
	change := func(f func(*billing.Document)) billing.Document {
		d := good
		res := *d.Resolution
		stamp := *d.Invoice.Stamp
		d.Resolution, d.Invoice.Stamp = &res, &stamp
		f(&d)
		return d
	}
	tests := []struct {
		name string
		doc  billing.Document
		want error
	}{
		{"a plain invoice (no stamp)", change(func(d *billing.Document) { d.Invoice.Stamp = nil }), ErrNotElectronic},
		{"no resolution", change(func(d *billing.Document) { d.Resolution = nil }), ErrNotElectronic},
		{"the zero Document", billing.Document{}, ErrNotElectronic},
		{"no CUFE", change(func(d *billing.Document) { d.Invoice.Stamp.CUFE = "" }), ErrIncomplete},
		{"no validity", change(func(d *billing.Document) { d.Resolution.VigenciaHasta = nil }), ErrIncomplete},
		{"no lines", change(func(d *billing.Document) { d.Invoice.Lines = nil }), ErrIncomplete},
		{"seller without a DANE code", change(func(d *billing.Document) { d.Seller.Municipio = "" }), ErrIncomplete},
		{"seller NIT not digits", change(func(d *billing.Document) { d.Seller.Nit = "90012345X" }), ErrIncomplete},
		{"seller tax scheme unknown", change(func(d *billing.Document) { d.Seller.Tributo = "99" }), ErrIncomplete},
		{"on credit without a due date", change(func(d *billing.Document) {
			d.Invoice.Terms, d.Invoice.FechaVencimiento = billing.PaymentTerms{Forma: billing.Credito, DiasCredito: 30, MedioPago: "42"}, nil
		}), ErrIncomplete},
		{"buyer NIT type with letters", change(func(d *billing.Document) {
			d.Invoice.Customer.TipoIdentificacion, d.Invoice.Customer.Nit = billing.IDNIT, "AB123"
		}), ErrIncomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := InvoiceXML(tt.doc)
			if !errors.Is(err, tt.want) || out != nil {
				t.Errorf("InvoiceXML = %d bytes, %v; want %v", len(out), err, tt.want)
			}
		})
	}
	if _, err := InvoiceXML(good); err != nil {
		t.Errorf("the unchanged document: %v", err)
	}
}

func TestParseInvoiceRefuses(t *testing.T) {
	good := render(t, xmlCases(t)[1].doc)
	tests := []struct {
		name string
		doc  []byte
		want string
	}{
		{"not XML", []byte("factura"), "parsing invoice"},
		{"another root", []byte(`<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/>`), "not a UBL Invoice"},
		{"no PayableAmount", regexp.MustCompile(`<cbc:PayableAmount[^<]*</cbc:PayableAmount>`).ReplaceAll(good, nil), "PayableAmount: missing"},
		{"a bad amount", bytes.Replace(good, []byte(">1390001.00<"), []byte(">1.390.001,00<"), 1), "LineExtensionAmount"},
		{"no UUID", regexp.MustCompile(`<cbc:UUID[^<]*</cbc:UUID>`).ReplaceAll(good, nil), "UUID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := ParseInvoice(tt.doc); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseInvoice error %v, want one naming %q", err, tt.want)
			}
		})
	}
}

func TestInvoiceXMLPaymentTerms(t *testing.T) {
	onTerms := func(n int64, terms billing.PaymentTerms) billing.Document {
		return issueInvoice(t, invoiceSpec{consecutivo: n, seller: seller("ZZ"), buyer: parent(), terms: terms,
			lines: []billing.InvoiceLine{tuition()}})
	}
	tests := []struct {
		name              string
		doc               billing.Document
		form, means, date string // date "" for no DueDate nor PaymentDueDate
	}{
		{"default terms: contado, efectivo, due on issue", onTerms(990000020, billing.PaymentTerms{}), "1", "10", testIssueDate},
		{"contado by card", onTerms(990000021, billing.PaymentTerms{Forma: billing.Contado, MedioPago: "48"}), "1", "48", testIssueDate},
		{"crédito at 30 days by bank transfer", onTerms(990000022, billing.PaymentTerms{Forma: billing.Credito, DiasCredito: 30, MedioPago: "42"}),
			"2", "42", "2026-03-04"},
		{"crédito naming no means: cash", onTerms(990000023, billing.PaymentTerms{Forma: billing.Credito, DiasCredito: 15}), "2", "10", "2026-02-17"},
		{"stored before terms: the default, no due date", xmlCases(t)[7].doc, "1", "10", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, tt.doc)
			if err := validate(t, out); err != nil {
				t.Fatalf("xmllint refuses the invoice:\n%v", err)
			}
			v := read(t, out)
			if v.PaymentFormID != tt.form || v.PaymentMeansCode != tt.means {
				t.Errorf("PaymentMeans = %s/%s, want %s/%s", v.PaymentFormID, v.PaymentMeansCode, tt.form, tt.means)
			}
			for what, got := range map[string]*string{"DueDate": v.DueDate, "PaymentDueDate": v.PaymentDueDate} {
				switch {
				case tt.date == "" && got != nil:
					t.Errorf("%s = %s, want none", what, *got)
				case tt.date != "" && (got == nil || *got != tt.date):
					t.Errorf("%s = %v, want %s", what, got, tt.date)
				}
			}
		})
	}
}

func TestInvoiceXMLDiscountsAndCharges(t *testing.T) {
	doc := withDiscountsAndCharges(t, 990000030)
	out := render(t, doc)
	if err := validate(t, out); err != nil {
		t.Fatalf("xmllint refuses the invoice:\n%v", err)
	}
	v := read(t, out)

	// Subtotal 1 200 000 + 180 000 + 133 501 + 20 000 = 1 533 501; IVA 19 %
	// of 313 501 = 59 565.19, INC 1 600; total = 1 594 666.19 − 50 000 + 2 000.
	want := readMonetary{LineExtension: "1533501.00", TaxExclusive: "333501.00", TaxInclusive: "1594666.19",
		AllowanceTotal: "50000.00", ChargeTotal: "2000.00", Payable: "1546666.19"}
	if v.Monetary != want {
		t.Errorf("LegalMonetaryTotal = %+v\nwant %+v", v.Monetary, want)
	}
	wantDoc := []readAllowance{
		{ID: "1", ChargeIndicator: "true", Reason: "Propina voluntaria", Factor: "0.13", Amount: "2000.00", BaseAmount: "1533501.00"},
		{ID: "2", ChargeIndicator: "false", Reason: "Descuento por hermanos", Factor: "3.26", Amount: "50000.00", BaseAmount: "1533501.00"},
	}
	if fmt.Sprint(v.Allowances) != fmt.Sprint(wantDoc) {
		t.Errorf("document AllowanceCharges = %+v\nwant %+v", v.Allowances, wantDoc)
	}
	if len(v.TaxTotals) != 2 || v.TaxTotals[0].TaxAmount != "59565.19" || v.TaxTotals[0].Subtotals[0].TaxableAmount != "313501.00" ||
		v.TaxTotals[1].TaxAmount != "1600.00" {
		t.Errorf("TaxTotals = %+v: the document-level amounts must stay outside every base", v.TaxTotals)
	}

	lines := []struct {
		extension string
		allowance *readAllowance
		tax       string
	}{
		{"1200000.00", nil, ""},
		{"180000.00", &readAllowance{ID: "1", ChargeIndicator: "false", Reason: "Descuento", Factor: "10.00", Amount: "20000.00", BaseAmount: "200000.00"}, "34200.00"},
		// An amount: 1 500.50 of 135 001.50 is 1.1115 %.
		{"133501.00", &readAllowance{ID: "1", ChargeIndicator: "false", Reason: "Descuento", Factor: "1.11", Amount: "1500.50", BaseAmount: "135001.50"}, "25365.19"},
		{"20000.00", nil, "1600.00"},
	}
	for i, w := range lines {
		l := v.Lines[i]
		if l.Extension != w.extension {
			t.Errorf("line %d LineExtensionAmount = %s, want %s (the net subtotal)", i+1, l.Extension, w.extension)
		}
		switch {
		case w.allowance == nil && len(l.Allowances) > 0:
			t.Errorf("line %d has an AllowanceCharge %+v", i+1, l.Allowances)
		case w.allowance != nil && (len(l.Allowances) != 1 || l.Allowances[0] != *w.allowance):
			t.Errorf("line %d AllowanceCharge = %+v, want %+v", i+1, l.Allowances, *w.allowance)
		}
		switch {
		case len(l.TaxTotals) == 0 && w.tax != "":
			t.Errorf("line %d has no TaxTotal", i+1)
		case len(l.TaxTotals) > 0 && (l.TaxTotals[0].TaxAmount != w.tax || l.TaxTotals[0].Subtotals[0].TaxableAmount != w.extension):
			t.Errorf("line %d TaxTotal = %+v, want %q on %s", i+1, l.TaxTotals[0], w.tax, w.extension)
		}
	}

	// The CUFE takes LineExtensionAmount and PayableAmount: the subtotal and
	// the total after the document-level amounts.
	f := InvoiceCUFEFields(doc, testKey)
	if cents(f.ValFac) != "1533501.00" || cents(f.ValTot) != "1546666.19" || cents(f.ValIVA) != "59565.19" || cents(f.ValINC) != "1600.00" {
		t.Errorf("InvoiceCUFEFields = %s", f)
	}
	id, parsed, err := ParseInvoice(out)
	if err != nil {
		t.Fatalf("ParseInvoice: %v", err)
	}
	parsed.Key = testKey
	if id != doc.Invoice.Stamp.CUFE || CUFE(parsed) != doc.Invoice.Stamp.CUFE {
		t.Errorf("the CUFE recomputed from the XML (%s) is not the document's", parsed)
	}
}

func TestInvoiceXMLAllowanceEdges(t *testing.T) {
	tests := []struct {
		name   string
		line   billing.InvoiceLine
		want   *readAllowance
		factor string // of a document-level charge of 1000 on this one line
	}{
		{"no discount", item("Kit", "1", "1000", "19", billing.SchemeIVA, billing.Gravado), nil, "100.00"},
		{"a 0 % discount is none", discounted(item("Kit", "1", "1000", "19", billing.SchemeIVA, billing.Gravado), "0"), nil, "100.00"},
		{"a whole discount: the subtotal is 0", discounted(item("Beca", "1", "1000", "0", billing.SchemeIVA, billing.Excluido), "100"),
			&readAllowance{ID: "1", ChargeIndicator: "false", Reason: "Descuento", Factor: "100.00", Amount: "1000.00", BaseAmount: "1000.00"}, "0.00"},
		{"an amount of a third", discountedBy(item("Kit", "3", "100", "19", billing.SchemeIVA, billing.Gravado), "100"),
			&readAllowance{ID: "1", ChargeIndicator: "false", Reason: "Descuento", Factor: "33.33", Amount: "100.00", BaseAmount: "300.00"}, "500.00"},
	}
	t.Run("a line stored without its gross value", func(t *testing.T) {
		doc := withDiscountsAndCharges(t, 990000039)
		doc.Invoice.Lines = append([]billing.InvoiceLine(nil), doc.Invoice.Lines...)
		doc.Invoice.Lines[2].ValorBruto = money.Decimal{}
		want := readAllowance{ID: "1", ChargeIndicator: "false", Reason: "Descuento", Factor: "1.11", Amount: "1500.50", BaseAmount: "135001.50"}
		if got := read(t, render(t, doc)).Lines[2].Allowances; len(got) != 1 || got[0] != want {
			t.Errorf("line AllowanceCharge %+v, want %+v (the gross value is subtotal + discount)", got, want)
		}
	})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := issueInvoice(t, invoiceSpec{consecutivo: 990000040 + int64(i), seller: seller("01"), buyer: company(),
				lines: []billing.InvoiceLine{tt.line}, cargos: []billing.Adjustment{adjustment("Transporte", "1000")}})
			out := render(t, doc)
			if err := validate(t, out); err != nil {
				t.Fatalf("xmllint refuses the invoice:\n%v", err)
			}
			v := read(t, out)
			switch got := v.Lines[0].Allowances; {
			case tt.want == nil && len(got) > 0:
				t.Errorf("line AllowanceCharge %+v, want none", got)
			case tt.want != nil && (len(got) != 1 || got[0] != *tt.want):
				t.Errorf("line AllowanceCharge %+v, want %+v", got, *tt.want)
			}
			if len(v.Allowances) != 1 || v.Allowances[0].Factor != tt.factor || v.Allowances[0].ChargeIndicator != "true" {
				t.Errorf("document AllowanceCharge %+v, want a charge of factor %s", v.Allowances, tt.factor)
			}
		})
	}
}

func BenchmarkInvoiceXML(b *testing.B) {
	lines := []billing.InvoiceLine{tuition()}
	for i := range 9 {
		lines = append(lines, item("Uniforme deportivo talla "+string(rune('4'+i)), "2", "85000.50", "19", billing.SchemeIVA, billing.Gravado))
	}
	doc := issue(b, 990000099, seller("01"), parent(), lines...)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		out, err := InvoiceXML(doc)
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.ReportMetric(float64(n), "bytes/doc")
}
