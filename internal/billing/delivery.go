package billing

import (
	"time"

	"github.com/google/uuid"
)

// DeliveryState is where an outbox job (a delivery: signing, sending to
// DIAN, mailing, a webhook) stands.
type DeliveryState string

const (
	DeliveryPending   DeliveryState = "PENDIENTE"    // waiting to run
	DeliveryRunning   DeliveryState = "EN_CURSO"     // running now
	DeliveryRetrying  DeliveryState = "REINTENTANDO" // failed, will run again after a backoff
	DeliveryFailed    DeliveryState = "FALLIDA"      // out of attempts: the dead letter an ADMIN may retry
	DeliveryDone      DeliveryState = "COMPLETADA"
	DeliveryCancelled DeliveryState = "CANCELADA"
)

// Delivery is one outbox job of a tenant.
type Delivery struct {
	ID          int64
	Kind        string // the job's kind, such as sign_document
	Document    string // the kind of document it acts on, such as invoice ("" for a webhook)
	DocumentID  uuid.UUID
	EndpointID  uuid.UUID // a webhook delivery's endpoint and event (nil for the others)
	EventID     uuid.UUID
	State       DeliveryState
	Attempts    int
	MaxAttempts int
	Errors      []DeliveryError
	CreatedAt   time.Time
	ScheduledAt time.Time // when it runs next, while pending or retrying
	FinalizedAt *time.Time
}

// DeliveryError is one failed attempt.
type DeliveryError struct {
	At      time.Time
	Attempt int
	Message string
}

// EInvoiceState is where an electronic document stands with DIAN.
type EInvoiceState string

const (
	EInvoicePending  EInvoiceState = "PENDIENTE" // not sent yet (being signed, or waiting for a certificate)
	EInvoiceSent     EInvoiceState = "ENVIADA"   // sent; DIAN is still processing it
	EInvoiceAccepted EInvoiceState = "ACEPTADA"
	EInvoiceRejected EInvoiceState = "RECHAZADA"
	EInvoiceError    EInvoiceState = "ERROR" // the last attempt failed (a fault, no answer); it is retried
)

// Final reports a verdict that never changes.
func (s EInvoiceState) Final() bool { return s == EInvoiceAccepted || s == EInvoiceRejected }

// DianRule is a rule DIAN's validation reported: a rejection, or a
// notification that does not stop acceptance.
type DianRule struct {
	Regla   string `json:"regla,omitempty"`
	Mensaje string `json:"mensaje"`
	Rechazo bool   `json:"rechazo"`
}

// EInvoiceStatus is an electronic document's standing with DIAN.
type EInvoiceStatus struct {
	Estado      EInvoiceState
	Reglas      []DianRule
	Intentos    int
	Actualizado *time.Time
}
