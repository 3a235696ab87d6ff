package dian

import (
	"archive/zip"
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// DIAN's web service (WcfDianCustomerServices, docs/dian-web-service.md):
// SOAP 1.2 with WS-Addressing, each request signed with the biller's
// certificate under WS-Security (a Timestamp, the certificate as a
// BinarySecurityToken, and an exclusive-C14N RSA-SHA256 signature of
// wsa:To). The zip of the signed document travels in the body.
const (
	nsSOAP  = "http://www.w3.org/2003/05/soap-envelope"
	nsWCF   = "http://wcf.dian.colombia"
	nsWSA   = "http://www.w3.org/2005/08/addressing"
	nsWSSE  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsWSU   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	nsEC    = "http://www.w3.org/2001/10/xml-exc-c14n#"
	nsDR    = "http://schemas.datacontract.org/2004/07/DianResponse"
	nsArr   = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
	nsXSI   = "http://www.w3.org/2001/XMLSchema-instance"
	algExcC = "http://www.w3.org/2001/10/xml-exc-c14n#"

	tokenEncoding = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
	tokenValue    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"

	// The prefix lists of DIAN's clients: SignedInfo's canonicalisation
	// and the wsa:To reference's transform.
	signedInfoPrefixes = "wsa soap wcf"
	toPrefixes         = "soap wcf"

	// timestampTTL is the request's validity; DIAN's service (WCF)
	// accepts about five minutes of clock skew on top.
	timestampTTL = 5 * time.Minute
)

// Endpoints of DIAN's service by the profile's ambiente.
const (
	EndpointHabilitacion = "https://vpfe-hab.dian.gov.co/WcfDianCustomerServices.svc"
	EndpointProduccion   = "https://vpfe.dian.gov.co/WcfDianCustomerServices.svc"
)

// Operation is one of the service's calls.
type Operation string

const (
	OpSendBillSync     Operation = "SendBillSync"
	OpSendTestSetAsync Operation = "SendTestSetAsync"
	OpGetStatus        Operation = "GetStatus"
	OpGetStatusZip     Operation = "GetStatusZip"
)

// Action is the operation's wsa:Action.
func (o Operation) Action() string {
	return "http://wcf.dian.colombia/IWcfDianCustomerServices/" + string(o)
}

// Request is one call: the operation and its parameters (FileName and
// Zip for the sends, TestSetID for the test set, TrackID for the status
// queries: the CUFE/CUDE for GetStatus, the ZipKey for GetStatusZip).
type Request struct {
	Op        Operation
	FileName  string
	Zip       []byte
	TestSetID string
	TrackID   string
}

// ErrEnvelope is a request the service would refuse before reading it:
// not a SOAP 1.2 envelope of a known operation, or WS-Security that does
// not verify. Wrapped with what failed.
var ErrEnvelope = errors.New("dian: the SOAP request is not acceptable")

// Envelope writes r as the SOAP 1.2 request to the service at to, signed
// by cert at now (WS-Security). The bytes are written once and sent as
// they are: the signature covers their canonical form.
func Envelope(r Request, to string, cert Certificate, now time.Time) ([]byte, error) {
	d := etree.NewDocument()
	d.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	env := d.CreateElement("soap:Envelope")
	env.CreateAttr("xmlns:soap", nsSOAP)
	env.CreateAttr("xmlns:wcf", nsWCF)
	header := env.CreateElement("soap:Header")
	header.CreateAttr("xmlns:wsa", nsWSA)
	sec := header.CreateElement("wsse:Security")
	sec.CreateAttr("xmlns:wsse", nsWSSE)
	sec.CreateAttr("xmlns:wsu", nsWSU)
	ts := sec.CreateElement("wsu:Timestamp")
	ts.CreateAttr("wsu:Id", "TS-1")
	ts.CreateElement("wsu:Created").SetText(now.UTC().Format("2006-01-02T15:04:05.000Z"))
	ts.CreateElement("wsu:Expires").SetText(now.Add(timestampTTL).UTC().Format("2006-01-02T15:04:05.000Z"))
	token := sec.CreateElement("wsse:BinarySecurityToken")
	token.CreateAttr("EncodingType", tokenEncoding)
	token.CreateAttr("ValueType", tokenValue)
	token.CreateAttr("wsu:Id", "X509-1")
	token.SetText(base64.StdEncoding.EncodeToString(cert.Leaf.Raw))
	sig := sec.CreateElement("ds:Signature")
	sig.CreateAttr("Id", "SIG-1")
	sig.CreateAttr("xmlns:ds", nsDS)
	info := sig.CreateElement("ds:SignedInfo")
	cm := info.CreateElement("ds:CanonicalizationMethod")
	cm.CreateAttr("Algorithm", algExcC)
	inc := cm.CreateElement("ec:InclusiveNamespaces")
	inc.CreateAttr("PrefixList", signedInfoPrefixes)
	inc.CreateAttr("xmlns:ec", nsEC)
	info.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", algRSASHA256)
	ref := info.CreateElement("ds:Reference")
	ref.CreateAttr("URI", "#ID-1")
	tr := ref.CreateElement("ds:Transforms").CreateElement("ds:Transform")
	tr.CreateAttr("Algorithm", algExcC)
	trInc := tr.CreateElement("ec:InclusiveNamespaces")
	trInc.CreateAttr("PrefixList", toPrefixes)
	trInc.CreateAttr("xmlns:ec", nsEC)
	ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", algSHA256)
	digest := ref.CreateElement("ds:DigestValue")
	value := sig.CreateElement("ds:SignatureValue")
	keyInfo := sig.CreateElement("ds:KeyInfo")
	keyInfo.CreateAttr("Id", "KI-1")
	str := keyInfo.CreateElement("wsse:SecurityTokenReference")
	str.CreateAttr("wsu:Id", "STR-1")
	sref := str.CreateElement("wsse:Reference")
	sref.CreateAttr("URI", "#X509-1")
	sref.CreateAttr("ValueType", tokenValue)
	header.CreateElement("wsa:Action").SetText(r.Op.Action())
	toEl := header.CreateElement("wsa:To")
	toEl.CreateAttr("wsu:Id", "ID-1")
	toEl.CreateAttr("xmlns:wsu", nsWSU)
	toEl.SetText(to)

	op := env.CreateElement("soap:Body").CreateElement("wcf:" + string(r.Op))
	switch r.Op {
	case OpSendBillSync, OpSendTestSetAsync:
		op.CreateElement("wcf:fileName").SetText(r.FileName)
		op.CreateElement("wcf:contentFile").SetText(base64.StdEncoding.EncodeToString(r.Zip))
		if r.Op == OpSendTestSetAsync {
			op.CreateElement("wcf:testSetId").SetText(r.TestSetID)
		}
	case OpGetStatus, OpGetStatusZip:
		op.CreateElement("wcf:trackId").SetText(r.TrackID)
	default:
		return nil, fmt.Errorf("dian: unknown operation %q", r.Op)
	}

	v, err := excDigest(d, "ID-1", toPrefixes)
	if err != nil {
		return nil, err
	}
	digest.SetText(v)
	c14n, err := excCanonical(d, func(root *etree.Element) *etree.Element { return findByTag(root, nsDS, "SignedInfo") }, signedInfoPrefixes)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(c14n)
	sv, err := rsa.SignPKCS1v15(rand.Reader, cert.Key, crypto.SHA256, sum[:])
	if err != nil {
		return nil, fmt.Errorf("dian: signing the request: %w", err)
	}
	value.SetText(base64.StdEncoding.EncodeToString(sv))
	d.WriteSettings = etree.WriteSettings{CanonicalText: true, CanonicalAttrVal: true}
	return d.WriteToBytes()
}

// excCanonical is the exclusive C14N of the element pick finds in d. The
// canonicaliser rewrites what it is given and sees no ancestors, so it is
// given a detached copy that declares every namespace in scope where the
// element stands (goxmldsig's own validator does the same); exclusive
// C14N then keeps the ones the element uses and those of the prefix list.
func excCanonical(d *etree.Document, pick func(root *etree.Element) *etree.Element, prefixes string) ([]byte, error) {
	el := pick(d.Root())
	if el == nil {
		return nil, errors.New("dian: the element to canonicalise is missing")
	}
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, fmt.Errorf("dian: namespaces in scope: %w", err)
	}
	detached, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, fmt.Errorf("dian: namespaces in scope: %w", err)
	}
	b, err := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList(prefixes).Canonicalize(detached)
	if err != nil {
		return nil, fmt.Errorf("dian: exclusive C14N: %w", err)
	}
	return b, nil
}

// excDigest is the base64 SHA-256 of the exclusive C14N of the element
// whose wsu:Id is id.
func excDigest(d *etree.Document, id, prefixes string) (string, error) {
	b, err := excCanonical(d, func(root *etree.Element) *etree.Element { return byWsuID(root, id) }, prefixes)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

func byWsuID(el *etree.Element, id string) *etree.Element {
	for _, a := range el.Attr {
		if a.Key == "Id" && a.Value == id && a.NamespaceURI() == nsWSU {
			return el
		}
	}
	for _, c := range el.ChildElements() {
		if f := byWsuID(c, id); f != nil {
			return f
		}
	}
	return nil
}

func findByTag(el *etree.Element, ns, local string) *etree.Element {
	if el.Tag == local && el.NamespaceURI() == ns {
		return el
	}
	for _, c := range el.ChildElements() {
		if f := findByTag(c, ns, local); f != nil {
			return f
		}
	}
	return nil
}

// ReadEnvelope is the service's side of Envelope: it checks a request as
// DIAN's does before reading its body (a SOAP 1.2 envelope; wsa:Action of
// a known operation; the WS-Security header in its order with a Timestamp
// valid at now, five minutes of skew allowed; a signature that covers
// wsa:To, verified with the certificate of the BinarySecurityToken) and
// answers the request and that certificate. Anything else is ErrEnvelope,
// wrapped with the reason.
func ReadEnvelope(b []byte, now time.Time) (Request, *x509.Certificate, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrEnvelope}, args...)...)
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(b); err != nil {
		return Request{}, nil, bad("unreadable XML: %v", err)
	}
	env := d.Root()
	if env == nil || env.Tag != "Envelope" || env.NamespaceURI() != nsSOAP {
		return Request{}, nil, bad("not a SOAP 1.2 envelope")
	}
	header, body := childNS(env, nsSOAP, "Header"), childNS(env, nsSOAP, "Body")
	if header == nil || body == nil {
		return Request{}, nil, bad("no soap:Header or soap:Body")
	}
	action := childNS(header, nsWSA, "Action")
	toEl := childNS(header, nsWSA, "To")
	sec := childNS(header, nsWSSE, "Security")
	if action == nil || toEl == nil || sec == nil {
		return Request{}, nil, bad("the header lacks wsa:Action, wsa:To or wsse:Security")
	}
	var op Operation
	for _, o := range []Operation{OpSendBillSync, OpSendTestSetAsync, OpGetStatus, OpGetStatusZip} {
		if strings.TrimSpace(action.Text()) == o.Action() {
			op = o
		}
	}
	if op == "" {
		return Request{}, nil, bad("unknown wsa:Action %q", action.Text())
	}
	kids := sec.ChildElements()
	if len(kids) != 3 || kids[0].Tag != "Timestamp" || kids[1].Tag != "BinarySecurityToken" || kids[2].Tag != "Signature" {
		return Request{}, nil, bad("wsse:Security must hold Timestamp, BinarySecurityToken and Signature, in that order")
	}
	created, err1 := time.Parse(time.RFC3339, childText(kids[0], nsWSU, "Created"))
	expires, err2 := time.Parse(time.RFC3339, childText(kids[0], nsWSU, "Expires"))
	const skew = 5 * time.Minute
	switch {
	case err1 != nil || err2 != nil:
		return Request{}, nil, bad("the Timestamp's Created or Expires is not a time")
	case created.After(now.Add(skew)):
		return Request{}, nil, bad("the Timestamp was created in the future")
	case expires.Add(skew).Before(now):
		return Request{}, nil, bad("the Timestamp has expired")
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(kids[1].Text()), ""))
	if err != nil {
		return Request{}, nil, bad("the BinarySecurityToken is not base64")
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return Request{}, nil, bad("the BinarySecurityToken is not a certificate")
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return Request{}, nil, bad("the certificate has no RSA key")
	}
	sig := kids[2]
	info := childNS(sig, nsDS, "SignedInfo")
	if info == nil {
		return Request{}, nil, bad("the signature has no SignedInfo")
	}
	cm := childNS(info, nsDS, "CanonicalizationMethod")
	if algorithmOf(cm) != algExcC || algorithmOf(childNS(info, nsDS, "SignatureMethod")) != algRSASHA256 {
		return Request{}, nil, bad("the signature must use exclusive C14N and RSA-SHA256")
	}
	toID := ""
	for _, a := range toEl.Attr {
		if a.Key == "Id" && a.NamespaceURI() == nsWSU {
			toID = a.Value
		}
	}
	covered := false
	for _, r := range childrenNS(info, nsDS, "Reference") {
		uri := r.SelectAttrValue("URI", "")
		if !strings.HasPrefix(uri, "#") || algorithmOf(childNS(r, nsDS, "DigestMethod")) != algSHA256 {
			return Request{}, nil, bad("reference %q is not a SHA-256 same-document reference", uri)
		}
		prefixes := ""
		if ts := childNS(r, nsDS, "Transforms"); ts != nil {
			for _, t := range childrenNS(ts, nsDS, "Transform") {
				if algorithmOf(t) != algExcC {
					return Request{}, nil, bad("reference %q has a transform other than exclusive C14N", uri)
				}
				if in := childNS(t, nsEC, "InclusiveNamespaces"); in != nil {
					prefixes = in.SelectAttrValue("PrefixList", "")
				}
			}
		}
		got, err := excDigest(d, uri[1:], prefixes)
		if err != nil {
			return Request{}, nil, bad("reference %q resolves to nothing", uri)
		}
		if got != strings.TrimSpace(childText(r, nsDS, "DigestValue")) {
			return Request{}, nil, bad("the digest of reference %q does not match", uri)
		}
		covered = covered || (toID != "" && uri[1:] == toID)
	}
	if !covered {
		return Request{}, nil, bad("the signature does not cover wsa:To")
	}
	prefixes := ""
	if in := childNS(cm, nsEC, "InclusiveNamespaces"); in != nil {
		prefixes = in.SelectAttrValue("PrefixList", "")
	}
	c14n, err := excCanonical(d, func(root *etree.Element) *etree.Element { return findByTag(root, nsDS, "SignedInfo") }, prefixes)
	if err != nil {
		return Request{}, nil, bad("%v", err)
	}
	sv, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(childText(sig, nsDS, "SignatureValue")), ""))
	if err != nil {
		return Request{}, nil, bad("the SignatureValue is not base64")
	}
	h := sha256.Sum256(c14n)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sv); err != nil {
		return Request{}, nil, bad("the signature value does not verify with the BinarySecurityToken's certificate")
	}

	call := childNS(body, nsWCF, string(op))
	if call == nil {
		return Request{}, nil, bad("the body does not hold wcf:%s", op)
	}
	r := Request{Op: op, FileName: childText(call, nsWCF, "fileName"), TestSetID: childText(call, nsWCF, "testSetId"),
		TrackID: strings.TrimSpace(childText(call, nsWCF, "trackId"))}
	if content := childText(call, nsWCF, "contentFile"); content != "" {
		if r.Zip, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(content), "")); err != nil {
			return Request{}, nil, bad("contentFile is not base64")
		}
	}
	return r, cert, nil
}

func childText(el *etree.Element, ns, local string) string {
	if c := childNS(el, ns, local); c != nil {
		return c.Text()
	}
	return ""
}

// Zip packs one document as the service takes it: a zip holding one
// .xml entry.
func Zip(name string, doc []byte) ([]byte, error) {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, err := w.Create(name)
	if err != nil {
		return nil, fmt.Errorf("dian: zipping %s: %w", name, err)
	}
	if _, err := f.Write(doc); err != nil {
		return nil, fmt.Errorf("dian: zipping %s: %w", name, err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("dian: zipping %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// ErrZip is a zip the service refuses (its status 89): unreadable, or
// without exactly one .xml document.
var ErrZip = errors.New("dian: the zip does not hold exactly one XML document")

// Unzip reads the one document of a zip as the service does: only
// entries named *.xml count, and there must be exactly one.
func Unzip(b []byte, maxSize int64) (name string, doc []byte, err error) {
	r, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrZip, err)
	}
	var found *zip.File
	for _, f := range r.File {
		if strings.HasSuffix(f.Name, ".xml") && !strings.Contains(f.Name, "_MACOSX") {
			if found != nil {
				return "", nil, fmt.Errorf("%w: more than one", ErrZip)
			}
			found = f
		}
	}
	if found == nil {
		return "", nil, fmt.Errorf("%w: none", ErrZip)
	}
	rc, err := found.Open()
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrZip, err)
	}
	defer rc.Close()
	doc, err = io.ReadAll(io.LimitReader(rc, maxSize+1))
	if err != nil || int64(len(doc)) > maxSize || len(doc) == 0 {
		return "", nil, fmt.Errorf("%w: empty, too large or corrupt", ErrZip)
	}
	return strings.TrimSuffix(path.Base(found.Name), ".xml"), doc, nil
}

// ruleID reads the rule of one of the service's messages ("Regla: FAD06,
// Rechazo: …").
var ruleID = regexp.MustCompile(`^Regla:\s*([A-Za-z0-9]+),\s*(Rechazo|Notificación)`)

// Rule is one rule a document broke (Rechazo) or was warned about
// (Notificación).
type Rule struct {
	ID        string
	Rejection bool
	Message   string
}

// RulesOf reads the rules of the service's ErrorMessage strings; a
// message that names no rule is kept whole, with no id.
func RulesOf(messages []string) []Rule {
	out := make([]Rule, 0, len(messages))
	for _, m := range messages {
		r := Rule{Message: m}
		if g := ruleID.FindStringSubmatch(m); g != nil {
			r.ID, r.Rejection = g[1], g[2] == "Rechazo"
		}
		out = append(out, r)
	}
	return out
}

// Result is the service's DianResponse: its answer to SendBillSync and
// GetStatus, and each item of GetStatusZip's.
type Result struct {
	IsValid           bool
	StatusCode        string // 00 accepted, 99 rejected, 98 in process, 66 unknown, 89 request refused, "" batch in process
	StatusDescription string
	StatusMessage     string
	ErrorMessage      []string
	// ApplicationResponse is DIAN's signed answer (XmlBase64Bytes), nil
	// while in process.
	ApplicationResponse []byte
	DocumentKey         string // the CUFE/CUDE it answers for
	FileName            string
}

// Rules are the result's rules, read from ErrorMessage.
func (r Result) Rules() []Rule { return RulesOf(r.ErrorMessage) }

// Accepted reports DIAN's acceptance (IsValid with status 00).
func (r Result) Accepted() bool { return r.IsValid && r.StatusCode == "00" }

// InProcess reports an answer that is neither acceptance nor rejection
// yet: ask again later.
func (r Result) InProcess() bool {
	return !r.IsValid && (r.StatusCode == "98" || r.StatusCode == "" || r.StatusCode == "0")
}

// Fault is a SOAP fault: the service refused the request itself (its
// security, its shape), never an answer about the document.
type Fault struct {
	Code, Subcode, Reason string
}

func (f *Fault) Error() string {
	return fmt.Sprintf("dian: SOAP fault %s/%s: %s", f.Code, f.Subcode, f.Reason)
}

// Answer is a parsed response: the results (one for SendBillSync and
// GetStatus, any number for GetStatusZip), or the ZipKey of
// SendTestSetAsync with its error messages.
type Answer struct {
	Results []Result
	ZipKey  string
	Errors  []string // SendTestSetAsync's ErrorMessageList (ProcessedMessage)
}

// ReadAnswer parses the service's response to op. A SOAP fault is a
// *Fault.
func ReadAnswer(op Operation, b []byte) (Answer, error) {
	d := etree.NewDocument()
	if err := d.ReadFromBytes(b); err != nil {
		return Answer{}, fmt.Errorf("dian: unreadable answer: %w", err)
	}
	env := d.Root()
	if env == nil || env.Tag != "Envelope" || env.NamespaceURI() != nsSOAP {
		return Answer{}, errors.New("dian: the answer is not a SOAP 1.2 envelope")
	}
	body := childNS(env, nsSOAP, "Body")
	if body == nil {
		return Answer{}, errors.New("dian: the answer has no body")
	}
	if f := childNS(body, nsSOAP, "Fault"); f != nil {
		out := &Fault{}
		if c := childNS(f, nsSOAP, "Code"); c != nil {
			out.Code = strings.TrimSpace(childText(c, nsSOAP, "Value"))
			if sc := childNS(c, nsSOAP, "Subcode"); sc != nil {
				out.Subcode = strings.TrimSpace(childText(sc, nsSOAP, "Value"))
			}
		}
		if r := childNS(f, nsSOAP, "Reason"); r != nil {
			out.Reason = strings.TrimSpace(childText(r, nsSOAP, "Text"))
		}
		return Answer{}, out
	}
	resp := childNS(body, nsWCF, string(op)+"Response")
	if resp == nil {
		return Answer{}, fmt.Errorf("dian: the answer has no %sResponse", op)
	}
	result := childNS(resp, nsWCF, string(op)+"Result")
	if result == nil {
		return Answer{}, fmt.Errorf("dian: the answer has no %sResult", op)
	}
	switch op {
	case OpSendTestSetAsync:
		a := Answer{ZipKey: strings.TrimSpace(childText(result, "http://schemas.datacontract.org/2004/07/UploadDocumentResponse", "ZipKey"))}
		if list := childNS(result, "http://schemas.datacontract.org/2004/07/UploadDocumentResponse", "ErrorMessageList"); list != nil {
			for _, item := range list.ChildElements() {
				if m := childText(item, "http://schemas.datacontract.org/2004/07/XmlParamsResponseTrackId", "ProcessedMessage"); m != "" {
					a.Errors = append(a.Errors, m)
				}
			}
		}
		return a, nil
	case OpGetStatusZip:
		var a Answer
		for _, item := range childrenNS(result, nsDR, "DianResponse") {
			r, err := readResult(item)
			if err != nil {
				return Answer{}, err
			}
			a.Results = append(a.Results, r)
		}
		return a, nil
	}
	r, err := readResult(result)
	if err != nil {
		return Answer{}, err
	}
	return Answer{Results: []Result{r}}, nil
}

func readResult(el *etree.Element) (Result, error) {
	r := Result{IsValid: strings.TrimSpace(childText(el, nsDR, "IsValid")) == "true",
		StatusCode: strings.TrimSpace(childText(el, nsDR, "StatusCode")), StatusDescription: childText(el, nsDR, "StatusDescription"),
		StatusMessage: childText(el, nsDR, "StatusMessage"), DocumentKey: strings.TrimSpace(childText(el, nsDR, "XmlDocumentKey")),
		FileName: childText(el, nsDR, "XmlFileName")}
	if list := childNS(el, nsDR, "ErrorMessage"); list != nil {
		for _, s := range childrenNS(list, nsArr, "string") {
			r.ErrorMessage = append(r.ErrorMessage, s.Text())
		}
	}
	if b64 := strings.Join(strings.Fields(childText(el, nsDR, "XmlBase64Bytes")), ""); b64 != "" {
		ar, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return Result{}, errors.New("dian: XmlBase64Bytes is not base64")
		}
		r.ApplicationResponse = ar
	}
	return r, nil
}

// AnswerEnvelope writes the service's response to op (the test double's
// side of ReadAnswer): DianResponse members in the service's
// (alphabetical) order, nulls as i:nil.
func AnswerEnvelope(op Operation, a Answer) []byte {
	d := etree.NewDocument()
	env := d.CreateElement("s:Envelope")
	env.CreateAttr("xmlns:s", nsSOAP)
	env.CreateAttr("xmlns:a", nsWSA)
	h := env.CreateElement("s:Header").CreateElement("a:Action")
	h.CreateAttr("s:mustUnderstand", "1")
	h.SetText(op.Action() + "Response")
	resp := env.CreateElement("s:Body").CreateElement(string(op) + "Response")
	resp.CreateAttr("xmlns", nsWCF)
	result := resp.CreateElement(string(op) + "Result")
	result.CreateAttr("xmlns:i", nsXSI)
	nilOr := func(parent *etree.Element, tag, v string) {
		e := parent.CreateElement(tag)
		if v == "" {
			e.CreateAttr("i:nil", "true")
		} else {
			e.SetText(v)
		}
	}
	switch op {
	case OpSendTestSetAsync:
		result.CreateAttr("xmlns:b", "http://schemas.datacontract.org/2004/07/UploadDocumentResponse")
		list := result.CreateElement("b:ErrorMessageList")
		list.CreateAttr("xmlns:c", "http://schemas.datacontract.org/2004/07/XmlParamsResponseTrackId")
		if len(a.Errors) == 0 {
			list.CreateAttr("i:nil", "true")
		}
		for _, m := range a.Errors {
			item := list.CreateElement("c:XmlParamsResponseTrackId")
			nilOr(item, "c:DocumentKey", "")
			item.CreateElement("c:ProcessedMessage").SetText(m)
			nilOr(item, "c:SenderCode", "")
			item.CreateElement("c:Success").SetText("false")
			nilOr(item, "c:XmlFileName", "")
		}
		nilOr(result, "b:ZipKey", a.ZipKey)
	default:
		result.CreateAttr("xmlns:b", nsDR)
		items := []*etree.Element{result}
		if op == OpGetStatusZip {
			items = items[:0]
			for range a.Results {
				items = append(items, result.CreateElement("b:DianResponse"))
			}
		}
		for i, el := range items {
			if i >= len(a.Results) {
				break
			}
			r := a.Results[i]
			list := el.CreateElement("b:ErrorMessage")
			list.CreateAttr("xmlns:c", nsArr)
			for _, m := range r.ErrorMessage {
				list.CreateElement("c:string").SetText(m)
			}
			el.CreateElement("b:IsValid").SetText(fmt.Sprint(r.IsValid))
			el.CreateElement("b:StatusCode").SetText(r.StatusCode)
			el.CreateElement("b:StatusDescription").SetText(r.StatusDescription)
			nilOr(el, "b:StatusMessage", r.StatusMessage)
			nilOr(el, "b:XmlBase64Bytes", base64.StdEncoding.EncodeToString(r.ApplicationResponse))
			nilOr(el, "b:XmlBytes", "")
			nilOr(el, "b:XmlDocumentKey", r.DocumentKey)
			nilOr(el, "b:XmlFileName", r.FileName)
		}
	}
	b, _ := d.WriteToBytes() // a tree built here always writes
	return b
}

// FaultEnvelope writes a SOAP 1.2 fault as the service sends one (with
// HTTP 500).
func FaultEnvelope(f Fault) []byte {
	d := etree.NewDocument()
	env := d.CreateElement("s:Envelope")
	env.CreateAttr("xmlns:s", nsSOAP)
	env.CreateAttr("xmlns:a", nsWSA)
	h := env.CreateElement("s:Header").CreateElement("a:Action")
	h.CreateAttr("s:mustUnderstand", "1")
	h.SetText("http://www.w3.org/2005/08/addressing/soap/fault")
	fault := env.CreateElement("s:Body").CreateElement("s:Fault")
	code := fault.CreateElement("s:Code")
	code.CreateElement("s:Value").SetText(f.Code)
	if f.Subcode != "" {
		sc := code.CreateElement("s:Subcode").CreateElement("s:Value")
		sc.CreateAttr("xmlns:a", nsWSSE)
		sc.SetText(f.Subcode)
	}
	text := fault.CreateElement("s:Reason").CreateElement("s:Text")
	text.CreateAttr("xml:lang", "en-US")
	text.SetText(f.Reason)
	b, _ := d.WriteToBytes()
	return b
}
