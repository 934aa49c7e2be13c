package authz

import (
	"context"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// SourcedDocument is a policy document with where it comes from, as IAM's
// policy simulator reports it.
type SourcedDocument struct {
	NamedDocument
	// ID is the SourcePolicyId: an inline policy's name, a managed policy's name.
	ID string
	// Type is the SourcePolicyType: user, group, role (inline policies),
	// aws-managed or user-managed.
	Type string
	// OwnerType and OwnerName name the user, group or role the policy is
	// embedded in or attached to (User, Group, Role).
	OwnerType, OwnerName string
}

// EntityPolicies returns the identity-based policies Authorize evaluates for
// an IAM user (its own and its groups'), a group or a role — the same
// documents (managed policies at their default version) —, and the user's or
// role's permissions boundary (nil when none). entityType is
// store.IAMEntityUser, IAMEntityGroup or IAMEntityRole.
func (s *IAMPolicies) EntityPolicies(ctx context.Context, tx store.Tx, entityType, entityID, entityName, boundaryARN string) ([]SourcedDocument, *SourcedDocument, error) {
	var out []SourcedDocument
	if err := s.sourced(ctx, tx, entityType, entityID, entityName, &out); err != nil {
		return nil, nil, err
	}
	if entityType == store.IAMEntityUser {
		groups, err := tx.ListIAMGroupsForUser(ctx, entityID)
		if err != nil {
			return nil, nil, err
		}
		for _, g := range groups {
			if err := s.sourced(ctx, tx, store.IAMEntityGroup, g.GroupID, g.GroupName, &out); err != nil {
				return nil, nil, err
			}
		}
	}
	var boundary *SourcedDocument
	if boundaryARN != "" {
		doc, err := s.managed(ctx, tx, boundaryARN)
		if err != nil {
			return nil, nil, err
		}
		boundary = &SourcedDocument{NamedDocument: NamedDocument{Name: boundaryARN, Document: doc}, ID: policyName(boundaryARN), Type: managedType(boundaryARN)}
	}
	return out, boundary, nil
}

func (s *IAMPolicies) sourced(ctx context.Context, tx store.Tx, ownerType, id, name string, out *[]SourcedDocument) error {
	typ := strings.ToLower(ownerType)
	inline, err := tx.ListIAMInlinePolicies(ctx, id)
	if err != nil {
		return err
	}
	for _, p := range inline {
		*out = append(*out, SourcedDocument{NamedDocument: NamedDocument{Name: typ + "/" + name + " inline " + p.PolicyName, Document: p.Document},
			ID: p.PolicyName, Type: typ, OwnerType: ownerType, OwnerName: name})
	}
	arns, err := tx.ListIAMAttachedPolicies(ctx, id)
	if err != nil {
		return err
	}
	for _, arn := range arns {
		doc, err := s.managed(ctx, tx, arn)
		if err != nil {
			return err
		}
		*out = append(*out, SourcedDocument{NamedDocument: NamedDocument{Name: arn, Document: doc}, ID: policyName(arn), Type: managedType(arn),
			OwnerType: ownerType, OwnerName: name})
	}
	return nil
}

func policyName(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

func managedType(arn string) string {
	if strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") {
		return "aws-managed"
	}
	return "user-managed"
}

// ManagedDocument returns the document Authorize evaluates for a managed
// policy: its default version (AWS-managed policies from the bundled catalog).
func (s *IAMPolicies) ManagedDocument(ctx context.Context, tx store.Tx, arn string) (string, error) {
	return s.managed(ctx, tx, arn)
}
