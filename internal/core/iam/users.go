package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// UserARN is the ARN of an IAM user.
func UserARN(acct, path, name string) string { return arn(acct, "user", path, name) }

func userNotFound(name string) error {
	return noSuchEntity("The user with name %s cannot be found.", name)
}

func getUser(ctx context.Context, tx store.Tx, acct, name string) (store.IAMUser, error) {
	u, err := tx.GetIAMUser(ctx, acct, name)
	return u, notFoundAs(err, func() error { return userNotFound(name) })
}

// CreateUser creates an IAM user.
func (s *Service) CreateUser(ctx context.Context, c Caller, name, path, boundary string, tags []store.Tag) (store.IAMUser, error) {
	if err := checkName("userName", name, 64); err != nil {
		return store.IAMUser{}, err
	}
	path, err := normPath(path)
	if err != nil {
		return store.IAMUser{}, err
	}
	tags, err = mergeTags(nil, tags)
	if err != nil {
		return store.IAMUser{}, err
	}
	id, err := s.uniqueID("AIDA")
	if err != nil {
		return store.IAMUser{}, err
	}
	u := store.IAMUser{AccountID: c.AccountID, UserID: id, UserName: name, Path: path, ARN: UserARN(c.AccountID, path, name),
		PermissionsBoundary: boundary, Tags: tags, CreatedAt: s.now()}
	err = s.update(ctx, "create user", func(tx store.Tx) error {
		if boundary != "" {
			if _, err := s.policy(ctx, tx, c.AccountID, boundary); err != nil {
				return err
			}
		}
		return existsAs(tx.CreateIAMUser(ctx, u), func() error { return alreadyExists("User with name %s already exists.", name) })
	})
	return u, err
}

// GetUser returns the named user, or the caller when name is empty. For the
// root user it returns a record with the account id as UserID and the root ARN.
func (s *Service) GetUser(ctx context.Context, c Caller, name string) (store.IAMUser, error) {
	if name == "" {
		if c.IsRoot {
			u := store.IAMUser{AccountID: c.AccountID, UserID: c.AccountID, ARN: "arn:aws:iam::" + c.AccountID + ":root"}
			err := s.view(ctx, "get root", func(tx store.Tx) error {
				a, err := tx.GetAccount(ctx, c.AccountID)
				if err == nil {
					u.CreatedAt = a.JoinedAt
				}
				return nil
			})
			return u, err
		}
		if c.UserName == "" {
			return store.IAMUser{}, invalidInput("Must specify userName when calling with non-User credentials")
		}
		name = c.UserName
	}
	var u store.IAMUser
	err := s.view(ctx, "get user", func(tx store.Tx) error {
		var err error
		u, err = getUser(ctx, tx, c.AccountID, name)
		return err
	})
	return u, err
}

// ListUsers pages the account's users by name.
func (s *Service) ListUsers(ctx context.Context, c Caller, pathPrefix, marker string, max int) (Page[store.IAMUser], error) {
	p, limit, err := storePage(marker, max)
	if err != nil {
		return Page[store.IAMUser]{}, err
	}
	var us []store.IAMUser
	err = s.view(ctx, "list users", func(tx store.Tx) error {
		us, err = tx.ListIAMUsers(ctx, c.AccountID, store.IAMListFilter{PathPrefix: pathPrefix}, p)
		return err
	})
	if err != nil {
		return Page[store.IAMUser]{}, err
	}
	items, next := paging.Trim(us, limit, func(u store.IAMUser) string { return strings.ToLower(u.UserName) })
	return Page[store.IAMUser]{Items: items, Marker: next}, nil
}

// UpdateUser renames a user and/or changes its path (empty = unchanged).
func (s *Service) UpdateUser(ctx context.Context, c Caller, name, newName, newPath string) error {
	if newName != "" {
		if err := checkName("newUserName", newName, 64); err != nil {
			return err
		}
	}
	if newPath != "" {
		if _, err := normPath(newPath); err != nil {
			return err
		}
	}
	return s.update(ctx, "update user", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if newName != "" {
			u.UserName = newName
		}
		if newPath != "" {
			u.Path = newPath
		}
		u.ARN = UserARN(c.AccountID, u.Path, u.UserName)
		return existsAs(tx.ReplaceIAMUser(ctx, u), func() error { return alreadyExists("User with name %s already exists.", newName) })
	})
}

// DeleteUser deletes a user that has no access keys, groups, policies, login
// profile, MFA devices, SSH public keys, signing certificates or
// service-specific credentials.
func (s *Service) DeleteUser(ctx context.Context, c Caller, name string) error {
	return s.update(ctx, "delete user", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if keys, err := tx.ListUserAccessKeys(ctx, c.AccountID, u.UserName); err != nil || len(keys) > 0 {
			return errors.Join(err, deleteConflictIf(len(keys) > 0, "Cannot delete entity, must delete access keys first."))
		}
		if gs, err := tx.ListIAMGroupsForUser(ctx, u.UserID); err != nil || len(gs) > 0 {
			return errors.Join(err, deleteConflictIf(len(gs) > 0, "Cannot delete entity, must remove users from all groups first."))
		}
		if err := checkNoPolicies(ctx, tx, u.UserID); err != nil {
			return err
		}
		if _, err := tx.GetIAMLoginProfile(ctx, u.UserID); err == nil || !errors.Is(err, store.ErrNotFound) {
			return errors.Join(err, deleteConflictIf(err == nil, "Cannot delete entity, must delete login profile first."))
		}
		if ds, err := tx.ListIAMMFADevicesForUser(ctx, u.UserID); err != nil || len(ds) > 0 {
			return errors.Join(err, deleteConflictIf(len(ds) > 0, "Cannot delete entity, must remove MFA device first."))
		}
		if err := checkNoUserCredentials(ctx, tx, u.UserID); err != nil { // credentials.go
			return err
		}
		return tx.DeleteIAMUser(ctx, c.AccountID, u.UserID)
	})
}

func deleteConflictIf(cond bool, msg string) error {
	if !cond {
		return nil
	}
	return deleteConflict("%s", msg)
}

// checkNoPolicies reports DeleteConflict while an entity has attached or inline policies.
func checkNoPolicies(ctx context.Context, tx store.Tx, entityID string) error {
	att, err := tx.ListIAMAttachedPolicies(ctx, entityID)
	if err != nil {
		return err
	}
	if len(att) > 0 {
		return deleteConflict("Cannot delete entity, must detach all policies first.")
	}
	in, err := tx.ListIAMInlinePolicies(ctx, entityID)
	if err != nil {
		return err
	}
	if len(in) > 0 {
		return deleteConflict("Cannot delete entity, must delete policies first.")
	}
	return nil
}

// TagUser adds or replaces tags on a user.
func (s *Service) TagUser(ctx context.Context, c Caller, name string, tags []store.Tag) error {
	return s.update(ctx, "tag user", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if u.Tags, err = mergeTags(u.Tags, tags); err != nil {
			return err
		}
		return tx.ReplaceIAMUser(ctx, u)
	})
}

// UntagUser removes tag keys from a user.
func (s *Service) UntagUser(ctx context.Context, c Caller, name string, keys []string) error {
	return s.update(ctx, "untag user", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		u.Tags = removeTags(u.Tags, keys)
		return tx.ReplaceIAMUser(ctx, u)
	})
}

// ListUserTags pages a user's tags.
func (s *Service) ListUserTags(ctx context.Context, c Caller, name, marker string, max int) (Page[store.Tag], error) {
	u, err := s.GetUser(ctx, c, name)
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageTags(u.Tags, marker, max)
}

func pageTags(tags []store.Tag, marker string, max int) (Page[store.Tag], error) {
	// Tags keep their order; the marker is the position.
	type it struct {
		t store.Tag
		k string
	}
	items := make([]it, len(tags))
	for i, t := range tags {
		items[i] = it{t, fmt.Sprintf("%06d", i)}
	}
	p, err := pageSlice(items, marker, max, func(x it) string { return x.k })
	out := Page[store.Tag]{Marker: p.Marker}
	for _, x := range p.Items {
		out.Items = append(out.Items, x.t)
	}
	return out, err
}

// ---- access keys ----

// userForKeys resolves the user an access key operation is about: the named
// one, or the calling IAM user.
func userForKeys(c Caller, name string) (string, error) {
	if name != "" {
		return name, nil
	}
	if c.UserName == "" {
		return "", invalidInput("Must specify userName when calling with non-User credentials")
	}
	return c.UserName, nil
}

// CreateAccessKey makes a new active key for a user (at most two per user).
// The key works for SigV4 at once.
func (s *Service) CreateAccessKey(ctx context.Context, c Caller, name string) (store.AccessKey, error) {
	name, err := userForKeys(c, name)
	if err != nil {
		return store.AccessKey{}, err
	}
	id, err := s.random("AKIA", keyAlphabet, 16)
	if err != nil {
		return store.AccessKey{}, err
	}
	secret, err := s.random("", secretAlphabet, 40)
	if err != nil {
		return store.AccessKey{}, err
	}
	var k store.AccessKey
	err = s.update(ctx, "create access key", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		keys, err := tx.ListUserAccessKeys(ctx, c.AccountID, u.UserName)
		if err != nil {
			return err
		}
		if len(keys) >= MaxAccessKeysPerUser {
			return limitExceeded("Cannot exceed quota for AccessKeysPerUser: %d", MaxAccessKeysPerUser)
		}
		k = store.AccessKey{AccessKeyID: id, SecretAccessKey: secret, AccountID: c.AccountID, PrincipalARN: u.ARN,
			UserName: u.UserName, Status: "Active", CreatedAt: s.now()}
		return tx.CreateAccessKey(ctx, k)
	})
	return k, err
}

// ListAccessKeys lists a user's keys (secrets included; the adapter drops them).
func (s *Service) ListAccessKeys(ctx context.Context, c Caller, name, marker string, max int) (Page[store.AccessKey], error) {
	name, err := userForKeys(c, name)
	if err != nil {
		return Page[store.AccessKey]{}, err
	}
	var keys []store.AccessKey
	err = s.view(ctx, "list access keys", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		keys, err = tx.ListUserAccessKeys(ctx, c.AccountID, u.UserName)
		return err
	})
	if err != nil {
		return Page[store.AccessKey]{}, err
	}
	return pageSlice(keys, marker, max, func(k store.AccessKey) string { return k.CreatedAt.Format("20060102150405.000000000") + k.AccessKeyID })
}

// userKey finds a key of the user.
func userKey(ctx context.Context, tx store.Tx, c Caller, name, id string) (store.AccessKey, error) {
	u, err := getUser(ctx, tx, c.AccountID, name)
	if err != nil {
		return store.AccessKey{}, err
	}
	k, err := tx.GetAccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (k.AccountID != c.AccountID || k.UserName != u.UserName)) {
		return store.AccessKey{}, noSuchEntity("The Access Key with id %s cannot be found.", id)
	}
	return k, err
}

// UpdateAccessKey sets a key Active or Inactive.
func (s *Service) UpdateAccessKey(ctx context.Context, c Caller, name, id, status string) error {
	name, err := userForKeys(c, name)
	if err != nil {
		return err
	}
	if status != "Active" && status != "Inactive" {
		return invalidInput("Status must be Active or Inactive.")
	}
	return s.update(ctx, "update access key", func(tx store.Tx) error {
		if _, err := userKey(ctx, tx, c, name, id); err != nil {
			return err
		}
		return tx.SetAccessKeyStatus(ctx, id, status)
	})
}

// DeleteAccessKey deletes a user's key.
func (s *Service) DeleteAccessKey(ctx context.Context, c Caller, name, id string) error {
	name, err := userForKeys(c, name)
	if err != nil {
		return err
	}
	return s.update(ctx, "delete access key", func(tx store.Tx) error {
		if _, err := userKey(ctx, tx, c, name, id); err != nil {
			return err
		}
		return tx.DeleteAccessKey(ctx, id)
	})
}

// GetAccessKeyLastUsed returns the key's owner. Use is not recorded yet, so
// every key reports what AWS reports for a never-used key (ServiceName and
// Region "N/A", no date).
func (s *Service) GetAccessKeyLastUsed(ctx context.Context, c Caller, id string) (store.AccessKey, error) {
	var k store.AccessKey
	err := s.view(ctx, "get access key last used", func(tx store.Tx) error {
		var err error
		k, err = tx.GetAccessKey(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && k.AccountID != c.AccountID) {
			return noSuchEntity("The Access Key with id %s cannot be found.", id)
		}
		return err
	})
	return k, err
}
