package iam

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// IAM error codes of login profiles.
const (
	CodePasswordPolicyViolation = "PasswordPolicyViolation"
	CodeInvalidUserType         = "InvalidUserType"
)

// argon2id costs of login profile passwords (OWASP's recommendation, as the
// portal sign-in uses).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

func policyViolation(format string, args ...any) error {
	return &fault.Error{Kind: fault.Validation, Reason: CodePasswordPolicyViolation, Message: fmt.Sprintf(format, args...)}
}

func invalidUserType(format string, args ...any) error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeInvalidUserType, Message: fmt.Sprintf(format, args...)}
}

func (s *Service) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

// hashPassword returns the PHC string of the password's argon2id hash.
func (s *Service) hashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := io.ReadFull(s.rand(), salt); err != nil {
		return "", fmt.Errorf("iam: password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// verifyPassword reports whether password matches a PHC argon2id string.
func verifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("iam: stored password hash is not argon2id")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("iam: stored password hash parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("iam: stored password salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("iam: stored password hash: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// checkPassword checks a password against the account's custom policy, or
// against AWS's default policy when the account has none (8 to 128
// characters, at least three of upper case, lower case, numbers and symbols).
func checkPassword(p *store.IAMPasswordPolicy, password string) error {
	var upper, lower, digit, symbol bool
	for _, r := range password {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case r > ' ' && r <= '~':
			symbol = true
		}
	}
	n := len([]rune(password))
	if n > MaxPasswordLength {
		return policyViolation("Password should have a maximum length of %d", MaxPasswordLength)
	}
	if p == nil {
		kinds := 0
		for _, b := range []bool{upper, lower, digit, symbol} {
			kinds += boolCount(b)
		}
		if n < 8 || kinds < 3 {
			return policyViolation("Password does not conform to the account password policy. It must be at least 8 characters long and contain at least three of: upper case letters, lower case letters, numbers and symbols.")
		}
		return nil
	}
	switch {
	case n < p.MinimumPasswordLength:
		return policyViolation("Password should have a minimum length of %d", p.MinimumPasswordLength)
	case p.RequireUppercaseCharacters && !upper:
		return policyViolation("Password should have at least one uppercase letter")
	case p.RequireLowercaseCharacters && !lower:
		return policyViolation("Password should have at least one lowercase letter")
	case p.RequireNumbers && !digit:
		return policyViolation("Password should have at least one number")
	case p.RequireSymbols && !symbol:
		return policyViolation("Password should have at least one symbol")
	}
	return nil
}

// accountPolicy reads the account's password policy; nil when none is set.
func accountPolicy(ctx context.Context, tx store.Tx, acct string) (*store.IAMPasswordPolicy, error) {
	p, err := tx.GetIAMPasswordPolicy(ctx, acct)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

func loginProfileNotFound(user string) error {
	return noSuchEntity("Login Profile for User %s cannot be found.", user)
}

// userForSelf resolves an optional user name to the calling IAM user.
func userForSelf(c Caller, name string) (string, error) { return userForKeys(c, name) }

// CreateLoginProfile gives a user a console password, checked against the
// account's password policy and stored as an argon2id hash only.
func (s *Service) CreateLoginProfile(ctx context.Context, c Caller, name, password string, resetRequired bool) (store.IAMLoginProfile, string, error) {
	name, err := userForSelf(c, name)
	if err != nil {
		return store.IAMLoginProfile{}, "", err
	}
	if password == "" {
		return store.IAMLoginProfile{}, "", invalidInput("Password is required to create a login profile.")
	}
	// Hashed before the transaction: argon2id is slow on purpose.
	h, err := s.hashPassword(password)
	if err != nil {
		return store.IAMLoginProfile{}, "", err
	}
	var lp store.IAMLoginProfile
	var userName string
	err = s.update(ctx, "create login profile", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		userName = u.UserName
		pol, err := accountPolicy(ctx, tx, c.AccountID)
		if err != nil {
			return err
		}
		if err := checkPassword(pol, password); err != nil {
			return err
		}
		now := s.now()
		lp = store.IAMLoginProfile{AccountID: c.AccountID, UserID: u.UserID, PasswordHash: h, PasswordResetRequired: resetRequired,
			CreatedAt: now, PasswordChangedAt: now}
		return existsAs(tx.CreateIAMLoginProfile(ctx, lp), func() error {
			return alreadyExists("Login Profile for user %s already exists.", u.UserName)
		})
	})
	return lp, userName, err
}

// GetLoginProfile returns a user's login profile (the caller's when name is empty).
func (s *Service) GetLoginProfile(ctx context.Context, c Caller, name string) (store.IAMLoginProfile, string, error) {
	name, err := userForSelf(c, name)
	if err != nil {
		return store.IAMLoginProfile{}, "", err
	}
	var lp store.IAMLoginProfile
	var userName string
	err = s.view(ctx, "get login profile", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		userName = u.UserName
		lp, err = tx.GetIAMLoginProfile(ctx, u.UserID)
		return notFoundAs(err, func() error { return loginProfileNotFound(u.UserName) })
	})
	return lp, userName, err
}

// UpdateLoginProfile changes a user's password and/or its reset flag (nil = unchanged).
func (s *Service) UpdateLoginProfile(ctx context.Context, c Caller, name string, password *string, resetRequired *bool) error {
	name, err := userForSelf(c, name)
	if err != nil {
		return err
	}
	return s.update(ctx, "update login profile", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		lp, err := tx.GetIAMLoginProfile(ctx, u.UserID)
		if err != nil {
			return notFoundAs(err, func() error { return loginProfileNotFound(u.UserName) })
		}
		if password != nil {
			if err := s.setPassword(ctx, tx, &lp, *password); err != nil {
				return err
			}
		}
		if resetRequired != nil {
			lp.PasswordResetRequired = *resetRequired
		}
		return tx.ReplaceIAMLoginProfile(ctx, lp)
	})
}

// setPassword checks a new password against the account's policy (and, when
// the policy prevents reuse, against the current password) and sets it.
func (s *Service) setPassword(ctx context.Context, tx store.Tx, lp *store.IAMLoginProfile, password string) error {
	pol, err := accountPolicy(ctx, tx, lp.AccountID)
	if err != nil {
		return err
	}
	if err := checkPassword(pol, password); err != nil {
		return err
	}
	if pol != nil && pol.PasswordReusePrevention > 0 {
		if same, err := verifyPassword(lp.PasswordHash, password); err != nil || same {
			return errors.Join(err, policyViolationIf(same, "Password was used previously"))
		}
	}
	h, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	lp.PasswordHash, lp.PasswordChangedAt = h, s.now()
	return nil
}

func policyViolationIf(cond bool, msg string) error {
	if !cond {
		return nil
	}
	return policyViolation("%s", msg)
}

// DeleteLoginProfile removes a user's console password.
func (s *Service) DeleteLoginProfile(ctx context.Context, c Caller, name string) error {
	name, err := userForSelf(c, name)
	if err != nil {
		return err
	}
	return s.update(ctx, "delete login profile", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		return notFoundAs(tx.DeleteIAMLoginProfile(ctx, u.UserID), func() error { return loginProfileNotFound(u.UserName) })
	})
}

// ChangePassword changes the calling IAM user's own password: the old one
// must match, the new one must meet the account's policy; a pending reset is
// cleared.
func (s *Service) ChangePassword(ctx context.Context, c Caller, oldPassword, newPassword string) error {
	if c.UserName == "" {
		return invalidUserType("Only IAM users can change their own password with ChangePassword.")
	}
	return s.update(ctx, "change password", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, c.UserName)
		if err != nil {
			return err
		}
		lp, err := tx.GetIAMLoginProfile(ctx, u.UserID)
		if err != nil {
			return notFoundAs(err, func() error { return loginProfileNotFound(u.UserName) })
		}
		ok, err := verifyPassword(lp.PasswordHash, oldPassword)
		if err != nil {
			return err
		}
		if !ok {
			return invalidUserType("The old password is incorrect.")
		}
		if err := s.setPassword(ctx, tx, &lp, newPassword); err != nil {
			return err
		}
		lp.PasswordResetRequired = false
		return tx.ReplaceIAMLoginProfile(ctx, lp)
	})
}
