package org

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

const msgNoResourcePolicy = "We can't find a resource policy request with the parameter that you specified."

// checkResourcePolicy validates an Organizations resource policy: a
// resource-based policy the engine parses (Principal required), whose
// actions are Organizations actions.
func checkResourcePolicy(content string) error {
	if _, err := policy.Compile(content, policy.KindResource); err != nil {
		return invalid("INVALID_RESOURCE_POLICY_JSON", "The provided policy document is invalid: "+err.Error())
	}
	var doc struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(content), &doc); err != nil {
		return invalid("INVALID_RESOURCE_POLICY_JSON", "The provided policy document is invalid.")
	}
	var stmts []map[string]json.RawMessage
	if err := json.Unmarshal(doc.Statement, &stmts); err != nil {
		var one map[string]json.RawMessage
		if err := json.Unmarshal(doc.Statement, &one); err != nil {
			return invalid("INVALID_RESOURCE_POLICY_JSON", "The provided policy document is invalid.")
		}
		stmts = []map[string]json.RawMessage{one}
	}
	for _, st := range stmts {
		raw, ok := st["Action"]
		if !ok {
			continue // NotAction: every action but some
		}
		var actions []string
		if err := json.Unmarshal(raw, &actions); err != nil {
			var a string
			if err := json.Unmarshal(raw, &a); err != nil {
				return invalid("INVALID_RESOURCE_POLICY_JSON", "The provided policy document is invalid.")
			}
			actions = []string{a}
		}
		for _, a := range actions {
			if a != "*" && !strings.HasPrefix(strings.ToLower(a), "organizations:") {
				return invalid("UNSUPPORTED_ACTION_IN_RESOURCE_POLICY", fmt.Sprintf("The resource policy contains an action that isn't supported: %s.", a))
			}
		}
	}
	return nil
}

// PutResourcePolicy creates or replaces the organization's resource policy
// (management account only). It is stored and validated; the authorisation
// point does not evaluate it yet.
func (s *Service) PutResourcePolicy(ctx context.Context, caller, content string, tags []store.Tag) (store.OrgResourcePolicy, error) {
	if err := checkResourcePolicy(content); err != nil {
		return store.OrgResourcePolicy{}, err
	}
	if err := checkTags(tags); err != nil {
		return store.OrgResourcePolicy{}, err
	}
	var out store.OrgResourcePolicy
	err := s.update(ctx, "put resource policy", func(tx store.Tx, w world) error {
		if err := requireManagement(w, caller); err != nil {
			return err
		}
		p, err := tx.GetOrgResourcePolicy(ctx)
		if errors.Is(err, store.ErrNotFound) {
			suffix, err := s.random(lowerAlnum, 12)
			if err != nil {
				return err
			}
			p.ID = "rp-" + suffix
			p.ARN = fmt.Sprintf("arn:aws:organizations::%s:resourcepolicy/%s/%s", w.Org.ManagementAccountID, w.Org.ID, p.ID)
		} else if err != nil {
			return err
		}
		p.Content = content
		if err := tx.PutOrgResourcePolicy(ctx, p); err != nil {
			return err
		}
		if len(tags) > 0 {
			if err := tx.PutOrgTags(ctx, p.ID, sortTags(tags)); err != nil {
				return err
			}
		}
		out = p
		return nil
	})
	return out, err
}

// DescribeResourcePolicy returns the resource policy: to the management
// account and delegated administrators.
func (s *Service) DescribeResourcePolicy(ctx context.Context, caller string) (store.OrgResourcePolicy, error) {
	var out store.OrgResourcePolicy
	err := s.view(ctx, "describe resource policy", func(tx store.Tx, w world) error {
		if err := managementOrDelegated(ctx, tx, w, caller); err != nil {
			return err
		}
		var err error
		out, err = tx.GetOrgResourcePolicy(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("RESOURCE_POLICY", "", msgNoResourcePolicy)
		}
		return err
	})
	return out, err
}

// DeleteResourcePolicy deletes the resource policy (management account only).
func (s *Service) DeleteResourcePolicy(ctx context.Context, caller string) error {
	return s.update(ctx, "delete resource policy", func(tx store.Tx, w world) error {
		if err := requireManagement(w, caller); err != nil {
			return err
		}
		p, err := tx.GetOrgResourcePolicy(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("RESOURCE_POLICY", "", msgNoResourcePolicy)
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteOrgResourcePolicy(ctx); err != nil {
			return err
		}
		return tx.PutOrgTags(ctx, p.ID, nil)
	})
}

// managementOrDelegated: the management account, or a member account that is
// a delegated administrator of some service.
func managementOrDelegated(ctx context.Context, tx store.Tx, w world, caller string) error {
	if caller == w.Org.ManagementAccountID {
		return nil
	}
	ds, err := tx.ListOrgDelegatedAdmins(ctx)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.AccountID == caller {
			return nil
		}
	}
	return accessDenied()
}
