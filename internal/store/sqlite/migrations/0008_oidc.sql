-- sso-oidc: registered clients, device authorizations, authorization codes,
-- tokens. Secrets, codes and tokens are kept only as SHA-256 hashes.
CREATE TABLE oidc_clients (
    client_id     TEXT NOT NULL PRIMARY KEY,
    secret_hash   BLOB NOT NULL,
    name          TEXT NOT NULL,
    client_type   TEXT NOT NULL,
    scopes        TEXT NOT NULL, -- JSON array
    grant_types   TEXT NOT NULL, -- JSON array
    redirect_uris TEXT NOT NULL, -- JSON array
    issuer_url    TEXT NOT NULL,
    issued_at     BIGINT,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX oidc_clients_expiry ON oidc_clients (expires_at);

CREATE TABLE oidc_device_authorizations (
    device_code_hash BLOB NOT NULL PRIMARY KEY,
    user_code        TEXT NOT NULL UNIQUE,
    client_id        TEXT NOT NULL,
    start_url        TEXT NOT NULL,
    scopes           TEXT NOT NULL,
    status           TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    interval_seconds INTEGER NOT NULL,
    last_polled_at   BIGINT,
    failed_attempts  INTEGER NOT NULL,
    expires_at       BIGINT NOT NULL,
    created_at       BIGINT
);
CREATE INDEX oidc_device_expiry ON oidc_device_authorizations (expires_at);

CREATE TABLE oidc_auth_codes (
    code_hash      BLOB NOT NULL PRIMARY KEY,
    client_id      TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    expires_at     BIGINT NOT NULL,
    created_at     BIGINT
);
CREATE INDEX oidc_auth_codes_expiry ON oidc_auth_codes (expires_at);

CREATE TABLE oidc_tokens (
    access_hash        BLOB NOT NULL PRIMARY KEY,
    refresh_hash       BLOB UNIQUE, -- NULL when the token has no refresh token
    client_id          TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    scopes             TEXT NOT NULL,
    session_id         TEXT NOT NULL,
    expires_at         BIGINT NOT NULL,
    session_expires_at BIGINT NOT NULL,
    revoked            INTEGER NOT NULL,
    created_at         BIGINT
);
CREATE INDEX oidc_tokens_session ON oidc_tokens (session_id);
CREATE INDEX oidc_tokens_expiry ON oidc_tokens (session_expires_at);

CREATE TABLE oidc_session_keys (
    session_id    TEXT NOT NULL,
    access_key_id TEXT NOT NULL,
    PRIMARY KEY (session_id, access_key_id)
);
