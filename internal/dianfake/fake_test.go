package dianfake_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/devcert"
	"billing/internal/dian"
	"billing/internal/dianfake"
	"billing/internal/dianws"
	"billing/internal/money"
)

// A software the double knows the PIN of, so that it checks the security
// code (FAB27b) as well as the CUFE.
const softwareID, softwarePIN = "56f2ae4e-9812-4fad-9255-08fcfcd5ccb0", "pin-75315"

// sent is a signed invoice zipped as the service takes it.
type sent struct {
	fileName string // the zip's name, as the request carries it
	xmlName  string // the document's name inside the zip, without .xml: the answers' FileName
	zip      []byte
	cufe     string
}

// signedInvoice is an invoice of DIAN's test range numbered consecutivo,
// its CUFE computed with the range's technical key, signed by cert: one
// the double accepts unless scripted otherwise.
func signedInvoice(t *testing.T, cert dian.Certificate, consecutivo int64) sent {
	t.Helper()
	r := dian.TestRange()
	r.ID, r.Activa = uuid.New(), true
	line := billing.InvoiceLine{ID: uuid.New(), Descripcion: "Pensión febrero 2026", Cantidad: money.Must("1").Rescale(3),
		ValorUnitario: money.Must("350000").Rescale(2), Impuesto: money.Must("0").Rescale(2), Tributo: billing.SchemeIVA,
		Tratamiento: billing.Excluido}
	totals, err := billing.ComputeTotals([]billing.Line{{Cantidad: line.Cantidad, ValorUnitario: line.ValorUnitario,
		Impuesto: line.Impuesto, Tributo: line.Tributo, Tratamiento: line.Tratamiento}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	line.ValorBruto, line.ValorDescuento, line.Subtotal = totals.LineGross[0], totals.LineDiscounts[0], totals.LineSubtotals[0]
	const issueDate = "2026-02-02"
	issued, err := billing.ParseDate(issueDate)
	if err != nil {
		t.Fatal(err)
	}
	due := billing.DefaultPaymentTerms.DueDate(issued)
	numero := dian.Numero(r.Prefijo, consecutivo)
	phone := "6015550100"
	doc := billing.Document{
		Seller: billing.FiscalProfile{Nit: "900123456", RazonSocial: "COLEGIO EJEMPLO S.A.S.", TipoPersona: billing.PersonaJuridica,
			Responsabilidades: []string{"O-13"}, Tributo: "ZZ", Direccion: "CL 100 10 20", Municipio: "11001", Ciudad: "Bogotá, D.C.",
			Departamento: "Bogotá", Email: "facturacion@colegio.example", Telefono: &phone, Ambiente: billing.AmbientePruebas,
			SoftwareID: softwareID},
		Resolution: &r,
		Invoice: billing.Invoice{Numero: numero, Status: billing.InvoiceIssued,
			Customer: billing.Customer{RazonSocial: "MARÍA PÉREZ", Nit: "1020304050", TipoIdentificacion: billing.IDCedula},
			Lines:    []billing.InvoiceLine{line}, Subtotal: totals.Subtotal, Impuestos: totals.Impuestos, Total: totals.Total,
			Taxes: totals.Taxes, TotalDescuentos: totals.TotalDescuentos, TotalCargos: totals.TotalCargos,
			Terms: billing.DefaultPaymentTerms, FechaVencimiento: &due,
			Stamp: &billing.Stamp{ResolutionID: r.ID, Consecutivo: consecutivo, IssueDate: issueDate, IssueTime: "08:00:00-05:00"}},
	}
	cufe := dian.CUFE(dian.InvoiceCUFEFields(doc, r.ClaveTecnica))
	doc.Invoice.Stamp.CUFE = cufe
	doc.Invoice.Stamp.QR = dian.QRText(doc)
	doc.SoftwareSecurityCode = dian.SoftwareSecurityCode(softwareID, softwarePIN, numero)
	doc.QRURL = dian.QRURL(cufe, billing.AmbientePruebas)
	unsigned, err := dian.InvoiceXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := dian.Sign(unsigned, cert, time.Now(), numero)
	if err != nil {
		t.Fatal(err)
	}
	xmlName := "fv0900123456000" + numero
	zipped, err := dian.Zip(xmlName+".xml", signed)
	if err != nil {
		t.Fatal(err)
	}
	return sent{fileName: "z0900123456000" + numero + ".zip", xmlName: xmlName, zip: zipped, cufe: cufe}
}

// signingCert is a short-serial test certificate read as the service
// reads an upload.
func signingCert(t *testing.T) dian.Certificate {
	t.Helper()
	b, err := devcert.New(devcert.Options{CommonName: "900123456", Organization: "COLEGIO EJEMPLO SAS",
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), Password: "clave"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := dian.ReadPKCS12(b.P12, "clave", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newDouble is a double that checks documents against the UBL schemas and
// knows the tests' software, served over HTTP, and a client of it.
func newDouble(t *testing.T, script ...string) (*dianfake.Fake, *dianws.Client) {
	t.Helper()
	fake := dianfake.New(slog.New(slog.NewTextHandler(io.Discard, nil)), filepath.Join("..", "dian", "testdata", "ubl-2.1"), nil,
		map[string]string{softwareID: softwarePIN})
	for _, s := range script {
		o, err := dianfake.ParseOutcome(s)
		if err != nil {
			t.Fatal(err)
		}
		fake.Script(o)
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, dianws.New(srv.URL + "/WcfDianCustomerServices.svc")
}

// verdict is what a test expects of one result.
type verdict struct {
	status string // StatusCode
	valid  bool
	rule   string // a rejection rule the result names; "" none
	ar     string // the ApplicationResponse's ResponseCode (02, 04); "" no ApplicationResponse
}

// check compares a result with want; doc is the invoice it should answer
// for, when it was judged.
func (want verdict) check(t *testing.T, what string, got dian.Result, doc *sent) {
	t.Helper()
	if got.StatusCode != want.status || got.IsValid != want.valid {
		t.Fatalf("%s: status %q valid %v, want %q %v (%+v)", what, got.StatusCode, got.IsValid, want.status, want.valid, got)
	}
	var rejected []string
	for _, r := range got.Rules() {
		if r.Rejection {
			rejected = append(rejected, r.ID)
		}
	}
	if want.rule == "" && len(rejected) != 0 || want.rule != "" && (len(rejected) != 1 || rejected[0] != want.rule) {
		t.Fatalf("%s: rejection rules %v, want %q", what, rejected, want.rule)
	}
	if want.ar == "" {
		if got.ApplicationResponse != nil {
			t.Fatalf("%s: an ApplicationResponse where none was due: %s", what, got.ApplicationResponse)
		}
		return
	}
	code := "<cbc:ResponseCode>" + want.ar + "</cbc:ResponseCode>"
	if !bytes.Contains(got.ApplicationResponse, []byte(code)) || !bytes.Contains(got.ApplicationResponse, []byte(doc.cufe)) {
		t.Fatalf("%s: the ApplicationResponse lacks %s or the CUFE: %s", what, code, got.ApplicationResponse)
	}
	if want.rule != "" && !bytes.Contains(got.ApplicationResponse, []byte("<cbc:ResponseCode>"+want.rule+"</cbc:ResponseCode>")) {
		t.Fatalf("%s: the ApplicationResponse lacks a line for %s: %s", what, want.rule, got.ApplicationResponse)
	}
	if got.DocumentKey != doc.cufe || got.FileName != doc.xmlName {
		t.Fatalf("%s: answers for %s (%s), want %s (%s)", what, got.DocumentKey, got.FileName, doc.cufe, doc.xmlName)
	}
}

var (
	accepted   = verdict{status: "00", valid: true, ar: "02"}
	inBatch    = verdict{status: ""} // GetStatusZip's "Batch en proceso de validación."
	inProcess  = verdict{status: "98"}
	unknown    = verdict{status: "66"}
	rejectedAs = func(rule string) verdict { return verdict{status: "99", rule: rule, ar: "04"} }
)

// TestSendTestSetAsync drives SendTestSetAsync and GetStatusZip as a
// client does: the send answers only a ZipKey (or a refusal, or a fault)
// and GetStatusZip, polled with it, gives the verdict SendBillSync would
// have given; GetStatus by the CUFE finds the document too.
func TestSendTestSetAsync(t *testing.T) {
	cert := signingCert(t)
	const testSetID = "b1a2c3d4-0000-4000-8000-000000000001"
	for _, c := range []struct {
		name      string
		script    []string
		testSetID string
		corrupt   bool // send a zip with no XML document in it
		noSend    bool // poll a ZipKey that was never given
		// fault is the scripted fault SendTestSetAsync must answer; refused
		// its ErrorMessageList otherwise (no ZipKey then).
		fault   bool
		refused string
		polls   []verdict // the successive GetStatusZip answers
		byCUFE  verdict   // GetStatus with the document's CUFE, after the polls
	}{
		{name: "accepted", testSetID: testSetID, polls: []verdict{accepted, accepted}, byCUFE: accepted},
		{name: "accept scripted", script: []string{"accept"}, testSetID: testSetID, polls: []verdict{accepted}, byCUFE: accepted},
		{name: "in process, then the verdict", script: []string{"in-process"}, testSetID: testSetID,
			polls: []verdict{inBatch, accepted, accepted}, byCUFE: accepted},
		{name: "scripted rejection", script: []string{"reject:FAB10b"}, testSetID: testSetID,
			polls: []verdict{rejectedAs("FAB10b")}, byCUFE: rejectedAs("FAB10b")},
		{name: "scripted fault", script: []string{"fault"}, testSetID: testSetID, fault: true, byCUFE: unknown},
		// DIAN refuses a missing test set id in ErrorMessageList before it
		// reads anything: no fault, and the script is not spent on it.
		{name: "missing test set id", script: []string{"fault"}, testSetID: "", refused: "Identificador del set de pruebas es obligatorio.",
			byCUFE: unknown},
		{name: "blank test set id", testSetID: "  ", refused: "Identificador del set de pruebas es obligatorio.", byCUFE: unknown},
		{name: "zip without a document", testSetID: testSetID, corrupt: true,
			refused: "Error descomprimiendo el archivo ZIP: No fue encontrado ningun documento XML valido.", byCUFE: unknown},
		{name: "unknown zip key", noSend: true, polls: []verdict{unknown}, byCUFE: unknown},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake, client := newDouble(t, c.script...)
			ctx := context.Background()
			doc := signedInvoice(t, cert, 990000101)
			zipKey, sends := uuid.NewString(), 0
			if !c.noSend {
				sends = 1
				z := doc.zip
				if c.corrupt {
					var err error
					if z, err = dian.Zip("readme.txt", []byte("no invoice here")); err != nil {
						t.Fatal(err)
					}
				}
				a, err := client.Submit(ctx, cert, dian.Request{Op: dian.OpSendTestSetAsync, FileName: doc.fileName, Zip: z, TestSetID: c.testSetID})
				var fault *dian.Fault
				switch {
				case c.fault:
					if !errors.As(err, &fault) || fault.Code != "s:Receiver" {
						t.Fatalf("SendTestSetAsync: %+v %v, want the scripted fault", a, err)
					}
				case err != nil:
					t.Fatalf("SendTestSetAsync: %v", err)
				case c.refused != "":
					if a.ZipKey != "" || len(a.Errors) != 1 || a.Errors[0] != c.refused || len(a.Results) != 0 {
						t.Fatalf("SendTestSetAsync: %+v, want only the refusal %q", a, c.refused)
					}
				default:
					if _, err := uuid.Parse(a.ZipKey); err != nil || len(a.Errors) != 0 || len(a.Results) != 0 {
						t.Fatalf("SendTestSetAsync: %+v, want only a ZipKey (a GUID)", a)
					}
					zipKey = a.ZipKey
				}
			}
			if c.noSend || c.fault || c.refused != "" {
				// Nothing was kept under the key the send would have given.
				c.polls = append(c.polls, unknown)
			}
			for i, want := range c.polls {
				a, err := client.Submit(ctx, cert, dian.Request{Op: dian.OpGetStatusZip, TrackID: zipKey})
				if err != nil || len(a.Results) != 1 {
					t.Fatalf("GetStatusZip %d: %+v %v, want one result", i+1, a, err)
				}
				want.check(t, "GetStatusZip", a.Results[0], &doc)
			}
			a, err := client.Submit(ctx, cert, dian.Request{Op: dian.OpGetStatus, TrackID: strings.ToUpper(doc.cufe)})
			if err != nil || len(a.Results) != 1 {
				t.Fatalf("GetStatus: %+v %v", a, err)
			}
			c.byCUFE.check(t, "GetStatus by CUFE", a.Results[0], &doc)
			if got := fake.Received(dian.OpSendTestSetAsync); got != sends {
				t.Errorf("Received(SendTestSetAsync) = %d, want %d", got, sends)
			}
			if got := fake.Received(dian.OpGetStatusZip); got != len(c.polls) {
				t.Errorf("Received(GetStatusZip) = %d, want %d", got, len(c.polls))
			}
			if got := fake.Received(dian.OpSendBillSync); got != 0 {
				t.Errorf("Received(SendBillSync) = %d, want 0", got)
			}
		})
	}
}

// TestTestSetThenStatusInProcess: a document of a test set scripted in
// process is in process until it is first asked about, by either
// operation: a client that asks GetStatus by the CUFE first sees DIAN's
// 98, and then both operations give the verdict.
func TestTestSetThenStatusInProcess(t *testing.T) {
	cert := signingCert(t)
	_, client := newDouble(t, "in-process")
	ctx := context.Background()
	doc := signedInvoice(t, cert, 990000102)
	a, err := client.Submit(ctx, cert, dian.Request{Op: dian.OpSendTestSetAsync, FileName: doc.fileName, Zip: doc.zip, TestSetID: "set-1"})
	if err != nil || a.ZipKey == "" {
		t.Fatalf("SendTestSetAsync: %+v %v", a, err)
	}
	for i, step := range []struct {
		op    dian.Operation
		track string
		want  verdict
	}{
		{dian.OpGetStatus, doc.cufe, inProcess},
		{dian.OpGetStatusZip, strings.ToUpper(a.ZipKey), accepted},
		{dian.OpGetStatus, doc.cufe, accepted},
		{dian.OpGetStatusZip, a.ZipKey, accepted},
	} {
		got, err := client.Submit(ctx, cert, dian.Request{Op: step.op, TrackID: step.track})
		if err != nil || len(got.Results) != 1 {
			t.Fatalf("step %d %s: %+v %v", i+1, step.op, got, err)
		}
		step.want.check(t, string(step.op), got.Results[0], &doc)
	}
}

// TestSendBillSyncAndTestSetShareVerdicts: SendBillSync, whose judging
// the test set now shares, still answers at once, and a document accepted
// by one send is DIAN's rule 90 when sent again by the other.
func TestSendBillSyncAndTestSetShareVerdicts(t *testing.T) {
	cert := signingCert(t)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		script []string
		first  verdict // SendBillSync's answer
		status verdict // GetStatus by the CUFE after it
	}{
		{name: "accepted", first: accepted, status: accepted},
		{name: "in process", script: []string{"in-process"}, first: inProcess, status: accepted},
		{name: "rejected", script: []string{"reject:FAB10b"}, first: rejectedAs("FAB10b"), status: rejectedAs("FAB10b")},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake, client := newDouble(t, c.script...)
			doc := signedInvoice(t, cert, 990000103)
			a, err := client.Submit(ctx, cert, dian.Request{Op: dian.OpSendBillSync, FileName: doc.fileName, Zip: doc.zip})
			if err != nil || len(a.Results) != 1 {
				t.Fatalf("SendBillSync: %+v %v", a, err)
			}
			got := a.Results[0]
			if c.first.status == "98" {
				// In process carries the key but no verdict yet.
				if got.StatusCode != "98" || got.DocumentKey != doc.cufe || got.ApplicationResponse != nil {
					t.Fatalf("SendBillSync: %+v, want 98 for %s", got, doc.cufe)
				}
			} else {
				c.first.check(t, "SendBillSync", got, &doc)
			}
			if a, err = client.Submit(ctx, cert, dian.Request{Op: dian.OpGetStatus, TrackID: doc.cufe}); err != nil || len(a.Results) != 1 {
				t.Fatalf("GetStatus: %+v %v", a, err)
			}
			c.status.check(t, "GetStatus", a.Results[0], &doc)

			// The same document again, by test set.
			a, err = client.Submit(ctx, cert, dian.Request{Op: dian.OpSendTestSetAsync, FileName: doc.fileName, Zip: doc.zip, TestSetID: "set-1"})
			if err != nil || a.ZipKey == "" {
				t.Fatalf("SendTestSetAsync: %+v %v", a, err)
			}
			if a, err = client.Submit(ctx, cert, dian.Request{Op: dian.OpGetStatusZip, TrackID: a.ZipKey}); err != nil || len(a.Results) != 1 {
				t.Fatalf("GetStatusZip: %+v %v", a, err)
			}
			again := a.Results[0]
			ids := map[string]bool{}
			for _, r := range again.Rules() {
				ids[r.ID] = true
			}
			switch {
			case c.status.valid && (!again.Accepted() || !ids["90"]):
				t.Fatalf("an accepted document sent again: %+v, want its acceptance with rule 90", again)
			case !c.status.valid && (!again.Accepted() || len(ids) != 0):
				// The scripted rejection was spent on the first send: judged
				// again, the document has nothing wrong with it.
				t.Fatalf("a rejected document sent again: %+v, want it judged again and accepted", again)
			}
			if fake.Received(dian.OpSendBillSync) != 1 || fake.Received(dian.OpSendTestSetAsync) != 1 ||
				fake.Received(dian.OpGetStatus) != 1 || fake.Received(dian.OpGetStatusZip) != 1 {
				t.Errorf("Received: SendBillSync %d, SendTestSetAsync %d, GetStatus %d, GetStatusZip %d, want 1 each",
					fake.Received(dian.OpSendBillSync), fake.Received(dian.OpSendTestSetAsync),
					fake.Received(dian.OpGetStatus), fake.Received(dian.OpGetStatusZip))
			}
		})
	}
}

// TestTestSetVerdictCountsForDuplicates: once GetStatusZip has given a
// test set's verdict, its accepted document is on record, so sending it
// again by SendBillSync is DIAN's rule 90, though GetStatus never asked.
func TestTestSetVerdictCountsForDuplicates(t *testing.T) {
	cert := signingCert(t)
	_, client := newDouble(t, "in-process")
	ctx := context.Background()
	doc := signedInvoice(t, cert, 990000104)
	a, err := client.Submit(ctx, cert, dian.Request{Op: dian.OpSendTestSetAsync, FileName: doc.fileName, Zip: doc.zip, TestSetID: "set-1"})
	if err != nil || a.ZipKey == "" {
		t.Fatalf("SendTestSetAsync: %+v %v", a, err)
	}
	for _, want := range []verdict{inBatch, accepted} {
		got, err := client.Submit(ctx, cert, dian.Request{Op: dian.OpGetStatusZip, TrackID: a.ZipKey})
		if err != nil || len(got.Results) != 1 {
			t.Fatalf("GetStatusZip: %+v %v", got, err)
		}
		want.check(t, "GetStatusZip", got.Results[0], &doc)
	}
	got, err := client.Submit(ctx, cert, dian.Request{Op: dian.OpSendBillSync, FileName: doc.fileName, Zip: doc.zip})
	if err != nil || len(got.Results) != 1 {
		t.Fatalf("SendBillSync: %+v %v", got, err)
	}
	rules := got.Results[0].Rules()
	if !got.Results[0].Accepted() || len(rules) != 1 || rules[0].ID != "90" {
		t.Fatalf("the document sent again: %+v, want its acceptance with rule 90", got.Results[0])
	}
}
