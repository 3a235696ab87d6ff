package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// The tenants table is not tenant-owned: the CLI manages it and every
// request's transaction reads a tenant's status from it. These run outside
// any tenant's scope.

// CreateTenant adds an ACTIVE tenant.
func (s *Store) CreateTenant(ctx context.Context, name string) (billing.Tenant, error) {
	id := uuid.Must(uuid.NewV7())
	var t db.Tenant
	// The tenant and what every tenant starts with, in one transaction
	// scoped to it (its payment methods are row-level secured).
	err := s.rawTx(ctx, id, txCreate, func(c *pgx.Conn, _ *pgx.Batch) error {
		q := db.New(c)
		var err error
		if t, err = q.CreateTenant(ctx, db.CreateTenantParams{ID: id, Name: name}); err != nil {
			return err
		}
		return q.SeedPaymentMethods(ctx, db.SeedPaymentMethodsParams{TenantID: id, EfectivoID: uuid.Must(uuid.NewV7()),
			DebitoID: uuid.Must(uuid.NewV7()), CreditoID: uuid.Must(uuid.NewV7()), TransferenciaID: uuid.Must(uuid.NewV7())})
	})
	if err != nil {
		return billing.Tenant{}, fmt.Errorf("creating tenant: %w", err)
	}
	return toTenant(t), nil
}

// Tenants lists every tenant, oldest first.
func (s *Store) Tenants(ctx context.Context) ([]billing.Tenant, error) {
	var ts []db.Tenant
	err := s.untenanted(ctx, func(q *db.Queries) (err error) {
		ts, err = q.ListTenants(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing tenants: %w", err)
	}
	out := make([]billing.Tenant, len(ts))
	for i, t := range ts {
		out[i] = toTenant(t)
	}
	return out, nil
}

// TenantByName finds the oldest tenant of that name;
// fault.ErrTenantNotFound when there is none.
func (s *Store) TenantByName(ctx context.Context, name string) (billing.Tenant, error) {
	var t db.Tenant
	err := s.untenanted(ctx, func(q *db.Queries) (err error) {
		t, err = q.FindTenantByName(ctx, name)
		return err
	})
	if NoRows(err) {
		return billing.Tenant{}, fault.ErrTenantNotFound
	}
	if err != nil {
		return billing.Tenant{}, fmt.Errorf("finding tenant: %w", err)
	}
	return toTenant(t), nil
}

// SetTenantStatus activates or deactivates a tenant; fault.ErrTenantNotFound
// when there is none.
func (s *Store) SetTenantStatus(ctx context.Context, id uuid.UUID, status billing.TenantStatus) (billing.Tenant, error) {
	var t db.Tenant
	err := s.untenanted(ctx, func(q *db.Queries) (err error) {
		t, err = q.SetTenantStatus(ctx, db.SetTenantStatusParams{ID: id, Status: string(status)})
		return err
	})
	if NoRows(err) {
		return billing.Tenant{}, fault.ErrTenantNotFound
	}
	if err != nil {
		return billing.Tenant{}, fmt.Errorf("setting tenant status: %w", err)
	}
	return toTenant(t), nil
}

func toTenant(t db.Tenant) billing.Tenant {
	return billing.Tenant{ID: t.ID, Name: t.Name, Status: billing.TenantStatus(t.Status), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

// Tenant reads one tenant; fault.ErrTenantNotFound when there is none.
func (s *Store) Tenant(ctx context.Context, id uuid.UUID) (billing.Tenant, error) {
	var t db.Tenant
	err := s.untenanted(ctx, func(q *db.Queries) (err error) {
		t, err = q.GetTenant(ctx, id)
		return err
	})
	if NoRows(err) {
		return billing.Tenant{}, fault.ErrTenantNotFound
	}
	if err != nil {
		return billing.Tenant{}, fmt.Errorf("loading tenant: %w", err)
	}
	return toTenant(t), nil
}
