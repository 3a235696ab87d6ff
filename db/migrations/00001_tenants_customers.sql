-- +goose Up

-- Names sort the way a Colombian reader expects ("Álvaro" before "Beatriz"),
-- independent of the cluster's default locale.
CREATE COLLATION IF NOT EXISTS billing_es (provider = icu, locale = 'es-CO');

-- tenants is the only table not owned by a tenant: the CLI manages it and the
-- auth guard reads it on every request.
CREATE TABLE tenants (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    status     text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every tenant-owned table leads its keys with tenant_id so that rows can only
-- reference rows of their own tenant (composite foreign keys) and the schema can
-- be distributed by tenant_id unchanged.
CREATE TABLE customers (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    id           uuid        NOT NULL,
    razon_social text        COLLATE billing_es NOT NULL CHECK (length(razon_social) BETWEEN 1 AND 200),
    nit          text        NOT NULL CHECK (length(nit) BETWEEN 3 AND 20),
    email        text        CHECK (length(email) <= 254),
    telefono     text        CHECK (length(telefono) <= 50),
    direccion    text        CHECK (length(direccion) <= 300),
    status       text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT customers_nit_key UNIQUE (tenant_id, nit)
);

-- Serves the list order (razonSocial, then id for a stable tie-break).
CREATE INDEX customers_razon_social_idx ON customers (tenant_id, razon_social, id);

-- +goose Down
DROP TABLE customers;
DROP TABLE tenants;
DROP COLLATION IF EXISTS billing_es;
