package billing

import (
	"time"

	"github.com/google/uuid"

	"billing/internal/money"
)

// Invoice is an invoice with its lines and its totals as they were computed
// when it was last written (stored, never recomputed on a read).
type Invoice struct {
	ID        uuid.UUID
	Numero    string
	Status    InvoiceStatus
	Customer  Customer // whole on a detail read; ID, RazonSocial and Nit otherwise
	Lines     []InvoiceLine
	Subtotal  money.Decimal
	Impuestos money.Decimal
	Total     money.Decimal
	Taxes     []TaxGroup // by scheme, then ascending rate
	// Stamp is what issuing under a numbering resolution fixed (number,
	// Colombian issue date and time, CUFE, QR); nil for a draft and for an
	// invoice issued the seed's way, with a client-chosen numero.
	Stamp       *Stamp
	IssuedAt    *time.Time
	CancelledAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// InvoiceLine is a snapshot of what was sold: description, price and rate
// are copied from the request or the product when written.
type InvoiceLine struct {
	ProductID     *uuid.UUID
	Descripcion   string
	Cantidad      money.Decimal // 3 decimals
	ValorUnitario money.Decimal // 2 decimals
	Impuesto      money.Decimal // a percentage, 2 decimals
	Tributo       TaxScheme
	Tratamiento   TaxTreatment
	Subtotal      money.Decimal // round_half_up(Cantidad × ValorUnitario, 2)
}

// Stamp is what an invoice's issue under a numbering resolution fixed, once.
// IssueDate and IssueTime are the exact texts the CUFE was computed from
// (Colombian time, whole seconds, "-05:00"), so the XML, the QR and
// issuedAt never disagree.
type Stamp struct {
	ResolutionID uuid.UUID
	Consecutivo  int64
	IssueDate    string // YYYY-MM-DD
	IssueTime    string // HH:MM:SS-05:00
	CUFE         string // 96 lowercase hex
	QR           string // the printed QR's text (FISCAL.md §6)
}

// InvoiceSummary is an invoice as a list shows it.
type InvoiceSummary struct {
	ID                  uuid.UUID
	Numero              string
	Status              InvoiceStatus
	CustomerID          uuid.UUID
	CustomerRazonSocial string
	CustomerNit         string
	ItemCount           int
	Subtotal            money.Decimal
	Impuestos           money.Decimal
	Total               money.Decimal
	IssuedAt            *time.Time
	CancelledAt         *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// InvoiceEvent is one entry of an invoice's history: its creation (From
// nil) or a status change, and who made it.
type InvoiceEvent struct {
	From  *InvoiceStatus
	To    InvoiceStatus
	Actor string
	At    time.Time
}

// InvoicePage asks for one page of invoices, newest first: the rows created
// before the given position, at most Limit, of one Status or of all ("").
type InvoicePage struct {
	Status          InvoiceStatus
	BeforeCreatedAt time.Time
	BeforeID        uuid.UUID
	Limit           int
}
