-- +goose Up

-- Webhooks: a tenant's endpoints, the events its writes emit for them, and
-- the log of every attempt to deliver one. The signing secret is kept
-- sealed (internal/secret), like the other secrets, and shown only when it
-- is made.
CREATE TABLE webhook_endpoints (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    id            uuid        NOT NULL,
    url           text        NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
    eventos       text[]      NOT NULL CHECK (cardinality(eventos) BETWEEN 1 AND 20),
    activo        boolean     NOT NULL DEFAULT true,
    secret_sealed bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz,
    CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (tenant_id, id)
);
CREATE INDEX webhook_endpoints_active_idx ON webhook_endpoints (tenant_id) WHERE activo AND deleted_at IS NULL;

-- One row per event a write emitted while at least one endpoint wanted
-- it: its id is what receivers deduplicate on, the same in every retry.
CREATE TABLE webhook_events (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    type       text        NOT NULL,
    data       jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_events_pkey PRIMARY KEY (tenant_id, id)
);

-- Every attempt to deliver an event to an endpoint, kept as the endpoint's
-- delivery log.
CREATE TABLE webhook_attempts (
    tenant_id   uuid        NOT NULL,
    id          uuid        NOT NULL,
    endpoint_id uuid        NOT NULL,
    event_id    uuid        NOT NULL,
    attempt     integer     NOT NULL CHECK (attempt >= 1),
    status_code integer,
    error       text        CHECK (length(error) <= 500),
    duration_ms integer     NOT NULL CHECK (duration_ms >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_attempts_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT webhook_attempts_endpoint_fk FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id),
    CONSTRAINT webhook_attempts_event_fk FOREIGN KEY (tenant_id, event_id) REFERENCES webhook_events (tenant_id, id)
);
CREATE INDEX webhook_attempts_endpoint_idx ON webhook_attempts (tenant_id, endpoint_id, created_at DESC, id DESC);

GRANT SELECT, INSERT, UPDATE ON webhook_endpoints TO billing_app;
GRANT SELECT, INSERT ON webhook_events, webhook_attempts TO billing_app;
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['webhook_endpoints', 'webhook_events', 'webhook_attempts'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
