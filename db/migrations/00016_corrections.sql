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

-- The grant lets the service re-stamp; the database itself keeps every
-- other stamp frozen: only a rejected document's content may change.
-- +goose StatementBegin
CREATE FUNCTION invoice_stamps_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.dian_estado <> 'RECHAZADA' AND (NEW.cufe, NEW.xml, NEW.document, NEW.qr, NEW.issue_date, NEW.issue_time)
        IS DISTINCT FROM (OLD.cufe, OLD.xml, OLD.document, OLD.qr, OLD.issue_date, OLD.issue_time) THEN
        RAISE EXCEPTION 'invoice % is issued and not rejected: its document is frozen', OLD.invoice_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER invoice_stamps_frozen BEFORE UPDATE ON invoice_stamps
    FOR EACH ROW EXECUTE FUNCTION invoice_stamps_frozen();

ALTER TABLE invoice_events
    ADD COLUMN version integer,
    ADD CONSTRAINT invoice_events_version_fk FOREIGN KEY (tenant_id, invoice_id, version)
        REFERENCES invoice_versions (tenant_id, invoice_id, version);

-- +goose Down
-- The versions are what DIAN was sent: refuse to drop them. (Row-level
-- security hides every tenant's rows from a scope-less read: look in each.)
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        IF EXISTS (SELECT 1 FROM invoice_versions WHERE tenant_id = t) THEN
            RAISE EXCEPTION 'tenant % has corrected invoices: their rejected versions cannot be dropped', t;
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd
ALTER TABLE invoice_events DROP CONSTRAINT invoice_events_version_fk, DROP COLUMN version;
DROP TRIGGER invoice_stamps_frozen ON invoice_stamps;
DROP FUNCTION invoice_stamps_frozen();
REVOKE UPDATE (issue_date, issue_time, cufe, qr, xml, document) ON invoice_stamps FROM billing_app;
DROP TABLE invoice_versions;
