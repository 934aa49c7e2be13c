-- 0007_org: the Organizations tree (root, OUs, account parents), policies and
-- their attachments, CreateAccount requests, tags, trusted services and
-- delegated administrators. Same portable SQL as 0001.

CREATE TABLE org_roots (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    id           TEXT NOT NULL UNIQUE,
    arn          TEXT NOT NULL,
    name         TEXT NOT NULL,
    policy_types TEXT NOT NULL -- JSON array of {Type, Status}
);

CREATE TABLE org_units (
    id        TEXT PRIMARY KEY,
    arn       TEXT NOT NULL,
    name      TEXT NOT NULL,
    name_key  TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    UNIQUE (parent_id, name_key)
);

-- Accounts without a row are directly under the root.
CREATE TABLE org_account_parents (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    parent_id  TEXT NOT NULL
);
CREATE INDEX org_account_parents_by_parent ON org_account_parents (parent_id, account_id);

CREATE TABLE org_create_account_statuses (
    id             TEXT PRIMARY KEY,
    account_name   TEXT NOT NULL,
    state          TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    failure_reason TEXT NOT NULL,
    requested_at   BIGINT,
    completed_at   BIGINT
);

CREATE TABLE org_policies (
    id          TEXT PRIMARY KEY,
    arn         TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    policy_type TEXT NOT NULL,
    content     TEXT NOT NULL,
    aws_managed INTEGER NOT NULL
);
CREATE INDEX org_policies_by_type ON org_policies (policy_type, id);

CREATE TABLE org_policy_targets (
    policy_id   TEXT NOT NULL REFERENCES org_policies (id) ON DELETE CASCADE,
    target_id   TEXT NOT NULL,
    target_type TEXT NOT NULL,
    PRIMARY KEY (policy_id, target_id)
);
CREATE INDEX org_policy_targets_by_target ON org_policy_targets (target_id, policy_id);

CREATE TABLE org_tags (
    resource_id TEXT NOT NULL,
    tag_key     TEXT NOT NULL,
    tag_value   TEXT NOT NULL,
    PRIMARY KEY (resource_id, tag_key)
);

CREATE TABLE org_service_access (
    service_principal TEXT PRIMARY KEY,
    enabled_at        BIGINT
);

CREATE TABLE org_delegated_admins (
    account_id        TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service_principal TEXT NOT NULL,
    delegated_at      BIGINT,
    PRIMARY KEY (account_id, service_principal)
);
