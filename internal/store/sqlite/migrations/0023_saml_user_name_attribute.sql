-- The assertion attribute whose value is matched to the identity store
-- user name at a SAML sign-in ('' = the NameID).
ALTER TABLE identity_sources ADD COLUMN user_name_attribute TEXT NOT NULL DEFAULT '';

-- The IdP's subject of each user's latest SAML sign-in (NameID, its format
-- and the SessionIndex), for single logout: idcenter's LogoutRequest names
-- it, and an IdP's LogoutRequest is matched to users by it. Kept until
-- expires_at (the end of the portal session it started).
CREATE TABLE saml_subjects (
    identity_store_id TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    name_id           TEXT NOT NULL,
    name_id_format    TEXT NOT NULL,
    session_index     TEXT NOT NULL,
    expires_at        BIGINT NOT NULL,
    PRIMARY KEY (identity_store_id, user_id)
);
CREATE INDEX saml_subjects_name_id ON saml_subjects (identity_store_id, name_id);
CREATE INDEX saml_subjects_expiry ON saml_subjects (expires_at);
