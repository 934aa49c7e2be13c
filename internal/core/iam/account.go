package iam

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// Account settings: the account alias, the password policy and the account
// summary.

// AliasPattern is AccountAlias's pattern in the IAM API reference.
const AliasPattern = `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`

// ValidAlias reports whether alias matches AliasPattern.
func ValidAlias(alias string) bool { return checkAlias(alias) == nil }

// aliasPattern is the AccountAlias pattern of the IAM API reference, without
// its look-ahead (Go's regexp has none): double dashes are checked apart.
var aliasPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

func checkAlias(alias string) error {
	if !aliasPattern.MatchString(alias) || strings.Contains(alias, "--") {
		return invalidInput("The specified value for accountAlias is invalid. It must contain only lowercase letters, digits and dashes, must not start or end with a dash nor contain two dashes in a row, and must be 3 to 63 characters long.")
	}
	return nil
}

// CreateAccountAlias sets the account's alias; an account has one alias, so a
// new one replaces the old. EntityAlreadyExists when another account has it.
func (s *Service) CreateAccountAlias(ctx context.Context, c Caller, alias string) error {
	if err := checkAlias(alias); err != nil {
		return err
	}
	return s.update(ctx, "create account alias", func(tx store.Tx) error {
		return existsAs(tx.SetIAMAccountAlias(ctx, c.AccountID, alias), func() error {
			return alreadyExists("The account alias %s already exists.", alias)
		})
	})
}

// DeleteAccountAlias removes the account's alias; NoSuchEntity when the
// account does not have that alias.
func (s *Service) DeleteAccountAlias(ctx context.Context, c Caller, alias string) error {
	return s.update(ctx, "delete account alias", func(tx store.Tx) error {
		return notFoundAs(tx.DeleteIAMAccountAlias(ctx, c.AccountID, alias), func() error {
			return noSuchEntity("The account alias %s cannot be found.", alias)
		})
	})
}

// ListAccountAliases lists the account's alias (none or one).
func (s *Service) ListAccountAliases(ctx context.Context, c Caller, marker string, max int) (Page[string], error) {
	var aliases []string
	err := s.view(ctx, "list account aliases", func(tx store.Tx) error {
		a, err := tx.GetIAMAccountAlias(ctx, c.AccountID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		aliases = append(aliases, a)
		return err
	})
	if err != nil {
		return Page[string]{}, err
	}
	return pageSlice(aliases, marker, max, func(a string) string { return a })
}

// AccountAlias returns the account's alias, empty when it has none.
func (s *Service) AccountAlias(ctx context.Context, accountID string) (string, error) {
	var alias string
	err := s.view(ctx, "get account alias", func(tx store.Tx) error {
		a, err := tx.GetIAMAccountAlias(ctx, accountID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		alias = a
		return err
	})
	return alias, err
}

// ---- password policy ----

// Password policy bounds (UpdateAccountPasswordPolicy).
const (
	DefaultMinPasswordLength = 6 // when UpdateAccountPasswordPolicy does not give one
	MinPasswordLength        = 6
	MaxPasswordLength        = 128
	MaxPasswordAgeDays       = 1095
	MaxPasswordReuse         = 24
)

// PasswordPolicyInput is UpdateAccountPasswordPolicy's input: nil fields take
// AWS's defaults (length 6, every requirement off, no expiry, no reuse rule).
type PasswordPolicyInput struct {
	MinimumPasswordLength      *int
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercaseCharacters bool
	RequireLowercaseCharacters bool
	AllowUsersToChangePassword bool
	MaxPasswordAge             *int
	PasswordReusePrevention    *int
	HardExpiry                 bool
}

// UpdateAccountPasswordPolicy sets the account's password policy; the
// parameters not given take their defaults (as in AWS, the call replaces the
// whole policy).
func (s *Service) UpdateAccountPasswordPolicy(ctx context.Context, c Caller, in PasswordPolicyInput) error {
	p := store.IAMPasswordPolicy{AccountID: c.AccountID, MinimumPasswordLength: DefaultMinPasswordLength,
		RequireSymbols: in.RequireSymbols, RequireNumbers: in.RequireNumbers, RequireUppercaseCharacters: in.RequireUppercaseCharacters,
		RequireLowercaseCharacters: in.RequireLowercaseCharacters, AllowUsersToChangePassword: in.AllowUsersToChangePassword,
		HardExpiry: in.HardExpiry}
	if in.MinimumPasswordLength != nil {
		if *in.MinimumPasswordLength < MinPasswordLength || *in.MinimumPasswordLength > MaxPasswordLength {
			return invalidInput("MinimumPasswordLength must be between %d and %d.", MinPasswordLength, MaxPasswordLength)
		}
		p.MinimumPasswordLength = *in.MinimumPasswordLength
	}
	if in.MaxPasswordAge != nil {
		if *in.MaxPasswordAge < 1 || *in.MaxPasswordAge > MaxPasswordAgeDays {
			return invalidInput("MaxPasswordAge must be between 1 and %d.", MaxPasswordAgeDays)
		}
		p.MaxPasswordAge = *in.MaxPasswordAge
	}
	if in.PasswordReusePrevention != nil {
		if *in.PasswordReusePrevention < 1 || *in.PasswordReusePrevention > MaxPasswordReuse {
			return invalidInput("PasswordReusePrevention must be between 1 and %d.", MaxPasswordReuse)
		}
		p.PasswordReusePrevention = *in.PasswordReusePrevention
	}
	return s.update(ctx, "update account password policy", func(tx store.Tx) error {
		return tx.PutIAMPasswordPolicy(ctx, p)
	})
}

func noPasswordPolicy(acct string) error {
	return noSuchEntity("The Password Policy with domain name %s cannot be found.", acct)
}

// GetAccountPasswordPolicy returns the account's custom policy; NoSuchEntity
// when none is set.
func (s *Service) GetAccountPasswordPolicy(ctx context.Context, c Caller) (store.IAMPasswordPolicy, error) {
	var p store.IAMPasswordPolicy
	err := s.view(ctx, "get account password policy", func(tx store.Tx) error {
		var err error
		p, err = tx.GetIAMPasswordPolicy(ctx, c.AccountID)
		return notFoundAs(err, func() error { return noPasswordPolicy(c.AccountID) })
	})
	return p, err
}

// DeleteAccountPasswordPolicy removes the custom policy; NoSuchEntity when none is set.
func (s *Service) DeleteAccountPasswordPolicy(ctx context.Context, c Caller) error {
	return s.update(ctx, "delete account password policy", func(tx store.Tx) error {
		return notFoundAs(tx.DeleteIAMPasswordPolicy(ctx, c.AccountID), func() error { return noPasswordPolicy(c.AccountID) })
	})
}

// ---- account summary ----

// GetAccountSummary returns IAM's SummaryMap: the account's entity counts
// (from the store) and the quotas idcenter enforces.
func (s *Service) GetAccountSummary(ctx context.Context, c Caller) (map[string]int, error) {
	var n store.IAMAccountCounts
	var profiles, serverCerts, tokenVersion int
	err := s.view(ctx, "get account summary", func(tx store.Tx) error {
		var err error
		if n, err = tx.CountIAMAccount(ctx, c.AccountID); err != nil {
			return err
		}
		// Instance profiles and server certificates (instanceprofiles.go, servercerts.go).
		ips, err := tx.ListIAMInstanceProfiles(ctx, c.AccountID, store.IAMListFilter{}, store.Page{})
		if err != nil {
			return err
		}
		certs, err := tx.ListIAMServerCertificates(ctx, c.AccountID, store.IAMListFilter{}, store.Page{})
		profiles, serverCerts = len(ips), len(certs)
		if err != nil {
			return err
		}
		tokenVersion, err = globalEndpointTokenVersion(ctx, tx, c.AccountID) // accountfeatures.go
		return err
	})
	if err != nil {
		return nil, err
	}
	return map[string]int{
		"Users":                             n.Users,
		"UsersQuota":                        5000,
		"Groups":                            n.Groups,
		"GroupsQuota":                       300,
		"Roles":                             n.Roles,
		"RolesQuota":                        1000,
		"Policies":                          n.Policies,
		"PoliciesQuota":                     1500,
		"PolicyVersionsInUse":               n.PolicyVersionsInUse,
		"PolicyVersionsInUseQuota":          10000,
		"VersionsPerPolicyQuota":            MaxPolicyVersions,
		"PolicySizeQuota":                   MaxManagedPolicySize,
		"UserPolicySizeQuota":               MaxUserInlineSize,
		"GroupPolicySizeQuota":              MaxGroupInlineSize,
		"AssumeRolePolicySizeQuota":         MaxTrustPolicySize,
		"GroupsPerUserQuota":                MaxGroupsPerUser,
		"AttachedPoliciesPerUserQuota":      MaxManagedPerEntity,
		"AttachedPoliciesPerGroupQuota":     MaxManagedPerEntity,
		"AttachedPoliciesPerRoleQuota":      MaxManagedPerEntity,
		"AccessKeysPerUserQuota":            MaxAccessKeysPerUser,
		"SigningCertificatesPerUserQuota":   2,
		"ServerCertificates":                serverCerts,
		"ServerCertificatesQuota":           20,
		"InstanceProfiles":                  profiles,
		"InstanceProfilesQuota":             1000,
		"Providers":                         0,
		"MFADevices":                        n.MFADevices,
		"MFADevicesInUse":                   n.MFADevicesInUse,
		"AccountMFAEnabled":                 boolCount(n.RootMFADevices > 0), // root_mfa.go
		"AccountAccessKeysPresent":          boolCount(n.RootAccessKeys > 0),
		"AccountSigningCertificatesPresent": 0,
		"GlobalEndpointTokenVersion":        tokenVersion,
	}, nil
}

func boolCount(b bool) int {
	if b {
		return 1
	}
	return 0
}
