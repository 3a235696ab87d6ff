package ledger

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/store"
)

// DeliveryProviders lists the actor's tenant's delivery providers.
func (l *Ledger) DeliveryProviders(ctx context.Context, a Actor) ([]billing.DeliveryProvider, error) {
	return l.store.DeliveryProviders(ctx, a.Tenant)
}

// CreateDeliveryProvider adds a delivery provider, active unless activo
// says otherwise.
func (l *Ledger) CreateDeliveryProvider(ctx context.Context, a Actor, nombre string, activo *bool, once *Once[billing.DeliveryProvider]) (billing.DeliveryProvider, error) {
	if err := fault.Fields(requiredText("nombre", nombre)); err != nil {
		return billing.DeliveryProvider{}, err
	}
	p := billing.DeliveryProvider{ID: uuid.Must(uuid.NewV7()), Nombre: strings.TrimSpace(nombre), Activo: activo == nil || *activo}
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.DeliveryProvider, error) { return tx.CreateDeliveryProvider(ctx, p) })
}

// UpdateDeliveryProvider applies a PATCH of a delivery provider.
func (l *Ledger) UpdateDeliveryProvider(ctx context.Context, a Actor, id uuid.UUID, nombre *string, activo *bool) (billing.DeliveryProvider, error) {
	if nombre != nil {
		if err := fault.Fields(requiredText("nombre", *nombre)); err != nil {
			return billing.DeliveryProvider{}, err
		}
		n := strings.TrimSpace(*nombre)
		nombre = &n
	}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.DeliveryProvider, error) {
		return tx.UpdateDeliveryProvider(ctx, id, nombre, activo)
	})
}
