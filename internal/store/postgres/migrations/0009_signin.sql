-- PostgreSQL version of internal/store/sqlite/migrations/0009_signin.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), hashes BYTEA,
-- times BIGINT unix nanoseconds, booleans INTEGER 0/1.

-- Web access portal sign-in: passwords (memory-hard hashes only), TOTP
-- devices (secrets as given: codes are verified with them), portal sessions
-- and known MFA contexts (SHA-256 hashes only), and the instances' MFA
-- settings. Every per-user record goes with its identity store user.
CREATE TABLE signin_credentials (
    identity_store_id TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C" NOT NULL,
    password_hash     TEXT COLLATE "C" NOT NULL,
    must_change       INTEGER NOT NULL,
    failed_attempts   INTEGER NOT NULL,
    locked_until      BIGINT,
    updated_at        BIGINT,
    PRIMARY KEY (identity_store_id, user_id),
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);

CREATE TABLE signin_totp_devices (
    device_id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    identity_store_id TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C" NOT NULL,
    name              TEXT COLLATE "C" NOT NULL,
    secret            TEXT COLLATE "C" NOT NULL,
    last_used_step    BIGINT NOT NULL,
    created_at        BIGINT,
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE INDEX signin_totp_devices_user ON signin_totp_devices (identity_store_id, user_id, created_at, device_id);

CREATE TABLE signin_web_sessions (
    id_hash           BYTEA NOT NULL PRIMARY KEY,
    identity_store_id TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT,
    expires_at        BIGINT NOT NULL,
    mfa_done          INTEGER NOT NULL,
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE INDEX signin_web_sessions_user ON signin_web_sessions (identity_store_id, user_id);
CREATE INDEX signin_web_sessions_expiry ON signin_web_sessions (expires_at);

CREATE TABLE signin_known_contexts (
    context_hash      BYTEA NOT NULL PRIMARY KEY,
    identity_store_id TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT,
    expires_at        BIGINT NOT NULL,
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE INDEX signin_known_contexts_user ON signin_known_contexts (identity_store_id, user_id);

CREATE TABLE signin_mfa_settings (
    instance_arn TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    mode         TEXT COLLATE "C" NOT NULL,
    no_device    TEXT COLLATE "C" NOT NULL
);
