package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/store"
)

// ListCustomers answers one page of the tenant's customers, active and
// inactive, in razonSocial order, optionally filtered by search.
func (s *Server) ListCustomers(ctx context.Context, req api.ListCustomersRequestObject) (api.ListCustomersResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	after, err := decodeCursor("customers", req.Params.Cursor, firstByName)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(req.Params.Limit)
	search, pattern := searchPattern(req.Params.Search)
	params := db.ListCustomersParams{TenantID: p.TenantID, Search: pattern, AfterRazonSocial: after.Key, AfterID: after.ID, MaxRows: int32(limit + 1)}
	var rows []db.Customer
	err = s.store.Read(ctx, p.TenantID, func(q *db.Queries) error {
		var err error
		rows, err = q.ListCustomers(ctx, params)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing customers: %w", err)
	}
	rows, next := page(rows, limit, func(c db.Customer) cursor {
		return cursor{List: "customers", Key: c.RazonSocial, ID: c.ID}
	})
	out := api.ListCustomers200JSONResponse{Body: make([]api.Customer, len(rows))}
	for i, r := range rows {
		out.Body[i] = toAPICustomer(r)
	}
	if next != nil {
		out.Headers.Link = nextLink("/billing/customers", queryOf("search", search, "limit", strconv.Itoa(limit)), *next)
	}
	return out, nil
}

// CreateCustomer adds an ACTIVE customer; a nit already used in the tenant
// answers customer_nit_taken (enforced by the customers_nit_key constraint).
func (s *Server) CreateCustomer(ctx context.Context, req api.CreateCustomerRequestObject) (api.CreateCustomerResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	if err := fieldErrors(requiredText("body.razonSocial", b.RazonSocial)); err != nil {
		return nil, err
	}
	if err := billing.CheckNIT(b.Nit); err != nil {
		return nil, err
	}
	params := db.CreateCustomerParams{
		TenantID:    p.TenantID,
		ID:          uuid.Must(uuid.NewV7()),
		RazonSocial: strings.TrimSpace(b.RazonSocial),
		Nit:         b.Nit,
		Email:       optionalText(b.Email),
		Telefono:    optionalText(b.Telefono),
		Direccion:   optionalText(b.Direccion),
	}
	var out api.Customer
	err = s.store.InTx(ctx, p.TenantID, func(q *db.Queries) error {
		save, err := claimIdempotencyKey(ctx, q, p.TenantID)
		if err != nil {
			return err
		}
		row, err := q.CreateCustomer(ctx, params)
		if err != nil {
			return err
		}
		if err := store.AddFigures(ctx, q, p.TenantID, billing.CustomerChange("", row.Status)); err != nil {
			return err
		}
		out = toAPICustomer(row)
		return save(http.StatusCreated, out)
	})
	if err != nil {
		return nil, fmt.Errorf("creating customer: %w", err)
	}
	return api.CreateCustomer201JSONResponse{Body: out}, nil
}

// GetCustomer answers one customer of the caller's tenant.
func (s *Server) GetCustomer(ctx context.Context, req api.GetCustomerRequestObject) (api.GetCustomerResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var row db.Customer
	err = s.store.Read(ctx, p.TenantID, func(q *db.Queries) error {
		var err error
		row, err = q.GetCustomer(ctx, db.GetCustomerParams{TenantID: p.TenantID, ID: req.Id})
		return err
	})
	if store.NoRows(err) {
		return nil, billing.ErrCustomerNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("loading customer: %w", err)
	}
	return api.GetCustomer200JSONResponse(toAPICustomer(row)), nil
}

// UpdateCustomer applies a PATCH: only the fields present change. The row is
// locked while the patch is merged so two concurrent PATCHes of different
// fields both take effect.
func (s *Server) UpdateCustomer(ctx context.Context, req api.UpdateCustomerRequestObject) (api.UpdateCustomerResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if b := req.Body; b.RazonSocial != nil {
		if err := fieldErrors(requiredText("body.razonSocial", *b.RazonSocial)); err != nil {
			return nil, err
		}
	}
	var row db.Customer
	err = s.store.InTx(ctx, p.TenantID, func(q *db.Queries) error {
		cur, err := q.GetCustomerForUpdate(ctx, db.GetCustomerForUpdateParams{TenantID: p.TenantID, ID: req.Id})
		if store.NoRows(err) {
			return billing.ErrCustomerNotFound
		}
		if err != nil {
			return fmt.Errorf("locking customer: %w", err)
		}
		next, err := patchCustomer(cur, *req.Body)
		if err != nil {
			return err
		}
		if unchanged(cur, next) {
			// Nothing changes: keep updatedAt as it is.
			row = cur
			return nil
		}
		if row, err = q.UpdateCustomer(ctx, next); err != nil {
			return err
		}
		return store.AddFigures(ctx, q, p.TenantID, billing.CustomerChange(cur.Status, row.Status))
	})
	if err != nil {
		return nil, fmt.Errorf("updating customer: %w", err)
	}
	return api.UpdateCustomer200JSONResponse(toAPICustomer(row)), nil
}

// DeleteCustomer removes a customer; one with invoices answers
// customer_has_invoices (the invoices foreign key restricts the delete).
func (s *Server) DeleteCustomer(ctx context.Context, req api.DeleteCustomerRequestObject) (api.DeleteCustomerResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, p.TenantID, func(q *db.Queries) error {
		status, err := q.DeleteCustomer(ctx, db.DeleteCustomerParams{TenantID: p.TenantID, ID: req.Id})
		if store.NoRows(err) {
			return billing.ErrCustomerNotFound
		}
		if err != nil {
			return err
		}
		return store.AddFigures(ctx, q, p.TenantID, billing.CustomerChange(status, ""))
	})
	if err != nil {
		return nil, fmt.Errorf("deleting customer: %w", err)
	}
	return api.DeleteCustomer204Response{}, nil
}

// patchCustomer merges a PATCH body into the current row. Absent fields keep
// their value; null or blank optional text clears it.
func patchCustomer(cur db.Customer, b api.UpdateCustomer) (db.UpdateCustomerParams, error) {
	next := updateParams(cur)
	if b.RazonSocial != nil {
		next.RazonSocial = strings.TrimSpace(*b.RazonSocial)
	}
	if b.Nit != nil && *b.Nit != cur.Nit {
		if err := billing.CheckNIT(*b.Nit); err != nil {
			return next, err
		}
		next.Nit = *b.Nit
	}
	if b.Status != nil {
		next.Status = string(*b.Status)
	}
	next.Email = patchText(next.Email, b.Email)
	next.Telefono = patchText(next.Telefono, b.Telefono)
	next.Direccion = patchText(next.Direccion, b.Direccion)
	return next, nil
}

func updateParams(c db.Customer) db.UpdateCustomerParams {
	return db.UpdateCustomerParams{
		TenantID:    c.TenantID,
		ID:          c.ID,
		RazonSocial: c.RazonSocial,
		Nit:         c.Nit,
		Email:       c.Email,
		Telefono:    c.Telefono,
		Direccion:   c.Direccion,
		Status:      c.Status,
	}
}

// unchanged reports whether applying next would leave cur as it is.
func unchanged(cur db.Customer, next db.UpdateCustomerParams) bool {
	return next.RazonSocial == cur.RazonSocial && next.Nit == cur.Nit && next.Status == cur.Status &&
		sameText(next.Email, cur.Email) && sameText(next.Telefono, cur.Telefono) && sameText(next.Direccion, cur.Direccion)
}

func toAPICustomer(c db.Customer) api.Customer {
	return api.Customer{
		Id:          c.ID,
		RazonSocial: c.RazonSocial,
		Nit:         c.Nit,
		Email:       c.Email,
		Telefono:    c.Telefono,
		Direccion:   c.Direccion,
		Status:      api.CustomerStatus(c.Status),
		CreatedAt:   c.CreatedAt,
		UpdatedAt:   c.UpdatedAt,
	}
}
