-- 0005_assignments: account assignments, the asynchronous requests of
-- sso-admin (assignment creation/deletion, provisioning) and which permission
-- sets are provisioned to which accounts. Same portable SQL as 0001.

CREATE TABLE account_assignments (
    instance_arn       TEXT NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    permission_set_arn TEXT NOT NULL REFERENCES permission_sets (arn) ON DELETE CASCADE,
    account_id         TEXT NOT NULL,
    principal_type     TEXT NOT NULL,
    principal_id       TEXT NOT NULL,
    -- akey orders and pages the lists: account, set, principal type, principal id.
    akey               TEXT NOT NULL,
    created_at         BIGINT,
    PRIMARY KEY (permission_set_arn, account_id, principal_type, principal_id)
);
CREATE INDEX account_assignments_by_key ON account_assignments (instance_arn, akey);
CREATE INDEX account_assignments_by_principal ON account_assignments (instance_arn, principal_id, akey);

-- Requests are processed in seq order by the worker.
CREATE TABLE sso_requests (
    request_id         TEXT PRIMARY KEY,
    seq                BIGINT NOT NULL,
    kind               TEXT NOT NULL,
    instance_arn       TEXT NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    status             TEXT NOT NULL,
    failure_reason     TEXT NOT NULL,
    target_id          TEXT NOT NULL,
    target_type        TEXT NOT NULL,
    permission_set_arn TEXT NOT NULL,
    principal_type     TEXT NOT NULL,
    principal_id       TEXT NOT NULL,
    created_at         BIGINT
);
CREATE UNIQUE INDEX sso_requests_seq ON sso_requests (seq);
CREATE INDEX sso_requests_by_kind ON sso_requests (instance_arn, kind, request_id);
CREATE INDEX sso_requests_by_status ON sso_requests (status, seq);

-- set_changed_at is the set's ChangedAt when it was last provisioned to the
-- account: the account is out of date when the set changed since.
CREATE TABLE sso_provisioned (
    instance_arn       TEXT NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    permission_set_arn TEXT NOT NULL REFERENCES permission_sets (arn) ON DELETE CASCADE,
    account_id         TEXT NOT NULL,
    pkey               TEXT NOT NULL,
    role_name          TEXT NOT NULL,
    set_changed_at     BIGINT,
    provisioned_at     BIGINT,
    PRIMARY KEY (permission_set_arn, account_id)
);
CREATE INDEX sso_provisioned_by_key ON sso_provisioned (instance_arn, pkey);
