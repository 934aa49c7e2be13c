-- STS sessions (temporary credentials). Each owns the access_keys row of the
-- same id; the session token is kept only as its SHA-256.
CREATE TABLE sts_sessions (
    access_key_id       TEXT NOT NULL PRIMARY KEY,
    token_hash          BLOB NOT NULL,
    session_type        TEXT NOT NULL,
    account_id          TEXT NOT NULL,
    principal_arn       TEXT NOT NULL,
    user_id             TEXT NOT NULL,
    role_arn            TEXT NOT NULL,
    role_id             TEXT NOT NULL,
    role_name           TEXT NOT NULL,
    session_name        TEXT NOT NULL,
    source_user_name    TEXT NOT NULL,
    policies            TEXT NOT NULL, -- JSON array of documents
    policy_arns         TEXT NOT NULL, -- JSON array
    tags                TEXT NOT NULL, -- JSON array of {Key, Value}
    transitive_tag_keys TEXT NOT NULL, -- JSON array
    source_identity     TEXT NOT NULL,
    mfa_present         INTEGER NOT NULL,
    chained             INTEGER NOT NULL,
    expires_at          BIGINT NOT NULL,
    created_at          BIGINT
);
CREATE INDEX sts_sessions_expiry ON sts_sessions (expires_at);
