-- name: ListProducts :many
-- One page of active products in (nombre, id) order, after the cursor's key
-- (see ListCustomers); search matches nombre case-insensitively.
SELECT * FROM products
WHERE tenant_id = @tenant_id
  AND activo
  AND (sqlc.narg(search)::text IS NULL OR nombre ILIKE '%' || sqlc.narg(search)::text || '%')
  AND (nombre, id) > (sqlc.arg(after_nombre)::text COLLATE billing_es, sqlc.arg(after_id)::uuid)
ORDER BY nombre, id
LIMIT @max_rows;

-- name: CreateProduct :one
INSERT INTO products (tenant_id, id, nombre, descripcion, precio, impuesto, tributo, tratamiento)
VALUES (@tenant_id, @id, @nombre, @descripcion, @precio, @impuesto, @tributo, @tratamiento)
RETURNING *;

-- name: GetProduct :one
SELECT * FROM products
WHERE tenant_id = @tenant_id AND id = @id;

-- name: GetProductForUpdate :one
SELECT * FROM products
WHERE tenant_id = @tenant_id AND id = @id
FOR UPDATE;

-- name: GetProductsByIDs :many
SELECT * FROM products
WHERE tenant_id = @tenant_id AND id = ANY (@ids::uuid[]);

-- name: UpdateProduct :one
UPDATE products
SET nombre      = @nombre,
    descripcion = @descripcion,
    precio      = @precio,
    impuesto    = @impuesto,
    tributo     = @tributo,
    tratamiento = @tratamiento,
    activo      = @activo,
    updated_at  = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;
