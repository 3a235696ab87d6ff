-- Queries on tenants itself are the only ones without a tenant_id predicate
-- column of their own; sqlc.yaml exempts exactly these names from the rule.

-- name: CreateTenant :one
INSERT INTO tenants (id, name)
VALUES (@id, @name)
RETURNING *;

-- name: GetTenant :one
SELECT * FROM tenants
WHERE id = @id;

-- name: ListTenants :many
SELECT * FROM tenants
ORDER BY created_at, id;

-- name: SetTenantStatus :one
UPDATE tenants
SET status = @status, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: FindTenantByName :one
SELECT * FROM tenants
WHERE name = @name
ORDER BY created_at, id
LIMIT 1;
