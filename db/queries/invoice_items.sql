-- name: InsertInvoiceItems :exec
-- All lines in one statement, one array per column, line i at position i.
-- (COPY would be the natural tool, but PostgreSQL refuses COPY FROM into a
-- table with row-level security.) An empty product id means "no product".
INSERT INTO invoice_items (tenant_id, invoice_id, position, id, product_service_id, descripcion, cantidad, valor_unitario, impuesto,
                           tributo, tratamiento, descuento, valor_descuento, subtotal)
SELECT @tenant_id, @invoice_id, i,
       (@ids::uuid[])[i],
       NULLIF((@product_service_ids::text[])[i], '')::uuid,
       (@descripciones::text[])[i],
       (@cantidades::numeric[])[i],
       (@valores_unitarios::numeric[])[i],
       (@impuestos::numeric[])[i],
       (@tributos::text[])[i],
       (@tratamientos::text[])[i],
       (@descuentos::numeric[])[i],
       (@valores_descuento::numeric[])[i],
       (@subtotales::numeric[])[i]
FROM generate_series(1, cardinality(@descripciones::text[])) AS i;

-- name: DeleteInvoiceItems :exec
DELETE FROM invoice_items
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id;

-- name: CreditInvoiceItems :exec
-- Adds a credit note's take to its invoice lines, one array per column,
-- line position i (of the invoice) with the quantity and value credited.
-- The table's checks refuse more than the line holds.
UPDATE invoice_items it
SET cantidad_acreditada = it.cantidad_acreditada + (@cantidades::numeric[])[c.i],
    valor_acreditado    = it.valor_acreditado + (@valores::numeric[])[c.i]
FROM generate_series(1, cardinality(@positions::integer[])) AS c(i)
WHERE it.tenant_id = @tenant_id AND it.invoice_id = @invoice_id AND it.position = (@positions::integer[])[c.i];
