-- SCIM bearer tokens of identity stores (hashes only).
CREATE TABLE scim_tokens (
    token_id          TEXT NOT NULL PRIMARY KEY,
    identity_store_id TEXT NOT NULL,
    token_hash        BLOB NOT NULL,
    created_at        BIGINT,
    expires_at        BIGINT,
    last_used_at      BIGINT
);
CREATE INDEX scim_tokens_store ON scim_tokens (identity_store_id, created_at, token_id);
