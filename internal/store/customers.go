package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// Customer reads one customer of the tenant; fault.ErrCustomerNotFound when
// there is none (another tenant's included).
func (s *Store) Customer(ctx context.Context, tenant, id uuid.UUID) (billing.Customer, error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.Customer, error) {
		return q.GetCustomer(ctx, db.GetCustomerParams{TenantID: tenant, ID: id})
	})
	if NoRows(err) {
		return billing.Customer{}, fault.ErrCustomerNotFound
	}
	if err != nil {
		return billing.Customer{}, fmt.Errorf("loading customer: %w", err)
	}
	return toCustomer(row), nil
}

// Customers reads one page of the tenant's customers (see billing.CustomerPage).
func (s *Store) Customers(ctx context.Context, tenant uuid.UUID, p billing.CustomerPage) ([]billing.Customer, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.Customer, error) {
		return q.ListCustomers(ctx, db.ListCustomersParams{TenantID: tenant, Search: likePattern(p.Search), NitSearch: likePattern(p.NITSearch),
			AfterRazonSocial: p.AfterRazonSocial, AfterID: p.AfterID, MaxRows: int32(p.Limit)})
	})
	if err != nil {
		return nil, fmt.Errorf("listing customers: %w", err)
	}
	out := make([]billing.Customer, len(rows))
	for i, r := range rows {
		out[i] = toCustomer(r)
	}
	return out, nil
}

// CreateCustomer writes a new customer; a NIT the tenant already has answers
// fault.ErrCustomerNitTaken (the customers_nit_key constraint).
func (tx *Tx) CreateCustomer(ctx context.Context, c billing.Customer) (billing.Customer, error) {
	row, err := tx.q.CreateCustomer(ctx, db.CreateCustomerParams{
		TenantID: tx.tenant, ID: c.ID, RazonSocial: c.RazonSocial, Nit: c.Nit,
		Email: c.Email, Telefono: c.Telefono, Direccion: c.Direccion,
		TipoIdentificacion: identificationColumn(c.TipoIdentificacion), TipoPersona: personaColumn(c.TipoPersona),
	})
	if err != nil {
		return billing.Customer{}, fmt.Errorf("creating customer: %w", Translate(err))
	}
	out := toCustomer(row)
	tx.count(billing.CustomerChange("", out.Status))
	return out, nil
}

// LockCustomer reads a customer and locks it against concurrent changes
// until the transaction ends.
func (tx *Tx) LockCustomer(ctx context.Context, id uuid.UUID) (billing.Customer, error) {
	row, err := tx.q.GetCustomerForUpdate(ctx, db.GetCustomerForUpdateParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return billing.Customer{}, fault.ErrCustomerNotFound
	}
	if err != nil {
		return billing.Customer{}, fmt.Errorf("locking customer: %w", err)
	}
	return toCustomer(row), nil
}

// DraftTarget is what a draft is written against: its customer, whether
// the tenant invoices electronically (it has a fiscal profile), and whether
// the client's numero is one an active invoice range of the tenant is yet
// to give.
type DraftTarget struct {
	Customer       billing.Customer
	Electronic     bool
	NumeroReserved bool
}

// CustomerForInvoice reads the customer an invoice is written for and
// share-locks it, so it cannot be deleted before the invoice that
// references it commits; numero is the client's ("" for none).
func (tx *Tx) CustomerForInvoice(ctx context.Context, id uuid.UUID, numero string) (DraftTarget, error) {
	row, err := tx.q.GetCustomerForInvoice(ctx, db.GetCustomerForInvoiceParams{TenantID: tx.tenant, ID: id, Numero: numero})
	if NoRows(err) {
		return DraftTarget{}, fault.ErrCustomerNotFound
	}
	if err != nil {
		return DraftTarget{}, fmt.Errorf("loading customer: %w", err)
	}
	return DraftTarget{Customer: toCustomer(row.Customer), Electronic: row.Electronic, NumeroReserved: row.NumeroReserved}, nil
}

// UpdateCustomer writes next over cur, a customer LockCustomer returned.
func (tx *Tx) UpdateCustomer(ctx context.Context, cur, next billing.Customer) (billing.Customer, error) {
	row, err := tx.q.UpdateCustomer(ctx, db.UpdateCustomerParams{
		TenantID: tx.tenant, ID: cur.ID, RazonSocial: next.RazonSocial, Nit: next.Nit,
		Email: next.Email, Telefono: next.Telefono, Direccion: next.Direccion, Status: string(next.Status),
		TipoIdentificacion: identificationColumn(next.TipoIdentificacion), TipoPersona: personaColumn(next.TipoPersona),
	})
	if err != nil {
		return billing.Customer{}, fmt.Errorf("updating customer: %w", Translate(err))
	}
	out := toCustomer(row)
	tx.count(billing.CustomerChange(cur.Status, out.Status))
	return out, nil
}

// DeleteCustomer removes a customer; one with invoices answers
// fault.ErrCustomerHasInvoices (the invoices' foreign key restricts it).
func (tx *Tx) DeleteCustomer(ctx context.Context, id uuid.UUID) error {
	status, err := tx.q.DeleteCustomer(ctx, db.DeleteCustomerParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return fault.ErrCustomerNotFound
	}
	if err != nil {
		return fmt.Errorf("deleting customer: %w", Translate(err))
	}
	tx.count(billing.CustomerChange(billing.CustomerStatus(status), ""))
	return nil
}

func toCustomer(c db.Customer) billing.Customer {
	return billing.Customer{
		ID:                 c.ID,
		RazonSocial:        c.RazonSocial,
		Nit:                c.Nit,
		Email:              c.Email,
		Telefono:           c.Telefono,
		Direccion:          c.Direccion,
		TipoIdentificacion: c.TipoIdentificacion,
		TipoPersona:        toPersona(c.TipoPersona),
		Status:             billing.CustomerStatus(c.Status),
		CreatedAt:          c.CreatedAt,
		UpdatedAt:          c.UpdatedAt,
	}
}

// likePattern is the LIKE pattern that matches search as a substring (the
// queries add the % around it), nil when there is nothing to search for.
func likePattern(search string) *string {
	if search == "" {
		return nil
	}
	p := likeEscaper.Replace(search)
	return &p
}

// likeEscaper makes a string match itself literally inside a LIKE pattern.
// Built once: a Replacer builds its tables on first use.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func personaColumn(p *billing.TipoPersona) *string {
	if p == nil {
		return nil
	}
	s := string(*p)
	return &s
}

func toPersona(s *string) *billing.TipoPersona {
	if s == nil {
		return nil
	}
	p := billing.TipoPersona(*s)
	return &p
}

// identificationColumn writes a customer's identification type; the zero
// value is the column's default, a cédula.
func identificationColumn(t string) string {
	if t == "" {
		return billing.IDCedula
	}
	return t
}
