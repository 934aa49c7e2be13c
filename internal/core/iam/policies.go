package iam

import (
	"context"
	"errors"
	"fmt"
	"github.com/idcenter/idcenter/internal/policy"
	"sort"
	"strconv"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// PolicyARN is the ARN of a customer managed policy.
func PolicyARN(acct, path, name string) string { return arn(acct, "policy", path, name) }

const awsPolicyPrefix = "arn:aws:iam::aws:policy"

// ManagedPolicy is a managed policy as IAM reports it.
type ManagedPolicy struct {
	store.IAMPolicy
	AttachmentCount int
	AWSManaged      bool
}

func policyNotFound(arn string) error {
	return noSuchEntity("Policy %s does not exist or is not attachable.", arn)
}

// policy finds a managed policy visible to acct: its own customer managed
// policies and the AWS managed catalog.
func (s *Service) policy(ctx context.Context, tx store.Tx, acct, arn string) (ManagedPolicy, error) {
	if m, ok := lookupAWSManaged(arn); ok {
		return ManagedPolicy{IAMPolicy: m.Policy, AWSManaged: true}, nil
	}
	p, err := tx.GetIAMPolicy(ctx, arn)
	if errors.Is(err, store.ErrNotFound) || (err == nil && p.AccountID != acct) {
		return ManagedPolicy{}, policyNotFound(arn)
	}
	return ManagedPolicy{IAMPolicy: p}, err
}

// customerPolicy finds a customer managed policy of acct for modification.
func (s *Service) customerPolicy(ctx context.Context, tx store.Tx, acct, arn string) (store.IAMPolicy, error) {
	if strings.HasPrefix(arn, awsPolicyPrefix) {
		return store.IAMPolicy{}, invalidInput("Policy %s is an AWS managed policy and cannot be modified.", arn)
	}
	p, err := s.policy(ctx, tx, acct, arn)
	return p.IAMPolicy, err
}

func (s *Service) withCount(ctx context.Context, tx store.Tx, acct string, p ManagedPolicy) (ManagedPolicy, error) {
	as, err := tx.ListIAMPolicyAttachments(ctx, acct, p.ARN)
	p.AttachmentCount = len(as)
	return p, err
}

func checkManagedDocument(doc string) error {
	if err := checkDocument(doc, policy.KindIdentity); err != nil {
		return err
	}
	if policySize(doc) > MaxManagedPolicySize {
		return limitExceeded("Cannot exceed quota for PolicySize: %d", MaxManagedPolicySize)
	}
	return nil
}

// CreatePolicy creates a customer managed policy with version v1 as default.
func (s *Service) CreatePolicy(ctx context.Context, c Caller, name, path, description, doc string, tags []store.Tag) (ManagedPolicy, error) {
	if err := checkName("policyName", name, 128); err != nil {
		return ManagedPolicy{}, err
	}
	path, err := normPath(path)
	if err != nil {
		return ManagedPolicy{}, err
	}
	if err := checkManagedDocument(doc); err != nil {
		return ManagedPolicy{}, err
	}
	if tags, err = mergeTags(nil, tags); err != nil {
		return ManagedPolicy{}, err
	}
	id, err := s.uniqueID("ANPA")
	if err != nil {
		return ManagedPolicy{}, err
	}
	now := s.now()
	p := store.IAMPolicy{AccountID: c.AccountID, PolicyID: id, PolicyName: name, Path: path, ARN: PolicyARN(c.AccountID, path, name),
		Description: description, DefaultVersionID: "v1", LastVersion: 1, Tags: tags, CreatedAt: now, UpdatedAt: now}
	err = s.update(ctx, "create policy", func(tx store.Tx) error {
		if err := existsAs(tx.CreateIAMPolicy(ctx, p), func() error {
			return alreadyExists("A policy called %s already exists. Duplicate names are not allowed.", name)
		}); err != nil {
			return err
		}
		return tx.CreateIAMPolicyVersion(ctx, store.IAMPolicyVersion{PolicyARN: p.ARN, VersionID: "v1", Document: doc, CreatedAt: now})
	})
	return ManagedPolicy{IAMPolicy: p}, err
}

// GetPolicy returns a managed policy with its attachment count.
func (s *Service) GetPolicy(ctx context.Context, c Caller, arn string) (ManagedPolicy, error) {
	var p ManagedPolicy
	err := s.view(ctx, "get policy", func(tx store.Tx) error {
		var err error
		if p, err = s.policy(ctx, tx, c.AccountID, arn); err != nil {
			return err
		}
		p, err = s.withCount(ctx, tx, c.AccountID, p)
		return err
	})
	return p, err
}

// ListPoliciesInput filters ListPolicies.
type ListPoliciesInput struct {
	Scope        string // All (default), AWS, Local
	OnlyAttached bool
	PathPrefix   string
	Marker       string
	MaxItems     int
}

// ListPolicies pages managed policies by ARN.
func (s *Service) ListPolicies(ctx context.Context, c Caller, in ListPoliciesInput) (Page[ManagedPolicy], error) {
	var all []ManagedPolicy
	err := s.view(ctx, "list policies", func(tx store.Tx) error {
		if in.Scope != "Local" {
			for _, m := range awsManagedCatalog() {
				all = append(all, ManagedPolicy{IAMPolicy: m.Policy, AWSManaged: true})
			}
		}
		if in.Scope != "AWS" {
			ps, err := tx.ListIAMPolicies(ctx, c.AccountID, store.IAMListFilter{}, store.Page{})
			if err != nil {
				return err
			}
			for _, p := range ps {
				all = append(all, ManagedPolicy{IAMPolicy: p})
			}
		}
		var kept []ManagedPolicy
		for _, p := range all {
			if in.PathPrefix != "" && !strings.HasPrefix(p.Path, in.PathPrefix) {
				continue
			}
			p, err := s.withCount(ctx, tx, c.AccountID, p)
			if err != nil {
				return err
			}
			if in.OnlyAttached && p.AttachmentCount == 0 {
				continue
			}
			kept = append(kept, p)
		}
		all = kept
		return nil
	})
	if err != nil {
		return Page[ManagedPolicy]{}, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ARN < all[j].ARN })
	return pageSlice(all, in.Marker, in.MaxItems, func(p ManagedPolicy) string { return p.ARN })
}

// DeletePolicy deletes a customer managed policy that is not attached and has
// only its default version.
func (s *Service) DeletePolicy(ctx context.Context, c Caller, arn string) error {
	return s.update(ctx, "delete policy", func(tx store.Tx) error {
		p, err := s.customerPolicy(ctx, tx, c.AccountID, arn)
		if err != nil {
			return err
		}
		as, err := tx.ListIAMPolicyAttachments(ctx, c.AccountID, arn)
		if err != nil {
			return err
		}
		if len(as) > 0 {
			return deleteConflict("Cannot delete a policy attached to entities.")
		}
		vs, err := tx.ListIAMPolicyVersions(ctx, arn)
		if err != nil {
			return err
		}
		if len(vs) > 1 {
			return deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		return tx.DeleteIAMPolicy(ctx, p.ARN)
	})
}

// PolicyVersion is a version as IAM reports it.
type PolicyVersion struct {
	store.IAMPolicyVersion
	IsDefault bool
}

// CreatePolicyVersion adds a version (at most five per policy).
func (s *Service) CreatePolicyVersion(ctx context.Context, c Caller, arn, doc string, setDefault bool) (PolicyVersion, error) {
	if err := checkManagedDocument(doc); err != nil {
		return PolicyVersion{}, err
	}
	var v PolicyVersion
	err := s.update(ctx, "create policy version", func(tx store.Tx) error {
		p, err := s.customerPolicy(ctx, tx, c.AccountID, arn)
		if err != nil {
			return err
		}
		vs, err := tx.ListIAMPolicyVersions(ctx, arn)
		if err != nil {
			return err
		}
		if len(vs) >= MaxPolicyVersions {
			return limitExceeded("A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", MaxPolicyVersions)
		}
		p.LastVersion++
		now := s.now()
		v = PolicyVersion{IAMPolicyVersion: store.IAMPolicyVersion{PolicyARN: arn, VersionID: "v" + strconv.Itoa(p.LastVersion), Document: doc, CreatedAt: now}, IsDefault: setDefault}
		if setDefault {
			p.DefaultVersionID = v.VersionID
		}
		p.UpdatedAt = now
		if err := tx.CreateIAMPolicyVersion(ctx, v.IAMPolicyVersion); err != nil {
			return err
		}
		return tx.ReplaceIAMPolicy(ctx, p)
	})
	return v, err
}

func versionNotFound(arn, id string) error {
	return noSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, id)
}

// GetPolicyVersion returns one version of a managed policy.
func (s *Service) GetPolicyVersion(ctx context.Context, c Caller, arn, id string) (PolicyVersion, error) {
	if m, ok := lookupAWSManaged(arn); ok {
		if id != m.Policy.DefaultVersionID {
			return PolicyVersion{}, versionNotFound(arn, id)
		}
		return PolicyVersion{IAMPolicyVersion: store.IAMPolicyVersion{PolicyARN: arn, VersionID: id, Document: m.Document, CreatedAt: m.Policy.UpdatedAt}, IsDefault: true}, nil
	}
	var v PolicyVersion
	err := s.view(ctx, "get policy version", func(tx store.Tx) error {
		p, err := s.customerPolicy(ctx, tx, c.AccountID, arn)
		if err != nil {
			return err
		}
		sv, err := tx.GetIAMPolicyVersion(ctx, arn, id)
		if err != nil {
			return notFoundAs(err, func() error { return versionNotFound(arn, id) })
		}
		v = PolicyVersion{IAMPolicyVersion: sv, IsDefault: sv.VersionID == p.DefaultVersionID}
		return nil
	})
	return v, err
}

// ListPolicyVersions lists a policy's versions, newest first.
func (s *Service) ListPolicyVersions(ctx context.Context, c Caller, arn, marker string, max int) (Page[PolicyVersion], error) {
	var out []PolicyVersion
	if m, ok := lookupAWSManaged(arn); ok {
		out = []PolicyVersion{{IAMPolicyVersion: store.IAMPolicyVersion{PolicyARN: arn, VersionID: m.Policy.DefaultVersionID, Document: m.Document, CreatedAt: m.Policy.UpdatedAt}, IsDefault: true}}
	} else {
		err := s.view(ctx, "list policy versions", func(tx store.Tx) error {
			p, err := s.customerPolicy(ctx, tx, c.AccountID, arn)
			if err != nil {
				return err
			}
			vs, err := tx.ListIAMPolicyVersions(ctx, arn)
			for _, v := range vs {
				out = append(out, PolicyVersion{IAMPolicyVersion: v, IsDefault: v.VersionID == p.DefaultVersionID})
			}
			return err
		})
		if err != nil {
			return Page[PolicyVersion]{}, err
		}
	}
	// Newest first: key on the inverted version number.
	return pageSlice(out, marker, max, func(v PolicyVersion) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(v.VersionID, "v"))
		return fmt.Sprintf("%09d", 999999999-n)
	})
}

// DeletePolicyVersion deletes a non-default version.
func (s *Service) DeletePolicyVersion(ctx context.Context, c Caller, arn, id string) error {
	return s.update(ctx, "delete policy version", func(tx store.Tx) error {
		p, err := s.customerPolicy(ctx, tx, c.AccountID, arn)
		if err != nil {
			return err
		}
		if id == p.DefaultVersionID {
			return deleteConflict("Cannot delete the default version of a policy.")
		}
		return notFoundAs(tx.DeleteIAMPolicyVersion(ctx, arn, id), func() error { return versionNotFound(arn, id) })
	})
}

// SetDefaultPolicyVersion makes a version the default.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, c Caller, arn, id string) error {
	return s.update(ctx, "set default policy version", func(tx store.Tx) error {
		p, err := s.customerPolicy(ctx, tx, c.AccountID, arn)
		if err != nil {
			return err
		}
		if _, err := tx.GetIAMPolicyVersion(ctx, arn, id); err != nil {
			return notFoundAs(err, func() error { return versionNotFound(arn, id) })
		}
		p.DefaultVersionID = id
		p.UpdatedAt = s.now()
		return tx.ReplaceIAMPolicy(ctx, p)
	})
}

// ---- attachments ----

// entity resolves a user, group or role by name to its id.
func entity(ctx context.Context, tx store.Tx, acct, typ, name string) (string, error) {
	switch typ {
	case store.IAMEntityUser:
		u, err := getUser(ctx, tx, acct, name)
		return u.UserID, err
	case store.IAMEntityGroup:
		g, err := getGroup(ctx, tx, acct, name)
		return g.GroupID, err
	case store.IAMEntityRole:
		r, err := getRole(ctx, tx, acct, name)
		return r.RoleID, err
	}
	return "", fmt.Errorf("iam: unknown entity type %q", typ)
}

// AttachPolicy attaches a managed policy to a user, group or role (no-op
// when already attached).
func (s *Service) AttachPolicy(ctx context.Context, c Caller, typ, name, arn string) error {
	return s.update(ctx, "attach policy", func(tx store.Tx) error {
		id, err := entity(ctx, tx, c.AccountID, typ, name)
		if err != nil {
			return err
		}
		if err := roleModifiable(ctx, tx, c.AccountID, typ, name); err != nil { // slr.go
			return err
		}
		if _, err := s.policy(ctx, tx, c.AccountID, arn); err != nil {
			return err
		}
		have, err := tx.ListIAMAttachedPolicies(ctx, id)
		if err != nil {
			return err
		}
		for _, a := range have {
			if a == arn {
				return nil
			}
		}
		if len(have) >= MaxManagedPerEntity {
			return limitExceeded("Cannot exceed quota for PoliciesPer%s: %d", typ, MaxManagedPerEntity)
		}
		return tx.AttachIAMPolicy(ctx, store.IAMAttachment{AccountID: c.AccountID, EntityType: typ, EntityID: id, PolicyARN: arn})
	})
}

// DetachPolicy detaches a managed policy.
func (s *Service) DetachPolicy(ctx context.Context, c Caller, typ, name, arn string) error {
	return s.update(ctx, "detach policy", func(tx store.Tx) error {
		id, err := entity(ctx, tx, c.AccountID, typ, name)
		if err != nil {
			return err
		}
		if err := roleModifiable(ctx, tx, c.AccountID, typ, name); err != nil { // slr.go
			return err
		}
		return notFoundAs(tx.DetachIAMPolicy(ctx, id, arn), func() error { return noSuchEntity("Policy %s was not found.", arn) })
	})
}

// AttachedPolicy names an attached managed policy.
type AttachedPolicy struct {
	Name, ARN string
}

// ListAttachedPolicies pages the managed policies attached to an entity.
func (s *Service) ListAttachedPolicies(ctx context.Context, c Caller, typ, name, pathPrefix, marker string, max int) (Page[AttachedPolicy], error) {
	var out []AttachedPolicy
	err := s.view(ctx, "list attached policies", func(tx store.Tx) error {
		id, err := entity(ctx, tx, c.AccountID, typ, name)
		if err != nil {
			return err
		}
		arns, err := tx.ListIAMAttachedPolicies(ctx, id)
		for _, a := range arns {
			// arn:aws:iam::<acct>:policy<path><name>
			res := a[strings.Index(a, ":policy")+len(":policy"):]
			path, pname := res[:strings.LastIndexByte(res, '/')+1], res[strings.LastIndexByte(res, '/')+1:]
			if pathPrefix != "" && !strings.HasPrefix(path, pathPrefix) {
				continue
			}
			out = append(out, AttachedPolicy{Name: pname, ARN: a})
		}
		return err
	})
	if err != nil {
		return Page[AttachedPolicy]{}, err
	}
	return pageSlice(out, marker, max, func(p AttachedPolicy) string { return p.ARN })
}

// ListEntitiesForPolicy pages the entities a policy is attached to.
// filter is "", User, Group or Role (LocalManagedPolicy/AWSManagedPolicy
// filter nothing: policies attach only to those three).
func (s *Service) ListEntitiesForPolicy(ctx context.Context, c Caller, arn, filter, pathPrefix, marker string, max int) (Page[store.IAMAttachment], error) {
	var out []store.IAMAttachment
	err := s.view(ctx, "list entities for policy", func(tx store.Tx) error {
		if _, err := s.policy(ctx, tx, c.AccountID, arn); err != nil {
			return err
		}
		as, err := tx.ListIAMPolicyAttachments(ctx, c.AccountID, arn)
		if err != nil {
			return err
		}
		for _, a := range as {
			if filter != "" && filter != a.EntityType && (filter == store.IAMEntityUser || filter == store.IAMEntityGroup || filter == store.IAMEntityRole) {
				continue
			}
			if pathPrefix != "" {
				path, err := entityPath(ctx, tx, c.AccountID, a)
				if err != nil {
					return err
				}
				if !strings.HasPrefix(path, pathPrefix) {
					continue
				}
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return Page[store.IAMAttachment]{}, err
	}
	return pageSlice(out, marker, max, func(a store.IAMAttachment) string { return a.EntityType + "/" + strings.ToLower(a.EntityName) })
}

func entityPath(ctx context.Context, tx store.Tx, acct string, a store.IAMAttachment) (string, error) {
	switch a.EntityType {
	case store.IAMEntityUser:
		u, err := tx.GetIAMUser(ctx, acct, a.EntityName)
		return u.Path, err
	case store.IAMEntityGroup:
		g, err := tx.GetIAMGroup(ctx, acct, a.EntityName)
		return g.Path, err
	default:
		r, err := tx.GetIAMRole(ctx, acct, a.EntityName)
		return r.Path, err
	}
}

// ---- inline policies ----

var inlineLimits = map[string]int{
	store.IAMEntityUser:  MaxUserInlineSize,
	store.IAMEntityGroup: MaxGroupInlineSize,
	store.IAMEntityRole:  MaxRoleInlineSize,
}

// PutInlinePolicy creates or replaces an inline policy. The size quota is
// the aggregate of the entity's inline policies.
func (s *Service) PutInlinePolicy(ctx context.Context, c Caller, typ, name, policyName, doc string) error {
	if err := checkName("policyName", policyName, 128); err != nil {
		return err
	}
	if err := checkDocument(doc, policy.KindIdentity); err != nil {
		return err
	}
	return s.update(ctx, "put inline policy", func(tx store.Tx) error {
		id, err := entity(ctx, tx, c.AccountID, typ, name)
		if err != nil {
			return err
		}
		if err := roleModifiable(ctx, tx, c.AccountID, typ, name); err != nil { // slr.go
			return err
		}
		have, err := tx.ListIAMInlinePolicies(ctx, id)
		if err != nil {
			return err
		}
		size := policySize(doc)
		for _, p := range have {
			if !strings.EqualFold(p.PolicyName, policyName) {
				size += policySize(p.Document)
			}
		}
		if size > inlineLimits[typ] {
			return limitExceeded("Maximum policy size of %d bytes exceeded for %s %s", inlineLimits[typ], strings.ToLower(typ), name)
		}
		return tx.PutIAMInlinePolicy(ctx, store.IAMInlinePolicy{EntityType: typ, EntityID: id, PolicyName: policyName, Document: doc})
	})
}

func inlineNotFound(typ, policyName string) error {
	return noSuchEntity("The %s policy with name %s cannot be found.", strings.ToLower(typ), policyName)
}

// GetInlinePolicy returns an inline policy.
func (s *Service) GetInlinePolicy(ctx context.Context, c Caller, typ, name, policyName string) (store.IAMInlinePolicy, error) {
	var p store.IAMInlinePolicy
	err := s.view(ctx, "get inline policy", func(tx store.Tx) error {
		id, err := entity(ctx, tx, c.AccountID, typ, name)
		if err != nil {
			return err
		}
		p, err = tx.GetIAMInlinePolicy(ctx, id, policyName)
		return notFoundAs(err, func() error { return inlineNotFound(typ, policyName) })
	})
	return p, err
}

// DeleteInlinePolicy deletes an inline policy.
func (s *Service) DeleteInlinePolicy(ctx context.Context, c Caller, typ, name, policyName string) error {
	return s.update(ctx, "delete inline policy", func(tx store.Tx) error {
		id, err := entity(ctx, tx, c.AccountID, typ, name)
		if err != nil {
			return err
		}
		if err := roleModifiable(ctx, tx, c.AccountID, typ, name); err != nil { // slr.go
			return err
		}
		return notFoundAs(tx.DeleteIAMInlinePolicy(ctx, id, policyName), func() error { return inlineNotFound(typ, policyName) })
	})
}

// ListInlinePolicies pages the names of an entity's inline policies.
func (s *Service) ListInlinePolicies(ctx context.Context, c Caller, typ, name, marker string, max int) (Page[string], error) {
	var names []string
	err := s.view(ctx, "list inline policies", func(tx store.Tx) error {
		id, err := entity(ctx, tx, c.AccountID, typ, name)
		if err != nil {
			return err
		}
		ps, err := tx.ListIAMInlinePolicies(ctx, id)
		for _, p := range ps {
			names = append(names, p.PolicyName)
		}
		return err
	})
	if err != nil {
		return Page[string]{}, err
	}
	return pageSlice(names, marker, max, strings.ToLower)
}
