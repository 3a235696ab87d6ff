package ledger

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
	"billing/internal/store"
)

// maxNumeroLen bounds an invoice's numero once trimmed.
const maxNumeroLen = 40

// Draft is what a create or an edit of a draft invoice gives. Numero is
// required of a tenant without a fiscal profile (the seed's contract) and
// refused from one with a profile, whose numbers are taken at issue.
type Draft struct {
	CustomerID uuid.UUID
	Numero     *string
	Lines      []DraftLine
	// Payment terms; nil fields take billing.DefaultPaymentTerms'.
	FormaPago   *billing.PaymentForm
	DiasCredito *int
	MedioPago   *string
	// Document-level discounts and charges, outside every tax base.
	Descuentos []billing.Adjustment
	Cargos     []billing.Adjustment
}

// DraftLine is one line of a Draft. With a product, a nil Descripcion or
// ValorUnitario comes from the product; nil tax fields are the product's, or
// IVA, GRAVADO and billing.DefaultTaxRate without a product (see
// billing.ResolveTax).
type DraftLine struct {
	ProductID     *uuid.UUID
	Descripcion   *string
	Cantidad      money.Decimal
	ValorUnitario *money.Decimal
	Impuesto      *money.Decimal
	Tributo       *billing.TaxScheme
	Tratamiento   *billing.TaxTreatment
	// A line discount: a percentage or an amount, never both.
	Descuento      *money.Decimal
	DescuentoValor *money.Decimal
}

// Invoice reads an invoice of the actor's tenant with its whole customer.
func (l *Ledger) Invoice(ctx context.Context, a Actor, id uuid.UUID) (billing.Invoice, error) {
	return l.store.Invoice(ctx, a.Tenant, id)
}

// Invoices reads one page of the actor's tenant's invoices.
// Payment states are judged on today's Colombian date.
func (l *Ledger) Invoices(ctx context.Context, a Actor, p billing.InvoicePage) ([]billing.InvoiceSummary, error) {
	p.Today = l.Today()
	return l.store.Invoices(ctx, a.Tenant, p)
}

// InvoiceHistory reads an invoice's creation and status changes, oldest first.
func (l *Ledger) InvoiceHistory(ctx context.Context, a Actor, id uuid.UUID) ([]billing.InvoiceEvent, error) {
	return l.store.InvoiceHistory(ctx, a.Tenant, id)
}

// CreateInvoice writes a DRAFT with its lines, totals, tax breakdown and
// creation event, in one transaction.
func (l *Ledger) CreateInvoice(ctx context.Context, a Actor, d Draft, once *Once[billing.Invoice]) (billing.Invoice, error) {
	if err := checkDraft(d); err != nil {
		return billing.Invoice{}, err
	}
	id := uuid.Must(uuid.NewV7())
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.Invoice, error) {
		inv, err := resolveDraft(ctx, tx, id, d)
		if err != nil {
			return billing.Invoice{}, err
		}
		return tx.CreateInvoice(ctx, inv, a.Subject)
	})
}

// ReplaceDraft edits a DRAFT: new customer, numero and lines, totals and tax
// breakdown computed again, all in one transaction with the invoice locked.
// An ISSUED electronic invoice that DIAN rejected is corrected instead (see
// correct); any other ISSUED invoice is fault.ErrInvoiceNotDraft.
func (l *Ledger) ReplaceDraft(ctx context.Context, a Actor, id uuid.UUID, d Draft) (billing.Invoice, error) {
	if err := checkDraft(d); err != nil {
		return billing.Invoice{}, err
	}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.Invoice, error) {
		cur, err := tx.LockInvoice(ctx, id)
		if err != nil {
			return billing.Invoice{}, err
		}
		if cur.Status == billing.InvoiceIssued {
			return correct(ctx, tx, cur, d, time.Now, a.Subject)
		}
		if cur.Status != billing.InvoiceDraft {
			return billing.Invoice{}, fault.ErrInvoiceNotDraft
		}
		inv, err := resolveDraft(ctx, tx, cur.ID, d)
		if err != nil {
			return billing.Invoice{}, err
		}
		return tx.ReplaceInvoice(ctx, inv)
	})
}

// ChangeInvoiceStatus locks the invoice, asks the status machine, saves the
// change and records it, in one transaction: concurrent changes queue on the
// row lock and each sees the status the previous one left. A tenant with a
// fiscal profile issues under its numbering resolution (see issue).
func (l *Ledger) ChangeInvoiceStatus(ctx context.Context, a Actor, id uuid.UUID, to billing.InvoiceStatus) (billing.Invoice, error) {
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.Invoice, error) {
		lock, err := tx.LockInvoiceForStatus(ctx, id)
		if err != nil {
			return billing.Invoice{}, err
		}
		cur := lock.Invoice
		if err := billing.Transition(cur.Status, to); err != nil {
			return billing.Invoice{}, err
		}
		switch {
		case to == billing.InvoiceCancelled && cur.Pagado.Sign() > 0:
			// Cancelling would leave money received against nothing.
			return billing.Invoice{}, fault.ErrInvoiceHasPayments
		case lock.Stamped && to == billing.InvoiceCancelled:
			// DIAN annuls an electronic invoice only by a credit note.
			return annul(ctx, tx, cur, time.Now, a.Subject)
		}
		var inv billing.Invoice
		if lock.Electronic && to == billing.InvoiceIssued {
			profile, err := tx.FiscalProfile(ctx)
			if err != nil {
				return billing.Invoice{}, err
			}
			inv, err = issue(ctx, tx, cur, profile, time.Now, a.Subject)
			if err != nil {
				return billing.Invoice{}, err
			}
		} else if inv, err = tx.SetInvoiceStatus(ctx, cur, to, a.Subject); err != nil {
			return billing.Invoice{}, err
		}
		if to == billing.InvoiceIssued {
			if err := emit(ctx, tx, billing.EventInvoiceIssued, invoiceIssued(inv)); err != nil {
				return billing.Invoice{}, err
			}
		}
		return inv, nil
	})
}

// checkDraft applies the rules the schema cannot express: numero's trimmed
// length, exact decimal scales and ranges, and what a line without a product
// must carry. Every bad field is reported at once.
func checkDraft(d Draft) error {
	var checks []*fault.FieldError
	if d.Numero != nil {
		if n := strings.TrimSpace(*d.Numero); n == "" || len([]rune(n)) > maxNumeroLen {
			checks = append(checks, &fault.FieldError{Field: "numero", Message: fmt.Sprintf("must have 1 to %d characters once trimmed", maxNumeroLen)})
		} else if posNumero(n) {
			checks = append(checks, &fault.FieldError{Field: "numero", Message: "POS- and a number is the point of sale's numbering (POST /invoices): choose another numero"})
		}
	}
	for i, l := range d.Lines {
		at := fmt.Sprintf("items.%d.", i)
		checks = append(checks, billing.CheckQuantity(at+"cantidad", l.Cantidad))
		if l.ValorUnitario != nil {
			checks = append(checks, billing.CheckPrice(at+"valorUnitario", *l.ValorUnitario))
		}
		if l.Impuesto != nil {
			checks = append(checks, billing.CheckRate(at+"impuesto", *l.Impuesto))
		}
		if l.Descripcion != nil {
			checks = append(checks, requiredText(at+"descripcion", *l.Descripcion))
		}
		if l.Descuento != nil {
			checks = append(checks, billing.CheckRate(at+"descuento", *l.Descuento))
		}
		if l.DescuentoValor != nil {
			checks = append(checks, billing.CheckPrice(at+"descuentoValor", *l.DescuentoValor))
		}
		if l.Descuento != nil && l.DescuentoValor != nil {
			checks = append(checks, &fault.FieldError{Field: at + "descuentoValor", Message: "send descuento or descuentoValor, not both"})
		}
		if l.ProductID == nil {
			if l.Descripcion == nil {
				checks = append(checks, &fault.FieldError{Field: at + "descripcion", Message: "is required when productServiceId is absent"})
			}
			if l.ValorUnitario == nil {
				checks = append(checks, &fault.FieldError{Field: at + "valorUnitario", Message: "is required when productServiceId is absent"})
			}
		}
	}
	for _, group := range []struct {
		name string
		as   []billing.Adjustment
	}{{"descuentos", d.Descuentos}, {"cargos", d.Cargos}} {
		for i, a := range group.as {
			at := fmt.Sprintf("%s.%d.", group.name, i)
			checks = append(checks, requiredText(at+"concepto", a.Concepto), positiveAmount(at+"valor", a.Valor))
		}
	}
	return fault.Fields(checks...)
}

// positiveAmount checks an amount that must be more than zero.
func positiveAmount(field string, v money.Decimal) *fault.FieldError {
	if fe := billing.CheckPrice(field, v); fe != nil {
		return fe
	}
	if v.Sign() <= 0 {
		return &fault.FieldError{Field: field, Message: "must be more than 0"}
	}
	return nil
}

// resolveDraft checks a draft against the tenant's fiscal profile, customers
// and products and computes its lines, totals and tax breakdown. The
// customer is share-locked so it cannot be deleted before the invoice that
// references it commits.
func resolveDraft(ctx context.Context, tx *store.Tx, id uuid.UUID, d Draft) (billing.Invoice, error) {
	numero := ""
	if d.Numero != nil {
		numero = strings.TrimSpace(*d.Numero)
	}
	target, err := tx.CustomerForInvoice(ctx, d.CustomerID, numero)
	customer := target.Customer
	switch {
	case errors.Is(err, fault.ErrCustomerNotFound):
		return billing.Invoice{}, fault.ErrInvoiceCustomerNotFound
	case err != nil:
		return billing.Invoice{}, err
	case customer.Status != billing.CustomerActive:
		return billing.Invoice{}, fault.ErrInvoiceCustomerInactive
	case target.Electronic && d.Numero != nil:
		return billing.Invoice{}, fault.ErrNumeroAssignedAtIssue
	case !target.Electronic && d.Numero == nil:
		return billing.Invoice{}, fault.InvalidRequest(fault.FieldError{Field: "numero",
			Message: "is required: this tenant has no fiscal profile, so its invoices carry the numero the client chooses"})
	case target.NumeroReserved:
		return billing.Invoice{}, fault.ErrNumeroReserved
	}
	var ids []uuid.UUID
	for _, l := range d.Lines {
		if l.ProductID != nil {
			ids = append(ids, *l.ProductID)
		}
	}
	products, err := tx.ProductsByID(ctx, ids)
	if err != nil {
		return billing.Invoice{}, err
	}
	terms, err := billing.ResolveTerms(d.FormaPago, d.DiasCredito, d.MedioPago)
	if err != nil {
		return billing.Invoice{}, err
	}
	inv := billing.Invoice{ID: id, Numero: numero, Customer: customer, Lines: make([]billing.InvoiceLine, len(d.Lines)),
		Terms: terms, Descuentos: trimmed(d.Descuentos), Cargos: trimmed(d.Cargos)}
	calc := make([]billing.Line, len(d.Lines))
	for i, l := range d.Lines {
		// A line's id is new on every write: only an issued invoice's lines
		// are referenced (by credit notes), and those never change.
		line := billing.InvoiceLine{ID: uuid.Must(uuid.NewV7()), ProductID: l.ProductID}
		scheme, treatment, rate := billing.SchemeIVA, billing.Gravado, billing.DefaultTaxRate
		if l.ProductID != nil {
			prod, ok := products[*l.ProductID]
			at := fmt.Sprintf("items.%d.productServiceId", i)
			switch {
			case !ok:
				return billing.Invoice{}, fault.Invalid("product_not_found", "A line's product does not exist.", fault.FieldError{Field: at, Message: "no such product"})
			case !prod.Activo:
				return billing.Invoice{}, fault.Invalid("product_inactive", "A line's product is inactive.", fault.FieldError{Field: at, Message: "is inactive"})
			}
			line.Descripcion, line.ValorUnitario = prod.Nombre, prod.Precio
			scheme, treatment, rate = prod.Tributo, prod.Tratamiento, prod.Impuesto
		}
		if l.Descripcion != nil {
			line.Descripcion = strings.TrimSpace(*l.Descripcion)
		}
		if l.ValorUnitario != nil {
			line.ValorUnitario = *l.ValorUnitario
		}
		line.Tributo, line.Tratamiento, line.Impuesto, err = billing.ResolveTax(fmt.Sprintf("items.%d.impuesto", i),
			l.Tributo, l.Tratamiento, l.Impuesto, scheme, treatment, rate)
		if err != nil {
			return billing.Invoice{}, err
		}
		// Written as the numeric columns will store them, so the answer to
		// this request reads exactly like every later read.
		line.Cantidad, line.ValorUnitario = l.Cantidad.Rescale(3), line.ValorUnitario.Rescale(2)
		calc[i] = billing.Line{Cantidad: line.Cantidad, ValorUnitario: line.ValorUnitario, Impuesto: line.Impuesto,
			Tributo: line.Tributo, Tratamiento: line.Tratamiento, Descuento: l.Descuento, DescuentoValor: l.DescuentoValor}
		if l.Descuento != nil && l.Descuento.Sign() != 0 {
			pct := l.Descuento.Rescale(2)
			line.Descuento = &pct
		}
		inv.Lines[i] = line
	}
	totals, err := billing.ComputeTotals(calc, amounts(inv.Descuentos), amounts(inv.Cargos))
	if err != nil {
		return billing.Invoice{}, err
	}
	for i := range inv.Lines {
		inv.Lines[i].ValorBruto, inv.Lines[i].ValorDescuento, inv.Lines[i].Subtotal =
			totals.LineGross[i], totals.LineDiscounts[i], totals.LineSubtotals[i]
		inv.Lines[i].CantidadAcreditada, inv.Lines[i].ValorAcreditado = money.New(0, -3), money.New(0, -2)
	}
	// The groups' rates are the lines' own, already at the column's scale.
	inv.Subtotal, inv.Impuestos, inv.Total, inv.Taxes = totals.Subtotal, totals.Impuestos, totals.Total, totals.Taxes
	inv.TotalDescuentos, inv.TotalCargos = totals.TotalDescuentos, totals.TotalCargos
	inv.Pagado, inv.Acreditado = money.New(0, -2), money.New(0, -2)
	return inv, nil
}

// trimmed is a list of document-level amounts with their conceptos trimmed
// and their values at cents, as the column keeps them.
func trimmed(as []billing.Adjustment) []billing.Adjustment {
	if len(as) == 0 {
		return nil
	}
	out := make([]billing.Adjustment, len(as))
	for i, a := range as {
		out[i] = billing.Adjustment{Concepto: strings.TrimSpace(a.Concepto), Valor: a.Valor.Rescale(2)}
	}
	return out
}

func amounts(as []billing.Adjustment) []money.Decimal {
	out := make([]money.Decimal, len(as))
	for i, a := range as {
		out[i] = a.Valor
	}
	return out
}

// posNumero reports whether n has the form of a POS invoice's numero
// (POS-1, pos-22, …), which only the point of sale gives.
func posNumero(n string) bool {
	rest, ok := strings.CutPrefix(strings.ToUpper(n), posNumeroPrefix)
	if !ok || rest == "" {
		return false
	}
	return strings.Trim(rest, "0123456789") == ""
}
