-- PostgreSQL version of internal/store/sqlite/migrations/0006_sessions.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), hashes BYTEA,
-- times BIGINT unix nanoseconds, booleans INTEGER 0/1.

-- STS sessions (temporary credentials). Each owns the access_keys row of the
-- same id; the session token is kept only as its SHA-256.
CREATE TABLE sts_sessions (
    access_key_id       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    token_hash          BYTEA NOT NULL,
    session_type        TEXT COLLATE "C" NOT NULL,
    account_id          TEXT COLLATE "C" NOT NULL,
    principal_arn       TEXT COLLATE "C" NOT NULL,
    user_id             TEXT COLLATE "C" NOT NULL,
    role_arn            TEXT COLLATE "C" NOT NULL,
    role_id             TEXT COLLATE "C" NOT NULL,
    role_name           TEXT COLLATE "C" NOT NULL,
    session_name        TEXT COLLATE "C" NOT NULL,
    source_user_name    TEXT COLLATE "C" NOT NULL,
    policies            TEXT COLLATE "C" NOT NULL, -- JSON array of documents
    policy_arns         TEXT COLLATE "C" NOT NULL, -- JSON array
    tags                TEXT COLLATE "C" NOT NULL, -- JSON array of {Key, Value}
    transitive_tag_keys TEXT COLLATE "C" NOT NULL, -- JSON array
    source_identity     TEXT COLLATE "C" NOT NULL,
    mfa_present         INTEGER NOT NULL,
    chained             INTEGER NOT NULL,
    expires_at          BIGINT NOT NULL,
    created_at          BIGINT
);
CREATE INDEX sts_sessions_expiry ON sts_sessions (expires_at);
