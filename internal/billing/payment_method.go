package billing

import (
	"time"

	"github.com/google/uuid"
)

// PaymentMethod is one of a tenant's ways of being paid at a point of
// sale: the name the cashier picks, DIAN's payment means code the invoice
// carries (10 efectivo, 48 tarjeta crédito, …) and whether the money goes
// into the cash drawer, which a register's close counts.
type PaymentMethod struct {
	ID        uuid.UUID
	Nombre    string
	Codigo    string
	Efectivo  bool
	Activo    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DeliveryProvider is who delivers a point of sale's orders: the tenant's
// own couriers or an app (the seed's deliveryProvider).
type DeliveryProvider struct {
	ID        uuid.UUID
	Nombre    string
	Activo    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}
