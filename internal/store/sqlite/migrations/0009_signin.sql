-- Web access portal sign-in: passwords (memory-hard hashes only), TOTP
-- devices (secrets as given: codes are verified with them), portal sessions
-- and known MFA contexts (SHA-256 hashes only), and the instances' MFA
-- settings. Every per-user record goes with its identity store user.
CREATE TABLE signin_credentials (
    identity_store_id TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    must_change       INTEGER NOT NULL,
    failed_attempts   INTEGER NOT NULL,
    locked_until      BIGINT,
    updated_at        BIGINT,
    PRIMARY KEY (identity_store_id, user_id),
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);

CREATE TABLE signin_totp_devices (
    device_id         TEXT NOT NULL PRIMARY KEY,
    identity_store_id TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    name              TEXT NOT NULL,
    secret            TEXT NOT NULL,
    last_used_step    BIGINT NOT NULL,
    created_at        BIGINT,
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE INDEX signin_totp_devices_user ON signin_totp_devices (identity_store_id, user_id, created_at, device_id);

CREATE TABLE signin_web_sessions (
    id_hash           BLOB NOT NULL PRIMARY KEY,
    identity_store_id TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    created_at        BIGINT,
    expires_at        BIGINT NOT NULL,
    mfa_done          INTEGER NOT NULL,
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE INDEX signin_web_sessions_user ON signin_web_sessions (identity_store_id, user_id);
CREATE INDEX signin_web_sessions_expiry ON signin_web_sessions (expires_at);

CREATE TABLE signin_known_contexts (
    context_hash      BLOB NOT NULL PRIMARY KEY,
    identity_store_id TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    created_at        BIGINT,
    expires_at        BIGINT NOT NULL,
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE INDEX signin_known_contexts_user ON signin_known_contexts (identity_store_id, user_id);

CREATE TABLE signin_mfa_settings (
    instance_arn TEXT NOT NULL PRIMARY KEY,
    mode         TEXT NOT NULL,
    no_device    TEXT NOT NULL
);
