package org

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// maxSCPSize is AWS's limit on an SCP's characters.
const maxSCPSize = 5120

// PolicyInput is what CreatePolicy takes.
type PolicyInput struct {
	Name, Description, Type, Content string
	Tags                             []store.Tag
}

// Target is a policy attachment as ListTargetsForPolicy reports it.
type Target struct {
	ID, ARN, Name, Type string
}

const (
	msgPolicyNotFound = "We can't find a policy with the PolicyId that you specified."
	msgTypeNotEnabled = "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root."
	msgImmutable      = "You specified a policy that is managed by AWS and can't be modified."
)

func checkContent(typ, content string) error {
	if typ == scpType {
		if len(content) > maxSCPSize {
			return constraint("POLICY_CONTENT_LIMIT_EXCEEDED", "You attempted to create a policy larger than the maximum size allowed.")
		}
		if _, err := policy.Compile(content, policy.KindSCP); err != nil {
			return invalid("MALFORMED_POLICY", "The provided policy document doesn't meet the requirements of the specified policy type: "+err.Error())
		}
		return nil
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(content), &v); err != nil {
		return invalid("MALFORMED_POLICY", "The provided policy document doesn't meet the requirements of the specified policy type.")
	}
	return nil
}

func getPolicy(ctx context.Context, tx store.Tx, id string) (store.OrgPolicy, error) {
	p, err := tx.GetOrgPolicy(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return p, notFound("POLICY", id, msgPolicyNotFound)
	}
	return p, err
}

func nameTaken(ctx context.Context, tx store.Tx, name, except string) error {
	all, err := tx.ListOrgPolicies(ctx, "", store.Page{})
	if err != nil {
		return err
	}
	for _, p := range all {
		if p.ID != except && p.Name == name {
			return conflict("DUPLICATE_POLICY", "A policy with the same name already exists.")
		}
	}
	return nil
}

// CreatePolicy creates a customer-managed policy.
func (s *Service) CreatePolicy(ctx context.Context, in PolicyInput) (store.OrgPolicy, error) {
	if err := checkContent(in.Type, in.Content); err != nil {
		return store.OrgPolicy{}, err
	}
	if err := checkTags(in.Tags); err != nil {
		return store.OrgPolicy{}, err
	}
	var out store.OrgPolicy
	err := s.update(ctx, "create policy", func(tx store.Tx, w world) error {
		if err := nameTaken(ctx, tx, in.Name, ""); err != nil {
			return err
		}
		suffix, err := s.random(lowerAlnum, 8)
		if err != nil {
			return err
		}
		id := "p-" + suffix
		out = store.OrgPolicy{ID: id, Name: in.Name, Description: in.Description, Type: in.Type, Content: in.Content,
			ARN: fmt.Sprintf("arn:aws:organizations::%s:policy/%s/%s/%s", w.Org.ManagementAccountID, w.Org.ID, strings.ToLower(in.Type), id)}
		if err := tx.CreateOrgPolicy(ctx, out); err != nil {
			return err
		}
		if len(in.Tags) > 0 {
			return tx.PutOrgTags(ctx, id, sortTags(in.Tags))
		}
		return nil
	})
	return out, err
}

// DescribePolicy returns a policy.
func (s *Service) DescribePolicy(ctx context.Context, id string) (store.OrgPolicy, error) {
	var out store.OrgPolicy
	err := s.view(ctx, "describe policy", func(tx store.Tx, _ world) error {
		var err error
		out, err = getPolicy(ctx, tx, id)
		return err
	})
	return out, err
}

// UpdatePolicy changes a customer-managed policy's name, description or
// content (empty values keep the current ones).
func (s *Service) UpdatePolicy(ctx context.Context, id, name, description, content string, setDescription bool) (store.OrgPolicy, error) {
	var out store.OrgPolicy
	err := s.update(ctx, "update policy", func(tx store.Tx, _ world) error {
		p, err := getPolicy(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.AWSManaged {
			return invalid("IMMUTABLE_POLICY", msgImmutable)
		}
		if name != "" && name != p.Name {
			if err := nameTaken(ctx, tx, name, p.ID); err != nil {
				return err
			}
			p.Name = name
		}
		if setDescription {
			p.Description = description
		}
		if content != "" {
			if err := checkContent(p.Type, content); err != nil {
				return err
			}
			p.Content = content
		}
		out = p
		return tx.ReplaceOrgPolicy(ctx, p)
	})
	return out, err
}

// DeletePolicy deletes a customer-managed policy that is attached nowhere.
func (s *Service) DeletePolicy(ctx context.Context, id string) error {
	return s.update(ctx, "delete policy", func(tx store.Tx, _ world) error {
		p, err := getPolicy(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.AWSManaged {
			return invalid("IMMUTABLE_POLICY", msgImmutable)
		}
		targets, err := tx.ListOrgPolicyTargets(ctx, id)
		if err != nil {
			return err
		}
		if len(targets) > 0 {
			return conflict("POLICY_IN_USE", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.")
		}
		return tx.DeleteOrgPolicy(ctx, id)
	})
}

// ListPolicies pages through the policies of a type.
func (s *Service) ListPolicies(ctx context.Context, typ string, max int, token string) ([]store.OrgPolicy, string, error) {
	var all []store.OrgPolicy
	err := s.view(ctx, "list policies", func(tx store.Tx, _ world) error {
		var err error
		all, err = tx.ListOrgPolicies(ctx, typ, store.Page{})
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(all, func(p store.OrgPolicy) string { return p.ID }, token, max, 20)
}

// AttachPolicy attaches a policy to the root, an OU or an account.
func (s *Service) AttachPolicy(ctx context.Context, policyID, targetID string) error {
	return s.update(ctx, "attach policy", func(tx store.Tx, w world) error {
		p, err := getPolicy(ctx, tx, policyID)
		if err != nil {
			return err
		}
		tt, err := requireTarget(ctx, tx, w, targetID, false)
		if err != nil {
			return err
		}
		if !w.typeEnabled(p.Type) {
			return notFound("POLICY_TYPE", p.Type, msgTypeNotEnabled)
		}
		err = tx.AttachOrgPolicy(ctx, store.OrgPolicyTarget{PolicyID: policyID, TargetID: targetID, TargetType: tt})
		if errors.Is(err, store.ErrAlreadyExists) {
			return conflict("DUPLICATE_ATTACHMENT", "The selected policy is already attached to the specified target.")
		}
		return err
	})
}

// DetachPolicy detaches a policy; the last SCP of a target cannot be detached.
func (s *Service) DetachPolicy(ctx context.Context, policyID, targetID string) error {
	return s.update(ctx, "detach policy", func(tx store.Tx, w world) error {
		p, err := getPolicy(ctx, tx, policyID)
		if err != nil {
			return err
		}
		if _, err := requireTarget(ctx, tx, w, targetID, false); err != nil {
			return err
		}
		atts, err := tx.ListOrgTargetPolicies(ctx, targetID)
		if err != nil {
			return err
		}
		attached, sameType := false, 0
		for _, a := range atts {
			if a.PolicyID == policyID {
				attached = true
			}
			if q, err := tx.GetOrgPolicy(ctx, a.PolicyID); err == nil && q.Type == p.Type {
				sameType++
			} else if err != nil {
				return err
			}
		}
		if !attached {
			return notFound("POLICY_ATTACHMENT", policyID, "The policy isn't attached to the specified target in the specified root.")
		}
		if p.Type == scpType && w.scpEnabled() && sameType == 1 {
			return constraint("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.")
		}
		return tx.DetachOrgPolicy(ctx, policyID, targetID)
	})
}

// ListPoliciesForTarget pages through the policies of a type attached directly to a target.
func (s *Service) ListPoliciesForTarget(ctx context.Context, targetID, typ string, max int, token string) ([]store.OrgPolicy, string, error) {
	var out []store.OrgPolicy
	err := s.view(ctx, "list policies for target", func(tx store.Tx, w world) error {
		if _, err := requireTarget(ctx, tx, w, targetID, false); err != nil {
			return err
		}
		atts, err := tx.ListOrgTargetPolicies(ctx, targetID)
		if err != nil {
			return err
		}
		for _, a := range atts {
			p, err := tx.GetOrgPolicy(ctx, a.PolicyID)
			if err != nil {
				return err
			}
			if typ == "" || p.Type == typ {
				out = append(out, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(out, func(p store.OrgPolicy) string { return p.ID }, token, max, 20)
}

// ListTargetsForPolicy pages through the roots, OUs and accounts a policy is attached to.
func (s *Service) ListTargetsForPolicy(ctx context.Context, policyID string, max int, token string) ([]Target, string, error) {
	var out []Target
	err := s.view(ctx, "list targets for policy", func(tx store.Tx, w world) error {
		if _, err := getPolicy(ctx, tx, policyID); err != nil {
			return err
		}
		atts, err := tx.ListOrgPolicyTargets(ctx, policyID)
		if err != nil {
			return err
		}
		for _, a := range atts {
			t := Target{ID: a.TargetID, Type: a.TargetType}
			switch a.TargetType {
			case store.OrgTargetRoot:
				t.ARN, t.Name = w.Root.ARN, w.Root.Name
			case store.OrgTargetOU:
				u, err := tx.GetOrgUnit(ctx, a.TargetID)
				if err != nil {
					return err
				}
				t.ARN, t.Name = u.ARN, u.Name
			default:
				acct, err := tx.GetAccount(ctx, a.TargetID)
				if err != nil {
					return err
				}
				t.ARN, t.Name = acct.ARN, acct.Name
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(out, func(t Target) string { return t.ID }, token, max, 20)
}

// EnablePolicyType enables a policy type in the root. Enabling SCPs attaches
// FullAWSAccess to the root, every OU and every account, as AWS does.
func (s *Service) EnablePolicyType(ctx context.Context, rootID, typ string) (store.OrgRoot, error) {
	var out store.OrgRoot
	err := s.update(ctx, "enable policy type", func(tx store.Tx, w world) error {
		if rootID != w.Root.ID {
			return notFound("ROOT", rootID, "We can't find a root with the RootId that you specified.")
		}
		if w.typeEnabled(typ) {
			return conflict("POLICY_TYPE_ENABLED", "The specified policy type is already enabled in the specified root.")
		}
		if w.Org.FeatureSet == FeatureSetBilling {
			return conflict("POLICY_TYPE_NOT_AVAILABLE", "You can't use the specified policy type with the feature set currently enabled for this organization. For example, you can enable SCPs only after you enable all features in the organization.")
		}
		w.Root.PolicyTypes = append(w.Root.PolicyTypes, store.OrgPolicyType{Type: typ, Status: "ENABLED"})
		if err := tx.ReplaceOrgRoot(ctx, w.Root); err != nil {
			return err
		}
		out = w.Root
		if typ != scpType {
			return nil
		}
		if err := ensureFullAccess(ctx, tx); err != nil {
			return err
		}
		return forEachTarget(ctx, tx, w, func(id, tt string) error { return attachIgnoringDup(ctx, tx, fullAccess, id, tt) })
	})
	return out, err
}

// DisablePolicyType disables a policy type in the root and detaches every
// policy of that type.
func (s *Service) DisablePolicyType(ctx context.Context, rootID, typ string) (store.OrgRoot, error) {
	var out store.OrgRoot
	err := s.update(ctx, "disable policy type", func(tx store.Tx, w world) error {
		if rootID != w.Root.ID {
			return notFound("ROOT", rootID, "We can't find a root with the RootId that you specified.")
		}
		if !w.typeEnabled(typ) {
			return notFound("POLICY_TYPE", typ, "This operation can be performed only for enabled policy types.")
		}
		var keep []store.OrgPolicyType
		for _, pt := range w.Root.PolicyTypes {
			if pt.Type != typ {
				keep = append(keep, pt)
			}
		}
		w.Root.PolicyTypes = keep
		if err := tx.ReplaceOrgRoot(ctx, w.Root); err != nil {
			return err
		}
		out = w.Root
		pols, err := tx.ListOrgPolicies(ctx, typ, store.Page{})
		if err != nil {
			return err
		}
		for _, p := range pols {
			targets, err := tx.ListOrgPolicyTargets(ctx, p.ID)
			if err != nil {
				return err
			}
			for _, t := range targets {
				if err := tx.DetachOrgPolicy(ctx, p.ID, t.TargetID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}

// forEachTarget calls fn for the root, every OU and every account.
func forEachTarget(ctx context.Context, tx store.Tx, w world, fn func(id, targetType string) error) error {
	if err := fn(w.Root.ID, store.OrgTargetRoot); err != nil {
		return err
	}
	queue := []string{w.Root.ID}
	for len(queue) > 0 {
		parent := queue[0]
		queue = queue[1:]
		ous, err := tx.ListOrgUnits(ctx, parent, store.Page{})
		if err != nil {
			return err
		}
		for _, u := range ous {
			if err := fn(u.ID, store.OrgTargetOU); err != nil {
				return err
			}
			queue = append(queue, u.ID)
		}
	}
	accts, err := tx.ListAccounts(ctx, store.Page{})
	if err != nil {
		return err
	}
	for _, a := range accts {
		if err := fn(a.ID, store.OrgTargetAccount); err != nil {
			return err
		}
	}
	return nil
}

// SCPLevel is one level of an account's path (root, each OU, the account) and
// the SCP documents attached directly to it. A request is allowed by SCPs only
// when every level allows it.
type SCPLevel struct {
	TargetID  string
	Documents []string
}

// SCPsForAccount returns the SCPs along an account's path root → OUs →
// account. It returns nil when SCPs do not apply: the management account, an
// account outside the organization, or SCPs not enabled in the root.
func (s *Service) SCPsForAccount(ctx context.Context, accountID string) ([]SCPLevel, error) {
	var out []SCPLevel
	err := s.view(ctx, "scps for account", func(tx store.Tx, w world) error {
		if accountID == w.Org.ManagementAccountID || !w.scpEnabled() {
			return nil
		}
		parent, err := tx.GetAccountParent(ctx, accountID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		path := []string{accountID}
		for p := parent; p != w.Root.ID; {
			path = append(path, p)
			u, err := tx.GetOrgUnit(ctx, p)
			if err != nil {
				return err
			}
			p = u.ParentID
		}
		path = append(path, w.Root.ID)
		for i := len(path) - 1; i >= 0; i-- {
			lvl := SCPLevel{TargetID: path[i]}
			atts, err := tx.ListOrgTargetPolicies(ctx, path[i])
			if err != nil {
				return err
			}
			for _, a := range atts {
				p, err := tx.GetOrgPolicy(ctx, a.PolicyID)
				if err != nil {
					return err
				}
				if p.Type == scpType {
					lvl.Documents = append(lvl.Documents, p.Content)
				}
			}
			out = append(out, lvl)
		}
		return nil
	})
	if fe := fault.As(err); fe != nil && fe.Kind == fault.NotFound && fe.ResourceType == "ORGANIZATION" {
		return nil, nil // a deleted organization has no SCPs
	}
	return out, err
}
