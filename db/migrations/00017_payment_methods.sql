-- +goose Up

-- A tenant's ways of being paid at its points of sale: a name the cashier
-- picks, DIAN's payment means code the invoice carries, and whether the
-- money goes into the cash drawer (which the register's close counts).
CREATE TABLE payment_methods (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    nombre     text        NOT NULL CHECK (length(btrim(nombre)) BETWEEN 1 AND 100),
    codigo     text        NOT NULL CHECK (codigo IN ('10', '20', '42', '47', '48', '49', 'ZZZ')),
    efectivo   boolean     NOT NULL,
    activo     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payment_methods_pkey PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX payment_methods_nombre_key ON payment_methods (tenant_id, lower(nombre COLLATE billing_es));
ALTER TABLE payment_methods ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_methods FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_methods
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE ON payment_methods TO billing_app;

-- Every tenant starts with the four a counter takes (a new one gets them
-- in the transaction that creates it; see SeedPaymentMethods).
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        INSERT INTO payment_methods (tenant_id, id, nombre, codigo, efectivo)
        VALUES (t, gen_random_uuid(), 'Efectivo', '10', true),
               (t, gen_random_uuid(), 'Tarjeta débito', '49', false),
               (t, gen_random_uuid(), 'Tarjeta crédito', '48', false),
               (t, gen_random_uuid(), 'Transferencia', '47', false);
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE payment_methods;
