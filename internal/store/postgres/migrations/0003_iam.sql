-- PostgreSQL version of internal/store/sqlite/migrations/0003_iam.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), hashes BYTEA,
-- times BIGINT unix nanoseconds, booleans INTEGER 0/1.

-- 0003_iam: IAM users, groups, roles, customer managed policies and their
-- versions, inline policies, policy attachments and group memberships.
-- *_key columns hold lower-case names (IAM names
-- are unique regardless of case); tags are JSON arrays; empty strings mean
-- "none" for optional fields. Entity ids (AIDA…, AGPA…, AROA…) are unique
-- across accounts, so the dependent tables key on them alone.

CREATE TABLE iam_users (
    user_id              TEXT COLLATE "C" PRIMARY KEY,
    account_id           TEXT COLLATE "C" NOT NULL,
    user_name            TEXT COLLATE "C" NOT NULL,
    name_key             TEXT COLLATE "C" NOT NULL,
    path                 TEXT COLLATE "C" NOT NULL,
    arn                  TEXT COLLATE "C" NOT NULL,
    permissions_boundary TEXT COLLATE "C" NOT NULL,
    tags                 TEXT COLLATE "C" NOT NULL,
    created_at           BIGINT
);
CREATE UNIQUE INDEX iam_users_name ON iam_users (account_id, name_key);

CREATE TABLE iam_groups (
    group_id   TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    group_name TEXT COLLATE "C" NOT NULL,
    name_key   TEXT COLLATE "C" NOT NULL,
    path       TEXT COLLATE "C" NOT NULL,
    arn        TEXT COLLATE "C" NOT NULL,
    created_at BIGINT
);
CREATE UNIQUE INDEX iam_groups_name ON iam_groups (account_id, name_key);

CREATE TABLE iam_group_members (
    group_id TEXT COLLATE "C" NOT NULL REFERENCES iam_groups (group_id) ON DELETE CASCADE,
    user_id  TEXT COLLATE "C" NOT NULL REFERENCES iam_users (user_id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX iam_group_members_by_user ON iam_group_members (user_id);

CREATE TABLE iam_roles (
    role_id              TEXT COLLATE "C" PRIMARY KEY,
    account_id           TEXT COLLATE "C" NOT NULL,
    role_name            TEXT COLLATE "C" NOT NULL,
    name_key             TEXT COLLATE "C" NOT NULL,
    path                 TEXT COLLATE "C" NOT NULL,
    arn                  TEXT COLLATE "C" NOT NULL,
    assume_role_policy   TEXT COLLATE "C" NOT NULL,
    description          TEXT COLLATE "C" NOT NULL,
    max_session_duration INTEGER NOT NULL,
    permissions_boundary TEXT COLLATE "C" NOT NULL,
    tags                 TEXT COLLATE "C" NOT NULL,
    created_at           BIGINT
);
CREATE UNIQUE INDEX iam_roles_name ON iam_roles (account_id, name_key);

CREATE TABLE iam_policies (
    arn                TEXT COLLATE "C" PRIMARY KEY,
    account_id         TEXT COLLATE "C" NOT NULL,
    policy_id          TEXT COLLATE "C" NOT NULL UNIQUE,
    policy_name        TEXT COLLATE "C" NOT NULL,
    name_key           TEXT COLLATE "C" NOT NULL,
    path               TEXT COLLATE "C" NOT NULL,
    description        TEXT COLLATE "C" NOT NULL,
    default_version_id TEXT COLLATE "C" NOT NULL,
    last_version       INTEGER NOT NULL,
    tags               TEXT COLLATE "C" NOT NULL,
    created_at         BIGINT,
    updated_at         BIGINT
);
CREATE UNIQUE INDEX iam_policies_name ON iam_policies (account_id, name_key);

CREATE TABLE iam_policy_versions (
    policy_arn TEXT COLLATE "C" NOT NULL REFERENCES iam_policies (arn) ON DELETE CASCADE,
    version_id TEXT COLLATE "C" NOT NULL,
    version_no INTEGER NOT NULL,
    document   TEXT COLLATE "C" NOT NULL,
    created_at BIGINT,
    PRIMARY KEY (policy_arn, version_id)
);

-- entity_id names a user, group or role (no foreign key: three tables).
CREATE TABLE iam_attachments (
    entity_id   TEXT COLLATE "C" NOT NULL,
    policy_arn  TEXT COLLATE "C" NOT NULL,
    account_id  TEXT COLLATE "C" NOT NULL,
    entity_type TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (entity_id, policy_arn)
);
CREATE INDEX iam_attachments_by_policy ON iam_attachments (policy_arn, account_id);

CREATE TABLE iam_inline_policies (
    entity_id   TEXT COLLATE "C" NOT NULL,
    name_key    TEXT COLLATE "C" NOT NULL,
    entity_type TEXT COLLATE "C" NOT NULL,
    policy_name TEXT COLLATE "C" NOT NULL,
    document    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (entity_id, name_key)
);

CREATE INDEX access_keys_by_user ON access_keys (account_id, user_name);
