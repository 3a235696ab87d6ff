package ledger

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
	"billing/internal/store"
)

// NewProduct is what a create of a product gives; nil tax fields are IVA,
// GRAVADO and billing.DefaultTaxRate (0 for an EXENTO or EXCLUIDO product).
type NewProduct struct {
	Nombre      string
	Descripcion *string
	Precio      money.Decimal
	Impuesto    *money.Decimal
	Tributo     *billing.TaxScheme
	Tratamiento *billing.TaxTreatment
	// ControlInventario and PermitirNegativo default to false; the stock
	// starts at 0 and moves by adjustments and sales.
	ControlInventario, PermitirNegativo *bool
}

// ProductPatch is a PATCH of a product: nil fields keep their value.
type ProductPatch struct {
	Nombre      *string
	Descripcion TextPatch
	Precio      *money.Decimal
	Impuesto    *money.Decimal
	Tributo     *billing.TaxScheme
	Tratamiento *billing.TaxTreatment
	Activo      *bool
	// A product stops tracking its stock only at 0 (409 stock_not_zero).
	ControlInventario, PermitirNegativo *bool
}

// Product reads one product of the actor's tenant, active or not.
func (l *Ledger) Product(ctx context.Context, a Actor, id uuid.UUID) (billing.Product, error) {
	return l.store.Product(ctx, a.Tenant, id)
}

// Products reads one page of the actor's tenant's active products.
func (l *Ledger) Products(ctx context.Context, a Actor, p billing.ProductPage) ([]billing.Product, error) {
	return l.store.Products(ctx, a.Tenant, p)
}

// CreateProduct adds an active product.
func (l *Ledger) CreateProduct(ctx context.Context, a Actor, in NewProduct, once *Once[billing.Product]) (billing.Product, error) {
	if err := fault.Fields(
		requiredText("nombre", in.Nombre),
		billing.CheckPrice("precio", in.Precio),
		optionalRate("impuesto", in.Impuesto),
	); err != nil {
		return billing.Product{}, err
	}
	scheme, treatment, rate, err := billing.ResolveTax("impuesto", in.Tributo, in.Tratamiento, in.Impuesto,
		billing.SchemeIVA, billing.Gravado, billing.DefaultTaxRate)
	if err != nil {
		return billing.Product{}, err
	}
	p := billing.Product{
		ID:          uuid.Must(uuid.NewV7()),
		Nombre:      strings.TrimSpace(in.Nombre),
		Descripcion: optionalText(in.Descripcion),
		Precio:      in.Precio,
		Impuesto:    rate,
		Tributo:     scheme,
		Tratamiento: treatment,
	}
	if in.ControlInventario != nil {
		p.ControlInventario = *in.ControlInventario
	}
	if in.PermitirNegativo != nil {
		p.PermitirNegativo = *in.PermitirNegativo
	}
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.Product, error) {
		return tx.CreateProduct(ctx, p)
	})
}

// UpdateProduct applies a PATCH: only the fields present change; a patch
// that changes nothing keeps updatedAt. Invoices already written keep their
// lines as they were (lines are snapshots).
func (l *Ledger) UpdateProduct(ctx context.Context, a Actor, id uuid.UUID, p ProductPatch) (billing.Product, error) {
	var checks []*fault.FieldError
	if p.Nombre != nil {
		checks = append(checks, requiredText("nombre", *p.Nombre))
	}
	if p.Precio != nil {
		checks = append(checks, billing.CheckPrice("precio", *p.Precio))
	}
	if p.Impuesto != nil {
		checks = append(checks, billing.CheckRate("impuesto", *p.Impuesto))
	}
	if err := fault.Fields(checks...); err != nil {
		return billing.Product{}, err
	}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.Product, error) {
		cur, err := tx.LockProduct(ctx, id)
		if err != nil {
			return billing.Product{}, err
		}
		next := patchProduct(cur, p)
		next.Tributo, next.Tratamiento, next.Impuesto, err = billing.ResolveTax("impuesto", p.Tributo, p.Tratamiento, p.Impuesto,
			cur.Tributo, cur.Tratamiento, cur.Impuesto)
		if err != nil {
			return billing.Product{}, err
		}
		if sameProduct(cur, next) {
			return cur, nil
		}
		return tx.UpdateProduct(ctx, next)
	})
}

func patchProduct(cur billing.Product, p ProductPatch) billing.Product {
	next := cur
	if p.Nombre != nil {
		next.Nombre = strings.TrimSpace(*p.Nombre)
	}
	next.Descripcion = p.Descripcion.apply(cur.Descripcion)
	if p.Precio != nil {
		next.Precio = *p.Precio
	}
	if p.Activo != nil {
		next.Activo = *p.Activo
	}
	if p.ControlInventario != nil {
		next.ControlInventario = *p.ControlInventario
	}
	if p.PermitirNegativo != nil {
		next.PermitirNegativo = *p.PermitirNegativo
	}
	return next
}

// sameProduct compares by value: 19 and 19.00 are the same rate.
func sameProduct(a, b billing.Product) bool {
	return a.Nombre == b.Nombre && sameText(a.Descripcion, b.Descripcion) &&
		a.Precio.Cmp(b.Precio) == 0 && a.Impuesto.Cmp(b.Impuesto) == 0 && a.Activo == b.Activo &&
		a.Tributo == b.Tributo && a.Tratamiento == b.Tratamiento &&
		a.ControlInventario == b.ControlInventario && a.PermitirNegativo == b.PermitirNegativo
}

// optionalRate checks a rate that was sent; nil when it was not.
func optionalRate(field string, rate *money.Decimal) *fault.FieldError {
	if rate == nil {
		return nil
	}
	return billing.CheckRate(field, *rate)
}

// maxStockMovements is the most movements one read lists.
const maxStockMovements = 200

// AdjustStock adds cantidad (negative: takes it) to a tracked product's
// stock, with the reason (a count, a delivery received, a loss).
func (l *Ledger) AdjustStock(ctx context.Context, a Actor, product uuid.UUID, cantidad money.Decimal, motivo string) (billing.StockMovement, error) {
	checks := []*fault.FieldError{requiredText("motivo", motivo)}
	if cantidad.Sign() == 0 {
		checks = append(checks, &fault.FieldError{Field: "cantidad", Message: "must not be 0"})
	} else {
		size := cantidad
		if size.Sign() < 0 {
			size = size.Neg()
		}
		checks = append(checks, billing.CheckQuantity("cantidad", size))
	}
	if err := fault.Fields(checks...); err != nil {
		return billing.StockMovement{}, err
	}
	m := billing.StockMovement{ID: uuid.Must(uuid.NewV7()), ProductID: product, Tipo: billing.StockAdjustment,
		Cantidad: cantidad.Rescale(3), Motivo: strings.TrimSpace(motivo), Actor: a.Subject}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.StockMovement, error) { return tx.MoveStock(ctx, m) })
}

// StockMovements reads a product's latest stock movements.
func (l *Ledger) StockMovements(ctx context.Context, a Actor, product uuid.UUID, limit int) ([]billing.StockMovement, error) {
	if limit <= 0 || limit > maxStockMovements {
		limit = maxStockMovements
	}
	return l.store.StockMovements(ctx, a.Tenant, product, limit)
}
