-- +goose Up

-- A point of sale's cash registers, the sessions a cashier opens and closes
-- on them, and each session's movements: sales by payment method, cash put
-- in or taken out with a reason. A closed session is kept forever and never
-- changes.
CREATE TABLE cash_registers (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    nombre     text        NOT NULL CHECK (length(btrim(nombre)) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cash_registers_pkey PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX cash_registers_nombre_key ON cash_registers (tenant_id, lower(nombre COLLATE billing_es));

CREATE TABLE cash_sessions (
    tenant_id         uuid          NOT NULL,
    id                uuid          NOT NULL,
    register_id       uuid          NOT NULL,
    cajero            text          NOT NULL,
    base              numeric(20,2) NOT NULL CHECK (base >= 0),
    abierta_en        timestamptz   NOT NULL DEFAULT now(),
    cerrada_en        timestamptz,
    cerrada_por       text,
    efectivo_esperado numeric(20,2),
    efectivo_contado  numeric(20,2) CHECK (efectivo_contado >= 0),
    CONSTRAINT cash_sessions_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT cash_sessions_register_fk FOREIGN KEY (tenant_id, register_id) REFERENCES cash_registers (tenant_id, id),
    CONSTRAINT cash_sessions_closed CHECK ((cerrada_en IS NULL) = (efectivo_contado IS NULL)
        AND (cerrada_en IS NULL) = (efectivo_esperado IS NULL) AND (cerrada_en IS NULL) = (cerrada_por IS NULL))
);
-- One open session per register, and per cashier.
CREATE UNIQUE INDEX cash_sessions_open_register_key ON cash_sessions (tenant_id, register_id) WHERE cerrada_en IS NULL;
CREATE UNIQUE INDEX cash_sessions_open_cashier_key ON cash_sessions (tenant_id, cajero) WHERE cerrada_en IS NULL;
CREATE INDEX cash_sessions_register_idx ON cash_sessions (tenant_id, register_id, abierta_en DESC, id DESC);

CREATE TABLE cash_movements (
    tenant_id  uuid          NOT NULL,
    id         uuid          NOT NULL,
    session_id uuid          NOT NULL,
    tipo       text          NOT NULL CHECK (tipo IN ('VENTA', 'INGRESO', 'RETIRO')),
    valor      numeric(20,2) NOT NULL CHECK (valor > 0),
    -- A sale's payment means and whether it went into the drawer; cash in
    -- and out is always the drawer's.
    medio_pago text          CHECK (medio_pago IN ('10', '20', '42', '47', '48', '49', 'ZZZ')),
    efectivo   boolean       NOT NULL,
    motivo     text,
    invoice_id uuid,
    actor      text          NOT NULL,
    created_at timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT cash_movements_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT cash_movements_session_fk FOREIGN KEY (tenant_id, session_id) REFERENCES cash_sessions (tenant_id, id),
    CONSTRAINT cash_movements_invoice_fk FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    CONSTRAINT cash_movements_kind CHECK (CASE tipo
        WHEN 'VENTA' THEN medio_pago IS NOT NULL AND invoice_id IS NOT NULL
        ELSE medio_pago IS NULL AND efectivo AND length(btrim(coalesce(motivo, ''))) > 0 END)
);
CREATE INDEX cash_movements_session_idx ON cash_movements (tenant_id, session_id, created_at, id);

-- A closed session, and its movements, never change.
-- +goose StatementBegin
CREATE FUNCTION cash_session_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'cash_sessions' THEN
        IF OLD.cerrada_en IS NOT NULL THEN
            RAISE EXCEPTION 'cash session % is closed', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM cash_sessions s WHERE s.tenant_id = NEW.tenant_id AND s.id = NEW.session_id AND s.cerrada_en IS NOT NULL) THEN
        RAISE EXCEPTION 'cash session % is closed', NEW.session_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cash_sessions_closed BEFORE UPDATE OR DELETE ON cash_sessions
    FOR EACH ROW EXECUTE FUNCTION cash_session_closed();
CREATE TRIGGER cash_movements_closed BEFORE INSERT ON cash_movements
    FOR EACH ROW EXECUTE FUNCTION cash_session_closed();

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['cash_registers', 'cash_sessions', 'cash_movements'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;
-- +goose StatementEnd
GRANT SELECT, INSERT ON cash_registers, cash_movements TO billing_app;
GRANT SELECT, INSERT, UPDATE ON cash_sessions TO billing_app;

-- +goose Down
-- Closed sessions are kept forever: refuse to drop them.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        IF EXISTS (SELECT 1 FROM cash_sessions WHERE tenant_id = t) THEN
            RAISE EXCEPTION 'tenant % has cash sessions: they are kept', t;
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd
DROP TABLE cash_movements;
DROP TABLE cash_sessions;
DROP TABLE cash_registers;
DROP FUNCTION cash_session_closed();
