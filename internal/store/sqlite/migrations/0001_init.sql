-- 0001_init: the first schema. Portable SQL: TEXT, BIGINT, INTEGER, unique
-- indexes and foreign keys only, so a PostgreSQL dialect can run the same file.
-- Case-insensitive uniqueness uses *_key columns the backend fills with the
-- lower-cased value (the comparison is done in Go, not by a collation).
-- Times are BIGINT unix nanoseconds (UTC); NULL means unset.

CREATE TABLE meta (
    meta_key   TEXT PRIMARY KEY,
    meta_value TEXT NOT NULL
);

CREATE TABLE organizations (
    singleton             INTEGER PRIMARY KEY CHECK (singleton = 1),
    id                    TEXT NOT NULL UNIQUE,
    arn                   TEXT NOT NULL,
    management_account_id TEXT NOT NULL,
    management_email      TEXT NOT NULL,
    feature_set           TEXT NOT NULL,
    created_at            BIGINT
);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    arn           TEXT NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL,
    joined_method TEXT NOT NULL,
    joined_at     BIGINT
);

CREATE TABLE instances (
    arn               TEXT PRIMARY KEY,
    identity_store_id TEXT NOT NULL UNIQUE,
    owner_account_id  TEXT NOT NULL,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL,
    region            TEXT NOT NULL,
    created_at        BIGINT
);

CREATE TABLE access_keys (
    access_key_id     TEXT PRIMARY KEY,
    secret_access_key TEXT NOT NULL,
    account_id        TEXT NOT NULL,
    principal_arn     TEXT NOT NULL,
    user_name         TEXT NOT NULL,
    status            TEXT NOT NULL,
    created_at        BIGINT
);

CREATE TABLE users (
    identity_store_id TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    user_name         TEXT NOT NULL,
    user_name_key     TEXT,
    email_key         TEXT,
    attributes        TEXT NOT NULL,
    status            TEXT NOT NULL,
    created_at        BIGINT,
    created_by        TEXT NOT NULL,
    updated_at        BIGINT,
    updated_by        TEXT NOT NULL,
    PRIMARY KEY (identity_store_id, user_id)
);
CREATE UNIQUE INDEX users_user_name ON users (identity_store_id, user_name_key);
CREATE INDEX users_email ON users (identity_store_id, email_key);

CREATE TABLE user_external_ids (
    identity_store_id TEXT NOT NULL,
    issuer            TEXT NOT NULL,
    external_id       TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    position          INTEGER NOT NULL,
    PRIMARY KEY (identity_store_id, issuer, external_id),
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE INDEX user_external_ids_user ON user_external_ids (identity_store_id, user_id);

CREATE TABLE idgroups (
    identity_store_id TEXT NOT NULL,
    group_id          TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    display_name_key  TEXT,
    description       TEXT NOT NULL,
    created_at        BIGINT,
    created_by        TEXT NOT NULL,
    updated_at        BIGINT,
    updated_by        TEXT NOT NULL,
    PRIMARY KEY (identity_store_id, group_id)
);
CREATE UNIQUE INDEX idgroupsdisplay_name ON idgroups (identity_store_id, display_name_key);

CREATE TABLE group_external_ids (
    identity_store_id TEXT NOT NULL,
    issuer            TEXT NOT NULL,
    external_id       TEXT NOT NULL,
    group_id          TEXT NOT NULL,
    position          INTEGER NOT NULL,
    PRIMARY KEY (identity_store_id, issuer, external_id),
    FOREIGN KEY (identity_store_id, group_id) REFERENCES idgroups (identity_store_id, group_id) ON DELETE CASCADE
);
CREATE INDEX group_external_ids_group ON group_external_ids (identity_store_id, group_id);

CREATE TABLE memberships (
    identity_store_id TEXT NOT NULL,
    membership_id     TEXT NOT NULL,
    group_id          TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    created_at        BIGINT,
    created_by        TEXT NOT NULL,
    updated_at        BIGINT,
    updated_by        TEXT NOT NULL,
    PRIMARY KEY (identity_store_id, membership_id),
    FOREIGN KEY (identity_store_id, group_id) REFERENCES idgroups (identity_store_id, group_id) ON DELETE CASCADE,
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX memberships_tuple ON memberships (identity_store_id, group_id, user_id);
CREATE INDEX memberships_by_group ON memberships (identity_store_id, group_id, membership_id);
CREATE INDEX memberships_by_user ON memberships (identity_store_id, user_id, membership_id);
