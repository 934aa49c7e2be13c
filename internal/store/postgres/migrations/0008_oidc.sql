-- PostgreSQL version of internal/store/sqlite/migrations/0008_oidc.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), hashes BYTEA,
-- times BIGINT unix nanoseconds, booleans INTEGER 0/1.

-- sso-oidc: registered clients, device authorizations, authorization codes,
-- tokens. Secrets, codes and tokens are kept only as SHA-256 hashes.
CREATE TABLE oidc_clients (
    client_id     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    secret_hash   BYTEA NOT NULL,
    name          TEXT COLLATE "C" NOT NULL,
    client_type   TEXT COLLATE "C" NOT NULL,
    scopes        TEXT COLLATE "C" NOT NULL, -- JSON array
    grant_types   TEXT COLLATE "C" NOT NULL, -- JSON array
    redirect_uris TEXT COLLATE "C" NOT NULL, -- JSON array
    issuer_url    TEXT COLLATE "C" NOT NULL,
    issued_at     BIGINT,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX oidc_clients_expiry ON oidc_clients (expires_at);

CREATE TABLE oidc_device_authorizations (
    device_code_hash BYTEA NOT NULL PRIMARY KEY,
    user_code        TEXT COLLATE "C" NOT NULL UNIQUE,
    client_id        TEXT COLLATE "C" NOT NULL,
    start_url        TEXT COLLATE "C" NOT NULL,
    scopes           TEXT COLLATE "C" NOT NULL,
    status           TEXT COLLATE "C" NOT NULL,
    user_id          TEXT COLLATE "C" NOT NULL,
    interval_seconds INTEGER NOT NULL,
    last_polled_at   BIGINT,
    failed_attempts  INTEGER NOT NULL,
    expires_at       BIGINT NOT NULL,
    created_at       BIGINT
);
CREATE INDEX oidc_device_expiry ON oidc_device_authorizations (expires_at);

CREATE TABLE oidc_auth_codes (
    code_hash      BYTEA NOT NULL PRIMARY KEY,
    client_id      TEXT COLLATE "C" NOT NULL,
    redirect_uri   TEXT COLLATE "C" NOT NULL,
    code_challenge TEXT COLLATE "C" NOT NULL,
    user_id        TEXT COLLATE "C" NOT NULL,
    scopes         TEXT COLLATE "C" NOT NULL,
    expires_at     BIGINT NOT NULL,
    created_at     BIGINT
);
CREATE INDEX oidc_auth_codes_expiry ON oidc_auth_codes (expires_at);

CREATE TABLE oidc_tokens (
    access_hash        BYTEA NOT NULL PRIMARY KEY,
    refresh_hash       BYTEA UNIQUE, -- NULL when the token has no refresh token
    client_id          TEXT COLLATE "C" NOT NULL,
    user_id            TEXT COLLATE "C" NOT NULL,
    scopes             TEXT COLLATE "C" NOT NULL,
    session_id         TEXT COLLATE "C" NOT NULL,
    expires_at         BIGINT NOT NULL,
    session_expires_at BIGINT NOT NULL,
    revoked            INTEGER NOT NULL,
    created_at         BIGINT
);
CREATE INDEX oidc_tokens_session ON oidc_tokens (session_id);
CREATE INDEX oidc_tokens_expiry ON oidc_tokens (session_expires_at);

CREATE TABLE oidc_session_keys (
    session_id    TEXT COLLATE "C" NOT NULL,
    access_key_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (session_id, access_key_id)
);
