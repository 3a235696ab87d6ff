package dian

import (
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"billing/internal/fault"
)

// Certificate is a signer's key and certificate, as read from its PKCS#12
// file: the leaf first, then the issuers the file carries (possibly none).
type Certificate struct {
	Key   *rsa.PrivateKey
	Leaf  *x509.Certificate
	Chain []*x509.Certificate
}

// ReadPKCS12 reads a PKCS#12 file with its password and checks that it can
// sign DIAN documents on now: an RSA key (DIAN signs with RSA-SHA256) that
// belongs to the leaf certificate, valid on now. An unreadable file, a wrong
// password, another kind of key or a certificate not yet valid is
// refused by fault.CertificateInvalid (naming the field and why), an expired one
// fault.ErrCertificateExpired.
func ReadPKCS12(p12 []byte, password string, now time.Time) (Certificate, error) {
	key, leaf, chain, err := pkcs12.DecodeChain(p12, password)
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword):
		return Certificate{}, fault.CertificateInvalid("password", "does not open the file")
	case err != nil:
		return Certificate{}, fault.CertificateInvalid("p12", "not a readable PKCS#12 file (DER) with one key and its certificate")
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return Certificate{}, fault.CertificateInvalid("p12", fmt.Sprintf("the key is %T; DIAN's signature needs an RSA key", key))
	}
	if pub, ok := leaf.PublicKey.(*rsa.PublicKey); !ok || !pub.Equal(&rsaKey.PublicKey) {
		return Certificate{}, fault.CertificateInvalid("p12", "the key does not belong to the certificate")
	}
	if now.Before(leaf.NotBefore) {
		return Certificate{}, fault.CertificateInvalid("p12", "valid only from "+leaf.NotBefore.UTC().Format(time.RFC3339))
	}
	if now.After(leaf.NotAfter) {
		return Certificate{}, fault.ErrCertificateExpired
	}
	return Certificate{Key: rsaKey, Leaf: leaf, Chain: chain}, nil
}
