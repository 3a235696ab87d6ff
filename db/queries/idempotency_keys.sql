-- name: TryLockIdempotencyKey :one
-- A transaction-scoped advisory lock on (tenant, key): a second request with
-- the same key while the first runs does not get it and answers 409. The
-- caller names the lock "tenant:key".
SELECT pg_try_advisory_xact_lock(hashtextextended(@lock_name::text, 0))::boolean AS locked;

-- name: GetIdempotencyKey :one
SELECT * FROM idempotency_keys
WHERE tenant_id = @tenant_id AND key = @key;

-- name: DeleteIdempotencyKey :exec
DELETE FROM idempotency_keys
WHERE tenant_id = @tenant_id AND key = @key;

-- name: SaveIdempotencyKey :exec
INSERT INTO idempotency_keys (tenant_id, key, request_hash, status_code, response_body)
VALUES (@tenant_id, @key, @request_hash, @status_code, @response_body);
