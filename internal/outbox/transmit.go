package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"billing/internal/billing"
	"billing/internal/dian"
	"billing/internal/dianws"
	"billing/internal/fault"
	"billing/internal/jobs"
	"billing/internal/store"
)

// invoiceWait is how long a credit note waits for its invoice's acceptance
// before looking again (the acceptance also wakes it at once).
const invoiceWait = time.Minute

// transmitter sends a signed invoice or credit note to DIAN (SendBillSync,
// or SendTestSetAsync under habilitación's test set; a note once its
// invoice is accepted) and records the verdict; while DIAN answers "in
// process" it asks again (GetStatus with the CUFE, GetStatusZip with the
// test set's ZipKey) every poll. A fault or no
// answer is ERROR and retried with River's backoff, never taken for an
// acceptance; a rejection is final (the invoice keeps its number and is
// corrected, then sent again).
type transmitter struct {
	river.WorkerDefaults[jobs.Transmit]
	store *store.Store
	log   *slog.Logger
	// url is BILLING_DIAN_URL ("" for DIAN's own endpoint of the
	// tenant's environment); submit makes the Submitter of a URL.
	url    string
	submit func(url string) dianws.Submitter
	poll   time.Duration
}

func (t *transmitter) Work(ctx context.Context, job *river.Job[jobs.Transmit]) error {
	a := job.Args
	doc, err := t.store.DocumentToSend(ctx, a.TenantID, a.Document, a.ID)
	if errors.Is(err, fault.ErrInvoiceNotFound) || errors.Is(err, fault.ErrCreditNoteNotFound) {
		return river.JobCancel(fmt.Errorf("the %s %s no longer exists", a.Document, a.ID))
	}
	if err != nil {
		return err
	}
	if doc.Estado.Final() {
		return nil
	}
	if a.Document == jobs.Invoice && a.Envio != doc.Envio {
		// A job of an earlier sending (a resend or a correction started
		// another): that sending is over, the newer job sends.
		return nil
	}
	if doc.Signed == nil {
		return river.JobSnooze(t.poll) // queued with its signature; never before it
	}
	// DIAN takes a credit note only of an invoice it accepted: the note
	// waits (the invoice's acceptance wakes it).
	if a.Document == jobs.CreditNote && doc.InvoiceEstado != billing.EInvoiceAccepted {
		return river.JobSnooze(invoiceWait)
	}
	cert, err := tenantCertificate(ctx, t.store, a.TenantID)
	if err != nil {
		return err
	}
	url := t.url
	if url == "" {
		url = dianws.Endpoint(doc.Ambiente)
	}
	req := sendRequest(doc)
	sent := req.Op == dian.OpSendBillSync || req.Op == dian.OpSendTestSetAsync
	if sent {
		zipped, err := dian.Zip(doc.Numero+".xml", doc.Signed)
		if err != nil {
			return err
		}
		// DIAN does not check the zip's name (docs/dian-web-service.md §4).
		req.FileName, req.Zip = doc.Numero+".zip", zipped
	}
	answer, err := t.submit(url).Submit(ctx, cert, req)
	if err != nil {
		msg := err.Error()
		var f *dian.Fault
		if errors.As(err, &f) {
			msg = "SOAP fault " + f.Code + " " + f.Subcode + ": " + f.Reason
		}
		if rerr := t.store.RecordTransmission(ctx, a.TenantID, a.Document, a.ID, store.Transmission{Estado: billing.EInvoiceError,
			Reglas: []billing.DianRule{{Mensaje: msg}}, Attempt: true}); rerr != nil {
			t.log.Warn("recording a failed transmission", "tenant", a.TenantID, "invoice", a.ID, "error", rerr.Error())
		}
		return fmt.Errorf("sending %s to DIAN: %s", doc.Numero, msg)
	}
	if req.Op == dian.OpSendTestSetAsync {
		// The test set answers a ZipKey now and the verdict to
		// GetStatusZip later; no key is DIAN refusing the request.
		verdict := store.Transmission{Estado: billing.EInvoiceSent, Attempt: true, Sent: true, ZipKey: answer.ZipKey}
		if answer.ZipKey == "" {
			verdict.Estado = billing.EInvoiceError
			for _, m := range answer.Errors {
				verdict.Reglas = append(verdict.Reglas, billing.DianRule{Mensaje: m})
			}
		}
		if err := t.store.RecordTransmission(ctx, a.TenantID, a.Document, a.ID, verdict); err != nil {
			return err
		}
		if answer.ZipKey == "" {
			return fmt.Errorf("DIAN refused the test set's %s: %s", doc.Numero, strings.Join(answer.Errors, "; "))
		}
		return river.JobSnooze(t.poll)
	}
	// One document per zip: GetStatusZip answers its one result too.
	if len(answer.Results) != 1 {
		return fmt.Errorf("DIAN answered %s with %d results", req.Op, len(answer.Results))
	}
	r := answer.Results[0]
	rules := make([]billing.DianRule, 0, len(r.ErrorMessage))
	for _, rule := range r.Rules() {
		rules = append(rules, billing.DianRule{Regla: rule.ID, Mensaje: rule.Message, Rechazo: rule.Rejection})
	}
	verdict := store.Transmission{Reglas: rules, Attempt: true, Response: r.ApplicationResponse, Sent: sent}
	announce := func(e billing.WebhookEvent) {
		// Credit notes have no verdict event (yet): invoice.* only.
		if a.Document == jobs.Invoice {
			verdict.Event, verdict.EventData = e, verdictData{InvoiceID: a.ID, Numero: doc.Numero, Cufe: doc.Key, Reglas: rules}
		}
	}
	switch {
	case processedBefore(rules) && req.Op != dian.OpGetStatus:
		// Rule 90: DIAN holds this document already (a send repeated after
		// a crash lost its answer). Its verdict is the earlier one: asked
		// for by CUFE, never taken for this send's.
		verdict.Estado, verdict.Reglas, verdict.Response = billing.EInvoiceSent, nil, nil
		verdict.Sent, verdict.ZipKey = true, "" // asked by CUFE from now on
		if err := t.store.RecordTransmission(ctx, a.TenantID, a.Document, a.ID, verdict); err != nil {
			return err
		}
		return river.JobSnooze(t.poll)
	case r.Accepted():
		verdict.Estado = billing.EInvoiceAccepted
		announce(billing.EventInvoiceAccepted)
	case r.StatusCode == "99":
		verdict.Estado = billing.EInvoiceRejected
		announce(billing.EventInvoiceRejected)
	case r.InProcess():
		verdict.Estado = billing.EInvoiceSent
		if err := t.store.RecordTransmission(ctx, a.TenantID, a.Document, a.ID, verdict); err != nil {
			return err
		}
		return river.JobSnooze(t.poll)
	default:
		// 66, 89, 500: DIAN refused the request or failed; retried.
		verdict.Estado = billing.EInvoiceError
		verdict.Reglas = append(verdict.Reglas, billing.DianRule{Mensaje: r.StatusCode + " " + r.StatusDescription})
		if err := t.store.RecordTransmission(ctx, a.TenantID, a.Document, a.ID, verdict); err != nil {
			return err
		}
		return fmt.Errorf("DIAN answered %s: %s %s", req.Op, r.StatusCode, r.StatusDescription)
	}
	return t.store.RecordTransmission(ctx, a.TenantID, a.Document, a.ID, verdict)
}

// processedBefore reports DIAN's rule 90, "documento procesado
// anteriormente", among a verdict's rules.
func processedBefore(rules []billing.DianRule) bool {
	for _, r := range rules {
		if r.Regla == "90" {
			return true
		}
	}
	return false
}

// sendRequest is the request a document's standing calls for: a status
// query while DIAN processes it (GetStatusZip with the test set's ZipKey,
// else GetStatus with the CUFE or CUDE), else a send: SendTestSetAsync in
// the test environment with a test set, SendBillSync otherwise (the zip
// is the caller's to add).
func sendRequest(doc store.DocumentToSend) dian.Request {
	switch {
	case doc.Estado == billing.EInvoiceSent && doc.ZipKey != "":
		return dian.Request{Op: dian.OpGetStatusZip, TrackID: doc.ZipKey}
	case doc.Estado == billing.EInvoiceSent:
		return dian.Request{Op: dian.OpGetStatus, TrackID: doc.Key}
	case doc.Ambiente == billing.AmbientePruebas && doc.TestSetID != "":
		return dian.Request{Op: dian.OpSendTestSetAsync, TestSetID: doc.TestSetID}
	}
	return dian.Request{Op: dian.OpSendBillSync}
}

// verdictData is invoice.accepted's and invoice.rejected's data.
type verdictData struct {
	InvoiceID uuid.UUID          `json:"invoiceId"`
	Numero    string             `json:"numero"`
	Cufe      string             `json:"cufe"`
	Reglas    []billing.DianRule `json:"reglas"`
}

// tenantCertificate opens the tenant's signing certificate. Without one
// yet, or in a process without the secret key it is sealed under, it
// answers River's snooze: the job waits for an upload (which wakes it) or
// for a process that has the key, without spending an attempt.
func tenantCertificate(ctx context.Context, st *store.Store, tenant uuid.UUID) (dian.Certificate, error) {
	if !st.KeepsSecrets() {
		return dian.Certificate{}, river.JobSnooze(certificateWait)
	}
	p12, password, err := st.SigningCertificateFile(ctx, tenant)
	if errors.Is(err, fault.ErrCertificateNotFound) {
		return dian.Certificate{}, river.JobSnooze(certificateWait)
	}
	if err != nil {
		return dian.Certificate{}, err
	}
	cert, err := dian.ReadPKCS12(p12, password, time.Now())
	if err != nil {
		// An expired certificate: an attempt spent, retried with backoff
		// until a valid one is uploaded, visible in the deliveries.
		return dian.Certificate{}, fmt.Errorf("the tenant's signing certificate cannot sign: %w", err)
	}
	return cert, nil
}
