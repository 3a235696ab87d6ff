-- +goose Up

CREATE TABLE products (
    tenant_id   uuid          NOT NULL REFERENCES tenants (id),
    id          uuid          NOT NULL,
    nombre      text          COLLATE billing_es NOT NULL CHECK (length(nombre) BETWEEN 1 AND 200),
    descripcion text          CHECK (length(descripcion) <= 1000),
    precio      numeric(15,2) NOT NULL CHECK (precio >= 0),
    impuesto    numeric(5,2)  NOT NULL DEFAULT 19 CHECK (impuesto BETWEEN 0 AND 100),
    activo      boolean       NOT NULL DEFAULT true,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT products_pkey PRIMARY KEY (tenant_id, id)
);

-- Serves the list: active products only, by nombre then id.
CREATE INDEX products_nombre_idx ON products (tenant_id, nombre, id) WHERE activo;

CREATE TABLE invoices (
    tenant_id    uuid          NOT NULL REFERENCES tenants (id),
    id           uuid          NOT NULL,
    customer_id  uuid          NOT NULL,
    numero       text          NOT NULL CHECK (length(numero) BETWEEN 1 AND 40),
    status       text          NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ISSUED', 'CANCELLED')),
    subtotal     numeric(18,2) NOT NULL CHECK (subtotal >= 0),
    impuestos    numeric(18,2) NOT NULL CHECK (impuestos >= 0),
    total        numeric(18,2) NOT NULL CHECK (total = subtotal + impuestos),
    -- Stored so that a list page does not count lines per row.
    item_count   integer       NOT NULL CHECK (item_count BETWEEN 1 AND 1000),
    issued_at    timestamptz,
    cancelled_at timestamptz,
    created_at   timestamptz   NOT NULL DEFAULT now(),
    updated_at   timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT invoices_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT invoices_numero_key UNIQUE (tenant_id, numero),
    -- A customer with invoices cannot be deleted (answered as 409
    -- customer_has_invoices); the composite key keeps both in one tenant.
    CONSTRAINT invoices_customer_fk FOREIGN KEY (tenant_id, customer_id)
        REFERENCES customers (tenant_id, id) ON DELETE RESTRICT
);

-- The list, newest first, with and without a status filter.
CREATE INDEX invoices_created_idx ON invoices (tenant_id, created_at DESC, id DESC);
CREATE INDEX invoices_status_created_idx ON invoices (tenant_id, status, created_at DESC, id DESC);
-- The foreign key's check when a customer is deleted.
CREATE INDEX invoices_customer_idx ON invoices (tenant_id, customer_id);

-- Invoice lines are snapshots: description, price and rate are copied from
-- the request (or the product) when written, never read through later.
CREATE TABLE invoice_items (
    tenant_id           uuid          NOT NULL,
    invoice_id          uuid          NOT NULL,
    position            integer       NOT NULL CHECK (position BETWEEN 1 AND 1000),
    product_service_id  uuid,
    descripcion         text          NOT NULL CHECK (length(descripcion) BETWEEN 1 AND 500),
    cantidad            numeric(12,3) NOT NULL CHECK (cantidad > 0),
    valor_unitario      numeric(15,2) NOT NULL CHECK (valor_unitario >= 0),
    impuesto            numeric(5,2)  NOT NULL CHECK (impuesto BETWEEN 0 AND 100),
    subtotal            numeric(18,2) NOT NULL CHECK (subtotal >= 0),
    CONSTRAINT invoice_items_pkey PRIMARY KEY (tenant_id, invoice_id, position),
    CONSTRAINT invoice_items_invoice_fk FOREIGN KEY (tenant_id, invoice_id)
        REFERENCES invoices (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT invoice_items_product_fk FOREIGN KEY (tenant_id, product_service_id)
        REFERENCES products (tenant_id, id)
);

-- Every status event of an invoice: its creation (from_status NULL) and each
-- change, written in the same transaction as the change. seq numbers them in
-- the order they happened: it is taken while the invoice row is locked, so
-- concurrent changes (which queue on that lock) get increasing numbers even
-- when their transactions began in another order.
CREATE TABLE invoice_events (
    tenant_id   uuid        NOT NULL,
    invoice_id  uuid        NOT NULL,
    seq         integer     NOT NULL CHECK (seq >= 1),
    from_status text        CHECK (from_status IN ('DRAFT', 'ISSUED', 'CANCELLED')),
    to_status   text        NOT NULL CHECK (to_status IN ('DRAFT', 'ISSUED', 'CANCELLED')),
    actor       text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invoice_events_pkey PRIMARY KEY (tenant_id, invoice_id, seq),
    CONSTRAINT invoice_events_invoice_fk FOREIGN KEY (tenant_id, invoice_id)
        REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE invoice_events;
DROP TABLE invoice_items;
DROP TABLE invoices;
DROP TABLE products;
