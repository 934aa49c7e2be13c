-- 0002_access: IAM Identity Center permission sets, their policies, and the
-- tags of instances and permission sets. Same portable SQL as 0001.
-- Empty strings mean "none" for the optional permission set fields.

CREATE TABLE permission_sets (
    arn                  TEXT PRIMARY KEY,
    instance_arn         TEXT NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    name_key             TEXT NOT NULL,
    description          TEXT NOT NULL,
    session_duration     TEXT NOT NULL,
    relay_state          TEXT NOT NULL,
    inline_policy        TEXT NOT NULL,
    boundary_managed_arn TEXT NOT NULL,
    boundary_cmp_name    TEXT NOT NULL,
    boundary_cmp_path    TEXT NOT NULL,
    created_at           BIGINT,
    changed_at           BIGINT
);
CREATE UNIQUE INDEX permission_sets_name ON permission_sets (instance_arn, name_key);
CREATE INDEX permission_sets_by_instance ON permission_sets (instance_arn, arn);

CREATE TABLE permission_set_managed_policies (
    permission_set_arn TEXT NOT NULL REFERENCES permission_sets (arn) ON DELETE CASCADE,
    policy_arn         TEXT NOT NULL,
    PRIMARY KEY (permission_set_arn, policy_arn)
);

CREATE TABLE permission_set_customer_policies (
    permission_set_arn TEXT NOT NULL REFERENCES permission_sets (arn) ON DELETE CASCADE,
    ref_key            TEXT NOT NULL,
    name               TEXT NOT NULL,
    path               TEXT NOT NULL,
    PRIMARY KEY (permission_set_arn, ref_key)
);

-- Tags of sso resources: the instance itself or one of its permission sets.
-- DeletePermissionSet removes a set's tags explicitly (resource_arn is not a
-- foreign key because it names records of different tables).
CREATE TABLE sso_tags (
    instance_arn TEXT NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    resource_arn TEXT NOT NULL,
    tag_key      TEXT NOT NULL,
    tag_value    TEXT NOT NULL,
    PRIMARY KEY (resource_arn, tag_key)
);
