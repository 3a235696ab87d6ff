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

// ListProducts answers one page of the tenant's active products in nombre
// order, optionally filtered by search.
func (s *Server) ListProducts(ctx context.Context, req api.ListProductsRequestObject) (api.ListProductsResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	after, err := decodeCursor("products", req.Params.Cursor, firstByName)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(req.Params.Limit)
	search, pattern := searchPattern(req.Params.Search)
	params := db.ListProductsParams{TenantID: p.TenantID, Search: pattern, AfterNombre: after.Key, AfterID: after.ID, MaxRows: int32(limit + 1)}
	var rows []db.Product
	err = s.store.Read(ctx, p.TenantID, func(q *db.Queries) error {
		var err error
		rows, err = q.ListProducts(ctx, params)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing products: %w", err)
	}
	rows, next := page(rows, limit, func(p db.Product) cursor {
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
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	rate := billing.DefaultTaxRate
	if b.Impuesto != nil {
		rate = *b.Impuesto
	}
	if err := fieldErrors(
		requiredText("body.nombre", b.Nombre),
		billing.CheckPrice("body.precio", b.Precio),
		billing.CheckRate("body.impuesto", rate),
	); err != nil {
		return nil, err
	}
	params := db.CreateProductParams{
		TenantID:    p.TenantID,
		ID:          uuid.Must(uuid.NewV7()),
		Nombre:      strings.TrimSpace(b.Nombre),
		Descripcion: optionalText(b.Descripcion),
		Precio:      b.Precio,
		Impuesto:    rate,
	}
	var out api.Product
	err = s.store.InTx(ctx, p.TenantID, func(q *db.Queries) error {
		save, err := claimIdempotencyKey(ctx, q, p.TenantID)
		if err != nil {
			return err
		}
		row, err := q.CreateProduct(ctx, params)
		if err != nil {
			return err
		}
		out = toAPIProduct(row)
		return save(http.StatusCreated, out)
	})
	if err != nil {
		return nil, fmt.Errorf("creating product: %w", err)
	}
	return api.CreateProduct201JSONResponse{Body: out}, nil
}

// GetProduct answers one product of the tenant, active or not.
func (s *Server) GetProduct(ctx context.Context, req api.GetProductRequestObject) (api.GetProductResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var row db.Product
	err = s.store.Read(ctx, p.TenantID, func(q *db.Queries) error {
		var err error
		row, err = q.GetProduct(ctx, db.GetProductParams{TenantID: p.TenantID, ID: req.Id})
		return err
	})
	if store.NoRows(err) {
		return nil, billing.ErrProductNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("loading product: %w", err)
	}
	return api.GetProduct200JSONResponse(toAPIProduct(row)), nil
}

// UpdateProduct applies a PATCH: only the fields present change.
func (s *Server) UpdateProduct(ctx context.Context, req api.UpdateProductRequestObject) (api.UpdateProductResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	var checks []*billing.FieldError
	if b.Nombre != nil {
		checks = append(checks, requiredText("body.nombre", *b.Nombre))
	}
	if b.Precio != nil {
		checks = append(checks, billing.CheckPrice("body.precio", *b.Precio))
	}
	if b.Impuesto != nil {
		checks = append(checks, billing.CheckRate("body.impuesto", *b.Impuesto))
	}
	if err := fieldErrors(checks...); err != nil {
		return nil, err
	}
	var row db.Product
	err = s.store.InTx(ctx, p.TenantID, func(q *db.Queries) error {
		cur, err := q.GetProductForUpdate(ctx, db.GetProductForUpdateParams{TenantID: p.TenantID, ID: req.Id})
		if store.NoRows(err) {
			return billing.ErrProductNotFound
		}
		if err != nil {
			return fmt.Errorf("locking product: %w", err)
		}
		next := patchProduct(cur, *b)
		if productUnchanged(cur, next) {
			row = cur
			return nil
		}
		row, err = q.UpdateProduct(ctx, next)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("updating product: %w", err)
	}
	return api.UpdateProduct200JSONResponse(toAPIProduct(row)), nil
}

func patchProduct(cur db.Product, b api.UpdateProduct) db.UpdateProductParams {
	next := db.UpdateProductParams{
		TenantID:    cur.TenantID,
		ID:          cur.ID,
		Nombre:      cur.Nombre,
		Descripcion: patchText(cur.Descripcion, b.Descripcion),
		Precio:      cur.Precio,
		Impuesto:    cur.Impuesto,
		Activo:      cur.Activo,
	}
	if b.Nombre != nil {
		next.Nombre = strings.TrimSpace(*b.Nombre)
	}
	if b.Precio != nil {
		next.Precio = *b.Precio
	}
	if b.Impuesto != nil {
		next.Impuesto = *b.Impuesto
	}
	if b.Activo != nil {
		next.Activo = *b.Activo
	}
	return next
}

// productUnchanged compares by value: 19 and 19.00 are the same rate.
func productUnchanged(cur db.Product, next db.UpdateProductParams) bool {
	return next.Nombre == cur.Nombre && sameText(next.Descripcion, cur.Descripcion) &&
		next.Precio.Cmp(cur.Precio) == 0 && next.Impuesto.Cmp(cur.Impuesto) == 0 && next.Activo == cur.Activo
}

func toAPIProduct(p db.Product) api.Product {
	return api.Product{
		Id:          p.ID,
		Nombre:      p.Nombre,
		Descripcion: p.Descripcion,
		Precio:      cents(p.Precio),
		Impuesto:    cents(p.Impuesto),
		Activo:      p.Activo,
		CreatedAt:   p.CreatedAt,
		UpdatedAt:   p.UpdatedAt,
	}
}
