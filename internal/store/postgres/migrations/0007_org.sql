-- PostgreSQL version of internal/store/sqlite/migrations/0007_org.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), hashes BYTEA,
-- times BIGINT unix nanoseconds, booleans INTEGER 0/1.

-- 0007_org: the Organizations tree (root, OUs, account parents), policies and
-- their attachments, CreateAccount requests, tags, trusted services and
-- delegated administrators.

CREATE TABLE org_roots (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    id           TEXT COLLATE "C" NOT NULL UNIQUE,
    arn          TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    policy_types TEXT COLLATE "C" NOT NULL -- JSON array of {Type, Status}
);

CREATE TABLE org_units (
    id        TEXT COLLATE "C" PRIMARY KEY,
    arn       TEXT COLLATE "C" NOT NULL,
    name      TEXT COLLATE "C" NOT NULL,
    name_key  TEXT COLLATE "C" NOT NULL,
    parent_id TEXT COLLATE "C" NOT NULL,
    UNIQUE (parent_id, name_key)
);

-- Accounts without a row are directly under the root.
CREATE TABLE org_account_parents (
    account_id TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    parent_id  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX org_account_parents_by_parent ON org_account_parents (parent_id, account_id);

CREATE TABLE org_create_account_statuses (
    id             TEXT COLLATE "C" PRIMARY KEY,
    account_name   TEXT COLLATE "C" NOT NULL,
    state          TEXT COLLATE "C" NOT NULL,
    account_id     TEXT COLLATE "C" NOT NULL,
    failure_reason TEXT COLLATE "C" NOT NULL,
    requested_at   BIGINT,
    completed_at   BIGINT
);

CREATE TABLE org_policies (
    id          TEXT COLLATE "C" PRIMARY KEY,
    arn         TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C" NOT NULL,
    policy_type TEXT COLLATE "C" NOT NULL,
    content     TEXT COLLATE "C" NOT NULL,
    aws_managed INTEGER NOT NULL
);
CREATE INDEX org_policies_by_type ON org_policies (policy_type, id);

CREATE TABLE org_policy_targets (
    policy_id   TEXT COLLATE "C" NOT NULL REFERENCES org_policies (id) ON DELETE CASCADE,
    target_id   TEXT COLLATE "C" NOT NULL,
    target_type TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (policy_id, target_id)
);
CREATE INDEX org_policy_targets_by_target ON org_policy_targets (target_id, policy_id);

CREATE TABLE org_tags (
    resource_id TEXT COLLATE "C" NOT NULL,
    tag_key     TEXT COLLATE "C" NOT NULL,
    tag_value   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (resource_id, tag_key)
);

CREATE TABLE org_service_access (
    service_principal TEXT COLLATE "C" PRIMARY KEY,
    enabled_at        BIGINT
);

CREATE TABLE org_delegated_admins (
    account_id        TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service_principal TEXT COLLATE "C" NOT NULL,
    delegated_at      BIGINT,
    PRIMARY KEY (account_id, service_principal)
);
