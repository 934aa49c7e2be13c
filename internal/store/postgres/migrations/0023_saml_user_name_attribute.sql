-- The assertion attribute whose value is matched to the identity store
-- user name at a SAML sign-in ('' = the NameID).
ALTER TABLE identity_sources ADD COLUMN user_name_attribute TEXT NOT NULL DEFAULT '';
