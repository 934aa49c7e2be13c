-- 0010_iam_account: per-account IAM settings (alias, password policy), IAM
-- users' login profiles (memory-hard password hashes only) and virtual MFA
-- devices (TOTP seeds as given: codes are verified with them). Login profiles
-- go with their user; an assigned device's user_id is cleared with its user.

CREATE TABLE iam_account_aliases (
    account_id TEXT NOT NULL PRIMARY KEY,
    alias      TEXT NOT NULL UNIQUE
);

CREATE TABLE iam_password_policies (
    account_id           TEXT NOT NULL PRIMARY KEY,
    min_length           INTEGER NOT NULL,
    require_symbols      INTEGER NOT NULL,
    require_numbers      INTEGER NOT NULL,
    require_uppercase    INTEGER NOT NULL,
    require_lowercase    INTEGER NOT NULL,
    allow_users_change   INTEGER NOT NULL,
    max_age_days         INTEGER NOT NULL,
    reuse_prevention     INTEGER NOT NULL,
    hard_expiry          INTEGER NOT NULL
);

CREATE TABLE iam_login_profiles (
    user_id             TEXT NOT NULL PRIMARY KEY REFERENCES iam_users (user_id) ON DELETE CASCADE,
    account_id          TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    reset_required      INTEGER NOT NULL,
    created_at          BIGINT,
    password_changed_at BIGINT
);

CREATE TABLE iam_mfa_devices (
    serial_number  TEXT NOT NULL PRIMARY KEY,
    account_id     TEXT NOT NULL,
    device_name    TEXT NOT NULL,
    name_key       TEXT NOT NULL,
    path           TEXT NOT NULL,
    secret         TEXT NOT NULL,
    user_id        TEXT REFERENCES iam_users (user_id) ON DELETE SET NULL,
    enabled_at     BIGINT,
    last_used_step BIGINT NOT NULL,
    tags           TEXT NOT NULL,
    created_at     BIGINT
);
CREATE UNIQUE INDEX iam_mfa_devices_name ON iam_mfa_devices (account_id, name_key);
CREATE INDEX iam_mfa_devices_by_user ON iam_mfa_devices (user_id);
