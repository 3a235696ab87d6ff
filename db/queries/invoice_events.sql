-- name: InsertInvoiceEvent :exec
INSERT INTO invoice_events (tenant_id, invoice_id, id, from_status, to_status, actor)
VALUES (@tenant_id, @invoice_id, @id, @from_status, @to_status, @actor);

-- name: ListInvoiceEvents :many
SELECT * FROM invoice_events
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id
ORDER BY created_at, id;
