-- name: ListDeliveryProviders :many
SELECT * FROM delivery_providers
WHERE tenant_id = @tenant_id
ORDER BY lower(nombre COLLATE billing_es), id;

-- name: CreateDeliveryProvider :one
INSERT INTO delivery_providers (tenant_id, id, nombre, activo)
VALUES (@tenant_id, @id, @nombre, @activo)
RETURNING *;

-- name: UpdateDeliveryProvider :one
UPDATE delivery_providers
SET nombre = COALESCE(sqlc.narg(nombre), nombre), activo = COALESCE(sqlc.narg(activo), activo), updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id
RETURNING *;

-- name: GetDeliveryProvider :one
SELECT * FROM delivery_providers WHERE tenant_id = @tenant_id AND id = @id;
