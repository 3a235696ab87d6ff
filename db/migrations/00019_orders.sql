-- +goose Up

-- Orders taken at a counter or a table, waiting to be invoiced: ESPERA
-- (taken), ENTREGADO (served), FACTURADO (invoiced, by POST /invoices) or
-- ANULADO. Their lines name a product; the price is the product's unless
-- the order gave one.
CREATE TABLE orders (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    mesa       text        CHECK (length(btrim(mesa)) BETWEEN 1 AND 60),
    estado     text        NOT NULL DEFAULT 'ESPERA' CHECK (estado IN ('ESPERA', 'ENTREGADO', 'FACTURADO', 'ANULADO')),
    actor      text        NOT NULL,
    invoice_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT orders_invoice_fk FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    CONSTRAINT orders_invoiced CHECK ((estado = 'FACTURADO') = (invoice_id IS NOT NULL))
);
CREATE INDEX orders_created_idx ON orders (tenant_id, created_at DESC, id DESC);

CREATE TABLE order_lines (
    tenant_id      uuid          NOT NULL,
    order_id       uuid          NOT NULL,
    n              integer       NOT NULL CHECK (n >= 1),
    product_id     uuid          NOT NULL,
    descripcion    text          NOT NULL,
    cantidad       numeric(18,3) NOT NULL CHECK (cantidad > 0),
    valor_unitario numeric(20,2) NOT NULL CHECK (valor_unitario >= 0),
    nota           text          CHECK (length(nota) <= 300),
    CONSTRAINT order_lines_pkey PRIMARY KEY (tenant_id, order_id, n),
    CONSTRAINT order_lines_order_fk FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT order_lines_product_fk FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['orders', 'order_lines'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;
-- +goose StatementEnd
GRANT SELECT, INSERT ON orders, order_lines TO billing_app;
GRANT UPDATE (estado, invoice_id, updated_at) ON orders TO billing_app;

-- +goose Down
DROP TABLE order_lines;
DROP TABLE orders;
