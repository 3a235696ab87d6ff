-- +goose Up

-- An invoice's tax breakdown, one row per rate, written with the invoice (and
-- rewritten with a draft's lines), so a read shows the figures that were
-- computed when it was written instead of computing them again.
CREATE TABLE invoice_taxes (
    tenant_id  uuid          NOT NULL,
    invoice_id uuid          NOT NULL,
    tarifa     numeric(5,2)  NOT NULL CHECK (tarifa BETWEEN 0 AND 100),
    base       numeric(18,2) NOT NULL CHECK (base >= 0),
    valor      numeric(18,2) NOT NULL CHECK (valor >= 0),
    CONSTRAINT invoice_taxes_pkey PRIMARY KEY (tenant_id, invoice_id, tarifa),
    CONSTRAINT invoice_taxes_invoice_fk FOREIGN KEY (tenant_id, invoice_id)
        REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
);

GRANT SELECT, INSERT, DELETE ON invoice_taxes TO billing_app;
ALTER TABLE invoice_taxes ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_taxes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_taxes
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Existing invoices get the breakdown their lines give under the totals rule
-- (per rate: round half away from zero of base × rate / 100, to cents, which
-- is half-up for these non-negative amounts). Tenant by tenant, as 00005
-- does, so row-level security lets a non-superuser owner through.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        INSERT INTO invoice_taxes (tenant_id, invoice_id, tarifa, base, valor)
        SELECT tenant_id, invoice_id, impuesto, sum(subtotal), round(sum(subtotal) * impuesto / 100, 2)
        FROM invoice_items
        WHERE tenant_id = t
        GROUP BY tenant_id, invoice_id, impuesto;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE invoice_taxes;
