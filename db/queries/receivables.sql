-- name: GetReceivablesPage :many
-- One page of the customers with open invoices, in (razon_social, id)
-- order after the cursor's key (a plain bound, as in ListCustomers), each
-- with its open balance in aging buckets by days past due on @today, and
-- the whole tenant's buckets (t_*) on every row, from the open balance
-- kept by due date: one statement, one snapshot. A page without customers
-- is one row with the nil customer_id (sqlc cannot see that a LEFT JOIN
-- LATERAL's columns may be NULL), carrying the totals. A customer's buckets are
-- summed from its open invoices only (invoices_open_idx: customer, due
-- date, balance), so a page costs its customers' open invoices, not the
-- ledger. A customer whose open invoices cancel out (a balance in favour
-- beside a debt) is listed: it has open invoices.
WITH t AS (
    SELECT COALESCE(sum(r.saldo) FILTER (WHERE r.vence >= sqlc.arg(today)::date), 0)::numeric AS no_vencido,
           COALESCE(sum(r.saldo) FILTER (WHERE r.vence BETWEEN sqlc.arg(today)::date - 30 AND sqlc.arg(today)::date - 1), 0)::numeric AS d1_30,
           COALESCE(sum(r.saldo) FILTER (WHERE r.vence BETWEEN sqlc.arg(today)::date - 60 AND sqlc.arg(today)::date - 31), 0)::numeric AS d31_60,
           COALESCE(sum(r.saldo) FILTER (WHERE r.vence BETWEEN sqlc.arg(today)::date - 90 AND sqlc.arg(today)::date - 61), 0)::numeric AS d61_90,
           COALESCE(sum(r.saldo) FILTER (WHERE r.vence < sqlc.arg(today)::date - 90), 0)::numeric AS mas90,
           COALESCE(sum(r.saldo), 0)::numeric AS total
    FROM tenant_receivables r
    WHERE r.tenant_id = @tenant_id
)
SELECT COALESCE(p.customer_id, '00000000-0000-0000-0000-000000000000')::uuid AS customer_id, COALESCE(p.razon_social, '')::text AS razon_social,
       COALESCE(p.no_vencido, 0)::numeric AS no_vencido, COALESCE(p.d1_30, 0)::numeric AS d1_30,
       COALESCE(p.d31_60, 0)::numeric AS d31_60, COALESCE(p.d61_90, 0)::numeric AS d61_90,
       COALESCE(p.mas90, 0)::numeric AS mas90, COALESCE(p.total, 0)::numeric AS total,
       t.no_vencido AS t_no_vencido, t.d1_30 AS t_d1_30, t.d31_60 AS t_d31_60,
       t.d61_90 AS t_d61_90, t.mas90 AS t_mas90, t.total AS t_total
FROM t
LEFT JOIN LATERAL (
    SELECT c.id AS customer_id, c.razon_social, o.no_vencido, o.d1_30, o.d31_60, o.d61_90, o.mas90, o.total
    FROM customers c
    CROSS JOIN LATERAL (
        SELECT count(*) AS abiertas,
               COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento >= sqlc.arg(today)::date), 0) AS no_vencido,
               COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento BETWEEN sqlc.arg(today)::date - 30 AND sqlc.arg(today)::date - 1), 0) AS d1_30,
               COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento BETWEEN sqlc.arg(today)::date - 60 AND sqlc.arg(today)::date - 31), 0) AS d31_60,
               COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento BETWEEN sqlc.arg(today)::date - 90 AND sqlc.arg(today)::date - 61), 0) AS d61_90,
               COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento < sqlc.arg(today)::date - 90), 0) AS mas90,
               COALESCE(sum(i.saldo), 0) AS total
        FROM invoices i
        WHERE i.tenant_id = @tenant_id AND i.customer_id = c.id AND i.status = 'ISSUED' AND i.saldo <> 0
    ) o
    WHERE c.tenant_id = @tenant_id
      AND (c.razon_social, c.id) > (sqlc.arg(after_razon_social)::text COLLATE billing_es, sqlc.arg(after_id)::uuid)
      AND o.abiertas > 0
    ORDER BY c.razon_social, c.id
    LIMIT @max_rows
) p ON true
ORDER BY p.razon_social, p.customer_id;
