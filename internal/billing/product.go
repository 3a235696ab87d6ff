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
	CreatedAt   time.Time
	UpdatedAt   time.Time
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
