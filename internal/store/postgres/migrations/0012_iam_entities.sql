-- PostgreSQL version of internal/store/sqlite/migrations/0012_iam_entities.sql: the same tables,
-- constraints, unique indexes and cascades. Keys are TEXT COLLATE "C" so that
-- they order and compare bytewise as in SQLite (paging keys), times BIGINT
-- unix nanoseconds.

-- 0012_iam_entities: instance profiles (with their one role), IAM users' SSH
-- public keys, signing certificates and service-specific credentials (only
-- the passwords' hashes), and server certificates (private keys as given:
-- never returned by the API). A user's keys, certificates and credentials go
-- with the user; a deleted role leaves its instance profiles empty.

CREATE TABLE iam_instance_profiles (
    profile_id   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id   TEXT COLLATE "C" NOT NULL,
    profile_name TEXT COLLATE "C" NOT NULL,
    name_key     TEXT COLLATE "C" NOT NULL,
    path         TEXT COLLATE "C" NOT NULL,
    arn          TEXT COLLATE "C" NOT NULL,
    role_id      TEXT COLLATE "C" REFERENCES iam_roles (role_id) ON DELETE SET NULL,
    tags         TEXT COLLATE "C" NOT NULL,
    created_at   BIGINT
);
CREATE UNIQUE INDEX iam_instance_profiles_name ON iam_instance_profiles (account_id, name_key);
CREATE INDEX iam_instance_profiles_by_role ON iam_instance_profiles (role_id);

CREATE TABLE iam_ssh_public_keys (
    key_id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id  TEXT COLLATE "C" NOT NULL,
    user_id     TEXT COLLATE "C" NOT NULL REFERENCES iam_users (user_id) ON DELETE CASCADE,
    body        TEXT COLLATE "C" NOT NULL,
    fingerprint TEXT COLLATE "C" NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    uploaded_at BIGINT
);
CREATE INDEX iam_ssh_public_keys_by_user ON iam_ssh_public_keys (user_id);

CREATE TABLE iam_signing_certificates (
    certificate_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id     TEXT COLLATE "C" NOT NULL,
    user_id        TEXT COLLATE "C" NOT NULL REFERENCES iam_users (user_id) ON DELETE CASCADE,
    body           TEXT COLLATE "C" NOT NULL,
    fingerprint    TEXT COLLATE "C" NOT NULL,
    status         TEXT COLLATE "C" NOT NULL,
    uploaded_at    BIGINT
);
CREATE UNIQUE INDEX iam_signing_certificates_fp ON iam_signing_certificates (account_id, fingerprint);
CREATE INDEX iam_signing_certificates_by_user ON iam_signing_certificates (user_id);

CREATE TABLE iam_server_certificates (
    certificate_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id     TEXT COLLATE "C" NOT NULL,
    name           TEXT COLLATE "C" NOT NULL,
    name_key       TEXT COLLATE "C" NOT NULL,
    path           TEXT COLLATE "C" NOT NULL,
    arn            TEXT COLLATE "C" NOT NULL,
    body           TEXT COLLATE "C" NOT NULL,
    chain          TEXT COLLATE "C" NOT NULL,
    private_key    TEXT COLLATE "C" NOT NULL,
    expiration     BIGINT,
    tags           TEXT COLLATE "C" NOT NULL,
    uploaded_at    BIGINT
);
CREATE UNIQUE INDEX iam_server_certificates_name ON iam_server_certificates (account_id, name_key);

CREATE TABLE iam_service_credentials (
    credential_id     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id        TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C" NOT NULL REFERENCES iam_users (user_id) ON DELETE CASCADE,
    service_name      TEXT COLLATE "C" NOT NULL,
    service_user_name TEXT COLLATE "C" NOT NULL,
    password_hash     TEXT COLLATE "C" NOT NULL,
    status            TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT,
    expires_at        BIGINT
);
CREATE INDEX iam_service_credentials_by_user ON iam_service_credentials (user_id);
