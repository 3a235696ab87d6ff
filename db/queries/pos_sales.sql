-- name: LockPosSaleID :exec
-- Queues requests with the same _id of one tenant until the first one's
-- transaction ends, so the later ones find its sale. lock_key names the
-- tenant and the _id.
SELECT pg_advisory_xact_lock(hashtextextended(@lock_key::text, 0));

-- name: GetPosSale :one
SELECT * FROM pos_sales WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id;

-- name: InvoiceExists :one
SELECT EXISTS (SELECT 1 FROM invoices WHERE tenant_id = @tenant_id AND id = @id)::boolean;

-- name: InsertPosSale :one
INSERT INTO pos_sales (tenant_id, invoice_id, request_hash, cash_session_id, cajero, mesa,
    cliente_nombre, cliente_email, cliente_telefono, payment_method_id, pagada, electronica_pedida,
    delivery_provider_id, repartidor, direccion, domicilio)
VALUES (@tenant_id, @invoice_id, @request_hash, @cash_session_id, @cajero, sqlc.narg(mesa),
    sqlc.narg(cliente_nombre), sqlc.narg(cliente_email), sqlc.narg(cliente_telefono), sqlc.narg(payment_method_id), @pagada, @electronica_pedida,
    sqlc.narg(delivery_provider_id), sqlc.narg(repartidor), sqlc.narg(direccion), sqlc.narg(domicilio))
RETURNING *;

-- name: TakePosConsecutive :one
-- The tenant's next POS consecutive, its row locked until commit.
INSERT INTO pos_counters AS c (tenant_id, ultimo)
VALUES (@tenant_id, 1)
ON CONFLICT (tenant_id) DO UPDATE SET ultimo = c.ultimo + 1
RETURNING ultimo;

-- name: ListSaleOrders :many
-- The orders an invoice's sale invoiced, oldest first.
SELECT id FROM orders
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id
ORDER BY created_at, id;
