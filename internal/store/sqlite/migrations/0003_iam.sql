-- 0003_iam: IAM users, groups, roles, customer managed policies and their
-- versions, inline policies, policy attachments and group memberships.
-- Same portable SQL as 0001. *_key columns hold lower-case names (IAM names
-- are unique regardless of case); tags are JSON arrays; empty strings mean
-- "none" for optional fields. Entity ids (AIDA…, AGPA…, AROA…) are unique
-- across accounts, so the dependent tables key on them alone.

CREATE TABLE iam_users (
    user_id              TEXT PRIMARY KEY,
    account_id           TEXT NOT NULL,
    user_name            TEXT NOT NULL,
    name_key             TEXT NOT NULL,
    path                 TEXT NOT NULL,
    arn                  TEXT NOT NULL,
    permissions_boundary TEXT NOT NULL,
    tags                 TEXT NOT NULL,
    created_at           BIGINT
);
CREATE UNIQUE INDEX iam_users_name ON iam_users (account_id, name_key);

CREATE TABLE iam_groups (
    group_id   TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    path       TEXT NOT NULL,
    arn        TEXT NOT NULL,
    created_at BIGINT
);
CREATE UNIQUE INDEX iam_groups_name ON iam_groups (account_id, name_key);

CREATE TABLE iam_group_members (
    group_id TEXT NOT NULL REFERENCES iam_groups (group_id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES iam_users (user_id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX iam_group_members_by_user ON iam_group_members (user_id);

CREATE TABLE iam_roles (
    role_id              TEXT PRIMARY KEY,
    account_id           TEXT NOT NULL,
    role_name            TEXT NOT NULL,
    name_key             TEXT NOT NULL,
    path                 TEXT NOT NULL,
    arn                  TEXT NOT NULL,
    assume_role_policy   TEXT NOT NULL,
    description          TEXT NOT NULL,
    max_session_duration INTEGER NOT NULL,
    permissions_boundary TEXT NOT NULL,
    tags                 TEXT NOT NULL,
    created_at           BIGINT
);
CREATE UNIQUE INDEX iam_roles_name ON iam_roles (account_id, name_key);

CREATE TABLE iam_policies (
    arn                TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL,
    policy_id          TEXT NOT NULL UNIQUE,
    policy_name        TEXT NOT NULL,
    name_key           TEXT NOT NULL,
    path               TEXT NOT NULL,
    description        TEXT NOT NULL,
    default_version_id TEXT NOT NULL,
    last_version       INTEGER NOT NULL,
    tags               TEXT NOT NULL,
    created_at         BIGINT,
    updated_at         BIGINT
);
CREATE UNIQUE INDEX iam_policies_name ON iam_policies (account_id, name_key);

CREATE TABLE iam_policy_versions (
    policy_arn TEXT NOT NULL REFERENCES iam_policies (arn) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    version_no INTEGER NOT NULL,
    document   TEXT NOT NULL,
    created_at BIGINT,
    PRIMARY KEY (policy_arn, version_id)
);

-- entity_id names a user, group or role (no foreign key: three tables).
CREATE TABLE iam_attachments (
    entity_id   TEXT NOT NULL,
    policy_arn  TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    PRIMARY KEY (entity_id, policy_arn)
);
CREATE INDEX iam_attachments_by_policy ON iam_attachments (policy_arn, account_id);

CREATE TABLE iam_inline_policies (
    entity_id   TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    document    TEXT NOT NULL,
    PRIMARY KEY (entity_id, name_key)
);

CREATE INDEX access_keys_by_user ON access_keys (account_id, user_name);
