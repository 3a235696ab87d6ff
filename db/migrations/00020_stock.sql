-- +goose Up

-- A product may track its stock: a point-of-sale invoice takes what it
-- sells in its own transaction, and a sale below zero is refused unless the
-- product allows it (made to order, sold before it is counted). Every
-- change of the stock is a movement, with the stock it left.
ALTER TABLE products
    ADD COLUMN control_inventario boolean       NOT NULL DEFAULT false,
    ADD COLUMN permitir_negativo  boolean       NOT NULL DEFAULT false,
    ADD COLUMN stock              numeric(18,3) NOT NULL DEFAULT 0,
    ADD CONSTRAINT products_stock_tracked CHECK (control_inventario OR stock = 0);

CREATE TABLE stock_movements (
    tenant_id  uuid          NOT NULL,
    id         uuid          NOT NULL,
    product_id uuid          NOT NULL,
    tipo       text          NOT NULL CHECK (tipo IN ('AJUSTE', 'VENTA')),
    cantidad   numeric(18,3) NOT NULL CHECK (cantidad <> 0),
    saldo      numeric(18,3) NOT NULL,
    motivo     text,
    invoice_id uuid,
    actor      text          NOT NULL,
    created_at timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT stock_movements_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT stock_movements_product_fk FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
    CONSTRAINT stock_movements_invoice_fk FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    CONSTRAINT stock_movements_kind CHECK (CASE tipo
        WHEN 'VENTA' THEN invoice_id IS NOT NULL AND cantidad < 0
        ELSE invoice_id IS NULL AND length(btrim(coalesce(motivo, ''))) > 0 END)
);
CREATE INDEX stock_movements_product_idx ON stock_movements (tenant_id, product_id, created_at DESC, id DESC);
ALTER TABLE stock_movements ENABLE ROW LEVEL SECURITY;
ALTER TABLE stock_movements FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stock_movements
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON stock_movements TO billing_app;

-- +goose Down
DROP TABLE stock_movements;
ALTER TABLE products DROP CONSTRAINT products_stock_tracked, DROP COLUMN stock, DROP COLUMN permitir_negativo,
    DROP COLUMN control_inventario;
