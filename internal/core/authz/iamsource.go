package authz

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// IAMPolicies is the PolicySource over the IAM records of the store: for an
// IAM user, its inline policies, the default versions of the managed policies
// attached to it, the same for each of its groups, and its permissions
// boundary.
type IAMPolicies struct {
	Store store.Store
	// AWSManaged returns the document of an AWS-managed policy
	// (arn:aws:iam::aws:policy/...); ok is false for an unknown one.
	AWSManaged func(arn string) (document string, ok bool)
}

// PoliciesFor implements PolicySource. An STS session (a temporary ASIA… key)
// has the policies of what it stands for: an assumed role's inline and
// attached policies and boundary, or the IAM user's behind GetSessionToken
// and GetFederationToken; its session policies limit them.
func (s *IAMPolicies) PoliciesFor(ctx context.Context, c Caller) (CallerPolicies, error) {
	var out CallerPolicies
	err := s.Store.View(ctx, func(tx store.Tx) error {
		userName := ""
		if c.Type == "User" {
			userName = c.UserName
		}
		if strings.HasPrefix(c.AccessKeyID, "ASIA") {
			sess, err := tx.GetSession(ctx, c.AccessKeyID)
			if errors.Is(err, store.ErrNotFound) {
				return nil // authentication checked it; gone since: no permissions
			}
			if err != nil {
				return err
			}
			for _, t := range sess.Tags {
				out.PrincipalTags = append(out.PrincipalTags, Tag{Key: t.Key, Value: t.Value})
			}
			if sess.Type == store.SessionFederatedUser || sess.HasSessionPolicies() {
				out.HasSession = true
				out.Session = []NamedDocument{}
				for i, d := range sess.Policies {
					out.Session = append(out.Session, NamedDocument{Name: fmt.Sprintf("session policy %d", i+1), Document: d})
				}
				for _, arn := range sess.PolicyARNs {
					doc, err := s.managed(ctx, tx, arn)
					if err != nil {
						// A managed session policy that is gone (or never
						// existed) allows nothing; failing closed is safe.
						continue
					}
					out.Session = append(out.Session, NamedDocument{Name: arn, Document: doc})
				}
			}
			if sess.Type == store.SessionAssumedRole {
				out.RoleARN = sess.RoleARN
				return s.role(ctx, tx, sess, &out)
			}
			userName = sess.SourceUserName
		}
		if userName == "" {
			return nil
		}
		u, err := tx.GetIAMUser(ctx, c.AccountID, userName)
		if errors.Is(err, store.ErrNotFound) {
			return nil // a key whose user is gone has no permissions
		}
		if err != nil {
			return err
		}
		if !strings.HasPrefix(c.AccessKeyID, "ASIA") {
			for _, t := range u.Tags {
				out.PrincipalTags = append(out.PrincipalTags, Tag{Key: t.Key, Value: t.Value})
			}
		}
		if err := s.entity(ctx, tx, "user/"+u.UserName, u.UserID, &out.Identity); err != nil {
			return err
		}
		groups, err := tx.ListIAMGroupsForUser(ctx, u.UserID)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if err := s.entity(ctx, tx, "group/"+g.GroupName, g.GroupID, &out.Identity); err != nil {
				return err
			}
		}
		if u.PermissionsBoundary != "" {
			doc, err := s.managed(ctx, tx, u.PermissionsBoundary)
			if err != nil {
				return err
			}
			out.Boundary = &NamedDocument{Name: u.PermissionsBoundary, Document: doc}
		}
		return nil
	})
	if err != nil {
		return CallerPolicies{}, fmt.Errorf("authz: IAM policies of %s: %w", c.ARN, err)
	}
	return out, nil
}

// role adds the policies of an assumed role. A role deleted (or deleted and
// created again under the same name, with a new id) since the session began
// gives the session no permissions, as on AWS.
func (s *IAMPolicies) role(ctx context.Context, tx store.Tx, sess store.Session, out *CallerPolicies) error {
	r, err := tx.GetIAMRole(ctx, sess.AccountID, sess.RoleName)
	if errors.Is(err, store.ErrNotFound) || err == nil && r.RoleID != sess.RoleID {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.entity(ctx, tx, "role/"+r.RoleName, r.RoleID, &out.Identity); err != nil {
		return err
	}
	if r.PermissionsBoundary != "" {
		doc, err := s.managed(ctx, tx, r.PermissionsBoundary)
		if err != nil {
			return err
		}
		out.Boundary = &NamedDocument{Name: r.PermissionsBoundary, Document: doc}
	}
	return nil
}

// entity appends the inline and attached policies of one user, group or role.
func (s *IAMPolicies) entity(ctx context.Context, tx store.Tx, label, id string, out *[]NamedDocument) error {
	inline, err := tx.ListIAMInlinePolicies(ctx, id)
	if err != nil {
		return err
	}
	for _, p := range inline {
		*out = append(*out, NamedDocument{Name: label + " inline " + p.PolicyName, Document: p.Document})
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
		*out = append(*out, NamedDocument{Name: arn, Document: doc})
	}
	return nil
}

// managed returns the default version's document of a managed policy.
func (s *IAMPolicies) managed(ctx context.Context, tx store.Tx, arn string) (string, error) {
	if strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") {
		if s.AWSManaged != nil {
			if doc, ok := s.AWSManaged(arn); ok {
				return doc, nil
			}
		}
		return "", fmt.Errorf("unknown AWS managed policy %s", arn)
	}
	p, err := tx.GetIAMPolicy(ctx, arn)
	if err != nil {
		return "", fmt.Errorf("managed policy %s: %w", arn, err)
	}
	v, err := tx.GetIAMPolicyVersion(ctx, arn, p.DefaultVersionID)
	if err != nil {
		return "", fmt.Errorf("managed policy %s version %s: %w", arn, p.DefaultVersionID, err)
	}
	return v.Document, nil
}
