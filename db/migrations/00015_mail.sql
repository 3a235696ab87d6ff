-- +goose Up

-- A tenant may have each invoice mailed to its customer once DIAN accepts
-- it; in DIAN's test environment a profile with the test set's id sends
-- through SendTestSetAsync (habilitación) instead of SendBillSync.
ALTER TABLE fiscal_profiles
    ADD COLUMN enviar_al_aceptar boolean NOT NULL DEFAULT false,
    ADD COLUMN test_set_id       text CHECK (test_set_id IS NULL OR length(test_set_id) BETWEEN 1 AND 100);

-- The ZipKey SendTestSetAsync answers, asked about with GetStatusZip;
-- NULL for a document sent by SendBillSync (its CUFE or CUDE is asked).
ALTER TABLE invoice_stamps ADD COLUMN dian_zip_key text;
ALTER TABLE credit_notes ADD COLUMN dian_zip_key text;
GRANT UPDATE (dian_zip_key) ON invoice_stamps, credit_notes TO billing_app;

-- Each mailing of an invoice is an event of its history (from and to its
-- status, which a mailing does not change): the mailing's id, which is also
-- the message's Message-ID, is recorded once, so a mailing the outbox ran
-- twice is one event.
ALTER TABLE invoice_events
    ADD COLUMN correo_id           uuid,
    ADD COLUMN correo_destinatario text,
    ADD CONSTRAINT invoice_events_correo CHECK ((correo_id IS NULL) = (correo_destinatario IS NULL));
CREATE UNIQUE INDEX invoice_events_correo_idx ON invoice_events (tenant_id, correo_id) WHERE correo_id IS NOT NULL;

-- +goose Down
-- Mailings are history, and a test-set document still being processed
-- needs its ZipKey: refuse to drop either while they exist.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        IF EXISTS (SELECT 1 FROM invoice_events WHERE tenant_id = t AND correo_id IS NOT NULL)
           OR EXISTS (SELECT 1 FROM invoice_stamps WHERE tenant_id = t AND dian_zip_key IS NOT NULL)
           OR EXISTS (SELECT 1 FROM credit_notes WHERE tenant_id = t AND dian_zip_key IS NOT NULL) THEN
            RAISE EXCEPTION 'tenant % has mailings or test-set sendings the schema before 00015 cannot hold', t;
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd
DROP INDEX invoice_events_correo_idx;
ALTER TABLE invoice_events DROP CONSTRAINT invoice_events_correo, DROP COLUMN correo_destinatario, DROP COLUMN correo_id;
REVOKE UPDATE (dian_zip_key) ON invoice_stamps, credit_notes FROM billing_app;
ALTER TABLE credit_notes DROP COLUMN dian_zip_key;
ALTER TABLE invoice_stamps DROP COLUMN dian_zip_key;
ALTER TABLE fiscal_profiles DROP COLUMN test_set_id, DROP COLUMN enviar_al_aceptar;
