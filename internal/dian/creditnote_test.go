package dian

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"billing/internal/billing"
	"billing/internal/money"
)

const creditNoteSchema = "UBL-CreditNote-2.1.xsd"

func renderNote(t testing.TB, doc billing.CreditNoteDocument) []byte {
	t.Helper()
	out, err := CreditNoteXML(doc)
	if err != nil {
		t.Fatalf("CreditNoteXML: %v", err)
	}
	return out
}

// readCreditNote is what the note tests check of a CreditNote, matched by
// local name as readInvoice is.
type readCreditNote struct {
	XMLName    xml.Name
	Extensions []struct {
		Dian *readDian `xml:"dian:gov:co:facturaelectronica:Structures-2-1 DianExtensions"`
	} `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2 UBLExtensions>UBLExtension>ExtensionContent"`
	CustomizationID    string  `xml:"CustomizationID"`
	ProfileID          string  `xml:"ProfileID"`
	ProfileExecutionID string  `xml:"ProfileExecutionID"`
	ID                 string  `xml:"ID"`
	UUID               readID  `xml:"UUID"`
	IssueDate          string  `xml:"IssueDate"`
	IssueTime          string  `xml:"IssueTime"`
	TypeCode           string  `xml:"CreditNoteTypeCode"`
	Note               *string `xml:"Note"`
	Currency           string  `xml:"DocumentCurrencyCode"`
	LineCount          int     `xml:"LineCountNumeric"`
	Discrepancy        struct {
		ReferenceID  string `xml:"ReferenceID"`
		ResponseCode string `xml:"ResponseCode"`
		Description  string `xml:"Description"`
	} `xml:"DiscrepancyResponse"`
	Reference struct {
		ID        string `xml:"ID"`
		UUID      readID `xml:"UUID"`
		IssueDate string `xml:"IssueDate"`
	} `xml:"BillingReference>InvoiceDocumentReference"`
	Supplier         readParty       `xml:"AccountingSupplierParty"`
	Customer         readParty       `xml:"AccountingCustomerParty"`
	PaymentFormID    string          `xml:"PaymentMeans>ID"`
	PaymentMeansCode string          `xml:"PaymentMeans>PaymentMeansCode"`
	PaymentDueDate   *string         `xml:"PaymentMeans>PaymentDueDate"`
	Allowances       []readAllowance `xml:"AllowanceCharge"`
	TaxTotals        []readTaxTotal  `xml:"TaxTotal"`
	Monetary         readMonetary    `xml:"LegalMonetaryTotal"`
	Lines            []struct {
		ID       string `xml:"ID"`
		Quantity struct {
			UnitCode string `xml:"unitCode,attr"`
			Value    string `xml:",chardata"`
		} `xml:"CreditedQuantity"`
		Extension    string          `xml:"LineExtensionAmount"`
		TaxTotals    []readTaxTotal  `xml:"TaxTotal"`
		Allowances   []readAllowance `xml:"AllowanceCharge"`
		Description  string          `xml:"Item>Description"`
		Price        string          `xml:"Price>PriceAmount"`
		BaseQuantity string          `xml:"Price>BaseQuantity"`
	} `xml:"CreditNoteLine"`
}

func readNote(t *testing.T, out []byte) readCreditNote {
	t.Helper()
	var v readCreditNote
	if err := xml.Unmarshal(out, &v); err != nil {
		t.Fatalf("reading the credit note back: %v", err)
	}
	return v
}

func TestCreditNoteXMLValidatesAgainstUBL(t *testing.T) {
	for _, c := range noteCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if err := validateAgainst(t, renderNote(t, c.doc), creditNoteSchema); err != nil {
				t.Errorf("xmllint refuses the credit note:\n%v", err)
			}
		})
	}
}

// TestCreditNoteSchemaCheckBites: the validation above would catch an
// invoice's element in a note, so its passing means something.
func TestCreditNoteSchemaCheckBites(t *testing.T) {
	out := renderNote(t, noteCases(t)[0].doc)
	invoiceShaped := bytes.ReplaceAll(out, []byte("cbc:CreditedQuantity"), []byte("cbc:InvoicedQuantity"))
	if bytes.Equal(invoiceShaped, out) {
		t.Fatal("the note has no CreditedQuantity")
	}
	if err := validateAgainst(t, invoiceShaped, creditNoteSchema); err == nil {
		t.Error("xmllint accepted a CreditNoteLine with an InvoicedQuantity")
	}
	if err := validate(t, out); err == nil {
		t.Error("xmllint accepted a credit note as an Invoice")
	}
}

func TestCreditNoteXMLCUDERoundTrip(t *testing.T) {
	for _, c := range noteCases(t) {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParseCreditNote(renderNote(t, c.doc))
			if err != nil {
				t.Fatalf("ParseCreditNote: %v", err)
			}
			n := c.doc.Note
			if p.CUDE != n.CUDE {
				t.Errorf("UUID = %s, want the note's CUDE %s", p.CUDE, n.CUDE)
			}
			if p.Fields.Key != "" {
				t.Errorf("Key = %q, want it left to the caller", p.Fields.Key)
			}
			p.Fields.Key = testPIN
			if got := CUFE(p.Fields); got != n.CUDE {
				t.Errorf("CUDE recomputed from the XML = %s, want %s\n from the XML %s\n issued from %s",
					got, n.CUDE, p.Fields, CreditNoteCUDEFields(c.doc, testPIN))
			}
			if p.ResponseCode != strconv.Itoa(int(n.Concepto)) {
				t.Errorf("ResponseCode = %q, want concept %d", p.ResponseCode, n.Concepto)
			}
			if p.InvoiceID != c.doc.Invoice.Numero || p.InvoiceCUFE != c.doc.Invoice.CUFE || p.InvoiceIssueDate != c.doc.Invoice.IssueDate {
				t.Errorf("the referenced invoice = %s %s %s, want %+v", p.InvoiceID, p.InvoiceCUFE, p.InvoiceIssueDate, c.doc.Invoice)
			}
		})
	}
}

func TestCreditNoteXMLIsDeterministic(t *testing.T) {
	for _, c := range noteCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if a, b := renderNote(t, c.doc), renderNote(t, c.doc); !bytes.Equal(a, b) {
				t.Error("two renderings of one note differ")
			}
		})
	}
}

func TestCreditNoteXMLHead(t *testing.T) {
	c := noteCases(t)[0]
	out := renderNote(t, c.doc)
	const decl = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n<CreditNote "
	if !bytes.HasPrefix(out, []byte(decl)) {
		t.Fatalf("the document starts %q, want %q", out[:min(len(out), len(decl))], decl)
	}
	root := out[:bytes.IndexByte(out[len(decl):], '>')+len(decl)]
	for _, ns := range []string{
		`xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"`,
		`xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"`,
		`xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"`,
		`xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"`,
		`xmlns:sts="dian:gov:co:facturaelectronica:Structures-2-1"`,
		`xmlns:ds="http://www.w3.org/2000/09/xmldsig#"`,
		`xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"`,
	} {
		if !bytes.Contains(root, []byte(ns)) {
			t.Errorf("the root does not declare %s", ns)
		}
	}
	for _, absent := range []string{"ds:Signature", "InvoiceControl", "InvoiceTypeCode", "DueDate"} {
		if bytes.Contains(out, []byte(absent)) {
			t.Errorf("the note carries %s", absent)
		}
	}

	v := readNote(t, out)
	if len(v.Extensions) != 1 || v.Extensions[0].Dian == nil {
		t.Fatalf("want exactly one UBLExtension holding sts:DianExtensions, got %d", len(v.Extensions))
	}
	d := *v.Extensions[0].Dian
	n := c.doc.Note
	checks := []struct{ what, got, want string }{
		{"InvoiceSource", d.Source.Code, "CO"},
		{"ProviderID", d.ProviderID.Value, testSellerNIT},
		{"ProviderID@schemeID (the DV)", d.ProviderID.SchemeID, "8"},
		{"SoftwareID", d.SoftwareID, testSoftwareID},
		{"SoftwareSecurityCode", d.SecurityCode, SoftwareSecurityCode(testSoftwareID, testPIN, "NC1")},
		{"AuthorizationProviderID", d.AuthProvider.Value, "800197268"},
		{"QRCode", d.QRCode, QRURL(n.CUDE, billing.AmbientePruebas)},
		{"CustomizationID", v.CustomizationID, "20"},
		{"ProfileID", v.ProfileID, "DIAN 2.1: Nota Crédito de Factura Electrónica de Venta"},
		{"ProfileExecutionID", v.ProfileExecutionID, "2"},
		{"ID", v.ID, "NC1"},
		{"UUID", v.UUID.Value, n.CUDE},
		{"UUID@schemeID", v.UUID.SchemeID, "2"},
		{"UUID@schemeName", v.UUID.SchemeName, "CUDE-SHA384"},
		{"IssueDate", v.IssueDate, testNoteDate},
		{"IssueTime", v.IssueTime, testNoteTime},
		{"CreditNoteTypeCode", v.TypeCode, "91"},
		{"DocumentCurrencyCode", v.Currency, "COP"},
		{"LineCountNumeric", strconv.Itoa(v.LineCount), "1"},
		{"DiscrepancyResponse/ReferenceID", v.Discrepancy.ReferenceID, "SETP990000050"},
		{"DiscrepancyResponse/ResponseCode", v.Discrepancy.ResponseCode, "1"},
		{"DiscrepancyResponse/Description", v.Discrepancy.Description, "Devolución de un uniforme talla 10"},
		{"InvoiceDocumentReference/ID", v.Reference.ID, "SETP990000050"},
		{"InvoiceDocumentReference/UUID", v.Reference.UUID.Value, c.doc.Invoice.CUFE},
		{"InvoiceDocumentReference/UUID@schemeName", v.Reference.UUID.SchemeName, "CUFE-SHA384"},
		{"InvoiceDocumentReference/IssueDate", v.Reference.IssueDate, testIssueDate},
		{"PaymentMeans/ID", v.PaymentFormID, "1"},
		{"PaymentMeansCode", v.PaymentMeansCode, "10"},
		{"the supplier's CompanyID", v.Supplier.Party.TaxScheme.CompanyID.Value, testSellerNIT},
		{"the supplier's prefix", v.Supplier.Party.LegalEntity.Prefix, "NC"},
		{"the customer's CompanyID", v.Customer.Party.TaxScheme.CompanyID.Value, "1020304050"},
		{"the customer's ID type", v.Customer.Party.TaxScheme.CompanyID.SchemeName, "13"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %q, want %q", ch.what, ch.got, ch.want)
		}
	}
	if v.Note == nil || *v.Note != n.Motivo {
		t.Errorf("Note = %v, want the motivo %q", v.Note, n.Motivo)
	}
	if v.PaymentDueDate != nil {
		t.Errorf("PaymentDueDate = %s, want none", *v.PaymentDueDate)
	}

	// Without a motivo the description is the concept's name, and there is
	// no Note.
	bare := readNote(t, renderNote(t, noteCases(t)[4].doc))
	if bare.Note != nil || bare.Discrepancy.Description != "Descuento comercial por pronto pago" || bare.Discrepancy.ResponseCode != "5" {
		t.Errorf("without a motivo: Note %v, DiscrepancyResponse %+v", bare.Note, bare.Discrepancy)
	}
}

func TestCreditNoteXMLFigures(t *testing.T) {
	for _, c := range noteCases(t) {
		t.Run(c.name, func(t *testing.T) {
			v := readNote(t, renderNote(t, c.doc))
			if v.Monetary != c.monetary {
				t.Errorf("LegalMonetaryTotal = %+v\n                 want %+v", v.Monetary, c.monetary)
			}
			if cents(c.doc.Note.Total) != c.monetary.Payable {
				t.Errorf("the note's Total %s is not PayableAmount %s", c.doc.Note.Total, c.monetary.Payable)
			}
			var allowances []string
			for i, a := range v.Allowances {
				allowances = append(allowances, a.ChargeIndicator+" "+a.Reason+" "+a.Amount)
				if a.ID != strconv.Itoa(i+1) || a.BaseAmount != c.monetary.LineExtension ||
					a.Factor != percentOf(money.Must(a.Amount), money.Must(a.BaseAmount)) {
					t.Errorf("AllowanceCharge %+v: want ID %d over the subtotal %s", a, i+1, c.monetary.LineExtension)
				}
			}
			if strings.Join(allowances, "|") != strings.Join(c.allowances, "|") {
				t.Errorf("document AllowanceCharges = %q, want %q", allowances, c.allowances)
			}
			var schemes []string
			for _, tt := range v.TaxTotals {
				schemes = append(schemes, tt.Subtotals[0].SchemeID)
			}
			if strings.Join(schemes, ",") != strings.Join(c.taxSchemes, ",") {
				t.Errorf("document TaxTotals by scheme = %v, want %v", schemes, c.taxSchemes)
			}
			for i, g := range c.doc.Note.Taxes {
				var found bool
				for _, tt := range v.TaxTotals {
					for _, st := range tt.Subtotals {
						found = found || (st.SchemeID == string(schemeOf(g.Tributo)) && st.Percent == g.Tarifa.RoundCents().String() &&
							st.TaxableAmount == cents(g.Base) && st.TaxAmount == cents(g.Valor))
					}
				}
				if !found {
					t.Errorf("the note's tax group %d %+v has no TaxSubtotal", i, g)
				}
			}
			if len(v.Lines) != len(c.lines) || v.LineCount != len(c.lines) {
				t.Fatalf("%d lines (LineCountNumeric %d), want %d", len(v.Lines), v.LineCount, len(c.lines))
			}
			for i, l := range v.Lines {
				var tax, allowance string
				if len(l.TaxTotals) > 0 {
					tax = l.TaxTotals[0].TaxAmount
				}
				if len(l.Allowances) > 0 {
					allowance = l.Allowances[0].Amount
				}
				got := [5]string{l.Quantity.Value, l.Price, l.Extension, tax, allowance}
				if got != c.lines[i] || l.ID != strconv.Itoa(i+1) || l.Quantity.UnitCode != "94" || l.BaseQuantity != "1.00" ||
					l.Description != c.doc.Note.Lines[i].Descripcion {
					t.Errorf("line %s: quantity, price, extension, tax, allowance = %q, want %q (%+v)", l.ID, got, c.lines[i], l)
				}
				// Quantity × price − the line's allowance is the line's value.
				q, p := money.Must(l.Quantity.Value), money.Must(l.Price)
				net := q.Mul(p).RoundCents()
				if allowance != "" {
					net = net.Sub(money.Must(allowance))
				}
				if cents(net) != l.Extension {
					t.Errorf("line %s: %s × %s − %q = %s, not its LineExtensionAmount %s", l.ID, q, p, allowance, net, l.Extension)
				}
			}
		})
	}
}

func TestCreditNoteXMLAmountsHaveTwoDecimalsAndCOP(t *testing.T) {
	for _, c := range noteCases(t) {
		t.Run(c.name, func(t *testing.T) { checkAmounts(t, renderNote(t, c.doc)) })
	}
}

func TestCreditNoteXMLRefuses(t *testing.T) {
	good := noteCases(t)[0].doc
	change := func(f func(*billing.CreditNoteDocument)) billing.CreditNoteDocument {
		d := good
		d.Note.Lines = append([]billing.CreditNoteLine(nil), good.Note.Lines...)
		f(&d)
		return d
	}
	tests := []struct {
		name string
		doc  billing.CreditNoteDocument
	}{
		{"the zero document", billing.CreditNoteDocument{}},
		{"no number", change(func(d *billing.CreditNoteDocument) { d.Note.Numero = "" })},
		{"no CUDE", change(func(d *billing.CreditNoteDocument) { d.Note.CUDE = "" })},
		{"no issue time", change(func(d *billing.CreditNoteDocument) { d.Note.IssueTime = "" })},
		{"concept 0", change(func(d *billing.CreditNoteDocument) { d.Note.Concepto = 0 })},
		{"concept 7", change(func(d *billing.CreditNoteDocument) { d.Note.Concepto = 7 })},
		{"no invoice CUFE", change(func(d *billing.CreditNoteDocument) { d.Invoice.CUFE = "" })},
		{"no invoice issue date", change(func(d *billing.CreditNoteDocument) { d.Invoice.IssueDate = "" })},
		{"no lines", change(func(d *billing.CreditNoteDocument) { d.Note.Lines = nil })},
		{"no software ID", change(func(d *billing.CreditNoteDocument) { d.Seller.SoftwareID = "" })},
		{"no security code", change(func(d *billing.CreditNoteDocument) { d.SoftwareSecurityCode = "" })},
		{"no QR URL", change(func(d *billing.CreditNoteDocument) { d.QRURL = "" })},
		{"seller without a DANE code", change(func(d *billing.CreditNoteDocument) { d.Seller.Municipio = "" })},
		{"buyer without an ID", change(func(d *billing.CreditNoteDocument) { d.Buyer.Nit = "" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := CreditNoteXML(tt.doc)
			if !errors.Is(err, ErrIncomplete) || out != nil {
				t.Errorf("CreditNoteXML = %d bytes, %v; want ErrIncomplete", len(out), err)
			}
		})
	}
	if _, err := CreditNoteXML(good); err != nil {
		t.Errorf("the unchanged document: %v", err)
	}
	_, err := CreditNoteXML(change(func(d *billing.CreditNoteDocument) { d.Note.CUDE, d.QRURL = "", "" }))
	if err == nil || !strings.Contains(err.Error(), `"NC1"`) || !strings.Contains(err.Error(), "no the CUDE, no the QR URL") {
		t.Errorf("the error %v names neither the note nor all that is missing", err)
	}
}

func TestCreditNoteCUDEVector(t *testing.T) {
	// FISCAL.md §4's CUDE vector, as a note's document.
	doc := billing.CreditNoteDocument{
		Seller: billing.FiscalProfile{Nit: "900373076", Ambiente: billing.AmbienteProduccion},
		Note: billing.CreditNote{
			Numero: "8110007871", IssueDate: "2019-01-12", IssueTime: "07:00:00-05:00",
			Credit: billing.Credit{
				Subtotal: money.Must("5000.00"), Impuestos: money.Must("950.00"), Total: money.Must("5950.00"),
				Taxes: []billing.TaxGroup{{Tributo: billing.SchemeIVA, Tarifa: money.Must("19.00"), Base: money.Must("5000.00"), Valor: money.Must("950.00")}},
			},
		},
		Buyer: billing.Customer{Nit: "8355990"},
	}
	const want = "907e4444decc9e59c160a2fb3b6659b33dc5b632a5008922b9a62f83f757b1c448e47f5867f2b50dbdb96f48c7681168"
	f := CreditNoteCUDEFields(doc, "12301")
	if got := CUFE(f); got != want {
		t.Errorf("CUDE = %s\nwant   %s\nhashed %q", got, want, f.String())
	}
}

func TestCreditNoteCUDEFields(t *testing.T) {
	tests := []struct {
		name string
		c    noteCase
		want CUFEFields
	}{
		{"IVA only", noteCases(t)[0], CUFEFields{
			NumFac: "NC1", FecFac: testNoteDate, HorFac: testNoteTime,
			ValFac: money.Must("90000.00"), ValIVA: money.Must("17100.00"), ValINC: zero, ValICA: zero, ValTot: money.Must("107100.00"),
			NitOFE: testSellerNIT, NumAdq: "1020304050", Key: testPIN, TipoAmbiente: "2",
		}},
		{"IVA and INC, closing with the document-level amounts", noteCases(t)[1], CUFEFields{
			NumFac: "NC2", FecFac: testNoteDate, HorFac: testNoteTime,
			ValFac: money.Must("1533501.00"), ValIVA: money.Must("59565.19"), ValINC: money.Must("1600.00"), ValICA: zero,
			ValTot: money.Must("1546666.19"), NitOFE: testSellerNIT, NumAdq: "1020304050", Key: testPIN, TipoAmbiente: "2",
		}},
		{"excluded only: no tax", noteCases(t)[2], CUFEFields{
			NumFac: "NC3", FecFac: testNoteDate, HorFac: testNoteTime,
			ValFac: money.Must("100000.00"), ValIVA: zero, ValINC: zero, ValICA: zero, ValTot: money.Must("100000.00"),
			NitOFE: testSellerNIT, NumAdq: "1020304050", Key: testPIN, TipoAmbiente: "2",
		}},
		{"a company buyer (NIT)", noteCases(t)[6], CUFEFields{
			NumFac: "NC7", FecFac: testNoteDate, HorFac: testNoteTime,
			ValFac: money.Must("45000.00"), ValIVA: zero, ValINC: money.Must("3600.00"), ValICA: zero, ValTot: money.Must("53100.00"),
			NitOFE: testSellerNIT, NumAdq: "890903938", Key: testPIN, TipoAmbiente: "2",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CreditNoteCUDEFields(tt.c.doc, testPIN)
			if got.String() != tt.want.String() {
				t.Errorf("CreditNoteCUDEFields:\n got %s\nwant %s", got, tt.want)
			}
			if tt.c.doc.Note.CUDE != CUFE(tt.want) {
				t.Error("the note's CUDE is not the CUDE of its fields")
			}
		})
	}
	production := noteCases(t)[0].doc
	production.Seller.Ambiente = billing.AmbienteProduccion
	if f := CreditNoteCUDEFields(production, testPIN); f.TipoAmbiente != "1" {
		t.Errorf("TipoAmbiente in production = %q, want 1", f.TipoAmbiente)
	}
}

func TestCreditNoteQRText(t *testing.T) {
	cases := noteCases(t)
	tests := []struct {
		name string
		doc  billing.CreditNoteDocument
		want string // without the CUDE and QRCode lines
	}{
		{"IVA and INC", cases[4].doc, "NumFac: NC5\nFecFac: 2026-02-10\nHorFac: 09:30:00-05:00\nNitFac: 900123456\nDocAdq: 1020304050\n" +
			"ValFac: 10000.00\nValIva: 1710.00\nValOtroIm: 80.00\nValTolFac: 11790.00"},
		{"excluded only", cases[2].doc, "NumFac: NC3\nFecFac: 2026-02-10\nHorFac: 09:30:00-05:00\nNitFac: 900123456\nDocAdq: 1020304050\n" +
			"ValFac: 100000.00\nValIva: 0.00\nValOtroIm: 0.00\nValTolFac: 100000.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cude := tt.doc.Note.CUDE
			want := tt.want + "\nCUDE: " + cude + "\nQRCode: https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=" + cude
			if got := CreditNoteQRText(tt.doc); got != want {
				t.Errorf("CreditNoteQRText:\n%s\nwant\n%s", got, want)
			}
			if tt.doc.Note.QR != want {
				t.Error("the note's QR is not CreditNoteQRText")
			}
		})
	}
}

func TestParseCreditNoteRefuses(t *testing.T) {
	good := renderNote(t, noteCases(t)[0].doc)
	drop := func(element string) []byte {
		return regexp.MustCompile(fmt.Sprintf(`<%s[^<]*</%s>`, element, element)).ReplaceAll(good, nil)
	}
	tests := []struct {
		name string
		doc  []byte
		want string
	}{
		{"not XML", []byte("nota"), "parsing credit note"},
		{"an invoice", render(t, xmlCases(t)[1].doc), "not a UBL CreditNote"},
		{"no PayableAmount", drop("cbc:PayableAmount"), "PayableAmount: missing"},
		{"a bad amount", bytes.Replace(good, []byte(">107100.00</cbc:PayableAmount>"), []byte(">107.100,00</cbc:PayableAmount>"), 1), "PayableAmount"},
		{"no UUID", drop("cbc:UUID"), "UUID"},
		{"no ResponseCode", drop("cbc:ResponseCode"), "ResponseCode"},
		{"no invoice reference", regexp.MustCompile(`(?s)<cac:BillingReference>.*</cac:BillingReference>`).ReplaceAll(good, nil),
			"InvoiceDocumentReference/ID InvoiceDocumentReference/UUID InvoiceDocumentReference/IssueDate"},
		{"no customer", regexp.MustCompile(`(?s)<cac:AccountingCustomerParty>.*</cac:AccountingCustomerParty>`).ReplaceAll(good, nil),
			"the customer's CompanyID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseCreditNote(tt.doc); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseCreditNote error %v, want one naming %q", err, tt.want)
			}
		})
	}
	if _, err := ParseCreditNote(good); err != nil {
		t.Errorf("the unchanged note: %v", err)
	}
}
