-- PostgreSQL version of internal/store/sqlite/migrations/0011_applications.sql: the same
-- tables, constraints, unique indexes and cascades; keys are TEXT COLLATE "C" so
-- that they order and compare bytewise as in SQLite.

-- 0011_applications: Identity Center applications, their assignments and
-- settings (access scopes, grants, authentication methods, session
-- configuration), instance settings (access control attributes) and trusted
-- token issuers.

CREATE TABLE sso_applications (
    arn                 TEXT COLLATE "C" PRIMARY KEY,
    instance_arn        TEXT COLLATE "C" NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    provider_arn        TEXT COLLATE "C" NOT NULL,
    name                TEXT COLLATE "C" NOT NULL,
    description         TEXT COLLATE "C" NOT NULL,
    account_id          TEXT COLLATE "C" NOT NULL,
    status              TEXT COLLATE "C" NOT NULL,
    visibility          TEXT COLLATE "C" NOT NULL,
    sign_in_origin      TEXT COLLATE "C" NOT NULL,
    application_url     TEXT COLLATE "C" NOT NULL,
    assignment_required INTEGER NOT NULL,
    created_at          BIGINT
);
CREATE INDEX sso_applications_by_instance ON sso_applications (instance_arn, arn);

-- akey orders and pages the lists: application, principal type, principal id.
CREATE TABLE sso_application_assignments (
    application_arn TEXT COLLATE "C" NOT NULL REFERENCES sso_applications (arn) ON DELETE CASCADE,
    instance_arn    TEXT COLLATE "C" NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    principal_type  TEXT COLLATE "C" NOT NULL,
    principal_id    TEXT COLLATE "C" NOT NULL,
    akey            TEXT COLLATE "C" NOT NULL,
    created_at      BIGINT,
    PRIMARY KEY (application_arn, principal_type, principal_id)
);
CREATE INDEX sso_application_assignments_by_key ON sso_application_assignments (instance_arn, akey);
CREATE INDEX sso_application_assignments_by_principal ON sso_application_assignments (instance_arn, principal_id, akey);

-- resource_arn is an instance or an application (not a foreign key: it names
-- records of different tables; DeleteApplication removes its settings).
CREATE TABLE sso_settings (
    instance_arn TEXT COLLATE "C" NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    resource_arn TEXT COLLATE "C" NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL,
    skey         TEXT COLLATE "C" NOT NULL,
    value        TEXT COLLATE "C" NOT NULL,
    updated_at   BIGINT,
    PRIMARY KEY (resource_arn, kind, skey)
);

CREATE TABLE sso_trusted_token_issuers (
    arn                           TEXT COLLATE "C" PRIMARY KEY,
    instance_arn                  TEXT COLLATE "C" NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    name                          TEXT COLLATE "C" NOT NULL,
    name_key                      TEXT COLLATE "C" NOT NULL,
    issuer_type                   TEXT COLLATE "C" NOT NULL,
    issuer_url                    TEXT COLLATE "C" NOT NULL,
    claim_attribute_path          TEXT COLLATE "C" NOT NULL,
    identity_store_attribute_path TEXT COLLATE "C" NOT NULL,
    jwks_retrieval_option         TEXT COLLATE "C" NOT NULL,
    created_at                    BIGINT
);
CREATE UNIQUE INDEX sso_trusted_token_issuers_name ON sso_trusted_token_issuers (instance_arn, name_key);
