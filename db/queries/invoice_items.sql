-- name: InsertInvoiceItems :copyfrom
INSERT INTO invoice_items (tenant_id, invoice_id, position, product_service_id, descripcion, cantidad, valor_unitario, impuesto, subtotal)
VALUES (@tenant_id, @invoice_id, @position, @product_service_id, @descripcion, @cantidad, @valor_unitario, @impuesto, @subtotal);

-- name: ListInvoiceItems :many
SELECT * FROM invoice_items
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id
ORDER BY position;

-- name: DeleteInvoiceItems :exec
DELETE FROM invoice_items
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id;
