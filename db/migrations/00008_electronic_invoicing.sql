-- +goose Up

-- Electronic invoicing (DIAN): the tenant's fiscal profile, its numbering
-- resolutions, taxes by scheme and treatment, the buyer's DIAN identity, and
-- what an issue under a resolution froze. A tenant without a fiscal profile
-- keeps the seed's behaviour: client-chosen numero, no CUFE.

-- btree_gist lets one exclusion constraint say "no two active ranges of one
-- tenant, kind and prefix overlap" (uuid and text equality beside a range's
-- overlap). It is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The tenant as DIAN knows it. One row per tenant; its presence turns
-- electronic invoicing on. software_pin is kept as written until issue 13
-- encrypts the secrets at rest.
CREATE TABLE fiscal_profiles (
    tenant_id         uuid        NOT NULL REFERENCES tenants (id),
    nit               text        NOT NULL CHECK (nit ~ '^[1-9][0-9]{2,14}$'),
    razon_social      text        NOT NULL CHECK (length(razon_social) BETWEEN 1 AND 450),
    nombre_comercial  text        CHECK (length(nombre_comercial) BETWEEN 1 AND 450),
    tipo_persona      text        NOT NULL CHECK (tipo_persona IN ('JURIDICA', 'NATURAL')),
    responsabilidades text[]      NOT NULL CHECK (cardinality(responsabilidades) BETWEEN 1 AND 10),
    tributo           text        NOT NULL CHECK (tributo IN ('01', '04', 'ZA', 'ZZ')),
    direccion         text        NOT NULL CHECK (length(direccion) BETWEEN 1 AND 300),
    municipio         text        NOT NULL CHECK (municipio ~ '^[0-9]{5}$'),
    ciudad            text        NOT NULL CHECK (length(ciudad) BETWEEN 1 AND 100),
    departamento      text        NOT NULL CHECK (length(departamento) BETWEEN 1 AND 100),
    email             text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    telefono          text        CHECK (length(telefono) BETWEEN 1 AND 50),
    ambiente          text        NOT NULL CHECK (ambiente IN ('PRUEBAS', 'PRODUCCION')),
    software_id       text        NOT NULL CHECK (length(software_id) BETWEEN 1 AND 100),
    software_pin      text        NOT NULL CHECK (length(software_pin) BETWEEN 1 AND 100),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fiscal_profiles_pkey PRIMARY KEY (tenant_id)
);

-- A DIAN numbering authorisation. siguiente is the gapless counter: the
-- issuing transaction locks the row and moves it, so a rolled-back issue
-- gives its number back. hasta + 1 means exhausted.
CREATE TABLE numbering_resolutions (
    tenant_id         uuid        NOT NULL REFERENCES tenants (id),
    id                uuid        NOT NULL,
    tipo_documento    text        NOT NULL CHECK (tipo_documento IN ('FACTURA', 'NOTA_CREDITO', 'NOTA_DEBITO')),
    numero_resolucion text        CHECK (length(numero_resolucion) BETWEEN 1 AND 40),
    fecha_resolucion  date,
    prefijo           text        NOT NULL CHECK (prefijo ~ '^[A-Za-z0-9]{1,4}$'),
    desde             bigint      NOT NULL CHECK (desde >= 0),
    hasta             bigint      NOT NULL,
    vigencia_desde    date,
    vigencia_hasta    date,
    clave_tecnica     text        CHECK (clave_tecnica ~ '^[0-9a-f]{40}$'),
    activa            boolean     NOT NULL DEFAULT true,
    siguiente         bigint      NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT numbering_resolutions_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT numbering_resolutions_range CHECK (desde <= hasta),
    CONSTRAINT numbering_resolutions_dates CHECK (vigencia_desde <= vigencia_hasta),
    CONSTRAINT numbering_resolutions_siguiente CHECK (siguiente BETWEEN desde AND hasta + 1),
    -- An invoice range is DIAN's: resolution, dates and technical key.
    CONSTRAINT numbering_resolutions_factura CHECK (tipo_documento <> 'FACTURA' OR (
        numero_resolucion IS NOT NULL AND fecha_resolucion IS NOT NULL AND vigencia_desde IS NOT NULL
        AND vigencia_hasta IS NOT NULL AND clave_tecnica IS NOT NULL)),
    CONSTRAINT numbering_resolutions_notes CHECK (tipo_documento = 'FACTURA' OR clave_tecnica IS NULL),
    CONSTRAINT numbering_resolutions_overlap EXCLUDE USING gist (
        tenant_id WITH =, tipo_documento WITH =, prefijo WITH =, int8range(desde, hasta, '[]') WITH &&
    ) WHERE (activa)
);

-- Taxes by scheme and treatment: IVA (01) or INC (04); GRAVADO, EXENTO
-- (0 %, reported) or EXCLUIDO (outside the tax). Existing rows are IVA,
-- GRAVADO, as every rate was before.
ALTER TABLE products
    ADD COLUMN tributo     text NOT NULL DEFAULT '01' CHECK (tributo IN ('01', '04')),
    ADD COLUMN tratamiento text NOT NULL DEFAULT 'GRAVADO' CHECK (tratamiento IN ('GRAVADO', 'EXENTO', 'EXCLUIDO')),
    ADD CONSTRAINT products_untaxed_rate CHECK (tratamiento = 'GRAVADO' OR impuesto = 0);
ALTER TABLE invoice_items
    ADD COLUMN tributo     text NOT NULL DEFAULT '01' CHECK (tributo IN ('01', '04')),
    ADD COLUMN tratamiento text NOT NULL DEFAULT 'GRAVADO' CHECK (tratamiento IN ('GRAVADO', 'EXENTO', 'EXCLUIDO')),
    ADD CONSTRAINT invoice_items_untaxed_rate CHECK (tratamiento = 'GRAVADO' OR impuesto = 0);
ALTER TABLE invoice_taxes
    ADD COLUMN tributo text NOT NULL DEFAULT '01' CHECK (tributo IN ('01', '04')),
    DROP CONSTRAINT invoice_taxes_pkey,
    ADD CONSTRAINT invoice_taxes_pkey PRIMARY KEY (tenant_id, invoice_id, tributo, tarifa);

-- The buyer's DIAN identity. Existing customers: a number with letters is a
-- passport (41), a number of digits a cédula (13): how they were written
-- (with or without a check digit) was not kept.
ALTER TABLE customers
    ADD COLUMN tipo_identificacion text NOT NULL DEFAULT '13'
        CHECK (tipo_identificacion IN ('11', '12', '13', '21', '22', '31', '41', '42', '47', '48', '50', '91')),
    ADD COLUMN tipo_persona text CHECK (tipo_persona IN ('JURIDICA', 'NATURAL')),
    ADD CONSTRAINT customers_juridica_nit CHECK (tipo_persona IS DISTINCT FROM 'JURIDICA' OR tipo_identificacion IN ('31', '50'));
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        UPDATE customers SET tipo_identificacion = '41' WHERE tenant_id = t AND nit !~ '^[0-9]+$';
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd

-- An e-invoicing tenant's draft has no numero until it is issued (and keeps
-- none if it is cancelled unissued).
ALTER TABLE invoices
    ALTER COLUMN numero DROP NOT NULL,
    ADD CONSTRAINT invoices_numero_issued CHECK (issued_at IS NULL OR numero IS NOT NULL);

-- What an issue under a resolution froze: the consecutive it took, the exact
-- issue date and time the CUFE was computed from, the CUFE, the QR text, the
-- UBL document's bytes (served as stored, never rebuilt) and the document's
-- content as issued (the printed invoice is drawn from it, so that editing
-- the customer or the profile later changes nothing in it).
CREATE TABLE invoice_stamps (
    tenant_id     uuid   NOT NULL,
    invoice_id    uuid   NOT NULL,
    resolution_id uuid   NOT NULL,
    consecutivo   bigint NOT NULL,
    issue_date    text   NOT NULL CHECK (issue_date ~ '^\d{4}-\d{2}-\d{2}$'),
    issue_time    text   NOT NULL CHECK (issue_time ~ '^\d{2}:\d{2}:\d{2}-05:00$'),
    cufe          text   NOT NULL CHECK (cufe ~ '^[0-9a-f]{96}$'),
    qr            text   NOT NULL,
    xml           bytea  NOT NULL,
    document      jsonb  NOT NULL,
    CONSTRAINT invoice_stamps_pkey PRIMARY KEY (tenant_id, invoice_id),
    CONSTRAINT invoice_stamps_consecutivo_key UNIQUE (tenant_id, resolution_id, consecutivo),
    CONSTRAINT invoice_stamps_invoice_fk FOREIGN KEY (tenant_id, invoice_id)
        REFERENCES invoices (tenant_id, id) ON DELETE RESTRICT,
    CONSTRAINT invoice_stamps_resolution_fk FOREIGN KEY (tenant_id, resolution_id)
        REFERENCES numbering_resolutions (tenant_id, id)
);

GRANT SELECT, INSERT, UPDATE ON fiscal_profiles, numbering_resolutions TO billing_app;
GRANT SELECT, INSERT ON invoice_stamps TO billing_app;
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['fiscal_profiles', 'numbering_resolutions', 'invoice_stamps'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- The old schema cannot hold what electronic invoicing wrote: an issued
-- document, a draft without numero, an INC or excluded line (the older
-- service would refuse to show such an invoice, its breakdown not adding up).
-- Refuse the downgrade rather than lose or garble any of it.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        IF EXISTS (SELECT 1 FROM invoice_stamps WHERE tenant_id = t)
           OR EXISTS (SELECT 1 FROM invoices WHERE tenant_id = t AND numero IS NULL)
           OR EXISTS (SELECT 1 FROM invoice_items WHERE tenant_id = t AND (tributo <> '01' OR tratamiento <> 'GRAVADO')) THEN
            RAISE EXCEPTION 'tenant % has electronic invoicing data the schema before 00008 cannot hold', t;
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd
DROP TABLE invoice_stamps;
ALTER TABLE invoices DROP CONSTRAINT invoices_numero_issued;
ALTER TABLE invoices ALTER COLUMN numero SET NOT NULL;
ALTER TABLE customers DROP CONSTRAINT customers_juridica_nit, DROP COLUMN tipo_persona, DROP COLUMN tipo_identificacion;
ALTER TABLE invoice_taxes DROP CONSTRAINT invoice_taxes_pkey;
ALTER TABLE invoice_taxes DROP COLUMN tributo, ADD CONSTRAINT invoice_taxes_pkey PRIMARY KEY (tenant_id, invoice_id, tarifa);
ALTER TABLE invoice_items DROP CONSTRAINT invoice_items_untaxed_rate, DROP COLUMN tratamiento, DROP COLUMN tributo;
ALTER TABLE products DROP CONSTRAINT products_untaxed_rate, DROP COLUMN tratamiento, DROP COLUMN tributo;
DROP TABLE numbering_resolutions;
DROP TABLE fiscal_profiles;
