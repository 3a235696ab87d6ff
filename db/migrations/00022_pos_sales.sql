-- +goose Up

-- A point-of-sale invoice's sale (POST /invoices): what the seed's body
-- carried beyond the invoice itself. One row per invoice, written with it
-- and never changed. invoice_id is the client's _id, which the invoice
-- takes as its own id, so the same _id again finds this row.
CREATE TABLE pos_sales (
    tenant_id            uuid          NOT NULL REFERENCES tenants (id),
    invoice_id           uuid          NOT NULL,
    -- SHA-256 of the request as the client sent it: the same _id with
    -- another body is refused, never answered with this sale.
    request_hash         bytea         NOT NULL CHECK (length(request_hash) = 32),
    cash_session_id      uuid          NOT NULL,
    cajero               text          NOT NULL,
    mesa                 text          CHECK (length(mesa) BETWEEN 1 AND 60),
    cliente_nombre       text          CHECK (length(cliente_nombre) <= 200),
    cliente_email        text          CHECK (length(cliente_email) <= 254),
    cliente_telefono     text          CHECK (length(cliente_telefono) <= 50),
    payment_method_id    uuid,
    pagada               boolean       NOT NULL,
    electronica_pedida   boolean       NOT NULL,
    delivery_provider_id uuid,
    repartidor           text          CHECK (length(repartidor) <= 100),
    direccion            text          CHECK (length(direccion) <= 300),
    domicilio            numeric(20,2) CHECK (domicilio >= 0),
    created_at           timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT pos_sales_pkey PRIMARY KEY (tenant_id, invoice_id),
    CONSTRAINT pos_sales_invoice_fk FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    CONSTRAINT pos_sales_session_fk FOREIGN KEY (tenant_id, cash_session_id) REFERENCES cash_sessions (tenant_id, id),
    CONSTRAINT pos_sales_method_fk FOREIGN KEY (tenant_id, payment_method_id) REFERENCES payment_methods (tenant_id, id),
    CONSTRAINT pos_sales_provider_fk FOREIGN KEY (tenant_id, delivery_provider_id) REFERENCES delivery_providers (tenant_id, id),
    CONSTRAINT pos_sales_paid_method CHECK (NOT pagada OR payment_method_id IS NOT NULL)
);
CREATE INDEX pos_sales_session_idx ON pos_sales (tenant_id, cash_session_id);

-- The gapless consecutive of a tenant without a fiscal profile's POS
-- invoices (numero POS-1, POS-2, …): taken with a row lock in the sale's
-- transaction, so a refused sale gives its number back.
CREATE TABLE pos_counters (
    tenant_id uuid   NOT NULL REFERENCES tenants (id),
    ultimo    bigint NOT NULL CHECK (ultimo >= 0),
    CONSTRAINT pos_counters_pkey PRIMARY KEY (tenant_id)
);

-- Client numeros of the form POS-n are refused from now on; a tenant that
-- chose some before starts its consecutive above the highest, so a sale
-- never takes a number an invoice already has.
INSERT INTO pos_counters (tenant_id, ultimo)
SELECT tenant_id, max(substring(numero FROM 5)::bigint)
FROM invoices
WHERE numero ~* '^POS-[0-9]{1,18}$'
GROUP BY tenant_id;

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['pos_sales', 'pos_counters'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;
-- +goose StatementEnd
GRANT SELECT, INSERT ON pos_sales TO billing_app;
GRANT SELECT, INSERT ON pos_counters TO billing_app;
GRANT UPDATE (ultimo) ON pos_counters TO billing_app;

-- +goose Down
DROP TABLE pos_counters;
DROP TABLE pos_sales;
