-- PostgreSQL version of internal/store/sqlite/migrations/0004_scim.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), hashes BYTEA,
-- times BIGINT unix nanoseconds, booleans INTEGER 0/1.

-- SCIM bearer tokens of identity stores (hashes only).
CREATE TABLE scim_tokens (
    token_id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    identity_store_id TEXT COLLATE "C" NOT NULL,
    token_hash        BYTEA NOT NULL,
    created_at        BIGINT,
    expires_at        BIGINT,
    last_used_at      BIGINT
);
CREATE INDEX scim_tokens_store ON scim_tokens (identity_store_id, created_at, token_id);
