package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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

// transmitter sends a signed invoice or credit note to DIAN (SendBillSync;
// a note once its invoice is accepted) and records the verdict; while DIAN answers "in process" it asks again (GetStatus
// with the CUFE) every poll, without spending attempts. A fault or no
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
	if doc.Signed == nil {
		return river.JobSnooze(t.poll) // queued with its signature; never before it
	}
	// DIAN takes a credit note only of an invoice it accepted: the note
	// waits (the invoice's acceptance wakes it).
	if a.Document == jobs.CreditNote && doc.InvoiceEstado != billing.EInvoiceAccepted {
		return river.JobSnooze(invoiceWait)
	}
	cert, wait, err := tenantCertificate(ctx, t.store, a.TenantID)
	if wait {
		return river.JobSnooze(certificateWait)
	}
	if err != nil {
		return err
	}
	url := t.url
	if url == "" {
		url = dianws.Endpoint(doc.Ambiente)
	}
	req := dian.Request{Op: dian.OpGetStatus, TrackID: doc.Key}
	if doc.Estado != billing.EInvoiceSent {
		zipped, err := dian.Zip(doc.Numero+".xml", doc.Signed)
		if err != nil {
			return err
		}
		// DIAN does not check the zip's name (docs/dian-web-service.md §4).
		req = dian.Request{Op: dian.OpSendBillSync, FileName: doc.Numero + ".zip", Zip: zipped}
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
	if len(answer.Results) != 1 {
		return fmt.Errorf("DIAN answered %s with %d results", req.Op, len(answer.Results))
	}
	r := answer.Results[0]
	rules := make([]billing.DianRule, 0, len(r.ErrorMessage))
	for _, rule := range r.Rules() {
		rules = append(rules, billing.DianRule{Regla: rule.ID, Mensaje: rule.Message, Rechazo: rule.Rejection})
	}
	verdict := store.Transmission{Reglas: rules, Attempt: true, Response: r.ApplicationResponse}
	announce := func(e billing.WebhookEvent) {
		// Credit notes have no verdict event (yet): invoice.* only.
		if a.Document == jobs.Invoice {
			verdict.Event, verdict.EventData = e, verdictData{InvoiceID: a.ID, Numero: doc.Numero, Cufe: doc.Key, Reglas: rules}
		}
	}
	switch {
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

// verdictData is invoice.accepted's and invoice.rejected's data.
type verdictData struct {
	InvoiceID uuid.UUID          `json:"invoiceId"`
	Numero    string             `json:"numero"`
	Cufe      string             `json:"cufe"`
	Reglas    []billing.DianRule `json:"reglas"`
}

// tenantCertificate opens the tenant's signing certificate; wait is true
// when there is none yet (the job waits for an upload).
func tenantCertificate(ctx context.Context, st *store.Store, tenant uuid.UUID) (dian.Certificate, bool, error) {
	p12, password, err := st.SigningCertificateFile(ctx, tenant)
	if errors.Is(err, fault.ErrCertificateNotFound) {
		return dian.Certificate{}, true, nil
	}
	if err != nil {
		return dian.Certificate{}, false, err
	}
	cert, err := dian.ReadPKCS12(p12, password, time.Now())
	if err != nil {
		// An expired certificate: an attempt spent, retried with backoff
		// until a valid one is uploaded, visible in the deliveries.
		return dian.Certificate{}, false, fmt.Errorf("the tenant's signing certificate cannot sign: %w", err)
	}
	return cert, false, nil
}
