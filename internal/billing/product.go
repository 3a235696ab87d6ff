package billing

import (
	"time"

	"github.com/google/uuid"

	"billing/internal/money"
)

// Product is an entry of a tenant's catalogue of products and services.
type Product struct {
	ID          uuid.UUID
	Nombre      string
	Descripcion *string
	Precio      money.Decimal // 2 decimals
	Impuesto    money.Decimal // the tax rate a line of it gets, a percentage
	Tributo     TaxScheme
	Tratamiento TaxTreatment
	Activo      bool
	// ControlInventario: the product tracks its Stock; PermitirNegativo:
	// it may be sold below zero (made to order, not counted yet).
	ControlInventario bool
	PermitirNegativo  bool
	Stock             money.Decimal // 3 decimals; 0 when not tracked
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// ProductPage asks for one page of active products in (Nombre, ID) order,
// after the given position, optionally only those whose nombre contains
// Search (case-insensitively).
type ProductPage struct {
	Search      string
	AfterNombre string
	AfterID     uuid.UUID
	Limit       int
}

// StockMovementKind is what moved a product's stock.
type StockMovementKind string

const (
	StockAdjustment StockMovementKind = "AJUSTE" // counted, received, lost: with a reason
	StockSale       StockMovementKind = "VENTA"  // taken by an invoice
)

// StockMovement is one change of a product's stock and the stock it left.
type StockMovement struct {
	ID        uuid.UUID
	ProductID uuid.UUID
	Tipo      StockMovementKind
	Cantidad  money.Decimal // negative: taken out
	Saldo     money.Decimal
	Motivo    string
	InvoiceID *uuid.UUID
	Actor     string
	CreatedAt time.Time
}
