// Package devcert makes self-signed signing certificates for tests and for
// `make run`'s demo tenant: an RSA key and a certificate in a PKCS#12 file,
// as a certification authority would hand one to a biller, and the
// certificate in PEM for verifiers (xmlsec1 --pubkey-cert-pem). Nothing in
// production signs with them.
package devcert

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// Options describe the certificate: whose it is and when it is valid.
type Options struct {
	CommonName   string // the NIT, as Colombian CAs write it
	Organization string
	NotBefore    time.Time
	NotAfter     time.Time
	Password     string
}

// Bundle is what New made.
type Bundle struct {
	P12     []byte // the PKCS#12 file, under Options.Password
	CertPEM []byte
	Key     *rsa.PrivateKey
	Cert    *x509.Certificate
}

// New makes a 2048-bit RSA key and a self-signed certificate for it. The
// serial number is short: libxml2 (xmllint, xmlsec1) reads
// X509SerialNumber as an xs:integer and refuses the long serials of real
// authorities.
func New(o Options) (Bundle, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return Bundle{}, fmt.Errorf("devcert: key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<31-1))
	if err != nil {
		return Bundle{}, fmt.Errorf("devcert: serial: %w", err)
	}
	name := pkix.Name{CommonName: o.CommonName, Organization: []string{o.Organization}, Country: []string{"CO"}}
	tmpl := &x509.Certificate{
		SerialNumber: serial.Add(serial, big.NewInt(1)),
		Subject:      name,
		Issuer:       name,
		NotBefore:    o.NotBefore,
		NotAfter:     o.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return Bundle{}, fmt.Errorf("devcert: certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return Bundle{}, fmt.Errorf("devcert: certificate: %w", err)
	}
	p12, err := pkcs12.Modern.Encode(key, cert, nil, o.Password)
	if err != nil {
		return Bundle{}, fmt.Errorf("devcert: PKCS#12: %w", err)
	}
	return Bundle{P12: p12, CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), Key: key, Cert: cert}, nil
}
