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

// ListProducts answers one page of the tenant's active products in nombre
// order, optionally filtered by search.
func (s *Server) ListProducts(ctx context.Context, req api.ListProductsRequestObject) (api.ListProductsResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	after, err := decodeCursor("products", req.Params.Cursor, firstByName)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(req.Params.Limit)
	search := searchText(req.Params.Search)
	rows, err := s.ledger.Products(ctx, a, billing.ProductPage{Search: search, AfterNombre: after.Key, AfterID: after.ID, Limit: limit + 1})
	if err != nil {
		return nil, fmt.Errorf("listing products: %w", err)
	}
	rows, next := page(rows, limit, func(p billing.Product) cursor {
		return cursor{List: "products", Key: p.Nombre, ID: p.ID}
	})
	out := api.ListProducts200JSONResponse{Body: make([]api.Product, len(rows))}
	for i, r := range rows {
		out.Body[i] = toAPIProduct(r)
	}
	if next != nil {
		out.Headers.Link = nextLink("/billing/products", queryOf("search", search, "limit", strconv.Itoa(limit)), *next)
	}
	return out, nil
}

// CreateProduct adds an active product; impuesto defaults to 19.
func (s *Server) CreateProduct(ctx context.Context, req api.CreateProductRequestObject) (api.CreateProductResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	in := ledger.NewProduct{Nombre: b.Nombre, Descripcion: b.Descripcion, Precio: b.Precio, Impuesto: b.Impuesto,
		Tributo: (*billing.TaxScheme)(b.Tributo), Tratamiento: (*billing.TaxTreatment)(b.Tratamiento),
		ControlInventario: b.ControlInventario, PermitirNegativo: b.PermitirNegativo}
	p, err := s.ledger.CreateProduct(ctx, a, in, once(ctx, http.StatusCreated, func(p billing.Product) any { return toAPIProduct(p) }))
	if err != nil {
		return nil, fmt.Errorf("creating product: %w", inBody(err))
	}
	return api.CreateProduct201JSONResponse{Body: toAPIProduct(p)}, nil
}

// GetProduct answers one product of the tenant, active or not.
func (s *Server) GetProduct(ctx context.Context, req api.GetProductRequestObject) (api.GetProductResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.ledger.Product(ctx, a, req.ID)
	if err != nil {
		return nil, fmt.Errorf("loading product: %w", err)
	}
	return api.GetProduct200JSONResponse(toAPIProduct(p)), nil
}

// UpdateProduct applies a PATCH: only the fields present change.
func (s *Server) UpdateProduct(ctx context.Context, req api.UpdateProductRequestObject) (api.UpdateProductResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	p, err := s.ledger.UpdateProduct(ctx, a, req.ID, ledger.ProductPatch{
		Nombre: b.Nombre, Descripcion: textPatch(b.Descripcion), Precio: b.Precio, Impuesto: b.Impuesto, Activo: b.Activo,
		Tributo: (*billing.TaxScheme)(b.Tributo), Tratamiento: (*billing.TaxTreatment)(b.Tratamiento),
		ControlInventario: b.ControlInventario, PermitirNegativo: b.PermitirNegativo,
	})
	if err != nil {
		return nil, fmt.Errorf("updating product: %w", inBody(err))
	}
	return api.UpdateProduct200JSONResponse(toAPIProduct(p)), nil
}

func toAPIProduct(p billing.Product) api.Product {
	return api.Product{
		ID:                p.ID,
		Nombre:            p.Nombre,
		Descripcion:       p.Descripcion,
		Precio:            cents(p.Precio),
		Impuesto:          cents(p.Impuesto),
		Tributo:           api.Tributo(p.Tributo),
		Tratamiento:       api.Tratamiento(p.Tratamiento),
		Activo:            p.Activo,
		CreatedAt:         p.CreatedAt,
		UpdatedAt:         p.UpdatedAt,
		ControlInventario: &p.ControlInventario,
		PermitirNegativo:  &p.PermitirNegativo,
		Stock:             &p.Stock,
	}
}

// AdjustStock adds to or takes from a product's stock.
func (s *Server) AdjustStock(ctx context.Context, req api.AdjustStockRequestObject) (api.AdjustStockResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.ledger.AdjustStock(ctx, a, req.ID, req.Body.Cantidad, req.Body.Motivo)
	if err != nil {
		return nil, fmt.Errorf("adjusting stock: %w", inBody(err))
	}
	return api.AdjustStock201JSONResponse(toAPIStockMovement(m)), nil
}

// ListStockMovements answers a product's latest stock movements.
func (s *Server) ListStockMovements(ctx context.Context, req api.ListStockMovementsRequestObject) (api.ListStockMovementsResponseObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := s.ledger.StockMovements(ctx, a, req.ID, valueOr(req.Params.Limit, 0))
	if err != nil {
		return nil, fmt.Errorf("listing stock movements: %w", err)
	}
	out := make(api.ListStockMovements200JSONResponse, len(ms))
	for i, m := range ms {
		out[i] = toAPIStockMovement(m)
	}
	return out, nil
}

func toAPIStockMovement(m billing.StockMovement) api.StockMovement {
	out := api.StockMovement{ID: m.ID, Tipo: api.StockMovementTipo(m.Tipo), Cantidad: m.Cantidad, Saldo: m.Saldo,
		InvoiceID: m.InvoiceID, Actor: m.Actor, CreadoEn: m.CreatedAt}
	if m.Motivo != "" {
		out.Motivo = &m.Motivo
	}
	return out
}
