-- name: CreateOrder :one
INSERT INTO orders (tenant_id, id, mesa, actor)
VALUES (@tenant_id, @id, sqlc.narg(mesa), @actor)
RETURNING *;

-- name: InsertOrderLines :exec
-- All lines in one statement, one array per column, line i at position i.
INSERT INTO order_lines (tenant_id, order_id, n, product_id, descripcion, cantidad, valor_unitario, nota)
SELECT @tenant_id, @order_id, i,
       (@product_ids::uuid[])[i],
       (@descripciones::text[])[i],
       (@cantidades::numeric[])[i],
       (@valores::numeric[])[i],
       NULLIF((@notas::text[])[i], '')
FROM generate_series(1, cardinality(@product_ids::uuid[])) AS i;

-- name: GetOrder :one
SELECT * FROM orders WHERE tenant_id = @tenant_id AND id = @id;

-- name: LockOrder :one
SELECT * FROM orders WHERE tenant_id = @tenant_id AND id = @id FOR UPDATE;

-- name: ListOrders :many
-- Newest first, optionally in one state.
SELECT * FROM orders
WHERE tenant_id = @tenant_id
  AND (sqlc.narg(estado)::text IS NULL OR estado = sqlc.narg(estado)::text)
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;

-- name: ListOrderLines :many
SELECT * FROM order_lines
WHERE tenant_id = @tenant_id AND order_id = ANY(@order_ids::uuid[])
ORDER BY order_id, n;

-- name: SetOrderStatus :one
UPDATE orders SET estado = @estado, updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;

-- name: LockOrders :many
-- The given orders, locked in id order (two sales naming the same orders
-- lock them in the same order and never deadlock).
SELECT * FROM orders
WHERE tenant_id = @tenant_id AND id = ANY(@ids::uuid[])
ORDER BY id
FOR UPDATE;

-- name: InvoiceOrder :one
UPDATE orders SET estado = 'FACTURADO', invoice_id = @invoice_id, updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;
