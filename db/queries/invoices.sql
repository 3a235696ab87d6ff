-- name: CreateInvoice :one
-- A new DRAFT with its lines, its tax breakdown and its creation event, in
-- one statement (one round trip instead of four). The lines travel as one array per column,
-- line i at position i, as in InsertInvoiceItems; an empty product id means
-- "no product". The lines' foreign key to the invoice is checked at the end
-- of the statement, when the invoice exists.
WITH invoice AS (
    INSERT INTO invoices (tenant_id, id, customer_id, numero, subtotal, impuestos, total, item_count,
                          forma_pago, dias_credito, medio_pago, descuentos, cargos, total_descuentos, total_cargos)
    VALUES (@tenant_id, @id, @customer_id, sqlc.narg(numero), @subtotal, @impuestos, @total,
            cardinality(@line_descripciones::text[]),
            @forma_pago, sqlc.narg(dias_credito), @medio_pago, @descuentos, @cargos, @total_descuentos, @total_cargos)
    RETURNING *
), lines AS (
    INSERT INTO invoice_items (tenant_id, invoice_id, position, id, product_service_id, descripcion, cantidad, valor_unitario, impuesto,
                               tributo, tratamiento, descuento, valor_descuento, subtotal)
    SELECT invoice.tenant_id, invoice.id, i,
           (@line_ids::uuid[])[i],
           NULLIF((@line_product_ids::text[])[i], '')::uuid,
           (@line_descripciones::text[])[i],
           (@line_cantidades::numeric[])[i],
           (@line_valores_unitarios::numeric[])[i],
           (@line_impuestos::numeric[])[i],
           (@line_tributos::text[])[i],
           (@line_tratamientos::text[])[i],
           (@line_descuentos::numeric[])[i],
           (@line_valores_descuento::numeric[])[i],
           (@line_subtotales::numeric[])[i]
    FROM invoice, generate_series(1, invoice.item_count) AS i
), taxes AS (
    -- The breakdown, one array per column, rate i at position i.
    INSERT INTO invoice_taxes (tenant_id, invoice_id, tributo, tarifa, base, valor)
    SELECT invoice.tenant_id, invoice.id, (@tax_tributos::text[])[i],
           (@tax_tarifas::numeric[])[i], (@tax_bases::numeric[])[i], (@tax_valores::numeric[])[i]
    FROM invoice, generate_series(1, cardinality(@tax_tarifas::numeric[])) AS i
), creation AS (
    INSERT INTO invoice_events (tenant_id, invoice_id, seq, to_status, actor)
    SELECT invoice.tenant_id, invoice.id, 1, invoice.status, @actor FROM invoice
)
SELECT * FROM invoice;

-- name: GetInvoiceDetail :many
-- The invoice, its customer, its lines and its tax breakdown, a row per
-- line, in one statement: one snapshot, so a concurrent edit of a draft is
-- seen whole or not at all. Every invoice has at least one line (written in
-- its own transaction), so no rows means no such invoice. The breakdown's
-- k-th group (by scheme, then ascending rate) rides on the row of line k: every
-- group comes from at least one line, so there are never more groups than lines, and
-- lines are numbered 1..n; the rows past the last rate carry tarifa -1 (a
-- rate is 0 to 100), since sqlc cannot say that a LEFT JOIN's column may be
-- NULL. (Arrays of the breakdown on every row would cost the driver a
-- reflective array scan per read.) The stamp of an issue under a resolution
-- rides on line 1's row alone (the others, and an invoice without one, carry
-- empty texts): its QR text is ~450 bytes, which every row would repeat.
SELECT sqlc.embed(invoices), sqlc.embed(customers), sqlc.embed(invoice_items),
       COALESCE(taxes.tributo, '')::text AS tax_tributo,
       COALESCE(taxes.tarifa, -1)::numeric AS tax_tarifa,
       COALESCE(taxes.base, 0)::numeric AS tax_base,
       COALESCE(taxes.valor, 0)::numeric AS tax_valor,
       COALESCE(stamp.cufe, '')::text AS stamp_cufe,
       COALESCE(stamp.qr, '')::text AS stamp_qr,
       COALESCE(stamp.issue_date, '')::text AS stamp_issue_date,
       COALESCE(stamp.issue_time, '')::text AS stamp_issue_time,
       COALESCE(stamp.consecutivo, 0)::bigint AS stamp_consecutivo,
       COALESCE(stamp.resolution_id, '00000000-0000-0000-0000-000000000000')::uuid AS stamp_resolution_id,
       COALESCE(stamp.dian_estado, '')::text AS stamp_dian_estado,
       COALESCE(stamp.dian_reglas, '[]')::jsonb AS stamp_dian_reglas,
       COALESCE(stamp.dian_intentos, 0)::integer AS stamp_dian_intentos,
       stamp.dian_actualizado AS stamp_dian_actualizado
FROM invoices
JOIN customers ON customers.tenant_id = invoices.tenant_id AND customers.id = invoices.customer_id
JOIN invoice_items ON invoice_items.tenant_id = invoices.tenant_id AND invoice_items.invoice_id = invoices.id
LEFT JOIN (
    SELECT row_number() OVER (ORDER BY t.tributo, t.tarifa) AS n, t.tributo, t.tarifa, t.base, t.valor
    FROM invoice_taxes t
    WHERE t.tenant_id = @tenant_id AND t.invoice_id = @id
) AS taxes ON taxes.n = invoice_items.position
LEFT JOIN invoice_stamps stamp ON stamp.tenant_id = invoices.tenant_id AND stamp.invoice_id = invoices.id
    AND invoice_items.position = 1
WHERE invoices.tenant_id = @tenant_id AND invoices.id = @id
ORDER BY invoice_items.position;

-- name: GetInvoiceForUpdate :one
SELECT * FROM invoices
WHERE tenant_id = @tenant_id AND id = @id
FOR UPDATE;

-- name: GetInvoiceForStatusChange :one
-- GetInvoiceForUpdate, whether the tenant invoices electronically (an issue
-- then goes under its numbering resolution) and whether this invoice was
-- issued so (a cancel then goes through a credit note), in one round trip.
-- Status changes, payments and credit notes of one invoice all queue here.
SELECT sqlc.embed(invoices),
       EXISTS (SELECT 1 FROM fiscal_profiles p WHERE p.tenant_id = @tenant_id)::boolean AS electronic,
       EXISTS (SELECT 1 FROM invoice_stamps s WHERE s.tenant_id = @tenant_id AND s.invoice_id = @id)::boolean AS stamped
FROM invoices
WHERE invoices.tenant_id = @tenant_id AND invoices.id = @id
FOR UPDATE OF invoices;

-- name: ReplaceInvoice :one
-- Rewrites a draft's header; the caller has locked the row and checked its
-- status, and replaces the lines in the same transaction.
UPDATE invoices
SET customer_id      = @customer_id,
    numero           = sqlc.narg(numero),
    subtotal         = @subtotal,
    impuestos        = @impuestos,
    total            = @total,
    item_count       = @item_count,
    forma_pago       = @forma_pago,
    dias_credito     = sqlc.narg(dias_credito),
    medio_pago       = @medio_pago,
    descuentos       = @descuentos,
    cargos           = @cargos,
    total_descuentos = @total_descuentos,
    total_cargos     = @total_cargos,
    updated_at       = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;

-- name: SetInvoiceStatus :one
-- Stamps issued_at or cancelled_at with the transaction's time, or with the
-- issue's own instant when one is given (an issue under a resolution, whose
-- CUFE holds it to the second), and sets the numero such an issue took. An
-- issue fixes the due date: the one given (computed with the document), or
-- the Colombian date of now() plus the credit days (the seed's issue).
-- Only updated_at and the due date come back: the caller has the rest.
UPDATE invoices
SET status       = sqlc.arg(status)::text,
    numero       = COALESCE(sqlc.narg(numero), numero),
    issued_at    = CASE WHEN sqlc.arg(status)::text = 'ISSUED' THEN COALESCE(sqlc.narg(issued_at), now()) ELSE issued_at END,
    fecha_vencimiento = CASE WHEN sqlc.arg(status)::text = 'ISSUED'
        THEN COALESCE(sqlc.narg(fecha_vencimiento)::date, (now() AT TIME ZONE INTERVAL '-05:00')::date + COALESCE(dias_credito, 0))
        ELSE fecha_vencimiento END,
    cancelled_at = CASE WHEN sqlc.arg(status)::text = 'CANCELLED' THEN now() ELSE cancelled_at END,
    updated_at   = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING updated_at, fecha_vencimiento;

-- name: ListInvoices :many
-- One page of every status, newest first, after the cursor's key (the first
-- page passes a key after every row: see firstByNewest). Served by
-- invoices_created_idx, the cursor as the index bound: never "cursor IS NULL
-- OR ...", which a prepared statement's generic plan cannot use as a bound
-- (a deep page filtered every earlier row; docs/performance.md has the figures).
SELECT i.id, COALESCE(i.numero, '')::text AS numero, i.status, i.customer_id, i.subtotal, i.impuestos, i.total, i.item_count,
       i.saldo, i.pagado, i.fecha_vencimiento, i.issued_at, i.cancelled_at, i.created_at, i.updated_at,
       c.razon_social AS customer_razon_social, c.nit AS customer_nit
FROM invoices i
JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
WHERE i.tenant_id = @tenant_id
  AND (i.created_at, i.id) < (@after_created_at::timestamptz, @after_id::uuid)
ORDER BY i.created_at DESC, i.id DESC
LIMIT @max_rows;

-- name: ListInvoicesByStatus :many
-- ListInvoices of one status, served by invoices_status_created_idx. A query
-- of its own rather than "status IS NULL OR status = $n", for the same
-- reason: the generic plan walked the whole ledger by date to fill a page of
-- an absent status (docs/performance.md has the figures).
SELECT i.id, COALESCE(i.numero, '')::text AS numero, i.status, i.customer_id, i.subtotal, i.impuestos, i.total, i.item_count,
       i.saldo, i.pagado, i.fecha_vencimiento, i.issued_at, i.cancelled_at, i.created_at, i.updated_at,
       c.razon_social AS customer_razon_social, c.nit AS customer_nit
FROM invoices i
JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
WHERE i.tenant_id = @tenant_id AND i.status = @status
  AND (i.created_at, i.id) < (@after_created_at::timestamptz, @after_id::uuid)
ORDER BY i.created_at DESC, i.id DESC
LIMIT @max_rows;

-- name: ListInvoicesFiltered :many
-- ListInvoices by customer and/or payment state (and optionally status),
-- for the less common filters: the payment state is judged on @today with
-- billing.PaymentStatusOf's rule. A customer's invoices are found through
-- invoices_customer_idx; a payment state alone walks the ISSUED invoices
-- by date.
SELECT i.id, COALESCE(i.numero, '')::text AS numero, i.status, i.customer_id, i.subtotal, i.impuestos, i.total, i.item_count,
       i.saldo, i.pagado, i.fecha_vencimiento, i.issued_at, i.cancelled_at, i.created_at, i.updated_at,
       c.razon_social AS customer_razon_social, c.nit AS customer_nit
FROM invoices i
JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
WHERE i.tenant_id = @tenant_id
  AND (sqlc.narg(customer_id)::uuid IS NULL OR i.customer_id = sqlc.narg(customer_id)::uuid)
  AND (sqlc.narg(status)::text IS NULL OR i.status = sqlc.narg(status)::text)
  AND (sqlc.narg(estado_pago)::text IS NULL OR (i.status = 'ISSUED' AND
       CASE WHEN i.saldo <= 0 THEN 'PAGADA'
            WHEN i.fecha_vencimiento < @today::date THEN 'VENCIDA'
            WHEN i.pagado > 0 THEN 'PARCIAL'
            ELSE 'PENDIENTE' END = sqlc.narg(estado_pago)::text))
  AND (i.created_at, i.id) < (@after_created_at::timestamptz, @after_id::uuid)
ORDER BY i.created_at DESC, i.id DESC
LIMIT @max_rows;

-- name: GetLiveDashboard :one
-- The figures computed from the ledger itself, in one statement (one
-- snapshot). Linear in the ledger's size: the dashboard reads tenant_stats;
-- this is for reconcile and for checking tenant_stats.
SELECT
    (SELECT count(*) FROM customers c WHERE c.tenant_id = @tenant_id AND c.status = 'ACTIVE') AS clientes_activos,
    count(*) FILTER (WHERE i.status = 'ISSUED') AS facturas_emitidas,
    count(*) FILTER (WHERE i.status = 'DRAFT') AS facturas_borrador,
    COALESCE(sum(i.total) FILTER (WHERE i.status = 'ISSUED'), 0)::numeric AS ingresos_estimados,
    COALESCE(sum(i.saldo) FILTER (WHERE i.status = 'ISSUED'), 0)::numeric AS cartera_pendiente,
    COALESCE(sum(i.acreditado) FILTER (WHERE i.status = 'ISSUED'), 0)::numeric AS creditos
FROM invoices i
WHERE i.tenant_id = @tenant_id;

-- name: GetLiveOverdue :one
-- The overdue balance computed from the ledger, for reconcile and tests.
SELECT COALESCE(sum(saldo), 0)::numeric AS vencida
FROM invoices
WHERE tenant_id = @tenant_id AND status = 'ISSUED' AND saldo <> 0 AND fecha_vencimiento < @today::date;

-- name: AddInvoicePaid :exec
-- Adds a payment (or, negative, a reversal) to the invoice's paid sum.
UPDATE invoices SET pagado = pagado + @delta::numeric, updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id;

-- name: AddInvoiceCredited :exec
-- Adds a credit note's total to the invoice's credited sum.
UPDATE invoices SET acreditado = acreditado + @delta::numeric, updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id;
