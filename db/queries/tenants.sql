-- The tenants table is not tenant-owned, so these queries have no tenant_id
-- predicate; sqlc.yaml exempts exactly these names from that rule.

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
