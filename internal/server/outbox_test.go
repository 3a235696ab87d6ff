package server_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/devcert"
	"billing/internal/dian"
	"billing/internal/dianfake"
	"billing/internal/mailcatch"
	"billing/internal/mailer"
	"billing/internal/outbox"
	"billing/internal/store"
)

// startWorkers runs the outbox's workers on the env's store until the
// test ends, as `billing serve` does beside the API; documents go to a
// DIAN test double of the env's own (e.dian), started here, that knows
// schoolProfile's software PIN.
func (e *env) startWorkers(t *testing.T) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.dian = dianfake.New(log, filepath.Join("..", "dian", "testdata", "ubl-2.1"), nil,
		map[string]string{schoolProfile().SoftwareID: *schoolProfile().SoftwarePin})
	srv := httptest.NewServer(e.dian)
	t.Cleanup(srv.Close)
	catcher, err := mailcatch.Start("127.0.0.1:0", mailcatch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = catcher.Close() })
	e.mail = catcher
	smtp, err := mailer.ParseURL(catcher.URL())
	if err != nil {
		t.Fatal(err)
	}
	workers, kinds := outbox.Workers(e.store, log, outbox.Options{AllowLoopbackWebhooks: true,
		DianURL: srv.URL + "/WcfDianCustomerServices.svc", DianPoll: 100 * time.Millisecond,
		Mail: outbox.Mail{Send: mailer.New(smtp).Send, From: "facturacion@billing.test"}})
	if len(kinds) == 0 {
		t.Fatal("no worker can run")
	}
	c, err := e.store.StartWorkers(context.Background(), workers, store.WorkerOptions{Logger: log, Poll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.Stop(ctx)
	})
}

// eventually polls check until it holds or 15 s pass.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if check() {
			return
		}
	}
	t.Fatalf("%s: not within 15 s", what)
}

func signed(doc []byte) bool { return strings.Contains(string(doc), "<ds:Signature") }

// verifySigned checks a served document with both verifiers.
func verifySigned(t *testing.T, doc []byte, cert devcert.Bundle) {
	t.Helper()
	if got, err := dian.Verify(doc); err != nil || !got.Equal(cert.Cert) {
		t.Fatalf("dian.Verify: %v", err)
	}
	err := devcert.XMLSec1Verify(doc, cert.CertPEM)
	if errors.Is(err, devcert.ErrNoXMLSec1) && os.Getenv("CI") == "" {
		t.Log(err)
	} else if err != nil {
		t.Fatalf("xmlsec1: %v", err)
	}
}

func (l *ledger) deliveries(t *testing.T, query string) []api.Delivery {
	t.Helper()
	return decode[[]api.Delivery](t, l.e.do(http.MethodGet, "/billing/deliveries"+query, l.admin, nil))
}

// TestIssuedDocumentsAreSigned: an issue and a credit note queue their
// signature in their own transaction; the workers sign them after commit
// with the tenant's certificate; the XML served from then on is the signed
// document, which xmlsec1 and dian.Verify accept and the UBL schemas
// still validate; the deliveries list shows the completed jobs to the
// tenant's ADMIN only.
func TestIssuedDocumentsAreSigned(t *testing.T) {
	t.Parallel()
	l := receivablesLedger(t)
	cert := testCertificate(time.Now())
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", l.admin, upload(cert, certPassword)), http.StatusOK)
	l.e.startWorkers(t)

	draft := l.electronicDraft(t)
	id := draft.ID.String()
	wantStatus(t, l.issue(t, id), http.StatusOK)
	var doc []byte
	eventually(t, "the invoice signed", func() bool {
		r := l.e.do(http.MethodGet, "/billing/invoices/"+id+"/xml", l.admin, nil)
		doc = r.Body
		return r.Status == http.StatusOK && signed(doc)
	})
	verifySigned(t, doc, cert)
	validateAgainst(t, doc, invoiceSchema)

	inv := l.invoice(t, id)
	note := decode[api.CreditNote](t, l.credit(id, api.CreateCreditNote{Concepto: 1, Motivo: "Devolución",
		Lineas: &[]api.CreditNoteLineInput{{ItemID: inv.Items[1].ID, Cantidad: ptr(mustDecimal("1"))}}}))
	eventually(t, "the credit note signed", func() bool {
		r := l.e.do(http.MethodGet, "/billing/credit-notes/"+note.ID.String()+"/xml", l.admin, nil)
		doc = r.Body
		return r.Status == http.StatusOK && signed(doc)
	})
	verifySigned(t, doc, cert)
	validateAgainst(t, doc, creditNoteSchema)

	// The signatures (the invoice's transmission to DIAN follows its own).
	var done []api.Delivery
	eventually(t, "both signatures completed", func() bool {
		done = done[:0]
		for _, d := range l.deliveries(t, "?estado=COMPLETADA") {
			if d.Tipo == "sign_document" {
				done = append(done, d)
			}
		}
		return len(done) == 2
	})
	if done[0].Documento.ID != note.ID || done[0].Documento.Tipo != api.DeliveryDocumentTipoCreditNote ||
		done[1].Documento.ID != draft.ID || done[1].Tipo != "sign_document" || done[1].Intentos != 1 {
		t.Fatalf("deliveries %+v", done)
	}
	// No signature still pending. (The note's transmission may wait for
	// its invoice's acceptance: a wake-up the note's job missed while it was
	// running leaves it waiting its minute.)
	for _, d := range l.deliveries(t, "?estado=PENDIENTE") {
		if d.Tipo == "sign_document" {
			t.Fatalf("a signature still pending: %+v", d)
		}
	}
	// Paged newest first: the pages add up to the whole list.
	all := l.deliveries(t, "")
	var paged []api.Delivery
	for url := "/billing/deliveries?limit=1"; url != ""; {
		r := l.e.do(http.MethodGet, url, l.admin, nil)
		paged = append(paged, decode[[]api.Delivery](t, r)...)
		url = ""
		if m := nextRel.FindStringSubmatch(r.Header.Get("Link")); m != nil {
			url = m[1]
		}
		if len(paged) > len(all)+1 {
			t.Fatal("paging does not end")
		}
	}
	if len(paged) != len(all) || len(all) < 3 {
		t.Fatalf("%d deliveries paged one at a time, %d listed", len(paged), len(all))
	}
	for i := range paged {
		if paged[i].ID != all[i].ID || (i > 0 && paged[i].ID >= paged[i-1].ID) {
			t.Fatalf("page %d: %d, the list has %d (newest first)", i, paged[i].ID, all[i].ID)
		}
	}
	// Another tenant sees none of them and cannot retry them.
	other := l.e.token(l.e.tenant("B"), auth.RoleAdmin)
	if rows := decode[[]api.Delivery](t, l.e.do(http.MethodGet, "/billing/deliveries", other, nil)); len(rows) != 0 {
		t.Fatalf("another tenant lists %+v", rows)
	}
	wantProblem(t, l.e.do(http.MethodPost, "/billing/deliveries/"+strconv.FormatInt(done[0].ID, 10)+"/retry", other, nil),
		http.StatusNotFound, "delivery_not_found")
	wantProblem(t, l.e.do(http.MethodPost, "/billing/deliveries/"+strconv.FormatInt(done[0].ID, 10)+"/retry", l.admin, nil),
		http.StatusConflict, "delivery_not_retryable")
}

// TestSigningWaitsForItsCertificate: issuing never fails for want of a
// certificate; the signature waits, listed as pending, and is made as soon
// as a certificate is uploaded. A job that failed for good (a certificate
// that no longer opens, out of attempts) is FALLIDA with its error, and an
// ADMIN's retry signs the document once the certificate is fixed.
func TestSigningWaitsForItsCertificate(t *testing.T) {
	t.Parallel()
	l := electronicLedger(t)
	l.e.startWorkers(t)
	draft := l.electronicDraft(t)
	id := draft.ID.String()
	wantStatus(t, l.issue(t, id), http.StatusOK)
	eventually(t, "the signature waiting", func() bool {
		// Snoozed: no attempt spent, due again in a minute.
		rows := l.deliveries(t, "?estado=PENDIENTE")
		return len(rows) == 1 && rows[0].ProgramadoPara.After(time.Now().Add(30*time.Second))
	})
	if doc := l.e.do(http.MethodGet, "/billing/invoices/"+id+"/xml", l.admin, nil).Body; signed(doc) {
		t.Fatal("signed without a certificate")
	}
	cert := testCertificate(time.Now())
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", l.admin, upload(cert, certPassword)), http.StatusOK)
	eventually(t, "signed after the upload", func() bool {
		return signed(l.e.do(http.MethodGet, "/billing/invoices/"+id+"/xml", l.admin, nil).Body)
	})

	// A second invoice whose job finds a certificate that does not open
	// (its sealed password damaged), allowed one attempt (set once it is
	// queued: the first attempt may already have run, and then a second).
	second := l.electronicDraft(t)
	if err := l.e.rawExec(`UPDATE signing_certificates SET password_sealed = '\x00' WHERE tenant_id = $1`, l.tenant); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, l.issue(t, second.ID.String()), http.StatusOK)
	if err := l.e.rawExec(`UPDATE river_job SET max_attempts = 1 WHERE args->>'id' = $1`, second.ID.String()); err != nil {
		t.Fatal(err)
	}
	var failed []api.Delivery
	eventually(t, "the delivery failed for good", func() bool {
		failed = l.deliveries(t, "?estado=FALLIDA")
		return len(failed) == 1
	})
	if failed[0].Documento.ID != second.ID || len(failed[0].Errores) == 0 ||
		!strings.Contains(failed[0].Errores[0].Mensaje, "signing_certificates.password") || failed[0].FinalizadoEn == nil {
		t.Fatalf("the failed delivery: %+v", failed[0])
	}
	wantStatus(t, l.e.do(http.MethodPut, "/billing/fiscal-profile/certificate", l.admin, upload(cert, certPassword)), http.StatusOK)
	r := l.e.do(http.MethodPost, "/billing/deliveries/"+strconv.FormatInt(failed[0].ID, 10)+"/retry", l.admin, nil)
	wantStatus(t, r, http.StatusOK)
	if got := decode[api.Delivery](t, r); got.Estado != api.DeliveryStatePENDIENTE {
		t.Fatalf("retried: %+v", got)
	}
	eventually(t, "signed after the retry", func() bool {
		return signed(l.e.do(http.MethodGet, "/billing/invoices/"+second.ID.String()+"/xml", l.admin, nil).Body)
	})
	wantProblem(t, l.e.do(http.MethodPost, "/billing/deliveries/999999/retry", l.admin, nil), http.StatusNotFound, "delivery_not_found")
}
