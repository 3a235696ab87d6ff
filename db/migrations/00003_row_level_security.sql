-- +goose Up

-- A second wall behind the tenant_id predicate of every query: the service
-- runs its queries as billing_app (switched to with SET ROLE right after
-- connecting, so even a superuser DATABASE_URL is fenced), which has no
-- BYPASSRLS, and every tenant-owned table lets a transaction see only the
-- rows of the tenant it declared with set_config('app.tenant_id', …, true).
-- A transaction that declared no tenant sees no rows at all.

-- Roles are cluster-wide; the databases of one cluster share this one.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'billing_app') THEN
        CREATE ROLE billing_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;
-- +goose StatementEnd

-- The migrating user must be able to SET ROLE billing_app.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'billing_app', 'MEMBER') THEN
        EXECUTE format('GRANT billing_app TO %I', current_user);
    END IF;
END
$$;
-- +goose StatementEnd

GRANT USAGE ON SCHEMA public TO billing_app;
-- tenants is not tenant-owned: the auth guard and the CLI read and write it.
GRANT SELECT, INSERT, UPDATE ON tenants TO billing_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON customers, products, invoices, invoice_items, invoice_events TO billing_app;

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON customers
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE products ENABLE ROW LEVEL SECURITY;
ALTER TABLE products FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON products
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoices
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE invoice_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_items
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE invoice_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_events
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP POLICY tenant_isolation ON invoice_events;
ALTER TABLE invoice_events NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_events DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON invoice_items;
ALTER TABLE invoice_items NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_items DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON invoices;
ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoices DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON products;
ALTER TABLE products NO FORCE ROW LEVEL SECURITY;
ALTER TABLE products DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON customers;
ALTER TABLE customers NO FORCE ROW LEVEL SECURITY;
ALTER TABLE customers DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON customers, products, invoices, invoice_items, invoice_events, tenants FROM billing_app;
REVOKE USAGE ON SCHEMA public FROM billing_app;
