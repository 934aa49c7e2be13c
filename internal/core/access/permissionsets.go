package access

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// NewPermissionSet is what CreatePermissionSet takes; empty strings are "not
// given".
type NewPermissionSet struct {
	Name            string
	Description     string
	SessionDuration string // default PT1H
	RelayState      string
	Tags            []store.Tag
}

// PermissionSetUpdate is what UpdatePermissionSet takes; empty strings are
// "not given". As in AWS, an omitted Description or SessionDuration is kept,
// but an omitted RelayState is cleared (terraform-provider-aws #17411).
type PermissionSetUpdate struct {
	Description     string
	SessionDuration string
	RelayState      string
}

// CreatePermissionSet creates a set in an instance: a fresh ARN
// (ps-<16 hex>), CreatedDate and ChangedAt now, SessionDuration stored exactly
// as given (PT1H when omitted).
func (s *Service) CreatePermissionSet(ctx context.Context, instanceARN string, in NewPermissionSet) (store.PermissionSet, error) {
	if err := validateName(in.Name); err != nil {
		return store.PermissionSet{}, err
	}
	if err := validateAttributes(in.Description, in.SessionDuration, in.RelayState); err != nil {
		return store.PermissionSet{}, err
	}
	if err := validateTags(in.Tags); err != nil {
		return store.PermissionSet{}, err
	}
	if len(in.Tags) > maxTagsPerResource {
		return store.PermissionSet{}, fault.QuotaExceededf("A resource can have at most %d tags.", maxTagsPerResource)
	}
	if in.SessionDuration == "" {
		in.SessionDuration = defaultSessionDuration
	}
	id, err := s.randomHex(8)
	if err != nil {
		return store.PermissionSet{}, err
	}
	arn, err := permissionSetARN(instanceARN, id)
	if err != nil {
		return store.PermissionSet{}, err
	}
	now := s.now()
	ps := store.PermissionSet{
		InstanceARN: instanceARN, ARN: arn, Name: in.Name, Description: in.Description,
		SessionDuration: in.SessionDuration, RelayState: in.RelayState, CreatedAt: now, ChangedAt: now,
	}
	err = s.update(ctx, "create permission set", instanceARN, func(tx store.Tx) error {
		n, err := tx.CountPermissionSets(ctx, instanceARN)
		if err != nil {
			return err
		}
		if n >= maxPermissionSets {
			return fault.QuotaExceededf("The instance already has the maximum of %d permission sets.", maxPermissionSets)
		}
		if err := tx.CreatePermissionSet(ctx, ps); err != nil {
			if errors.Is(err, store.ErrAlreadyExists) {
				return &fault.Error{Kind: fault.Conflict, Message: "PermissionSet with name " + in.Name + " already exists.", Err: err}
			}
			return err
		}
		if len(in.Tags) > 0 {
			return tx.PutTags(ctx, instanceARN, arn, in.Tags)
		}
		return nil
	})
	if err != nil {
		return store.PermissionSet{}, err
	}
	return ps, nil
}

// DescribePermissionSet returns one set of an instance.
func (s *Service) DescribePermissionSet(ctx context.Context, instanceARN, arn string) (store.PermissionSet, error) {
	var ps store.PermissionSet
	err := s.view(ctx, "describe permission set", instanceARN, func(tx store.Tx) error {
		var err error
		ps, err = getPermissionSet(ctx, tx, instanceARN, arn)
		return err
	})
	return ps, err
}

// ListPermissionSets pages through an instance's permission set ARNs.
func (s *Service) ListPermissionSets(ctx context.Context, instanceARN string, maxResults int, nextToken string) ([]string, string, error) {
	max, err := pageSize(maxResults)
	if err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, max, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var pss []store.PermissionSet
	err = s.view(ctx, "list permission sets", instanceARN, func(tx store.Tx) error {
		var err error
		pss, err = tx.ListPermissionSets(ctx, instanceARN, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	pss, next := paging.Trim(pss, limit, func(ps store.PermissionSet) string { return ps.ARN })
	arns := make([]string, len(pss))
	for i, ps := range pss {
		arns[i] = ps.ARN
	}
	return arns, next, nil
}

// UpdatePermissionSet changes a set's description, session duration and relay
// state (see PermissionSetUpdate for omitted fields).
func (s *Service) UpdatePermissionSet(ctx context.Context, instanceARN, arn string, u PermissionSetUpdate) error {
	if err := validateAttributes(u.Description, u.SessionDuration, u.RelayState); err != nil {
		return err
	}
	return s.modify(ctx, "update permission set", instanceARN, arn, func(tx store.Tx, ps *store.PermissionSet) error {
		if u.Description != "" {
			ps.Description = u.Description
		}
		if u.SessionDuration != "" {
			ps.SessionDuration = u.SessionDuration
		}
		ps.RelayState = u.RelayState
		return nil
	})
}

// DeletePermissionSet deletes a set with its policies and tags; a set still
// assigned or provisioned to an account cannot be deleted (ConflictException
// as in AWS).
func (s *Service) DeletePermissionSet(ctx context.Context, instanceARN, arn string) error {
	return s.update(ctx, "delete permission set", instanceARN, func(tx store.Tx) error {
		prs, err := tx.ListProvisioned(ctx, instanceARN, store.ProvisionedFilter{PermissionSetARN: arn}, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		as, err := tx.ListAccountAssignments(ctx, instanceARN, store.AssignmentFilter{PermissionSetARN: arn}, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		if len(prs) > 0 || len(as) > 0 {
			return &fault.Error{Kind: fault.Conflict, Message: "Could not delete because PermissionSet has ApplicationProfile associated with it"}
		}
		err = tx.DeletePermissionSet(ctx, instanceARN, arn)
		if errors.Is(err, store.ErrNotFound) {
			return permissionSetNotFound(arn)
		}
		return err
	})
}

// modify reads a set, lets fn change it (and other records), and stores it
// with ChangedAt now: every change a provisioned role must follow goes
// through here.
func (s *Service) modify(ctx context.Context, op, instanceARN, arn string, fn func(tx store.Tx, ps *store.PermissionSet) error) error {
	return s.update(ctx, op, instanceARN, func(tx store.Tx) error {
		ps, err := getPermissionSet(ctx, tx, instanceARN, arn)
		if err != nil {
			return err
		}
		if err := fn(tx, &ps); err != nil {
			return err
		}
		// Strictly later than the previous change, so that a provisioning
		// of the previous state is out of date even with a coarse clock.
		now := s.now()
		if !now.After(ps.ChangedAt) {
			now = ps.ChangedAt.Add(time.Nanosecond)
		}
		ps.ChangedAt = now
		return tx.ReplacePermissionSet(ctx, ps)
	})
}

// PutInlinePolicy sets (replaces) a set's inline policy; the document is
// stored exactly as given.
func (s *Service) PutInlinePolicy(ctx context.Context, instanceARN, arn, doc string) error {
	if err := validateInlinePolicy(doc); err != nil {
		return err
	}
	return s.modify(ctx, "put inline policy", instanceARN, arn, func(_ store.Tx, ps *store.PermissionSet) error {
		ps.InlinePolicy = doc
		return nil
	})
}

// GetInlinePolicy returns a set's inline policy; "" when it has none.
func (s *Service) GetInlinePolicy(ctx context.Context, instanceARN, arn string) (string, error) {
	ps, err := s.DescribePermissionSet(ctx, instanceARN, arn)
	return ps.InlinePolicy, err
}

// DeleteInlinePolicy removes a set's inline policy (a no-op when it has none).
func (s *Service) DeleteInlinePolicy(ctx context.Context, instanceARN, arn string) error {
	return s.modify(ctx, "delete inline policy", instanceARN, arn, func(_ store.Tx, ps *store.PermissionSet) error {
		ps.InlinePolicy = ""
		return nil
	})
}

// PutPermissionsBoundary sets a set's boundary: exactly one of an AWS managed
// policy ARN or a customer managed policy reference.
func (s *Service) PutPermissionsBoundary(ctx context.Context, instanceARN, arn string, b store.PermissionsBoundary) error {
	switch {
	case b.ManagedPolicyARN != "" && b.CustomerManaged != nil:
		return fault.Validationf("Specify either ManagedPolicyArn or CustomerManagedPolicyReference in PermissionsBoundary, not both.")
	case b.ManagedPolicyARN != "":
		if err := validateManagedARN(b.ManagedPolicyARN); err != nil {
			return err
		}
	case b.CustomerManaged != nil:
		ref, err := normaliseReference(*b.CustomerManaged)
		if err != nil {
			return err
		}
		b.CustomerManaged = &ref
	default:
		return fault.Validationf("PermissionsBoundary must have a ManagedPolicyArn or a CustomerManagedPolicyReference.")
	}
	return s.modify(ctx, "put permissions boundary", instanceARN, arn, func(_ store.Tx, ps *store.PermissionSet) error {
		ps.Boundary = &b
		return nil
	})
}

func boundaryNotFound(arn string) error {
	return fault.NotFoundf(ResourcePolicy, arn, "Permissions boundary not found for PermissionSet %s.", arn)
}

// GetPermissionsBoundary returns a set's boundary; NotFound when it has none.
func (s *Service) GetPermissionsBoundary(ctx context.Context, instanceARN, arn string) (store.PermissionsBoundary, error) {
	ps, err := s.DescribePermissionSet(ctx, instanceARN, arn)
	if err != nil {
		return store.PermissionsBoundary{}, err
	}
	if ps.Boundary == nil {
		return store.PermissionsBoundary{}, boundaryNotFound(arn)
	}
	return *ps.Boundary, nil
}

// DeletePermissionsBoundary removes a set's boundary; NotFound when it has none.
func (s *Service) DeletePermissionsBoundary(ctx context.Context, instanceARN, arn string) error {
	return s.modify(ctx, "delete permissions boundary", instanceARN, arn, func(_ store.Tx, ps *store.PermissionSet) error {
		if ps.Boundary == nil {
			return boundaryNotFound(arn)
		}
		ps.Boundary = nil
		return nil
	})
}

// ---- managed policies and customer managed policy references ----

// AttachedManagedPolicy is an AWS managed policy on a set.
type AttachedManagedPolicy struct {
	Name string
	ARN  string
}

// attachedCount counts a set's managed policies and references together.
func attachedCount(ctx context.Context, tx store.Tx, arn string) (int, error) {
	ms, err := tx.ListManagedPolicies(ctx, arn, store.Page{})
	if err != nil {
		return 0, err
	}
	rs, err := tx.ListCustomerManagedPolicies(ctx, arn, store.Page{})
	if err != nil {
		return 0, err
	}
	return len(ms) + len(rs), nil
}

func checkRoomForPolicy(ctx context.Context, tx store.Tx, arn string) error {
	n, err := attachedCount(ctx, tx, arn)
	if err != nil {
		return err
	}
	if n >= maxAttachedPolicies {
		return fault.QuotaExceededf("A permission set can have at most %d AWS managed and customer managed policies.", maxAttachedPolicies)
	}
	return nil
}

// AttachManagedPolicy attaches an AWS managed policy (ConflictException when
// already attached).
func (s *Service) AttachManagedPolicy(ctx context.Context, instanceARN, arn, policyARN string) error {
	if err := validateManagedARN(policyARN); err != nil {
		return err
	}
	return s.modify(ctx, "attach managed policy", instanceARN, arn, func(tx store.Tx, _ *store.PermissionSet) error {
		if err := checkRoomForPolicy(ctx, tx, arn); err != nil {
			return err
		}
		err := tx.AttachManagedPolicy(ctx, arn, policyARN)
		if errors.Is(err, store.ErrAlreadyExists) {
			return &fault.Error{Kind: fault.Conflict, Message: "Managed policy " + policyARN + " is already attached to the permission set.", Err: err}
		}
		return err
	})
}

// DetachManagedPolicy detaches an AWS managed policy (NotFound when not attached).
func (s *Service) DetachManagedPolicy(ctx context.Context, instanceARN, arn, policyARN string) error {
	if err := validateManagedARN(policyARN); err != nil {
		return err
	}
	return s.modify(ctx, "detach managed policy", instanceARN, arn, func(tx store.Tx, _ *store.PermissionSet) error {
		err := tx.DetachManagedPolicy(ctx, arn, policyARN)
		if errors.Is(err, store.ErrNotFound) {
			return fault.NotFoundf(ResourcePolicy, policyARN, "Managed policy %s is not attached to PermissionSet %s.", policyARN, arn)
		}
		return err
	})
}

// ListManagedPolicies pages a set's AWS managed policies.
func (s *Service) ListManagedPolicies(ctx context.Context, instanceARN, arn string, maxResults int, nextToken string) ([]AttachedManagedPolicy, string, error) {
	max, err := pageSize(maxResults)
	if err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, max, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var arns []string
	err = s.view(ctx, "list managed policies", instanceARN, func(tx store.Tx) error {
		if _, err := getPermissionSet(ctx, tx, instanceARN, arn); err != nil {
			return err
		}
		var err error
		arns, err = tx.ListManagedPolicies(ctx, arn, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	arns, next := paging.Trim(arns, limit, func(a string) string { return a })
	out := make([]AttachedManagedPolicy, len(arns))
	for i, a := range arns {
		out[i] = AttachedManagedPolicy{Name: managedPolicyName(a), ARN: a}
	}
	return out, next, nil
}

// AttachCustomerManagedPolicy attaches a customer managed policy reference
// (Path defaults to "/"; ConflictException when already attached).
func (s *Service) AttachCustomerManagedPolicy(ctx context.Context, instanceARN, arn string, ref store.PolicyReference) error {
	ref, err := normaliseReference(ref)
	if err != nil {
		return err
	}
	return s.modify(ctx, "attach customer managed policy", instanceARN, arn, func(tx store.Tx, _ *store.PermissionSet) error {
		if err := checkRoomForPolicy(ctx, tx, arn); err != nil {
			return err
		}
		err := tx.AttachCustomerManagedPolicy(ctx, arn, ref)
		if errors.Is(err, store.ErrAlreadyExists) {
			return &fault.Error{Kind: fault.Conflict, Message: "Customer managed policy " + ref.Key() + " is already attached to the permission set.", Err: err}
		}
		return err
	})
}

// DetachCustomerManagedPolicy detaches a reference (NotFound when not attached).
func (s *Service) DetachCustomerManagedPolicy(ctx context.Context, instanceARN, arn string, ref store.PolicyReference) error {
	ref, err := normaliseReference(ref)
	if err != nil {
		return err
	}
	return s.modify(ctx, "detach customer managed policy", instanceARN, arn, func(tx store.Tx, _ *store.PermissionSet) error {
		err := tx.DetachCustomerManagedPolicy(ctx, arn, ref)
		if errors.Is(err, store.ErrNotFound) {
			return fault.NotFoundf(ResourcePolicy, ref.Key(), "Customer managed policy %s is not attached to PermissionSet %s.", ref.Key(), arn)
		}
		return err
	})
}

// ListCustomerManagedPolicies pages a set's customer managed policy references.
func (s *Service) ListCustomerManagedPolicies(ctx context.Context, instanceARN, arn string, maxResults int, nextToken string) ([]store.PolicyReference, string, error) {
	max, err := pageSize(maxResults)
	if err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, max, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var refs []store.PolicyReference
	err = s.view(ctx, "list customer managed policies", instanceARN, func(tx store.Tx) error {
		if _, err := getPermissionSet(ctx, tx, instanceARN, arn); err != nil {
			return err
		}
		var err error
		refs, err = tx.ListCustomerManagedPolicies(ctx, arn, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	refs, next := paging.Trim(refs, limit, func(r store.PolicyReference) string { return r.Key() })
	return refs, next, nil
}

// ---- tags ----

// resolveTaggable checks that resourceARN is an existing instance or permission
// set (of instanceARN when that is given) and returns its instance.
func resolveTaggable(ctx context.Context, tx store.Tx, instanceARN, resourceARN string) (string, error) {
	inst, ok := instanceOf(resourceARN)
	if !ok {
		return "", fault.NotFoundf("", resourceARN, "Resource %s does not exist or is not taggable.", resourceARN)
	}
	if instanceARN != "" && instanceARN != inst {
		return "", fault.NotFoundf("", resourceARN, "Resource %s does not belong to instance %s.", resourceARN, instanceARN)
	}
	if err := checkInstance(ctx, tx, inst); err != nil {
		return "", err
	}
	var err error
	switch {
	case strings.Contains(resourceARN, ":permissionSet/"):
		_, err = getPermissionSet(ctx, tx, inst, resourceARN)
	case strings.Contains(resourceARN, ":application/"):
		_, err = getApplication(ctx, tx, resourceARN)
	case strings.Contains(resourceARN, ":trustedTokenIssuer/"):
		_, err = getTTI(ctx, tx, resourceARN)
	}
	return inst, err
}

// TagResource adds or overwrites tags of an instance, permission set,
// application or trusted token issuer.
func (s *Service) TagResource(ctx context.Context, instanceARN, resourceARN string, tags []store.Tag) error {
	if err := validateTags(tags); err != nil {
		return err
	}
	return mapErr("tag resource", s.Store.Update(ctx, func(tx store.Tx) error {
		inst, err := resolveTaggable(ctx, tx, instanceARN, resourceARN)
		if err != nil {
			return err
		}
		if err := tx.PutTags(ctx, inst, resourceARN, tags); err != nil {
			return err
		}
		all, err := tx.ListTags(ctx, resourceARN, store.Page{})
		if err != nil {
			return err
		}
		if len(all) > maxTagsPerResource {
			return fault.QuotaExceededf("A resource can have at most %d tags.", maxTagsPerResource)
		}
		return nil
	}))
}

// UntagResource removes tags by key (absent keys are ignored).
func (s *Service) UntagResource(ctx context.Context, instanceARN, resourceARN string, keys []string) error {
	if err := validateTagKeys(keys); err != nil {
		return err
	}
	return mapErr("untag resource", s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := resolveTaggable(ctx, tx, instanceARN, resourceARN); err != nil {
			return err
		}
		return tx.DeleteTags(ctx, resourceARN, keys)
	}))
}

// ListTags pages a resource's tags (50 a page).
func (s *Service) ListTags(ctx context.Context, instanceARN, resourceARN, nextToken string) ([]store.Tag, string, error) {
	p, limit, err := paging.Page(nextToken, 0, maxTagsPerResource)
	if err != nil {
		return nil, "", err
	}
	var tags []store.Tag
	err = mapErr("list tags", s.Store.View(ctx, func(tx store.Tx) error {
		if _, err := resolveTaggable(ctx, tx, instanceARN, resourceARN); err != nil {
			return err
		}
		var err error
		tags, err = tx.ListTags(ctx, resourceARN, p)
		return err
	}))
	if err != nil {
		return nil, "", err
	}
	tags, next := paging.Trim(tags, limit, func(t store.Tag) string { return t.Key })
	return tags, next, nil
}
