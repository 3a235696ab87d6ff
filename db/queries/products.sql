-- name: ListProducts :many
-- One page of active products in (nombre, id) order, after the cursor's key
-- (see ListCustomers); search matches nombre case-insensitively (ILIKE,
-- written as ListCustomers writes it, for the trigram index, and planned
-- for each pattern as ListCustomers is).
SELECT * FROM products
WHERE tenant_id = @tenant_id
  AND activo
  AND (sqlc.narg(search)::text IS NULL
       OR billing_lower(nombre) ~~~ billing_lower(('%' || sqlc.narg(search)::text || '%') COLLATE billing_es)
       OR billing_custom_plan_only(sqlc.narg(search)::text))
  AND (nombre, id) > (sqlc.arg(after_nombre)::text COLLATE billing_es, sqlc.arg(after_id)::uuid)
ORDER BY nombre, id
LIMIT @max_rows;

-- name: CreateProduct :one
INSERT INTO products (tenant_id, id, nombre, descripcion, precio, impuesto, tributo, tratamiento, control_inventario, permitir_negativo)
VALUES (@tenant_id, @id, @nombre, @descripcion, @precio, @impuesto, @tributo, @tratamiento, @control_inventario, @permitir_negativo)
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
    control_inventario = @control_inventario,
    permitir_negativo  = @permitir_negativo,
    updated_at  = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;

-- name: MoveStock :one
-- Adds cantidad (negative: takes it) to a tracked product's stock; the row
-- lock queues racing sales. No row: the product does not track its stock.
UPDATE products SET stock = stock + @cantidad
WHERE tenant_id = @tenant_id AND id = @id AND control_inventario
RETURNING stock, permitir_negativo;

-- name: InsertStockMovement :one
INSERT INTO stock_movements (tenant_id, id, product_id, tipo, cantidad, saldo, motivo, invoice_id, actor)
VALUES (@tenant_id, @id, @product_id, @tipo, @cantidad, @saldo, sqlc.narg(motivo), sqlc.narg(invoice_id), @actor)
RETURNING *;

-- name: ListStockMovements :many
SELECT * FROM stock_movements
WHERE tenant_id = @tenant_id AND product_id = @product_id
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;
