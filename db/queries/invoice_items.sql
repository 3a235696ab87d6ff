-- name: InsertInvoiceItems :exec
-- All lines in one statement, one array per column, line i at position i.
-- (COPY would be the natural tool, but PostgreSQL refuses COPY FROM into a
-- table with row-level security.) An empty product id means "no product".
INSERT INTO invoice_items (tenant_id, invoice_id, position, product_service_id, descripcion, cantidad, valor_unitario, impuesto,
                           tributo, tratamiento, subtotal)
SELECT @tenant_id, @invoice_id, i,
       NULLIF((@product_service_ids::text[])[i], '')::uuid,
       (@descripciones::text[])[i],
       (@cantidades::numeric[])[i],
       (@valores_unitarios::numeric[])[i],
       (@impuestos::numeric[])[i],
       (@tributos::text[])[i],
       (@tratamientos::text[])[i],
       (@subtotales::numeric[])[i]
FROM generate_series(1, cardinality(@descripciones::text[])) AS i;

-- name: DeleteInvoiceItems :exec
DELETE FROM invoice_items
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id;
