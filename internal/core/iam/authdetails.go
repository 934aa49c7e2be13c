package iam

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// GetAccountAuthorizationDetails: every user, group, role and managed policy
// of the account with its policies, in one paged list.

// Entity filters of GetAccountAuthorizationDetails.
const (
	FilterUser               = "User"
	FilterGroup              = "Group"
	FilterRole               = "Role"
	FilterLocalManagedPolicy = "LocalManagedPolicy"
	FilterAWSManagedPolicy   = "AWSManagedPolicy"
)

// UserDetail is a user with its inline policies, groups and attached policies.
type UserDetail struct {
	User     store.IAMUser
	Inline   []store.IAMInlinePolicy
	Groups   []string
	Attached []AttachedPolicy
}

// GroupDetail is a group with its inline and attached policies.
type GroupDetail struct {
	Group    store.IAMGroup
	Inline   []store.IAMInlinePolicy
	Attached []AttachedPolicy
}

// RoleDetail is a role with its inline and attached policies.
type RoleDetail struct {
	Role     store.IAMRole
	Inline   []store.IAMInlinePolicy
	Attached []AttachedPolicy
	// InstanceProfiles are the profiles holding the role (instanceprofiles.go).
	InstanceProfiles []InstanceProfile
}

// PolicyDetail is a managed policy with its versions (documents included).
type PolicyDetail struct {
	Policy   ManagedPolicy
	Versions []PolicyVersion
}

// AuthorizationDetails is one page of GetAccountAuthorizationDetails.
type AuthorizationDetails struct {
	Users    []UserDetail
	Groups   []GroupDetail
	Roles    []RoleDetail
	Policies []PolicyDetail
	// Marker is empty on the last page.
	Marker string
}

// authRef names one item of the list: its kind (in output order) and name.
type authRef struct {
	kind int // 0 user, 1 group, 2 role, 3 policy
	key  string
	load func(ctx context.Context, tx store.Tx, out *AuthorizationDetails) error
}

func (r authRef) sortKey() string { return fmt.Sprintf("%d/%s", r.kind, r.key) }

func attachedOf(arns []string) []AttachedPolicy {
	out := make([]AttachedPolicy, 0, len(arns))
	for _, a := range arns {
		out = append(out, AttachedPolicy{Name: a[strings.LastIndexByte(a, '/')+1:], ARN: a})
	}
	return out
}

// GetAccountAuthorizationDetails pages the account's users, groups, roles and
// managed policies (customer managed, and AWS managed ones attached in the
// account), filtered by entity kind (none = all).
func (s *Service) GetAccountAuthorizationDetails(ctx context.Context, c Caller, filter []string, marker string, max int) (AuthorizationDetails, error) {
	want := map[string]bool{}
	for _, f := range filter {
		switch f {
		case FilterUser, FilterGroup, FilterRole, FilterLocalManagedPolicy, FilterAWSManagedPolicy:
			want[f] = true
		default:
			return AuthorizationDetails{}, invalidInput("Filter must be one of User, Role, Group, LocalManagedPolicy, AWSManagedPolicy.")
		}
	}
	all := len(want) == 0
	var out AuthorizationDetails
	err := s.view(ctx, "get account authorization details", func(tx store.Tx) error {
		refs, err := s.authRefs(ctx, tx, c.AccountID, func(f string) bool { return all || want[f] })
		if err != nil {
			return err
		}
		sort.Slice(refs, func(i, j int) bool { return refs[i].sortKey() < refs[j].sortKey() })
		page, err := pageSlice(refs, marker, max, authRef.sortKey)
		if err != nil {
			return err
		}
		out = AuthorizationDetails{Marker: page.Marker}
		for _, r := range page.Items {
			if err := r.load(ctx, tx, &out); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// authRefs lists the items to report; each loads its details when its page is served.
func (s *Service) authRefs(ctx context.Context, tx store.Tx, acct string, want func(string) bool) ([]authRef, error) {
	var refs []authRef
	if want(FilterUser) {
		us, err := tx.ListIAMUsers(ctx, acct, store.IAMListFilter{}, store.Page{})
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			refs = append(refs, authRef{kind: 0, key: strings.ToLower(u.UserName), load: func(ctx context.Context, tx store.Tx, out *AuthorizationDetails) error {
				d := UserDetail{User: u}
				var err error
				if d.Inline, err = tx.ListIAMInlinePolicies(ctx, u.UserID); err != nil {
					return err
				}
				gs, err := tx.ListIAMGroupsForUser(ctx, u.UserID)
				if err != nil {
					return err
				}
				for _, g := range gs {
					d.Groups = append(d.Groups, g.GroupName)
				}
				arns, err := tx.ListIAMAttachedPolicies(ctx, u.UserID)
				d.Attached = attachedOf(arns)
				out.Users = append(out.Users, d)
				return err
			}})
		}
	}
	if want(FilterGroup) {
		gs, err := tx.ListIAMGroups(ctx, acct, store.IAMListFilter{}, store.Page{})
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			refs = append(refs, authRef{kind: 1, key: strings.ToLower(g.GroupName), load: func(ctx context.Context, tx store.Tx, out *AuthorizationDetails) error {
				d := GroupDetail{Group: g}
				var err error
				if d.Inline, err = tx.ListIAMInlinePolicies(ctx, g.GroupID); err != nil {
					return err
				}
				arns, err := tx.ListIAMAttachedPolicies(ctx, g.GroupID)
				d.Attached = attachedOf(arns)
				out.Groups = append(out.Groups, d)
				return err
			}})
		}
	}
	if want(FilterRole) {
		rs, err := tx.ListIAMRoles(ctx, acct, store.IAMListFilter{}, store.Page{})
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			refs = append(refs, authRef{kind: 2, key: strings.ToLower(r.RoleName), load: func(ctx context.Context, tx store.Tx, out *AuthorizationDetails) error {
				d := RoleDetail{Role: r}
				var err error
				if d.Inline, err = tx.ListIAMInlinePolicies(ctx, r.RoleID); err != nil {
					return err
				}
				arns, err := tx.ListIAMAttachedPolicies(ctx, r.RoleID)
				if err != nil {
					return err
				}
				d.Attached = attachedOf(arns)
				ps, err := tx.ListIAMInstanceProfilesForRole(ctx, r.RoleID)
				if err != nil {
					return err
				}
				if d.InstanceProfiles, err = withRoles(ctx, tx, ps); err != nil {
					return err
				}
				out.Roles = append(out.Roles, d)
				return nil
			}})
		}
	}
	if want(FilterLocalManagedPolicy) {
		ps, err := tx.ListIAMPolicies(ctx, acct, store.IAMListFilter{}, store.Page{})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			refs = append(refs, authRef{kind: 3, key: p.ARN, load: func(ctx context.Context, tx store.Tx, out *AuthorizationDetails) error {
				mp, err := s.withCount(ctx, tx, acct, ManagedPolicy{IAMPolicy: p})
				if err != nil {
					return err
				}
				vs, err := tx.ListIAMPolicyVersions(ctx, p.ARN)
				d := PolicyDetail{Policy: mp}
				for _, v := range vs {
					d.Versions = append(d.Versions, PolicyVersion{IAMPolicyVersion: v, IsDefault: v.VersionID == p.DefaultVersionID})
				}
				out.Policies = append(out.Policies, d)
				return err
			}})
		}
	}
	if want(FilterAWSManagedPolicy) {
		for _, m := range awsManagedCatalog() {
			mp, err := s.withCount(ctx, tx, acct, ManagedPolicy{IAMPolicy: m.Policy, AWSManaged: true})
			if err != nil {
				return nil, err
			}
			if mp.AttachmentCount == 0 {
				continue
			}
			refs = append(refs, authRef{kind: 3, key: m.Policy.ARN, load: func(_ context.Context, _ store.Tx, out *AuthorizationDetails) error {
				v := store.IAMPolicyVersion{PolicyARN: m.Policy.ARN, VersionID: m.Policy.DefaultVersionID, Document: m.Document,
					CreatedAt: m.Policy.UpdatedAt}
				out.Policies = append(out.Policies, PolicyDetail{Policy: mp, Versions: []PolicyVersion{{IAMPolicyVersion: v, IsDefault: true}}})
				return nil
			}})
		}
	}
	return refs, nil
}
