package org

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Inheritance operators of management policies (AWS's "Policy syntax and
// inheritance for management policies").
const (
	opAssign   = "@@assign"
	opAppend   = "@@append"
	opRemove   = "@@remove"
	opChildren = "@@operators_allowed_for_child_policies"
	opAll      = "@@all"
	opNone     = "@@none"
)

// ValidationError is one problem of an effective policy.
type ValidationError struct {
	Code, Message, Path  string
	ContributingPolicies []string
}

// EffectivePolicy is the merged policy of one type for an account.
type EffectivePolicy struct {
	TargetID, PolicyType, Content string
	// Path is o-…/r-…/ou-…/…/<account>/.
	Path        string
	EvaluatedAt time.Time
	Errors      []ValidationError
}

const msgNoEffective = "We can't find an effective policy of the specified type for the specified account."

func checkEffectiveType(t string) error {
	switch t {
	case scpType, "RESOURCE_CONTROL_POLICY":
		return invalid("INVALID_ENUM_POLICY_TYPE", "Effective policies are computed for management policies only, not for authorization policies such as SCPs and RCPs.")
	case "":
		return invalid("INPUT_REQUIRED", "You must specify a policy type.")
	}
	return nil
}

// accountPath returns the targets from the root down to the account.
func accountPath(ctx context.Context, tx store.Tx, w world, accountID string) ([]string, error) {
	if _, err := getAccount(ctx, tx, accountID); err != nil {
		return nil, err
	}
	parent, err := tx.GetAccountParent(ctx, accountID)
	if err != nil {
		return nil, err
	}
	path := []string{accountID}
	for p := parent; p != w.Root.ID; {
		path = append(path, p)
		u, err := tx.GetOrgUnit(ctx, p)
		if err != nil {
			return nil, err
		}
		p = u.ParentID
	}
	path = append(path, w.Root.ID)
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path, nil
}

// merger folds the policies of one type along an account's path.
type merger struct {
	eff map[string]any
	// restrict holds, per element path, the operators child policies may
	// use there (set by @@operators_allowed_for_child_policies of a level above).
	restrict map[string][]string
	pending  map[string][]string // restrictions of the level being merged
	// restrictBy and pendingBy name the policies that set the restrictions.
	restrictBy, pendingBy map[string][]string
	// contributors of each element path.
	contrib map[string][]string
	errs    []ValidationError
}

func (m *merger) allowed(path, op string) (bool, []string) {
	for p, ops := range m.restrict {
		if path != p && !strings.HasPrefix(path, p+"/") {
			continue
		}
		ok := false
		for _, o := range ops {
			if o == opAll || o == op {
				ok = true
			}
		}
		if !ok {
			return false, m.restrictBy[p]
		}
	}
	return true, nil
}

// isLeaf: an object with a value operator, or with nothing but operators
// (only @@operators_allowed_for_child_policies), sets an element's value.
func isLeaf(v map[string]any) bool {
	for _, op := range []string{opAssign, opAppend, opRemove} {
		if _, ok := v[op]; ok {
			return true
		}
	}
	for k := range v {
		if !strings.HasPrefix(k, "@@") {
			return false
		}
	}
	return len(v) > 0
}

func stringsOf(v any) []string {
	arr, ok := v.([]any)
	if !ok {
		if s, ok := v.(string); ok {
			return []string{s}
		}
		return nil
	}
	var out []string
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (m *merger) noteChildOps(path string, v any, policyID string) {
	ops := stringsOf(v)
	if ops == nil {
		return
	}
	m.pending[path] = ops
	m.pendingBy[path] = appendUnique(m.pendingBy[path], policyID)
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// merge folds one policy's object at path into dst.
func (m *merger) merge(dst map[string]any, src map[string]any, path, policyID string) {
	if v, ok := src[opChildren]; ok {
		m.noteChildOps(path, v, policyID)
	}
	keys := make([]string, 0, len(src))
	for k := range src {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.HasPrefix(k, "@@") {
			continue
		}
		p := path + "/" + k
		v := src[k]
		obj, isObj := v.(map[string]any)
		if isObj && !isLeaf(obj) {
			sub, ok := dst[k].(map[string]any)
			if !ok {
				sub = map[string]any{}
				dst[k] = sub
			}
			m.merge(sub, obj, p, policyID)
			continue
		}
		if !isObj {
			obj = map[string]any{opAssign: v} // a bare value assigns
		}
		if c, ok := obj[opChildren]; ok {
			m.noteChildOps(p, c, policyID)
		}
		for _, op := range []string{opAssign, opAppend, opRemove} {
			val, ok := obj[op]
			if !ok {
				continue
			}
			if ok, by := m.allowed(p, op); !ok {
				m.errs = append(m.errs, ValidationError{Code: "OPERATOR_NOT_ALLOWED", Path: strings.TrimPrefix(p, "/"),
					Message:              fmt.Sprintf("The operator %s isn't allowed for this element by a policy higher in the hierarchy; it was ignored.", op),
					ContributingPolicies: appendUnique(append([]string(nil), by...), policyID)})
				continue
			}
			m.contrib[p] = appendUnique(m.contrib[p], policyID)
			switch op {
			case opAssign:
				dst[k] = val
			case opAppend:
				cur, isArr := dst[k].([]any)
				add, addArr := val.([]any)
				if !isArr || !addArr {
					dst[k] = val
					continue
				}
				for _, x := range add {
					if !containsJSON(cur, x) {
						cur = append(cur, x)
					}
				}
				dst[k] = cur
			case opRemove:
				cur, isArr := dst[k].([]any)
				rm, rmArr := val.([]any)
				if !isArr || !rmArr {
					delete(dst, k)
					continue
				}
				kept := []any{}
				for _, x := range cur {
					if !containsJSON(rm, x) {
						kept = append(kept, x)
					}
				}
				dst[k] = kept
			}
		}
	}
}

func containsJSON(list []any, x any) bool {
	xb, _ := json.Marshal(x)
	for _, y := range list {
		yb, _ := json.Marshal(y)
		if string(xb) == string(yb) {
			return true
		}
	}
	return false
}

// validateTagPolicy: every tag of an effective tag policy needs its tag_key
// (a string); tag_value and enforced_for are lists of strings.
func (m *merger) validateTagPolicy() {
	tags, _ := m.eff["tags"].(map[string]any)
	names := make([]string, 0, len(tags))
	for n := range tags {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t, _ := tags[n].(map[string]any)
		p := "tags/" + n
		if key, ok := t["tag_key"].(string); !ok || key == "" {
			m.errs = append(m.errs, ValidationError{Code: "MISSING_TAG_KEY", Path: p + "/tag_key",
				Message: fmt.Sprintf("The tag %q of the effective tag policy has no tag_key.", n), ContributingPolicies: m.contrib["/"+p]})
		}
		for _, f := range []string{"tag_value", "enforced_for"} {
			v, ok := t[f]
			if !ok {
				continue
			}
			arr, isArr := v.([]any)
			if isArr && len(stringsOf(v)) == len(arr) {
				continue
			}
			m.errs = append(m.errs, ValidationError{Code: "INVALID_VALUE_TYPE", Path: p + "/" + f,
				Message: fmt.Sprintf("%s of the tag %q must be a list of strings.", f, n), ContributingPolicies: m.contrib["/"+p+"/"+f]})
		}
	}
}

// effective computes the effective policy of a type for an account;
// EffectivePolicyNotFoundException when no policy of the type applies.
func (s *Service) effective(ctx context.Context, tx store.Tx, w world, accountID, typ string) (EffectivePolicy, error) {
	path, err := accountPath(ctx, tx, w, accountID)
	if err != nil {
		return EffectivePolicy{}, err
	}
	m := &merger{eff: map[string]any{}, restrict: map[string][]string{}, contrib: map[string][]string{}, restrictBy: map[string][]string{}}
	found := false
	for _, target := range path {
		atts, err := tx.ListOrgTargetPolicies(ctx, target)
		if err != nil {
			return EffectivePolicy{}, err
		}
		m.pending, m.pendingBy = map[string][]string{}, map[string][]string{}
		for _, a := range atts {
			p, err := tx.GetOrgPolicy(ctx, a.PolicyID)
			if err != nil {
				return EffectivePolicy{}, err
			}
			if p.Type != typ {
				continue
			}
			found = true
			var doc map[string]any
			if err := json.Unmarshal([]byte(p.Content), &doc); err != nil {
				m.errs = append(m.errs, ValidationError{Code: "INVALID_JSON", Message: "The policy isn't a JSON object.", ContributingPolicies: []string{p.ID}})
				continue
			}
			m.merge(m.eff, doc, "", p.ID)
		}
		// A level's restrictions bind the levels below it.
		for k, v := range m.pending {
			m.restrict[k], m.restrictBy[k] = v, m.pendingBy[k]
		}
	}
	if !found {
		return EffectivePolicy{}, notFound("EFFECTIVE_POLICY", accountID, msgNoEffective)
	}
	if typ == "TAG_POLICY" {
		m.validateTagPolicy()
	}
	content, err := json.Marshal(m.eff)
	if err != nil {
		return EffectivePolicy{}, err
	}
	var b strings.Builder
	b.WriteString(w.Org.ID + "/")
	for _, p := range path {
		b.WriteString(p + "/")
	}
	return EffectivePolicy{TargetID: accountID, PolicyType: typ, Content: string(content), Path: b.String(),
		EvaluatedAt: s.now(), Errors: m.errs}, nil
}

// DescribeEffectivePolicy returns the effective policy of a management
// policy type for an account: the caller's own when target is empty; other
// accounts only for the management account.
func (s *Service) DescribeEffectivePolicy(ctx context.Context, caller, typ, target string) (EffectivePolicy, error) {
	if err := checkEffectiveType(typ); err != nil {
		return EffectivePolicy{}, err
	}
	if target == "" {
		target = caller
	}
	if strings.HasPrefix(target, "r-") || strings.HasPrefix(target, "ou-") {
		return EffectivePolicy{}, invalid("TARGET_NOT_SUPPORTED", "Specifying an organization root or organizational unit (OU) as the target is not supported.")
	}
	var out EffectivePolicy
	err := s.view(ctx, "describe effective policy", func(tx store.Tx, w world) error {
		if target != caller && caller != w.Org.ManagementAccountID {
			return accessDenied()
		}
		if _, err := tx.GetAccount(ctx, target); errors.Is(err, store.ErrNotFound) {
			if target == caller {
				return notInUse() // the caller's account left the organization
			}
			return notFound("TARGET", target, "We can't find a root, OU, account, or policy with the TargetId that you specified.")
		}
		var err error
		out, err = s.effective(ctx, tx, w, target, typ)
		return err
	})
	return out, err
}

// ListAccountsWithInvalidEffectivePolicy lists the accounts whose effective
// policy of a type has validation errors (management account or delegated
// administrators).
func (s *Service) ListAccountsWithInvalidEffectivePolicy(ctx context.Context, caller, typ string, max int, token string) ([]store.Account, string, error) {
	if err := checkEffectiveType(typ); err != nil {
		return nil, "", err
	}
	var out []store.Account
	err := s.view(ctx, "list accounts with invalid effective policy", func(tx store.Tx, w world) error {
		if err := managementOrDelegated(ctx, tx, w, caller); err != nil {
			return err
		}
		accts, err := tx.ListAccounts(ctx, store.Page{})
		if err != nil {
			return err
		}
		for _, a := range accts {
			e, err := s.effective(ctx, tx, w, a.ID, typ)
			if asNotFound(err, "EFFECTIVE_POLICY") {
				continue
			}
			if err != nil {
				return err
			}
			if len(e.Errors) > 0 {
				out = append(out, a)
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(out, func(a store.Account) string { return a.ID }, token, max, 20)
}

// ListEffectivePolicyValidationErrors returns an account's effective policy
// of a type with its validation errors (paged), management account or
// delegated administrators.
func (s *Service) ListEffectivePolicyValidationErrors(ctx context.Context, caller, accountID, typ string, max int, token string) (EffectivePolicy, string, error) {
	if err := checkEffectiveType(typ); err != nil {
		return EffectivePolicy{}, "", err
	}
	var out EffectivePolicy
	err := s.view(ctx, "list effective policy validation errors", func(tx store.Tx, w world) error {
		if err := managementOrDelegated(ctx, tx, w, caller); err != nil {
			return err
		}
		var err error
		out, err = s.effective(ctx, tx, w, accountID, typ)
		return err
	})
	if err != nil {
		return out, "", err
	}
	type indexed struct {
		key string
		e   ValidationError
	}
	items := make([]indexed, len(out.Errors))
	for i, e := range out.Errors {
		items[i] = indexed{fmt.Sprintf("%06d", i), e}
	}
	page, next, err := pageSlice(items, func(x indexed) string { return x.key }, token, max, 20)
	if err != nil {
		return out, "", err
	}
	out.Errors = nil
	for _, x := range page {
		out.Errors = append(out.Errors, x.e)
	}
	return out, next, nil
}

func asNotFound(err error, resourceType string) bool {
	fe := fault.As(err)
	return fe != nil && fe.Kind == fault.NotFound && fe.ResourceType == resourceType
}
