package dian

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"billing/internal/devcert"
	"billing/internal/fault"
)

// signedAt is the signing time of the tests' documents.
var signedAt = time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC)

func testCert(tb testing.TB, notBefore, notAfter time.Time) devcert.Bundle {
	tb.Helper()
	b, err := devcert.New(devcert.Options{CommonName: "900123456", Organization: "COLEGIO EJEMPLO SAS",
		NotBefore: notBefore, NotAfter: notAfter, Password: "clave-firma"})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// signer is a certificate valid around signedAt, read as the service reads
// an upload.
func signer(tb testing.TB) (Certificate, devcert.Bundle) {
	tb.Helper()
	b := testCert(tb, signedAt.AddDate(-1, 0, 0), signedAt.AddDate(1, 0, 0))
	c, err := ReadPKCS12(b.P12, "clave-firma", signedAt)
	if err != nil {
		tb.Fatal(err)
	}
	return c, b
}

// xmlsec1Verify is devcert's xmlsec1 check; without xmlsec1 the test is
// skipped on a developer's machine and fails in CI.
func xmlsec1Verify(t *testing.T, doc, certPEM []byte) error {
	t.Helper()
	err := devcert.XMLSec1Verify(doc, certPEM)
	if errors.Is(err, devcert.ErrNoXMLSec1) {
		if os.Getenv("CI") == "" {
			t.Skip(err.Error() + "; CI fails instead")
		}
		t.Fatal(err)
	}
	return err
}

func TestReadPKCS12(t *testing.T) {
	good := testCert(t, signedAt.AddDate(-1, 0, 0), signedAt.AddDate(1, 0, 0))
	expired := testCert(t, signedAt.AddDate(-2, 0, 0), signedAt.AddDate(0, 0, -1))
	future := testCert(t, signedAt.AddDate(0, 0, 1), signedAt.AddDate(1, 0, 0))
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), NotBefore: signedAt.AddDate(-1, 0, 0), NotAfter: signedAt.AddDate(1, 0, 0)}
	ecDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ecKey.PublicKey, ecKey)
	if err != nil {
		t.Fatal(err)
	}
	ecCert, _ := x509.ParseCertificate(ecDER)
	ecP12, err := pkcs12.Modern.Encode(ecKey, ecCert, nil, "clave-firma")
	if err != nil {
		t.Fatal(err)
	}
	// The key of one certificate with the other's certificate.
	mismatched, err := pkcs12.Modern.Encode(good.Key, expired.Cert, nil, "clave-firma")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, password string
		p12            []byte
		code, field    string // "" for accepted
	}{
		{"valid", "clave-firma", good.P12, "", ""},
		{"wrong password", "otra", good.P12, "certificate_invalid", "password"},
		{"not PKCS#12", "clave-firma", []byte("-----BEGIN CERTIFICATE-----"), "certificate_invalid", "p12"},
		{"truncated", "clave-firma", good.P12[:len(good.P12)/2], "certificate_invalid", "p12"},
		{"expired", "clave-firma", expired.P12, "certificate_expired", "p12"},
		{"not yet valid", "clave-firma", future.P12, "certificate_invalid", "p12"},
		{"ECDSA key", "clave-firma", ecP12, "certificate_invalid", "p12"},
		{"key of another certificate", "clave-firma", mismatched, "certificate_invalid", "p12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadPKCS12(c.p12, c.password, signedAt)
			if c.code == "" {
				if err != nil || !got.Leaf.Equal(good.Cert) || !got.Key.Equal(good.Key) {
					t.Fatalf("ReadPKCS12: %v", err)
				}
				return
			}
			var f *fault.Error
			if !errors.As(err, &f) || f.Code != c.code || len(f.Fields) != 1 || f.Fields[0].Field != c.field {
				t.Fatalf("ReadPKCS12 = %v, want %s on %s", err, c.code, c.field)
			}
		})
	}
}

// TestSignedDocumentsVerify: every invoice and credit note of the fixtures,
// signed, verifies with Verify and with xmlsec1 and still validates against
// its UBL schema.
func TestSignedDocumentsVerify(t *testing.T) {
	cert, bundle := signer(t)
	type doc struct {
		name, schema string
		xml          []byte
	}
	var docs []doc
	for _, c := range xmlCases(t) {
		docs = append(docs, doc{"invoice " + c.name, "UBL-Invoice-2.1.xsd", render(t, c.doc)})
	}
	for _, c := range noteCases(t) {
		docs = append(docs, doc{"note " + c.name, creditNoteSchema, renderNote(t, c.doc)})
	}
	for i, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			signed, err := Sign(d.xml, cert, signedAt, "SETP"+string(rune('0'+i%10)))
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			got, err := Verify(signed)
			if err != nil || !got.Equal(bundle.Cert) {
				t.Fatalf("Verify: %v", err)
			}
			if err := xmlsec1Verify(t, signed, bundle.CertPEM); err != nil {
				t.Fatalf("xmlsec1 refuses the signature:\n%v", err)
			}
			if err := validateAgainst(t, signed, d.schema); err != nil {
				t.Fatalf("xmllint refuses the signed document:\n%v", err)
			}
			if !bytes.Contains(signed, []byte("<xades:SigningTime>2026-03-05T09:30:00-05:00</xades:SigningTime>")) {
				t.Fatal("the signing time is not Colombian")
			}
			if _, err := Sign(signed, cert, signedAt, "again"); err == nil {
				t.Fatal("a signed document was signed twice")
			}
		})
	}
}

// TestTamperedSignatureFails: a signed invoice changed after the signature
// fails both verifiers, whichever part was changed.
func TestTamperedSignatureFails(t *testing.T) {
	cert, bundle := signer(t)
	signed, err := Sign(render(t, xmlCases(t)[1].doc), cert, signedAt, "SETP990000002")
	if err != nil {
		t.Fatal(err)
	}
	other := testCert(t, signedAt.AddDate(-1, 0, 0), signedAt.AddDate(1, 0, 0))
	replace := func(old, new string) func([]byte) []byte {
		return func(b []byte) []byte {
			if !bytes.Contains(b, []byte(old)) {
				t.Fatalf("the signed document lacks %q", old)
			}
			return bytes.Replace(b, []byte(old), []byte(new), 1)
		}
	}
	for _, c := range []struct {
		name    string
		tamper  func([]byte) []byte
		certPEM []byte // the verifier's trusted certificate
	}{
		{"the payable amount", replace(`<cbc:PayableAmount currencyID="COP">`, `<cbc:PayableAmount currencyID="COP">1`), bundle.CertPEM},
		{"the signing time", replace("2026-03-05T09:30:00-05:00", "2026-03-05T09:31:00-05:00"), bundle.CertPEM},
		{"the claimed role", replace("<xades:ClaimedRole>supplier<", "<xades:ClaimedRole>third party<"), bundle.CertPEM},
		{"the certificate in KeyInfo", replace(base64.StdEncoding.EncodeToString(bundle.Cert.Raw), base64.StdEncoding.EncodeToString(other.Cert.Raw)), other.CertPEM},
		{"the document's digest", func(b []byte) []byte {
			out := append([]byte{}, b...)
			i := bytes.Index(out, []byte("<ds:DigestValue>")) + len("<ds:DigestValue>")
			out[i] ^= 1
			return out
		}, bundle.CertPEM},
	} {
		t.Run(c.name, func(t *testing.T) {
			tampered := c.tamper(signed)
			if _, err := Verify(tampered); !errors.Is(err, ErrSignatureInvalid) {
				t.Errorf("Verify accepted a tampered document: %v", err)
			}
			if err := xmlsec1Verify(t, tampered, c.certPEM); err == nil {
				t.Error("xmlsec1 accepted a tampered document")
			}
		})
	}
}

// TestVerifyDIANSamples: the shared signed samples (copied into testdata)
// verify with Verify, which is then not only in agreement with Sign.
func TestVerifyDIANSamples(t *testing.T) {
	for _, name := range []string{"sample-invoice-signed.xml", "sample-creditnote-signed.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "dian", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
