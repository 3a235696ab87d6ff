package server

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/billing"
	"billing/internal/ledger"
	"billing/internal/money"
)

// CreatePosInvoice invoices orders at the point of sale (seed 003's
// POST /invoices).
func (s *Server) CreatePosInvoice(ctx context.Context, req api.CreatePosInvoiceRequestObject) (api.CreatePosInvoiceResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	sum, err := saleFingerprint(*b)
	if err != nil {
		return nil, err
	}
	sale := ledger.Sale{ID: b.UnderscoreID, Fingerprint: sum[:], Mesa: b.Table, PaymentMethod: b.PaymentMethod,
		IsPaid: valueOr(b.IsPaid, false), IsCredit: valueOr(b.IsCredit, false), CreditDays: b.CreditDays, Total: b.Total,
		Discount: b.DiscountAdditionalTotal, DeliveryCost: b.DeliveryCost,
		EInvoice: valueOr(b.IsEInvoice, false), SendEmail: valueOr(b.SendInvoiceEmail, false)}
	for _, o := range b.OrderProducts {
		sale.Orders = append(sale.Orders, o.Order)
	}
	if c := b.Client; c != nil {
		sale.Client = &ledger.SaleClient{Name: c.Name, Phone: c.Phone, Email: c.Email, IDType: c.IDType, IDNumber: c.IDNumber}
	}
	if d := b.Delivery; d != nil {
		sale.Delivery = &ledger.SaleDelivery{IsDelivery: d.IsDelivery, Provider: d.DeliveryProvider, Address: d.Address}
		if d.DeliveryGuy != nil {
			sale.Delivery.Courier = d.DeliveryGuy.InternalID
		}
	}
	r, err := s.ledger.Sell(ctx, a, sale)
	if err != nil {
		return nil, fmt.Errorf("invoicing at the point of sale: %w", inBody(err))
	}
	out := toAPIInvoiceDetail(r.Invoice, s.ledger.Today())
	if r.Replayed {
		return posInvoice{status: http.StatusOK, body: out}, nil
	}
	return posInvoice{status: http.StatusCreated, body: out}, nil
}

// saleFingerprint is the SHA-256 of the sale's body as decoded and encoded
// again, its amounts in canonical form (45000 and 45000.00 are one) and
// its flags with their defaults (absent is false): the same sale retried
// by a client that writes it otherwise fingerprints the same.
func saleFingerprint(b api.CreatePosInvoice) ([sha256.Size]byte, error) {
	canonical := func(v *money.Decimal) *money.Decimal {
		if v == nil {
			return nil
		}
		c := money.Must(v.Key())
		return &c
	}
	flag := func(v *bool) *bool { f := valueOr(v, false); return &f }
	b.Total = *canonical(&b.Total)
	b.DiscountAdditionalTotal, b.DeliveryCost = canonical(b.DiscountAdditionalTotal), canonical(b.DeliveryCost)
	b.IsPaid, b.IsCredit, b.IsEInvoice, b.SendInvoiceEmail = flag(b.IsPaid), flag(b.IsCredit), flag(b.IsEInvoice), flag(b.SendInvoiceEmail)
	body, err := json.Marshal(b)
	if err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("fingerprinting the sale: %w", err)
	}
	return sha256.Sum256(body), nil
}

// GetInvoiceSale answers what a point-of-sale invoice's request carried.
func (s *Server) GetInvoiceSale(ctx context.Context, req api.GetInvoiceSaleRequestObject) (api.GetInvoiceSaleResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	sale, err := s.ledger.Sale(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("reading the sale: %w", err)
	}
	return api.GetInvoiceSale200JSONResponse(toAPISale(sale)), nil
}

func toAPISale(s billing.PosSale) api.PosSale {
	out := api.PosSale{InvoiceID: s.InvoiceID, CashSessionID: s.CashSessionID, Cajero: s.Cajero, Mesa: s.Mesa,
		PaymentMethodID: s.PaymentMethodID, Pagada: s.Pagada, ElectronicaPedida: s.ElectronicaPedida,
		Pedidos: s.Pedidos, CreatedAt: s.CreatedAt}
	if out.Pedidos == nil {
		out.Pedidos = []uuid.UUID{}
	}
	out.Cliente.Nombre, out.Cliente.Email, out.Cliente.Telefono = s.Cliente.Nombre, s.Cliente.Email, s.Cliente.Telefono
	if d := s.Domicilio; d != nil {
		out.Domicilio = &struct {
			DeliveryProviderID *uuid.UUID `json:"deliveryProviderId,omitempty"`
			Direccion          *string    `json:"direccion,omitempty"`
			Repartidor         *string    `json:"repartidor,omitempty"`
			Valor              api.Amount `json:"valor"`
		}{d.ProviderID, d.Direccion, d.Repartidor, cents(d.Valor)}
	}
	return out
}
