package dian

import (
	"encoding/xml"

	"billing/internal/money"
)

// The namespaces of an invoice and a credit note. encoding/xml cannot choose prefixes (it
// writes xmlns="…" on every element of another namespace), while DIAN's
// documents and the signer expect the customary prefixes declared once on
// the root: so the marshalled names below carry their prefix literally, and
// the root declares these.
const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
	nsEXT        = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
	nsSTS        = "dian:gov:co:facturaelectronica:Structures-2-1"
	// The signature's namespaces are declared now, though unused until the
	// document is signed: the signer then inserts its UBLExtension into these
	// exact bytes, and the inclusive C14N of KeyInfo and SignedProperties
	// sees them in scope on the root as DIAN's own samples have them.
	nsDS    = "http://www.w3.org/2000/09/xmldsig#"
	nsXAdES = "http://uri.etsi.org/01903/v1.3.2#"
)

// The types below are the UBL 2.1 elements an invoice and a credit note use, their fields in
// the schema's sequence order (encoding/xml writes fields in declaration
// order, and xmllint refuses any other order). Optional elements are
// pointers or omitempty strings; a pointer also keeps a path's parent
// elements ("a>b") from being written empty.

// invoiceDoc is the root Invoice.
type invoiceDoc struct {
	XMLName    xml.Name `xml:"Invoice"`
	Xmlns      string   `xml:"xmlns,attr"`
	XmlnsCAC   string   `xml:"xmlns:cac,attr"`
	XmlnsCBC   string   `xml:"xmlns:cbc,attr"`
	XmlnsEXT   string   `xml:"xmlns:ext,attr"`
	XmlnsSTS   string   `xml:"xmlns:sts,attr"`
	XmlnsDS    string   `xml:"xmlns:ds,attr"`
	XmlnsXAdES string   `xml:"xmlns:xades,attr"`

	// Dian is the first and, unsigned, the only UBLExtension.
	Dian                 dianExtensions    `xml:"ext:UBLExtensions>ext:UBLExtension>ext:ExtensionContent>sts:DianExtensions"`
	UBLVersionID         string            `xml:"cbc:UBLVersionID"`
	CustomizationID      string            `xml:"cbc:CustomizationID"`
	ProfileID            string            `xml:"cbc:ProfileID"`
	ProfileExecutionID   string            `xml:"cbc:ProfileExecutionID"`
	ID                   string            `xml:"cbc:ID"`
	UUID                 identifier        `xml:"cbc:UUID"`
	IssueDate            string            `xml:"cbc:IssueDate"`
	IssueTime            string            `xml:"cbc:IssueTime"`
	DueDate              string            `xml:"cbc:DueDate,omitempty"`
	InvoiceTypeCode      string            `xml:"cbc:InvoiceTypeCode"`
	DocumentCurrencyCode string            `xml:"cbc:DocumentCurrencyCode"`
	LineCountNumeric     int               `xml:"cbc:LineCountNumeric"`
	Supplier             accountingParty   `xml:"cac:AccountingSupplierParty"`
	Customer             accountingParty   `xml:"cac:AccountingCustomerParty"`
	PaymentMeans         paymentMeans      `xml:"cac:PaymentMeans"`
	AllowanceCharges     []allowanceCharge `xml:"cac:AllowanceCharge"` // document level
	TaxTotals            []taxTotal        `xml:"cac:TaxTotal"`
	MonetaryTotal        monetaryTotal     `xml:"cac:LegalMonetaryTotal"`
	Lines                []invoiceLine     `xml:"cac:InvoiceLine"`
}

// creditNoteDoc is the root CreditNote: the invoice's head without
// InvoiceControl, and the reference to the invoice it corrects.
type creditNoteDoc struct {
	XMLName    xml.Name `xml:"CreditNote"`
	Xmlns      string   `xml:"xmlns,attr"`
	XmlnsCAC   string   `xml:"xmlns:cac,attr"`
	XmlnsCBC   string   `xml:"xmlns:cbc,attr"`
	XmlnsEXT   string   `xml:"xmlns:ext,attr"`
	XmlnsSTS   string   `xml:"xmlns:sts,attr"`
	XmlnsDS    string   `xml:"xmlns:ds,attr"`
	XmlnsXAdES string   `xml:"xmlns:xades,attr"`

	Dian                 dianExtensions      `xml:"ext:UBLExtensions>ext:UBLExtension>ext:ExtensionContent>sts:DianExtensions"`
	UBLVersionID         string              `xml:"cbc:UBLVersionID"`
	CustomizationID      string              `xml:"cbc:CustomizationID"`
	ProfileID            string              `xml:"cbc:ProfileID"`
	ProfileExecutionID   string              `xml:"cbc:ProfileExecutionID"`
	ID                   string              `xml:"cbc:ID"`
	UUID                 identifier          `xml:"cbc:UUID"`
	IssueDate            string              `xml:"cbc:IssueDate"`
	IssueTime            string              `xml:"cbc:IssueTime"`
	CreditNoteTypeCode   string              `xml:"cbc:CreditNoteTypeCode"`
	Note                 string              `xml:"cbc:Note,omitempty"`
	DocumentCurrencyCode string              `xml:"cbc:DocumentCurrencyCode"`
	LineCountNumeric     int                 `xml:"cbc:LineCountNumeric"`
	DiscrepancyResponse  discrepancyResponse `xml:"cac:DiscrepancyResponse"`
	InvoiceReference     documentReference   `xml:"cac:BillingReference>cac:InvoiceDocumentReference"`
	Supplier             accountingParty     `xml:"cac:AccountingSupplierParty"`
	Customer             accountingParty     `xml:"cac:AccountingCustomerParty"`
	PaymentMeans         paymentMeans        `xml:"cac:PaymentMeans"`
	AllowanceCharges     []allowanceCharge   `xml:"cac:AllowanceCharge"` // document level
	TaxTotals            []taxTotal          `xml:"cac:TaxTotal"`
	MonetaryTotal        monetaryTotal       `xml:"cac:LegalMonetaryTotal"`
	Lines                []creditNoteLine    `xml:"cac:CreditNoteLine"`
}

// discrepancyResponse is why a note corrects the invoice: the invoice's
// number, DIAN's concept code and its description.
type discrepancyResponse struct {
	ReferenceID  string `xml:"cbc:ReferenceID"`
	ResponseCode string `xml:"cbc:ResponseCode"`
	Description  string `xml:"cbc:Description"`
}

// documentReference is the invoice a note references: its number, CUFE and
// issue date.
type documentReference struct {
	ID        string     `xml:"cbc:ID"`
	UUID      identifier `xml:"cbc:UUID"`
	IssueDate string     `xml:"cbc:IssueDate"`
}

// dianExtensions is sts:DianExtensions (Anexo técnico 1.9).
type dianExtensions struct {
	Control                 *invoiceControl `xml:"sts:InvoiceControl"` // invoices only
	Source                  code            `xml:"sts:InvoiceSource>cbc:IdentificationCode"`
	ProviderID              identifier      `xml:"sts:SoftwareProvider>sts:ProviderID"`
	SoftwareID              identifier      `xml:"sts:SoftwareProvider>sts:SoftwareID"`
	SoftwareSecurityCode    identifier      `xml:"sts:SoftwareSecurityCode"`
	AuthorizationProviderID identifier      `xml:"sts:AuthorizationProvider>sts:AuthorizationProviderID"`
	QRCode                  string          `xml:"sts:QRCode"`
}

// invoiceControl is the numbering authorisation the invoice was numbered
// under.
type invoiceControl struct {
	InvoiceAuthorization string `xml:"sts:InvoiceAuthorization"`
	StartDate            string `xml:"sts:AuthorizationPeriod>cbc:StartDate"`
	EndDate              string `xml:"sts:AuthorizationPeriod>cbc:EndDate"`
	Prefix               string `xml:"sts:AuthorizedInvoices>sts:Prefix"`
	From                 int64  `xml:"sts:AuthorizedInvoices>sts:From"`
	To                   int64  `xml:"sts:AuthorizedInvoices>sts:To"`
}

// identifier is an identifier with its scheme (udt:IdentifierType).
type identifier struct {
	SchemeAgencyID   string `xml:"schemeAgencyID,attr,omitempty"`
	SchemeAgencyName string `xml:"schemeAgencyName,attr,omitempty"`
	SchemeID         string `xml:"schemeID,attr,omitempty"`
	SchemeName       string `xml:"schemeName,attr,omitempty"`
	Value            string `xml:",chardata"`
}

// code is a code with its list (udt:CodeType).
type code struct {
	ListAgencyID   string `xml:"listAgencyID,attr,omitempty"`
	ListAgencyName string `xml:"listAgencyName,attr,omitempty"`
	ListName       string `xml:"listName,attr,omitempty"`
	ListSchemeURI  string `xml:"listSchemeURI,attr,omitempty"`
	Value          string `xml:",chardata"`
}

// text is a text with its language (udt:TextType, udt:NameType).
type text struct {
	LanguageID string `xml:"languageID,attr,omitempty"`
	Value      string `xml:",chardata"`
}

// amount is a money amount (udt:AmountType): always COP and 2 decimals.
type amount struct {
	CurrencyID string `xml:"currencyID,attr"`
	Value      string `xml:",chardata"`
}

// cop is d as an amount of pesos with exactly 2 decimals (see cents).
func cop(d money.Decimal) amount { return amount{CurrencyID: currencyCOP, Value: cents(d)} }

// quantity is a quantity with its unit (udt:QuantityType).
type quantity struct {
	UnitCode string `xml:"unitCode,attr"`
	Value    string `xml:",chardata"`
}

// accountingParty is AccountingSupplierParty or AccountingCustomerParty.
type accountingParty struct {
	AdditionalAccountID string `xml:"cbc:AdditionalAccountID"`
	Party               party  `xml:"cac:Party"`
}

// party is cac:Party, with what DIAN reads of it.
type party struct {
	Identification *identifier      `xml:"cac:PartyIdentification>cbc:ID"`
	Name           *string          `xml:"cac:PartyName>cbc:Name"`
	Location       *address         `xml:"cac:PhysicalLocation>cac:Address"`
	TaxScheme      partyTaxScheme   `xml:"cac:PartyTaxScheme"`
	LegalEntity    partyLegalEntity `xml:"cac:PartyLegalEntity"`
	Contact        *contact         `xml:"cac:Contact"`
}

// partyTaxScheme is a party's fiscal identity: its ID, responsibilities and
// tax scheme.
type partyTaxScheme struct {
	RegistrationName    string     `xml:"cbc:RegistrationName"`
	CompanyID           identifier `xml:"cbc:CompanyID"`
	TaxLevelCode        code       `xml:"cbc:TaxLevelCode"`
	RegistrationAddress *address   `xml:"cac:RegistrationAddress"`
	TaxScheme           taxScheme  `xml:"cac:TaxScheme"`
}

// partyLegalEntity is a party's legal identity.
type partyLegalEntity struct {
	RegistrationName string     `xml:"cbc:RegistrationName"`
	CompanyID        identifier `xml:"cbc:CompanyID"`
	// CorporateRegistrationScheme is the seller's numbering prefix.
	CorporateRegistrationScheme *string `xml:"cac:CorporateRegistrationScheme>cbc:ID"`
}

// contact is cac:Contact.
type contact struct {
	Telephone      string `xml:"cbc:Telephone,omitempty"`
	ElectronicMail string `xml:"cbc:ElectronicMail,omitempty"`
}

// address is cac:AddressType, as Colombian addresses fill it.
type address struct {
	ID                   string  `xml:"cbc:ID,omitempty"` // DANE municipality code
	CityName             string  `xml:"cbc:CityName,omitempty"`
	CountrySubentity     string  `xml:"cbc:CountrySubentity,omitempty"`
	CountrySubentityCode string  `xml:"cbc:CountrySubentityCode,omitempty"` // DANE department code
	Line                 *string `xml:"cac:AddressLine>cbc:Line"`
	Country              country `xml:"cac:Country"`
}

// country is cac:Country.
type country struct {
	IdentificationCode string `xml:"cbc:IdentificationCode"`
	Name               text   `xml:"cbc:Name"`
}

// taxScheme is cac:TaxScheme: a tax's code and name.
type taxScheme struct {
	ID   string `xml:"cbc:ID"`
	Name string `xml:"cbc:Name"`
}

// paymentMeans is cac:PaymentMeans: the payment form (ID) and means.
type paymentMeans struct {
	ID               string `xml:"cbc:ID"`
	PaymentMeansCode string `xml:"cbc:PaymentMeansCode"`
	PaymentDueDate   string `xml:"cbc:PaymentDueDate,omitempty"`
}

// allowanceCharge is cac:AllowanceCharge: a discount (ChargeIndicator
// false) or a charge, with the percentage of BaseAmount it is.
type allowanceCharge struct {
	ID                      int    `xml:"cbc:ID"`
	ChargeIndicator         bool   `xml:"cbc:ChargeIndicator"`
	AllowanceChargeReason   string `xml:"cbc:AllowanceChargeReason"`
	MultiplierFactorNumeric string `xml:"cbc:MultiplierFactorNumeric"`
	Amount                  amount `xml:"cbc:Amount"`
	BaseAmount              amount `xml:"cbc:BaseAmount"`
}

// taxTotal is one tax scheme's total and its subtotals per rate.
type taxTotal struct {
	TaxAmount amount        `xml:"cbc:TaxAmount"`
	Subtotals []taxSubtotal `xml:"cac:TaxSubtotal"`
}

// taxSubtotal is the tax of one base at one rate.
type taxSubtotal struct {
	TaxableAmount amount      `xml:"cbc:TaxableAmount"`
	TaxAmount     amount      `xml:"cbc:TaxAmount"`
	Category      taxCategory `xml:"cac:TaxCategory"`
}

// taxCategory is a subtotal's rate and scheme.
type taxCategory struct {
	Percent   string    `xml:"cbc:Percent"`
	TaxScheme taxScheme `xml:"cac:TaxScheme"`
}

// monetaryTotal is cac:LegalMonetaryTotal.
type monetaryTotal struct {
	LineExtensionAmount  amount `xml:"cbc:LineExtensionAmount"`
	TaxExclusiveAmount   amount `xml:"cbc:TaxExclusiveAmount"`
	TaxInclusiveAmount   amount `xml:"cbc:TaxInclusiveAmount"`
	AllowanceTotalAmount amount `xml:"cbc:AllowanceTotalAmount"`
	ChargeTotalAmount    amount `xml:"cbc:ChargeTotalAmount"`
	PayableAmount        amount `xml:"cbc:PayableAmount"`
}

// invoiceLine is cac:InvoiceLine.
type invoiceLine struct {
	ID                  int              `xml:"cbc:ID"`
	InvoicedQuantity    quantity         `xml:"cbc:InvoicedQuantity"`
	LineExtensionAmount amount           `xml:"cbc:LineExtensionAmount"`
	AllowanceCharge     *allowanceCharge `xml:"cac:AllowanceCharge"` // the line discount, if any
	TaxTotal            *taxTotal        `xml:"cac:TaxTotal"`        // nil for an excluded line
	Description         string           `xml:"cac:Item>cbc:Description"`
	PriceAmount         amount           `xml:"cac:Price>cbc:PriceAmount"`
	BaseQuantity        quantity         `xml:"cac:Price>cbc:BaseQuantity"`
}

// creditNoteLine is cac:CreditNoteLine. Its schema puts TaxTotal before
// AllowanceCharge, the other way round from InvoiceLine.
type creditNoteLine struct {
	ID                  int              `xml:"cbc:ID"`
	CreditedQuantity    quantity         `xml:"cbc:CreditedQuantity"`
	LineExtensionAmount amount           `xml:"cbc:LineExtensionAmount"`
	TaxTotal            *taxTotal        `xml:"cac:TaxTotal"`        // nil for an excluded line
	AllowanceCharge     *allowanceCharge `xml:"cac:AllowanceCharge"` // the credited part of a line discount
	Description         string           `xml:"cac:Item>cbc:Description"`
	PriceAmount         amount           `xml:"cac:Price>cbc:PriceAmount"`
	BaseQuantity        quantity         `xml:"cac:Price>cbc:BaseQuantity"`
}
