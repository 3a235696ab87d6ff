package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
	"billing/internal/store"
)

// posNumeroPrefix starts the numero of a POS invoice of a tenant without a
// fiscal profile (POS-1, POS-2, …); client numeros of that form are
// refused (see checkDraft), so the consecutive never collides with one.
const posNumeroPrefix = "POS-"

// deliveryLine is the description of the line a delivery charge becomes.
const deliveryLine = "Domicilio"

// Sale is a point-of-sale invoice as seed 003's POST /invoices asks for
// it. ID is the client's _id, which the invoice takes as its own; the same
// ID with the same Fingerprint (of the request as sent) answers the
// invoice it made, never a second one.
type Sale struct {
	ID          uuid.UUID
	Fingerprint []byte
	Orders      []uuid.UUID
	Mesa        *string
	Client      *SaleClient
	// PaymentMethod nil with IsPaid pays with the tenant's cash method.
	PaymentMethod *uuid.UUID
	IsPaid        bool
	IsCredit      bool
	CreditDays    *int
	Total         money.Decimal
	// Discount is an unconditional discount at the sale: it lowers the
	// tax base, so it is spread over the orders' lines (billing.Spread).
	Discount     *money.Decimal
	Delivery     *SaleDelivery
	DeliveryCost *money.Decimal
	EInvoice     bool
	SendEmail    bool
}

// SaleClient is the seed's client: an identified customer (IDNumber),
// found or created, or the consumidor final without one.
type SaleClient struct {
	Name, Phone, Email *string
	IDType, IDNumber   *string
}

// SaleDelivery is the seed's delivery; IsDelivery false is no delivery.
type SaleDelivery struct {
	IsDelivery bool
	Provider   *uuid.UUID
	Courier    *string // deliveryGuy.internalId
	Address    *string
}

// SaleResult is a sale's invoice; Replayed says it was made by an earlier
// request with the same _id.
type SaleResult struct {
	Invoice  billing.Invoice
	Replayed bool
}

// Sell makes a point-of-sale invoice from orders, in one transaction that
// the caller's open cash session is locked in: the invoice ISSUED (under
// the FACTURA resolution for a tenant with a fiscal profile, POS-n
// otherwise) by the cashier, its payment in the session's drawer when it
// is paid, the products' stock taken, the orders FACTURADO and the mail
// queued. Whatever refuses it leaves all of them untouched.
func (l *Ledger) Sell(ctx context.Context, a Actor, s Sale) (SaleResult, error) {
	client, err := checkSale(&s)
	if err != nil {
		return SaleResult{}, err
	}
	today := l.Today()
	return store.InTxV(ctx, l.store, a.Tenant, func(tx *store.Tx) (SaleResult, error) {
		if err := tx.LockSaleID(ctx, s.ID); err != nil {
			return SaleResult{}, err
		}
		if fingerprint, taken, err := tx.SaleFingerprint(ctx, s.ID); err != nil {
			return SaleResult{}, err
		} else if taken {
			if fingerprint == nil || !bytes.Equal(fingerprint, s.Fingerprint) {
				return SaleResult{}, fault.ErrSaleIDReused
			}
			inv, err := tx.Invoice(ctx, s.ID)
			return SaleResult{Invoice: inv, Replayed: true}, err
		}
		inv, err := sell(ctx, tx, a, s, client, today)
		return SaleResult{Invoice: inv}, err
	})
}

// Sale reads what the point-of-sale request of an invoice carried.
func (l *Ledger) Sale(ctx context.Context, a Actor, invoice uuid.UUID) (billing.PosSale, error) {
	return l.store.Sale(ctx, a.Tenant, invoice)
}

// checkSale applies the rules the schema cannot express, every bad field
// at once, and reads the client's identification: a nil customer is the
// consumidor final.
func checkSale(s *Sale) (*billing.Customer, error) {
	var checks []*fault.FieldError
	seen := map[uuid.UUID]bool{}
	for i, id := range s.Orders {
		if seen[id] {
			checks = append(checks, &fault.FieldError{Field: fmt.Sprintf("orderProducts.%d.order", i), Message: "names an order listed already"})
		}
		seen[id] = true
	}
	if s.Mesa != nil {
		checks = append(checks, requiredText("table", *s.Mesa))
	}
	checks = append(checks, billing.CheckPrice("total", s.Total))
	if s.Discount != nil {
		checks = append(checks, billing.CheckPrice("discountAdditionalTotal", *s.Discount))
	}
	delivery := s.Delivery != nil && s.Delivery.IsDelivery
	if s.DeliveryCost != nil {
		checks = append(checks, billing.CheckPrice("deliveryCost", *s.DeliveryCost))
		if !delivery && s.DeliveryCost.Sign() != 0 {
			checks = append(checks, &fault.FieldError{Field: "deliveryCost", Message: "is charged only with delivery.isDelivery true"})
		}
	}
	switch {
	case s.IsPaid && s.IsCredit:
		checks = append(checks, &fault.FieldError{Field: "isCredit", Message: "a sale is paid at the counter (isPaid) or on credit, not both"})
	case s.IsCredit && s.CreditDays == nil:
		checks = append(checks, &fault.FieldError{Field: "creditDays", Message: "is required with isCredit true"})
	case !s.IsCredit && s.CreditDays != nil:
		checks = append(checks, &fault.FieldError{Field: "creditDays", Message: "is sent only with isCredit true"})
	case s.CreditDays != nil && (*s.CreditDays < 1 || *s.CreditDays > billing.MaxCreditDays):
		checks = append(checks, &fault.FieldError{Field: "creditDays", Message: fmt.Sprintf("must be 1 to %d", billing.MaxCreditDays)})
	}
	c := s.Client
	if c != nil && s.SendEmail && optionalText(c.Email) != nil {
		if _, err := mail.ParseAddress(*optionalText(c.Email)); err != nil {
			checks = append(checks, &fault.FieldError{Field: "client.email", Message: "must be a mail address to send the invoice to"})
		}
	}
	if err := fault.Fields(checks...); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, nil
	}
	var code *string
	if c.IDType != nil {
		k, ok := billing.PosIDType(*c.IDType)
		if !ok {
			return nil, fault.Invalid("id_type_unknown", "The client's idType is neither one of the seed's letters nor a DIAN identification type code.",
				fault.FieldError{Field: "client.idType", Message: "must be RC, TI, CC, TE, CE, NIT, PA, PP, DIE, PEP, PPT, NITE, NUIP or a DIAN code (11, 12, 13, 21, 22, 31, 41, 42, 47, 48, 50, 91)"})
		}
		code = &k
	}
	if c.IDNumber == nil || strings.TrimSpace(*c.IDNumber) == "" {
		return nil, nil
	}
	nit, err := billing.NormalizeNIT(*c.IDNumber)
	if err != nil {
		return nil, fault.WithFieldRenamed(err, "nit", "client.idNumber")
	}
	kind, bad := billing.IdentificationType(code, *c.IDNumber, nit, nil)
	if bad != nil {
		bad.Field = "client.idType"
		return nil, fault.Fields(bad)
	}
	if nit == billing.ConsumidorFinal {
		return nil, nil
	}
	name := ""
	if c.Name != nil {
		name = strings.TrimSpace(*c.Name)
	}
	// A blank name is refused only if the customer is new (saleCustomer).
	return &billing.Customer{ID: uuid.Must(uuid.NewV7()), RazonSocial: name, Nit: nit,
		Email: optionalText(c.Email), Telefono: optionalText(c.Phone), TipoIdentificacion: kind, Status: billing.CustomerActive}, nil
}

// sell writes a checked sale whose _id is new, in tx (see Ledger.Sell).
func sell(ctx context.Context, tx *store.Tx, a Actor, s Sale, client *billing.Customer, today billing.Date) (billing.Invoice, error) {
	session, err := tx.LockCashierSession(ctx, a.Subject)
	if errors.Is(err, fault.ErrCashRegisterClosed) {
		return billing.Invoice{}, fault.ErrNoCashSession
	}
	if err != nil {
		return billing.Invoice{}, err
	}
	orders, err := saleOrders(ctx, tx, s.Orders)
	if err != nil {
		return billing.Invoice{}, err
	}
	profile, err := tx.FiscalProfile(ctx)
	electronic := err == nil
	switch {
	case err != nil && !errors.Is(err, fault.ErrFiscalProfileNotFound):
		return billing.Invoice{}, err
	case s.EInvoice && !electronic:
		return billing.Invoice{}, fault.ErrEInvoiceUnavailable
	}
	method, err := saleMethod(ctx, tx, s)
	if err != nil {
		return billing.Invoice{}, err
	}
	delivery, err := saleDelivery(ctx, tx, s)
	if err != nil {
		return billing.Invoice{}, err
	}
	customer, err := saleCustomer(ctx, tx, client)
	if err != nil {
		return billing.Invoice{}, err
	}
	d, products, err := saleDraft(ctx, tx, s, orders, customer, method)
	if err != nil {
		return billing.Invoice{}, err
	}
	if !electronic {
		n, err := tx.TakePosNumber(ctx)
		if err != nil {
			return billing.Invoice{}, err
		}
		numero := posNumeroPrefix + strconv.FormatInt(n, 10)
		d.Numero = &numero
	}
	inv, err := resolveDraft(ctx, tx, s.ID, d)
	if err != nil {
		return billing.Invoice{}, err
	}
	if inv.Total.Cmp(s.Total) != 0 {
		return billing.Invoice{}, &fault.Error{Kind: fault.KindUnprocessable, Code: "total_mismatch",
			Detail: "The total sent (" + s.Total.String() + ") is not the invoice's total computed from its orders (" + inv.Total.String() + "): the server computes it, and refuses a total that disagrees.",
			Fields: []fault.FieldError{{Field: "total", Message: "the computed total is " + inv.Total.String()}}}
	}
	created, err := tx.CreateInvoice(ctx, inv, a.Subject)
	if err != nil {
		return billing.Invoice{}, err
	}
	var issued billing.Invoice
	if electronic {
		issued, err = issue(ctx, tx, created, profile, time.Now, a.Subject)
	} else {
		issued, err = tx.SetInvoiceStatus(ctx, created, billing.InvoiceIssued, a.Subject)
	}
	if err != nil {
		return billing.Invoice{}, err
	}
	if err := emit(ctx, tx, billing.EventInvoiceIssued, invoiceIssued(issued)); err != nil {
		return billing.Invoice{}, err
	}
	if err := takeStock(ctx, tx, issued, products, a.Subject); err != nil {
		return billing.Invoice{}, err
	}
	sale := billing.PosSale{InvoiceID: issued.ID, CashSessionID: session.ID, Cajero: a.Subject, Mesa: optionalText(s.Mesa),
		Pagada: s.IsPaid, ElectronicaPedida: s.EInvoice, Domicilio: delivery}
	if s.Client != nil {
		sale.Cliente = billing.SaleClient{Nombre: optionalText(s.Client.Name), Email: optionalText(s.Client.Email), Telefono: optionalText(s.Client.Phone)}
	}
	for _, o := range orders {
		if _, err := tx.InvoiceOrder(ctx, o, issued.ID); err != nil {
			return billing.Invoice{}, err
		}
		sale.Pedidos = append(sale.Pedidos, o.ID)
	}
	if method != nil {
		sale.PaymentMethodID = &method.ID
	}
	if s.IsPaid && issued.Total.Sign() > 0 {
		if err := payAtCounter(ctx, tx, issued, *method, session.ID, today, a.Subject); err != nil {
			return billing.Invoice{}, err
		}
	}
	if _, err := tx.RecordSale(ctx, sale, s.Fingerprint); err != nil {
		return billing.Invoice{}, err
	}
	if s.SendEmail {
		m := billing.InvoiceMailing{ID: uuid.Must(uuid.NewV7()), InvoiceID: issued.ID, RequestedAt: time.Now().UTC().Truncate(time.Microsecond)}
		if sale.Cliente.Email != nil {
			m.Email = *sale.Cliente.Email
		}
		if _, err := tx.QueueMailing(ctx, m, a.Subject); err != nil {
			return billing.Invoice{}, fault.WithFieldRenamed(err, "email", "client.email")
		}
	}
	return tx.Invoice(ctx, issued.ID)
}

// saleOrders locks the sale's orders and answers them in the order the
// request listed them: every unknown one is 400 order_not_found on its
// field, an invoiced or annulled one 409.
func saleOrders(ctx context.Context, tx *store.Tx, ids []uuid.UUID) ([]billing.Order, error) {
	found, err := tx.LockOrders(ctx, ids)
	if err != nil {
		return nil, err
	}
	var missing []fault.FieldError
	out := make([]billing.Order, len(ids))
	for i, id := range ids {
		o, ok := found[id]
		if !ok {
			missing = append(missing, fault.FieldError{Field: fmt.Sprintf("orderProducts.%d.order", i), Message: "is not an order of this tenant"})
			continue
		}
		out[i] = o
	}
	if len(missing) > 0 {
		return nil, fault.Invalid("order_not_found", "An order of the sale does not exist.", missing...)
	}
	for i, o := range out {
		var e fault.Error
		switch o.Estado {
		case billing.OrderInvoiced:
			e = *fault.ErrOrderAlreadyInvoiced
		case billing.OrderAnnulled:
			e = *fault.ErrOrderAnnulled
		default:
			continue
		}
		e.Detail += fmt.Sprintf(" (orderProducts.%d.order, %s)", i, o.ID)
		return nil, &e
	}
	return out, nil
}

// saleMethod reads the sale's payment method: the one sent (400 when it is
// not one of the tenant's active methods), the tenant's cash method for a
// paid sale that names none, nil for an unpaid one that names none.
func saleMethod(ctx context.Context, tx *store.Tx, s Sale) (*billing.PaymentMethod, error) {
	if s.PaymentMethod == nil {
		if !s.IsPaid {
			return nil, nil
		}
		m, err := tx.CashPaymentMethod(ctx)
		return &m, err
	}
	m, err := tx.PaymentMethod(ctx, *s.PaymentMethod)
	switch {
	case errors.Is(err, fault.ErrPaymentMethodNotFound):
		return nil, fault.Invalid("payment_method_not_found", "The sale's payment method does not exist.",
			fault.FieldError{Field: "paymentMethod", Message: "is not a payment method of this tenant"})
	case err != nil:
		return nil, err
	case !m.Activo:
		return nil, fault.Invalid("payment_method_inactive", "The sale's payment method is inactive.",
			fault.FieldError{Field: "paymentMethod", Message: "is inactive"})
	}
	return &m, nil
}

// saleDelivery reads the sale's delivery (nil for none): its provider
// must be one of the tenant's active ones.
func saleDelivery(ctx context.Context, tx *store.Tx, s Sale) (*billing.SaleDelivery, error) {
	if s.Delivery == nil || !s.Delivery.IsDelivery {
		return nil, nil
	}
	d := &billing.SaleDelivery{ProviderID: s.Delivery.Provider, Repartidor: optionalText(s.Delivery.Courier),
		Direccion: optionalText(s.Delivery.Address), Valor: money.New(0, -2)}
	if s.DeliveryCost != nil {
		d.Valor = s.DeliveryCost.Rescale(2)
	}
	if d.ProviderID == nil {
		return d, nil
	}
	p, err := tx.DeliveryProvider(ctx, *d.ProviderID)
	switch {
	case errors.Is(err, fault.ErrDeliveryProviderNotFound):
		return nil, fault.Invalid("delivery_provider_not_found", "The sale's delivery provider does not exist.",
			fault.FieldError{Field: "delivery.deliveryProvider", Message: "is not a delivery provider of this tenant"})
	case err != nil:
		return nil, err
	case !p.Activo:
		return nil, fault.Invalid("delivery_provider_inactive", "The sale's delivery provider is inactive.",
			fault.FieldError{Field: "delivery.deliveryProvider", Message: "is inactive"})
	}
	return d, nil
}

// saleCustomer finds or creates the sale's customer; nil is the tenant's
// consumidor final, created once. A customer found is used as it is: what
// the cashier typed is kept on the sale, never written over it.
func saleCustomer(ctx context.Context, tx *store.Tx, c *billing.Customer) (billing.Customer, error) {
	field := []fault.FieldError{{Field: "client.idNumber", Message: "is an INACTIVE customer's"}}
	if c == nil {
		field = nil
		c = &billing.Customer{ID: uuid.Must(uuid.NewV7()), RazonSocial: "Consumidor final", Nit: billing.ConsumidorFinal,
			TipoIdentificacion: billing.IDCedula, Status: billing.CustomerActive}
	}
	var (
		customer billing.Customer
		err      error
	)
	if c.RazonSocial == "" {
		// Without a name the client can only be one the tenant has.
		found, ok, err := tx.CustomerByNit(ctx, c.Nit)
		switch {
		case err != nil:
			return billing.Customer{}, err
		case !ok:
			return billing.Customer{}, fault.Fields(&fault.FieldError{Field: "client.name",
				Message: "is required for a client the tenant has no customer of: the customer is created with it"})
		}
		customer = found
	} else if customer, err = tx.SaleCustomer(ctx, *c); err != nil {
		return billing.Customer{}, err
	}
	if customer.Status != billing.CustomerActive {
		return billing.Customer{}, fault.Invalid("customer_inactive", "The client's customer is INACTIVE: activate it to invoice it.", field...)
	}
	return customer, nil
}

// saleDraft turns the orders into an invoice draft: their lines in the
// request's order with the products' taxes, the sale's discount spread
// over them by value, and the delivery charge as lines taxed like the
// goods it carries (see deliveryLines).
func saleDraft(ctx context.Context, tx *store.Tx, s Sale, orders []billing.Order, customer billing.Customer, method *billing.PaymentMethod) (Draft, map[uuid.UUID]billing.Product, error) {
	var ids []uuid.UUID
	for _, o := range orders {
		for _, ln := range o.Lineas {
			ids = append(ids, ln.ProductID)
		}
	}
	products, err := tx.ProductsByID(ctx, ids)
	if err != nil {
		return Draft{}, nil, err
	}
	d := Draft{CustomerID: customer.ID}
	var gross []money.Decimal
	for i, o := range orders {
		for _, ln := range o.Lineas {
			p := products[ln.ProductID]
			if !p.Activo {
				return Draft{}, nil, &fault.Error{Kind: fault.KindConflict, Code: "product_inactive",
					Detail: fmt.Sprintf("Order %s (orderProducts.%d.order) sells %s, which is inactive now: activate the product or annul the order.", o.ID, i, p.Nombre)}
			}
			product, desc, price, qty := p.ID, ln.Descripcion, ln.ValorUnitario, ln.Cantidad
			rate, scheme, treatment := p.Impuesto, p.Tributo, p.Tratamiento
			d.Lines = append(d.Lines, DraftLine{ProductID: &product, Descripcion: &desc, Cantidad: qty, ValorUnitario: &price,
				Impuesto: &rate, Tributo: &scheme, Tratamiento: &treatment})
			gross = append(gross, ln.Valor())
		}
	}
	discounted := gross
	if s.Discount != nil && s.Discount.Sign() > 0 {
		sum := money.New(0, -2)
		for _, g := range gross {
			sum = sum.Add(g)
		}
		if s.Discount.Cmp(sum) > 0 {
			return Draft{}, nil, fault.Invalid("discount_exceeds_total", "The sale's discount is larger than the value of its orders.",
				fault.FieldError{Field: "discountAdditionalTotal", Message: "must not exceed the orders' value before taxes (" + sum.String() + ")"})
		}
		discounted = make([]money.Decimal, len(gross))
		for i, share := range billing.Spread(gross, *s.Discount) {
			if share.Sign() > 0 {
				v := share
				d.Lines[i].DescuentoValor = &v
			}
			discounted[i] = gross[i].Sub(share)
		}
	}
	if s.DeliveryCost != nil && s.DeliveryCost.Sign() > 0 {
		d.Lines = append(d.Lines, deliveryLines(d.Lines, discounted, *s.DeliveryCost)...)
	}
	forma, medio := billing.Contado, billing.DefaultPaymentMeans
	if s.IsCredit {
		forma = billing.Credito
	}
	if method != nil {
		medio = method.Codigo
	}
	d.FormaPago, d.DiasCredito, d.MedioPago = &forma, s.CreditDays, &medio
	return d, products, nil
}

// deliveryLines are a delivery charge as invoice lines. The Estatuto
// Tributario (art. 447) counts the freight the seller charges as part of
// the value of the sale, however it is invoiced: the charge is taxed as
// the goods it carries. So it is spread over the goods' tax groups (tax
// scheme, treatment and rate) by their value after the discount, one
// line per group with that group's tax; goods all of one treatment give
// one line.
func deliveryLines(goods []DraftLine, values []money.Decimal, cost money.Decimal) []DraftLine {
	type group struct {
		line  DraftLine
		value money.Decimal
	}
	var groups []*group
	index := map[string]*group{}
	for i, g := range goods {
		key := string(*g.Tributo) + "/" + string(*g.Tratamiento) + "/" + g.Impuesto.Key()
		gr, ok := index[key]
		if !ok {
			gr = &group{line: g, value: money.New(0, -2)}
			index[key] = gr
			groups = append(groups, gr)
		}
		gr.value = gr.value.Add(values[i])
	}
	weights := make([]money.Decimal, len(groups))
	for i, g := range groups {
		weights[i] = g.value
	}
	desc, one := deliveryLine, money.New(1, 0)
	var out []DraftLine
	for i, share := range billing.Spread(weights, cost) {
		if share.Sign() == 0 {
			continue
		}
		price := share
		g := groups[i].line
		out = append(out, DraftLine{Descripcion: &desc, Cantidad: one, ValorUnitario: &price,
			Impuesto: g.Impuesto, Tributo: g.Tributo, Tratamiento: g.Tratamiento})
	}
	return out
}

// takeStock takes what an issued invoice sold from the stock of the
// products that track it (products: its lines' products, as the sale read
// them), one movement per product, products in id order (two sales lock
// them in the same order and never deadlock).
func takeStock(ctx context.Context, tx *store.Tx, inv billing.Invoice, products map[uuid.UUID]billing.Product, actor string) error {
	sold := map[uuid.UUID]money.Decimal{}
	var ids []uuid.UUID
	for _, ln := range inv.Lines {
		if ln.ProductID == nil {
			continue
		}
		q, ok := sold[*ln.ProductID]
		if !ok {
			ids = append(ids, *ln.ProductID)
			q = money.New(0, -3)
		}
		sold[*ln.ProductID] = q.Add(ln.Cantidad)
	}
	sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
	for _, id := range ids {
		if !products[id].ControlInventario {
			continue
		}
		invoice := inv.ID
		_, err := tx.MoveStock(ctx, billing.StockMovement{ID: uuid.Must(uuid.NewV7()), ProductID: id, Tipo: billing.StockSale,
			Cantidad: sold[id].Neg(), InvoiceID: &invoice, Actor: actor})
		if errors.Is(err, fault.ErrStockInsufficient) {
			var e *fault.Error
			errors.As(err, &e)
			c := *e
			c.Detail = products[id].Nombre + ": " + e.Detail
			return &c
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// payAtCounter records a sale's whole payment with its method and the
// sale in the cashier's session: in the drawer when the method is cash.
func payAtCounter(ctx context.Context, tx *store.Tx, inv billing.Invoice, m billing.PaymentMethod, session uuid.UUID, today billing.Date, actor string) error {
	p, err := tx.RecordPayment(ctx, inv, billing.Payment{ID: uuid.Must(uuid.NewV7()), InvoiceID: inv.ID, Valor: inv.Total.Rescale(2),
		Fecha: today, MedioPago: m.Codigo, Actor: actor})
	if err != nil {
		return err
	}
	invoice := inv.ID
	if _, err := tx.AddCashMovement(ctx, session, billing.CashMovement{ID: uuid.Must(uuid.NewV7()), Tipo: billing.CashSale,
		Valor: p.Valor, MedioPago: m.Codigo, Efectivo: m.Efectivo, InvoiceID: &invoice, Actor: actor}); err != nil {
		return err
	}
	return emit(ctx, tx, billing.EventPaymentRecorded, paymentEvent(p))
}
