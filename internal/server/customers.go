package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"billing/gen/api"
	"billing/internal/billing"
	"billing/internal/ledger"
)

// ListCustomers answers one page of the tenant's customers, active and
// inactive, in razonSocial order, optionally filtered by search.
func (s *Server) ListCustomers(ctx context.Context, req api.ListCustomersRequestObject) (api.ListCustomersResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	after, err := decodeCursor("customers", req.Params.Cursor, firstByName)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(req.Params.Limit)
	search := searchText(req.Params.Search)
	rows, err := s.ledger.Customers(ctx, a, billing.CustomerPage{Search: search, AfterRazonSocial: after.Key, AfterID: after.ID, Limit: limit + 1})
	if err != nil {
		return nil, fmt.Errorf("listing customers: %w", err)
	}
	rows, next := page(rows, limit, func(c billing.Customer) cursor {
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

// CreateCustomer adds an ACTIVE customer.
func (s *Server) CreateCustomer(ctx context.Context, req api.CreateCustomerRequestObject) (api.CreateCustomerResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	in := ledger.NewCustomer{RazonSocial: b.RazonSocial, Nit: b.Nit, Email: b.Email, Telefono: b.Telefono, Direccion: b.Direccion,
		TipoIdentificacion: (*string)(b.TipoIdentificacion), TipoPersona: (*billing.TipoPersona)(b.TipoPersona)}
	c, err := s.ledger.CreateCustomer(ctx, a, in, once(ctx, http.StatusCreated, func(c billing.Customer) any { return toAPICustomer(c) }))
	if err != nil {
		return nil, fmt.Errorf("creating customer: %w", inBody(err))
	}
	return api.CreateCustomer201JSONResponse{Body: toAPICustomer(c)}, nil
}

// GetCustomer answers one customer of the caller's tenant.
func (s *Server) GetCustomer(ctx context.Context, req api.GetCustomerRequestObject) (api.GetCustomerResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.ledger.Customer(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("loading customer: %w", err)
	}
	return api.GetCustomer200JSONResponse(toAPICustomer(c)), nil
}

// UpdateCustomer applies a PATCH: only the fields present change.
func (s *Server) UpdateCustomer(ctx context.Context, req api.UpdateCustomerRequestObject) (api.UpdateCustomerResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	p := ledger.CustomerPatch{
		RazonSocial:        b.RazonSocial,
		Nit:                b.Nit,
		Email:              textPatch(b.Email),
		Telefono:           textPatch(b.Telefono),
		Direccion:          textPatch(b.Direccion),
		TipoIdentificacion: (*string)(b.TipoIdentificacion),
		TipoPersona:        (*billing.TipoPersona)(b.TipoPersona),
	}
	if b.Status != nil {
		st := billing.CustomerStatus(*b.Status)
		p.Status = &st
	}
	c, err := s.ledger.UpdateCustomer(ctx, a, req.ID, p)
	if err != nil {
		return nil, fmt.Errorf("updating customer: %w", inBody(err))
	}
	return api.UpdateCustomer200JSONResponse(toAPICustomer(c)), nil
}

// DeleteCustomer removes a customer that has no invoices.
func (s *Server) DeleteCustomer(ctx context.Context, req api.DeleteCustomerRequestObject) (api.DeleteCustomerResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.ledger.DeleteCustomer(ctx, a, req.ID); err != nil {
		return nil, fmt.Errorf("deleting customer: %w", err)
	}
	return api.DeleteCustomer204Response{}, nil
}

func toAPICustomer(c billing.Customer) api.Customer {
	out := api.Customer{
		ID:                 c.ID,
		RazonSocial:        c.RazonSocial,
		Nit:                c.Nit,
		Email:              c.Email,
		Telefono:           c.Telefono,
		Direccion:          c.Direccion,
		TipoIdentificacion: api.TipoIdentificacion(c.TipoIdentificacion),
		TipoPersona:        (*api.TipoPersona)(c.TipoPersona),
		Status:             api.CustomerStatus(c.Status),
		CreatedAt:          c.CreatedAt,
		UpdatedAt:          c.UpdatedAt,
	}
	if dv, ok := billing.NITCheckDigit(c.Nit); ok {
		out.Dv = &dv
	}
	return out
}
