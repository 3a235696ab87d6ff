-- +goose Up

-- What is owed: payment terms, line and document-level discounts and
-- charges, payments, credit notes, and the figures that keep receivables
-- constant-time (tenant_stats' cartera, tenant_receivables by due date).

-- Payment terms and document-level amounts. total now nets the
-- document-level discounts and charges (outside every tax base); pagado and
-- acreditado are the sums of the payments not reversed and of the credit
-- notes, kept in the transactions that write those, under the invoice's
-- row lock. saldo is what is still owed, derived here so that no writer can
-- forget it; it is negative when credit notes give back more than remains
-- unpaid, and 0 for a draft or a cancelled invoice.
-- 00002 wrote the old total rule as a column check whose generated name
-- depends on PostgreSQL's naming: drop it by what it says.
-- +goose StatementBegin
DO $$
DECLARE
    c text;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'invoices'::regclass AND contype = 'c'
               AND pg_get_constraintdef(oid) LIKE '%total = (subtotal + impuestos)%' LOOP
        EXECUTE format('ALTER TABLE invoices DROP CONSTRAINT %I', c);
    END LOOP;
END
$$;
-- +goose StatementEnd
ALTER TABLE invoices
    ADD COLUMN forma_pago        text          NOT NULL DEFAULT 'CONTADO' CHECK (forma_pago IN ('CONTADO', 'CREDITO')),
    ADD COLUMN dias_credito      integer       CHECK (dias_credito BETWEEN 1 AND 365),
    ADD COLUMN medio_pago        text          NOT NULL DEFAULT '10' CHECK (medio_pago IN ('10', '20', '42', '47', '48', '49', 'ZZZ')),
    ADD COLUMN fecha_vencimiento date,
    ADD COLUMN descuentos        jsonb         NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(descuentos) = 'array'),
    ADD COLUMN cargos            jsonb         NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(cargos) = 'array'),
    ADD COLUMN total_descuentos  numeric(18,2) NOT NULL DEFAULT 0 CHECK (total_descuentos >= 0),
    ADD COLUMN total_cargos      numeric(18,2) NOT NULL DEFAULT 0 CHECK (total_cargos >= 0),
    ADD COLUMN pagado            numeric(18,2) NOT NULL DEFAULT 0 CHECK (pagado >= 0),
    ADD COLUMN acreditado        numeric(18,2) NOT NULL DEFAULT 0 CHECK (acreditado >= 0),
    ADD CONSTRAINT invoices_total_check CHECK (total = subtotal + impuestos - total_descuentos + total_cargos AND total >= 0),
    ADD CONSTRAINT invoices_terms CHECK ((forma_pago = 'CREDITO') = (dias_credito IS NOT NULL)),
    -- Never more paid, nor more credited, than invoiced: the last wall
    -- behind the checks made under the row lock.
    ADD CONSTRAINT invoices_paid_within_total CHECK (pagado <= total),
    ADD CONSTRAINT invoices_credited_within_total CHECK (acreditado <= total),
    ADD COLUMN saldo numeric(18,2) NOT NULL GENERATED ALWAYS AS
        (CASE WHEN status = 'ISSUED' THEN total - acreditado - pagado ELSE 0 END) STORED;

-- Lines: an id for credit notes to reference, the discount, and what credit
-- notes have taken of them so far. valor_bruto is derived by the same rule
-- as the calculator's (round half away from zero, which is half-up for
-- these non-negative amounts), so subtotal = valor_bruto − valor_descuento
-- holds of old rows too.
ALTER TABLE invoice_items
    ADD COLUMN id                  uuid          NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN descuento           numeric(5,2)  NOT NULL DEFAULT 0 CHECK (descuento BETWEEN 0 AND 100),
    ADD COLUMN valor_descuento     numeric(18,2) NOT NULL DEFAULT 0 CHECK (valor_descuento >= 0),
    ADD COLUMN valor_bruto         numeric(18,2) NOT NULL GENERATED ALWAYS AS (round(cantidad * valor_unitario, 2)) STORED,
    ADD COLUMN cantidad_acreditada numeric(12,3) NOT NULL DEFAULT 0,
    ADD COLUMN valor_acreditado    numeric(18,2) NOT NULL DEFAULT 0,
    ADD CONSTRAINT invoice_items_id_key UNIQUE (tenant_id, id),
    ADD CONSTRAINT invoice_items_discount CHECK (subtotal = valor_bruto - valor_descuento),
    ADD CONSTRAINT invoice_items_credited CHECK (cantidad_acreditada BETWEEN 0 AND cantidad AND valor_acreditado BETWEEN 0 AND subtotal);
ALTER TABLE invoice_items ALTER COLUMN id DROP DEFAULT;

-- What credit notes have taken of each tax group.
ALTER TABLE invoice_taxes
    ADD COLUMN base_acreditada numeric(18,2) NOT NULL DEFAULT 0,
    ADD COLUMN valor_acreditado numeric(18,2) NOT NULL DEFAULT 0,
    ADD CONSTRAINT invoice_taxes_credited CHECK (base_acreditada BETWEEN 0 AND base AND valor_acreditado BETWEEN 0 AND valor);

-- Money received against an issued invoice. A payment is never deleted:
-- reversing it fills the reversal columns, the only ones the service may
-- update (column grants below).
CREATE TABLE payments (
    tenant_id       uuid          NOT NULL,
    id              uuid          NOT NULL,
    invoice_id      uuid          NOT NULL,
    valor           numeric(18,2) NOT NULL CHECK (valor > 0),
    fecha           date          NOT NULL,
    medio_pago      text          NOT NULL CHECK (medio_pago IN ('10', '20', '42', '47', '48', '49', 'ZZZ')),
    referencia      text          CHECK (length(referencia) BETWEEN 1 AND 200),
    actor           text          NOT NULL,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    reversed_at     timestamptz,
    reversal_motivo text          CHECK (length(reversal_motivo) BETWEEN 1 AND 500),
    reversed_by     text,
    CONSTRAINT payments_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT payments_reversal CHECK ((reversed_at IS NULL) = (reversal_motivo IS NULL) AND (reversed_at IS NULL) = (reversed_by IS NULL)),
    CONSTRAINT payments_invoice_fk FOREIGN KEY (tenant_id, invoice_id)
        REFERENCES invoices (tenant_id, id) ON DELETE RESTRICT
);
CREATE INDEX payments_invoice_idx ON payments (tenant_id, invoice_id, created_at, id);

-- Issued credit notes, numbered from the tenant's NOTA_CREDITO resolution
-- (gapless, like invoices) and frozen: the UBL bytes, and the document's
-- content (JSON: the note's lines and taxes, the referenced invoice, the
-- buyer) from which reads and the printed note are drawn.
CREATE TABLE credit_notes (
    tenant_id        uuid          NOT NULL,
    id               uuid          NOT NULL,
    invoice_id       uuid          NOT NULL,
    resolution_id    uuid          NOT NULL,
    consecutivo      bigint        NOT NULL,
    numero           text          NOT NULL,
    concepto         smallint      NOT NULL CHECK (concepto BETWEEN 1 AND 6),
    motivo           text          NOT NULL CHECK (length(motivo) BETWEEN 1 AND 500),
    issue_date       text          NOT NULL,
    issue_time       text          NOT NULL,
    cude             text          NOT NULL CHECK (cude ~ '^[0-9a-f]{96}$'),
    qr               text          NOT NULL,
    subtotal         numeric(18,2) NOT NULL CHECK (subtotal >= 0),
    impuestos        numeric(18,2) NOT NULL CHECK (impuestos >= 0),
    total_descuentos numeric(18,2) NOT NULL CHECK (total_descuentos >= 0),
    total_cargos     numeric(18,2) NOT NULL CHECK (total_cargos >= 0),
    total            numeric(18,2) NOT NULL CHECK (total > 0 AND total = subtotal + impuestos - total_descuentos + total_cargos),
    xml              bytea         NOT NULL,
    document         jsonb         NOT NULL,
    actor            text          NOT NULL,
    created_at       timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT credit_notes_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT credit_notes_numero_key UNIQUE (tenant_id, numero),
    CONSTRAINT credit_notes_consecutivo_key UNIQUE (tenant_id, resolution_id, consecutivo),
    CONSTRAINT credit_notes_invoice_fk FOREIGN KEY (tenant_id, invoice_id)
        REFERENCES invoices (tenant_id, id) ON DELETE RESTRICT,
    CONSTRAINT credit_notes_resolution_fk FOREIGN KEY (tenant_id, resolution_id)
        REFERENCES numbering_resolutions (tenant_id, id)
);
CREATE INDEX credit_notes_invoice_idx ON credit_notes (tenant_id, invoice_id, created_at, id);
CREATE INDEX credit_notes_created_idx ON credit_notes (tenant_id, created_at DESC, id DESC);

-- A status change made by a credit note (an electronic invoice cancelled by
-- its concept-2 note) names it.
ALTER TABLE invoice_events
    ADD COLUMN credit_note_id uuid,
    ADD CONSTRAINT invoice_events_credit_note_fk FOREIGN KEY (tenant_id, credit_note_id)
        REFERENCES credit_notes (tenant_id, id);

-- The receivables report and the payment-state filters read the open
-- invoices only, by customer and due date, with their balance.
CREATE INDEX invoices_open_idx ON invoices (tenant_id, customer_id, fecha_vencimiento) INCLUDE (saldo)
    WHERE status = 'ISSUED' AND saldo <> 0;

-- The dashboard's receivables figures: cartera_pendiente (the open balance
-- of the ISSUED invoices) and creditos (the credit notes' totals on ISSUED
-- invoices, for the net income) beside the seed's figures; and the open
-- balance by due date, so that the overdue part is a sum over the past due
-- dates (a few hundred rows) rather than over the invoices. Slots as in
-- tenant_stats: concurrent writers of one due date do not queue on one row.
ALTER TABLE tenant_stats
    ADD COLUMN cartera_pendiente numeric NOT NULL DEFAULT 0,
    ADD COLUMN creditos          numeric NOT NULL DEFAULT 0;

CREATE TABLE tenant_receivables (
    tenant_id uuid     NOT NULL REFERENCES tenants (id),
    vence     date     NOT NULL,
    slot      smallint NOT NULL CHECK (slot BETWEEN 0 AND 15),
    saldo     numeric  NOT NULL DEFAULT 0,
    CONSTRAINT tenant_receivables_pkey PRIMARY KEY (tenant_id, vence, slot)
);

GRANT SELECT, INSERT, UPDATE ON invoice_taxes TO billing_app;
GRANT SELECT, INSERT ON payments TO billing_app;
GRANT UPDATE (reversed_at, reversal_motivo, reversed_by) ON payments TO billing_app;
GRANT SELECT, INSERT ON credit_notes TO billing_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_receivables TO billing_app;
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['payments', 'credit_notes', 'tenant_receivables'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- Invoices issued before payment terms fall due on their Colombian issue
-- date (CONTADO); the figures start from the ledger. Tenant by tenant, as
-- 00005 does, so row-level security lets a non-superuser owner through.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        UPDATE invoices SET fecha_vencimiento = (issued_at AT TIME ZONE INTERVAL '-05:00')::date
        WHERE tenant_id = t AND issued_at IS NOT NULL;
        INSERT INTO tenant_stats AS s (tenant_id, slot, cartera_pendiente)
        SELECT t, 0, COALESCE(sum(saldo), 0) FROM invoices WHERE tenant_id = t AND status = 'ISSUED'
        ON CONFLICT (tenant_id, slot) DO UPDATE SET cartera_pendiente = EXCLUDED.cartera_pendiente;
        INSERT INTO tenant_receivables (tenant_id, vence, slot, saldo)
        SELECT t, fecha_vencimiento, 0, sum(saldo) FROM invoices
        WHERE tenant_id = t AND status = 'ISSUED' AND saldo <> 0
        GROUP BY fecha_vencimiento;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd

ALTER TABLE invoices ADD CONSTRAINT invoices_due_at_issue CHECK (issued_at IS NULL OR fecha_vencimiento IS NOT NULL);

-- +goose Down
-- The old schema cannot hold what is owed: refuse over payments, credit
-- notes, discounts, charges or credit terms rather than lose them.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        IF EXISTS (SELECT 1 FROM payments WHERE tenant_id = t)
           OR EXISTS (SELECT 1 FROM credit_notes WHERE tenant_id = t)
           OR EXISTS (SELECT 1 FROM invoices WHERE tenant_id = t AND (total_descuentos <> 0 OR total_cargos <> 0 OR forma_pago <> 'CONTADO'))
           OR EXISTS (SELECT 1 FROM invoice_items WHERE tenant_id = t AND valor_descuento <> 0) THEN
            RAISE EXCEPTION 'tenant % has receivables data the schema before 00009 cannot hold', t;
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd
DROP TABLE tenant_receivables;
ALTER TABLE tenant_stats DROP COLUMN cartera_pendiente, DROP COLUMN creditos;
DROP INDEX invoices_open_idx;
ALTER TABLE invoice_events DROP COLUMN credit_note_id;
DROP TABLE credit_notes;
DROP TABLE payments;
REVOKE UPDATE ON invoice_taxes FROM billing_app;
ALTER TABLE invoice_taxes DROP CONSTRAINT invoice_taxes_credited, DROP COLUMN base_acreditada, DROP COLUMN valor_acreditado;
ALTER TABLE invoice_items DROP CONSTRAINT invoice_items_credited, DROP CONSTRAINT invoice_items_discount, DROP CONSTRAINT invoice_items_id_key,
    DROP COLUMN valor_bruto, DROP COLUMN cantidad_acreditada, DROP COLUMN valor_acreditado,
    DROP COLUMN valor_descuento, DROP COLUMN descuento, DROP COLUMN id;
ALTER TABLE invoices DROP CONSTRAINT invoices_due_at_issue, DROP COLUMN saldo,
    DROP CONSTRAINT invoices_total_check, DROP CONSTRAINT invoices_terms,
    DROP CONSTRAINT invoices_paid_within_total, DROP CONSTRAINT invoices_credited_within_total,
    DROP COLUMN forma_pago, DROP COLUMN dias_credito, DROP COLUMN medio_pago, DROP COLUMN fecha_vencimiento,
    DROP COLUMN descuentos, DROP COLUMN cargos, DROP COLUMN total_descuentos, DROP COLUMN total_cargos,
    DROP COLUMN pagado, DROP COLUMN acreditado,
    ADD CONSTRAINT invoices_total_check CHECK (total = subtotal + impuestos);
