package dian

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"billing/internal/billing"
)

// The XAdES-EPES signature DIAN requires (FISCAL.md §7): enveloped in the
// document's second UBLExtension, inclusive C14N 1.0, RSA-SHA256, SHA-256
// digests, three references (the document, the KeyInfo, the
// SignedProperties) and DIAN's signature policy v2. The namespaces are
// ubl.go's.
const (
	algC14N       = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	algRSASHA256  = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	algSHA256     = "http://www.w3.org/2001/04/xmlenc#sha256"
	algEnveloped  = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	typeSignedPro = "http://uri.etsi.org/01903#SignedProperties"
	policyURL     = "https://facturaelectronica.dian.gov.co/politicadefirma/v2/politicadefirmav2.pdf"
	policyName    = "Política de firma para facturas electrónicas de la República de Colombia."
	policyHash    = "dMoMvtcG5aIzgYo0tIsSQeVJBDnUnfSOfBpxXrmor0Y="
	signerRole    = "supplier"
)

// ErrSignatureInvalid is a signed document that does not verify: a digest
// or the signature value does not match, or the signature is not DIAN's
// shape. Wrapped with what failed.
var ErrSignatureInvalid = errors.New("dian: the document's signature does not verify")

// Sign returns doc, an unsigned UBL Invoice or CreditNote as this package
// writes it, with the XAdES-EPES signature of cert in a second
// UBLExtension, signed at (its SigningTime, in Colombia's offset). id
// names the signature's elements (xmldsig-<id>, …-keyinfo, …-signedprops)
// and must be unique within the document; the document's number is a
// natural choice.
//
// The answer is the one serialisation of the signed tree: store and serve
// exactly these bytes (a re-serialisation breaks the digest, DIAN's ZE02).
// It is written with canonical text and attribute escaping, so that a
// verifier that normalises whitespace in attributes or line ends in text
// (libxml2 does) reads the characters that were digested.
func Sign(doc []byte, cert Certificate, at time.Time, id string) ([]byte, error) {
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		return nil, fmt.Errorf("dian: reading the document to sign: %w", err)
	}
	root := d.Root()
	if root == nil {
		return nil, errors.New("dian: the document to sign is empty")
	}
	// An invoice or note carries DIAN's extension first; an
	// AttachedDocument none (SignAttached adds the empty list).
	want := 1
	if root.Tag == "AttachedDocument" {
		want = 0
	}
	exts := childNS(root, nsEXT, "UBLExtensions")
	if exts == nil || len(childrenNS(exts, nsEXT, "UBLExtension")) != want {
		return nil, errors.New("dian: the document to sign needs its UBLExtensions with DIAN's extension (none in an AttachedDocument), and no signature yet")
	}
	// The signature's extension, empty while the document is digested:
	// the enveloped transform takes the signature out again, leaving it so.
	content := exts.CreateElement(exts.Space + ":UBLExtension").CreateElement(exts.Space + ":ExtensionContent")
	canon := dsig.MakeC14N10RecCanonicalizer()
	docDigest, err := digestOf(canon, root)
	if err != nil {
		return nil, err
	}

	sigID := "xmldsig-" + id
	sig := content.CreateElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", nsDS)
	sig.CreateAttr("Id", sigID)
	info := sig.CreateElement("ds:SignedInfo")
	info.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", algC14N)
	info.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", algRSASHA256)
	ref := func(uri, refID, typ string) *etree.Element {
		r := info.CreateElement("ds:Reference")
		if refID != "" {
			r.CreateAttr("Id", refID)
		}
		if typ != "" {
			r.CreateAttr("Type", typ)
		}
		r.CreateAttr("URI", uri)
		if uri == "" {
			r.CreateElement("ds:Transforms").CreateElement("ds:Transform").CreateAttr("Algorithm", algEnveloped)
		}
		r.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", algSHA256)
		return r.CreateElement("ds:DigestValue")
	}
	ref("", sigID+"-ref0", "").SetText(docDigest)
	keyInfoDigest := ref("#"+sigID+"-keyinfo", "", "")
	propsDigest := ref("#"+sigID+"-signedprops", "", typeSignedPro)
	value := sig.CreateElement("ds:SignatureValue")
	value.CreateAttr("Id", sigID+"-sigvalue")

	keyInfo := sig.CreateElement("ds:KeyInfo")
	keyInfo.CreateAttr("Id", sigID+"-keyinfo")
	x509Data := keyInfo.CreateElement("ds:X509Data")
	for _, c := range append([]*x509.Certificate{cert.Leaf}, cert.Chain...) {
		x509Data.CreateElement("ds:X509Certificate").SetText(base64.StdEncoding.EncodeToString(c.Raw))
	}

	qualifying := sig.CreateElement("ds:Object").CreateElement("xades:QualifyingProperties")
	qualifying.CreateAttr("xmlns:xades", nsXAdES)
	qualifying.CreateAttr("Target", "#"+sigID)
	props := qualifying.CreateElement("xades:SignedProperties")
	props.CreateAttr("Id", sigID+"-signedprops")
	signed := props.CreateElement("xades:SignedSignatureProperties")
	signed.CreateElement("xades:SigningTime").SetText(at.In(billing.Colombia).Format("2006-01-02T15:04:05-07:00"))
	signing := signed.CreateElement("xades:SigningCertificate")
	for _, c := range append([]*x509.Certificate{cert.Leaf}, cert.Chain...) {
		xc := signing.CreateElement("xades:Cert")
		certDigest := xc.CreateElement("xades:CertDigest")
		certDigest.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", algSHA256)
		sum := sha256.Sum256(c.Raw)
		certDigest.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(sum[:]))
		serial := xc.CreateElement("xades:IssuerSerial")
		serial.CreateElement("ds:X509IssuerName").SetText(c.Issuer.String())
		serial.CreateElement("ds:X509SerialNumber").SetText(c.SerialNumber.String()) // decimal, as XML-DSig's integer
	}
	policy := signed.CreateElement("xades:SignaturePolicyIdentifier").CreateElement("xades:SignaturePolicyId")
	policyID := policy.CreateElement("xades:SigPolicyId")
	policyID.CreateElement("xades:Identifier").SetText(policyURL)
	policyID.CreateElement("xades:Description").SetText(policyName)
	hash := policy.CreateElement("xades:SigPolicyHash")
	hash.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", algSHA256)
	hash.CreateElement("ds:DigestValue").SetText(policyHash)
	signed.CreateElement("xades:SignerRole").CreateElement("xades:ClaimedRoles").CreateElement("xades:ClaimedRole").SetText(signerRole)

	// KeyInfo and SignedProperties are digested in place, so their
	// canonical form carries the namespaces in scope from the root down
	// (inclusive C14N), as a verifier sees them.
	for _, p := range []struct {
		el     *etree.Element
		digest *etree.Element
	}{{keyInfo, keyInfoDigest}, {props, propsDigest}} {
		v, err := digestOf(canon, p.el)
		if err != nil {
			return nil, err
		}
		p.digest.SetText(v)
	}
	c14nInfo, err := canon.Canonicalize(info)
	if err != nil {
		return nil, fmt.Errorf("dian: canonicalising SignedInfo: %w", err)
	}
	sum := sha256.Sum256(c14nInfo)
	sv, err := rsa.SignPKCS1v15(rand.Reader, cert.Key, crypto.SHA256, sum[:])
	if err != nil {
		return nil, fmt.Errorf("dian: signing: %w", err)
	}
	value.SetText(base64.StdEncoding.EncodeToString(sv))

	d.WriteSettings = etree.WriteSettings{CanonicalText: true, CanonicalAttrVal: true}
	out, err := d.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("dian: writing the signed document: %w", err)
	}
	return out, nil
}

// Verify checks a signed document's XAdES signature as DIAN does: the
// SignedInfo's algorithms, every one of the three references' digests (the
// document under the enveloped transform, the KeyInfo, the
// SignedProperties, each resolved by its Id in place), the signature value
// under the KeyInfo's certificate, and the SignedProperties' digest of that
// same certificate. It answers that certificate; a document that fails is
// ErrSignatureInvalid, wrapped with the reason. (goxmldsig's own validator
// checks the first reference only, so this one does not use it.)
func Verify(signed []byte) (*x509.Certificate, error) {
	d := etree.NewDocument()
	if err := d.ReadFromBytes(signed); err != nil {
		return nil, fmt.Errorf("%w: unreadable XML: %v", ErrSignatureInvalid, err)
	}
	root := d.Root()
	if root == nil {
		return nil, fmt.Errorf("%w: an empty document", ErrSignatureInvalid)
	}
	var sig *etree.Element
	if exts := childNS(root, nsEXT, "UBLExtensions"); exts != nil {
		for _, ext := range childrenNS(exts, nsEXT, "UBLExtension") {
			if content := childNS(ext, nsEXT, "ExtensionContent"); content != nil {
				if s := childNS(content, nsDS, "Signature"); s != nil {
					if sig != nil {
						return nil, fmt.Errorf("%w: more than one signature", ErrSignatureInvalid)
					}
					sig = s
				}
			}
		}
	}
	if sig == nil {
		return nil, fmt.Errorf("%w: no ds:Signature in the UBLExtensions", ErrSignatureInvalid)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrSignatureInvalid}, args...)...)
	}
	info := childNS(sig, nsDS, "SignedInfo")
	keyInfo := childNS(sig, nsDS, "KeyInfo")
	if info == nil || keyInfo == nil {
		return nil, bad("the signature lacks SignedInfo or KeyInfo")
	}
	if a := algorithmOf(childNS(info, nsDS, "CanonicalizationMethod")); a != algC14N {
		return nil, bad("canonicalisation %q, not inclusive C14N 1.0", a)
	}
	if a := algorithmOf(childNS(info, nsDS, "SignatureMethod")); a != algRSASHA256 {
		return nil, bad("signature method %q, not RSA-SHA256", a)
	}
	var certEl *etree.Element
	if data := childNS(keyInfo, nsDS, "X509Data"); data != nil {
		certEl = childNS(data, nsDS, "X509Certificate")
	}
	if certEl == nil {
		return nil, bad("KeyInfo carries no X509Certificate")
	}
	der, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields([]byte(certEl.Text())), nil)))
	if err != nil {
		return nil, bad("KeyInfo's certificate is not base64: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, bad("KeyInfo's certificate does not parse: %v", err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, bad("KeyInfo's certificate has no RSA key")
	}

	canon := dsig.MakeC14N10RecCanonicalizer()
	refs := childrenNS(info, nsDS, "Reference")
	if len(refs) != 3 {
		return nil, bad("%d references, DIAN's signature has 3", len(refs))
	}
	var props *etree.Element
	seen := map[string]bool{}
	for _, r := range refs {
		uri := r.SelectAttrValue("URI", "")
		if seen[uri] {
			return nil, bad("reference %q twice", uri)
		}
		seen[uri] = true
		if a := algorithmOf(childNS(r, nsDS, "DigestMethod")); a != algSHA256 {
			return nil, bad("reference %q digests with %q, not SHA-256", uri, a)
		}
		dv := childNS(r, nsDS, "DigestValue")
		if dv == nil {
			return nil, bad("reference %q has no DigestValue", uri)
		}
		var got string
		switch {
		case uri == "":
			if !envelopedOnly(r) {
				return nil, bad("the document's reference must have the enveloped-signature transform only")
			}
			// The enveloped transform: the document without this
			// signature, taken out and put back in place.
			parent, at := sig.Parent(), sig.Index()
			parent.RemoveChildAt(at)
			got, err = digestOf(canon, root)
			parent.InsertChildAt(at, sig)
		case len(uri) > 1 && uri[0] == '#':
			target := byID(sig, uri[1:])
			switch {
			case target == keyInfo:
			case target != nil && target.Tag == "SignedProperties" && target.NamespaceURI() == nsXAdES:
				if r.SelectAttrValue("Type", "") != typeSignedPro {
					return nil, bad("the SignedProperties reference lacks Type %q", typeSignedPro)
				}
				props = target
			default:
				return nil, bad("reference %q resolves to neither the KeyInfo nor the SignedProperties", uri)
			}
			got, err = digestOf(canon, target)
		default:
			return nil, bad("reference %q is not the document nor a same-document Id", uri)
		}
		if err != nil {
			return nil, err
		}
		if got != dv.Text() {
			return nil, bad("the digest of reference %q does not match", uri)
		}
	}
	if !seen[""] || props == nil {
		return nil, bad("the references must cover the document, the KeyInfo and the SignedProperties")
	}
	// The certificate the signed properties name must be the one that
	// verifies: otherwise the KeyInfo could be swapped for another.
	sum := sha256.Sum256(cert.Raw)
	if !certDigestListed(props, base64.StdEncoding.EncodeToString(sum[:])) {
		return nil, bad("the SignedProperties do not name KeyInfo's certificate")
	}
	valueEl := childNS(sig, nsDS, "SignatureValue")
	if valueEl == nil {
		return nil, bad("no SignatureValue")
	}
	sv, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields([]byte(valueEl.Text())), nil)))
	if err != nil {
		return nil, bad("SignatureValue is not base64: %v", err)
	}
	c14nInfo, err := canon.Canonicalize(info)
	if err != nil {
		return nil, fmt.Errorf("dian: canonicalising SignedInfo: %w", err)
	}
	h := sha256.Sum256(c14nInfo)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sv); err != nil {
		return nil, bad("the signature value does not verify under KeyInfo's certificate")
	}
	return cert, nil
}

// digestOf is the base64 SHA-256 of el's inclusive C14N, el in place.
func digestOf(canon dsig.Canonicalizer, el *etree.Element) (string, error) {
	b, err := canon.Canonicalize(el)
	if err != nil {
		return "", fmt.Errorf("dian: canonicalising %s: %w", el.FullTag(), err)
	}
	sum := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

// childNS is el's first child element named local in namespace ns,
// whatever its prefix.
func childNS(el *etree.Element, ns, local string) *etree.Element {
	for _, c := range el.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			return c
		}
	}
	return nil
}

func childrenNS(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

func algorithmOf(el *etree.Element) string {
	if el == nil {
		return ""
	}
	return el.SelectAttrValue("Algorithm", "")
}

// envelopedOnly reports whether a reference's transforms are exactly the
// enveloped signature (canonicalisation is then SignedInfo's C14N 1.0).
func envelopedOnly(r *etree.Element) bool {
	ts := childNS(r, nsDS, "Transforms")
	if ts == nil {
		return false
	}
	list := childrenNS(ts, nsDS, "Transform")
	return len(list) == 1 && algorithmOf(list[0]) == algEnveloped
}

// byID finds the one element under sig whose Id attribute is id; two are
// none (an ambiguous reference verifies nothing).
func byID(sig *etree.Element, id string) *etree.Element {
	var found *etree.Element
	var walk func(*etree.Element) bool
	walk = func(el *etree.Element) bool {
		for _, a := range el.Attr {
			if a.Space == "" && a.Key == "Id" && a.Value == id {
				if found != nil {
					return false
				}
				found = el
			}
		}
		for _, c := range el.ChildElements() {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	if !walk(sig) {
		return nil
	}
	return found
}

// certDigestListed reports whether the SignedProperties' SigningCertificate
// lists a certificate with this SHA-256 digest.
func certDigestListed(props *etree.Element, digest string) bool {
	ssp := childNS(props, nsXAdES, "SignedSignatureProperties")
	if ssp == nil {
		return false
	}
	sc := childNS(ssp, nsXAdES, "SigningCertificate")
	if sc == nil {
		return false
	}
	for _, c := range childrenNS(sc, nsXAdES, "Cert") {
		cd := childNS(c, nsXAdES, "CertDigest")
		if cd == nil || algorithmOf(childNS(cd, nsDS, "DigestMethod")) != algSHA256 {
			continue
		}
		if v := childNS(cd, nsDS, "DigestValue"); v != nil && v.Text() == digest {
			return true
		}
	}
	return false
}
