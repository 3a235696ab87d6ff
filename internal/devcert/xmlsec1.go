package devcert

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNoXMLSec1 is a machine without xmlsec1 (Debian's xmlsec1 package).
var ErrNoXMLSec1 = errors.New("xmlsec1 is not installed (Debian package xmlsec1)")

// XMLSec1Verify checks a signed DIAN document with xmlsec1, the
// independent verifier FISCAL.md names, trusting only certPEM, and
// requires the three references DIAN's signature has. The Id attributes
// of KeyInfo and SignedProperties are declared, as the command line in
// FISCAL.md does.
func XMLSec1Verify(doc, certPEM []byte) error {
	return xmlsec1(doc, certPEM, 3,
		"--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
		"--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:KeyInfo")
}

// XMLSec1VerifyEnvelope checks the WS-Security signature of a request to
// DIAN's web service with xmlsec1: its one reference, wsa:To by its
// wsu:Id, under certPEM's key.
func XMLSec1VerifyEnvelope(doc, certPEM []byte) error {
	return xmlsec1(doc, certPEM, 1, "--id-attr:Id", "http://www.w3.org/2005/08/addressing:To")
}

func xmlsec1(doc, certPEM []byte, refs int, idAttrs ...string) error {
	bin, err := exec.LookPath("xmlsec1")
	if err != nil {
		return ErrNoXMLSec1
	}
	// Not a test's TempDir: a subtest's name may put characters in the
	// path that xmlsec1's argument parsing splits on.
	dir, err := os.MkdirTemp("", "xmlsec1-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	docFile, certFile := filepath.Join(dir, "doc.xml"), filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(docFile, doc, 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		return err
	}
	args := append(append([]string{"--verify", "--pubkey-cert-pem", certFile}, idAttrs...), docFile)
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		return errors.New(strings.TrimSpace(string(out)))
	}
	if want := fmt.Sprintf("SignedInfo References (ok/all): %d/%d", refs, refs); !bytes.Contains(out, []byte(want)) {
		return errors.New("xmlsec1 did not check every reference: " + string(out))
	}
	return nil
}
