package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// MoveStock adds m.Cantidad (negative: takes it) to a product's stock and
// records the movement with the stock it left, in the caller's
// transaction; the product's row lock queues racing sales.
// fault.ErrProductNotFound, fault.ErrStockNotTracked for a product that
// does not track its stock, fault.ErrStockInsufficient below zero unless
// the product allows it.
func (tx *Tx) MoveStock(ctx context.Context, m billing.StockMovement) (billing.StockMovement, error) {
	r, err := tx.q.MoveStock(ctx, db.MoveStockParams{TenantID: tx.tenant, ID: m.ProductID, Cantidad: m.Cantidad})
	if NoRows(err) {
		if _, err := tx.LockProduct(ctx, m.ProductID); err != nil {
			return billing.StockMovement{}, err
		}
		return billing.StockMovement{}, fault.ErrStockNotTracked
	}
	if err != nil {
		return billing.StockMovement{}, fmt.Errorf("moving stock: %w", Translate(err))
	}
	if r.Stock.Sign() < 0 && !r.PermitirNegativo {
		e := *fault.ErrStockInsufficient
		e.Detail = fmt.Sprintf("Not enough stock: %s would leave %s, and the product may not go below zero.", m.Cantidad.Neg().String(), r.Stock.String())
		return billing.StockMovement{}, &e
	}
	row, err := tx.q.InsertStockMovement(ctx, db.InsertStockMovementParams{TenantID: tx.tenant, ID: m.ID, ProductID: m.ProductID,
		Tipo: string(m.Tipo), Cantidad: m.Cantidad, Saldo: r.Stock, Motivo: nullIfEmpty(m.Motivo), InvoiceID: m.InvoiceID, Actor: m.Actor})
	if err != nil {
		return billing.StockMovement{}, fmt.Errorf("recording the stock movement: %w", Translate(err))
	}
	return toStockMovement(row), nil
}

// StockMovements reads a product's latest movements, newest first:
// fault.ErrProductNotFound for no product.
func (s *Store) StockMovements(ctx context.Context, tenant, product uuid.UUID, limit int) ([]billing.StockMovement, error) {
	var out []billing.StockMovement
	err := s.InTx(ctx, tenant, func(tx *Tx) error {
		if _, err := tx.q.GetProduct(ctx, db.GetProductParams{TenantID: tenant, ID: product}); NoRows(err) {
			return fault.ErrProductNotFound
		} else if err != nil {
			return fmt.Errorf("reading product: %w", err)
		}
		rows, err := tx.q.ListStockMovements(ctx, db.ListStockMovementsParams{TenantID: tenant, ProductID: product, MaxRows: int32(limit)})
		if err != nil {
			return fmt.Errorf("listing stock movements: %w", err)
		}
		out = make([]billing.StockMovement, len(rows))
		for i, r := range rows {
			out[i] = toStockMovement(r)
		}
		return nil
	})
	return out, err
}

func toStockMovement(r db.StockMovement) billing.StockMovement {
	return billing.StockMovement{ID: r.ID, ProductID: r.ProductID, Tipo: billing.StockMovementKind(r.Tipo), Cantidad: r.Cantidad,
		Saldo: r.Saldo, Motivo: textOf(r.Motivo), InvoiceID: r.InvoiceID, Actor: r.Actor, CreatedAt: r.CreatedAt}
}
