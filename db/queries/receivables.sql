-- name: GetReceivables :many
-- The open balance of each customer in aging buckets by days past due on
-- @today, from the open invoices only (invoices_open_idx holds their
-- customer, due date and balance): cost in proportion to the open
-- invoices, not the ledger. Customers by razon_social, then id.
SELECT o.customer_id, c.razon_social,
       o.no_vencido::numeric AS no_vencido, o.d1_30::numeric AS d1_30, o.d31_60::numeric AS d31_60,
       o.d61_90::numeric AS d61_90, o.mas90::numeric AS mas90, o.total::numeric AS total
FROM (
    SELECT i.customer_id,
           COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento >= sqlc.arg(today)::date), 0) AS no_vencido,
           COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento BETWEEN sqlc.arg(today)::date - 30 AND sqlc.arg(today)::date - 1), 0) AS d1_30,
           COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento BETWEEN sqlc.arg(today)::date - 60 AND sqlc.arg(today)::date - 31), 0) AS d31_60,
           COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento BETWEEN sqlc.arg(today)::date - 90 AND sqlc.arg(today)::date - 61), 0) AS d61_90,
           COALESCE(sum(i.saldo) FILTER (WHERE i.fecha_vencimiento < sqlc.arg(today)::date - 90), 0) AS mas90,
           sum(i.saldo) AS total
    FROM invoices i
    WHERE i.tenant_id = @tenant_id AND i.status = 'ISSUED' AND i.saldo <> 0
    GROUP BY i.customer_id
) o
JOIN customers c ON c.tenant_id = @tenant_id AND c.id = o.customer_id
ORDER BY c.razon_social, o.customer_id;
