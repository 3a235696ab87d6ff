package dian

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"

	"billing/internal/billing"
)

// AttachedParty is a party of the container: its DIAN identity.
type AttachedParty struct {
	RegistrationName string
	CompanyID        string // the NIT (or other identification) without check digit
	CheckDigit       string // "" when the identification has none
	SchemeName       string // the identification type code: 31 NIT, 13 cédula, …
	TaxLevelCode     string // responsibilities, ";"-separated (R-99-PN)
	TaxSchemeID      string // 01 IVA, 04 INC, ZA, ZZ
	TaxSchemeName    string
}

// Attached is what DIAN's container of an accepted invoice holds: the
// signed invoice and DIAN's ApplicationResponse to it, each kept whole.
type Attached struct {
	Numero           string // the invoice's number
	CUFE             string
	IssueDate        string // the invoice's, YYYY-MM-DD
	ProfileExecution string // 1 production, 2 test
	Sender, Receiver AttachedParty
	Invoice          []byte // the signed invoice, as sent
	Response         []byte // DIAN's ApplicationResponse, as received
	// ValidationDate and ValidationTime are DIAN's verdict's (the
	// ApplicationResponse's IssueDate and IssueTime).
	ValidationDate, ValidationTime string
}

// ErrAttachedIncomplete is a container missing what DIAN's receivers need.
var ErrAttachedIncomplete = errors.New("dian: the attached document lacks its invoice or DIAN's answer")

// AttachedDocument writes the UBL AttachedDocument a buyer receives by
// mail (Res. 042/2020): the signed invoice in the Attachment, DIAN's
// ApplicationResponse in the parent document's line with its verdict (02:
// validated). Both are carried as character data exactly as they are, so
// their signatures still verify once extracted.
func AttachedDocument(a Attached) ([]byte, error) {
	if len(a.Invoice) == 0 || len(a.Response) == 0 || a.Numero == "" || a.CUFE == "" {
		return nil, ErrAttachedIncomplete
	}
	if bytes.Contains(a.Invoice, []byte("]]>")) || bytes.Contains(a.Response, []byte("]]>")) {
		// Character data cannot carry its own end: such a document is not
		// one this package or DIAN writes.
		return nil, fmt.Errorf("dian: a document to attach contains %q", "]]>")
	}
	d := etree.NewDocument()
	d.CreateProcInst("xml", `version="1.0" encoding="UTF-8" standalone="no"`)
	root := d.CreateElement("AttachedDocument")
	root.CreateAttr("xmlns", "urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2")
	root.CreateAttr("xmlns:cac", nsCAC)
	root.CreateAttr("xmlns:cbc", nsCBC)
	text := func(parent *etree.Element, tag, v string) *etree.Element {
		e := parent.CreateElement(tag)
		e.SetText(v)
		return e
	}
	text(root, "cbc:UBLVersionID", "UBL 2.1")
	text(root, "cbc:CustomizationID", "Documentos adjuntos")
	text(root, "cbc:ProfileID", "Factura Electrónica de Venta")
	text(root, "cbc:ProfileExecutionID", a.ProfileExecution)
	text(root, "cbc:ID", a.Numero)
	text(root, "cbc:IssueDate", a.ValidationDate)
	text(root, "cbc:IssueTime", a.ValidationTime)
	text(root, "cbc:DocumentType", "Contenedor de Factura Electrónica")
	text(root, "cbc:ParentDocumentID", a.Numero)
	party := func(tag string, p AttachedParty) {
		s := root.CreateElement(tag).CreateElement("cac:PartyTaxScheme")
		text(s, "cbc:RegistrationName", p.RegistrationName)
		id := text(s, "cbc:CompanyID", p.CompanyID)
		id.CreateAttr("schemeAgencyID", "195")
		if p.CheckDigit != "" {
			id.CreateAttr("schemeID", p.CheckDigit)
		}
		id.CreateAttr("schemeName", p.SchemeName)
		text(s, "cbc:TaxLevelCode", p.TaxLevelCode)
		ts := s.CreateElement("cac:TaxScheme")
		text(ts, "cbc:ID", p.TaxSchemeID)
		text(ts, "cbc:Name", p.TaxSchemeName)
	}
	party("cac:SenderParty", a.Sender)
	party("cac:ReceiverParty", a.Receiver)
	attach := func(parent *etree.Element, doc []byte) {
		ref := parent.CreateElement("cac:Attachment").CreateElement("cac:ExternalReference")
		text(ref, "cbc:MimeCode", "text/xml")
		text(ref, "cbc:EncodingCode", "UTF-8")
		ref.CreateElement("cbc:Description").CreateCData(string(doc))
	}
	attach(root, a.Invoice)
	line := root.CreateElement("cac:ParentDocumentLineReference")
	text(line, "cbc:LineID", "1")
	ref := line.CreateElement("cac:DocumentReference")
	text(ref, "cbc:ID", a.Numero)
	u := text(ref, "cbc:UUID", a.CUFE)
	u.CreateAttr("schemeName", "CUFE-SHA384")
	text(ref, "cbc:IssueDate", a.IssueDate)
	text(ref, "cbc:DocumentType", "ApplicationResponse")
	attach(ref, a.Response)
	v := ref.CreateElement("cac:ResultOfVerification")
	text(v, "cbc:ValidatorID", "Unidad Especial Dirección de Impuestos y Aduanas Nacionales")
	text(v, "cbc:ValidationResultCode", "02")
	text(v, "cbc:ValidationDate", a.ValidationDate)
	text(v, "cbc:ValidationTime", a.ValidationTime)
	var b strings.Builder
	if _, err := d.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("dian: writing the attached document: %w", err)
	}
	return []byte(b.String()), nil
}

// AttachedOf fills the container of an accepted invoice from its frozen
// document (the parties as the invoice names them), the signed invoice and
// DIAN's ApplicationResponse, whose IssueDate and IssueTime are the
// verdict's.
func AttachedOf(doc billing.Document, signed, response []byte) (Attached, error) {
	if !doc.Electronic() {
		return Attached{}, fmt.Errorf("%w: invoice %s is not electronic", ErrAttachedIncomplete, doc.Invoice.Numero)
	}
	seller, err := supplierParty(doc.Seller, doc.Resolution.Prefijo)
	if err != nil {
		return Attached{}, err
	}
	buyer, err := customerParty(doc.Invoice.Customer)
	if err != nil {
		return Attached{}, err
	}
	r := etree.NewDocument()
	if err := r.ReadFromBytes(response); err != nil {
		return Attached{}, fmt.Errorf("dian: reading DIAN's answer: %w", err)
	}
	date, time := r.FindElement("/ApplicationResponse/IssueDate"), r.FindElement("/ApplicationResponse/IssueTime")
	if date == nil || time == nil {
		return Attached{}, fmt.Errorf("%w: DIAN's answer has no IssueDate and IssueTime", ErrAttachedIncomplete)
	}
	return Attached{
		Numero: doc.Invoice.Numero, CUFE: doc.Invoice.Stamp.CUFE, IssueDate: doc.Invoice.Stamp.IssueDate,
		ProfileExecution: doc.Seller.Ambiente.Code(),
		Sender:           attachedParty(seller), Receiver: attachedParty(buyer),
		Invoice: signed, Response: response,
		ValidationDate: strings.TrimSpace(date.Text()), ValidationTime: strings.TrimSpace(time.Text()),
	}, nil
}

// attachedParty is the container's view of a party of the invoice.
func attachedParty(p accountingParty) AttachedParty {
	t := p.Party.TaxScheme
	return AttachedParty{RegistrationName: t.RegistrationName, CompanyID: t.CompanyID.Value, CheckDigit: t.CompanyID.SchemeID,
		SchemeName: t.CompanyID.SchemeName, TaxLevelCode: t.TaxLevelCode.Value, TaxSchemeID: t.TaxScheme.ID, TaxSchemeName: t.TaxScheme.Name}
}

// SignAttached signs a container AttachedDocument wrote with the issuer's
// certificate, as DIAN's receivers expect it: the same XAdES-EPES as the
// invoice's, in the container's one UBLExtension (added first, as the
// schema orders it). The attached documents come back out of the signed
// container as they went in.
func SignAttached(container []byte, cert Certificate, at time.Time, numero string) ([]byte, error) {
	d := etree.NewDocument()
	if err := d.ReadFromBytes(container); err != nil {
		return nil, fmt.Errorf("dian: reading the attached document: %w", err)
	}
	root := d.Root()
	if root == nil || root.Tag != "AttachedDocument" || childNS(root, nsEXT, "UBLExtensions") != nil {
		return nil, errors.New("dian: not an unsigned AttachedDocument")
	}
	root.CreateAttr("xmlns:ext", nsEXT)
	root.InsertChildAt(0, etree.NewElement("ext:UBLExtensions"))
	var b strings.Builder
	if _, err := d.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("dian: writing the attached document: %w", err)
	}
	return Sign([]byte(b.String()), cert, at, "ad-"+numero)
}
