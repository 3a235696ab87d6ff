package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// DeliveryProviders lists the tenant's delivery providers by name.
func (s *Store) DeliveryProviders(ctx context.Context, tenant uuid.UUID) ([]billing.DeliveryProvider, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.DeliveryProvider, error) { return q.ListDeliveryProviders(ctx, tenant) })
	if err != nil {
		return nil, fmt.Errorf("listing delivery providers: %w", err)
	}
	out := make([]billing.DeliveryProvider, len(rows))
	for i, r := range rows {
		out[i] = toDeliveryProvider(r)
	}
	return out, nil
}

// CreateDeliveryProvider adds a provider (fault.ErrDeliveryProviderNameTaken
// for a name the tenant has).
func (tx *Tx) CreateDeliveryProvider(ctx context.Context, p billing.DeliveryProvider) (billing.DeliveryProvider, error) {
	r, err := tx.q.CreateDeliveryProvider(ctx, db.CreateDeliveryProviderParams{TenantID: tx.tenant, ID: p.ID, Nombre: p.Nombre, Activo: p.Activo})
	if err != nil {
		return billing.DeliveryProvider{}, fmt.Errorf("creating delivery provider: %w", Translate(err))
	}
	return toDeliveryProvider(r), nil
}

// UpdateDeliveryProvider renames or (de)activates a provider (nil keeps
// each); fault.ErrDeliveryProviderNotFound for none.
func (tx *Tx) UpdateDeliveryProvider(ctx context.Context, id uuid.UUID, nombre *string, activo *bool) (billing.DeliveryProvider, error) {
	r, err := tx.q.UpdateDeliveryProvider(ctx, db.UpdateDeliveryProviderParams{TenantID: tx.tenant, ID: id, Nombre: nombre, Activo: activo})
	if NoRows(err) {
		return billing.DeliveryProvider{}, fault.ErrDeliveryProviderNotFound
	}
	if err != nil {
		return billing.DeliveryProvider{}, fmt.Errorf("updating delivery provider: %w", Translate(err))
	}
	return toDeliveryProvider(r), nil
}

func toDeliveryProvider(r db.DeliveryProvider) billing.DeliveryProvider {
	return billing.DeliveryProvider{ID: r.ID, Nombre: r.Nombre, Activo: r.Activo, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}
