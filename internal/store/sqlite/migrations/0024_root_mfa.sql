-- 0024_root_mfa: a virtual MFA device may be assigned to the account's root
-- user (EnableMFADevice without UserName, as root); user_id stays NULL then.
ALTER TABLE iam_mfa_devices ADD COLUMN root_user INTEGER NOT NULL DEFAULT 0;
