package ledger

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/store"
)

// NewPaymentMethod is what a create of a payment method gives; a nil
// Efectivo is true for DIAN's code 10 (efectivo) only, a nil Activo true.
type NewPaymentMethod struct {
	Nombre   string
	Codigo   string
	Efectivo *bool
	Activo   *bool
}

// PaymentMethodPatch is a PATCH of a payment method: nil fields keep their
// value. The code is fixed once created: sales carry it.
type PaymentMethodPatch struct {
	Nombre   *string
	Efectivo *bool
	Activo   *bool
}

// PaymentMethods lists the actor's tenant's payment methods.
func (l *Ledger) PaymentMethods(ctx context.Context, a Actor) ([]billing.PaymentMethod, error) {
	return l.store.PaymentMethods(ctx, a.Tenant)
}

// CreatePaymentMethod adds a payment method.
func (l *Ledger) CreatePaymentMethod(ctx context.Context, a Actor, in NewPaymentMethod, once *Once[billing.PaymentMethod]) (billing.PaymentMethod, error) {
	if err := fault.Fields(requiredText("nombre", in.Nombre), billing.CheckPaymentMeans("codigo", in.Codigo)); err != nil {
		return billing.PaymentMethod{}, err
	}
	m := billing.PaymentMethod{ID: uuid.Must(uuid.NewV7()), Nombre: strings.TrimSpace(in.Nombre), Codigo: in.Codigo,
		Efectivo: in.Codigo == billing.DefaultPaymentMeans, Activo: true}
	if in.Efectivo != nil {
		m.Efectivo = *in.Efectivo
	}
	if in.Activo != nil {
		m.Activo = *in.Activo
	}
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.PaymentMethod, error) { return tx.CreatePaymentMethod(ctx, m) })
}

// UpdatePaymentMethod applies a PATCH of a payment method.
func (l *Ledger) UpdatePaymentMethod(ctx context.Context, a Actor, id uuid.UUID, p PaymentMethodPatch) (billing.PaymentMethod, error) {
	if p.Nombre != nil {
		if err := fault.Fields(requiredText("nombre", *p.Nombre)); err != nil {
			return billing.PaymentMethod{}, err
		}
		n := strings.TrimSpace(*p.Nombre)
		p.Nombre = &n
	}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.PaymentMethod, error) {
		return tx.UpdatePaymentMethod(ctx, id, p.Nombre, p.Efectivo, p.Activo)
	})
}
