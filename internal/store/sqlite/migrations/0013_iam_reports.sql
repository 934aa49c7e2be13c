-- 0013_iam_reports: what IAM's reports are made of. The last use of each
-- long-term access key and of each service by each principal (written in
-- batches by the usage recorder, at most once a minute per key), named
-- per-account settings (root access management features, STS preferences,
-- outbound web identity federation, credential report dates), report jobs,
-- service-linked role deletion tasks and delegation requests.

CREATE TABLE iam_key_usage (
    access_key_id TEXT NOT NULL PRIMARY KEY,
    account_id    TEXT NOT NULL,
    used_at       BIGINT NOT NULL,
    service_name  TEXT NOT NULL,
    region        TEXT NOT NULL
);

CREATE TABLE iam_service_use (
    account_id        TEXT NOT NULL,
    principal_arn     TEXT NOT NULL,
    service_namespace TEXT NOT NULL,
    action            TEXT NOT NULL,
    region            TEXT NOT NULL,
    last_used         BIGINT NOT NULL,
    PRIMARY KEY (principal_arn, service_namespace)
);
CREATE INDEX iam_service_use_by_account ON iam_service_use (account_id);

CREATE TABLE iam_settings (
    account_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (account_id, name)
);

CREATE TABLE iam_report_jobs (
    job_id     TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    params     TEXT NOT NULL,
    created_at BIGINT
);

CREATE TABLE iam_deletion_tasks (
    task_id    TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    role_name  TEXT NOT NULL,
    status     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at BIGINT
);

CREATE TABLE iam_delegation_requests (
    request_id       TEXT NOT NULL PRIMARY KEY,
    account_id       TEXT NOT NULL,
    owner_account_id TEXT NOT NULL,
    state            TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       BIGINT,
    updated_at       BIGINT
);
CREATE INDEX iam_delegation_requests_by_account ON iam_delegation_requests (account_id);
CREATE INDEX iam_delegation_requests_by_owner ON iam_delegation_requests (owner_account_id);
