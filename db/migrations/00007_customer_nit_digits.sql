-- +goose Up

-- One fiscal identity per NIT in a tenant: a NIT is now kept as its digits
-- alone, without the check digit ("900123456-8" and "900123456" are the same
-- company), so that customers_nit_key holds one customer per NIT. Existing
-- "digits-checkdigit" values lose their check digit (it was verified when
-- written, and is recomputed for reads), unless that would make two
-- customers of one tenant share a NIT: those keep their value, and
-- `billing migrate` lists them for a person to merge or correct, since
-- choosing which of two customers (and their invoices) survives is not a
-- migration's decision. Tenant by tenant, as 00005 does.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        UPDATE customers c
        SET nit = split_part(c.nit, '-', 1)
        WHERE c.tenant_id = t
          AND c.nit ~ '^[0-9]{3,15}-[0-9]$'
          AND NOT EXISTS (
              SELECT 1 FROM customers o
              WHERE o.tenant_id = t AND o.id <> c.id
                AND split_part(o.nit, '-', 1) = split_part(c.nit, '-', 1)
                AND o.nit ~ '^[0-9]{3,15}(-[0-9])?$');
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd

-- +goose Down
-- The check digits are recomputable, but which rows had one written is not
-- kept: nothing to undo.
SELECT 1;
