-- 0017_webauthn: WebAuthn security keys and passkeys of identity store users,
-- the WebAuthn ceremony a portal sign-in is in, the browser (user agent and
-- address, as a hash) a known MFA context was made in, the instances'
-- allowed MFA types and portal session lifetime, and the role sessions issued
-- through the portal (so that they end with the user's access).
CREATE TABLE signin_webauthn_credentials (
    credential_id     BLOB NOT NULL PRIMARY KEY,
    identity_store_id TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    name              TEXT NOT NULL,
    data              BLOB NOT NULL, -- the credential as JSON: public key, flags, AAGUID (no secret)
    sign_count        BIGINT NOT NULL,
    created_at        BIGINT,
    last_used_at      BIGINT,
    FOREIGN KEY (identity_store_id, user_id) REFERENCES users (identity_store_id, user_id) ON DELETE CASCADE
);
CREATE INDEX signin_webauthn_credentials_user ON signin_webauthn_credentials (identity_store_id, user_id, created_at);

ALTER TABLE signin_web_sessions ADD COLUMN ceremony BLOB;
ALTER TABLE signin_known_contexts ADD COLUMN client_hash BLOB;
ALTER TABLE signin_mfa_settings ADD COLUMN types TEXT NOT NULL DEFAULT '';
ALTER TABLE signin_mfa_settings ADD COLUMN session_seconds BIGINT NOT NULL DEFAULT 0;

CREATE TABLE sso_role_sessions (
    access_key_id      TEXT NOT NULL PRIMARY KEY REFERENCES access_keys (access_key_id) ON DELETE CASCADE,
    identity_store_id  TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    account_id         TEXT NOT NULL,
    permission_set_arn TEXT NOT NULL,
    expires_at         BIGINT NOT NULL
);
CREATE INDEX sso_role_sessions_user ON sso_role_sessions (identity_store_id, user_id);
