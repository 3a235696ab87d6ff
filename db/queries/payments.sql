-- name: InsertPayment :one
-- The caller holds the invoice's lock and has checked the balance.
INSERT INTO payments (tenant_id, id, invoice_id, valor, fecha, medio_pago, referencia, actor)
VALUES (@tenant_id, @id, @invoice_id, @valor, @fecha, @medio_pago, sqlc.narg(referencia), @actor)
RETURNING *;

-- name: ListInvoicePayments :many
-- An invoice's payments, reversed ones included, oldest first, in one
-- statement that also tells a missing invoice (no rows) from one without
-- payments (one row of zero id).
SELECT COALESCE(p.id, '00000000-0000-0000-0000-000000000000')::uuid AS id,
       COALESCE(p.valor, 0)::numeric AS valor,
       COALESCE(p.fecha, '0001-01-01')::date AS fecha,
       COALESCE(p.medio_pago, '')::text AS medio_pago,
       p.referencia,
       COALESCE(p.actor, '')::text AS actor,
       COALESCE(p.created_at, 'epoch')::timestamptz AS created_at,
       p.reversed_at, p.reversal_motivo, p.reversed_by
FROM invoices i
LEFT JOIN payments p ON p.tenant_id = i.tenant_id AND p.invoice_id = i.id
WHERE i.tenant_id = @tenant_id AND i.id = @invoice_id
ORDER BY p.created_at, p.id;

-- name: GetPaymentForUpdate :one
-- A payment to reverse, locked; its invoice is locked next (always payment
-- then invoice, so two reversals cannot deadlock).
SELECT * FROM payments
WHERE tenant_id = @tenant_id AND id = @id
FOR UPDATE;

-- name: ReversePayment :one
UPDATE payments
SET reversed_at = now(), reversal_motivo = @motivo, reversed_by = @actor
WHERE tenant_id = @tenant_id AND id = @id AND reversed_at IS NULL
RETURNING *;
