-- name: AddTenantStats :exec
-- Adds a write's deltas to one slot of its tenant's figures, in the write's
-- own transaction.
INSERT INTO tenant_stats AS s (tenant_id, slot, clientes_activos, facturas_emitidas, facturas_borrador, ingresos_estimados,
                               cartera_pendiente, creditos)
VALUES (@tenant_id, @slot, @clientes_activos, @facturas_emitidas, @facturas_borrador, @ingresos_estimados,
        @cartera_pendiente, @creditos)
ON CONFLICT (tenant_id, slot) DO UPDATE
SET clientes_activos   = s.clientes_activos + EXCLUDED.clientes_activos,
    facturas_emitidas  = s.facturas_emitidas + EXCLUDED.facturas_emitidas,
    facturas_borrador  = s.facturas_borrador + EXCLUDED.facturas_borrador,
    ingresos_estimados = s.ingresos_estimados + EXCLUDED.ingresos_estimados,
    cartera_pendiente  = s.cartera_pendiente + EXCLUDED.cartera_pendiente,
    creditos           = s.creditos + EXCLUDED.creditos;

-- name: GetTenantStats :one
-- The maintained figures: a sum over at most 16 rows.
SELECT COALESCE(sum(clientes_activos), 0)::bigint AS clientes_activos,
       COALESCE(sum(facturas_emitidas), 0)::bigint AS facturas_emitidas,
       COALESCE(sum(facturas_borrador), 0)::bigint AS facturas_borrador,
       COALESCE(sum(ingresos_estimados), 0)::numeric AS ingresos_estimados,
       COALESCE(sum(cartera_pendiente), 0)::numeric AS cartera_pendiente,
       COALESCE(sum(creditos), 0)::numeric AS creditos
FROM tenant_stats
WHERE tenant_id = @tenant_id;

-- name: EnsureTenantStatsSlots :exec
-- For reconcile: make every slot row exist, so that locking them all (next)
-- leaves no slot a writer could add to unseen.
INSERT INTO tenant_stats (tenant_id, slot)
SELECT @tenant_id, g FROM generate_series(0, 15) AS g
ON CONFLICT (tenant_id, slot) DO NOTHING;

-- name: LockTenantStats :exec
-- Writers that have not added their delta yet wait here, and add it on top
-- of the recomputed figures once reconcile commits.
SELECT 1 FROM tenant_stats WHERE tenant_id = @tenant_id FOR UPDATE;

-- name: SetTenantStats :exec
-- Puts the given figures in slot 0 and zeroes the other slots.
UPDATE tenant_stats
SET clientes_activos   = CASE WHEN slot = 0 THEN @clientes_activos::bigint ELSE 0 END,
    facturas_emitidas  = CASE WHEN slot = 0 THEN @facturas_emitidas::bigint ELSE 0 END,
    facturas_borrador  = CASE WHEN slot = 0 THEN @facturas_borrador::bigint ELSE 0 END,
    ingresos_estimados = CASE WHEN slot = 0 THEN @ingresos_estimados::numeric ELSE 0 END,
    cartera_pendiente  = CASE WHEN slot = 0 THEN @cartera_pendiente::numeric ELSE 0 END,
    creditos           = CASE WHEN slot = 0 THEN @creditos::numeric ELSE 0 END
WHERE tenant_id = @tenant_id;

-- name: AddTenantReceivable :exec
-- Adds a write's change to the open balance due on one date, in one slot,
-- in the write's own transaction (queued after AddTenantStats, so that
-- reconcile's lock on the stats comes first for every writer).
INSERT INTO tenant_receivables AS r (tenant_id, vence, slot, saldo)
VALUES (@tenant_id, @vence, @slot, @saldo)
ON CONFLICT (tenant_id, vence, slot) DO UPDATE SET saldo = r.saldo + EXCLUDED.saldo;

-- name: ClearTenantReceivables :exec
-- For reconcile, under the stats' lock.
DELETE FROM tenant_receivables WHERE tenant_id = @tenant_id;

-- name: RebuildTenantReceivables :exec
-- For reconcile: the open balances by due date, from the ledger.
INSERT INTO tenant_receivables (tenant_id, vence, slot, saldo)
SELECT i.tenant_id, i.fecha_vencimiento, 0, sum(i.saldo)
FROM invoices i
WHERE i.tenant_id = @tenant_id AND i.status = 'ISSUED' AND i.saldo <> 0
GROUP BY i.tenant_id, i.fecha_vencimiento;

-- name: GetDashboard :one
-- The maintained figures and the open balance due before @today, in one
-- statement (one snapshot): a sum over at most 16 rows and one over the
-- slot rows of the past due dates.
SELECT COALESCE(sum(clientes_activos), 0)::bigint AS clientes_activos,
       COALESCE(sum(facturas_emitidas), 0)::bigint AS facturas_emitidas,
       COALESCE(sum(facturas_borrador), 0)::bigint AS facturas_borrador,
       COALESCE(sum(ingresos_estimados), 0)::numeric AS ingresos_estimados,
       COALESCE(sum(cartera_pendiente), 0)::numeric AS cartera_pendiente,
       COALESCE(sum(creditos), 0)::numeric AS creditos,
       (SELECT COALESCE(sum(r.saldo), 0) FROM tenant_receivables r
        WHERE r.tenant_id = @tenant_id AND r.vence < @today::date)::numeric AS cartera_vencida
FROM tenant_stats
WHERE tenant_id = @tenant_id;
