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
	// Descuentos and Cargos are the document-level amounts outside every
	// tax base; TotalDescuentos and TotalCargos their sums.
	Descuentos      []Adjustment
	Cargos          []Adjustment
	TotalDescuentos money.Decimal
	TotalCargos     money.Decimal
	Terms           PaymentTerms
	// FechaVencimiento is fixed at issue: the issue date plus the credit
	// days; nil for a draft.
	FechaVencimiento *Date
	// Pagado is the sum of the payments not reversed; Acreditado the sum of
	// the credit notes' totals, tax included.
	Pagado     money.Decimal
	Acreditado money.Decimal
	// Stamp is what issuing under a numbering resolution fixed (number,
	// Colombian issue date and time, CUFE, QR); nil for a draft and for an
	// invoice issued the seed's way, with a client-chosen numero.
	Stamp *Stamp
	// EInvoice is where a stamped invoice stands with DIAN (detail reads
	// only); nil otherwise.
	EInvoice    *EInvoiceStatus `json:"-"` // live, never part of a frozen document
	IssuedAt    *time.Time
	CancelledAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// InvoiceLine is a snapshot of what was sold: description, price and rate
// are copied from the request or the product when written.
type InvoiceLine struct {
	ID            uuid.UUID // credit notes reference it
	ProductID     *uuid.UUID
	Descripcion   string
	Cantidad      money.Decimal // 3 decimals
	ValorUnitario money.Decimal // 2 decimals
	Impuesto      money.Decimal // a percentage, 2 decimals
	Tributo       TaxScheme
	Tratamiento   TaxTreatment
	// Descuento is the discount percentage the line was written with (nil
	// for none or for an amount; stored as 0 then).
	Descuento      *money.Decimal
	ValorBruto     money.Decimal // round_half_up(Cantidad × ValorUnitario, 2)
	ValorDescuento money.Decimal // the line discount's amount
	Subtotal       money.Decimal // ValorBruto − ValorDescuento: the taxable base
	// CantidadAcreditada and ValorAcreditado are what credit notes have
	// taken of the line so far.
	CantidadAcreditada money.Decimal
	ValorAcreditado    money.Decimal
}

// Adjustment is a document-level discount or charge: an amount outside
// every tax base (a tip, a charge the tax law leaves out of the base).
type Adjustment struct {
	Concepto string
	Valor    money.Decimal
}

// Saldo is what is still owed: Total − Acreditado − Pagado for an ISSUED
// invoice (negative when credit notes give back more than remains unpaid),
// 0 for a draft or a cancelled invoice, which nobody owes.
func (inv Invoice) Saldo() money.Decimal {
	if inv.Status != InvoiceIssued {
		return money.New(0, -2)
	}
	return inv.Total.Sub(inv.Acreditado).Sub(inv.Pagado)
}

// EstadoPago is the payment state of an ISSUED invoice on Colombian date
// today ("" for a draft or a cancelled one): see PaymentStatusOf.
func (inv Invoice) EstadoPago(today Date) PaymentStatus {
	return PaymentStatusOf(inv.Status, inv.Saldo(), inv.Pagado, inv.FechaVencimiento, today)
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
	Saldo               money.Decimal
	EstadoPago          PaymentStatus
	FechaVencimiento    *Date
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
	// CreditNote is the note that made the change (an electronic invoice
	// annulled by its concept-2 note); nil otherwise.
	CreditNote *CreditNoteRef
	// Mail is the mailing this event records (the invoice was mailed;
	// its status did not change); nil otherwise.
	Mail *InvoiceMail
	// Correction is the rejected version this event kept when the invoice
	// was corrected (its status did not change); nil otherwise.
	Correction *InvoiceCorrection
}

// InvoiceCorrection names a rejected version of an invoice, kept when it
// was corrected: its number in the invoice's versions, its CUFE and the
// rules DIAN said it broke.
type InvoiceCorrection struct {
	Version int
	CUFE    string
	Reglas  []DianRule
}

// InvoiceMail is one mailing of an invoice: its id (the message's
// Message-ID) and where it went.
type InvoiceMail struct {
	ID    uuid.UUID
	Email string
}

// InvoiceMailing is a mailing asked for and queued.
type InvoiceMailing struct {
	ID          uuid.UUID
	InvoiceID   uuid.UUID
	Email       string
	RequestedAt time.Time
}

// CreditNoteRef names a credit note.
type CreditNoteRef struct {
	ID     uuid.UUID
	Numero string
}

// InvoicePage asks for one page of invoices, newest first: the rows created
// before the given position, at most Limit, of one Status or of all ("").
type InvoicePage struct {
	Status          InvoiceStatus
	EstadoPago      PaymentStatus // "" for any; Today is the date it is judged on
	Today           Date
	CustomerID      *uuid.UUID
	BeforeCreatedAt time.Time
	BeforeID        uuid.UUID
	Limit           int
}
