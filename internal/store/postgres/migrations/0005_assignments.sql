-- PostgreSQL version of internal/store/sqlite/migrations/0005_assignments.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), hashes BYTEA,
-- times BIGINT unix nanoseconds, booleans INTEGER 0/1.

-- 0005_assignments: account assignments, the asynchronous requests of
-- sso-admin (assignment creation/deletion, provisioning) and which permission
-- sets are provisioned to which accounts.

CREATE TABLE account_assignments (
    instance_arn       TEXT COLLATE "C" NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    permission_set_arn TEXT COLLATE "C" NOT NULL REFERENCES permission_sets (arn) ON DELETE CASCADE,
    account_id         TEXT COLLATE "C" NOT NULL,
    principal_type     TEXT COLLATE "C" NOT NULL,
    principal_id       TEXT COLLATE "C" NOT NULL,
    -- akey orders and pages the lists: account, set, principal type, principal id.
    akey               TEXT COLLATE "C" NOT NULL,
    created_at         BIGINT,
    PRIMARY KEY (permission_set_arn, account_id, principal_type, principal_id)
);
CREATE INDEX account_assignments_by_key ON account_assignments (instance_arn, akey);
CREATE INDEX account_assignments_by_principal ON account_assignments (instance_arn, principal_id, akey);

-- Requests are processed in seq order by the worker.
CREATE TABLE sso_requests (
    request_id         TEXT COLLATE "C" PRIMARY KEY,
    seq                BIGINT NOT NULL,
    kind               TEXT COLLATE "C" NOT NULL,
    instance_arn       TEXT COLLATE "C" NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    status             TEXT COLLATE "C" NOT NULL,
    failure_reason     TEXT COLLATE "C" NOT NULL,
    target_id          TEXT COLLATE "C" NOT NULL,
    target_type        TEXT COLLATE "C" NOT NULL,
    permission_set_arn TEXT COLLATE "C" NOT NULL,
    principal_type     TEXT COLLATE "C" NOT NULL,
    principal_id       TEXT COLLATE "C" NOT NULL,
    created_at         BIGINT
);
CREATE UNIQUE INDEX sso_requests_seq ON sso_requests (seq);
CREATE INDEX sso_requests_by_kind ON sso_requests (instance_arn, kind, request_id);
CREATE INDEX sso_requests_by_status ON sso_requests (status, seq);

-- set_changed_at is the set's ChangedAt when it was last provisioned to the
-- account: the account is out of date when the set changed since.
CREATE TABLE sso_provisioned (
    instance_arn       TEXT COLLATE "C" NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    permission_set_arn TEXT COLLATE "C" NOT NULL REFERENCES permission_sets (arn) ON DELETE CASCADE,
    account_id         TEXT COLLATE "C" NOT NULL,
    pkey               TEXT COLLATE "C" NOT NULL,
    role_name          TEXT COLLATE "C" NOT NULL,
    set_changed_at     BIGINT,
    provisioned_at     BIGINT,
    PRIMARY KEY (permission_set_arn, account_id)
);
CREATE INDEX sso_provisioned_by_key ON sso_provisioned (instance_arn, pkey);
