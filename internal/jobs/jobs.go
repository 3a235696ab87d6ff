// Package jobs names the outbox's jobs: the work a write queues in its own
// transaction (store.Tx.Enqueue) for the workers (internal/outbox) to do
// after it commits, such as signing a document. Every job carries its
// tenant, and a worker acts only inside that tenant's scope: the job tables
// are the one exception to row-level security, so the tenant in the job is
// what fences it. Jobs are River's (github.com/riverqueue/river); their
// arguments are plain JSON, and a job's fields tagged river:"unique" make
// it unique while it is pending, so queueing it twice queues it once.
package jobs

import "github.com/google/uuid"

// Job is what every job's arguments are: River's kind, and the tenant.
type Job interface {
	Kind() string
	Tenant() uuid.UUID
}

// Document is the kind of document a job acts on.
type Document string

const (
	Invoice    Document = "invoice"
	CreditNote Document = "credit_note"
)

// Sign signs an issued electronic document with the tenant's certificate
// (XAdES-EPES) and keeps the signed bytes beside the unsigned ones.
type Sign struct {
	TenantID uuid.UUID `json:"tenant_id" river:"unique"`
	Document Document  `json:"document" river:"unique"`
	ID       uuid.UUID `json:"id" river:"unique"`
	// Envio is the sending a corrected invoice's signature starts (0 for
	// the first): the earlier signature's job may not be marked done yet,
	// and must not be taken for this one.
	Envio int `json:"envio,omitempty" river:"unique"`
}

// Kind is River's name for the job.
func (Sign) Kind() string { return "sign_document" }

// Tenant is the tenant the job acts for.
func (j Sign) Tenant() uuid.UUID { return j.TenantID }

// Webhook delivers one event to one endpoint.
type Webhook struct {
	TenantID   uuid.UUID `json:"tenant_id" river:"unique"`
	EndpointID uuid.UUID `json:"endpoint_id" river:"unique"`
	EventID    uuid.UUID `json:"event_id" river:"unique"`
}

// Kind is River's name for the job.
func (Webhook) Kind() string { return "webhook_delivery" }

// Tenant is the tenant the job acts for.
func (j Webhook) Tenant() uuid.UUID { return j.TenantID }

// Transmit sends a signed electronic invoice to DIAN and records the
// verdict (or asks again while DIAN is still processing it).
type Transmit struct {
	TenantID uuid.UUID `json:"tenant_id" river:"unique"`
	Document Document  `json:"document" river:"unique"`
	ID       uuid.UUID `json:"id" river:"unique"`
	// Envio is which sending this is: 1, then one more for each resend
	// (so a resend is never taken for the previous sending's job).
	Envio int `json:"envio" river:"unique"`
}

// Kind is River's name for the job.
func (Transmit) Kind() string { return "transmit_document" }

// Tenant is the tenant the job acts for.
func (j Transmit) Tenant() uuid.UUID { return j.TenantID }

// Mail mails an invoice to one address (POST /billing/invoices/{id}/send,
// or DIAN's acceptance when the tenant asks for it). MailingID is the
// mailing's: its message's Message-ID and the key that records it sent
// once. Document and ID name the invoice, as the other jobs name theirs.
type Mail struct {
	TenantID  uuid.UUID `json:"tenant_id" river:"unique"`
	Document  Document  `json:"document"`
	InvoiceID uuid.UUID `json:"id"`
	MailingID uuid.UUID `json:"mailing_id" river:"unique"`
	Email     string    `json:"email"`
	// Actor is who asked for it (the token's sub), or AcceptanceActor.
	Actor string `json:"actor"`
}

// AcceptanceActor is the actor of the mailing DIAN's acceptance sends.
const AcceptanceActor = "dian:aceptacion"

// Kind is River's name for the job.
func (Mail) Kind() string { return "mail_invoice" }

// Tenant is the tenant the job acts for.
func (j Mail) Tenant() uuid.UUID { return j.TenantID }
