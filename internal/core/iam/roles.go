package iam

import (
	"context"
	"errors"
	"github.com/idcenter/idcenter/internal/policy"
	"strings"

	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// RoleARN is the ARN of an IAM role.
func RoleARN(acct, path, name string) string { return arn(acct, "role", path, name) }

func getRole(ctx context.Context, tx store.Tx, acct, name string) (store.IAMRole, error) {
	r, err := tx.GetIAMRole(ctx, acct, name)
	return r, notFoundAs(err, func() error { return noSuchEntity("The role with name %s cannot be found.", name) })
}

// RoleInput is what CreateRole takes.
type RoleInput struct {
	Name, Path, AssumeRolePolicy, Description, PermissionsBoundary string
	MaxSessionDuration                                             int // 0 = 3600
	Tags                                                           []store.Tag
}

func checkTrustPolicy(doc string) error {
	if err := checkDocument(doc, policy.KindTrust); err != nil {
		return err
	}
	if policySize(doc) > MaxTrustPolicySize {
		return limitExceeded("Cannot exceed quota for ACLSizePerRole: %d", MaxTrustPolicySize)
	}
	return nil
}

func checkSessionDuration(d int) error {
	if d < MinSessionDuration || d > MaxSessionDuration {
		return invalidInput("The requested duration %d for MaxSessionDuration is invalid. MaxSessionDuration must be between %d and %d seconds.", d, MinSessionDuration, MaxSessionDuration)
	}
	return nil
}

// CreateRole creates a role.
func (s *Service) CreateRole(ctx context.Context, c Caller, in RoleInput) (store.IAMRole, error) {
	if err := checkName("roleName", in.Name, 64); err != nil {
		return store.IAMRole{}, err
	}
	path, err := normPath(in.Path)
	if err != nil {
		return store.IAMRole{}, err
	}
	if err := checkTrustPolicy(in.AssumeRolePolicy); err != nil {
		return store.IAMRole{}, err
	}
	if in.MaxSessionDuration == 0 {
		in.MaxSessionDuration = DefaultSessionDuration
	}
	if err := checkSessionDuration(in.MaxSessionDuration); err != nil {
		return store.IAMRole{}, err
	}
	tags, err := mergeTags(nil, in.Tags)
	if err != nil {
		return store.IAMRole{}, err
	}
	id, err := s.uniqueID("AROA")
	if err != nil {
		return store.IAMRole{}, err
	}
	r := store.IAMRole{AccountID: c.AccountID, RoleID: id, RoleName: in.Name, Path: path, ARN: RoleARN(c.AccountID, path, in.Name),
		AssumeRolePolicy: in.AssumeRolePolicy, Description: in.Description, MaxSessionDuration: in.MaxSessionDuration,
		PermissionsBoundary: in.PermissionsBoundary, Tags: tags, CreatedAt: s.now()}
	err = s.update(ctx, "create role", func(tx store.Tx) error {
		if in.PermissionsBoundary != "" {
			if _, err := s.policy(ctx, tx, c.AccountID, in.PermissionsBoundary); err != nil {
				return err
			}
		}
		return existsAs(tx.CreateIAMRole(ctx, r), func() error { return alreadyExists("Role with name %s already exists.", in.Name) })
	})
	return r, err
}

// GetRole returns a role.
func (s *Service) GetRole(ctx context.Context, c Caller, name string) (store.IAMRole, error) {
	var r store.IAMRole
	err := s.view(ctx, "get role", func(tx store.Tx) error {
		var err error
		r, err = getRole(ctx, tx, c.AccountID, name)
		return err
	})
	return r, err
}

// ListRoles pages the account's roles by name.
func (s *Service) ListRoles(ctx context.Context, c Caller, pathPrefix, marker string, max int) (Page[store.IAMRole], error) {
	p, limit, err := storePage(marker, max)
	if err != nil {
		return Page[store.IAMRole]{}, err
	}
	var rs []store.IAMRole
	err = s.view(ctx, "list roles", func(tx store.Tx) error {
		rs, err = tx.ListIAMRoles(ctx, c.AccountID, store.IAMListFilter{PathPrefix: pathPrefix}, p)
		return err
	})
	if err != nil {
		return Page[store.IAMRole]{}, err
	}
	items, next := paging.Trim(rs, limit, func(r store.IAMRole) string { return strings.ToLower(r.RoleName) })
	return Page[store.IAMRole]{Items: items, Marker: next}, nil
}

// modifyRole applies fn to a stored role.
func (s *Service) modifyRole(ctx context.Context, c Caller, op, name string, fn func(*store.IAMRole) error) (store.IAMRole, error) {
	var r store.IAMRole
	err := s.update(ctx, op, func(tx store.Tx) error {
		var err error
		if r, err = getRole(ctx, tx, c.AccountID, name); err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
		return tx.ReplaceIAMRole(ctx, r)
	})
	return r, err
}

// UpdateRole changes a role's description (when non-empty) and maximum
// session duration (when non-zero).
func (s *Service) UpdateRole(ctx context.Context, c Caller, name, description string, maxSession int) error {
	if maxSession != 0 {
		if err := checkSessionDuration(maxSession); err != nil {
			return err
		}
	}
	_, err := s.modifyRole(ctx, c, "update role", name, func(r *store.IAMRole) error {
		if description != "" {
			r.Description = description
		}
		if maxSession != 0 {
			r.MaxSessionDuration = maxSession
		}
		return nil
	})
	return err
}

// UpdateRoleDescription sets a role's description.
func (s *Service) UpdateRoleDescription(ctx context.Context, c Caller, name, description string) (store.IAMRole, error) {
	return s.modifyRole(ctx, c, "update role description", name, func(r *store.IAMRole) error {
		r.Description = description
		return nil
	})
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, c Caller, name, doc string) error {
	if err := checkTrustPolicy(doc); err != nil {
		return err
	}
	_, err := s.modifyRole(ctx, c, "update assume role policy", name, func(r *store.IAMRole) error {
		if err := checkModifiable(*r); err != nil { // slr.go
			return err
		}
		r.AssumeRolePolicy = doc
		return nil
	})
	return err
}

// DeleteRole deletes a role without policies that is in no instance profile.
func (s *Service) DeleteRole(ctx context.Context, c Caller, name string) error {
	return s.update(ctx, "delete role", func(tx store.Tx) error {
		r, err := getRole(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if err := checkModifiable(r); err != nil { // slr.go
			return err
		}
		if err := checkNoPolicies(ctx, tx, r.RoleID); err != nil {
			return err
		}
		if ps, err := tx.ListIAMInstanceProfilesForRole(ctx, r.RoleID); err != nil || len(ps) > 0 {
			return errors.Join(err, deleteConflictIf(len(ps) > 0, "Cannot delete entity, must remove roles from instance profile first."))
		}
		return tx.DeleteIAMRole(ctx, c.AccountID, r.RoleID)
	})
}

// TagRole adds or replaces tags on a role.
func (s *Service) TagRole(ctx context.Context, c Caller, name string, tags []store.Tag) error {
	_, err := s.modifyRole(ctx, c, "tag role", name, func(r *store.IAMRole) error {
		var err error
		r.Tags, err = mergeTags(r.Tags, tags)
		return err
	})
	return err
}

// UntagRole removes tag keys from a role.
func (s *Service) UntagRole(ctx context.Context, c Caller, name string, keys []string) error {
	_, err := s.modifyRole(ctx, c, "untag role", name, func(r *store.IAMRole) error {
		r.Tags = removeTags(r.Tags, keys)
		return nil
	})
	return err
}

// ListRoleTags pages a role's tags.
func (s *Service) ListRoleTags(ctx context.Context, c Caller, name, marker string, max int) (Page[store.Tag], error) {
	r, err := s.GetRole(ctx, c, name)
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageTags(r.Tags, marker, max)
}
