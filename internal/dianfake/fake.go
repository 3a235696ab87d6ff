// Package dianfake is a test double of DIAN's web service
// (WcfDianCustomerServices): a real HTTP server that takes the requests
// the service's Submitter sends, checks them as DIAN does, and answers in
// DIAN's shapes (docs/dian-web-service.md). It checks the WS-Security
// envelope (dian.ReadEnvelope), the zip of one document, the document
// against the UBL 2.1 schemas (xmllint), its XAdES signature
// (dian.Verify), its number inside a known range and its CUFE recomputed
// with that range's technical key (or a credit note's CUDE and the
// software's security code with the software's PIN, when it knows it),
// and answers accepted (00), rejected naming the rules broken (99: FAD06
// CUFE, FAB10b prefix, FAD05e number, ZE02 signature, ZB01 schema, FAB27b
// security code, CAD06 CUDE, 90 an accepted document sent again), or, by
// script, still in process or a SOAP fault. SendBillSync answers the
// verdict at once; SendTestSetAsync answers a ZipKey and keeps the same
// verdict for GetStatusZip (and GetStatus by the document's key), as
// DIAN's habilitación does. `billing dian-fake` serves it; make run and
// the tests point BILLING_DIAN_URL at it.
package dianfake

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/beevik/etree"
	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/dian"
)

// Range is a numbering range the double knows, with its technical key.
type Range struct {
	Prefix   string
	From, To int64
	Key      string
}

// TestRange is DIAN's test range and key (FISCAL.md §3), known by default.
func TestRange() Range {
	r := dian.TestRange()
	return Range{Prefix: r.Prefijo, From: r.Desde, To: r.Hasta, Key: r.ClaveTecnica}
}

// Outcome is a scripted answer, taken in order before the checks' own
// verdict: accept, reject naming a rule, in process (then the checks'
// verdict on the next GetStatus, or GetStatusZip for a test set), or a
// SOAP fault.
type Outcome struct {
	Kind string // "accept", "reject", "in-process", "fault"
	Rule string // for reject
}

// Fake is the double. Its zero value is not usable: New.
type Fake struct {
	log      *slog.Logger
	schemas  string // directory of the UBL 2.1 schemas (maindoc/…); "" skips the schema check
	mu       sync.Mutex
	ranges   []Range
	software map[string]string // software id → PIN
	script   []Outcome
	// results are the final answers by document key (CUFE/CUDE), for
	// GetStatus and the duplicate rule; pending are documents answered
	// "in process" whose verdict GetStatus gives next.
	results map[string]dian.Result
	pending map[string]dian.Result
	// zips are the test sets' verdicts by ZipKey, for GetStatusZip.
	zips map[string]zipped
	// Received counts the requests by operation, for tests.
	received map[dian.Operation]int
}

// New makes a double that knows DIAN's test range plus ranges, and the
// software PINs given (software id → PIN); schemas is the directory
// holding maindoc/UBL-*.xsd.
func New(log *slog.Logger, schemas string, ranges []Range, software map[string]string) *Fake {
	if schemas != "" {
		if _, err := os.Stat(filepath.Join(schemas, "maindoc")); err != nil {
			// The double's own setup, not the document's fault: say so once
			// and check the rest.
			log.Warn("the UBL schemas are not where they were said to be: documents are not checked against them", "schemas", schemas)
			schemas = ""
		}
	}
	f := &Fake{log: log, schemas: schemas, ranges: append([]Range{TestRange()}, ranges...), software: map[string]string{},
		results: map[string]dian.Result{}, pending: map[string]dian.Result{}, zips: map[string]zipped{}, received: map[dian.Operation]int{}}
	for id, pin := range software {
		f.software[id] = pin
	}
	return f
}

// Script queues outcomes for the next documents sent.
func (f *Fake) Script(o ...Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, o...)
}

// Received is how many requests of op arrived.
func (f *Fake) Received(op dian.Operation) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.received[op]
}

// ParseOutcome reads a script entry: accept, in-process, fault or
// reject:RULE.
func ParseOutcome(s string) (Outcome, error) {
	kind, rule, _ := strings.Cut(s, ":")
	switch kind {
	case "accept", "in-process", "fault":
		return Outcome{Kind: kind}, nil
	case "reject":
		if rule == "" {
			return Outcome{}, errors.New("reject needs a rule: reject:FAD06")
		}
		return Outcome{Kind: kind, Rule: rule}, nil
	}
	return Outcome{}, fmt.Errorf("unknown outcome %q: accept, in-process, fault or reject:RULE", s)
}

// ServeHTTP answers the service's operations on any path, and POST
// /fake/script (a JSON-free body of outcomes, one per line) to script the
// next answers of a running double.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/fake/script" {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		var outs []Outcome
		for _, line := range strings.Fields(string(body)) {
			o, err := ParseOutcome(line)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			outs = append(outs, o)
		}
		f.Script(outs...)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/soap+xml") {
		http.Error(w, "DIAN's service takes SOAP 1.2 POSTs (application/soap+xml)", http.StatusUnsupportedMediaType)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20+1))
	if err != nil || len(body) > 10<<20 {
		f.fault(w, dian.Fault{Code: "s:Sender", Reason: "The message is larger than the service accepts."})
		return
	}
	req, cert, err := dian.ReadEnvelope(body, time.Now())
	if err != nil {
		f.log.Info("refused a request", "error", err.Error())
		f.fault(w, dian.Fault{Code: "s:Sender", Subcode: "a:InvalidSecurity", Reason: "An error occurred when verifying security for the message."})
		return
	}
	f.mu.Lock()
	f.received[req.Op]++
	f.mu.Unlock()
	var a dian.Answer
	switch req.Op {
	case dian.OpSendBillSync:
		res, fault := f.sendBill(req, cert)
		if fault != nil {
			f.fault(w, *fault)
			return
		}
		a.Results = []dian.Result{res}
	case dian.OpSendTestSetAsync:
		var fault *dian.Fault
		if a, fault = f.sendTestSet(req, cert); fault != nil {
			f.fault(w, *fault)
			return
		}
	case dian.OpGetStatus:
		a.Results = []dian.Result{f.status(strings.ToLower(req.TrackID))}
	case dian.OpGetStatusZip:
		// A ZipKey is a GUID, which DIAN reads whatever its case.
		a.Results = []dian.Result{f.statusZip(strings.ToLower(req.TrackID))}
	default:
		// ReadEnvelope knows no other operation; this guards a new one
		// added there before it is doubled here.
		f.fault(w, dian.Fault{Code: "s:Sender", Subcode: "a:ActionNotSupported", Reason: "The test double does not take " + string(req.Op) + "."})
		return
	}
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	_, _ = w.Write(dian.AnswerEnvelope(req.Op, a))
}

func (f *Fake) fault(w http.ResponseWriter, fl dian.Fault) {
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(dian.FaultEnvelope(fl))
}

func (f *Fake) next() (Outcome, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.script) == 0 {
		return Outcome{}, false
	}
	o := f.script[0]
	f.script = f.script[1:]
	return o, true
}

// status answers GetStatus for a document key.
func (f *Fake) status(key string) dian.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	// A test set's document in process has had no in-process answer yet
	// (SendTestSetAsync answered only a ZipKey): this one is DIAN's 98, and
	// the batch is done for GetStatusZip as well.
	for zipKey, z := range f.zips {
		if z.pending && key != "" && z.verdict.DocumentKey == key {
			z.pending = false
			f.zips[zipKey] = z
			return dian.Result{StatusCode: "98", StatusDescription: "En Proceso", DocumentKey: key, FileName: z.verdict.FileName}
		}
	}
	if r, ok := f.pending[key]; ok {
		delete(f.pending, key)
		f.results[key] = r
		return r
	}
	if r, ok := f.results[key]; ok {
		return r
	}
	return dian.Result{StatusCode: "66", StatusDescription: "TrackId no existe en los registros de la DIAN."}
}

// zipped is one test set's zip as GetStatusZip sees it: its document's
// verdict, and whether it is still in process (a scripted in-process).
// A zip in process stays so until the first question about it, by
// GetStatusZip or by GetStatus with its document's key: that one answers
// in process and every later one the verdict, either way, as if DIAN had
// finished the batch in between.
type zipped struct {
	verdict dian.Result
	pending bool
}

// statusZip answers GetStatusZip for a ZipKey: the one result of its
// zip; an unknown key is 66, as GetStatus answers. The in-process answer
// is the batch's, as DIAN gives it while the batch runs (an empty
// StatusCode, which dian.Result.InProcess reads), not GetStatus's 98.
func (f *Fake) statusZip(zipKey string) dian.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	z, ok := f.zips[zipKey]
	if !ok {
		return dian.Result{StatusCode: "66", StatusDescription: "TrackId no existe en los registros de la DIAN."}
	}
	if z.pending {
		z.pending = false
		f.zips[zipKey] = z
		return dian.Result{StatusCode: "", StatusDescription: "Batch en proceso de validación."}
	}
	// The batch is done, so its document is no longer in process for
	// GetStatus either (nor for the duplicate rule).
	if k := z.verdict.DocumentKey; k != "" {
		if r, ok := f.pending[k]; ok {
			delete(f.pending, k)
			f.results[k] = r
		}
	}
	return z.verdict
}

// sendBill judges one document and answers its verdict.
func (f *Fake) sendBill(req dian.Request, signer *x509.Certificate) (dian.Result, *dian.Fault) {
	refused := func(msg string) dian.Result {
		return dian.Result{StatusCode: "89", StatusDescription: msg, FileName: strings.TrimSuffix(req.FileName, ".zip")}
	}
	name, doc, err := dian.Unzip(req.Zip, 8<<20)
	if err != nil {
		return refused("Error descomprimiendo el archivo ZIP: No fue encontrado ningun documento XML válido."), nil
	}
	d := f.decide(name, doc, signer)
	switch {
	case d.fault != nil:
		return dian.Result{}, d.fault
	case d.inProcess:
		return dian.Result{StatusCode: "98", StatusDescription: "En Proceso", DocumentKey: d.verdict.DocumentKey, FileName: name}, nil
	}
	return d.verdict, nil
}

// sendTestSet takes one zip of a test set. It is refused as DIAN's
// SendTestSetAsync refuses before reading the document (a missing test
// set id, no file, a zip without one XML document): in ErrorMessageList,
// with no ZipKey and no fault, since that is how DIAN answers them.
// Otherwise the document is judged as sendBill judges it and the answer
// is only a fresh ZipKey, under which GetStatusZip gives the verdict.
func (f *Fake) sendTestSet(req dian.Request, signer *x509.Certificate) (dian.Answer, *dian.Fault) {
	refused := func(msg string) dian.Answer { return dian.Answer{Errors: []string{msg}} }
	if strings.TrimSpace(req.TestSetID) == "" {
		return refused("Identificador del set de pruebas es obligatorio."), nil
	}
	if len(req.Zip) == 0 {
		return refused("Archivo no enviado."), nil
	}
	name, doc, err := dian.Unzip(req.Zip, 8<<20)
	if err != nil {
		// DIAN's own text here, unlike SendBillSync's, has no accent.
		return refused("Error descomprimiendo el archivo ZIP: No fue encontrado ningun documento XML valido."), nil
	}
	d := f.decide(name, doc, signer)
	if d.fault != nil {
		return dian.Answer{}, d.fault
	}
	key := uuid.NewString()
	f.mu.Lock()
	f.zips[key] = zipped{verdict: d.verdict, pending: d.inProcess}
	f.mu.Unlock()
	f.log.Info("took a test set", "test_set", strings.TrimSpace(req.TestSetID), "zip_key", key, "key", d.verdict.DocumentKey)
	return dian.Answer{ZipKey: key}, nil
}

// decision is what the double decides on one document either send
// carries: its verdict, whether it is answered in process first, or a
// scripted fault instead of any answer.
type decision struct {
	verdict   dian.Result
	inProcess bool
	fault     *dian.Fault
}

// decide judges a document taken out of its zip (name without .xml),
// applies the next scripted outcome and DIAN's rule 90, and keeps the
// verdict by the document's key for GetStatus and the duplicate rule: a
// document in process in pending (its first GetStatus answers 98), any
// other in results.
func (f *Fake) decide(name string, doc []byte, signer *x509.Certificate) decision {
	j := f.judge(doc)
	j.result.FileName = name
	if o, ok := f.next(); ok {
		switch o.Kind {
		case "fault":
			return decision{fault: &dian.Fault{Code: "s:Receiver", Reason: "The test double was scripted to fail this request."}}
		case "reject":
			j.rules = append(j.rules, "Regla: "+o.Rule+", Rechazo: rechazo programado en el doble de pruebas")
		case "in-process":
			final := j.finish()
			f.mu.Lock()
			f.pending[j.key] = final
			f.mu.Unlock()
			return decision{verdict: final, inProcess: true}
		}
	}
	// An accepted document sent again is DIAN's rule 90 (its earlier
	// answer comes back); a rejected one is judged again.
	f.mu.Lock()
	if prev, ok := f.results[j.key]; ok && j.key != "" && prev.IsValid {
		f.mu.Unlock()
		prev.ErrorMessage = append(append([]string(nil), prev.ErrorMessage...), "Regla: 90, Rechazo: Documento procesado anteriormente.")
		return decision{verdict: prev}
	}
	f.mu.Unlock()
	final := j.finish()
	if j.key != "" {
		f.mu.Lock()
		f.results[j.key] = final
		f.mu.Unlock()
	}
	f.log.Info("judged a document", "numero", j.numero, "key", j.key, "status", final.StatusCode, "rules", final.ErrorMessage,
		"signer", signer.Subject.String())
	return decision{verdict: final}
}

// judgement is what the checks found of one document.
type judgement struct {
	numero, key, kind string
	rules             []string
	result            dian.Result
}

func (j judgement) finish() dian.Result {
	r := j.result
	r.DocumentKey, r.ErrorMessage = j.key, j.rules
	if len(j.rules) == 0 {
		r.IsValid, r.StatusCode, r.StatusDescription = true, "00", "Procesado Correctamente."
		r.StatusMessage = fmt.Sprintf("La %s %s, ha sido autorizada.", j.kind, j.numero)
	} else {
		r.StatusCode, r.StatusDescription = "99", "Validación contiene errores en campos mandatorios."
		r.StatusMessage = "Documento con errores en campos mandatorios."
	}
	r.ApplicationResponse = applicationResponse(j, len(j.rules) == 0)
	return r
}

// judge runs the checks on a document.
func (f *Fake) judge(doc []byte) judgement {
	j := judgement{kind: "Factura electrónica"}
	reject := func(rule, msg string) { j.rules = append(j.rules, "Regla: "+rule+", Rechazo: "+msg) }
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil || d.Root() == nil {
		reject("ZB01", "Fallo en el esquema XML del archivo")
		return j
	}
	root := d.Root()
	schema := "UBL-Invoice-2.1.xsd"
	if root.Tag == "CreditNote" {
		schema, j.kind = "UBL-CreditNote-2.1.xsd", "Nota Crédito electrónica"
	}
	if err := f.validate(doc, schema); err != nil {
		f.log.Info("schema check failed", "error", err.Error())
		reject("ZB01", "Fallo en el esquema XML del archivo")
	}
	if _, err := dian.Verify(doc); err != nil {
		f.log.Info("signature check failed", "error", err.Error())
		reject("ZE02", "Valor de la firma inválido.")
	}
	softwareID := textAt(root, "SoftwareID")
	securityCode := textAt(root, "SoftwareSecurityCode")
	pin, knownPIN := f.software[softwareID]
	if root.Tag == "CreditNote" {
		n, err := dian.ParseCreditNote(doc)
		if err != nil {
			reject("ZB01", "Fallo en el esquema XML del archivo")
			return j
		}
		j.numero, j.key = n.Fields.NumFac, strings.ToLower(n.CUDE)
		if !knownPIN {
			f.log.Info("no PIN for this software: the CUDE and the security code are not checked", "software", softwareID)
		} else {
			n.Fields.Key = pin
			if dian.CUFE(n.Fields) != j.key {
				reject("CAD06", "Valor del CUDE no está calculado correctamente.")
			}
		}
	} else {
		cufe, fields, err := dian.ParseInvoice(doc)
		if err != nil {
			reject("ZB01", "Fallo en el esquema XML del archivo")
			return j
		}
		j.numero, j.key = fields.NumFac, strings.ToLower(cufe)
		rg, ok := f.rangeOf(fields.NumFac)
		switch {
		case !ok:
			reject("FAB10b", "El prefijo no corresponde al prefijo de la autorización de numeración")
		default:
			n, _ := strconv.ParseInt(strings.TrimPrefix(fields.NumFac, rg.Prefix), 10, 64)
			if n < rg.From || n > rg.To {
				reject("FAD05e", "Número de factura no existe para el número de autorización.")
			}
			fields.Key = rg.Key
			if dian.CUFE(fields) != j.key {
				reject("FAD06", "Valor del CUFE no está calculado correctamente.")
			}
		}
		if !knownPIN {
			f.log.Info("no PIN for this software: the security code is not checked", "software", softwareID)
		}
	}
	if knownPIN && dian.SoftwareSecurityCode(softwareID, pin, j.numero) != securityCode {
		reject("FAB27b", "Huella no corresponde a un software autorizado para este OFE.")
	}
	return j
}

// rangeOf finds the known range whose prefix numbers numero.
func (f *Fake) rangeOf(numero string) (Range, bool) {
	best, found := Range{}, false
	for _, r := range f.ranges {
		rest := strings.TrimPrefix(numero, r.Prefix)
		if rest == numero || rest == "" || strings.Trim(rest, "0123456789") != "" {
			continue
		}
		if !found || len(r.Prefix) > len(best.Prefix) {
			best, found = r, true
		}
	}
	return best, found
}

// validate runs xmllint against the named UBL schema.
func (f *Fake) validate(doc []byte, schema string) error {
	if f.schemas == "" {
		return nil
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		f.log.Warn("xmllint is not installed: the schema check is skipped")
		return nil
	}
	tmp, err := os.CreateTemp("", "dianfake-*.xml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(doc); err != nil {
		tmp.Close()
		return err
	}
	tmp.Close()
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join(f.schemas, "maindoc", schema), tmp.Name()).CombinedOutput()
	if err != nil {
		return errors.New(strings.TrimSpace(string(out)))
	}
	return nil
}

// textAt is the text of the first element named local anywhere under el.
func textAt(el *etree.Element, local string) string {
	if el.Tag == local {
		return strings.TrimSpace(el.Text())
	}
	for _, c := range el.ChildElements() {
		if t := textAt(c, local); t != "" {
			return t
		}
	}
	return ""
}

// applicationResponse is DIAN's answer document: the verdict (02
// validated, 04 rejected) on the document, one line per rule. Unsigned
// (DIAN signs its own).
func applicationResponse(j judgement, ok bool) []byte {
	d := etree.NewDocument()
	d.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	ar := d.CreateElement("ApplicationResponse")
	ar.CreateAttr("xmlns", "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2")
	ar.CreateAttr("xmlns:cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2")
	ar.CreateAttr("xmlns:cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2")
	now := time.Now().In(billing.Colombia)
	ar.CreateElement("cbc:UBLVersionID").SetText("UBL 2.1")
	ar.CreateElement("cbc:CustomizationID").SetText("1")
	ar.CreateElement("cbc:ProfileID").SetText("DIAN 2.1")
	ar.CreateElement("cbc:ProfileExecutionID").SetText("2")
	ar.CreateElement("cbc:ID").SetText(strconv.FormatInt(now.UnixNano()%1e12, 10))
	ar.CreateElement("cbc:IssueDate").SetText(now.Format("2006-01-02"))
	ar.CreateElement("cbc:IssueTime").SetText(now.Format("15:04:05-07:00"))
	party := func(tag, name, id string) {
		p := ar.CreateElement(tag).CreateElement("cac:PartyTaxScheme")
		p.CreateElement("cbc:RegistrationName").SetText(name)
		c := p.CreateElement("cbc:CompanyID")
		c.CreateAttr("schemeID", "4")
		c.CreateAttr("schemeName", "31")
		c.SetText(id)
		ts := p.CreateElement("cac:TaxScheme")
		ts.CreateElement("cbc:ID").SetText("01")
		ts.CreateElement("cbc:Name").SetText("IVA")
	}
	party("cac:SenderParty", "Unidad Especial Dirección de Impuestos y Aduanas Nacionales", "800197268")
	party("cac:ReceiverParty", "Emisor", "0")
	dr := ar.CreateElement("cac:DocumentResponse")
	resp := dr.CreateElement("cac:Response")
	if ok {
		resp.CreateElement("cbc:ResponseCode").SetText("02")
		resp.CreateElement("cbc:Description").SetText("Documento validado por la DIAN")
	} else {
		resp.CreateElement("cbc:ResponseCode").SetText("04")
		resp.CreateElement("cbc:Description").SetText("Documento rechazado por la DIAN")
	}
	ref := dr.CreateElement("cac:DocumentReference")
	ref.CreateElement("cbc:ID").SetText(j.numero)
	u := ref.CreateElement("cbc:UUID")
	u.CreateAttr("schemeName", "CUFE-SHA384")
	u.SetText(j.key)
	line := func(n int, code, desc string) {
		l := dr.CreateElement("cac:LineResponse")
		l.CreateElement("cac:LineReference").CreateElement("cbc:LineID").SetText(strconv.Itoa(n))
		r := l.CreateElement("cac:Response")
		r.CreateElement("cbc:ResponseCode").SetText(code)
		r.CreateElement("cbc:Description").SetText(desc)
	}
	line(1, "0000", "0")
	for i, m := range j.rules {
		id, text := m, m
		if rs := dian.RulesOf([]string{m}); len(rs) == 1 && rs[0].ID != "" {
			id = rs[0].ID
			if _, after, found := strings.Cut(m, ": "); found {
				if _, t, ok := strings.Cut(after, ": "); ok {
					text = t
				}
			}
		}
		line(i+2, id, text)
	}
	var b bytes.Buffer
	_, _ = d.WriteTo(&b)
	return b.Bytes()
}
