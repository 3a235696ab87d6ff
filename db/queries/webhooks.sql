-- name: CreateWebhookEndpoint :one
INSERT INTO webhook_endpoints (tenant_id, id, url, eventos, secret_sealed)
VALUES (@tenant_id, @id, @url, @eventos, @secret_sealed)
RETURNING *;

-- name: ListWebhookEndpoints :many
-- The tenant's endpoints that were not deleted, oldest first.
SELECT * FROM webhook_endpoints
WHERE tenant_id = @tenant_id AND deleted_at IS NULL
ORDER BY created_at, id;

-- name: GetWebhookEndpoint :one
SELECT * FROM webhook_endpoints
WHERE tenant_id = @tenant_id AND id = @id AND deleted_at IS NULL;

-- name: DeleteWebhookEndpoint :execrows
-- Deleting keeps the row for the delivery log; nothing is sent to it again.
UPDATE webhook_endpoints
SET deleted_at = now(), activo = false, updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id AND deleted_at IS NULL;

-- name: RotateWebhookSecret :one
UPDATE webhook_endpoints
SET secret_sealed = @secret_sealed, updated_at = now()
WHERE tenant_id = @tenant_id AND id = @id AND deleted_at IS NULL
RETURNING *;

-- name: ListSubscribedEndpoints :many
-- The active endpoints that want an event of this type.
SELECT id FROM webhook_endpoints
WHERE tenant_id = @tenant_id AND activo AND deleted_at IS NULL AND @type::text = ANY (eventos)
ORDER BY id;

-- name: InsertWebhookEvent :exec
INSERT INTO webhook_events (tenant_id, id, type, data)
VALUES (@tenant_id, @id, @type, @data);

-- name: GetWebhookDelivery :one
-- What a delivery sends: the event, and its endpoint (still there or not).
SELECT e.type, e.data, e.created_at, w.url, w.secret_sealed, w.activo, (w.deleted_at IS NOT NULL)::boolean AS deleted
FROM webhook_events e
JOIN webhook_endpoints w ON w.tenant_id = e.tenant_id AND w.id = @endpoint_id
WHERE e.tenant_id = @tenant_id AND e.id = @event_id;

-- name: InsertWebhookAttempt :exec
INSERT INTO webhook_attempts (tenant_id, id, endpoint_id, event_id, attempt, status_code, error, duration_ms)
VALUES (@tenant_id, @id, @endpoint_id, @event_id, @attempt, sqlc.narg(status_code), sqlc.narg(error), @duration_ms);

-- name: ListWebhookAttempts :many
-- An endpoint's delivery log, newest first, before the cursor's key.
SELECT a.*, e.type AS event_type FROM webhook_attempts a
JOIN webhook_events e ON e.tenant_id = a.tenant_id AND e.id = a.event_id
WHERE a.tenant_id = @tenant_id AND a.endpoint_id = @endpoint_id
  AND (a.created_at, a.id) < (@before_created_at::timestamptz, @before_id::uuid)
ORDER BY a.created_at DESC, a.id DESC
LIMIT @max_rows;
