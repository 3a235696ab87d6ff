-- +goose Up

-- Where each electronic document stands with DIAN: PENDIENTE (signed or
-- not, not sent yet), ENVIADA (sent, DIAN still processing), ACEPTADA,
-- RECHAZADA (with the rules it broke), ERROR (the last attempt failed:
-- a fault or no answer; it is retried). DIAN's answer document
-- (ApplicationResponse) is kept as it came.
ALTER TABLE invoice_stamps
    ADD COLUMN dian_estado      text        NOT NULL DEFAULT 'PENDIENTE'
        CHECK (dian_estado IN ('PENDIENTE', 'ENVIADA', 'ACEPTADA', 'RECHAZADA', 'ERROR')),
    ADD COLUMN dian_reglas      jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(dian_reglas) = 'array'),
    ADD COLUMN dian_intentos    integer     NOT NULL DEFAULT 0 CHECK (dian_intentos >= 0),
    ADD COLUMN dian_actualizado timestamptz,
    ADD COLUMN dian_respuesta   bytea,
    -- How many times the invoice was put to be sent (the first, then each
    -- resend): it tells one sending's job from the next.
    ADD COLUMN dian_envios      integer     NOT NULL DEFAULT 1 CHECK (dian_envios >= 1);
ALTER TABLE credit_notes
    ADD COLUMN dian_estado      text        NOT NULL DEFAULT 'PENDIENTE'
        CHECK (dian_estado IN ('PENDIENTE', 'ENVIADA', 'ACEPTADA', 'RECHAZADA', 'ERROR')),
    ADD COLUMN dian_reglas      jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(dian_reglas) = 'array'),
    ADD COLUMN dian_intentos    integer     NOT NULL DEFAULT 0 CHECK (dian_intentos >= 0),
    ADD COLUMN dian_actualizado timestamptz,
    ADD COLUMN dian_respuesta   bytea;
GRANT UPDATE (dian_estado, dian_reglas, dian_intentos, dian_actualizado, dian_respuesta) ON invoice_stamps, credit_notes TO billing_app;
GRANT UPDATE (dian_envios) ON invoice_stamps TO billing_app;

-- +goose Down
REVOKE UPDATE (dian_envios) ON invoice_stamps FROM billing_app;
REVOKE UPDATE (dian_estado, dian_reglas, dian_intentos, dian_actualizado, dian_respuesta) ON invoice_stamps, credit_notes FROM billing_app;
ALTER TABLE credit_notes DROP COLUMN dian_respuesta, DROP COLUMN dian_actualizado, DROP COLUMN dian_intentos,
    DROP COLUMN dian_reglas, DROP COLUMN dian_estado;
ALTER TABLE invoice_stamps DROP COLUMN dian_envios, DROP COLUMN dian_respuesta, DROP COLUMN dian_actualizado, DROP COLUMN dian_intentos,
    DROP COLUMN dian_reglas, DROP COLUMN dian_estado;
