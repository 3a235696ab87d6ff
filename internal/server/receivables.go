package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"billing/gen/api"
	"billing/internal/billing"
	"billing/internal/ledger"
)

// CreatePayment records a payment against an ISSUED invoice.
func (s *Server) CreatePayment(ctx context.Context, req api.CreatePaymentRequestObject) (api.CreatePaymentResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	np := billing.NewPayment{Valor: b.Valor, Fecha: billing.DateFromTime(b.Fecha.Time), Referencia: b.Referencia}
	if b.MedioPago != nil {
		np.MedioPago = string(*b.MedioPago)
	}
	p, err := s.ledger.RecordPayment(ctx, a, req.ID, np, once(ctx, http.StatusCreated, func(p billing.Payment) any { return toAPIPayment(p) }))
	if err != nil {
		return nil, fmt.Errorf("recording payment: %w", inBody(err))
	}
	return api.CreatePayment201JSONResponse{Body: toAPIPayment(p)}, nil
}

// ListInvoicePayments lists an invoice's payments, reversed ones included.
func (s *Server) ListInvoicePayments(ctx context.Context, req api.ListInvoicePaymentsRequestObject) (api.ListInvoicePaymentsResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.ledger.InvoicePayments(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("listing payments: %w", err)
	}
	out := make(api.ListInvoicePayments200JSONResponse, len(ps))
	for i, p := range ps {
		out[i] = toAPIPayment(p)
	}
	return out, nil
}

// ReversePayment reverses a payment.
func (s *Server) ReversePayment(ctx context.Context, req api.ReversePaymentRequestObject) (api.ReversePaymentResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.ledger.ReversePayment(ctx, a, req.ID, req.Body.Motivo)
	if err != nil {
		return nil, fmt.Errorf("reversing payment: %w", inBody(err))
	}
	return api.ReversePayment200JSONResponse(toAPIPayment(p)), nil
}

// CreateCreditNote issues a credit note against an ISSUED electronic invoice.
func (s *Server) CreateCreditNote(ctx context.Context, req api.CreateCreditNoteRequestObject) (api.CreateCreditNoteResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	r := ledger.CreditNoteRequest{Concepto: billing.CreditConcept(b.Concepto), Motivo: b.Motivo}
	if b.Lineas != nil {
		for _, l := range *b.Lineas {
			r.Lineas = append(r.Lineas, billing.CreditRequest{ItemID: l.ItemID, Cantidad: l.Cantidad, Valor: l.Valor})
		}
	}
	n, err := s.ledger.CreateCreditNote(ctx, a, req.ID, r, once(ctx, http.StatusCreated, func(d billing.CreditNoteDocument) any { return toAPICreditNote(d) }))
	if err != nil {
		return nil, fmt.Errorf("issuing credit note: %w", inBody(err))
	}
	return api.CreateCreditNote201JSONResponse{Body: toAPICreditNote(n)}, nil
}

// ListInvoiceCreditNotes lists an invoice's credit notes.
func (s *Server) ListInvoiceCreditNotes(ctx context.Context, req api.ListInvoiceCreditNotesRequestObject) (api.ListInvoiceCreditNotesResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ns, err := s.ledger.InvoiceCreditNotes(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("listing credit notes: %w", err)
	}
	out := make(api.ListInvoiceCreditNotes200JSONResponse, len(ns))
	for i, n := range ns {
		out[i] = toAPICreditNote(n)
	}
	return out, nil
}

// ListCreditNotes answers one page of the tenant's credit notes, newest first.
func (s *Server) ListCreditNotes(ctx context.Context, req api.ListCreditNotesRequestObject) (api.ListCreditNotesResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	after, err := decodeCursor("credit-notes", req.Params.Cursor, firstByNewest)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(req.Params.Limit)
	at, err := time.Parse(time.RFC3339Nano, after.Key)
	if err != nil {
		return nil, errInvalidCursor
	}
	rows, err := s.ledger.CreditNotes(ctx, a, at, after.ID, limit+1)
	if err != nil {
		return nil, fmt.Errorf("listing credit notes: %w", err)
	}
	rows, next := page(rows, limit, func(d billing.CreditNoteDocument) cursor {
		return cursor{List: "credit-notes", Key: d.Note.CreatedAt.UTC().Format(time.RFC3339Nano), ID: d.Note.ID}
	})
	out := api.ListCreditNotes200JSONResponse{Body: make([]api.CreditNote, len(rows))}
	for i, d := range rows {
		out.Body[i] = toAPICreditNote(d)
	}
	if next != nil {
		out.Headers.Link = nextLink("/billing/credit-notes", queryOf("limit", strconv.Itoa(limit)), *next)
	}
	return out, nil
}

// GetCreditNote answers one credit note.
func (s *Server) GetCreditNote(ctx context.Context, req api.GetCreditNoteRequestObject) (api.GetCreditNoteResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.ledger.CreditNote(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("loading credit note: %w", err)
	}
	out := toAPICreditNote(d)
	if d.EInvoice != nil {
		e := toAPIEInvoice(*d.EInvoice)
		out.Einvoice = &e
	}
	return api.GetCreditNote200JSONResponse(out), nil
}

// GetCreditNoteXML serves the credit note's UBL document as stored.
func (s *Server) GetCreditNoteXML(ctx context.Context, req api.GetCreditNoteXMLRequestObject) (api.GetCreditNoteXMLResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	_, doc, err := s.ledger.CreditNoteXML(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("loading credit note document: %w", err)
	}
	return api.GetCreditNoteXML200ApplicationXMLResponse{Body: bytes.NewReader(doc), ContentLength: int64(len(doc))}, nil
}

// GetCreditNotePdf serves the printed credit note.
func (s *Server) GetCreditNotePdf(ctx context.Context, req api.GetCreditNotePdfRequestObject) (api.GetCreditNotePdfResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	doc, err := s.ledger.CreditNotePDF(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("rendering credit note: %w", err)
	}
	return api.GetCreditNotePdf200ApplicationPdfResponse{Body: bytes.NewReader(doc), ContentLength: int64(len(doc))}, nil
}

// GetReceivables answers one page of the customers' open balances by age,
// with the whole tenant's.
func (s *Server) GetReceivables(ctx context.Context, req api.GetReceivablesRequestObject) (api.GetReceivablesResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	after, err := decodeCursor("receivables", req.Params.Cursor, firstByName)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(req.Params.Limit)
	today, rows, total, err := s.ledger.Receivables(ctx, a, billing.ReceivablesPage{AfterRazonSocial: after.Key, AfterID: after.ID, Limit: limit + 1})
	if err != nil {
		return nil, fmt.Errorf("reading receivables: %w", err)
	}
	rows, next := page(rows, limit, func(r billing.CustomerReceivable) cursor {
		return cursor{List: "receivables", Key: r.RazonSocial, ID: r.CustomerID}
	})
	body := api.Receivables{Fecha: openapi_types.Date{Time: today.Time()},
		Clientes: make([]api.CustomerReceivable, len(rows)), Totales: toAPIBuckets(total)}
	for i, r := range rows {
		b := toAPIBuckets(r.AgingBuckets)
		body.Clientes[i] = api.CustomerReceivable{CustomerID: r.CustomerID, RazonSocial: r.RazonSocial,
			NoVencido: b.NoVencido, D130: b.D130, D3160: b.D3160, D6190: b.D6190, Mas90: b.Mas90, Total: b.Total}
	}
	out := api.GetReceivables200JSONResponse{Body: body}
	if next != nil {
		out.Headers.Link = nextLink("/billing/receivables", queryOf("limit", strconv.Itoa(limit)), *next)
	}
	return out, nil
}

func toAPIBuckets(b billing.AgingBuckets) api.AgingBuckets {
	return api.AgingBuckets{NoVencido: cents(b.NoVencido), D130: cents(b.D1_30), D3160: cents(b.D31_60),
		D6190: cents(b.D61_90), Mas90: cents(b.Mas90), Total: cents(b.Total)}
}

func toAPIPayment(p billing.Payment) api.Payment {
	out := api.Payment{ID: p.ID, InvoiceID: p.InvoiceID, Valor: cents(p.Valor), Fecha: openapi_types.Date{Time: p.Fecha.Time()},
		MedioPago: api.MedioPago(p.MedioPago), Referencia: p.Referencia, Actor: p.Actor, CreatedAt: p.CreatedAt}
	if r := p.Reversal; r != nil {
		at, motivo, by := r.At.In(billing.Colombia), r.Motivo, r.Actor
		out.Reversado, out.ReversadoEn, out.MotivoReverso, out.ReversadoPor = true, &at, &motivo, &by
	}
	return out
}

func toAPICreditNote(d billing.CreditNoteDocument) api.CreditNote {
	n := d.Note
	fecha, _ := billing.ParseDate(n.IssueDate) // written by the issue itself
	out := api.CreditNote{ID: n.ID, Numero: n.Numero, Concepto: api.CreditConcept(n.Concepto), Motivo: n.Motivo,
		Cude: n.CUDE, Qr: n.QR, Fecha: openapi_types.Date{Time: fecha.Time()}, InvoiceID: n.InvoiceID,
		Lineas: make([]api.CreditNoteLine, len(n.Lines)), Subtotal: cents(n.Subtotal), Impuestos: cents(n.Impuestos),
		ImpuestosDetalle: make([]api.TaxDetail, len(n.Taxes)), TotalDescuentos: cents(n.TotalDescuentos),
		TotalCargos: cents(n.TotalCargos), Total: cents(n.Total), Actor: n.Actor, CreatedAt: n.CreatedAt}
	for i, l := range n.Lines {
		out.Lineas[i] = api.CreditNoteLine{ItemID: l.ItemID, Descripcion: l.Descripcion, Cantidad: thousandths(l.Cantidad),
			ValorUnitario: cents(l.ValorUnitario), Impuesto: cents(l.Impuesto), Tributo: api.Tributo(l.Tributo),
			Tratamiento: api.Tratamiento(l.Tratamiento), Subtotal: cents(l.Subtotal)}
	}
	for i, g := range n.Taxes {
		out.ImpuestosDetalle[i] = api.TaxDetail{Tributo: api.Tributo(g.Tributo), Tarifa: cents(g.Tarifa), Base: cents(g.Base), Valor: cents(g.Valor)}
	}
	return out
}
