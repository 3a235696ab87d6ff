-- name: InsertInvoiceEvent :exec
-- The caller holds the invoice's row lock (or has just created it), so the
-- next seq cannot be taken twice.
INSERT INTO invoice_events (tenant_id, invoice_id, seq, from_status, to_status, actor)
VALUES (@tenant_id, @invoice_id,
        (SELECT COALESCE(max(e.seq), 0) + 1 FROM invoice_events e WHERE e.tenant_id = @tenant_id AND e.invoice_id = @invoice_id),
        @from_status, @to_status, @actor);

-- name: ListInvoiceEvents :many
SELECT * FROM invoice_events
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id
ORDER BY seq;
