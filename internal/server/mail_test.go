package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/dianfake"
	"billing/internal/mailcatch"
)

// attachment finds a message's attached file by name, decoded.
func attachment(t *testing.T, m mailcatch.Message, name string) []byte {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(contentType string, body io.Reader) []byte
	walk = func(contentType string, body io.Reader) []byte {
		media, params, err := mime.ParseMediaType(contentType)
		if err != nil || !strings.HasPrefix(media, "multipart/") {
			return nil
		}
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart()
			if err != nil {
				return nil
			}
			if found := walk(p.Header.Get("Content-Type"), p); found != nil {
				return found
			}
			if p.FileName() != name {
				continue
			}
			raw, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
				out, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			return raw
		}
	}
	out := walk(msg.Header.Get("Content-Type"), msg.Body)
	if out == nil {
		t.Fatalf("the message has no attachment %s", name)
	}
	return out
}

// unzipAll reads every file of a zip.
func unzipAll(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = body
	}
	return out
}

func header(t *testing.T, m mailcatch.Message) mail.Header {
	t.Helper()
	h, err := m.Header()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// subject decodes the Subject header (RFC 2047: it carries accents).
func subject(t *testing.T, m mailcatch.Message) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(header(t, m).Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (l *ledger) history(t *testing.T, id string) []api.InvoiceEvent {
	t.Helper()
	return decode[[]api.InvoiceEvent](t, l.e.do(http.MethodGet, "/billing/invoices/"+id+"/history", l.admin, nil))
}

func mailEvents(events []api.InvoiceEvent) []api.InvoiceEvent {
	var out []api.InvoiceEvent
	for _, e := range events {
		if e.Correo != nil {
			out = append(out, e)
		}
	}
	return out
}

// TestInvoicesByMail: an accepted electronic invoice is mailed over real
// SMTP with one attachment, <numero>.zip, holding DIAN's AttachedDocument
// (valid against UBL's schema, carrying the signed invoice that xmlsec1
// verifies and DIAN's answer) and the PDF, under the subject Colombian
// receivers sort by; the mailing is an event of the history, once; a
// mailing asked before DIAN's verdict waits for the acceptance; a tenant
// with enviarAlAceptar has each accepted invoice mailed with no request;
// and what cannot be mailed is refused with its code.
func TestInvoicesByMail(t *testing.T) {
	t.Parallel()
	l := receivablesLedger(t)
	cert := testCertificate(time.Now())
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", l.admin, upload(cert, certPassword)), http.StatusOK)
	l.e.startWorkers(t)

	// Asked for before DIAN answers (the double says "in process" first):
	// the mailing waits for the acceptance.
	l.e.dian.Script(dianfake.Outcome{Kind: "in-process"})
	inv := l.electronicDraft(t)
	id := inv.ID.String()
	issued := decode[api.Invoice](t, l.issue(t, id))
	numero := *issued.Numero
	cufe, _ := issued.Cufe.Get()
	r := l.e.do(http.MethodPost, "/billing/invoices/"+id+"/send", l.operador, nil, "Idempotency-Key", "mail-1")
	wantStatus(t, r, http.StatusAccepted)
	mailing := decode[api.InvoiceMailing](t, r)
	if mailing.Email != "facturacion@colegiolosandes.edu.co" || mailing.InvoiceID != inv.ID {
		t.Fatalf("mailing: %+v", mailing)
	}
	// The same key again is the same mailing, not a second one.
	again := l.e.do(http.MethodPost, "/billing/invoices/"+id+"/send", l.operador, nil, "Idempotency-Key", "mail-1")
	if wantStatus(t, again, http.StatusAccepted); decode[api.InvoiceMailing](t, again).ID != mailing.ID {
		t.Fatal("a replayed mailing is another mailing")
	}
	// Nothing goes out before the acceptance: whenever the invoice is seen
	// not accepted yet, no message was there just before.
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		n := len(l.e.mail.Messages())
		if l.einvoice(t, id).Estado == api.EInvoiceStateACEPTADA {
			break
		}
		if n != 0 {
			t.Fatal("mailed before DIAN accepted it")
		}
	}
	msgs := l.e.mail.Wait(1, 15*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	h := header(t, m)
	if len(m.To) != 1 || m.To[0] != mailing.Email || m.From != "facturacion@billing.test" {
		t.Fatalf("envelope %s → %v", m.From, m.To)
	}
	if got := h.Get("Message-ID"); got != "<"+mailing.ID.String()+"@billing>" {
		t.Fatalf("Message-ID %s", got)
	}
	if got := h.Get("Reply-To"); !strings.Contains(got, "facturacion@colegiolosandes.edu.co") {
		t.Fatalf("Reply-To %s", got)
	}
	want := "900123456;Colegio Los Andes S.A.S.;" + numero + ";01;Colegio Los Andes"
	if got := subject(t, m); got != want {
		t.Fatalf("subject %q, want %q", got, want)
	}
	files := unzipAll(t, attachment(t, m, numero+".zip"))
	if len(files) != 2 {
		t.Fatalf("the zip holds %d files", len(files))
	}
	container := files[numero+".xml"]
	validateAgainst(t, container, attachedSchema)
	verifySigned(t, container, cert)
	d := etree.NewDocument()
	if err := d.ReadFromBytes(container); err != nil {
		t.Fatal(err)
	}
	parts := d.FindElements("//ExternalReference/Description")
	if len(parts) != 2 {
		t.Fatalf("the container carries %d documents", len(parts))
	}
	served := l.e.do(http.MethodGet, "/billing/invoices/"+id+"/xml", l.admin, nil)
	if parts[0].Text() != string(served.Body) {
		t.Fatal("the container's invoice is not the signed invoice served")
	}
	verifySigned(t, []byte(parts[0].Text()), cert)
	if !strings.Contains(parts[1].Text(), "ApplicationResponse") || !strings.Contains(parts[1].Text(), cufe) {
		t.Fatal("the container's second document is not DIAN's answer to this invoice")
	}
	if text := pdfText(t, files[numero+".pdf"]); !strings.Contains(text, numero) {
		t.Fatal("the PDF is not this invoice's")
	}
	var events []api.InvoiceEvent
	eventually(t, "the mailing in the history", func() bool { events = mailEvents(l.history(t, id)); return len(events) == 1 })
	if e := events[0]; e.Correo.ID != mailing.ID || e.Correo.Email != mailing.Email || e.Actor != "user-operador" ||
		e.From == nil || *e.From != api.InvoiceStatusISSUED || e.To != api.InvoiceStatusISSUED {
		t.Fatalf("history event %+v", e)
	}

	// The mailing was a delivery of this invoice, and it is done.
	var mailJobs []api.Delivery
	for _, d := range l.deliveries(t, "") {
		if d.Tipo == "mail_invoice" {
			mailJobs = append(mailJobs, d)
		}
	}
	if len(mailJobs) != 1 || mailJobs[0].Documento == nil || mailJobs[0].Documento.ID != inv.ID || mailJobs[0].Documento.Tipo != "invoice" {
		t.Fatalf("mail deliveries %+v", mailJobs)
	}

	// To another address, given in the body.
	r = l.e.do(http.MethodPost, "/billing/invoices/"+id+"/send", l.admin, api.SendInvoiceEmail{Email: ptr(" acudiente@example.com ")})
	wantStatus(t, r, http.StatusAccepted)
	if msgs = l.e.mail.Wait(2, 15*time.Second); len(msgs) != 2 || msgs[1].To[0] != "acudiente@example.com" {
		t.Fatalf("second mailing: %d messages", len(msgs))
	}

	// enviarAlAceptar: the next accepted invoice is mailed with no request.
	profile := schoolProfile()
	profile.EnviarAlAceptar = ptr(true)
	profile.SoftwarePin = nil
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile", l.admin, profile), http.StatusOK)
	auto := l.electronicDraft(t).ID.String()
	wantStatus(t, l.issue(t, auto), http.StatusOK)
	if msgs = l.e.mail.Wait(3, 15*time.Second); len(msgs) != 3 {
		t.Fatalf("no mail on acceptance: %d messages", len(msgs))
	}
	eventually(t, "the acceptance's mailing in the history", func() bool { events = mailEvents(l.history(t, auto)); return len(events) == 1 })
	if events[0].Actor != "dian:aceptacion" {
		t.Fatalf("acceptance mailing's actor %q", events[0].Actor)
	}

	// Refused: a rejected invoice, a draft, a bad address, another
	// tenant's invoice, a viewer.
	l.e.dian.Script(dianfake.Outcome{Kind: "reject", Rule: "FAB10a"})
	rejected := l.electronicDraft(t).ID.String()
	wantStatus(t, l.issue(t, rejected), http.StatusOK)
	eventually(t, "rejected", func() bool { return l.einvoice(t, rejected).Estado == api.EInvoiceStateRECHAZADA })
	wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices/"+rejected+"/send", l.admin, nil), http.StatusConflict, "einvoice_rejected")
	// A mailing asked for before DIAN's verdict (here the first sending
	// failed and is retried) is cancelled by the rejection, never sent:
	// the correction may be another customer's.
	l.e.dian.Script(dianfake.Outcome{Kind: "fault"}, dianfake.Outcome{Kind: "reject", Rule: "FAB10a"})
	late := l.electronicDraft(t).ID.String()
	wantStatus(t, l.issue(t, late), http.StatusOK)
	wantStatus(t, l.e.do(http.MethodPost, "/billing/invoices/"+late+"/send", l.admin, nil), http.StatusAccepted)
	eventually(t, "rejected after the fault", func() bool { return l.einvoice(t, late).Estado == api.EInvoiceStateRECHAZADA })
	eventually(t, "the waiting mailing cancelled", func() bool {
		for _, d := range l.deliveries(t, "?estado=CANCELADA") {
			if d.Tipo == "mail_invoice" && d.Documento != nil && d.Documento.ID.String() == late {
				return true
			}
		}
		return false
	})
	draft := l.electronicDraft(t).ID.String()
	wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices/"+draft+"/send", l.admin, nil), http.StatusConflict, "invoice_not_issued")
	p := wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices/"+id+"/send", l.admin, map[string]any{"email": "no-es-un-correo"}),
		http.StatusBadRequest, "invalid_request")
	if p.Errors == nil || (*p.Errors)[0].Field != "body.email" {
		t.Fatalf("bad address: %+v", p)
	}
	other := l.e.token(l.e.tenant("B"), auth.RoleAdmin)
	wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices/"+id+"/send", other, nil), http.StatusNotFound, "invoice_not_found")
	viewer := l.e.token(l.tenant, auth.RoleViewer)
	wantStatus(t, l.e.do(http.MethodPost, "/billing/invoices/"+id+"/send", viewer, nil), http.StatusForbidden)
	time.Sleep(200 * time.Millisecond)
	if n := len(l.e.mail.Messages()); n != 3 {
		t.Fatalf("%d messages after the refusals, want 3", n)
	}
}

// TestPlainInvoiceByMail: an invoice issued the seed's way (no
// resolution, no CUFE) is mailed with its PDF alone; a customer without an
// email needs one in the body.
func TestPlainInvoiceByMail(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	l.e.startWorkers(t)
	inv := createInvoice(t, l.e, l.operador, l.seedInvoice("FV-MAIL-1"))
	wantStatus(t, l.issue(t, inv.ID.String()), http.StatusOK)
	wantStatus(t, l.e.do(http.MethodPost, "/billing/invoices/"+inv.ID.String()+"/send", l.operador, nil), http.StatusAccepted)
	msgs := l.e.mail.Wait(1, 15*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	if got := subject(t, msgs[0]); !strings.HasPrefix(got, "Factura FV-MAIL-1 de ") {
		t.Fatalf("subject %q", got)
	}
	files := unzipAll(t, attachment(t, msgs[0], "FV-MAIL-1.zip"))
	if len(files) != 1 || !strings.Contains(pdfText(t, files["FV-MAIL-1.pdf"]), "FV-MAIL-1") {
		t.Fatalf("the zip holds %d files", len(files))
	}

	silent := createCustomer(t, l.e, l.admin, map[string]any{"razonSocial": "Sin Correo S.A.S.", "nit": "901222333"})
	body := l.seedInvoice("FV-MAIL-2")
	body["customerId"] = silent.ID.String()
	inv2 := createInvoice(t, l.e, l.operador, body)
	wantStatus(t, l.issue(t, inv2.ID.String()), http.StatusOK)
	wantProblem(t, l.e.do(http.MethodPost, "/billing/invoices/"+inv2.ID.String()+"/send", l.operador, nil), http.StatusConflict, "customer_email_missing")
	wantStatus(t, l.e.do(http.MethodPost, "/billing/invoices/"+inv2.ID.String()+"/send", l.operador,
		api.SendInvoiceEmail{Email: ptr("tesoreria@sincorreo.co")}), http.StatusAccepted)
	if msgs = l.e.mail.Wait(2, 15*time.Second); len(msgs) != 2 || msgs[1].To[0] != "tesoreria@sincorreo.co" {
		t.Fatalf("%d messages", len(msgs))
	}
}
