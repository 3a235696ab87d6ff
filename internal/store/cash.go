package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
	"billing/internal/money"
)

// CreateCashRegister adds a register (fault.ErrCashRegisterNameTaken for
// a name the tenant has).
func (tx *Tx) CreateCashRegister(ctx context.Context, id uuid.UUID, nombre string) (billing.CashRegister, error) {
	r, err := tx.q.CreateCashRegister(ctx, db.CreateCashRegisterParams{TenantID: tx.tenant, ID: id, Nombre: nombre})
	if err != nil {
		return billing.CashRegister{}, fmt.Errorf("creating cash register: %w", Translate(err))
	}
	return billing.CashRegister{ID: r.ID, Nombre: r.Nombre, CreatedAt: r.CreatedAt}, nil
}

// CashRegisters lists the tenant's registers by name, each with its open
// session if it has one.
func (s *Store) CashRegisters(ctx context.Context, tenant uuid.UUID) ([]billing.CashRegister, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.ListCashRegistersRow, error) { return q.ListCashRegisters(ctx, tenant) })
	if err != nil {
		return nil, fmt.Errorf("listing cash registers: %w", err)
	}
	out := make([]billing.CashRegister, len(rows))
	for i, r := range rows {
		out[i] = billing.CashRegister{ID: r.ID, Nombre: r.Nombre, CreatedAt: r.CreatedAt, OpenSession: r.SessionID}
		if r.Cajero != nil {
			out[i].Cajero = *r.Cajero
		}
	}
	return out, nil
}

// OpenCashSession opens a session of cajero on a register with a base:
// fault.ErrCashRegisterNotFound, fault.ErrCashRegisterOpen when the
// register has one open, fault.ErrCashierSessionOpen when the cashier has.
func (tx *Tx) OpenCashSession(ctx context.Context, register uuid.UUID, cajero string, base money.Decimal) (billing.CashSession, error) {
	if err := tx.cashRegisterExists(ctx, register); err != nil {
		return billing.CashSession{}, err
	}
	r, err := tx.q.OpenCashSession(ctx, db.OpenCashSessionParams{TenantID: tx.tenant, ID: uuid.Must(uuid.NewV7()),
		RegisterID: register, Cajero: cajero, Base: base})
	if err != nil {
		return billing.CashSession{}, fmt.Errorf("opening cash session: %w", Translate(err))
	}
	return toCashSession(r, nil), nil
}

func (tx *Tx) cashRegisterExists(ctx context.Context, register uuid.UUID) error {
	ok, err := tx.q.CashRegisterExists(ctx, db.CashRegisterExistsParams{TenantID: tx.tenant, ID: register})
	if err != nil {
		return fmt.Errorf("reading cash register: %w", err)
	}
	if !ok {
		return fault.ErrCashRegisterNotFound
	}
	return nil
}

// LockOpenSession locks the register's open session with its movements:
// fault.ErrCashRegisterNotFound for no register, fault.ErrCashRegisterClosed
// for none open.
func (tx *Tx) LockOpenSession(ctx context.Context, register uuid.UUID) (billing.CashSession, error) {
	r, err := tx.q.LockOpenCashSession(ctx, db.LockOpenCashSessionParams{TenantID: tx.tenant, RegisterID: register})
	if NoRows(err) {
		if err := tx.cashRegisterExists(ctx, register); err != nil {
			return billing.CashSession{}, err
		}
		return billing.CashSession{}, fault.ErrCashRegisterClosed
	}
	if err != nil {
		return billing.CashSession{}, fmt.Errorf("locking cash session: %w", err)
	}
	return tx.withMovements(ctx, r)
}

// LockCashierSession locks the cashier's open session, on whichever
// register, without its movements (a sale only adds one; reading them
// all would grow with the session): fault.ErrCashRegisterClosed when
// there is none.
func (tx *Tx) LockCashierSession(ctx context.Context, cajero string) (billing.CashSession, error) {
	r, err := tx.q.LockCashierSession(ctx, db.LockCashierSessionParams{TenantID: tx.tenant, Cajero: cajero})
	if NoRows(err) {
		return billing.CashSession{}, fault.ErrCashRegisterClosed
	}
	if err != nil {
		return billing.CashSession{}, fmt.Errorf("locking cash session: %w", err)
	}
	return toCashSession(r, nil), nil
}

func (tx *Tx) withMovements(ctx context.Context, r db.CashSession) (billing.CashSession, error) {
	ms, err := tx.q.ListSessionMovements(ctx, db.ListSessionMovementsParams{TenantID: tx.tenant, SessionIds: []uuid.UUID{r.ID}})
	if err != nil {
		return billing.CashSession{}, fmt.Errorf("reading the session's movements: %w", err)
	}
	return toCashSession(r, ms), nil
}

// AddCashMovement records a movement in a locked open session.
func (tx *Tx) AddCashMovement(ctx context.Context, session uuid.UUID, m billing.CashMovement) (billing.CashMovement, error) {
	r, err := tx.q.InsertCashMovement(ctx, db.InsertCashMovementParams{TenantID: tx.tenant, ID: m.ID, SessionID: session,
		Tipo: string(m.Tipo), Valor: m.Valor, MedioPago: nullIfEmpty(m.MedioPago), Efectivo: m.Efectivo,
		Motivo: nullIfEmpty(m.Motivo), InvoiceID: m.InvoiceID, Actor: m.Actor})
	if err != nil {
		return billing.CashMovement{}, fmt.Errorf("recording cash movement: %w", Translate(err))
	}
	return toCashMovement(r), nil
}

// CloseCashSession closes a locked open session with the cash counted,
// keeping the expected cash as it stands.
func (tx *Tx) CloseCashSession(ctx context.Context, s billing.CashSession, contado money.Decimal, by string) (billing.CashSession, error) {
	esperado := s.EfectivoEsperado()
	r, err := tx.q.CloseCashSession(ctx, db.CloseCashSessionParams{TenantID: tx.tenant, ID: s.ID, CerradaPor: &by,
		EfectivoEsperado: &esperado, EfectivoContado: &contado})
	if NoRows(err) {
		return billing.CashSession{}, fault.ErrCashRegisterClosed
	}
	if err != nil {
		return billing.CashSession{}, fmt.Errorf("closing cash session: %w", Translate(err))
	}
	closed := toCashSession(r, nil)
	closed.Movimientos = s.Movimientos
	return closed, nil
}

// CashSessions reads a register's sessions, newest first, at most limit,
// with their movements: fault.ErrCashRegisterNotFound for no register.
func (s *Store) CashSessions(ctx context.Context, tenant, register uuid.UUID, limit int) ([]billing.CashSession, error) {
	var out []billing.CashSession
	err := s.InTx(ctx, tenant, func(tx *Tx) error {
		if err := tx.cashRegisterExists(ctx, register); err != nil {
			return err
		}
		rows, err := tx.q.ListCashSessions(ctx, db.ListCashSessionsParams{TenantID: tenant, RegisterID: register, MaxRows: int32(limit)})
		if err != nil {
			return fmt.Errorf("listing cash sessions: %w", err)
		}
		ids := make([]uuid.UUID, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		ms, err := tx.q.ListSessionMovements(ctx, db.ListSessionMovementsParams{TenantID: tenant, SessionIds: ids})
		if err != nil {
			return fmt.Errorf("reading the sessions' movements: %w", err)
		}
		bySession := map[uuid.UUID][]db.CashMovement{}
		for _, m := range ms {
			bySession[m.SessionID] = append(bySession[m.SessionID], m)
		}
		out = make([]billing.CashSession, len(rows))
		for i, r := range rows {
			out[i] = toCashSession(r, bySession[r.ID])
		}
		return nil
	})
	return out, err
}

func toCashSession(r db.CashSession, ms []db.CashMovement) billing.CashSession {
	s := billing.CashSession{ID: r.ID, RegisterID: r.RegisterID, Cajero: r.Cajero, Base: r.Base, AbiertaEn: r.AbiertaEn,
		CerradaEn: r.CerradaEn, CerradaPor: textOf(r.CerradaPor), EfectivoContado: r.EfectivoContado,
		Movimientos: make([]billing.CashMovement, len(ms))}
	for i, m := range ms {
		s.Movimientos[i] = toCashMovement(m)
	}
	return s.WithClose(r.EfectivoEsperado)
}

func toCashMovement(m db.CashMovement) billing.CashMovement {
	return billing.CashMovement{ID: m.ID, Tipo: billing.CashMovementKind(m.Tipo), Valor: m.Valor, MedioPago: textOf(m.MedioPago),
		Efectivo: m.Efectivo, Motivo: textOf(m.Motivo), InvoiceID: m.InvoiceID, Actor: m.Actor, CreatedAt: m.CreatedAt}
}
