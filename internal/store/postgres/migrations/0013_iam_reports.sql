-- PostgreSQL version of internal/store/sqlite/migrations/0013_iam_reports.sql: the same
-- tables and indexes; keys are TEXT COLLATE "C" so that they order and compare
-- bytewise as in SQLite, times BIGINT unix nanoseconds.

-- 0013_iam_reports: what IAM's reports are made of. The last use of each
-- long-term access key and of each service by each principal (written in
-- batches by the usage recorder, at most once a minute per key), named
-- per-account settings (root access management features, STS preferences,
-- outbound web identity federation, credential report dates), report jobs,
-- service-linked role deletion tasks and delegation requests.

CREATE TABLE iam_key_usage (
    access_key_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    used_at       BIGINT NOT NULL,
    service_name TEXT COLLATE "C" NOT NULL,
    region TEXT COLLATE "C" NOT NULL
);

CREATE TABLE iam_service_use (
    account_id TEXT COLLATE "C" NOT NULL,
    principal_arn TEXT COLLATE "C" NOT NULL,
    service_namespace TEXT COLLATE "C" NOT NULL,
    action TEXT COLLATE "C" NOT NULL,
    region TEXT COLLATE "C" NOT NULL,
    last_used         BIGINT NOT NULL,
    PRIMARY KEY (principal_arn, service_namespace)
);
CREATE INDEX iam_service_use_by_account ON iam_service_use (account_id);

CREATE TABLE iam_settings (
    account_id TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, name)
);

CREATE TABLE iam_report_jobs (
    job_id     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    params TEXT COLLATE "C" NOT NULL,
    created_at BIGINT
);

CREATE TABLE iam_deletion_tasks (
    task_id    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    role_name TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    reason TEXT COLLATE "C" NOT NULL,
    created_at BIGINT
);

CREATE TABLE iam_delegation_requests (
    request_id       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    owner_account_id TEXT COLLATE "C" NOT NULL,
    state TEXT COLLATE "C" NOT NULL,
    body TEXT COLLATE "C" NOT NULL,
    created_at       BIGINT,
    updated_at       BIGINT
);
CREATE INDEX iam_delegation_requests_by_account ON iam_delegation_requests (account_id);
CREATE INDEX iam_delegation_requests_by_owner ON iam_delegation_requests (owner_account_id);
