package dian

import (
	"bytes"
	"errors"
	"testing"

	"github.com/beevik/etree"
)

const testApplicationResponse = `<?xml version="1.0" encoding="UTF-8"?><ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>1</cbc:ID><cbc:IssueDate>2026-03-05</cbc:IssueDate><cac:SenderParty/><cac:ReceiverParty/><cac:DocumentResponse><cac:Response><cbc:ResponseCode>02</cbc:ResponseCode></cac:Response><cac:DocumentReference><cbc:ID>SETP990000002</cbc:ID></cac:DocumentReference></cac:DocumentResponse></ApplicationResponse>`

// TestAttachedDocument: the container validates against UBL's
// AttachedDocument schema, and the invoice and DIAN's answer come out of it
// byte for byte: the invoice's signature still verifies.
func TestAttachedDocument(t *testing.T) {
	cert, _ := signer(t)
	signed, err := Sign(render(t, xmlCases(t)[1].doc), cert, signedAt, "SETP990000002")
	if err != nil {
		t.Fatal(err)
	}
	party := AttachedParty{RegistrationName: "Colegio Los Andes S.A.S.", CompanyID: "900123456", CheckDigit: "8", SchemeName: "31",
		TaxLevelCode: "R-99-PN", TaxSchemeID: "ZZ", TaxSchemeName: "No aplica"}
	buyer := party
	buyer.RegistrationName, buyer.CompanyID, buyer.CheckDigit, buyer.SchemeName = "Laura Gómez", "52123456", "", "13"
	doc, err := AttachedDocument(Attached{Numero: "SETP990000002", CUFE: "ab12", IssueDate: "2026-03-05", ProfileExecution: "2",
		Sender: party, Receiver: buyer, Invoice: signed, Response: []byte(testApplicationResponse),
		ValidationDate: "2026-03-05", ValidationTime: "09:31:00-05:00"})
	if err != nil {
		t.Fatal(err)
	}
	if err := validateAgainst(t, doc, "UBL-AttachedDocument-2.1.xsd"); err != nil {
		t.Fatalf("xmllint refuses the attached document:\n%v", err)
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		t.Fatal(err)
	}
	descriptions := d.FindElements("//Description")
	if len(descriptions) != 2 || descriptions[0].Text() != string(signed) || descriptions[1].Text() != testApplicationResponse {
		t.Fatalf("the attachments do not come back whole (%d)", len(descriptions))
	}
	if _, err := Verify([]byte(descriptions[0].Text())); err != nil {
		t.Fatalf("the attached invoice's signature: %v", err)
	}
	// Signed by the issuer, the container still validates, verifies with
	// both verifiers, and still gives back the invoice whole.
	cert2, bundle := signer(t)
	sealed, err := SignAttached(doc, cert2, signedAt, "SETP990000002")
	if err != nil {
		t.Fatal(err)
	}
	if err := validateAgainst(t, sealed, "UBL-AttachedDocument-2.1.xsd"); err != nil {
		t.Fatalf("xmllint refuses the signed attached document:\n%v", err)
	}
	if _, err := Verify(sealed); err != nil {
		t.Fatalf("the container's signature: %v", err)
	}
	if err := xmlsec1Verify(t, sealed, bundle.CertPEM); err != nil {
		t.Fatalf("xmlsec1 on the container: %v", err)
	}
	tampered := bytes.Replace(sealed, []byte("Contenedor de Factura"), []byte("Contenedor de factura"), 1)
	if _, err := Verify(tampered); err == nil {
		t.Fatal("a tampered container verifies")
	}
	d2 := etree.NewDocument()
	if err := d2.ReadFromBytes(sealed); err != nil {
		t.Fatal(err)
	}
	if got := d2.FindElements("//ExternalReference/Description"); len(got) != 2 || got[0].Text() != string(signed) {
		t.Fatal("the signed container does not give back the invoice whole")
	}
	if _, err := SignAttached(sealed, cert2, signedAt, "SETP990000002"); err == nil {
		t.Fatal("a signed container was signed again")
	}
	if _, err := AttachedDocument(Attached{Numero: "X", CUFE: "y", Invoice: signed}); !errors.Is(err, ErrAttachedIncomplete) {
		t.Fatalf("without DIAN's answer: %v", err)
	}
	if _, err := AttachedDocument(Attached{Numero: "X", CUFE: "y", Invoice: bytes.ReplaceAll(signed, []byte("</Invoice>"), []byte("]]></Invoice>")),
		Response: []byte("<a/>")}); err == nil {
		t.Fatal("a document holding ]]> was attached")
	}
}
