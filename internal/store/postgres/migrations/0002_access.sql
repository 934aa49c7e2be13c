-- PostgreSQL version of internal/store/sqlite/migrations/0002_access.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), hashes BYTEA,
-- times BIGINT unix nanoseconds, booleans INTEGER 0/1.

-- 0002_access: IAM Identity Center permission sets, their policies, and the
-- tags of instances and permission sets.
-- Empty strings mean "none" for the optional permission set fields.

CREATE TABLE permission_sets (
    arn                  TEXT COLLATE "C" PRIMARY KEY,
    instance_arn         TEXT COLLATE "C" NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    name                 TEXT COLLATE "C" NOT NULL,
    name_key             TEXT COLLATE "C" NOT NULL,
    description          TEXT COLLATE "C" NOT NULL,
    session_duration     TEXT COLLATE "C" NOT NULL,
    relay_state          TEXT COLLATE "C" NOT NULL,
    inline_policy        TEXT COLLATE "C" NOT NULL,
    boundary_managed_arn TEXT COLLATE "C" NOT NULL,
    boundary_cmp_name    TEXT COLLATE "C" NOT NULL,
    boundary_cmp_path    TEXT COLLATE "C" NOT NULL,
    created_at           BIGINT,
    changed_at           BIGINT
);
CREATE UNIQUE INDEX permission_sets_name ON permission_sets (instance_arn, name_key);
CREATE INDEX permission_sets_by_instance ON permission_sets (instance_arn, arn);

CREATE TABLE permission_set_managed_policies (
    permission_set_arn TEXT COLLATE "C" NOT NULL REFERENCES permission_sets (arn) ON DELETE CASCADE,
    policy_arn         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (permission_set_arn, policy_arn)
);

CREATE TABLE permission_set_customer_policies (
    permission_set_arn TEXT COLLATE "C" NOT NULL REFERENCES permission_sets (arn) ON DELETE CASCADE,
    ref_key            TEXT COLLATE "C" NOT NULL,
    name               TEXT COLLATE "C" NOT NULL,
    path               TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (permission_set_arn, ref_key)
);

-- Tags of sso resources: the instance itself or one of its permission sets.
-- DeletePermissionSet removes a set's tags explicitly (resource_arn is not a
-- foreign key because it names records of different tables).
CREATE TABLE sso_tags (
    instance_arn TEXT COLLATE "C" NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    resource_arn TEXT COLLATE "C" NOT NULL,
    tag_key      TEXT COLLATE "C" NOT NULL,
    tag_value    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (resource_arn, tag_key)
);
