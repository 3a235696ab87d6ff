package outbox

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"billing/internal/billing"
	"billing/internal/dian"
	"billing/internal/fault"
	"billing/internal/jobs"
	"billing/internal/mailer"
	"billing/internal/pdf"
	"billing/internal/store"
)

// acceptanceWait is the longest a mailing of an electronic invoice waits
// for DIAN's acceptance before looking again (the acceptance also wakes
// it); firstWait the shortest.
const (
	acceptanceWait = time.Minute
	firstWait      = time.Second
)

// waitFor is how long a mailing queued at created waits before looking
// again: a quarter of its age, from firstWait to acceptanceWait. The
// acceptance wakes only a mailing that is waiting, so one that was still
// looking when the verdict came would sleep the whole minute; most
// verdicts come within seconds, and a short first wait sends those
// mailings within a second or two of them.
func waitFor(created, now time.Time) time.Duration {
	return min(acceptanceWait, max(firstWait, now.Sub(created)/4))
}

// Mail is how the mailer sends: the SMTP server of BILLING_SMTP_URL and
// the address messages come from.
type Mail struct {
	Send func(ctx context.Context, m mailer.Message) error
	From string
}

// mailSender mails an invoice: one attachment, <numero>.zip, holding the
// AttachedDocument DIAN's receivers expect (the signed invoice and DIAN's
// answer, signed by the issuer too) and the PDF. An electronic invoice waits for DIAN's acceptance;
// one issued the seed's way goes with its PDF alone. The mailing is
// recorded on the invoice's history after the SMTP server took it: a
// crash in between sends it again, with the same Message-ID.
type mailSender struct {
	river.WorkerDefaults[jobs.Mail]
	store *store.Store
	log   *slog.Logger
	mail  Mail
}

func (s *mailSender) Work(ctx context.Context, job *river.Job[jobs.Mail]) error {
	a := job.Args
	m, err := s.store.Mailing(ctx, a.TenantID, a.InvoiceID, a.MailingID)
	if errors.Is(err, fault.ErrInvoiceNotFound) {
		return river.JobCancel(fmt.Errorf("the invoice %s no longer exists", a.InvoiceID))
	}
	if err != nil {
		return err
	}
	if m.Sent {
		return nil
	}
	if m.Status != billing.InvoiceIssued {
		return river.JobCancel(fmt.Errorf("the invoice %s is %s: it is not mailed", m.Numero, m.Status))
	}
	if m.Electronic && m.Estado == billing.EInvoiceRejected {
		// What was asked for was the rejected document; its correction
		// may even be another customer's. Asked again once corrected.
		return river.JobCancel(fmt.Errorf("DIAN rejected %s: a mailing asked for before the rejection is not sent", m.Numero))
	}
	if m.Electronic && (m.Estado != billing.EInvoiceAccepted || m.Signed == nil || m.Response == nil) {
		return river.JobSnooze(waitFor(job.CreatedAt, time.Now()))
	}
	var cert *dian.Certificate
	if m.Electronic {
		// The container is signed with the tenant's certificate.
		c, err := tenantCertificate(ctx, s.store, a.TenantID)
		if err != nil {
			return err
		}
		cert = &c
	}
	msg, err := invoiceMessage(m, cert, time.Now())
	if err != nil {
		return err
	}
	msg.ID, msg.From, msg.To = a.MailingID.String(), s.mail.From, a.Email
	if err := s.mail.Send(ctx, msg); err != nil {
		return err
	}
	// Sent: recording it is retried here, since a failed job would send
	// the whole message again.
	var recErr error
	for try, wait := 0, 100*time.Millisecond; try < 5; try, wait = try+1, wait*2 {
		if recErr = s.store.RecordMailing(ctx, a.TenantID, a); recErr == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the invoice %s was mailed to %s: %w", m.Numero, a.Email, recErr)
		case <-time.After(wait):
		}
	}
	return fmt.Errorf("the invoice %s was mailed to %s but the mailing is not recorded: %w", m.Numero, a.Email, recErr)
}

// invoiceMessage writes the message of an invoice, without its envelope;
// an electronic invoice's container is signed by cert at now.
func invoiceMessage(m store.Mailing, cert *dian.Certificate, now time.Time) (mailer.Message, error) {
	doc := m.Document
	printed, err := pdf.Invoice(doc)
	if err != nil {
		return mailer.Message{}, fmt.Errorf("rendering invoice %s: %w", m.Numero, err)
	}
	files := []zipFile{{m.Numero + ".pdf", printed}}
	seller := doc.Seller
	trade := seller.RazonSocial
	if seller.NombreComercial != nil && strings.TrimSpace(*seller.NombreComercial) != "" {
		trade = *seller.NombreComercial
	}
	var subject string
	if m.Electronic {
		att, err := dian.AttachedOf(doc, m.Signed, m.Response)
		if err != nil {
			return mailer.Message{}, err
		}
		container, err := dian.AttachedDocument(att)
		if err != nil {
			return mailer.Message{}, err
		}
		if container, err = dian.SignAttached(container, *cert, now, m.Numero); err != nil {
			return mailer.Message{}, fmt.Errorf("signing %s's attached document: %w", m.Numero, err)
		}
		files = append([]zipFile{{m.Numero + ".xml", container}}, files...)
		// What Colombian receivers' mailboxes sort by: the issuer's NIT,
		// name, the number, 01 (a sales invoice) and the trade name.
		subject = strings.Join([]string{seller.Nit, seller.RazonSocial, m.Numero, "01", trade}, ";")
	} else {
		subject = "Factura " + m.Numero + " de " + seller.RazonSocial
	}
	zipped, err := zipFiles(files)
	if err != nil {
		return mailer.Message{}, err
	}
	text := fmt.Sprintf("Adjuntamos la factura %s de %s, por un total de %s COP.\n", m.Numero, seller.RazonSocial, doc.Invoice.Total.String())
	if m.Electronic {
		text += "El archivo " + m.Numero + ".zip contiene la factura electrónica validada por la DIAN (" + m.Numero + ".xml) y su representación gráfica (" + m.Numero + ".pdf).\n"
	}
	return mailer.Message{FromName: trade, ReplyTo: seller.Email, Subject: subject, Text: text,
		Attach: []mailer.Attachment{{Name: m.Numero + ".zip", ContentType: "application/zip", Content: zipped}}}, nil
}

type zipFile struct {
	name string
	body []byte
}

func zipFiles(files []zipFile) ([]byte, error) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range files {
		fw, err := w.Create(f.name)
		if err != nil {
			return nil, fmt.Errorf("zipping %s: %w", f.name, err)
		}
		if _, err := fw.Write(f.body); err != nil {
			return nil, fmt.Errorf("zipping %s: %w", f.name, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("zipping: %w", err)
	}
	return buf.Bytes(), nil
}
