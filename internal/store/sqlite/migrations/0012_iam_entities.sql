-- 0012_iam_entities: instance profiles (with their one role), IAM users' SSH
-- public keys, signing certificates and service-specific credentials (only
-- the passwords' hashes), and server certificates (private keys as given:
-- never returned by the API). A user's keys, certificates and credentials go
-- with the user; a deleted role leaves its instance profiles empty.

CREATE TABLE iam_instance_profiles (
    profile_id   TEXT NOT NULL PRIMARY KEY,
    account_id   TEXT NOT NULL,
    profile_name TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    path         TEXT NOT NULL,
    arn          TEXT NOT NULL,
    role_id      TEXT REFERENCES iam_roles (role_id) ON DELETE SET NULL,
    tags         TEXT NOT NULL,
    created_at   BIGINT
);
CREATE UNIQUE INDEX iam_instance_profiles_name ON iam_instance_profiles (account_id, name_key);
CREATE INDEX iam_instance_profiles_by_role ON iam_instance_profiles (role_id);

CREATE TABLE iam_ssh_public_keys (
    key_id      TEXT NOT NULL PRIMARY KEY,
    account_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES iam_users (user_id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      TEXT NOT NULL,
    uploaded_at BIGINT
);
CREATE INDEX iam_ssh_public_keys_by_user ON iam_ssh_public_keys (user_id);

CREATE TABLE iam_signing_certificates (
    certificate_id TEXT NOT NULL PRIMARY KEY,
    account_id     TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES iam_users (user_id) ON DELETE CASCADE,
    body           TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    status         TEXT NOT NULL,
    uploaded_at    BIGINT
);
CREATE UNIQUE INDEX iam_signing_certificates_fp ON iam_signing_certificates (account_id, fingerprint);
CREATE INDEX iam_signing_certificates_by_user ON iam_signing_certificates (user_id);

CREATE TABLE iam_server_certificates (
    certificate_id TEXT NOT NULL PRIMARY KEY,
    account_id     TEXT NOT NULL,
    name           TEXT NOT NULL,
    name_key       TEXT NOT NULL,
    path           TEXT NOT NULL,
    arn            TEXT NOT NULL,
    body           TEXT NOT NULL,
    chain          TEXT NOT NULL,
    private_key    TEXT NOT NULL,
    expiration     BIGINT,
    tags           TEXT NOT NULL,
    uploaded_at    BIGINT
);
CREATE UNIQUE INDEX iam_server_certificates_name ON iam_server_certificates (account_id, name_key);

CREATE TABLE iam_service_credentials (
    credential_id     TEXT NOT NULL PRIMARY KEY,
    account_id        TEXT NOT NULL,
    user_id           TEXT NOT NULL REFERENCES iam_users (user_id) ON DELETE CASCADE,
    service_name      TEXT NOT NULL,
    service_user_name TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    status            TEXT NOT NULL,
    created_at        BIGINT,
    expires_at        BIGINT
);
CREATE INDEX iam_service_credentials_by_user ON iam_service_credentials (user_id);
