package billing

import (
	"time"

	"github.com/google/uuid"

	"billing/internal/money"
)

// Invoice is an invoice with its lines and its totals as they were computed
// when it was last written (stored, never recomputed on a read).
type Invoice struct {
	ID          uuid.UUID
	Numero      string
	Status      InvoiceStatus
	Customer    Customer // whole on a detail read; ID, RazonSocial and Nit otherwise
	Lines       []InvoiceLine
	Subtotal    money.Decimal
	Impuestos   money.Decimal
	Total       money.Decimal
	Taxes       []TaxGroup // by ascending rate
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
	Subtotal      money.Decimal // round_half_up(Cantidad × ValorUnitario, 2)
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
