-- name: InsertInvoiceTaxes :exec
-- A draft's new breakdown, one array per column, group i at position i,
-- after DeleteInvoiceTaxes removed the old one in the same transaction.
INSERT INTO invoice_taxes (tenant_id, invoice_id, tributo, tarifa, base, valor)
SELECT @tenant_id, @invoice_id, (@tributos::text[])[i], (@tarifas::numeric[])[i], (@bases::numeric[])[i], (@valores::numeric[])[i]
FROM generate_series(1, cardinality(@tarifas::numeric[])) AS i;

-- name: DeleteInvoiceTaxes :exec
DELETE FROM invoice_taxes
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id;

-- name: ListCreditedTaxes :many
-- An invoice's tax groups with what credit notes took of them, for the next
-- note (the caller holds the invoice's lock).
SELECT * FROM invoice_taxes
WHERE tenant_id = @tenant_id AND invoice_id = @invoice_id
ORDER BY tributo, tarifa;

-- name: CreditInvoiceTaxes :exec
-- Adds a credit note's take to its invoice's tax groups; the table's checks
-- refuse more than a group holds.
UPDATE invoice_taxes t
SET base_acreditada  = t.base_acreditada + (@bases::numeric[])[c.i],
    valor_acreditado = t.valor_acreditado + (@valores::numeric[])[c.i]
FROM generate_series(1, cardinality(@tarifas::numeric[])) AS c(i)
WHERE t.tenant_id = @tenant_id AND t.invoice_id = @invoice_id
  AND t.tributo = (@tributos::text[])[c.i] AND t.tarifa = (@tarifas::numeric[])[c.i];
