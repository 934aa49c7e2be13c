package iam

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// CodeUnmodifiableEntity is IAM's error for changes to service-managed roles.
const CodeUnmodifiableEntity = "UnmodifiableEntity"

// MaxRolesPerInstanceProfile is IAM's quota (InstanceSessionsPerInstanceProfile).
const MaxRolesPerInstanceProfile = 1

// InstanceProfileARN is the ARN of an instance profile.
func InstanceProfileARN(acct, path, name string) string {
	return arn(acct, "instance-profile", path, name)
}

// InstanceProfile is an instance profile with its roles.
type InstanceProfile struct {
	store.IAMInstanceProfile
	Roles []store.IAMRole
}

func unmodifiable(format string, args ...any) error {
	e := invalidInput(format, args...).(*fault.Error)
	e.Reason = CodeUnmodifiableEntity
	return e
}

// reservedSSORole reports whether a role is one IAM Identity Center manages
// (AWSReservedSSO_… under /aws-reserved/sso.amazonaws.com/): AWS refuses
// changes to those through IAM.
func reservedSSORole(r store.IAMRole) bool {
	return strings.HasPrefix(r.RoleName, "AWSReservedSSO_") || strings.HasPrefix(r.Path, "/aws-reserved/sso.amazonaws.com/")
}

// checkModifiableRole refuses boundaries and instance profiles on the roles
// AWS manages: Identity Center's and service-linked ones (slr.go).
func checkModifiableRole(r store.IAMRole) error {
	if reservedSSORole(r) || IsServiceLinked(r) {
		return unmodifiable("Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", r.RoleName)
	}
	return nil
}

func profileNotFound(name string) error {
	return noSuchEntity("Instance Profile %s cannot be found.", name)
}

func getProfile(ctx context.Context, tx store.Tx, acct, name string) (store.IAMInstanceProfile, error) {
	p, err := tx.GetIAMInstanceProfile(ctx, acct, name)
	return p, notFoundAs(err, func() error { return profileNotFound(name) })
}

// withRoles adds the role records of profiles.
func withRoles(ctx context.Context, tx store.Tx, ps []store.IAMInstanceProfile) ([]InstanceProfile, error) {
	out := make([]InstanceProfile, 0, len(ps))
	for _, p := range ps {
		ip := InstanceProfile{IAMInstanceProfile: p}
		if p.RoleName != "" {
			r, err := tx.GetIAMRole(ctx, p.AccountID, p.RoleName)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
			if err == nil {
				ip.Roles = []store.IAMRole{r}
			}
		}
		out = append(out, ip)
	}
	return out, nil
}

// CreateInstanceProfile creates an empty instance profile.
func (s *Service) CreateInstanceProfile(ctx context.Context, c Caller, name, path string, tags []store.Tag) (InstanceProfile, error) {
	if err := checkName("instanceProfileName", name, 128); err != nil {
		return InstanceProfile{}, err
	}
	path, err := normPath(path)
	if err != nil {
		return InstanceProfile{}, err
	}
	if tags, err = mergeTags(nil, tags); err != nil {
		return InstanceProfile{}, err
	}
	id, err := s.uniqueID("AIPA")
	if err != nil {
		return InstanceProfile{}, err
	}
	p := store.IAMInstanceProfile{AccountID: c.AccountID, InstanceProfileID: id, InstanceProfileName: name, Path: path,
		ARN: InstanceProfileARN(c.AccountID, path, name), Tags: tags, CreatedAt: s.now()}
	err = s.update(ctx, "create instance profile", func(tx store.Tx) error {
		return existsAs(tx.CreateIAMInstanceProfile(ctx, p), func() error {
			return alreadyExists("Instance Profile %s already exists.", name)
		})
	})
	return InstanceProfile{IAMInstanceProfile: p}, err
}

// GetInstanceProfile returns a profile with its role.
func (s *Service) GetInstanceProfile(ctx context.Context, c Caller, name string) (InstanceProfile, error) {
	var out InstanceProfile
	err := s.view(ctx, "get instance profile", func(tx store.Tx) error {
		p, err := getProfile(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		ps, err := withRoles(ctx, tx, []store.IAMInstanceProfile{p})
		if err == nil {
			out = ps[0]
		}
		return err
	})
	return out, err
}

// DeleteInstanceProfile deletes a profile without a role.
func (s *Service) DeleteInstanceProfile(ctx context.Context, c Caller, name string) error {
	return s.update(ctx, "delete instance profile", func(tx store.Tx) error {
		p, err := getProfile(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if p.RoleID != "" {
			return deleteConflict("Cannot delete entity, must remove roles from instance profile first.")
		}
		return tx.DeleteIAMInstanceProfile(ctx, c.AccountID, p.InstanceProfileID)
	})
}

// ListInstanceProfiles pages the account's profiles by name.
func (s *Service) ListInstanceProfiles(ctx context.Context, c Caller, pathPrefix, marker string, max int) (Page[InstanceProfile], error) {
	p, limit, err := storePage(marker, max)
	if err != nil {
		return Page[InstanceProfile]{}, err
	}
	var out []InstanceProfile
	err = s.view(ctx, "list instance profiles", func(tx store.Tx) error {
		ps, err := tx.ListIAMInstanceProfiles(ctx, c.AccountID, store.IAMListFilter{PathPrefix: pathPrefix}, p)
		if err != nil {
			return err
		}
		out, err = withRoles(ctx, tx, ps)
		return err
	})
	if err != nil {
		return Page[InstanceProfile]{}, err
	}
	items, next := paging.Trim(out, limit, func(p InstanceProfile) string { return strings.ToLower(p.InstanceProfileName) })
	return Page[InstanceProfile]{Items: items, Marker: next}, nil
}

// ListInstanceProfilesForRole pages the profiles holding a role.
func (s *Service) ListInstanceProfilesForRole(ctx context.Context, c Caller, roleName, marker string, max int) (Page[InstanceProfile], error) {
	var out []InstanceProfile
	err := s.view(ctx, "list instance profiles for role", func(tx store.Tx) error {
		r, err := getRole(ctx, tx, c.AccountID, roleName)
		if err != nil {
			return err
		}
		ps, err := tx.ListIAMInstanceProfilesForRole(ctx, r.RoleID)
		if err != nil {
			return err
		}
		out, err = withRoles(ctx, tx, ps)
		return err
	})
	if err != nil {
		return Page[InstanceProfile]{}, err
	}
	return pageSlice(out, marker, max, func(p InstanceProfile) string { return strings.ToLower(p.InstanceProfileName) })
}

// AddRoleToInstanceProfile puts a role in a profile (one role per profile).
func (s *Service) AddRoleToInstanceProfile(ctx context.Context, c Caller, profileName, roleName string) error {
	return s.update(ctx, "add role to instance profile", func(tx store.Tx) error {
		p, err := getProfile(ctx, tx, c.AccountID, profileName)
		if err != nil {
			return err
		}
		r, err := getRole(ctx, tx, c.AccountID, roleName)
		if err != nil {
			return err
		}
		if err := checkModifiableRole(r); err != nil {
			return err
		}
		if p.RoleID != "" {
			return limitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: %d", MaxRolesPerInstanceProfile)
		}
		p.RoleID = r.RoleID
		return tx.ReplaceIAMInstanceProfile(ctx, p)
	})
}

// RemoveRoleFromInstanceProfile takes a role out of a profile.
func (s *Service) RemoveRoleFromInstanceProfile(ctx context.Context, c Caller, profileName, roleName string) error {
	return s.update(ctx, "remove role from instance profile", func(tx store.Tx) error {
		p, err := getProfile(ctx, tx, c.AccountID, profileName)
		if err != nil {
			return err
		}
		r, err := getRole(ctx, tx, c.AccountID, roleName)
		if err != nil {
			return err
		}
		if p.RoleID != r.RoleID {
			return noSuchEntity("The role with name %s cannot be found in instance profile %s.", roleName, profileName)
		}
		p.RoleID = ""
		return tx.ReplaceIAMInstanceProfile(ctx, p)
	})
}

func (s *Service) modifyProfile(ctx context.Context, c Caller, op, name string, fn func(*store.IAMInstanceProfile) error) error {
	return s.update(ctx, op, func(tx store.Tx) error {
		p, err := getProfile(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
		return tx.ReplaceIAMInstanceProfile(ctx, p)
	})
}

// TagInstanceProfile adds or replaces tags on a profile.
func (s *Service) TagInstanceProfile(ctx context.Context, c Caller, name string, tags []store.Tag) error {
	return s.modifyProfile(ctx, c, "tag instance profile", name, func(p *store.IAMInstanceProfile) error {
		var err error
		p.Tags, err = mergeTags(p.Tags, tags)
		return err
	})
}

// UntagInstanceProfile removes tag keys from a profile.
func (s *Service) UntagInstanceProfile(ctx context.Context, c Caller, name string, keys []string) error {
	return s.modifyProfile(ctx, c, "untag instance profile", name, func(p *store.IAMInstanceProfile) error {
		p.Tags = removeTags(p.Tags, keys)
		return nil
	})
}

// ListInstanceProfileTags pages a profile's tags.
func (s *Service) ListInstanceProfileTags(ctx context.Context, c Caller, name, marker string, max int) (Page[store.Tag], error) {
	p, err := s.GetInstanceProfile(ctx, c, name)
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageTags(p.Tags, marker, max)
}

// ---- permissions boundaries ----

// PutUserPermissionsBoundary sets a user's permissions boundary to a managed
// policy (customer or AWS managed); the authorisation point evaluates it on
// the user's next call.
func (s *Service) PutUserPermissionsBoundary(ctx context.Context, c Caller, name, boundary string) error {
	return s.update(ctx, "put user permissions boundary", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if _, err := s.policy(ctx, tx, c.AccountID, boundary); err != nil {
			return err
		}
		u.PermissionsBoundary = boundary
		return tx.ReplaceIAMUser(ctx, u)
	})
}

// DeleteUserPermissionsBoundary removes a user's permissions boundary.
func (s *Service) DeleteUserPermissionsBoundary(ctx context.Context, c Caller, name string) error {
	return s.update(ctx, "delete user permissions boundary", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		u.PermissionsBoundary = ""
		return tx.ReplaceIAMUser(ctx, u)
	})
}

// PutRolePermissionsBoundary sets a role's permissions boundary.
func (s *Service) PutRolePermissionsBoundary(ctx context.Context, c Caller, name, boundary string) error {
	return s.update(ctx, "put role permissions boundary", func(tx store.Tx) error {
		r, err := getRole(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if err := checkModifiableRole(r); err != nil {
			return err
		}
		if _, err := s.policy(ctx, tx, c.AccountID, boundary); err != nil {
			return err
		}
		r.PermissionsBoundary = boundary
		return tx.ReplaceIAMRole(ctx, r)
	})
}

// DeleteRolePermissionsBoundary removes a role's permissions boundary.
func (s *Service) DeleteRolePermissionsBoundary(ctx context.Context, c Caller, name string) error {
	return s.update(ctx, "delete role permissions boundary", func(tx store.Tx) error {
		r, err := getRole(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if err := checkModifiableRole(r); err != nil {
			return err
		}
		r.PermissionsBoundary = ""
		return tx.ReplaceIAMRole(ctx, r)
	})
}

// ---- managed policy tags ----

// TagPolicy adds or replaces tags on a customer managed policy.
func (s *Service) TagPolicy(ctx context.Context, c Caller, arn string, tags []store.Tag) error {
	return s.update(ctx, "tag policy", func(tx store.Tx) error {
		p, err := s.customerPolicy(ctx, tx, c.AccountID, arn)
		if err != nil {
			return err
		}
		if p.Tags, err = mergeTags(p.Tags, tags); err != nil {
			return err
		}
		return tx.ReplaceIAMPolicy(ctx, p)
	})
}

// UntagPolicy removes tag keys from a customer managed policy.
func (s *Service) UntagPolicy(ctx context.Context, c Caller, arn string, keys []string) error {
	return s.update(ctx, "untag policy", func(tx store.Tx) error {
		p, err := s.customerPolicy(ctx, tx, c.AccountID, arn)
		if err != nil {
			return err
		}
		p.Tags = removeTags(p.Tags, keys)
		return tx.ReplaceIAMPolicy(ctx, p)
	})
}

// ListPolicyTags pages a managed policy's tags (AWS managed policies have none).
func (s *Service) ListPolicyTags(ctx context.Context, c Caller, arn, marker string, max int) (Page[store.Tag], error) {
	var tags []store.Tag
	err := s.view(ctx, "list policy tags", func(tx store.Tx) error {
		p, err := s.policy(ctx, tx, c.AccountID, arn)
		if err == nil && !p.AWSManaged {
			tags = p.Tags
		}
		return err
	})
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageTags(tags, marker, max)
}
