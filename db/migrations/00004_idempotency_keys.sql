-- +goose Up

-- The stored answers of POST requests sent with an Idempotency-Key. A row is
-- written in the same transaction as the request's own writes, so either both
-- exist or neither does: a retry after a crash either replays the answer or
-- runs the request for the first time, never twice.
CREATE TABLE idempotency_keys (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash  bytea       NOT NULL,
    status_code   integer     NOT NULL,
    response_body bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (tenant_id, key)
);

GRANT SELECT, INSERT, DELETE ON idempotency_keys TO billing_app;
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE idempotency_keys;
