package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/store"
)

// Invoice rules that the schema alone cannot say.
const maxNumeroLen = 40

// ListInvoices answers one page of the tenant's invoices, newest first,
// optionally of one status.
func (s *Server) ListInvoices(ctx context.Context, req api.ListInvoicesRequestObject) (api.ListInvoicesResponseObject, error) {
	p, err := principal(ctx)
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
	params := db.ListInvoicesParams{TenantID: p.TenantID, AfterCreatedAt: at, AfterID: after.ID, MaxRows: int32(limit + 1)}
	status := ""
	if req.Params.Status != nil {
		status = string(*req.Params.Status)
	}
	var out invoicePage
	err = s.store.Read(ctx, p.TenantID, func(q *db.Queries) error {
		if status == "" {
			rows, err := q.ListInvoices(ctx, params)
			out = summaryPage(rows, limit, status)
			return err
		}
		rows, err := q.ListInvoicesByStatus(ctx, db.ListInvoicesByStatusParams{TenantID: params.TenantID, Status: status,
			AfterCreatedAt: params.AfterCreatedAt, AfterID: params.AfterID, MaxRows: params.MaxRows})
		out = summaryPage(rows, limit, status)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing invoices: %w", err)
	}
	return out, nil
}

// summaryPage maps one page of either list query (the same columns) to the
// answer, with the next page's link when there is one.
func summaryPage[R db.ListInvoicesRow | db.ListInvoicesByStatusRow](rows []R, limit int, status string) invoicePage {
	rows, next := page(rows, limit, func(row R) cursor {
		r := db.ListInvoicesRow(row)
		return cursor{List: "invoices", Key: r.CreatedAt.UTC().Format(time.RFC3339Nano), ID: r.ID}
	})
	out := invoicePage{Body: make([]api.InvoiceSummary, len(rows))}
	for i, row := range rows {
		r := db.ListInvoicesRow(row)
		out.Body[i] = api.InvoiceSummary{
			Id:          r.ID,
			Numero:      r.Numero,
			Status:      api.InvoiceStatus(r.Status),
			CustomerId:  r.CustomerID,
			Customer:    api.CustomerRef{Id: r.CustomerID, RazonSocial: r.CustomerRazonSocial, Nit: r.CustomerNit},
			ItemCount:   int(r.ItemCount),
			Subtotal:    cents(r.Subtotal),
			Impuestos:   cents(r.Impuestos),
			Total:       cents(r.Total),
			IssuedAt:    r.IssuedAt,
			CancelledAt: r.CancelledAt,
			CreatedAt:   r.CreatedAt,
			UpdatedAt:   r.UpdatedAt,
		}
	}
	if next != nil {
		out.Headers.Link = nextLink("/billing/invoices", queryOf("status", status, "limit", strconv.Itoa(limit)), *next)
	}
	return out
}

// CreateInvoice writes a DRAFT invoice, its lines and its creation event in
// one transaction.
func (s *Server) CreateInvoice(ctx context.Context, req api.CreateInvoiceRequestObject) (api.CreateInvoiceResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkInvoiceBody(*req.Body); err != nil {
		return nil, err
	}
	id := uuid.Must(uuid.NewV7())
	var out api.Invoice
	err = s.store.InTx(ctx, p.TenantID, func(q *db.Queries) error {
		save, err := claimIdempotencyKey(ctx, q, p.TenantID)
		if err != nil {
			return err
		}
		d, err := resolveInvoice(ctx, q, p.TenantID, id, *req.Body)
		if err != nil {
			return err
		}
		// The invoice, its lines, its creation event and the dashboard's
		// figures (billing.InvoiceChange of a new draft: one more
		// facturas_borrador): one statement.
		lines := itemColumns(d.items)
		row, err := q.CreateInvoice(ctx, db.CreateInvoiceParams{
			TenantID: p.TenantID, ID: id, CustomerID: d.customer.ID, Numero: d.numero,
			Subtotal: d.totals.Subtotal, Impuestos: d.totals.Impuestos, Total: d.totals.Total,
			LineProductIds: lines.ProductServiceIds, LineDescripciones: lines.Descripciones, LineCantidades: lines.Cantidades,
			LineValoresUnitarios: lines.ValoresUnitarios, LineImpuestos: lines.Impuestos, LineSubtotales: lines.Subtotales,
			Actor: p.Subject, FiguresSlot: store.FiguresSlot(),
		})
		if err != nil {
			return err
		}
		inv := db.Invoice(row)
		out = toAPIInvoice(inv, customerRef(d.customer), d.items)
		return save(http.StatusCreated, out)
	})
	if err != nil {
		return nil, fmt.Errorf("creating invoice: %w", err)
	}
	return api.CreateInvoice201JSONResponse{Body: out}, nil
}

// GetInvoice answers the invoice with its lines, tax breakdown and the
// complete customer record.
func (s *Server) GetInvoice(ctx context.Context, req api.GetInvoiceRequestObject) (api.GetInvoiceResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var rows []db.GetInvoiceDetailRow
	err = s.store.Read(ctx, p.TenantID, func(q *db.Queries) error {
		var err error
		rows, err = q.GetInvoiceDetail(ctx, db.GetInvoiceDetailParams{TenantID: p.TenantID, ID: req.Id})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("loading invoice: %w", err)
	}
	if len(rows) == 0 {
		return nil, billing.ErrInvoiceNotFound
	}
	invoice, customer, items := splitDetail(rows)
	inv := toAPIInvoice(invoice, api.CustomerRef{}, items)
	return api.GetInvoice200JSONResponse{
		Id: inv.Id, Numero: inv.Numero, Status: inv.Status, CustomerId: inv.CustomerId,
		Customer: toAPICustomer(customer),
		Items:    inv.Items, Subtotal: inv.Subtotal, Impuestos: inv.Impuestos, Total: inv.Total,
		ImpuestosDetalle: inv.ImpuestosDetalle, IssuedAt: inv.IssuedAt, CancelledAt: inv.CancelledAt,
		CreatedAt: inv.CreatedAt, UpdatedAt: inv.UpdatedAt,
	}, nil
}

// ReplaceInvoice edits a DRAFT: new customer, numero and lines, totals
// recomputed, all in one transaction with the invoice row locked.
func (s *Server) ReplaceInvoice(ctx context.Context, req api.ReplaceInvoiceRequestObject) (api.ReplaceInvoiceResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkInvoiceBody(*req.Body); err != nil {
		return nil, err
	}
	var out api.Invoice
	err = s.store.InTx(ctx, p.TenantID, func(q *db.Queries) error {
		cur, err := q.GetInvoiceForUpdate(ctx, db.GetInvoiceForUpdateParams{TenantID: p.TenantID, ID: req.Id})
		if store.NoRows(err) {
			return billing.ErrInvoiceNotFound
		}
		if err != nil {
			return fmt.Errorf("locking invoice: %w", err)
		}
		if billing.Status(cur.Status) != billing.StatusDraft {
			return billing.ErrInvoiceNotDraft
		}
		d, err := resolveInvoice(ctx, q, p.TenantID, cur.ID, *req.Body)
		if err != nil {
			return err
		}
		inv, err := q.ReplaceInvoice(ctx, db.ReplaceInvoiceParams{
			TenantID: p.TenantID, ID: cur.ID, CustomerID: d.customer.ID, Numero: d.numero,
			Subtotal: d.totals.Subtotal, Impuestos: d.totals.Impuestos, Total: d.totals.Total, ItemCount: int32(len(d.items)),
		})
		if err != nil {
			return err
		}
		if err := q.DeleteInvoiceItems(ctx, db.DeleteInvoiceItemsParams{TenantID: p.TenantID, InvoiceID: cur.ID}); err != nil {
			return fmt.Errorf("removing old lines: %w", err)
		}
		if err := insertItems(ctx, q, d.items); err != nil {
			return fmt.Errorf("writing invoice lines: %w", err)
		}
		out = toAPIInvoice(inv, customerRef(d.customer), d.items)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replacing invoice: %w", err)
	}
	return api.ReplaceInvoice200JSONResponse(out), nil
}

// UpdateInvoiceStatus locks the invoice, asks the status machine, saves the
// change and records the event, in one transaction: concurrent changes queue
// on the row lock and each sees the status the previous one left.
func (s *Server) UpdateInvoiceStatus(ctx context.Context, req api.UpdateInvoiceStatusRequestObject) (api.UpdateInvoiceStatusResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	to := billing.Status(req.Body.Status)
	var out api.Invoice
	err = s.store.InTx(ctx, p.TenantID, func(q *db.Queries) error {
		cur, err := q.GetInvoiceForUpdate(ctx, db.GetInvoiceForUpdateParams{TenantID: p.TenantID, ID: req.Id})
		if store.NoRows(err) {
			return billing.ErrInvoiceNotFound
		}
		if err != nil {
			return fmt.Errorf("locking invoice: %w", err)
		}
		if err := billing.Transition(billing.Status(cur.Status), to); err != nil {
			return err
		}
		inv, err := q.SetInvoiceStatus(ctx, db.SetInvoiceStatusParams{TenantID: p.TenantID, ID: cur.ID, Status: string(to)})
		if err != nil {
			return err
		}
		from := cur.Status
		if err := q.InsertInvoiceEvent(ctx, db.InsertInvoiceEventParams{
			TenantID: p.TenantID, InvoiceID: cur.ID, FromStatus: &from, ToStatus: string(to), Actor: p.Subject,
		}); err != nil {
			return fmt.Errorf("recording status change: %w", err)
		}
		if err := store.AddFigures(ctx, q, p.TenantID, billing.InvoiceChange(billing.Status(from), to, inv.Total)); err != nil {
			return err
		}
		rows, err := q.GetInvoiceDetail(ctx, db.GetInvoiceDetailParams{TenantID: p.TenantID, ID: cur.ID})
		if err != nil {
			return fmt.Errorf("loading invoice: %w", err)
		}
		_, customer, items := splitDetail(rows)
		out = toAPIInvoice(inv, customerRef(customer), items)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("changing invoice status: %w", err)
	}
	return api.UpdateInvoiceStatus200JSONResponse(out), nil
}

// GetInvoiceHistory lists the invoice's status events, oldest first.
func (s *Server) GetInvoiceHistory(ctx context.Context, req api.GetInvoiceHistoryRequestObject) (api.GetInvoiceHistoryResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var events []db.InvoiceEvent
	err = s.store.Read(ctx, p.TenantID, func(q *db.Queries) error {
		var err error
		events, err = q.ListInvoiceEvents(ctx, db.ListInvoiceEventsParams{TenantID: p.TenantID, InvoiceID: req.Id})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("loading invoice history: %w", err)
	}
	// Every invoice has its creation event (written in the same transaction
	// as the invoice), so no events means no such invoice in this tenant:
	// one query instead of a lookup and then the events.
	if len(events) == 0 {
		return nil, billing.ErrInvoiceNotFound
	}
	out := make(api.GetInvoiceHistory200JSONResponse, len(events))
	for i, e := range events {
		out[i] = api.InvoiceEvent{To: api.InvoiceStatus(e.ToStatus), Actor: e.Actor, At: e.CreatedAt}
		if e.FromStatus != nil {
			from := api.InvoiceStatus(*e.FromStatus)
			out[i].From = &from
		}
	}
	return out, nil
}

// resolvedInvoice is a request body checked against the tenant's data, with
// every line filled in and the totals computed.
type resolvedInvoice struct {
	numero   string
	customer db.Customer
	items    []db.InvoiceItem
	totals   billing.Totals
}

// checkInvoiceBody applies the rules the schema cannot express: numero's
// trimmed length, exact decimal scales and ranges, and what a line without a
// product must carry. Every bad field is reported at once.
func checkInvoiceBody(b api.CreateInvoice) error {
	var checks []*billing.FieldError
	if n := strings.TrimSpace(b.Numero); n == "" || len([]rune(n)) > maxNumeroLen {
		checks = append(checks, &billing.FieldError{Field: "body.numero", Message: fmt.Sprintf("must have 1 to %d characters once trimmed", maxNumeroLen)})
	}
	for i, it := range b.Items {
		at := fmt.Sprintf("body.items.%d.", i)
		checks = append(checks, billing.CheckQuantity(at+"cantidad", it.Cantidad))
		if it.ValorUnitario != nil {
			checks = append(checks, billing.CheckPrice(at+"valorUnitario", *it.ValorUnitario))
		}
		if it.Impuesto != nil {
			checks = append(checks, billing.CheckRate(at+"impuesto", *it.Impuesto))
		}
		if it.Descripcion != nil {
			checks = append(checks, requiredText(at+"descripcion", *it.Descripcion))
		}
		if it.ProductServiceId == nil {
			if it.Descripcion == nil {
				checks = append(checks, &billing.FieldError{Field: at + "descripcion", Message: "is required when productServiceId is absent"})
			}
			if it.ValorUnitario == nil {
				checks = append(checks, &billing.FieldError{Field: at + "valorUnitario", Message: "is required when productServiceId is absent"})
			}
		}
	}
	return fieldErrors(checks...)
}

// resolveInvoice checks the body against the tenant's customers and products
// and computes the lines and totals. The customer is share-locked so it
// cannot be deleted before the invoice that references it is committed.
func resolveInvoice(ctx context.Context, q *db.Queries, tenant, invoiceID uuid.UUID, b api.CreateInvoice) (resolvedInvoice, error) {
	r := resolvedInvoice{numero: strings.TrimSpace(b.Numero)}
	customer, err := q.GetCustomerForInvoice(ctx, db.GetCustomerForInvoiceParams{TenantID: tenant, ID: b.CustomerId})
	if store.NoRows(err) {
		return r, billing.Invalid("customer_not_found", "The invoice's customer does not exist.",
			billing.FieldError{Field: "body.customerId", Message: "no such customer"})
	}
	if err != nil {
		return r, fmt.Errorf("loading customer: %w", err)
	}
	if customer.Status != string(api.ACTIVE) {
		return r, billing.Invalid("customer_inactive", "The invoice's customer is INACTIVE.",
			billing.FieldError{Field: "body.customerId", Message: "is INACTIVE"})
	}
	r.customer = customer

	products, err := loadProducts(ctx, q, tenant, b.Items)
	if err != nil {
		return r, err
	}
	lines := make([]billing.Line, len(b.Items))
	r.items = make([]db.InvoiceItem, len(b.Items))
	for i, it := range b.Items {
		item := db.InvoiceItem{TenantID: tenant, InvoiceID: invoiceID, Position: int32(i + 1), ProductServiceID: it.ProductServiceId}
		rate := billing.DefaultTaxRate
		if it.ProductServiceId != nil {
			prod := products[*it.ProductServiceId]
			at := fmt.Sprintf("body.items.%d.productServiceId", i)
			switch {
			case prod == nil:
				return r, billing.Invalid("product_not_found", "A line's product does not exist.", billing.FieldError{Field: at, Message: "no such product"})
			case !prod.Activo:
				return r, billing.Invalid("product_inactive", "A line's product is inactive.", billing.FieldError{Field: at, Message: "is inactive"})
			}
			item.Descripcion, item.ValorUnitario, rate = prod.Nombre, prod.Precio, prod.Impuesto
		}
		if it.Descripcion != nil {
			item.Descripcion = strings.TrimSpace(*it.Descripcion)
		}
		if it.ValorUnitario != nil {
			item.ValorUnitario = *it.ValorUnitario
		}
		if it.Impuesto != nil {
			rate = *it.Impuesto
		}
		// Written as the numeric columns will store them, so the answer to
		// this request reads exactly like every later GET.
		item.Cantidad, item.ValorUnitario, item.Impuesto = it.Cantidad.Rescale(3), item.ValorUnitario.Rescale(2), rate.Rescale(2)
		lines[i] = billing.Line{Cantidad: item.Cantidad, ValorUnitario: item.ValorUnitario, Impuesto: item.Impuesto}
		r.items[i] = item
	}
	if r.totals, err = billing.ComputeTotals(lines); err != nil {
		return r, err
	}
	for i := range r.items {
		r.items[i].Subtotal = r.totals.LineSubtotals[i]
	}
	return r, nil
}

// loadProducts fetches every product the lines reference, in one query.
func loadProducts(ctx context.Context, q *db.Queries, tenant uuid.UUID, items []api.InvoiceItemInput) (map[uuid.UUID]*db.Product, error) {
	var ids []uuid.UUID
	for _, it := range items {
		if it.ProductServiceId != nil {
			ids = append(ids, *it.ProductServiceId)
		}
	}
	found := map[uuid.UUID]*db.Product{}
	if len(ids) == 0 {
		return found, nil
	}
	rows, err := q.GetProductsByIDs(ctx, db.GetProductsByIDsParams{TenantID: tenant, Ids: ids})
	if err != nil {
		return nil, fmt.Errorf("loading products: %w", err)
	}
	for i := range rows {
		found[rows[i].ID] = &rows[i]
	}
	return found, nil
}

// insertItems writes an invoice's lines in one statement.
func insertItems(ctx context.Context, q *db.Queries, items []db.InvoiceItem) error {
	return q.InsertInvoiceItems(ctx, itemColumns(items))
}

// itemColumns spreads lines into one array per column, as the statements
// that write lines take them.
func itemColumns(items []db.InvoiceItem) db.InsertInvoiceItemsParams {
	p := db.InsertInvoiceItemsParams{TenantID: items[0].TenantID, InvoiceID: items[0].InvoiceID}
	for _, it := range items {
		product := ""
		if it.ProductServiceID != nil {
			product = it.ProductServiceID.String()
		}
		p.ProductServiceIds = append(p.ProductServiceIds, product)
		p.Descripciones = append(p.Descripciones, it.Descripcion)
		p.Cantidades = append(p.Cantidades, it.Cantidad)
		p.ValoresUnitarios = append(p.ValoresUnitarios, it.ValorUnitario)
		p.Impuestos = append(p.Impuestos, it.Impuesto)
		p.Subtotales = append(p.Subtotales, it.Subtotal)
	}
	return p
}

func customerRef(c db.Customer) api.CustomerRef {
	return api.CustomerRef{Id: c.ID, RazonSocial: c.RazonSocial, Nit: c.Nit}
}

// toAPIInvoice maps an invoice and its lines; the tax breakdown is derived
// from the lines with the same calculator that produced the stored totals.
func toAPIInvoice(inv db.Invoice, customer api.CustomerRef, items []db.InvoiceItem) api.Invoice {
	out := api.Invoice{
		Id:          inv.ID,
		Numero:      inv.Numero,
		Status:      api.InvoiceStatus(inv.Status),
		CustomerId:  inv.CustomerID,
		Customer:    customer,
		Items:       make([]api.InvoiceItem, len(items)),
		Subtotal:    cents(inv.Subtotal),
		Impuestos:   cents(inv.Impuestos),
		Total:       cents(inv.Total),
		IssuedAt:    inv.IssuedAt,
		CancelledAt: inv.CancelledAt,
		CreatedAt:   inv.CreatedAt,
		UpdatedAt:   inv.UpdatedAt,
	}
	lines := make([]billing.Line, len(items))
	for i, it := range items {
		out.Items[i] = api.InvoiceItem{
			ProductServiceId: it.ProductServiceID,
			Descripcion:      it.Descripcion,
			Cantidad:         thousandths(it.Cantidad),
			ValorUnitario:    cents(it.ValorUnitario),
			Impuesto:         cents(it.Impuesto),
			Subtotal:         cents(it.Subtotal),
		}
		lines[i] = billing.Line{Cantidad: it.Cantidad, ValorUnitario: it.ValorUnitario, Impuesto: it.Impuesto}
	}
	out.ImpuestosDetalle = []api.TaxDetail{}
	if t, err := billing.ComputeTotals(lines); err == nil {
		for _, g := range t.Taxes {
			out.ImpuestosDetalle = append(out.ImpuestosDetalle, api.TaxDetail{Tarifa: cents(g.Tarifa), Base: g.Base, Valor: g.Valor})
		}
	}
	return out
}

// splitDetail takes GetInvoiceDetail's rows (one per line, at least one)
// apart into the invoice, its customer and its lines.
func splitDetail(rows []db.GetInvoiceDetailRow) (db.Invoice, db.Customer, []db.InvoiceItem) {
	items := make([]db.InvoiceItem, len(rows))
	for i, r := range rows {
		items[i] = r.InvoiceItem
	}
	return rows[0].Invoice, rows[0].Customer, items
}
