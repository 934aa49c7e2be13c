package sqlstore

import (
	"context"
	"database/sql"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- account alias ----

func (t *tx) SetIAMAccountAlias(ctx context.Context, accountID, alias string) error {
	_, err := t.exec(ctx, "store: set account alias "+alias,
		`INSERT INTO iam_account_aliases (account_id, alias) VALUES (?, ?)
		 ON CONFLICT (account_id) DO UPDATE SET alias = excluded.alias`, accountID, alias)
	return err
}

func (t *tx) GetIAMAccountAlias(ctx context.Context, accountID string) (string, error) {
	return collectOne(ctx, t, "store: get account alias of "+accountID,
		`SELECT alias FROM iam_account_aliases WHERE account_id = ?`, []any{accountID},
		func(sc scanner) (string, error) {
			var s string
			err := sc.Scan(&s)
			return s, err
		})
}

func (t *tx) DeleteIAMAccountAlias(ctx context.Context, accountID, alias string) error {
	return t.execAffect(ctx, "store: delete account alias "+alias,
		`DELETE FROM iam_account_aliases WHERE account_id = ? AND alias = ?`, accountID, alias)
}

// ---- password policy ----

const pwPolicyCols = `account_id, min_length, require_symbols, require_numbers, require_uppercase, require_lowercase,
	allow_users_change, max_age_days, reuse_prevention, hard_expiry`

func (t *tx) PutIAMPasswordPolicy(ctx context.Context, p store.IAMPasswordPolicy) error {
	_, err := t.exec(ctx, "store: put password policy of "+p.AccountID,
		`INSERT INTO iam_password_policies (`+pwPolicyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (account_id) DO UPDATE SET min_length = excluded.min_length, require_symbols = excluded.require_symbols,
		 require_numbers = excluded.require_numbers, require_uppercase = excluded.require_uppercase,
		 require_lowercase = excluded.require_lowercase, allow_users_change = excluded.allow_users_change,
		 max_age_days = excluded.max_age_days, reuse_prevention = excluded.reuse_prevention, hard_expiry = excluded.hard_expiry`,
		p.AccountID, p.MinimumPasswordLength, boolInt(p.RequireSymbols), boolInt(p.RequireNumbers),
		boolInt(p.RequireUppercaseCharacters), boolInt(p.RequireLowercaseCharacters), boolInt(p.AllowUsersToChangePassword),
		p.MaxPasswordAge, p.PasswordReusePrevention, boolInt(p.HardExpiry))
	return err
}

func (t *tx) GetIAMPasswordPolicy(ctx context.Context, accountID string) (store.IAMPasswordPolicy, error) {
	return collectOne(ctx, t, "store: get password policy of "+accountID,
		`SELECT `+pwPolicyCols+` FROM iam_password_policies WHERE account_id = ?`, []any{accountID},
		func(sc scanner) (store.IAMPasswordPolicy, error) {
			var p store.IAMPasswordPolicy
			var sym, num, up, low, allow, hard int
			err := sc.Scan(&p.AccountID, &p.MinimumPasswordLength, &sym, &num, &up, &low, &allow, &p.MaxPasswordAge,
				&p.PasswordReusePrevention, &hard)
			p.RequireSymbols, p.RequireNumbers, p.RequireUppercaseCharacters = sym != 0, num != 0, up != 0
			p.RequireLowercaseCharacters, p.AllowUsersToChangePassword, p.HardExpiry = low != 0, allow != 0, hard != 0
			return p, err
		})
}

func (t *tx) DeleteIAMPasswordPolicy(ctx context.Context, accountID string) error {
	return t.execAffect(ctx, "store: delete password policy of "+accountID,
		`DELETE FROM iam_password_policies WHERE account_id = ?`, accountID)
}

// ---- login profiles ----

const loginProfileCols = `account_id, user_id, password_hash, reset_required, created_at, password_changed_at`

func (t *tx) CreateIAMLoginProfile(ctx context.Context, p store.IAMLoginProfile) error {
	_, err := t.exec(ctx, "store: create login profile of "+p.UserID,
		`INSERT INTO iam_login_profiles (`+loginProfileCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		p.AccountID, p.UserID, p.PasswordHash, boolInt(p.PasswordResetRequired), toDB(p.CreatedAt), toDB(p.PasswordChangedAt))
	return err
}

func (t *tx) GetIAMLoginProfile(ctx context.Context, userID string) (store.IAMLoginProfile, error) {
	return collectOne(ctx, t, "store: get login profile of "+userID,
		`SELECT `+loginProfileCols+` FROM iam_login_profiles WHERE user_id = ?`, []any{userID},
		func(sc scanner) (store.IAMLoginProfile, error) {
			var p store.IAMLoginProfile
			var reset int
			var cat, pat sql.NullInt64
			err := sc.Scan(&p.AccountID, &p.UserID, &p.PasswordHash, &reset, &cat, &pat)
			p.PasswordResetRequired, p.CreatedAt, p.PasswordChangedAt = reset != 0, fromDB(cat), fromDB(pat)
			return p, err
		})
}

func (t *tx) ReplaceIAMLoginProfile(ctx context.Context, p store.IAMLoginProfile) error {
	return t.execAffect(ctx, "store: replace login profile of "+p.UserID,
		`UPDATE iam_login_profiles SET password_hash = ?, reset_required = ?, created_at = ?, password_changed_at = ?
		 WHERE user_id = ?`,
		p.PasswordHash, boolInt(p.PasswordResetRequired), toDB(p.CreatedAt), toDB(p.PasswordChangedAt), p.UserID)
}

func (t *tx) DeleteIAMLoginProfile(ctx context.Context, userID string) error {
	return t.execAffect(ctx, "store: delete login profile of "+userID,
		`DELETE FROM iam_login_profiles WHERE user_id = ?`, userID)
}

// ---- virtual MFA devices ----

const mfaCols = `d.serial_number, d.account_id, d.device_name, d.path, d.secret, COALESCE(d.user_id, ''),
	COALESCE(u.user_name, ''), COALESCE(u.arn, ''), d.enabled_at, d.last_used_step, d.tags, d.created_at, d.root_user`

const mfaFrom = ` FROM iam_mfa_devices d LEFT JOIN iam_users u ON u.user_id = d.user_id`

func scanMFA(sc scanner) (store.IAMMFADevice, error) {
	var d store.IAMMFADevice
	var tags string
	var eat, cat sql.NullInt64
	var root int
	if err := sc.Scan(&d.SerialNumber, &d.AccountID, &d.DeviceName, &d.Path, &d.Secret, &d.UserID, &d.UserName, &d.UserARN, &eat,
		&d.LastUsedStep, &tags, &cat, &root); err != nil {
		return d, err
	}
	d.Root = root != 0
	d.EnabledAt, d.CreatedAt = fromDB(eat), fromDB(cat)
	var err error
	d.Tags, err = tagsFromDB(tags)
	return d, err
}

// nullID stores an empty id as NULL (no assignment).
func nullID(id string) any {
	if id == "" {
		return nil
	}
	return id
}

func (t *tx) CreateIAMMFADevice(ctx context.Context, d store.IAMMFADevice) error {
	tags, err := tagsToDB(d.Tags)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "store: create mfa device "+d.SerialNumber,
		`INSERT INTO iam_mfa_devices (serial_number, account_id, device_name, name_key, path, secret, user_id, enabled_at,
		 last_used_step, tags, created_at, root_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.SerialNumber, d.AccountID, d.DeviceName, lower(d.DeviceName), d.Path, d.Secret, nullID(d.UserID), toDB(d.EnabledAt),
		d.LastUsedStep, tags, toDB(d.CreatedAt), boolInt(d.Root))
	return err
}

func (t *tx) GetIAMMFADevice(ctx context.Context, serial string) (store.IAMMFADevice, error) {
	return collectOne(ctx, t, "store: get mfa device "+serial,
		`SELECT `+mfaCols+mfaFrom+` WHERE d.serial_number = ?`, []any{serial}, scanMFA)
}

func (t *tx) ReplaceIAMMFADevice(ctx context.Context, d store.IAMMFADevice) error {
	tags, err := tagsToDB(d.Tags)
	if err != nil {
		return err
	}
	return t.execAffect(ctx, "store: replace mfa device "+d.SerialNumber,
		`UPDATE iam_mfa_devices SET user_id = ?, enabled_at = ?, last_used_step = ?, tags = ?, root_user = ? WHERE serial_number = ?`,
		nullID(d.UserID), toDB(d.EnabledAt), d.LastUsedStep, tags, boolInt(d.Root), d.SerialNumber)
}

func (t *tx) DeleteIAMMFADevice(ctx context.Context, serial string) error {
	return t.execAffect(ctx, "store: delete mfa device "+serial,
		`DELETE FROM iam_mfa_devices WHERE serial_number = ?`, serial)
}

func (t *tx) ListIAMMFADevices(ctx context.Context, accountID string) ([]store.IAMMFADevice, error) {
	return collect(ctx, t, "store: list mfa devices",
		`SELECT `+mfaCols+mfaFrom+` WHERE d.account_id = ? ORDER BY d.serial_number`, []any{accountID}, scanMFA)
}

func (t *tx) ListIAMMFADevicesForUser(ctx context.Context, userID string) ([]store.IAMMFADevice, error) {
	return collect(ctx, t, "store: list mfa devices of "+userID,
		`SELECT `+mfaCols+mfaFrom+` WHERE d.user_id = ? ORDER BY d.serial_number`, []any{userID}, scanMFA)
}

// ---- counts ----

func (t *tx) CountIAMAccount(ctx context.Context, accountID string) (store.IAMAccountCounts, error) {
	return collectOne(ctx, t, "store: count iam records of "+accountID,
		`SELECT
		  (SELECT COUNT(*) FROM iam_users WHERE account_id = ?),
		  (SELECT COUNT(*) FROM iam_groups WHERE account_id = ?),
		  (SELECT COUNT(*) FROM iam_roles WHERE account_id = ?),
		  (SELECT COUNT(*) FROM iam_policies WHERE account_id = ?),
		  (SELECT COUNT(*) FROM iam_attachments WHERE account_id = ?),
		  (SELECT COUNT(*) FROM iam_mfa_devices WHERE account_id = ?),
		  (SELECT COUNT(*) FROM iam_mfa_devices WHERE account_id = ? AND (user_id IS NOT NULL OR root_user <> 0)),
		  (SELECT COUNT(*) FROM access_keys WHERE account_id = ? AND principal_arn = ?),
		  (SELECT COUNT(*) FROM iam_mfa_devices WHERE account_id = ? AND root_user <> 0)`,
		[]any{accountID, accountID, accountID, accountID, accountID, accountID, accountID, accountID,
			"arn:aws:iam::" + accountID + ":root", accountID},
		func(sc scanner) (store.IAMAccountCounts, error) {
			var c store.IAMAccountCounts
			err := sc.Scan(&c.Users, &c.Groups, &c.Roles, &c.Policies, &c.PolicyVersionsInUse, &c.MFADevices,
				&c.MFADevicesInUse, &c.RootAccessKeys, &c.RootMFADevices)
			return c, err
		})
}
