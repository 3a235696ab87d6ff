-- +goose Up

-- An electronic invoice DIAN rejected never existed for DIAN: it keeps its
-- number and is corrected (PUT /billing/invoices/{id}), issued again with
-- a new CUFE and sent again. Each rejected version is kept here whole, as
-- it was sent and as DIAN answered, and named by an event of the history.
CREATE TABLE invoice_versions (
    tenant_id      uuid        NOT NULL,
    invoice_id     uuid        NOT NULL,
    version        integer     NOT NULL CHECK (version >= 1),
    cufe           text        NOT NULL CHECK (cufe ~ '^[0-9a-f]{96}$'),
    issue_date     text        NOT NULL,
    issue_time     text        NOT NULL,
    xml            bytea       NOT NULL,
    signed_xml     bytea,
    document       jsonb       NOT NULL,
    dian_reglas    jsonb       NOT NULL CHECK (jsonb_typeof(dian_reglas) = 'array'),
    dian_respuesta bytea,
    actor          text        NOT NULL,
    corrected_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invoice_versions_pkey PRIMARY KEY (tenant_id, invoice_id, version),
    CONSTRAINT invoice_versions_invoice_fk FOREIGN KEY (tenant_id, invoice_id)
        REFERENCES invoices (tenant_id, id) ON DELETE RESTRICT
);
ALTER TABLE invoice_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_versions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- Kept, never changed.
GRANT SELECT, INSERT ON invoice_versions TO billing_app;

-- The correction re-stamps the invoice: its number and range stay, the
-- rest of the stamp is the corrected document's.
GRANT UPDATE (issue_date, issue_time, cufe, qr, xml, document) ON invoice_stamps TO billing_app;

ALTER TABLE invoice_events
    ADD COLUMN version integer,
    ADD CONSTRAINT invoice_events_version_fk FOREIGN KEY (tenant_id, invoice_id, version)
        REFERENCES invoice_versions (tenant_id, invoice_id, version);

-- +goose Down
-- The versions are what DIAN was sent: refuse to drop them.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM invoice_events WHERE version IS NOT NULL) THEN
        RAISE EXCEPTION 'corrected invoices exist: their rejected versions cannot be dropped';
    END IF;
END
$$;
-- +goose StatementEnd
ALTER TABLE invoice_events DROP CONSTRAINT invoice_events_version_fk, DROP COLUMN version;
REVOKE UPDATE (issue_date, issue_time, cufe, qr, xml, document) ON invoice_stamps FROM billing_app;
DROP TABLE invoice_versions;
