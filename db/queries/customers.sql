-- name: ListCustomers :many
-- search matches razon_social case-insensitively or nit as a substring; the
-- caller escapes LIKE wildcards so that "%" and "_" match themselves.
SELECT * FROM customers
WHERE tenant_id = @tenant_id
  AND (sqlc.narg(search)::text IS NULL
       OR razon_social ILIKE '%' || sqlc.narg(search)::text || '%'
       OR nit LIKE '%' || sqlc.narg(search)::text || '%')
ORDER BY razon_social, id;

-- name: CreateCustomer :one
INSERT INTO customers (tenant_id, id, razon_social, nit, email, telefono, direccion)
VALUES (@tenant_id, @id, @razon_social, @nit, @email, @telefono, @direccion)
RETURNING *;

-- name: GetCustomer :one
SELECT * FROM customers
WHERE tenant_id = @tenant_id AND id = @id;

-- name: UpdateCustomer :one
-- The handler merges the PATCH body into the current row, so every column is
-- written with its final value.
UPDATE customers
SET razon_social = @razon_social,
    nit          = @nit,
    email        = @email,
    telefono     = @telefono,
    direccion    = @direccion,
    status       = @status,
    updated_at   = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;

-- name: GetCustomerForUpdate :one
SELECT * FROM customers
WHERE tenant_id = @tenant_id AND id = @id
FOR UPDATE;

-- name: DeleteCustomer :execrows
DELETE FROM customers
WHERE tenant_id = @tenant_id AND id = @id;
