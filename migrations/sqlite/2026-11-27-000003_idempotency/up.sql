-- Idempotency-Key of creating requests: the key is stored in the transaction that creates the
-- resource, so a retried request finds it and gets the same resource back instead of a twin.
CREATE TABLE idempotency_keys (
    idem_key TEXT NOT NULL,
    scope TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
