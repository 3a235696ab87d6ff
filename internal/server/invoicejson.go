package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/oapi-codegen/nullable"

	"billing/gen/api"
)

// An invoice's answers (GetInvoice, CreateInvoice, UpdateInvoiceStatus,
// CreatePosInvoice) are written by appendInvoice into one buffer and sent
// as a jsonAnswer, as the page's are (pagejson.go): profiled under make bench, encoding/json was
// 15 % of GET /billing/invoices/{id}'s CPU and 9 % of a create's, most of it
// the Marshalers of amounts, ids and times, whose output it re-validates.
// The bytes are encoding/json's for the generated types:
// TestInvoiceJSONEveryField fills every field of api.Invoice and
// api.InvoiceDetail and compares.

// invoiceJSON is api.Invoice's encoding/json bytes with json.Encoder's
// newline.
func invoiceJSON(inv *api.Invoice) []byte {
	return append(appendInvoice(make([]byte, 0, 1024+400*len(inv.Items)), inv, nil, nil), '\n')
}

// invoiceDetailJSON is api.InvoiceDetail's: api.Invoice's fields with the
// whole customer and the electronic invoice's state. (toAPIInvoiceDetail
// builds the detail from an api.Invoice; this copies those fields back,
// a few dozen words and no allocation, so that one writer serves both.)
func invoiceDetailJSON(d *api.InvoiceDetail) []byte {
	inv := api.Invoice{
		Acreditado: d.Acreditado, CancelledAt: d.CancelledAt, Cargos: d.Cargos, CreatedAt: d.CreatedAt, Cufe: d.Cufe,
		CustomerID: d.CustomerID, Descuentos: d.Descuentos, DiasCredito: d.DiasCredito, EstadoPago: d.EstadoPago,
		FechaVencimiento: d.FechaVencimiento, FormaPago: d.FormaPago, ID: d.ID, Impuestos: d.Impuestos,
		ImpuestosDetalle: d.ImpuestosDetalle, IssuedAt: d.IssuedAt, Items: d.Items, MedioPago: d.MedioPago, Numero: d.Numero,
		Pagado: d.Pagado, Qr: d.Qr, Saldo: d.Saldo, Status: d.Status, Subtotal: d.Subtotal, Total: d.Total,
		TotalCargos: d.TotalCargos, TotalDescuentos: d.TotalDescuentos, UpdatedAt: d.UpdatedAt,
	}
	return append(appendInvoice(make([]byte, 0, 1500+400*len(d.Items)), &inv, &d.Customer, d.Einvoice), '\n')
}

// appendInvoice writes inv's fields in the generated struct's order (the
// JSON names' alphabetical order); a detail passes its whole customer,
// written instead of inv's reference, and its einvoice, written after
// diasCredito.
func appendInvoice(b []byte, inv *api.Invoice, customer *api.Customer, einvoice *api.EInvoiceStatus) []byte {
	b = append(b, `{"acreditado":`...)
	b = inv.Acreditado.AppendJSON(b)
	if inv.CancelledAt != nil {
		b = append(b, `,"cancelledAt":`...)
		b = appendTime(b, *inv.CancelledAt)
	}
	b = append(b, `,"cargos":`...)
	b = appendAdjustments(b, inv.Cargos)
	b = append(b, `,"createdAt":`...)
	b = appendTime(b, inv.CreatedAt)
	b = append(b, `,"cufe":`...)
	b = appendNullableString(b, inv.Cufe)
	b = append(b, `,"customer":`...)
	if customer != nil {
		b = appendCustomer(b, customer)
	} else {
		b = appendCustomerRef(b, &inv.Customer)
	}
	b = append(b, `,"customerId":`...)
	b = appendUUID(b, inv.CustomerID)
	b = append(b, `,"descuentos":`...)
	b = appendAdjustments(b, inv.Descuentos)
	if inv.DiasCredito != nil {
		b = append(b, `,"diasCredito":`...)
		b = appendInt(b, *inv.DiasCredito)
	}
	if einvoice != nil {
		b = append(b, `,"einvoice":`...)
		b = appendEInvoice(b, einvoice)
	}
	if inv.EstadoPago != nil {
		b = append(b, `,"estadoPago":`...)
		b = appendString(b, string(*inv.EstadoPago))
	}
	if inv.FechaVencimiento != nil {
		b = append(b, `,"fechaVencimiento":"`...)
		b = inv.FechaVencimiento.Time.AppendFormat(b, time.DateOnly)
		b = append(b, '"')
	}
	b = append(b, `,"formaPago":`...)
	b = appendString(b, string(inv.FormaPago))
	b = append(b, `,"id":`...)
	b = appendUUID(b, inv.ID)
	b = append(b, `,"impuestos":`...)
	b = inv.Impuestos.AppendJSON(b)
	b = append(b, `,"impuestosDetalle":`...)
	b = appendTaxDetails(b, inv.ImpuestosDetalle)
	if inv.IssuedAt != nil {
		b = append(b, `,"issuedAt":`...)
		b = appendTime(b, *inv.IssuedAt)
	}
	b = append(b, `,"items":`...)
	b = appendItems(b, inv.Items)
	b = append(b, `,"medioPago":`...)
	b = appendString(b, string(inv.MedioPago))
	if inv.Numero != nil {
		b = append(b, `,"numero":`...)
		b = appendString(b, *inv.Numero)
	}
	b = append(b, `,"pagado":`...)
	b = inv.Pagado.AppendJSON(b)
	b = append(b, `,"qr":`...)
	b = appendNullableString(b, inv.Qr)
	b = append(b, `,"saldo":`...)
	b = inv.Saldo.AppendJSON(b)
	b = append(b, `,"status":`...)
	b = appendString(b, string(inv.Status))
	b = append(b, `,"subtotal":`...)
	b = inv.Subtotal.AppendJSON(b)
	b = append(b, `,"total":`...)
	b = inv.Total.AppendJSON(b)
	b = append(b, `,"totalCargos":`...)
	b = inv.TotalCargos.AppendJSON(b)
	b = append(b, `,"totalDescuentos":`...)
	b = inv.TotalDescuentos.AppendJSON(b)
	b = append(b, `,"updatedAt":`...)
	b = appendTime(b, inv.UpdatedAt)
	return append(b, '}')
}

func appendCustomer(b []byte, c *api.Customer) []byte {
	b = append(b, `{"createdAt":`...)
	b = appendTime(b, c.CreatedAt)
	if c.Direccion != nil {
		b = append(b, `,"direccion":`...)
		b = appendString(b, *c.Direccion)
	}
	if c.Dv != nil {
		b = append(b, `,"dv":`...)
		b = appendInt(b, *c.Dv)
	}
	if c.Email != nil {
		b = append(b, `,"email":`...)
		b = appendString(b, *c.Email)
	}
	b = append(b, `,"id":`...)
	b = appendUUID(b, c.ID)
	b = append(b, `,"nit":`...)
	b = appendString(b, c.Nit)
	b = append(b, `,"razonSocial":`...)
	b = appendString(b, c.RazonSocial)
	b = append(b, `,"status":`...)
	b = appendString(b, string(c.Status))
	if c.Telefono != nil {
		b = append(b, `,"telefono":`...)
		b = appendString(b, *c.Telefono)
	}
	b = append(b, `,"tipoIdentificacion":`...)
	b = appendString(b, string(c.TipoIdentificacion))
	if c.TipoPersona != nil {
		b = append(b, `,"tipoPersona":`...)
		b = appendString(b, string(*c.TipoPersona))
	}
	b = append(b, `,"updatedAt":`...)
	b = appendTime(b, c.UpdatedAt)
	return append(b, '}')
}

// appendList writes a slice as encoding/json does: null when nil.
func appendList[T any](b []byte, items []T, one func([]byte, *T) []byte) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = one(b, &items[i])
	}
	return append(b, ']')
}

func appendAdjustments(b []byte, adj []api.Adjustment) []byte {
	return appendList(b, adj, func(b []byte, a *api.Adjustment) []byte {
		b = append(b, `{"concepto":`...)
		b = appendString(b, a.Concepto)
		b = append(b, `,"valor":`...)
		b = a.Valor.AppendJSON(b)
		return append(b, '}')
	})
}

func appendTaxDetails(b []byte, taxes []api.TaxDetail) []byte {
	return appendList(b, taxes, func(b []byte, t *api.TaxDetail) []byte {
		b = append(b, `{"base":`...)
		b = t.Base.AppendJSON(b)
		b = append(b, `,"tarifa":`...)
		b = t.Tarifa.AppendJSON(b)
		b = append(b, `,"tributo":`...)
		b = appendString(b, string(t.Tributo))
		b = append(b, `,"valor":`...)
		b = t.Valor.AppendJSON(b)
		return append(b, '}')
	})
}

func appendItems(b []byte, items []api.InvoiceItem) []byte {
	return appendList(b, items, func(b []byte, it *api.InvoiceItem) []byte {
		b = append(b, `{"cantidad":`...)
		b = it.Cantidad.AppendJSON(b)
		b = append(b, `,"cantidadAcreditada":`...)
		b = it.CantidadAcreditada.AppendJSON(b)
		b = append(b, `,"descripcion":`...)
		b = appendString(b, it.Descripcion)
		if it.Descuento != nil {
			b = append(b, `,"descuento":`...)
			b = it.Descuento.AppendJSON(b)
		}
		b = append(b, `,"id":`...)
		b = appendUUID(b, it.ID)
		b = append(b, `,"impuesto":`...)
		b = it.Impuesto.AppendJSON(b)
		if it.ProductServiceID != nil {
			b = append(b, `,"productServiceId":`...)
			b = appendUUID(b, *it.ProductServiceID)
		}
		b = append(b, `,"subtotal":`...)
		b = it.Subtotal.AppendJSON(b)
		b = append(b, `,"tratamiento":`...)
		b = appendString(b, string(it.Tratamiento))
		b = append(b, `,"tributo":`...)
		b = appendString(b, string(it.Tributo))
		b = append(b, `,"valorAcreditado":`...)
		b = it.ValorAcreditado.AppendJSON(b)
		b = append(b, `,"valorBruto":`...)
		b = it.ValorBruto.AppendJSON(b)
		b = append(b, `,"valorDescuento":`...)
		b = it.ValorDescuento.AppendJSON(b)
		b = append(b, `,"valorUnitario":`...)
		b = it.ValorUnitario.AppendJSON(b)
		return append(b, '}')
	})
}

func appendEInvoice(b []byte, e *api.EInvoiceStatus) []byte {
	b = append(b, '{')
	if e.Actualizado != nil {
		b = append(b, `"actualizado":`...)
		b = appendTime(b, *e.Actualizado)
		b = append(b, ',')
	}
	b = append(b, `"estado":`...)
	b = appendString(b, string(e.Estado))
	b = append(b, `,"intentos":`...)
	b = appendInt(b, e.Intentos)
	b = append(b, `,"reglas":`...)
	b = appendList(b, e.Reglas, func(b []byte, r *api.DianRule) []byte {
		b = append(b, `{"mensaje":`...)
		b = appendString(b, r.Mensaje)
		b = append(b, `,"rechazo":`...)
		b = strconv.AppendBool(b, r.Rechazo)
		if r.Regla != nil {
			b = append(b, `,"regla":`...)
			b = appendString(b, *r.Regla)
		}
		return append(b, '}')
	})
	return append(b, '}')
}

// appendNullableString writes what nullable.Nullable's MarshalJSON gives:
// null when set to null, the string when set, and "" when unset (the
// fields are not omitempty).
func appendNullableString(b []byte, n nullable.Nullable[string]) []byte {
	if n.IsNull() {
		return append(b, "null"...)
	}
	return appendString(b, n[true])
}

// The answers, each the generated response's status and headers.

type invoiceCreated struct {
	api.CreateInvoice201JSONResponse
}

func (r invoiceCreated) VisitCreateInvoiceResponse(w http.ResponseWriter) error {
	return jsonAnswer{status: http.StatusCreated, body: invoiceJSON(&r.Body), replayed: r.Headers.IdempotentReplayed}.write(w)
}

type invoiceFound api.GetInvoice200JSONResponse

func (r invoiceFound) VisitGetInvoiceResponse(w http.ResponseWriter) error {
	d := api.InvoiceDetail(r)
	return jsonAnswer{status: http.StatusOK, body: invoiceDetailJSON(&d)}.write(w)
}

type invoiceStatusChanged api.UpdateInvoiceStatus200JSONResponse

func (r invoiceStatusChanged) VisitUpdateInvoiceStatusResponse(w http.ResponseWriter) error {
	inv := api.Invoice(r)
	return jsonAnswer{status: http.StatusOK, body: invoiceJSON(&inv)}.write(w)
}

// posInvoice is CreatePosInvoice's answer: 201 for a new sale, 200 for a
// replay of its _id.
type posInvoice struct {
	status int
	body   api.InvoiceDetail
}

func (r posInvoice) VisitCreatePosInvoiceResponse(w http.ResponseWriter) error {
	return jsonAnswer{status: r.status, body: invoiceDetailJSON(&r.body)}.write(w)
}
