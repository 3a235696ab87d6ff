package billing

import (
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"billing/internal/fault"
	"billing/internal/money"
)

// CreditConcept is DIAN's reason for a credit note (Anexo 1.9,
// DiscrepancyResponse/ResponseCode).
type CreditConcept int

// The credit note concepts.
const (
	ConceptDevolucion   CreditConcept = 1 // devolución parcial de los bienes o no aceptación parcial del servicio
	ConceptAnulacion    CreditConcept = 2 // anulación de factura electrónica
	ConceptRebaja       CreditConcept = 3 // rebaja o descuento parcial o total
	ConceptAjustePrecio CreditConcept = 4 // ajuste de precio
	ConceptProntoPago   CreditConcept = 5 // descuento comercial por pronto pago
	ConceptVolumen      CreditConcept = 6 // descuento comercial por volumen de ventas
)

var conceptNames = map[CreditConcept]string{
	ConceptDevolucion:   "Devolución parcial de los bienes y/o no aceptación parcial del servicio",
	ConceptAnulacion:    "Anulación de factura electrónica",
	ConceptRebaja:       "Rebaja o descuento parcial o total",
	ConceptAjustePrecio: "Ajuste de precio",
	ConceptProntoPago:   "Descuento comercial por pronto pago",
	ConceptVolumen:      "Descuento comercial por volumen de ventas",
}

// Name is the concept's name as DIAN lists it; "" for an unknown concept.
func (c CreditConcept) Name() string { return conceptNames[c] }

// CreditsValue reports whether the concept may credit an amount of a line
// instead of a quantity (3 to 6: discounts and price adjustments); 1 and 2
// give back quantities.
func (c CreditConcept) CreditsValue() bool { return c >= ConceptRebaja }

// CreditRequest asks to credit one line of an invoice: a quantity of it, or
// (concepts 3 to 6) an amount of its value before tax.
type CreditRequest struct {
	ItemID   uuid.UUID
	Cantidad *money.Decimal
	Valor    *money.Decimal
}

// CreditedGroup is an invoice's tax group with what credit notes have
// taken of it so far.
type CreditedGroup struct {
	TaxGroup
	BaseAcreditada  money.Decimal
	ValorAcreditado money.Decimal
}

// CreditNoteLine is one line of a credit note: what it takes of one
// invoice line. Cantidad is 0 when it credits an amount only.
type CreditNoteLine struct {
	ItemID        uuid.UUID
	Position      int // the invoice line's number, from 1
	Descripcion   string
	Cantidad      money.Decimal
	ValorUnitario money.Decimal
	Impuesto      money.Decimal
	Tributo       TaxScheme
	Tratamiento   TaxTreatment
	Subtotal      money.Decimal // the credited value before tax
}

// Credit is the credit calculator's answer: a note's lines and figures,
// and whether it takes the last of the invoice (Closes).
type Credit struct {
	Lines           []CreditNoteLine
	Taxes           []TaxGroup // by scheme, then ascending rate; excluded lines in none
	Subtotal        money.Decimal
	Impuestos       money.Decimal
	TotalDescuentos money.Decimal
	TotalCargos     money.Decimal
	Total           money.Decimal // Subtotal + Impuestos − TotalDescuentos + TotalCargos
	Closes          bool
}

// ErrCreditExceedsInvoice refuses a credit above what remains of a line, a
// tax group or the invoice.
var ErrCreditExceedsInvoice = &fault.Error{Kind: fault.KindConflict, Code: "credit_exceeds_invoice",
	Detail: "The credit note would credit more than the invoice has left to credit."}

// ComputeCredit works out a credit note of concept c against inv (whose
// lines carry what was credited so far) and its tax groups with theirs:
//
//   - concept 2 (anulación) credits everything that remains and takes no
//     requests; the others credit what reqs name, one request per line;
//   - a quantity q of a line credits round_half_up(subtotal × q / cantidad, 2)
//     of its value, except that the request taking the line's last units
//     takes exactly what remains of its value (no rounding leftovers); an
//     amount (concepts 3–6) credits that amount and no units;
//   - the note's tax per scheme and rate is round_half_up(the note's base
//     at that rate × rate / 100, 2), except that a note that takes the last
//     of a group's base takes exactly what remains of its tax; never more
//     than remains;
//   - a note that takes the last of every line also takes back the
//     document-level discounts and charges, so that the notes of an invoice
//     add up to its total exactly;
//   - nothing may exceed what remains: of a line's units or value, or of the
//     invoice's total (ErrCreditExceedsInvoice, naming the line).
func ComputeCredit(c CreditConcept, inv Invoice, groups []CreditedGroup, reqs []CreditRequest) (Credit, error) {
	if c < ConceptDevolucion || c > ConceptVolumen {
		return Credit{}, fault.InvalidRequest(fault.FieldError{Field: "concepto", Message: "must be a DIAN credit note concept, 1 to 6"})
	}
	if c == ConceptAnulacion {
		if len(reqs) > 0 {
			return Credit{}, fault.InvalidRequest(fault.FieldError{Field: "lineas",
				Message: "must be absent for concepto 2 (anulación): it credits everything that remains"})
		}
		for _, l := range inv.Lines {
			rest := l.Cantidad.Sub(l.CantidadAcreditada)
			if rest.Sign() > 0 || l.Subtotal.Cmp(l.ValorAcreditado) > 0 {
				reqs = append(reqs, CreditRequest{ItemID: l.ID, Cantidad: &rest})
			}
		}
	} else if len(reqs) == 0 {
		return Credit{}, fault.InvalidRequest(fault.FieldError{Field: "lineas", Message: "must name at least one line"})
	}
	index := make(map[uuid.UUID]int, len(inv.Lines))
	for i, l := range inv.Lines {
		index[l.ID] = i
	}
	var out Credit
	seen := map[uuid.UUID]bool{}
	taken := make([]money.Decimal, len(inv.Lines)) // value taken by this note, per line (zero: none)
	for k, r := range reqs {
		at := fmt.Sprintf("lineas.%d.", k)
		i, ok := index[r.ItemID]
		switch {
		case !ok:
			return Credit{}, fault.Invalid("invoice_item_not_found", "A credit note line names no line of this invoice.",
				fault.FieldError{Field: at + "itemId", Message: "is not a line of this invoice"})
		case seen[r.ItemID]:
			return Credit{}, fault.InvalidRequest(fault.FieldError{Field: at + "itemId", Message: "names a line already credited by this note"})
		case (r.Cantidad == nil) == (r.Valor == nil):
			return Credit{}, fault.InvalidRequest(fault.FieldError{Field: at + "cantidad", Message: "send cantidad or valor, exactly one"})
		case r.Valor != nil && !c.CreditsValue():
			return Credit{}, fault.InvalidRequest(fault.FieldError{Field: at + "valor",
				Message: "concepts 1 and 2 give back quantities: send cantidad"})
		}
		seen[r.ItemID] = true
		l := inv.Lines[i]
		restValue := l.Subtotal.Sub(l.ValorAcreditado)
		line := CreditNoteLine{ItemID: l.ID, Position: i + 1, Descripcion: l.Descripcion, ValorUnitario: l.ValorUnitario,
			Impuesto: l.Impuesto, Tributo: l.Tributo, Tratamiento: l.Tratamiento, Cantidad: money.New(0, -3)}
		if r.Cantidad != nil {
			if fe := CheckQuantity(at+"cantidad", *r.Cantidad); fe != nil && c != ConceptAnulacion {
				return Credit{}, fault.InvalidRequest(*fe)
			}
			q := r.Cantidad.Rescale(3)
			restUnits := l.Cantidad.Sub(l.CantidadAcreditada)
			switch cmp := q.Cmp(restUnits); {
			case cmp > 0:
				return Credit{}, exceeds(at+"cantidad", "exceeds the line's uncredited quantity ("+restUnits.String()+")")
			case cmp == 0:
				line.Subtotal = restValue // the last units take exactly what remains
			default:
				line.Subtotal = l.Subtotal.MulDivCents(q, l.Cantidad).Min(restValue)
			}
			line.Cantidad = q
		} else {
			if fe := CheckPrice(at+"valor", *r.Valor); fe != nil {
				return Credit{}, fault.InvalidRequest(*fe)
			}
			v := r.Valor.Rescale(2)
			if v.Cmp(restValue) > 0 {
				return Credit{}, exceeds(at+"valor", "exceeds the line's uncredited value ("+restValue.String()+")")
			}
			line.Subtotal = v
		}
		taken[i] = line.Subtotal
		out.Lines = append(out.Lines, line)
	}
	sort.Slice(out.Lines, func(a, b int) bool { return out.Lines[a].Position < out.Lines[b].Position })

	// Closes: after this note, no line keeps any value to credit.
	out.Closes = true
	for i, l := range inv.Lines {
		if l.Subtotal.Sub(l.ValorAcreditado).Sub(taken[i]).Sign() > 0 {
			out.Closes = false
		}
	}
	out.Subtotal, out.Impuestos = money.New(0, -2), money.New(0, -2)
	for _, l := range out.Lines {
		out.Subtotal = out.Subtotal.Add(l.Subtotal)
	}
	for _, g := range groups {
		base := money.New(0, -2)
		for _, l := range out.Lines {
			if l.Tratamiento != Excluido && schemeKey(l.Tributo) == schemeKey(g.Tributo) && l.Impuesto.Cmp(g.Tarifa) == 0 {
				base = base.Add(l.Subtotal)
			}
		}
		if base.Sign() == 0 {
			continue
		}
		restTax := g.Valor.Sub(g.ValorAcreditado)
		tax := base.Mul(g.Tarifa).Mul(hundredth).RoundCents().Min(restTax)
		if g.Base.Sub(g.BaseAcreditada).Cmp(base) == 0 {
			tax = restTax // the group's last base takes exactly its remaining tax
		}
		out.Taxes = append(out.Taxes, TaxGroup{Tributo: g.Tributo, Tarifa: g.Tarifa, Base: base, Valor: tax})
		out.Impuestos = out.Impuestos.Add(tax)
	}
	out.TotalDescuentos, out.TotalCargos = money.New(0, -2), money.New(0, -2)
	if out.Closes {
		out.TotalDescuentos, out.TotalCargos = inv.TotalDescuentos, inv.TotalCargos
	}
	out.Total = out.Subtotal.Add(out.Impuestos).Sub(out.TotalDescuentos).Add(out.TotalCargos)
	if out.Total.Sign() <= 0 {
		return Credit{}, fault.Invalid("credit_note_empty", "The credit note would credit nothing.",
			fault.FieldError{Field: "lineas", Message: "credit nothing"})
	}
	if rest := inv.Total.Sub(inv.Acreditado); out.Total.Cmp(rest) > 0 {
		return Credit{}, exceeds("lineas", "add up to "+out.Total.String()+", more than the invoice's uncredited total ("+rest.String()+")")
	}
	return out, nil
}

func exceeds(field, msg string) *fault.Error {
	e := *ErrCreditExceedsInvoice
	e.Fields = []fault.FieldError{{Field: field, Message: msg}}
	return &e
}

func schemeKey(s TaxScheme) TaxScheme {
	if s == "" {
		return SchemeIVA
	}
	return s
}

// CreditNote is an issued credit note: numbered from the tenant's
// NOTA_CREDITO resolution, with its CUDE, against one issued invoice.
type CreditNote struct {
	ID           uuid.UUID
	InvoiceID    uuid.UUID
	Numero       string
	ResolutionID uuid.UUID
	Consecutivo  int64
	Concepto     CreditConcept
	Motivo       string
	IssueDate    string // YYYY-MM-DD, Colombian
	IssueTime    string // HH:MM:SS-05:00
	CUDE         string // 96 lowercase hex
	QR           string // the printed QR's text
	Credit
	Actor     string
	CreatedAt time.Time
}

// InvoiceReference is what a note says of the invoice it corrects
// (BillingReference/InvoiceDocumentReference).
type InvoiceReference struct {
	ID        uuid.UUID
	Numero    string
	CUFE      string
	IssueDate string // YYYY-MM-DD
}

// CreditNoteDocument is everything an electronic credit note shows, frozen
// when it is issued: the seller (without its PIN), the NOTA_CREDITO
// resolution, the note, the invoice it references, and the buyer as the
// invoice had it.
type CreditNoteDocument struct {
	Seller     FiscalProfile
	Resolution NumberingResolution
	Note       CreditNote
	Invoice    InvoiceReference
	Buyer      Customer
	// SoftwareSecurityCode is SHA-384(SoftwareID + PIN + note number).
	SoftwareSecurityCode string
	// QRURL is DIAN's lookup address of the CUDE.
	QRURL string
	// EInvoice is where the note stands with DIAN (a single note's read
	// only): live, never part of the frozen document.
	EInvoice *EInvoiceStatus `json:"-"`
}
