-- +goose Up

-- Secrets at rest: the software PIN, the technical keys and the signing
-- certificate are kept sealed (AES-256-GCM under BILLING_SECRET_KEY, bound
-- to their tenant, row and field: internal/secret), never readable in a
-- dump. The key lives outside the database, so SQL cannot seal the values
-- already stored: they stay in their plaintext column until the service
-- starts with a key, which seals them and clears the column (store.
-- SealPlaintextSecrets). A value is in exactly one of the two columns.
ALTER TABLE fiscal_profiles
    ALTER COLUMN software_pin DROP NOT NULL,
    ADD COLUMN software_pin_sealed bytea,
    ADD CONSTRAINT fiscal_profiles_pin_once CHECK ((software_pin IS NULL) <> (software_pin_sealed IS NULL));

ALTER TABLE numbering_resolutions
    ADD COLUMN clave_tecnica_sealed bytea,
    DROP CONSTRAINT numbering_resolutions_factura,
    DROP CONSTRAINT numbering_resolutions_notes,
    ADD CONSTRAINT numbering_resolutions_key_once CHECK (clave_tecnica IS NULL OR clave_tecnica_sealed IS NULL),
    -- An invoice range is DIAN's: resolution, dates and technical key.
    ADD CONSTRAINT numbering_resolutions_factura CHECK (tipo_documento <> 'FACTURA' OR (
        numero_resolucion IS NOT NULL AND fecha_resolucion IS NOT NULL AND vigencia_desde IS NOT NULL
        AND vigencia_hasta IS NOT NULL AND (clave_tecnica IS NOT NULL OR clave_tecnica_sealed IS NOT NULL))),
    ADD CONSTRAINT numbering_resolutions_notes CHECK (tipo_documento = 'FACTURA' OR (clave_tecnica IS NULL AND clave_tecnica_sealed IS NULL));

-- The tenant's signing certificate (its PKCS#12 file and password, both
-- sealed) and what a read may show of it. One per tenant; an upload
-- replaces it.
CREATE TABLE signing_certificates (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    p12_sealed      bytea       NOT NULL,
    password_sealed bytea       NOT NULL,
    subject         text        NOT NULL,
    issuer          text        NOT NULL,
    serial          text        NOT NULL CHECK (serial ~ '^[0-9]+$'),
    not_before      timestamptz NOT NULL,
    not_after       timestamptz NOT NULL,
    uploaded_by     text        NOT NULL,
    uploaded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT signing_certificates_pkey PRIMARY KEY (tenant_id),
    CONSTRAINT signing_certificates_validity CHECK (not_before < not_after)
);
GRANT SELECT, INSERT, UPDATE ON signing_certificates TO billing_app;
ALTER TABLE signing_certificates ENABLE ROW LEVEL SECURITY;
ALTER TABLE signing_certificates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON signing_certificates
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
-- The schema before 00010 keeps secrets in plaintext only: a sealed one
-- cannot be put back without the key, so refuse rather than lose it.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        IF EXISTS (SELECT 1 FROM fiscal_profiles WHERE tenant_id = t AND software_pin_sealed IS NOT NULL)
           OR EXISTS (SELECT 1 FROM numbering_resolutions WHERE tenant_id = t AND clave_tecnica_sealed IS NOT NULL)
           OR EXISTS (SELECT 1 FROM signing_certificates WHERE tenant_id = t) THEN
            RAISE EXCEPTION 'tenant % has sealed secrets the schema before 00010 cannot hold', t;
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd
DROP TABLE signing_certificates;
ALTER TABLE numbering_resolutions
    DROP CONSTRAINT numbering_resolutions_notes,
    DROP CONSTRAINT numbering_resolutions_factura,
    DROP CONSTRAINT numbering_resolutions_key_once,
    DROP COLUMN clave_tecnica_sealed,
    ADD CONSTRAINT numbering_resolutions_factura CHECK (tipo_documento <> 'FACTURA' OR (
        numero_resolucion IS NOT NULL AND fecha_resolucion IS NOT NULL AND vigencia_desde IS NOT NULL
        AND vigencia_hasta IS NOT NULL AND clave_tecnica IS NOT NULL)),
    ADD CONSTRAINT numbering_resolutions_notes CHECK (tipo_documento = 'FACTURA' OR clave_tecnica IS NULL);
ALTER TABLE fiscal_profiles
    DROP CONSTRAINT fiscal_profiles_pin_once,
    DROP COLUMN software_pin_sealed,
    ALTER COLUMN software_pin SET NOT NULL;
