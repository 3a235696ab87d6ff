package dian

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"billing/internal/devcert"
)

var soapAt = time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC)

func TestEnvelopeRoundTrip(t *testing.T) {
	cert, bundle := signer(t)
	zipped, err := Zip("fv09001234560002600000001.xml", []byte("<Invoice/>"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Request{
		{Op: OpSendBillSync, FileName: "z09001234560002600000001.zip", Zip: zipped},
		{Op: OpSendTestSetAsync, FileName: "z09001234560002600000001.zip", Zip: zipped, TestSetID: "b1a2c3d4-0000-4000-8000-000000000001"},
		{Op: OpGetStatus, TrackID: strings.Repeat("ab", 48)},
		{Op: OpGetStatusZip, TrackID: "79351fbb-b8cd-4504-bf19-09a7f6f2d3d7"},
	} {
		t.Run(string(r.Op), func(t *testing.T) {
			env, err := Envelope(r, EndpointHabilitacion, cert, soapAt)
			if err != nil {
				t.Fatal(err)
			}
			if err := devcert.XMLSec1VerifyEnvelope(env, bundle.CertPEM); err != nil && !(errors.Is(err, devcert.ErrNoXMLSec1) && os.Getenv("CI") == "") {
				t.Fatalf("xmlsec1 refuses the WS-Security signature: %v", err)
			}
			got, who, err := ReadEnvelope(env, soapAt.Add(time.Minute))
			if err != nil {
				t.Fatalf("ReadEnvelope: %v\n%s", err, env)
			}
			if !who.Equal(bundle.Cert) || got.Op != r.Op || got.FileName != r.FileName || !bytes.Equal(got.Zip, r.Zip) ||
				got.TestSetID != r.TestSetID || got.TrackID != r.TrackID {
				t.Fatalf("read back %+v", got)
			}
		})
	}
}

// TestEnvelopeSignsWhatDIANDigests: the exclusive canonical form of wsa:To
// that the signature digests is, byte for byte, the one DIAN's working
// clients hash (docs/dian-web-service.md §3): soap and wcf from the
// envelope, wsa and wsu visibly used, sorted by prefix.
func TestEnvelopeSignsWhatDIANDigests(t *testing.T) {
	cert, _ := signer(t)
	env, err := Envelope(Request{Op: OpGetStatus, TrackID: "x"}, EndpointHabilitacion, cert, soapAt)
	if err != nil {
		t.Fatal(err)
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(env); err != nil {
		t.Fatal(err)
	}
	got, err := excCanonical(d, func(root *etree.Element) *etree.Element { return byWsuID(root, "ID-1") }, "soap wcf")
	if err != nil {
		t.Fatal(err)
	}
	want := `<wsa:To xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wcf="http://wcf.dian.colombia" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" wsu:Id="ID-1">https://vpfe-hab.dian.gov.co/WcfDianCustomerServices.svc</wsa:To>`
	if string(got) != want {
		t.Fatalf("canonical wsa:To\n got %s\nwant %s", got, want)
	}
}

func TestEnvelopeRefusals(t *testing.T) {
	cert, _ := signer(t)
	other, _ := signer(t)
	env, err := Envelope(Request{Op: OpGetStatus, TrackID: "abc"}, EndpointHabilitacion, cert, soapAt)
	if err != nil {
		t.Fatal(err)
	}
	otherEnv, err := Envelope(Request{Op: OpGetStatus, TrackID: "abc"}, EndpointHabilitacion, other, soapAt)
	if err != nil {
		t.Fatal(err)
	}
	token := func(b []byte) string {
		s := string(b)
		i := strings.Index(s, "X509-1\">") + len("X509-1\">")
		return s[i : i+strings.Index(s[i:], "<")]
	}
	for _, c := range []struct {
		name string
		env  []byte
		at   time.Time
	}{
		{"another endpoint in wsa:To", bytes.Replace(env, []byte("vpfe-hab.dian.gov.co"), []byte("vpfe.dian.gov.co"), 1), soapAt},
		{"a signature value changed", bytes.Replace(env, []byte("<ds:SignatureValue>"), []byte("<ds:SignatureValue>AAAA"), 1), soapAt},
		{"another certificate in the token", bytes.Replace(env, []byte(token(env)), []byte(token(otherEnv)), 1), soapAt},
		{"expired", env, soapAt.Add(11 * time.Minute)},
		{"created in the future", env, soapAt.Add(-6 * time.Minute)},
		{"an unknown action", bytes.Replace(env, []byte("IWcfDianCustomerServices/GetStatus<"), []byte("IWcfDianCustomerServices/DeleteAll<"), 1), soapAt},
		{"not SOAP", []byte("<Envelope/>"), soapAt},
	} {
		if _, _, err := ReadEnvelope(c.env, c.at); !errors.Is(err, ErrEnvelope) {
			t.Errorf("%s: ReadEnvelope = %v, want ErrEnvelope", c.name, err)
		}
	}
}

func TestZip(t *testing.T) {
	z, err := Zip("fv1.xml", []byte("<Invoice/>"))
	if err != nil {
		t.Fatal(err)
	}
	if name, doc, err := Unzip(z, 1<<20); err != nil || name != "fv1" || string(doc) != "<Invoice/>" {
		t.Fatalf("Unzip = %q %q %v", name, doc, err)
	}
	two := func() []byte {
		var b bytes.Buffer
		w := newZipWriter(&b)
		for _, n := range []string{"a.xml", "b.xml"} {
			f, _ := w.Create(n)
			f.Write([]byte("<x/>"))
		}
		w.Close()
		return b.Bytes()
	}()
	for name, b := range map[string][]byte{"two documents": two, "not a zip": []byte("PK but no"), "no xml": mustZip(t, "a.txt", "hi")} {
		if _, _, err := Unzip(b, 1<<20); !errors.Is(err, ErrZip) {
			t.Errorf("%s: Unzip = %v, want ErrZip", name, err)
		}
	}
	if _, _, err := Unzip(z, 3); !errors.Is(err, ErrZip) {
		t.Errorf("a document over the limit: %v", err)
	}
}

func mustZip(t *testing.T, name, content string) []byte {
	t.Helper()
	b, err := Zip(name, []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReadAnswer reads answers DIAN gave (captured, in testdata/soap) and
// the ones AnswerEnvelope writes.
func TestReadAnswer(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "soap", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, err := ReadAnswer(OpSendTestSetAsync, read("sendtestsetasync-accepted.xml"))
	if err != nil || a.ZipKey != "79351fbb-b8cd-4504-bf19-09a7f6f2d3d7" || len(a.Errors) != 0 {
		t.Fatalf("SendTestSetAsync: %+v %v", a, err)
	}
	a, err = ReadAnswer(OpGetStatusZip, read("getstatuszip-in-process.xml"))
	if err != nil || len(a.Results) != 1 || !a.Results[0].InProcess() || a.Results[0].Accepted() {
		t.Fatalf("GetStatusZip in process: %+v %v", a, err)
	}
	a, err = ReadAnswer(OpGetStatusZip, read("getstatuszip-rejected.xml"))
	if err != nil || len(a.Results) != 1 || a.Results[0].StatusCode != "99" || a.Results[0].InProcess() {
		t.Fatalf("GetStatusZip rejected: %+v %v", a, err)
	}
	rules := a.Results[0].Rules()
	if len(rules) != 2 || rules[0].ID != "FAB10a" || !rules[0].Rejection || rules[1].ID != "FAJ50" || rules[1].Rejection {
		t.Fatalf("rules %+v", rules)
	}
	_, err = ReadAnswer(OpSendBillSync, read("fault-invalid-security.xml"))
	var f *Fault
	if !errors.As(err, &f) || f.Code != "s:Sender" || f.Subcode != "a:InvalidSecurity" || !strings.Contains(f.Reason, "verifying security") {
		t.Fatalf("the fault: %v", err)
	}

	accepted := Result{IsValid: true, StatusCode: "00", StatusDescription: "Procesado Correctamente.",
		StatusMessage: "La Factura electrónica SETP990000001, ha sido autorizada.", ApplicationResponse: []byte("<ApplicationResponse/>"),
		DocumentKey: strings.Repeat("ab", 48), FileName: "SETP990000001",
		ErrorMessage: []string{"Regla: FAJ43b, Notificación: Nombre informado No corresponde al registrado en el RUT."}}
	for _, op := range []Operation{OpSendBillSync, OpGetStatus, OpGetStatusZip} {
		a, err := ReadAnswer(op, AnswerEnvelope(op, Answer{Results: []Result{accepted}}))
		if err != nil || len(a.Results) != 1 || !a.Results[0].Accepted() || string(a.Results[0].ApplicationResponse) != "<ApplicationResponse/>" ||
			a.Results[0].DocumentKey != accepted.DocumentKey || len(a.Results[0].Rules()) != 1 || a.Results[0].Rules()[0].Rejection {
			t.Fatalf("%s round trip: %+v %v", op, a, err)
		}
	}
	a, err = ReadAnswer(OpSendTestSetAsync, AnswerEnvelope(OpSendTestSetAsync, Answer{Errors: []string{"Identificador del set de pruebas es obligatorio."}}))
	if err != nil || a.ZipKey != "" || len(a.Errors) != 1 {
		t.Fatalf("SendTestSetAsync refusal round trip: %+v %v", a, err)
	}
	_, err = ReadAnswer(OpGetStatus, FaultEnvelope(Fault{Code: "s:Sender", Subcode: "a:InvalidSecurity", Reason: "An error occurred when verifying security for the message."}))
	if !errors.As(err, &f) || f.Subcode != "a:InvalidSecurity" {
		t.Fatalf("fault round trip: %v", err)
	}
}

func newZipWriter(b *bytes.Buffer) *zip.Writer { return zip.NewWriter(b) }
