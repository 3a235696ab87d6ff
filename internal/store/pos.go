package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// LockSaleID queues the point-of-sale requests that carry the same _id
// until this transaction ends (an advisory lock named after the tenant and
// the id): the second one then finds the first one's sale.
func (tx *Tx) LockSaleID(ctx context.Context, id uuid.UUID) error {
	if err := tx.q.LockPosSaleID(ctx, "pos_sale:"+tx.tenant.String()+":"+id.String()); err != nil {
		return fmt.Errorf("locking the sale's id: %w", err)
	}
	return nil
}

// SaleFingerprint reads the fingerprint of the request that made the
// sale of an invoice id; taken reports whether an invoice of the tenant
// has that id at all (fingerprint nil: one not made by a sale).
func (tx *Tx) SaleFingerprint(ctx context.Context, id uuid.UUID) (fingerprint []byte, taken bool, err error) {
	r, err := tx.q.GetPosSale(ctx, db.GetPosSaleParams{TenantID: tx.tenant, InvoiceID: id})
	if NoRows(err) {
		taken, err := tx.q.InvoiceExists(ctx, db.InvoiceExistsParams{TenantID: tx.tenant, ID: id})
		if err != nil {
			return nil, false, fmt.Errorf("looking the invoice id up: %w", err)
		}
		return nil, taken, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading the sale: %w", err)
	}
	return r.RequestHash, true, nil
}

// RecordSale writes a sale beside its invoice, fingerprinted by the
// request that made it.
func (tx *Tx) RecordSale(ctx context.Context, s billing.PosSale, fingerprint []byte) (billing.PosSale, error) {
	p := db.InsertPosSaleParams{TenantID: tx.tenant, InvoiceID: s.InvoiceID, RequestHash: fingerprint, CashSessionID: s.CashSessionID,
		Cajero: s.Cajero, Mesa: s.Mesa, ClienteNombre: s.Cliente.Nombre, ClienteEmail: s.Cliente.Email, ClienteTelefono: s.Cliente.Telefono,
		PaymentMethodID: s.PaymentMethodID, Pagada: s.Pagada, ElectronicaPedida: s.ElectronicaPedida}
	if d := s.Domicilio; d != nil {
		valor := d.Valor
		p.DeliveryProviderID, p.Repartidor, p.Direccion, p.Domicilio = d.ProviderID, d.Repartidor, d.Direccion, &valor
	}
	r, err := tx.q.InsertPosSale(ctx, p)
	if err != nil {
		return billing.PosSale{}, fmt.Errorf("recording the sale: %w", Translate(err))
	}
	out := toPosSale(r)
	out.Pedidos = s.Pedidos
	return out, nil
}

// Sale reads the sale of one of the tenant's invoices with the orders it
// invoiced; fault.ErrSaleNotFound when the invoice was not sold at a point
// of sale (or is not the tenant's).
func (s *Store) Sale(ctx context.Context, tenant, invoice uuid.UUID) (billing.PosSale, error) {
	var out billing.PosSale
	err := s.InTx(ctx, tenant, func(tx *Tx) error {
		r, err := tx.q.GetPosSale(ctx, db.GetPosSaleParams{TenantID: tenant, InvoiceID: invoice})
		if NoRows(err) {
			return fault.ErrSaleNotFound
		}
		if err != nil {
			return fmt.Errorf("reading the sale: %w", err)
		}
		out = toPosSale(r)
		out.Pedidos, err = tx.q.ListSaleOrders(ctx, db.ListSaleOrdersParams{TenantID: tenant, InvoiceID: &invoice})
		if err != nil {
			return fmt.Errorf("reading the sale's orders: %w", err)
		}
		return nil
	})
	return out, err
}

// TakePosNumber takes the tenant's next POS consecutive (1, 2, …); the
// counter stays locked until commit, so the numbers are gapless: a
// rollback gives its number back.
func (tx *Tx) TakePosNumber(ctx context.Context) (int64, error) {
	n, err := tx.q.TakePosConsecutive(ctx, tx.tenant)
	if err != nil {
		return 0, fmt.Errorf("taking the POS consecutive: %w", err)
	}
	return n, nil
}

// LockOrders locks the given orders of the tenant, in id order, with their
// lines; an id that is not one is absent from the answer.
func (tx *Tx) LockOrders(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]billing.Order, error) {
	rows, err := tx.q.LockOrders(ctx, db.LockOrdersParams{TenantID: tx.tenant, Ids: ids})
	if err != nil {
		return nil, fmt.Errorf("locking orders: %w", err)
	}
	os, err := tx.withLines(ctx, rows)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]billing.Order, len(os))
	for _, o := range os {
		out[o.ID] = o
	}
	return out, nil
}

// InvoiceOrder marks a locked order FACTURADO by invoice.
func (tx *Tx) InvoiceOrder(ctx context.Context, o billing.Order, invoice uuid.UUID) (billing.Order, error) {
	r, err := tx.q.InvoiceOrder(ctx, db.InvoiceOrderParams{TenantID: tx.tenant, ID: o.ID, InvoiceID: &invoice})
	if err != nil {
		return billing.Order{}, fmt.Errorf("invoicing the order: %w", Translate(err))
	}
	out := toOrder(r)
	out.Lineas = o.Lineas
	return out, nil
}

// CustomerByNit reads the tenant's customer with an identification number
// (as billing.NormalizeNIT keys it), share-locked so it cannot be deleted
// before the invoice that references it commits; ok is false for none.
func (tx *Tx) CustomerByNit(ctx context.Context, nit string) (billing.Customer, bool, error) {
	r, err := tx.q.GetCustomerByNitForShare(ctx, db.GetCustomerByNitForShareParams{TenantID: tx.tenant, Nit: nit})
	if NoRows(err) {
		return billing.Customer{}, false, nil
	}
	if err != nil {
		return billing.Customer{}, false, fmt.Errorf("looking the customer up: %w", err)
	}
	return toCustomer(r), true, nil
}

// SaleCustomer finds the tenant's customer with c's identification, or
// creates c: a concurrent sale that creates the same identification first
// is waited for and its customer is the answer.
func (tx *Tx) SaleCustomer(ctx context.Context, c billing.Customer) (billing.Customer, error) {
	if found, ok, err := tx.CustomerByNit(ctx, c.Nit); err != nil || ok {
		return found, err
	}
	r, err := tx.q.CreateCustomerIfAbsent(ctx, db.CreateCustomerIfAbsentParams{TenantID: tx.tenant, ID: c.ID, RazonSocial: c.RazonSocial,
		Nit: c.Nit, Email: c.Email, Telefono: c.Telefono, TipoIdentificacion: c.TipoIdentificacion})
	if NoRows(err) {
		found, ok, err := tx.CustomerByNit(ctx, c.Nit)
		if err == nil && !ok {
			err = fmt.Errorf("customer %s was neither created nor found", c.Nit)
		}
		return found, err
	}
	if err != nil {
		return billing.Customer{}, fmt.Errorf("creating the sale's customer: %w", Translate(err))
	}
	out := toCustomer(r)
	tx.count(billing.CustomerChange("", out.Status))
	return out, nil
}

// CashPaymentMethod reads the tenant's first active cash method (DIAN
// code 10); fault.ErrNoCashMethod for none.
func (tx *Tx) CashPaymentMethod(ctx context.Context) (billing.PaymentMethod, error) {
	r, err := tx.q.GetCashPaymentMethod(ctx, tx.tenant)
	if NoRows(err) {
		return billing.PaymentMethod{}, fault.ErrNoCashMethod
	}
	if err != nil {
		return billing.PaymentMethod{}, fmt.Errorf("reading the cash payment method: %w", err)
	}
	return toPaymentMethod(r), nil
}

// DeliveryProvider reads one of the tenant's delivery providers;
// fault.ErrDeliveryProviderNotFound for none.
func (tx *Tx) DeliveryProvider(ctx context.Context, id uuid.UUID) (billing.DeliveryProvider, error) {
	r, err := tx.q.GetDeliveryProvider(ctx, db.GetDeliveryProviderParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return billing.DeliveryProvider{}, fault.ErrDeliveryProviderNotFound
	}
	if err != nil {
		return billing.DeliveryProvider{}, fmt.Errorf("reading delivery provider: %w", err)
	}
	return toDeliveryProvider(r), nil
}

func toPosSale(r db.PosSale) billing.PosSale {
	s := billing.PosSale{InvoiceID: r.InvoiceID, CashSessionID: r.CashSessionID, Cajero: r.Cajero, Mesa: r.Mesa,
		Cliente:         billing.SaleClient{Nombre: r.ClienteNombre, Email: r.ClienteEmail, Telefono: r.ClienteTelefono},
		PaymentMethodID: r.PaymentMethodID, Pagada: r.Pagada, ElectronicaPedida: r.ElectronicaPedida, CreatedAt: r.CreatedAt}
	if r.Domicilio != nil {
		s.Domicilio = &billing.SaleDelivery{ProviderID: r.DeliveryProviderID, Repartidor: r.Repartidor, Direccion: r.Direccion,
			Valor: *r.Domicilio}
	}
	return s
}
