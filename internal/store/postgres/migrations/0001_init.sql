-- PostgreSQL version of internal/store/sqlite/migrations/0001_init.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), hashes BYTEA,
-- times BIGINT unix nanoseconds, booleans INTEGER 0/1.

-- 0001_init: the first schema. Portable SQL: TEXT COLLATE "C", BIGINT, INTEGER, unique
-- indexes and foreign keys only, so a PostgreSQL dialect can run the same file.
-- Case-insensitive uniqueness uses *_key columns the backend fills with the
-- lower-cased value (the comparison is done in Go, not by a collation).
-- Times are BIGINT unix nanoseconds (UTC); NULL means unset.

CREATE TABLE meta (
    meta_key   TEXT COLLATE "C" PRIMARY KEY,
    meta_value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE organizations (
    singleton             INTEGER PRIMARY KEY CHECK (singleton = 1),
    id                    TEXT COLLATE "C" NOT NULL UNIQUE,
    arn                   TEXT COLLATE "C" NOT NULL,
    management_account_id TEXT COLLATE "C" NOT NULL,
    management_email      TEXT COLLATE "C" NOT NULL,
    feature_set           TEXT COLLATE "C" NOT NULL,
    created_at            BIGINT
);

CREATE TABLE accounts (
    id            TEXT COLLATE "C" PRIMARY KEY,
    arn           TEXT COLLATE "C" NOT NULL,
    name          TEXT COLLATE "C" NOT NULL,
    email         TEXT COLLATE "C" NOT NULL,
    email_key     TEXT COLLATE "C" NOT NULL UNIQUE,
    status        TEXT COLLATE "C" NOT NULL,
    joined_method TEXT COLLATE "C" NOT NULL,
    joined_at     BIGINT
);

CREATE TABLE instances (
    arn               TEXT COLLATE "C" PRIMARY KEY,
    identity_store_id TEXT COLLATE "C" NOT NULL UNIQUE,
    owner_account_id  TEXT COLLATE "C" NOT NULL,
    name              TEXT COLLATE "C" NOT NULL,
    status            TEXT COLLATE "C" NOT NULL,
    region            TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT
);

CREATE TABLE access_keys (
    access_key_id     TEXT COLLATE "C" PRIMARY KEY,
    secret_access_key TEXT COLLATE "C" NOT NULL,
    account_id        TEXT COLLATE "C" NOT NULL,
    principal_arn     TEXT COLLATE "C" NOT NULL,
    user_name         TEXT COLLATE "C" NOT NULL,
    status            TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT
);

CREATE TABLE users (
    identity_store_id TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C" NOT NULL,
    user_name         TEXT COLLATE "C" NOT NULL,
    user_name_key     TEXT COLLATE "C",
    email_key         TEXT COLLATE "C",
    attributes        TEXT COLLATE "C" NOT NULL,
    status            TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT,
    created_by        TEXT COLLATE "C" NOT NULL,
    updated_at        BIGINT,
    updated_by        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (identity_store_id, user_id)
);
CREATE UNIQUE INDEX users_user_name ON users (identity_store_id, user_name_key);
CREATE INDEX users_email ON users (identity_store_id, email_key);

CREATE TABLE user_external_ids (
    identity_store_id TEXT COLLATE "C" NOT NULL,
    issuer            TEXT COLLATE "C" NOT NULL,
    external_id       TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C" NOT NULL,
    position          INTEGER NOT NULL,
    PRIMARY KEY (identity_store_id, issuer, external_id),
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE INDEX user_external_ids_user ON user_external_ids (identity_store_id, user_id);

CREATE TABLE idgroups (
    identity_store_id TEXT COLLATE "C" NOT NULL,
    group_id          TEXT COLLATE "C" NOT NULL,
    display_name      TEXT COLLATE "C" NOT NULL,
    display_name_key  TEXT COLLATE "C",
    description       TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT,
    created_by        TEXT COLLATE "C" NOT NULL,
    updated_at        BIGINT,
    updated_by        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (identity_store_id, group_id)
);
CREATE UNIQUE INDEX idgroupsdisplay_name ON idgroups (identity_store_id, display_name_key);

CREATE TABLE group_external_ids (
    identity_store_id TEXT COLLATE "C" NOT NULL,
    issuer            TEXT COLLATE "C" NOT NULL,
    external_id       TEXT COLLATE "C" NOT NULL,
    group_id          TEXT COLLATE "C" NOT NULL,
    position          INTEGER NOT NULL,
    PRIMARY KEY (identity_store_id, issuer, external_id),
    FOREIGN KEY (identity_store_id, group_id) REFERENCES idgroups (identity_store_id, group_id) ON DELETE CASCADE
);
CREATE INDEX group_external_ids_group ON group_external_ids (identity_store_id, group_id);

CREATE TABLE memberships (
    identity_store_id TEXT COLLATE "C" NOT NULL,
    membership_id     TEXT COLLATE "C" NOT NULL,
    group_id          TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT,
    created_by        TEXT COLLATE "C" NOT NULL,
    updated_at        BIGINT,
    updated_by        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (identity_store_id, membership_id),
    FOREIGN KEY (identity_store_id, group_id) REFERENCES idgroups (identity_store_id, group_id) ON DELETE CASCADE,
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX memberships_tuple ON memberships (identity_store_id, group_id, user_id);
CREATE INDEX memberships_by_group ON memberships (identity_store_id, group_id, membership_id);
CREATE INDEX memberships_by_user ON memberships (identity_store_id, user_id, membership_id);
