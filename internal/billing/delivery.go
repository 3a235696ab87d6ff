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
