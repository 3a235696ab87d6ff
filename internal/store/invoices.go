package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
)

// Invoice reads an invoice with its whole customer, lines and stored tax
// breakdown, in one statement (one snapshot); fault.ErrInvoiceNotFound when
// there is none.
func (s *Store) Invoice(ctx context.Context, tenant, id uuid.UUID) (billing.Invoice, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.GetInvoiceDetailRow, error) {
		return q.GetInvoiceDetail(ctx, db.GetInvoiceDetailParams{TenantID: tenant, ID: id})
	})
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("loading invoice: %w", err)
	}
	return invoiceDetail(rows)
}

// Invoices reads one page of the tenant's invoices, newest first (see
// billing.InvoicePage).
func (s *Store) Invoices(ctx context.Context, tenant uuid.UUID, p billing.InvoicePage) ([]billing.InvoiceSummary, error) {
	var out []billing.InvoiceSummary
	err := s.read(ctx, tenant, func(d db.DBTX) error {
		q := db.New(d)
		switch {
		case p.EstadoPago != "" || p.CustomerID != nil:
			f := db.ListInvoicesFilteredParams{TenantID: tenant, CustomerID: p.CustomerID, Today: p.Today.Time(),
				AfterCreatedAt: p.BeforeCreatedAt, AfterID: p.BeforeID, MaxRows: int32(p.Limit)}
			if p.Status != "" {
				f.Status = (*string)(&p.Status)
			}
			if p.EstadoPago != "" {
				f.EstadoPago = (*string)(&p.EstadoPago)
			}
			rows, err := q.ListInvoicesFiltered(ctx, f)
			out = summaries(rows, p.Today)
			return err
		case p.Status == "":
			rows, err := q.ListInvoices(ctx, db.ListInvoicesParams{TenantID: tenant,
				AfterCreatedAt: p.BeforeCreatedAt, AfterID: p.BeforeID, MaxRows: int32(p.Limit)})
			out = summaries(rows, p.Today)
			return err
		}
		rows, err := q.ListInvoicesByStatus(ctx, db.ListInvoicesByStatusParams{TenantID: tenant, Status: string(p.Status),
			AfterCreatedAt: p.BeforeCreatedAt, AfterID: p.BeforeID, MaxRows: int32(p.Limit)})
		out = summaries(rows, p.Today)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing invoices: %w", err)
	}
	return out, nil
}

// InvoiceHistory reads an invoice's events, oldest first;
// fault.ErrInvoiceNotFound when there is no such invoice.
func (s *Store) InvoiceHistory(ctx context.Context, tenant, id uuid.UUID) ([]billing.InvoiceEvent, error) {
	events, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.ListInvoiceEventsRow, error) {
		return q.ListInvoiceEvents(ctx, db.ListInvoiceEventsParams{TenantID: tenant, InvoiceID: id})
	})
	if err != nil {
		return nil, fmt.Errorf("loading invoice history: %w", err)
	}
	// Every invoice has its creation event (written in the same statement
	// as the invoice), so no events means no such invoice in this tenant:
	// one query instead of a lookup and then the events.
	if len(events) == 0 {
		return nil, fault.ErrInvoiceNotFound
	}
	out := make([]billing.InvoiceEvent, len(events))
	for i, e := range events {
		out[i] = billing.InvoiceEvent{To: billing.InvoiceStatus(e.ToStatus), Actor: e.Actor, At: e.CreatedAt}
		if e.CreditNoteID != nil {
			out[i].CreditNote = &billing.CreditNoteRef{ID: *e.CreditNoteID, Numero: e.CreditNoteNumero}
		}
		if e.CorreoID != nil && e.CorreoDestinatario != nil {
			out[i].Mail = &billing.InvoiceMail{ID: *e.CorreoID, Email: *e.CorreoDestinatario}
		}
		if e.Version != nil && e.VersionCufe != nil {
			c := &billing.InvoiceCorrection{Version: int(*e.Version), CUFE: *e.VersionCufe}
			if err := json.Unmarshal(e.VersionReglas, &c.Reglas); err != nil {
				return nil, fmt.Errorf("reading a rejected version's rules: %w", err)
			}
			out[i].Correction = c
		}
		if e.FromStatus != nil {
			from := billing.InvoiceStatus(*e.FromStatus)
			out[i].From = &from
		}
	}
	return out, nil
}

// CreateInvoice writes a new DRAFT: the invoice, its lines, its tax
// breakdown and its creation event by actor, in one statement, and counts
// one more draft in the dashboard's figures. inv.Customer must be the customer
// CustomerForInvoice locked; the answer carries it.
func (tx *Tx) CreateInvoice(ctx context.Context, inv billing.Invoice, actor string) (billing.Invoice, error) {
	lines := lineColumns(tx.tenant, inv.ID, inv.Lines)
	taxes := taxColumns(inv.Taxes)
	h, err := headerColumns(inv)
	if err != nil {
		return billing.Invoice{}, err
	}
	row, err := tx.q.CreateInvoice(ctx, db.CreateInvoiceParams{
		TenantID: tx.tenant, ID: inv.ID, CustomerID: inv.Customer.ID, Numero: nullIfEmpty(inv.Numero),
		Subtotal: inv.Subtotal, Impuestos: inv.Impuestos, Total: inv.Total,
		FormaPago: h.formaPago, DiasCredito: h.diasCredito, MedioPago: h.medioPago,
		Descuentos: h.descuentos, Cargos: h.cargos, TotalDescuentos: inv.TotalDescuentos, TotalCargos: inv.TotalCargos,
		LineIds: lines.Ids, LineProductIds: lines.ProductServiceIds, LineDescripciones: lines.Descripciones, LineCantidades: lines.Cantidades,
		LineValoresUnitarios: lines.ValoresUnitarios, LineImpuestos: lines.Impuestos, LineSubtotales: lines.Subtotales,
		LineTributos: lines.Tributos, LineTratamientos: lines.Tratamientos,
		LineDescuentos: lines.Descuentos, LineValoresDescuento: lines.ValoresDescuento,
		TaxTributos: taxes.tributos, TaxTarifas: taxes.tarifas, TaxBases: taxes.bases, TaxValores: taxes.valores,
		Actor: actor,
	})
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("creating invoice: %w", Translate(err))
	}
	tx.count(billing.InvoiceChange("", billing.InvoiceDraft, inv))
	return withParts(toInvoice(db.Invoice(row)), inv.Customer, inv.Lines, inv.Taxes), nil
}

// LockInvoice reads an invoice's header (no lines, no customer beyond its
// ID) and locks it against concurrent changes until the transaction ends.
func (tx *Tx) LockInvoice(ctx context.Context, id uuid.UUID) (billing.Invoice, error) {
	row, err := tx.q.GetInvoiceForUpdate(ctx, db.GetInvoiceForUpdateParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return billing.Invoice{}, fault.ErrInvoiceNotFound
	}
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("locking invoice: %w", err)
	}
	return toInvoice(row), nil
}

// StatusLock is a locked invoice as a status change, a payment or a credit
// note sees it: its header, whether the tenant invoices electronically (it
// has a fiscal profile), and whether this invoice was issued under a
// numbering resolution.
type StatusLock struct {
	Invoice    billing.Invoice
	Electronic bool
	Stamped    bool
}

// LockInvoiceForStatus is LockInvoice for a status change, a payment or a
// credit note, in one statement: concurrent ones of one invoice queue on
// the lock, and each sees the balance the previous one left.
func (tx *Tx) LockInvoiceForStatus(ctx context.Context, id uuid.UUID) (StatusLock, error) {
	row, err := tx.q.GetInvoiceForStatusChange(ctx, db.GetInvoiceForStatusChangeParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return StatusLock{}, fault.ErrInvoiceNotFound
	}
	if err != nil {
		return StatusLock{}, fmt.Errorf("locking invoice: %w", err)
	}
	return StatusLock{Invoice: toInvoice(row.Invoice), Electronic: row.Electronic, Stamped: row.Stamped}, nil
}

// ReplaceInvoice rewrites a locked draft: header, lines and tax breakdown.
func (tx *Tx) ReplaceInvoice(ctx context.Context, inv billing.Invoice) (billing.Invoice, error) {
	h, err := headerColumns(inv)
	if err != nil {
		return billing.Invoice{}, err
	}
	row, err := tx.q.ReplaceInvoice(ctx, db.ReplaceInvoiceParams{
		TenantID: tx.tenant, ID: inv.ID, CustomerID: inv.Customer.ID, Numero: nullIfEmpty(inv.Numero),
		Subtotal: inv.Subtotal, Impuestos: inv.Impuestos, Total: inv.Total, ItemCount: int32(len(inv.Lines)),
		FormaPago: h.formaPago, DiasCredito: h.diasCredito, MedioPago: h.medioPago,
		Descuentos: h.descuentos, Cargos: h.cargos, TotalDescuentos: inv.TotalDescuentos, TotalCargos: inv.TotalCargos,
	})
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("replacing invoice: %w", Translate(err))
	}
	if err := tx.q.DeleteInvoiceItems(ctx, db.DeleteInvoiceItemsParams{TenantID: tx.tenant, InvoiceID: inv.ID}); err != nil {
		return billing.Invoice{}, fmt.Errorf("removing old lines: %w", err)
	}
	if err := tx.q.InsertInvoiceItems(ctx, lineColumns(tx.tenant, inv.ID, inv.Lines)); err != nil {
		return billing.Invoice{}, fmt.Errorf("writing invoice lines: %w", Translate(err))
	}
	if err := tx.q.DeleteInvoiceTaxes(ctx, db.DeleteInvoiceTaxesParams{TenantID: tx.tenant, InvoiceID: inv.ID}); err != nil {
		return billing.Invoice{}, fmt.Errorf("removing old tax breakdown: %w", err)
	}
	taxes := taxColumns(inv.Taxes)
	if err := tx.q.InsertInvoiceTaxes(ctx, db.InsertInvoiceTaxesParams{TenantID: tx.tenant, InvoiceID: inv.ID,
		Tributos: taxes.tributos, Tarifas: taxes.tarifas, Bases: taxes.bases, Valores: taxes.valores}); err != nil {
		return billing.Invoice{}, fmt.Errorf("writing tax breakdown: %w", err)
	}
	return withParts(toInvoice(row), inv.Customer, inv.Lines, inv.Taxes), nil
}

// SetInvoiceStatus moves a locked invoice (cur, as LockInvoice read it) to
// status to the seed's way, records the change by actor and its effect on
// the dashboard's figures, and returns the invoice whole.
func (tx *Tx) SetInvoiceStatus(ctx context.Context, cur billing.Invoice, to billing.InvoiceStatus, actor string) (billing.Invoice, error) {
	if _, err := tx.setStatus(ctx, cur, to, nil, nil, actor); err != nil {
		return billing.Invoice{}, err
	}
	return tx.Invoice(ctx, cur.ID)
}

// IssueUnderResolution writes what an issue under a numbering resolution
// fixed: the stamp with the UBL document's bytes and the document's content
// (JSON, the printed invoice is drawn from it), then the status with the
// numero and the issue instant of issued (the invoice whole, as the issue
// built it from its locked draft, cur), and the change by actor. It returns
// issued as now stored, without reading it again.
func (tx *Tx) IssueUnderResolution(ctx context.Context, cur, issued billing.Invoice, xml, document []byte, actor string) (billing.Invoice, error) {
	s := issued.Stamp
	if err := tx.q.InsertInvoiceStamp(ctx, db.InsertInvoiceStampParams{
		TenantID: tx.tenant, InvoiceID: issued.ID, ResolutionID: s.ResolutionID, Consecutivo: s.Consecutivo,
		IssueDate: s.IssueDate, IssueTime: s.IssueTime, Cufe: s.CUFE, Qr: s.QR, Xml: xml, Document: document,
	}); err != nil {
		return billing.Invoice{}, fmt.Errorf("writing invoice stamp: %w", Translate(err))
	}
	updated, err := tx.setStatus(ctx, cur, billing.InvoiceIssued, &issued, nil, actor)
	if err != nil {
		return billing.Invoice{}, err
	}
	issued.UpdatedAt = updated
	return issued, nil
}

// CancelByCreditNote cancels a locked ISSUED invoice (cur, with the
// credited sum the note left) whose remaining value the credit note noteID
// has just taken, naming the note in the history.
func (tx *Tx) CancelByCreditNote(ctx context.Context, cur billing.Invoice, noteID uuid.UUID, actor string) (billing.Invoice, error) {
	if _, err := tx.setStatus(ctx, cur, billing.InvoiceCancelled, nil, &noteID, actor); err != nil {
		return billing.Invoice{}, err
	}
	return tx.Invoice(ctx, cur.ID)
}

// setStatus writes a status change of cur (with the numero, issue instant
// and due date of an issue under a resolution, when issued is given), its
// event (naming the credit note that made it, if one did) and its figures;
// it returns the new updated_at.
func (tx *Tx) setStatus(ctx context.Context, cur billing.Invoice, to billing.InvoiceStatus, issued *billing.Invoice, note *uuid.UUID, actor string) (time.Time, error) {
	p := db.SetInvoiceStatusParams{TenantID: tx.tenant, ID: cur.ID, Status: string(to)}
	if issued != nil {
		p.Numero, p.IssuedAt = nullIfEmpty(issued.Numero), issued.IssuedAt
		if issued.FechaVencimiento != nil {
			due := issued.FechaVencimiento.Time()
			p.FechaVencimiento = &due
		}
	}
	row, err := tx.q.SetInvoiceStatus(ctx, p)
	if err != nil {
		return time.Time{}, fmt.Errorf("setting invoice status: %w", Translate(err))
	}
	from := string(cur.Status)
	if err := tx.q.InsertInvoiceEvent(ctx, db.InsertInvoiceEventParams{
		TenantID: tx.tenant, InvoiceID: cur.ID, FromStatus: &from, ToStatus: string(to), Actor: actor, CreditNoteID: note,
	}); err != nil {
		return time.Time{}, fmt.Errorf("recording status change: %w", err)
	}
	change := billing.InvoiceChange(cur.Status, to, cur)
	tx.count(change)
	switch {
	case to == billing.InvoiceIssued && row.FechaVencimiento != nil:
		tx.owe(billing.DateFromTime(*row.FechaVencimiento), change.CarteraPendiente)
	case cur.Status == billing.InvoiceIssued && cur.FechaVencimiento != nil:
		tx.owe(*cur.FechaVencimiento, change.CarteraPendiente)
	}
	return row.UpdatedAt, nil
}

// invoiceDetail takes GetInvoiceDetail's rows (one per line, at least one)
// apart into the invoice with its customer, lines and taxes.
func invoiceDetail(rows []db.GetInvoiceDetailRow) (billing.Invoice, error) {
	if len(rows) == 0 {
		return billing.Invoice{}, fault.ErrInvoiceNotFound
	}
	lines := make([]billing.InvoiceLine, len(rows))
	taxes := make([]billing.TaxGroup, 0, 1)
	// base adds up the groups' bases and the excluded lines, which are in
	// no group: together they are the subtotal.
	base, valor := money.New(0, -2), money.New(0, -2)
	for i, r := range rows {
		lines[i] = toLine(r.InvoiceItem)
		if lines[i].Tratamiento == billing.Excluido {
			base = base.Add(lines[i].Subtotal)
		}
		if r.TaxTarifa.Sign() >= 0 { // the i-th group; -1 past the last one
			taxes = append(taxes, billing.TaxGroup{Tributo: billing.TaxScheme(r.TaxTributo), Tarifa: r.TaxTarifa, Base: r.TaxBase, Valor: r.TaxValor})
		}
	}
	inv := withParts(toInvoice(rows[0].Invoice), toCustomer(rows[0].Customer), lines, taxes)
	if r := rows[0]; r.StampCufe != "" {
		inv.Stamp = &billing.Stamp{ResolutionID: r.StampResolutionID, Consecutivo: r.StampConsecutivo,
			IssueDate: r.StampIssueDate, IssueTime: r.StampIssueTime, CUFE: r.StampCufe, QR: r.StampQr}
		st := &billing.EInvoiceStatus{Estado: billing.EInvoiceState(r.StampDianEstado), Intentos: int(r.StampDianIntentos),
			Actualizado: r.StampDianActualizado}
		if err := json.Unmarshal(r.StampDianReglas, &st.Reglas); err != nil {
			return billing.Invoice{}, fmt.Errorf("reading DIAN's rules: %w", err)
		}
		inv.EInvoice = st
	}
	// The breakdown rides on the lines' rows (see GetInvoiceDetail); should
	// that ever lose a group, refuse to show an invoice whose figures do not
	// add up rather than show it wrong.
	for _, g := range taxes {
		base, valor = base.Add(g.Base), valor.Add(g.Valor)
	}
	if base.Cmp(inv.Subtotal) != 0 || valor.Cmp(inv.Impuestos) != 0 {
		return billing.Invoice{}, fmt.Errorf("invoice %s: its tax breakdown (%s, %s) does not add up to its subtotal and taxes (%s, %s)",
			inv.ID, base, valor, inv.Subtotal, inv.Impuestos)
	}
	return inv, nil
}

func withParts(inv billing.Invoice, c billing.Customer, lines []billing.InvoiceLine, taxes []billing.TaxGroup) billing.Invoice {
	inv.Customer, inv.Lines, inv.Taxes = c, lines, taxes
	return inv
}

func toInvoice(r db.Invoice) billing.Invoice {
	inv := billing.Invoice{
		ID:              r.ID,
		Numero:          textOf(r.Numero),
		Status:          billing.InvoiceStatus(r.Status),
		Customer:        billing.Customer{ID: r.CustomerID},
		Subtotal:        r.Subtotal,
		Impuestos:       r.Impuestos,
		Total:           r.Total,
		TotalDescuentos: r.TotalDescuentos,
		TotalCargos:     r.TotalCargos,
		Terms:           billing.PaymentTerms{Forma: billing.PaymentForm(r.FormaPago), MedioPago: r.MedioPago},
		Pagado:          r.Pagado,
		Acreditado:      r.Acreditado,
		Descuentos:      adjustmentsColumn(r.Descuentos),
		Cargos:          adjustmentsColumn(r.Cargos),
		IssuedAt:        r.IssuedAt,
		CancelledAt:     r.CancelledAt,
		CreatedAt:       r.CreatedAt,
		UpdatedAt:       r.UpdatedAt,
	}
	if r.DiasCredito != nil {
		inv.Terms.DiasCredito = int(*r.DiasCredito)
	}
	if r.FechaVencimiento != nil {
		d := billing.DateFromTime(*r.FechaVencimiento)
		inv.FechaVencimiento = &d
	}
	return inv
}

func toLine(it db.InvoiceItem) billing.InvoiceLine {
	l := billing.InvoiceLine{
		ID:                 it.ID,
		ProductID:          it.ProductServiceID,
		Descripcion:        it.Descripcion,
		Cantidad:           it.Cantidad,
		ValorUnitario:      it.ValorUnitario,
		Impuesto:           it.Impuesto,
		Tributo:            billing.TaxScheme(it.Tributo),
		Tratamiento:        billing.TaxTreatment(it.Tratamiento),
		ValorBruto:         it.ValorBruto,
		ValorDescuento:     it.ValorDescuento,
		Subtotal:           it.Subtotal,
		CantidadAcreditada: it.CantidadAcreditada,
		ValorAcreditado:    it.ValorAcreditado,
	}
	if it.Descuento.Sign() != 0 {
		pct := it.Descuento
		l.Descuento = &pct
	}
	return l
}

// adjustment is a document-level discount or charge as its jsonb column
// holds it.
type adjustment struct {
	Concepto string        `json:"concepto"`
	Valor    money.Decimal `json:"valor"`
}

// headers are the columns of an invoice's terms and document-level
// amounts, as the statements that write a header take them.
type headers struct {
	formaPago, medioPago string
	diasCredito          *int32
	descuentos, cargos   []byte
}

func headerColumns(inv billing.Invoice) (headers, error) {
	t := inv.Terms
	if t.Forma == "" {
		t = billing.DefaultPaymentTerms
	}
	h := headers{formaPago: string(t.Forma), medioPago: t.MedioPago}
	if t.Forma == billing.Credito {
		d := int32(t.DiasCredito)
		h.diasCredito = &d
	}
	var err error
	if h.descuentos, err = adjustmentsJSON(inv.Descuentos); err != nil {
		return headers{}, err
	}
	if h.cargos, err = adjustmentsJSON(inv.Cargos); err != nil {
		return headers{}, err
	}
	return h, nil
}

// emptyAdjustments is the column of an invoice without any: most of them,
// written without an encoding per create.
var emptyAdjustments = []byte("[]")

func adjustmentsJSON(as []billing.Adjustment) ([]byte, error) {
	if len(as) == 0 {
		return emptyAdjustments, nil
	}
	out := make([]adjustment, len(as))
	for i, a := range as {
		out[i] = adjustment(a)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encoding document-level amounts: %w", err)
	}
	return b, nil
}

// adjustmentsColumn reads what adjustmentsJSON wrote; the column's check
// keeps it an array, and only the service writes it.
func adjustmentsColumn(b []byte) []billing.Adjustment {
	if len(b) <= 2 { // "[]"
		return nil
	}
	var in []adjustment
	if err := json.Unmarshal(b, &in); err != nil || len(in) == 0 {
		return nil
	}
	out := make([]billing.Adjustment, len(in))
	for i, a := range in {
		out[i] = billing.Adjustment{Concepto: a.Concepto, Valor: a.Valor.Rescale(2)}
	}
	return out
}

// summaries maps a page of either list query (the same columns).
// The payment state is judged on today.
func summaries[R db.ListInvoicesRow | db.ListInvoicesByStatusRow | db.ListInvoicesFilteredRow](rows []R, today billing.Date) []billing.InvoiceSummary {
	out := make([]billing.InvoiceSummary, len(rows))
	dues := make([]billing.Date, len(rows)) // one allocation for the page's due dates
	for i, row := range rows {
		r := db.ListInvoicesRow(row)
		var due *billing.Date
		if r.FechaVencimiento != nil {
			dues[i] = billing.DateFromTime(*r.FechaVencimiento)
			due = &dues[i]
		}
		out[i] = billing.InvoiceSummary{
			ID:                  r.ID,
			Numero:              r.Numero, // "" for none: the list queries write NULL so, a string scan instead of a pointer per row
			Status:              billing.InvoiceStatus(r.Status),
			CustomerID:          r.CustomerID,
			CustomerRazonSocial: r.CustomerRazonSocial,
			CustomerNit:         r.CustomerNit,
			ItemCount:           int(r.ItemCount),
			Subtotal:            r.Subtotal,
			Impuestos:           r.Impuestos,
			Total:               r.Total,
			Saldo:               r.Saldo,
			EstadoPago:          billing.PaymentStatusOf(billing.InvoiceStatus(r.Status), r.Saldo, r.Pagado, due, today),
			FechaVencimiento:    due,
			IssuedAt:            r.IssuedAt,
			CancelledAt:         r.CancelledAt,
			CreatedAt:           r.CreatedAt,
			UpdatedAt:           r.UpdatedAt,
		}
	}
	return out
}

// lineColumns spreads lines into one array per column, as the statements
// that write lines take them; an empty product id means "no product".
func lineColumns(tenant, invoice uuid.UUID, lines []billing.InvoiceLine) db.InsertInvoiceItemsParams {
	p := db.InsertInvoiceItemsParams{TenantID: tenant, InvoiceID: invoice}
	for _, l := range lines {
		product := ""
		if l.ProductID != nil {
			product = l.ProductID.String()
		}
		pct := money.New(0, -2)
		if l.Descuento != nil {
			pct = *l.Descuento
		}
		p.Ids = append(p.Ids, l.ID)
		p.Descuentos = append(p.Descuentos, pct)
		p.ValoresDescuento = append(p.ValoresDescuento, l.ValorDescuento)
		p.ProductServiceIds = append(p.ProductServiceIds, product)
		p.Descripciones = append(p.Descripciones, l.Descripcion)
		p.Cantidades = append(p.Cantidades, l.Cantidad)
		p.ValoresUnitarios = append(p.ValoresUnitarios, l.ValorUnitario)
		p.Impuestos = append(p.Impuestos, l.Impuesto)
		p.Tributos = append(p.Tributos, schemeColumn(l.Tributo))
		p.Tratamientos = append(p.Tratamientos, treatmentColumn(l.Tratamiento))
		p.Subtotales = append(p.Subtotales, l.Subtotal)
	}
	return p
}

type taxArrays struct {
	tributos                []string
	tarifas, bases, valores []money.Decimal
}

func taxColumns(taxes []billing.TaxGroup) taxArrays {
	a := taxArrays{make([]string, len(taxes)), make([]money.Decimal, len(taxes)), make([]money.Decimal, len(taxes)), make([]money.Decimal, len(taxes))}
	for i, g := range taxes {
		a.tributos[i], a.tarifas[i], a.bases[i], a.valores[i] = schemeColumn(g.Tributo), g.Tarifa, g.Base, g.Valor
	}
	return a
}

// nullIfEmpty writes an optional text ("" for none) as its nullable column
// holds it: an e-invoicing tenant's draft has no numero, a note range no
// technical key.
func nullIfEmpty(n string) *string {
	if n == "" {
		return nil
	}
	return &n
}

// Invoice reads an invoice whole inside the transaction (after LockInvoice
// locked it): the issue under a resolution builds its document from it.
func (tx *Tx) Invoice(ctx context.Context, id uuid.UUID) (billing.Invoice, error) {
	rows, err := tx.q.GetInvoiceDetail(ctx, db.GetInvoiceDetailParams{TenantID: tx.tenant, ID: id})
	if err != nil {
		return billing.Invoice{}, fmt.Errorf("loading invoice: %w", err)
	}
	return invoiceDetail(rows)
}

// textOf is a nullable text column's value, "" for NULL.
func textOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
