-- The identity source of each Identity Center instance (the identity store,
-- or an external SAML 2.0 IdP with its metadata and idcenter's SP key pair),
-- SP-initiated SAML sign-ins waiting for the IdP's response (found by the
-- SHA-256 of their RelayState) and the ids of consumed assertions (replay
-- protection, kept until the assertion expires).
CREATE TABLE identity_sources (
    instance_arn        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    source_type         TEXT NOT NULL,
    idp_metadata        TEXT NOT NULL,
    metadata_source     TEXT NOT NULL,
    sp_base_url         TEXT NOT NULL,
    allow_idp_initiated INTEGER NOT NULL,
    sp_key              TEXT NOT NULL,
    sp_certificate      TEXT NOT NULL,
    updated_at          BIGINT
);

CREATE TABLE saml_requests (
    relay_state_hash BYTEA NOT NULL PRIMARY KEY,
    request_id       TEXT NOT NULL,
    next_path        TEXT NOT NULL,
    expires_at       BIGINT NOT NULL
);
CREATE INDEX saml_requests_expiry ON saml_requests (expires_at);

CREATE TABLE saml_assertions (
    assertion_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX saml_assertions_expiry ON saml_assertions (expires_at);
