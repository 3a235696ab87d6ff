package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// PaymentMethods lists the tenant's payment methods, active or not, by
// name.
func (s *Store) PaymentMethods(ctx context.Context, tenant uuid.UUID) ([]billing.PaymentMethod, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.PaymentMethod, error) { return q.ListPaymentMethods(ctx, tenant) })
	if err != nil {
		return nil, fmt.Errorf("listing payment methods: %w", err)
	}
	out := make([]billing.PaymentMethod, len(rows))
	for i, r := range rows {
		out[i] = toPaymentMethod(r)
	}
	return out, nil
}

// PaymentMethod reads one of the tenant's methods (in the transaction: a
// sale reads the method it records); fault.ErrPaymentMethodNotFound for
// none.
func (tx *Tx) PaymentMethod(ctx context.Context, id uuid.UUID) (billing.PaymentMethod, error) {
	r, err := tx.q.GetPaymentMethod(ctx, db.GetPaymentMethodParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return billing.PaymentMethod{}, fault.ErrPaymentMethodNotFound
	}
	if err != nil {
		return billing.PaymentMethod{}, fmt.Errorf("reading payment method: %w", err)
	}
	return toPaymentMethod(r), nil
}

// CreatePaymentMethod adds a method (fault.ErrPaymentMethodNameTaken for
// a name the tenant has).
func (tx *Tx) CreatePaymentMethod(ctx context.Context, m billing.PaymentMethod) (billing.PaymentMethod, error) {
	r, err := tx.q.CreatePaymentMethod(ctx, db.CreatePaymentMethodParams{TenantID: tx.tenant, ID: m.ID, Nombre: m.Nombre,
		Codigo: m.Codigo, Efectivo: m.Efectivo, Activo: m.Activo})
	if err != nil {
		return billing.PaymentMethod{}, fmt.Errorf("creating payment method: %w", Translate(err))
	}
	return toPaymentMethod(r), nil
}

// UpdatePaymentMethod changes a method's name, drawer or state (nil keeps
// each); fault.ErrPaymentMethodNotFound for none.
func (tx *Tx) UpdatePaymentMethod(ctx context.Context, id uuid.UUID, nombre *string, efectivo, activo *bool) (billing.PaymentMethod, error) {
	r, err := tx.q.UpdatePaymentMethod(ctx, db.UpdatePaymentMethodParams{TenantID: tx.tenant, ID: id, Nombre: nombre,
		Efectivo: efectivo, Activo: activo})
	if NoRows(err) {
		return billing.PaymentMethod{}, fault.ErrPaymentMethodNotFound
	}
	if err != nil {
		return billing.PaymentMethod{}, fmt.Errorf("updating payment method: %w", Translate(err))
	}
	return toPaymentMethod(r), nil
}

func toPaymentMethod(r db.PaymentMethod) billing.PaymentMethod {
	return billing.PaymentMethod{ID: r.ID, Nombre: r.Nombre, Codigo: r.Codigo, Efectivo: r.Efectivo, Activo: r.Activo,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}
