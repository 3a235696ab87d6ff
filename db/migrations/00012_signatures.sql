-- +goose Up

-- The signed document beside the unsigned one an issue froze: the signer
-- (an outbox job, after the issue commits) adds the XAdES signature to
-- those exact bytes and keeps the result, which is what is served and sent
-- from then on. A document is signed once: the service's role may fill the
-- two columns, and the statement that does so only fills empty ones.
ALTER TABLE invoice_stamps
    ADD COLUMN signed_xml bytea,
    ADD COLUMN signed_at  timestamptz,
    ADD CONSTRAINT invoice_stamps_signed CHECK ((signed_xml IS NULL) = (signed_at IS NULL));
ALTER TABLE credit_notes
    ADD COLUMN signed_xml bytea,
    ADD COLUMN signed_at  timestamptz,
    ADD CONSTRAINT credit_notes_signed CHECK ((signed_xml IS NULL) = (signed_at IS NULL));
GRANT UPDATE (signed_xml, signed_at) ON invoice_stamps, credit_notes TO billing_app;

-- +goose Down
-- A signed document cannot be kept by the schema before 00012.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        IF EXISTS (SELECT 1 FROM invoice_stamps WHERE tenant_id = t AND signed_xml IS NOT NULL)
           OR EXISTS (SELECT 1 FROM credit_notes WHERE tenant_id = t AND signed_xml IS NOT NULL) THEN
            RAISE EXCEPTION 'tenant % has signed documents the schema before 00012 cannot hold', t;
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd
REVOKE UPDATE (signed_xml, signed_at) ON invoice_stamps, credit_notes FROM billing_app;
ALTER TABLE credit_notes DROP CONSTRAINT credit_notes_signed, DROP COLUMN signed_at, DROP COLUMN signed_xml;
ALTER TABLE invoice_stamps DROP CONSTRAINT invoice_stamps_signed, DROP COLUMN signed_at, DROP COLUMN signed_xml;
