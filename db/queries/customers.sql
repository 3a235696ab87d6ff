-- name: ListCustomers :many
-- One page in (razon_social, id) order, after the cursor's key (the first
-- page passes a key before every row: see firstByName), optionally only the
-- customers whose razon_social (case-insensitively) or nit contains search,
-- or whose nit contains nit_search (the search written as a NIT is kept:
-- "900.123.456-8" finds nit 900123456). The caller escapes LIKE wildcards so
-- they match themselves. The cursor
-- is a plain bound, never "cursor IS NULL OR ...", which a prepared
-- statement's generic plan cannot use as an index bound. The search is
-- razon_social ILIKE and nit LIKE written with migration 00023's leakproof
-- ~~~ and billing_lower, which row-level security lets the trigram indexes
-- serve: a narrow search reads a few rows, a broad one (or one of fewer
-- than three characters, which has no trigram) stays a filter on the range.
-- Which of the two depends on the pattern, so billing_custom_plan_only (an
-- arm that is always false) keeps the statement planned for each pattern
-- (see 00023).
SELECT * FROM customers
WHERE tenant_id = @tenant_id
  AND (sqlc.narg(search)::text IS NULL
       OR billing_lower(razon_social) ~~~ billing_lower(('%' || sqlc.narg(search)::text || '%') COLLATE billing_es)
       OR nit ~~~ ('%' || sqlc.narg(search)::text || '%')
       OR nit ~~~ ('%' || sqlc.narg(nit_search)::text || '%')
       OR billing_custom_plan_only(sqlc.narg(search)::text))
  AND (razon_social, id) > (sqlc.arg(after_razon_social)::text COLLATE billing_es, sqlc.arg(after_id)::uuid)
ORDER BY razon_social, id
LIMIT @max_rows;

-- name: CreateCustomer :one
INSERT INTO customers (tenant_id, id, razon_social, nit, email, telefono, direccion, tipo_identificacion, tipo_persona)
VALUES (@tenant_id, @id, @razon_social, @nit, @email, @telefono, @direccion, @tipo_identificacion, sqlc.narg(tipo_persona))
RETURNING *;

-- name: GetCustomer :one
SELECT * FROM customers
WHERE tenant_id = @tenant_id AND id = @id;

-- name: GetCustomerForUpdate :one
SELECT * FROM customers
WHERE tenant_id = @tenant_id AND id = @id
FOR UPDATE;

-- name: GetCustomerForInvoice :one
-- KEY SHARE holds off a concurrent delete until the invoice is written, so
-- an invoice never points at a customer deleted under it. The same round
-- trip says what the draft's numero must be: whether the tenant invoices
-- electronically (then it has none until issued), and whether the client's
-- numero is one that an active invoice range of the tenant has yet to give
-- (prefix + a consecutive from siguiente to hasta), which would make that
-- range's issue collide with it. Not locked: a draft written with a numero
-- while the first profile commits is refused at issue
-- (invoice_numero_client_chosen), never numbered twice.
SELECT sqlc.embed(customers),
    EXISTS (SELECT 1 FROM fiscal_profiles p WHERE p.tenant_id = @tenant_id)::boolean AS electronic,
    EXISTS (
        SELECT 1 FROM numbering_resolutions r
        WHERE r.tenant_id = @tenant_id AND r.tipo_documento = 'FACTURA' AND r.activa
          AND left(@numero::text, length(r.prefijo)) = r.prefijo
          AND substr(@numero::text, length(r.prefijo) + 1) ~ '^[0-9]{1,18}$'
          AND substr(@numero::text, length(r.prefijo) + 1)::bigint BETWEEN r.siguiente AND r.hasta
    )::boolean AS numero_reserved
FROM customers
WHERE customers.tenant_id = @tenant_id AND customers.id = @id
FOR KEY SHARE OF customers;

-- name: UpdateCustomer :one
-- The handler merges the PATCH body into the locked row, so every column is
-- written with its final value.
UPDATE customers
SET razon_social = @razon_social,
    nit          = @nit,
    email        = @email,
    telefono     = @telefono,
    direccion    = @direccion,
    tipo_identificacion = @tipo_identificacion,
    tipo_persona = sqlc.narg(tipo_persona),
    status       = @status,
    updated_at   = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;

-- name: DeleteCustomer :one
-- Returns the deleted customer's status, for the dashboard's figures.
DELETE FROM customers
WHERE tenant_id = @tenant_id AND id = @id
RETURNING status;

-- name: GetCustomerByNitForShare :one
-- A customer by its identification number as NormalizeNIT keys it,
-- share-locked so it cannot be deleted before the invoice commits.
SELECT * FROM customers WHERE tenant_id = @tenant_id AND nit = @nit FOR SHARE;

-- name: CreateCustomerIfAbsent :one
-- A point of sale's new customer: no row when a concurrent sale created the
-- same identification first (read it then).
INSERT INTO customers (tenant_id, id, razon_social, nit, email, telefono, tipo_identificacion)
VALUES (@tenant_id, @id, @razon_social, @nit, sqlc.narg(email), sqlc.narg(telefono), @tipo_identificacion)
ON CONFLICT ON CONSTRAINT customers_nit_key DO NOTHING
RETURNING *;
