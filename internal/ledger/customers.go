package ledger

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/store"
)

// NewCustomer is what a create of a customer gives.
type NewCustomer struct {
	RazonSocial string
	Nit         string // in any form billing.NormalizeNIT reads
	Email       *string
	Telefono    *string
	Direccion   *string
	// TipoIdentificacion nil is settled by billing.IdentificationType.
	TipoIdentificacion *string
	TipoPersona        *billing.TipoPersona
}

// CustomerPatch is a PATCH of a customer: nil fields keep their value.
type CustomerPatch struct {
	RazonSocial *string
	Nit         *string
	Status      *billing.CustomerStatus
	Email       TextPatch
	Telefono    TextPatch
	Direccion   TextPatch
	// TipoIdentificacion and TipoPersona nil keep their value; see
	// patchCustomer for the type a new nit or person type implies.
	TipoIdentificacion *string
	TipoPersona        *billing.TipoPersona
}

// Customer reads one customer of the actor's tenant.
func (l *Ledger) Customer(ctx context.Context, a Actor, id uuid.UUID) (billing.Customer, error) {
	return l.store.Customer(ctx, a.Tenant, id)
}

// Customers reads one page of the actor's tenant's customers. A search
// written as a NIT ("900.123.456-8") also finds the NIT as it is kept.
func (l *Ledger) Customers(ctx context.Context, a Actor, p billing.CustomerPage) ([]billing.Customer, error) {
	if p.Search != "" {
		if nit, err := billing.NormalizeNIT(p.Search); err == nil && nit != p.Search {
			p.NITSearch = nit
		}
	}
	return l.store.Customers(ctx, a.Tenant, p)
}

// CreateCustomer adds an ACTIVE customer. Its NIT is kept as its digits
// (billing.NormalizeNIT), so a NIT the tenant already has, written in any
// form, answers fault.ErrCustomerNitTaken.
func (l *Ledger) CreateCustomer(ctx context.Context, a Actor, in NewCustomer, once *Once[billing.Customer]) (billing.Customer, error) {
	if err := fault.Fields(requiredText("razonSocial", in.RazonSocial)); err != nil {
		return billing.Customer{}, err
	}
	nit, err := billing.NormalizeNIT(in.Nit)
	if err != nil {
		return billing.Customer{}, err
	}
	kind, bad := billing.IdentificationType(in.TipoIdentificacion, in.Nit, nit, in.TipoPersona)
	if err := fault.Fields(bad); err != nil {
		return billing.Customer{}, err
	}
	c := billing.Customer{
		ID:                 uuid.Must(uuid.NewV7()),
		RazonSocial:        strings.TrimSpace(in.RazonSocial),
		Nit:                nit,
		Email:              optionalText(in.Email),
		Telefono:           optionalText(in.Telefono),
		Direccion:          optionalText(in.Direccion),
		TipoIdentificacion: kind,
		TipoPersona:        in.TipoPersona,
	}
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.Customer, error) {
		return tx.CreateCustomer(ctx, c)
	})
}

// UpdateCustomer applies a PATCH: only the fields present change. The row is
// locked while the patch is merged, so two concurrent PATCHes of different
// fields both take effect; a patch that changes nothing keeps updatedAt.
func (l *Ledger) UpdateCustomer(ctx context.Context, a Actor, id uuid.UUID, p CustomerPatch) (billing.Customer, error) {
	if p.RazonSocial != nil {
		if err := fault.Fields(requiredText("razonSocial", *p.RazonSocial)); err != nil {
			return billing.Customer{}, err
		}
	}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.Customer, error) {
		cur, err := tx.LockCustomer(ctx, id)
		if err != nil {
			return billing.Customer{}, err
		}
		next, err := patchCustomer(cur, p)
		if err != nil {
			return billing.Customer{}, err
		}
		if sameCustomer(cur, next) {
			return cur, nil
		}
		return tx.UpdateCustomer(ctx, cur, next)
	})
}

// DeleteCustomer removes a customer that has no invoices
// (fault.ErrCustomerHasInvoices otherwise: set it INACTIVE instead).
func (l *Ledger) DeleteCustomer(ctx context.Context, a Actor, id uuid.UUID) error {
	_, err := write(ctx, l, a, nil, func(tx *store.Tx) (struct{}, error) {
		return struct{}{}, tx.DeleteCustomer(ctx, id)
	})
	return err
}

// patchCustomer merges a PATCH into the current customer. A nit sent as it
// is stored changes nothing (a NIT kept in an older form stays readable and
// re-sendable); any other is normalised and checked. The identification type
// changes only when sent, with two exceptions: a new number written with its
// check digit is a NIT (31), and a cédula holder that becomes JURIDICA is a
// NIT (a company is never reported as a cédula). What results must agree with
// the number and the person type (billing.CheckIdentification).
func patchCustomer(cur billing.Customer, p CustomerPatch) (billing.Customer, error) {
	next := cur
	if p.RazonSocial != nil {
		next.RazonSocial = strings.TrimSpace(*p.RazonSocial)
	}
	if p.Nit != nil && *p.Nit != cur.Nit {
		nit, err := billing.NormalizeNIT(*p.Nit)
		if err != nil {
			return next, err
		}
		next.Nit = nit
	}
	if p.TipoPersona != nil {
		next.TipoPersona = p.TipoPersona
	}
	switch {
	case p.TipoIdentificacion != nil:
		next.TipoIdentificacion = *p.TipoIdentificacion
	case next.Nit != cur.Nit && strings.Contains(*p.Nit, "-"):
		next.TipoIdentificacion = billing.IDNIT // a new number written with its check digit
	case p.TipoPersona != nil && *p.TipoPersona == billing.PersonaJuridica && next.TipoIdentificacion == billing.IDCedula:
		next.TipoIdentificacion = billing.IDNIT // a company is never reported as a cédula
	}
	if next.TipoIdentificacion != cur.TipoIdentificacion || p.TipoPersona != nil || next.Nit != cur.Nit {
		if err := fault.Fields(billing.CheckIdentification(next.TipoIdentificacion, next.Nit, next.TipoPersona)); err != nil {
			return next, err
		}
	}
	if p.Status != nil {
		next.Status = *p.Status
	}
	next.Email = p.Email.apply(cur.Email)
	next.Telefono = p.Telefono.apply(cur.Telefono)
	next.Direccion = p.Direccion.apply(cur.Direccion)
	return next, nil
}

func sameCustomer(a, b billing.Customer) bool {
	return a.RazonSocial == b.RazonSocial && a.Nit == b.Nit && a.Status == b.Status &&
		sameText(a.Email, b.Email) && sameText(a.Telefono, b.Telefono) && sameText(a.Direccion, b.Direccion) &&
		a.TipoIdentificacion == b.TipoIdentificacion && samePersona(a.TipoPersona, b.TipoPersona)
}

func samePersona(a, b *billing.TipoPersona) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}
