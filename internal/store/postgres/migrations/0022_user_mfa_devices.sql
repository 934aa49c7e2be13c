-- 0022_user_mfa_devices: whether users may register and delete their own
-- MFA devices in the access portal (AWS's "Users can add and manage their
-- own MFA devices"; allowed by default, as in AWS).
ALTER TABLE signin_mfa_settings ADD COLUMN users_manage_devices INTEGER NOT NULL DEFAULT 1;
