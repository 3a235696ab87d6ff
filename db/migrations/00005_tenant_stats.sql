-- +goose Up

-- The dashboard's figures, maintained in the same transaction as every write
-- that changes them, so reading them costs a handful of rows however large
-- the ledger grows. Each tenant's figures are spread over up to 16 slot rows
-- (a writer adds its delta to a random slot) so that concurrent writers of
-- one tenant do not all queue on one row; the dashboard sums the slots.
CREATE TABLE tenant_stats (
    tenant_id          uuid          NOT NULL REFERENCES tenants (id),
    slot               smallint      NOT NULL CHECK (slot BETWEEN 0 AND 15),
    clientes_activos   bigint        NOT NULL DEFAULT 0,
    facturas_emitidas  bigint        NOT NULL DEFAULT 0,
    facturas_borrador  bigint        NOT NULL DEFAULT 0,
    -- Unbounded: the sum of many invoices of up to 10^16 each.
    ingresos_estimados numeric       NOT NULL DEFAULT 0,
    CONSTRAINT tenant_stats_pkey PRIMARY KEY (tenant_id, slot)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_stats TO billing_app;
ALTER TABLE tenant_stats ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_stats FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_stats
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Existing ledgers start from their live figures. Tenant by tenant, with the
-- tenant declared as the service declares it, so the row-level security of
-- the tables read (and of tenant_stats) lets a non-superuser owner through.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        INSERT INTO tenant_stats (tenant_id, slot, clientes_activos, facturas_emitidas, facturas_borrador, ingresos_estimados)
        SELECT t, 0,
               (SELECT count(*) FROM customers c WHERE c.tenant_id = t AND c.status = 'ACTIVE'),
               count(*) FILTER (WHERE i.status = 'ISSUED'),
               count(*) FILTER (WHERE i.status = 'DRAFT'),
               COALESCE(sum(i.total) FILTER (WHERE i.status = 'ISSUED'), 0)
        FROM invoices i WHERE i.tenant_id = t;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE tenant_stats;
