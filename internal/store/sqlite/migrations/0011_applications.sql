-- 0011_applications: Identity Center applications, their assignments and
-- settings (access scopes, grants, authentication methods, session
-- configuration), instance settings (access control attributes) and trusted
-- token issuers. Same portable SQL as 0001.

CREATE TABLE sso_applications (
    arn                 TEXT PRIMARY KEY,
    instance_arn        TEXT NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    provider_arn        TEXT NOT NULL,
    name                TEXT NOT NULL,
    description         TEXT NOT NULL,
    account_id          TEXT NOT NULL,
    status              TEXT NOT NULL,
    visibility          TEXT NOT NULL,
    sign_in_origin      TEXT NOT NULL,
    application_url     TEXT NOT NULL,
    assignment_required INTEGER NOT NULL,
    created_at          BIGINT
);
CREATE INDEX sso_applications_by_instance ON sso_applications (instance_arn, arn);

-- akey orders and pages the lists: application, principal type, principal id.
CREATE TABLE sso_application_assignments (
    application_arn TEXT NOT NULL REFERENCES sso_applications (arn) ON DELETE CASCADE,
    instance_arn    TEXT NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    principal_type  TEXT NOT NULL,
    principal_id    TEXT NOT NULL,
    akey            TEXT NOT NULL,
    created_at      BIGINT,
    PRIMARY KEY (application_arn, principal_type, principal_id)
);
CREATE INDEX sso_application_assignments_by_key ON sso_application_assignments (instance_arn, akey);
CREATE INDEX sso_application_assignments_by_principal ON sso_application_assignments (instance_arn, principal_id, akey);

-- resource_arn is an instance or an application (not a foreign key: it names
-- records of different tables; DeleteApplication removes its settings).
CREATE TABLE sso_settings (
    instance_arn TEXT NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    resource_arn TEXT NOT NULL,
    kind         TEXT NOT NULL,
    skey         TEXT NOT NULL,
    value        TEXT NOT NULL,
    updated_at   BIGINT,
    PRIMARY KEY (resource_arn, kind, skey)
);

CREATE TABLE sso_trusted_token_issuers (
    arn                           TEXT PRIMARY KEY,
    instance_arn                  TEXT NOT NULL REFERENCES instances (arn) ON DELETE CASCADE,
    name                          TEXT NOT NULL,
    name_key                      TEXT NOT NULL,
    issuer_type                   TEXT NOT NULL,
    issuer_url                    TEXT NOT NULL,
    claim_attribute_path          TEXT NOT NULL,
    identity_store_attribute_path TEXT NOT NULL,
    jwks_retrieval_option         TEXT NOT NULL,
    created_at                    BIGINT
);
CREATE UNIQUE INDEX sso_trusted_token_issuers_name ON sso_trusted_token_issuers (instance_arn, name_key);
