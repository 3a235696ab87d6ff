-- name: InsertInvoiceTaxes :exec
-- A draft's new breakdown, one array per column, group i at position i,
-- after DeleteInvoiceTaxes removed the old one in the same transaction.
INSERT INTO invoice_taxes (tenant_id, invoice_id, tributo, tarifa, base, valor)
SELECT @tenant_id, @invoice_id, (@tributos::text[])[i], (@tarifas::numeric[])[i], (@bases::numeric[])[i], (@valores::numeric[])[i]
FROM generate_series(1, cardinality(@tarifas::numeric[])) AS i;

-- name: DeleteInvoiceTaxes :exec
DELETE FROM invoice_taxes
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id;
