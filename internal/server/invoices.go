package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/oapi-codegen/nullable"

	"billing/gen/api"
	"billing/internal/billing"
	"billing/internal/ledger"
)

// ListInvoices answers one page of the tenant's invoices, newest first,
// optionally of one status.
func (s *Server) ListInvoices(ctx context.Context, req api.ListInvoicesRequestObject) (api.ListInvoicesResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	after, err := decodeCursor("invoices", req.Params.Cursor, firstByNewest)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(req.Params.Limit)
	at, err := time.Parse(time.RFC3339Nano, after.Key)
	if err != nil {
		return nil, errInvalidCursor
	}
	var status billing.InvoiceStatus
	if req.Params.Status != nil {
		status = billing.InvoiceStatus(*req.Params.Status)
	}
	var estado billing.PaymentStatus
	if req.Params.EstadoPago != nil {
		estado = billing.PaymentStatus(*req.Params.EstadoPago)
	}
	rows, err := s.ledger.Invoices(ctx, a, billing.InvoicePage{Status: status, EstadoPago: estado, CustomerID: req.Params.CustomerID,
		BeforeCreatedAt: at, BeforeID: after.ID, Limit: limit + 1})
	if err != nil {
		return nil, fmt.Errorf("listing invoices: %w", err)
	}
	rows, next := page(rows, limit, func(r billing.InvoiceSummary) cursor {
		return cursor{List: "invoices", Key: r.CreatedAt.UTC().Format(time.RFC3339Nano), ID: r.ID}
	})
	out := invoicePage{Body: make([]api.InvoiceSummary, len(rows))}
	for i := range rows {
		r := &rows[i] // pointers into the page's own rows: no allocation per row
		out.Body[i] = api.InvoiceSummary{
			ID:               r.ID,
			Numero:           nonEmpty(&r.Numero),
			Status:           api.InvoiceStatus(r.Status),
			CustomerID:       r.CustomerID,
			Customer:         api.CustomerRef{ID: r.CustomerID, RazonSocial: r.CustomerRazonSocial, Nit: r.CustomerNit},
			ItemCount:        r.ItemCount,
			Subtotal:         cents(r.Subtotal),
			Impuestos:        cents(r.Impuestos),
			Total:            cents(r.Total),
			Saldo:            cents(r.Saldo),
			EstadoPago:       estadoPago(&r.EstadoPago),
			FechaVencimiento: toAPIDate(r.FechaVencimiento),
			IssuedAt:         colombian(r.IssuedAt),
			CancelledAt:      r.CancelledAt,
			CreatedAt:        r.CreatedAt,
			UpdatedAt:        r.UpdatedAt,
		}
	}
	if next != nil {
		customer := ""
		if req.Params.CustomerID != nil {
			customer = req.Params.CustomerID.String()
		}
		out.Headers.Link = nextLink("/billing/invoices", queryOf("status", string(status), "estadoPago", string(estado),
			"customerId", customer, "limit", strconv.Itoa(limit)), *next)
	}
	return out, nil
}

// CreateInvoice writes a DRAFT invoice.
func (s *Server) CreateInvoice(ctx context.Context, req api.CreateInvoiceRequestObject) (api.CreateInvoiceResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	today := s.ledger.Today()
	inv, err := s.ledger.CreateInvoice(ctx, a, toDraft(*req.Body), once(ctx, http.StatusCreated, func(inv billing.Invoice) any { return toAPIInvoice(inv, today) }))
	if err != nil {
		return nil, fmt.Errorf("creating invoice: %w", inBody(err))
	}
	return invoiceCreated{api.CreateInvoice201JSONResponse{Body: toAPIInvoice(inv, today)}}, nil
}

// GetInvoice answers the invoice with its lines, tax breakdown and the
// complete customer record.
func (s *Server) GetInvoice(ctx context.Context, req api.GetInvoiceRequestObject) (api.GetInvoiceResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := s.ledger.Invoice(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("loading invoice: %w", err)
	}
	return invoiceFound(toAPIInvoiceDetail(inv, s.ledger.Today())), nil
}

// ReplaceInvoice edits a DRAFT: new customer, numero and lines.
func (s *Server) ReplaceInvoice(ctx context.Context, req api.ReplaceInvoiceRequestObject) (api.ReplaceInvoiceResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := s.ledger.ReplaceDraft(ctx, a, req.ID, toDraft(*req.Body))
	if err != nil {
		return nil, fmt.Errorf("replacing invoice: %w", inBody(err))
	}
	return api.ReplaceInvoice200JSONResponse(toAPIInvoice(inv, s.ledger.Today())), nil
}

// UpdateInvoiceStatus moves an invoice along its lifecycle.
func (s *Server) UpdateInvoiceStatus(ctx context.Context, req api.UpdateInvoiceStatusRequestObject) (api.UpdateInvoiceStatusResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := s.ledger.ChangeInvoiceStatus(ctx, a, req.ID, billing.InvoiceStatus(req.Body.Status))
	if err != nil {
		return nil, fmt.Errorf("changing invoice status: %w", inBody(err))
	}
	return invoiceStatusChanged(toAPIInvoice(inv, s.ledger.Today())), nil
}

// GetInvoiceHistory lists the invoice's status events, oldest first.
func (s *Server) GetInvoiceHistory(ctx context.Context, req api.GetInvoiceHistoryRequestObject) (api.GetInvoiceHistoryResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	events, err := s.ledger.InvoiceHistory(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("loading invoice history: %w", err)
	}
	out := make(api.GetInvoiceHistory200JSONResponse, len(events))
	for i, e := range events {
		out[i] = api.InvoiceEvent{To: api.InvoiceStatus(e.To), Actor: e.Actor, At: e.At}
		if n := e.CreditNote; n != nil {
			out[i].NotaCredito = &api.CreditNoteRef{ID: n.ID, Numero: n.Numero}
		}
		if m := e.Mail; m != nil {
			out[i].Correo = &api.InvoiceMail{ID: m.ID, Email: m.Email}
		}
		if c := e.Correction; c != nil {
			out[i].Correccion = &api.InvoiceCorrection{Version: c.Version, Cufe: c.CUFE, Reglas: toAPIRules(c.Reglas)}
		}
		if e.From != nil {
			from := api.InvoiceStatus(*e.From)
			out[i].From = &from
		}
	}
	return out, nil
}

// toDraft reads a create or edit body; the client's subtotal, impuestos and
// total are ignored, as the contract says.
func toDraft(b api.CreateInvoice) ledger.Draft {
	d := ledger.Draft{CustomerID: b.CustomerID, Numero: b.Numero, Lines: make([]ledger.DraftLine, len(b.Items)),
		FormaPago: (*billing.PaymentForm)(b.FormaPago), DiasCredito: b.DiasCredito, MedioPago: (*string)(b.MedioPago),
		Descuentos: fromAPIAdjustments(b.Descuentos), Cargos: fromAPIAdjustments(b.Cargos)}
	for i, it := range b.Items {
		d.Lines[i] = ledger.DraftLine{ProductID: it.ProductServiceID, Descripcion: it.Descripcion,
			Cantidad: it.Cantidad, ValorUnitario: it.ValorUnitario, Impuesto: it.Impuesto,
			Tributo: (*billing.TaxScheme)(it.Tributo), Tratamiento: (*billing.TaxTreatment)(it.Tratamiento),
			Descuento: it.Descuento, DescuentoValor: it.DescuentoValor}
	}
	return d
}

func fromAPIAdjustments(as *[]api.Adjustment) []billing.Adjustment {
	if as == nil {
		return nil
	}
	out := make([]billing.Adjustment, len(*as))
	for i, a := range *as {
		out[i] = billing.Adjustment{Concepto: a.Concepto, Valor: a.Valor}
	}
	return out
}

func toAPIAdjustments(as []billing.Adjustment) []api.Adjustment {
	out := make([]api.Adjustment, len(as))
	for i, a := range as {
		out[i] = api.Adjustment{Concepto: a.Concepto, Valor: cents(a.Valor)}
	}
	return out
}

// estadoPago is a payment state the API leaves out when empty (an invoice
// that is not ISSUED).
func estadoPago(p *billing.PaymentStatus) *api.EstadoPago {
	if *p == "" {
		return nil
	}
	return (*api.EstadoPago)(p)
}

// toAPIInvoice maps an invoice with its customer as a reference; the tax
// breakdown is the one stored with it, the payment state judged on today.
func toAPIInvoice(inv billing.Invoice, today billing.Date) api.Invoice {
	terms := inv.Terms
	if terms.Forma == "" {
		terms = billing.DefaultPaymentTerms
	}
	estado := inv.EstadoPago(today)
	out := api.Invoice{
		ID:               inv.ID,
		Numero:           nonEmpty(&inv.Numero),
		Status:           api.InvoiceStatus(inv.Status),
		CustomerID:       inv.Customer.ID,
		Customer:         api.CustomerRef{ID: inv.Customer.ID, RazonSocial: inv.Customer.RazonSocial, Nit: inv.Customer.Nit},
		Items:            make([]api.InvoiceItem, len(inv.Lines)),
		Subtotal:         cents(inv.Subtotal),
		Impuestos:        cents(inv.Impuestos),
		Total:            cents(inv.Total),
		ImpuestosDetalle: make([]api.TaxDetail, len(inv.Taxes)),
		FormaPago:        api.FormaPago(terms.Forma),
		MedioPago:        api.MedioPago(terms.MedioPago),
		FechaVencimiento: toAPIDate(inv.FechaVencimiento),
		Cargos:           toAPIAdjustments(inv.Cargos),
		Descuentos:       toAPIAdjustments(inv.Descuentos),
		TotalCargos:      cents(inv.TotalCargos),
		TotalDescuentos:  cents(inv.TotalDescuentos),
		Pagado:           cents(inv.Pagado),
		Acreditado:       cents(inv.Acreditado),
		Saldo:            cents(inv.Saldo()),
		EstadoPago:       estadoPago(&estado),
		IssuedAt:         colombian(inv.IssuedAt),
		CancelledAt:      inv.CancelledAt,
		CreatedAt:        inv.CreatedAt,
		UpdatedAt:        inv.UpdatedAt,
	}
	if terms.Forma == billing.Credito {
		days := terms.DiasCredito
		out.DiasCredito = &days
	}
	for i, l := range inv.Lines {
		out.Items[i] = api.InvoiceItem{
			ID:                 l.ID,
			ProductServiceID:   l.ProductID,
			Descripcion:        l.Descripcion,
			Cantidad:           thousandths(l.Cantidad),
			ValorUnitario:      cents(l.ValorUnitario),
			Impuesto:           cents(l.Impuesto),
			Tributo:            api.Tributo(l.Tributo),
			Tratamiento:        api.Tratamiento(l.Tratamiento),
			Descuento:          l.Descuento,
			ValorBruto:         cents(l.ValorBruto),
			ValorDescuento:     cents(l.ValorDescuento),
			Subtotal:           cents(l.Subtotal),
			CantidadAcreditada: thousandths(l.CantidadAcreditada),
			ValorAcreditado:    cents(l.ValorAcreditado),
		}
	}
	for i, g := range inv.Taxes {
		out.ImpuestosDetalle[i] = api.TaxDetail{Tributo: api.Tributo(g.Tributo), Tarifa: cents(g.Tarifa), Base: cents(g.Base), Valor: cents(g.Valor)}
	}
	out.Cufe, out.Qr = nullable.NewNullNullable[string](), nullable.NewNullNullable[string]()
	if st := inv.Stamp; st != nil {
		out.Cufe, out.Qr = nullable.NewNullableWithValue(st.CUFE), nullable.NewNullableWithValue(st.QR)
	}
	return out
}

// nonEmpty is a text the API leaves out when empty.
func nonEmpty(s *string) *string {
	if *s == "" {
		return nil
	}
	return s
}

// colombian writes an issue instant in Colombia's offset (-05:00), as the
// electronic invoice's IssueDate and IssueTime are, so that the date a
// client reads off issuedAt is the invoice's fiscal date. It sets the zone
// in place (the instant is unchanged) rather than allocate a copy per row.
func colombian(t *time.Time) *time.Time {
	if t != nil {
		*t = t.In(billing.Colombia)
	}
	return t
}

// toAPIInvoiceDetail writes an invoice read whole, with its customer's
// record and where it stands with DIAN.
func toAPIInvoiceDetail(inv billing.Invoice, today billing.Date) api.InvoiceDetail {
	v := toAPIInvoice(inv, today)
	var einvoice *api.EInvoiceStatus
	if inv.EInvoice != nil {
		e := toAPIEInvoice(*inv.EInvoice)
		einvoice = &e
	}
	return api.InvoiceDetail{Einvoice: einvoice,
		ID: v.ID, Numero: v.Numero, Status: v.Status, CustomerID: v.CustomerID,
		Customer: toAPICustomer(inv.Customer),
		Items:    v.Items, Subtotal: v.Subtotal, Impuestos: v.Impuestos, Total: v.Total,
		ImpuestosDetalle: v.ImpuestosDetalle, Cufe: v.Cufe, Qr: v.Qr,
		FormaPago: v.FormaPago, DiasCredito: v.DiasCredito, MedioPago: v.MedioPago, FechaVencimiento: v.FechaVencimiento,
		Cargos: v.Cargos, Descuentos: v.Descuentos, TotalCargos: v.TotalCargos, TotalDescuentos: v.TotalDescuentos,
		Pagado: v.Pagado, Acreditado: v.Acreditado, Saldo: v.Saldo, EstadoPago: v.EstadoPago,
		IssuedAt: v.IssuedAt, CancelledAt: v.CancelledAt, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
}
