package ledger

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
	"billing/internal/store"
)

// maxCashSessions is the most sessions one read of a register lists.
const maxCashSessions = 100

// CashRegisters lists the tenant's registers.
func (l *Ledger) CashRegisters(ctx context.Context, a Actor) ([]billing.CashRegister, error) {
	return l.store.CashRegisters(ctx, a.Tenant)
}

// CreateCashRegister adds a register.
func (l *Ledger) CreateCashRegister(ctx context.Context, a Actor, nombre string, once *Once[billing.CashRegister]) (billing.CashRegister, error) {
	if err := fault.Fields(requiredText("nombre", nombre)); err != nil {
		return billing.CashRegister{}, err
	}
	id := uuid.Must(uuid.NewV7())
	return write(ctx, l, a, once, func(tx *store.Tx) (billing.CashRegister, error) {
		return tx.CreateCashRegister(ctx, id, strings.TrimSpace(nombre))
	})
}

// OpenCashRegister opens a session of the actor (the token's sub is the
// cashier) on a register with a base in the drawer.
func (l *Ledger) OpenCashRegister(ctx context.Context, a Actor, register uuid.UUID, base money.Decimal) (billing.CashSession, error) {
	if err := fault.Fields(billing.CheckPrice("base", base)); err != nil {
		return billing.CashSession{}, err
	}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.CashSession, error) {
		return tx.OpenCashSession(ctx, register, a.Subject, base.Rescale(2))
	})
}

// MoveCash records cash put in (INGRESO) or taken out (RETIRO) of the
// drawer, with a reason, in the actor's open session on the register.
func (l *Ledger) MoveCash(ctx context.Context, a Actor, register uuid.UUID, kind billing.CashMovementKind, valor money.Decimal, motivo string) (billing.CashMovement, error) {
	checks := []*fault.FieldError{positiveAmount("valor", valor), requiredText("motivo", motivo)}
	if kind != billing.CashIn && kind != billing.CashOut {
		checks = append(checks, &fault.FieldError{Field: "tipo", Message: "must be INGRESO or RETIRO"})
	}
	if err := fault.Fields(checks...); err != nil {
		return billing.CashMovement{}, err
	}
	m := billing.CashMovement{ID: uuid.Must(uuid.NewV7()), Tipo: kind, Valor: valor.Rescale(2), Efectivo: true,
		Motivo: strings.TrimSpace(motivo), Actor: a.Subject}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.CashMovement, error) {
		s, err := tx.LockOpenSession(ctx, register)
		if err != nil {
			return billing.CashMovement{}, err
		}
		if s.Cajero != a.Subject {
			return billing.CashMovement{}, fault.ErrCashRegisterClosed
		}
		return tx.AddCashMovement(ctx, s.ID, m)
	})
}

// CloseCashRegister closes the register's open session with the cash
// counted: the expected cash and the difference are kept with it, and it
// never changes again. Only its cashier or an ADMIN closes it.
func (l *Ledger) CloseCashRegister(ctx context.Context, a Actor, register uuid.UUID, contado money.Decimal) (billing.CashSession, error) {
	if err := fault.Fields(billing.CheckPrice("efectivoContado", contado)); err != nil {
		return billing.CashSession{}, err
	}
	return write(ctx, l, a, nil, func(tx *store.Tx) (billing.CashSession, error) {
		s, err := tx.LockOpenSession(ctx, register)
		if err != nil {
			return billing.CashSession{}, err
		}
		if s.Cajero != a.Subject && !a.Admin {
			return billing.CashSession{}, fault.ErrCashSessionOtherCashier
		}
		return tx.CloseCashSession(ctx, s, contado.Rescale(2), a.Subject)
	})
}

// CashSessions reads a register's latest sessions, newest first.
func (l *Ledger) CashSessions(ctx context.Context, a Actor, register uuid.UUID, limit int) ([]billing.CashSession, error) {
	if limit <= 0 || limit > maxCashSessions {
		limit = maxCashSessions
	}
	return l.store.CashSessions(ctx, a.Tenant, register, limit)
}
