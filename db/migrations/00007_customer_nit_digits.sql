-- +goose Up

-- One fiscal identity per NIT in a tenant: a NIT is now kept as its digits
-- alone, without thousands dots, leading zeros or the check digit
-- ("900123456-8", "0900123456" and "900123456" are the same company), and
-- another identification (a passport) upper-cased, so that customers_nit_key
-- holds one customer per identity. billing.NormalizeNIT is the rule for what
-- the service writes; billing_nit_key is the same rule for the values earlier
-- versions wrote (letters and digits, optionally "-" and one character), and
-- `billing migrate` uses it to report what this migration had to leave.
-- +goose StatementBegin
CREATE FUNCTION billing_nit_key(nit text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE
        -- Digits, with a check digit (verified when it was written) only
        -- where DIAN's weights reach (15 digits); a key shorter than the
        -- column allows keeps its zeros.
        WHEN nit ~ '^[0-9]+$' OR nit ~ '^[0-9]{1,15}-[0-9]$' THEN
            CASE WHEN length(ltrim(split_part(nit, '-', 1), '0')) >= 3
                 THEN ltrim(split_part(nit, '-', 1), '0')
                 ELSE split_part(nit, '-', 1) END
        WHEN nit ~ '^[0-9A-Za-z]+$' THEN upper(nit)
        ELSE nit
    END
$$;
-- +goose StatementEnd

-- Existing rows take their key, unless that would make two customers of one
-- tenant share it: those keep their value, and `billing migrate` lists them
-- for a person to merge or correct, since choosing which of two customers
-- (and their invoices) survives is not a migration's decision. Tenant by
-- tenant, as 00005 does.
-- +goose StatementBegin
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        UPDATE customers c
        SET nit = billing_nit_key(c.nit)
        WHERE c.tenant_id = t
          AND billing_nit_key(c.nit) <> c.nit
          AND NOT EXISTS (
              SELECT 1 FROM customers o
              WHERE o.tenant_id = t AND o.id <> c.id AND billing_nit_key(o.nit) = billing_nit_key(c.nit));
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd

-- +goose Down
-- The old spellings are not kept: nothing to undo but the function.
DROP FUNCTION billing_nit_key(text);
