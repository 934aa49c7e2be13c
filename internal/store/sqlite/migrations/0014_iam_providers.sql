-- 0014_iam_providers: IAM SAML 2.0 and OpenID Connect identity providers.
-- Lists (client ids, thumbprints, private keys, tags) are JSON arrays.
-- SAML private keys are kept as uploaded: they decrypt encrypted assertions.

CREATE TABLE iam_saml_providers (
    arn                TEXT NOT NULL PRIMARY KEY,
    account_id         TEXT NOT NULL,
    name               TEXT NOT NULL,
    uuid               TEXT NOT NULL,
    metadata           TEXT NOT NULL,
    valid_until        BIGINT,
    encryption_mode    TEXT NOT NULL,
    private_keys       TEXT NOT NULL,
    tags               TEXT NOT NULL,
    created_at         BIGINT
);
CREATE INDEX iam_saml_providers_by_account ON iam_saml_providers (account_id, arn);

CREATE TABLE iam_oidc_providers (
    arn          TEXT NOT NULL PRIMARY KEY,
    account_id   TEXT NOT NULL,
    url          TEXT NOT NULL,
    client_ids   TEXT NOT NULL,
    thumbprints  TEXT NOT NULL,
    tags         TEXT NOT NULL,
    created_at   BIGINT
);
CREATE INDEX iam_oidc_providers_by_account ON iam_oidc_providers (account_id, arn);

-- When an STS session's MFA was verified (aws:MultiFactorAuthAge); NULL
-- without MFA.
ALTER TABLE sts_sessions ADD COLUMN mfa_auth_at BIGINT;
