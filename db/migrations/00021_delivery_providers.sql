-- +goose Up

-- Who delivers a point of sale's orders (the seed's deliveryProvider): a
-- tenant's own couriers or an app. A delivery invoice names one.
CREATE TABLE delivery_providers (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    nombre     text        NOT NULL CHECK (length(btrim(nombre)) BETWEEN 1 AND 100),
    activo     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT delivery_providers_pkey PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX delivery_providers_nombre_key ON delivery_providers (tenant_id, lower(nombre COLLATE billing_es));
ALTER TABLE delivery_providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE delivery_providers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON delivery_providers
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE ON delivery_providers TO billing_app;

-- +goose Down
DROP TABLE delivery_providers;
