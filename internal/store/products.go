package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"billing/gen/db"
	"billing/internal/billing"
	"billing/internal/fault"
)

// Product reads one product of the tenant, active or not;
// fault.ErrProductNotFound when there is none.
func (s *Store) Product(ctx context.Context, tenant, id uuid.UUID) (billing.Product, error) {
	row, err := readV(ctx, s, tenant, func(q *db.Queries) (db.Product, error) {
		return q.GetProduct(ctx, db.GetProductParams{TenantID: tenant, ID: id})
	})
	if NoRows(err) {
		return billing.Product{}, fault.ErrProductNotFound
	}
	if err != nil {
		return billing.Product{}, fmt.Errorf("loading product: %w", err)
	}
	return toProduct(row), nil
}

// Products reads one page of the tenant's active products (see
// billing.ProductPage).
func (s *Store) Products(ctx context.Context, tenant uuid.UUID, p billing.ProductPage) ([]billing.Product, error) {
	rows, err := readV(ctx, s, tenant, func(q *db.Queries) ([]db.Product, error) {
		return q.ListProducts(ctx, db.ListProductsParams{TenantID: tenant, Search: likePattern(p.Search),
			AfterNombre: p.AfterNombre, AfterID: p.AfterID, MaxRows: int32(p.Limit)})
	})
	if err != nil {
		return nil, fmt.Errorf("listing products: %w", err)
	}
	out := make([]billing.Product, len(rows))
	for i, r := range rows {
		out[i] = toProduct(r)
	}
	return out, nil
}

// CreateProduct writes a new product.
func (tx *Tx) CreateProduct(ctx context.Context, p billing.Product) (billing.Product, error) {
	row, err := tx.q.CreateProduct(ctx, db.CreateProductParams{
		TenantID: tx.tenant, ID: p.ID, Nombre: p.Nombre, Descripcion: p.Descripcion, Precio: p.Precio, Impuesto: p.Impuesto,
		Tributo: schemeColumn(p.Tributo), Tratamiento: treatmentColumn(p.Tratamiento),
		ControlInventario: p.ControlInventario, PermitirNegativo: p.PermitirNegativo,
	})
	if err != nil {
		return billing.Product{}, fmt.Errorf("creating product: %w", Translate(err))
	}
	return toProduct(row), nil
}

// LockProduct reads a product and locks it until the transaction ends.
func (tx *Tx) LockProduct(ctx context.Context, id uuid.UUID) (billing.Product, error) {
	row, err := tx.q.GetProductForUpdate(ctx, db.GetProductForUpdateParams{TenantID: tx.tenant, ID: id})
	if NoRows(err) {
		return billing.Product{}, fault.ErrProductNotFound
	}
	if err != nil {
		return billing.Product{}, fmt.Errorf("locking product: %w", err)
	}
	return toProduct(row), nil
}

// UpdateProduct writes p over the product of its ID.
func (tx *Tx) UpdateProduct(ctx context.Context, p billing.Product) (billing.Product, error) {
	row, err := tx.q.UpdateProduct(ctx, db.UpdateProductParams{
		TenantID: tx.tenant, ID: p.ID, Nombre: p.Nombre, Descripcion: p.Descripcion,
		Precio: p.Precio, Impuesto: p.Impuesto, Activo: p.Activo,
		Tributo: schemeColumn(p.Tributo), Tratamiento: treatmentColumn(p.Tratamiento),
		ControlInventario: p.ControlInventario, PermitirNegativo: p.PermitirNegativo,
	})
	if err != nil {
		return billing.Product{}, fmt.Errorf("updating product: %w", Translate(err))
	}
	return toProduct(row), nil
}

// ProductsByID reads the tenant's products of the given ids, in one
// statement; ids with no product are absent from the map.
func (tx *Tx) ProductsByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]billing.Product, error) {
	found := make(map[uuid.UUID]billing.Product, len(ids))
	if len(ids) == 0 {
		return found, nil
	}
	rows, err := tx.q.GetProductsByIDs(ctx, db.GetProductsByIDsParams{TenantID: tx.tenant, Ids: ids})
	if err != nil {
		return nil, fmt.Errorf("loading products: %w", err)
	}
	for _, r := range rows {
		found[r.ID] = toProduct(r)
	}
	return found, nil
}

func toProduct(p db.Product) billing.Product {
	return billing.Product{
		ID:                p.ID,
		Nombre:            p.Nombre,
		Descripcion:       p.Descripcion,
		Precio:            p.Precio,
		Impuesto:          p.Impuesto,
		Tributo:           billing.TaxScheme(p.Tributo),
		Tratamiento:       billing.TaxTreatment(p.Tratamiento),
		Activo:            p.Activo,
		ControlInventario: p.ControlInventario,
		PermitirNegativo:  p.PermitirNegativo,
		Stock:             p.Stock,
		CreatedAt:         p.CreatedAt,
		UpdatedAt:         p.UpdatedAt,
	}
}

// schemeColumn and treatmentColumn write a tax scheme and treatment; their
// zero values are the columns' defaults, IVA and GRAVADO.
func schemeColumn(s billing.TaxScheme) string {
	if s == "" {
		return string(billing.SchemeIVA)
	}
	return string(s)
}

func treatmentColumn(t billing.TaxTreatment) string {
	if t == "" {
		return string(billing.Gravado)
	}
	return string(t)
}
