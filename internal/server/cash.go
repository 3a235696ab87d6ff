package server

import (
	"context"
	"fmt"
	"net/http"

	"billing/gen/api"
	"billing/internal/billing"
)

// ListCashRegisters answers the tenant's registers.
func (s *Server) ListCashRegisters(ctx context.Context, _ api.ListCashRegistersRequestObject) (api.ListCashRegistersResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := s.ledger.CashRegisters(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("listing cash registers: %w", err)
	}
	out := make(api.ListCashRegisters200JSONResponse, len(rs))
	for i, r := range rs {
		out[i] = toAPICashRegister(r)
	}
	return out, nil
}

// CreateCashRegister adds a register.
func (s *Server) CreateCashRegister(ctx context.Context, req api.CreateCashRegisterRequestObject) (api.CreateCashRegisterResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.ledger.CreateCashRegister(ctx, a, req.Body.Nombre, once(ctx, http.StatusCreated, func(r billing.CashRegister) any { return toAPICashRegister(r) }))
	if err != nil {
		return nil, fmt.Errorf("creating cash register: %w", inBody(err))
	}
	return api.CreateCashRegister201JSONResponse{Body: toAPICashRegister(r)}, nil
}

// OpenCashRegister opens the caller's session on a register.
func (s *Server) OpenCashRegister(ctx context.Context, req api.OpenCashRegisterRequestObject) (api.OpenCashRegisterResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := s.ledger.OpenCashRegister(ctx, a, req.ID, req.Body.Base)
	if err != nil {
		return nil, fmt.Errorf("opening cash register: %w", inBody(err))
	}
	return api.OpenCashRegister201JSONResponse(toAPICashSession(cs)), nil
}

// CreateCashMovement records cash put in or taken out.
func (s *Server) CreateCashMovement(ctx context.Context, req api.CreateCashMovementRequestObject) (api.CreateCashMovementResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	m, err := s.ledger.MoveCash(ctx, a, req.ID, billing.CashMovementKind(b.Tipo), b.Valor, b.Motivo)
	if err != nil {
		return nil, fmt.Errorf("moving cash: %w", inBody(err))
	}
	return api.CreateCashMovement201JSONResponse(toAPICashMovement(m)), nil
}

// CloseCashRegister closes the register's open session.
func (s *Server) CloseCashRegister(ctx context.Context, req api.CloseCashRegisterRequestObject) (api.CloseCashRegisterResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := s.ledger.CloseCashRegister(ctx, a, req.ID, req.Body.EfectivoContado)
	if err != nil {
		return nil, fmt.Errorf("closing cash register: %w", inBody(err))
	}
	return api.CloseCashRegister200JSONResponse(toAPICashSession(cs)), nil
}

// ListCashSessions answers a register's latest sessions.
func (s *Server) ListCashSessions(ctx context.Context, req api.ListCashSessionsRequestObject) (api.ListCashSessionsResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ss, err := s.ledger.CashSessions(ctx, a, req.ID, valueOr(req.Params.Limit, 0))
	if err != nil {
		return nil, fmt.Errorf("listing cash sessions: %w", err)
	}
	out := make(api.ListCashSessions200JSONResponse, len(ss))
	for i, cs := range ss {
		out[i] = toAPICashSession(cs)
	}
	return out, nil
}

func toAPICashRegister(r billing.CashRegister) api.CashRegister {
	out := api.CashRegister{ID: r.ID, Nombre: r.Nombre, CreatedAt: r.CreatedAt, SesionAbierta: r.OpenSession}
	if r.Cajero != "" {
		out.Cajero = &r.Cajero
	}
	return out
}

func toAPICashSession(cs billing.CashSession) api.CashSession {
	out := api.CashSession{ID: cs.ID, CajaID: cs.RegisterID, Cajero: cs.Cajero, Base: cs.Base, AbiertaEn: cs.AbiertaEn,
		CerradaEn: cs.CerradaEn, EfectivoEsperado: cs.EfectivoEsperado(), EfectivoContado: cs.EfectivoContado, Diferencia: cs.Diferencia(),
		Ventas: []api.SaleTotal{}, Movimientos: make([]api.CashMovement, len(cs.Movimientos))}
	if cs.CerradaPor != "" {
		out.CerradaPor = &cs.CerradaPor
	}
	for _, v := range cs.Ventas() {
		out.Ventas = append(out.Ventas, api.SaleTotal{MedioPago: api.MedioPago(v.MedioPago), Valor: v.Valor})
	}
	for i, m := range cs.Movimientos {
		out.Movimientos[i] = toAPICashMovement(m)
	}
	return out
}

func toAPICashMovement(m billing.CashMovement) api.CashMovement {
	out := api.CashMovement{ID: m.ID, Tipo: api.CashMovementTipo(m.Tipo), Valor: m.Valor, Efectivo: m.Efectivo,
		InvoiceID: m.InvoiceID, Actor: m.Actor, CreadoEn: m.CreatedAt}
	if m.MedioPago != "" {
		mp := api.MedioPago(m.MedioPago)
		out.MedioPago = &mp
	}
	if m.Motivo != "" {
		out.Motivo = &m.Motivo
	}
	return out
}
