package world

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	coreiam "github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/core/org"
	"github.com/idcenter/idcenter/internal/store"
)

// scpType is the Organizations policy type of service control policies.
const scpType = "SERVICE_CONTROL_POLICY"

// sameJSON reports whether two JSON documents are equal as values.
func sameJSON(a, b string) bool {
	if a == b {
		return true
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// applyOrganization checks the pinned id and ensures the OU tree, the
// accounts (and their places) and the SCPs (and their targets).
func (t Target) applyOrganization(ctx context.Context, w *World, res *Result) error {
	o := w.Organization
	if o == nil || t.Org == nil {
		return nil
	}
	cur, err := t.Org.DescribeOrganization(ctx)
	if err != nil {
		return fmt.Errorf("%s: organization: %w", w.file, err)
	}
	if o.ID != "" && o.ID != cur.ID {
		return w.Errorf("organization.id", "the data folder's organization is %s (an id is pinned only when the data folder is created)", cur.ID)
	}
	roots, err := t.Org.ListRoots(ctx)
	if err != nil {
		return fmt.Errorf("%s: organization root: %w", w.file, err)
	}
	if len(roots) == 0 {
		return fmt.Errorf("%s: the organization has no root", w.file)
	}
	root := roots[0]
	units := map[string]string{RootTarget: root.ID} // OU path -> id
	if err := t.ensureUnits(ctx, w, "organization.organizationalUnits", root.ID, "", o.Units, units, res); err != nil {
		return err
	}
	for i, a := range o.Accounts {
		p := fmt.Sprintf("organization.accounts[%d]", i)
		created, err := t.Org.EnsureAccount(ctx, a.ID, a.Name, a.Email)
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		res.Accounts += count(created)
		want := root.ID
		if a.Parent != "" {
			want = units[a.Parent]
		}
		parents, err := t.Org.ListParents(ctx, a.ID)
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		if len(parents) == 1 && parents[0].ID != want {
			if err := t.Org.MoveAccount(ctx, a.ID, parents[0].ID, want); err != nil {
				return w.Errorf(p+".parent", "%w", err)
			}
		}
	}
	if len(o.Policies) == 0 {
		return nil
	}
	enabled := false
	for _, pt := range root.PolicyTypes {
		enabled = enabled || pt.Type == scpType
	}
	if !enabled {
		if _, err := t.Org.EnablePolicyType(ctx, root.ID, scpType); err != nil {
			return w.Errorf("organization.policies", "enable SCPs: %w", err)
		}
	}
	existing, _, err := t.Org.ListPolicies(ctx, scpType, 10000, "")
	if err != nil {
		return fmt.Errorf("%s: list SCPs: %w", w.file, err)
	}
	byName := map[string]store.OrgPolicy{}
	for _, ep := range existing {
		if !ep.AWSManaged {
			byName[ep.Name] = ep
		}
	}
	for i, s := range o.Policies {
		p := fmt.Sprintf("organization.policies[%d]", i)
		ep, ok := byName[s.Name]
		if !ok {
			ep, err = t.Org.CreatePolicy(ctx, org.PolicyInput{Name: s.Name, Description: s.Description, Type: scpType, Content: s.Document})
			if err != nil {
				return w.Errorf(p, "%w", err)
			}
			res.SCPs++
		} else if ep.Description != s.Description || !sameJSON(ep.Content, s.Document) {
			// UpdatePolicy ignores an empty content.
			if _, err := t.Org.UpdatePolicy(ctx, ep.ID, "", s.Description, s.Document, true); err != nil {
				return w.Errorf(p, "%w", err)
			}
		}
		targets, _, err := t.Org.ListTargetsForPolicy(ctx, ep.ID, 10000, "")
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		have := map[string]bool{}
		for _, tg := range targets {
			have[tg.ID] = true
		}
		for j, name := range s.Targets {
			id := name
			if u, ok := units[name]; ok {
				id = u
			}
			if have[id] {
				continue
			}
			if err := t.Org.AttachPolicy(ctx, ep.ID, id); err != nil {
				return w.Errorf(fmt.Sprintf("%s.targets[%d]", p, j), "%w", err)
			}
			have[id] = true
		}
	}
	return nil
}

func (t Target) ensureUnits(ctx context.Context, w *World, path, parentID, prefix string, want []OU, units map[string]string, res *Result) error {
	if len(want) == 0 {
		return nil
	}
	have, _, err := t.Org.ListOUsForParent(ctx, parentID, 10000, "")
	if err != nil {
		return w.Errorf(path, "%w", err)
	}
	byName := map[string]string{}
	for _, u := range have {
		byName[u.Name] = u.ID
	}
	for i, u := range want {
		p := fmt.Sprintf("%s[%d]", path, i)
		id, ok := byName[u.Name]
		if !ok {
			ou, err := t.Org.CreateOU(ctx, parentID, u.Name, nil)
			if err != nil {
				return w.Errorf(p, "%w", err)
			}
			id = ou.ID
			res.Units++
		}
		units[prefix+u.Name] = id
		if err := t.ensureUnits(ctx, w, p+".organizationalUnits", id, prefix+u.Name+"/", u.Units, units, res); err != nil {
			return err
		}
	}
	return nil
}

func tagList(m map[string]string) []store.Tag {
	var out []store.Tag
	for _, k := range sortedKeys(m) {
		out = append(out, store.Tag{Key: k, Value: m[k]})
	}
	return out
}

func orSlash(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// policyARN resolves a managed-policy reference of an iam section.
func policyARN(account, ref string, local map[string]string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	return local[ref]
}

// applyIAM ensures one account's customer managed policies, groups, users
// (tags, policies, groups, access keys, login profile) and roles.
func (t Target) applyIAM(ctx context.Context, w *World, path, account string, x *IAM, res *Result) error {
	if t.IAM == nil {
		return nil
	}
	c := coreiam.Caller{AccountID: account, ARN: "arn:aws:iam::" + account + ":root", IsRoot: true}
	local := map[string]string{}
	for i, pol := range x.Policies {
		p := fmt.Sprintf("%s.policies[%d]", path, i)
		arn := "arn:aws:iam::" + account + ":policy" + orSlash(pol.Path) + pol.Name
		local[pol.Name] = arn
		cur, err := t.IAM.GetPolicy(ctx, c, arn)
		if isNotFound(err) {
			if _, err := t.IAM.CreatePolicy(ctx, c, pol.Name, orSlash(pol.Path), pol.Description, pol.JSON, tagList(pol.Tags)); err != nil {
				return w.Errorf(p, "%w", err)
			}
			res.IAMPolicies++
			continue
		}
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		v, err := t.IAM.GetPolicyVersion(ctx, c, arn, cur.DefaultVersionID)
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		if !sameJSON(v.Document, pol.JSON) {
			if _, err := t.IAM.CreatePolicyVersion(ctx, c, arn, pol.JSON, true); err != nil {
				return w.Errorf(p+".document", "%w", err)
			}
		}
	}
	attach := func(p, typ, name string, refs []string, inline map[string]string) error {
		for j, ref := range refs {
			if err := t.IAM.AttachPolicy(ctx, c, typ, name, policyARN(account, ref, local)); err != nil {
				return w.Errorf(fmt.Sprintf("%s.managedPolicies[%d]", p, j), "%w", err)
			}
		}
		for _, pn := range sortedKeys(inline) {
			cur, err := t.IAM.GetInlinePolicy(ctx, c, typ, name, pn)
			if err == nil && sameJSON(cur.Document, inline[pn]) {
				continue
			}
			if err != nil && !isNotFound(err) {
				return w.Errorf(p+".inlinePolicies."+pn, "%w", err)
			}
			if err := t.IAM.PutInlinePolicy(ctx, c, typ, name, pn, inline[pn]); err != nil {
				return w.Errorf(p+".inlinePolicies."+pn, "%w", err)
			}
		}
		return nil
	}
	for i, g := range x.Groups {
		p := fmt.Sprintf("%s.groups[%d]", path, i)
		_, _, err := t.IAM.GetGroup(ctx, c, g.Name, "", 1)
		if isNotFound(err) {
			if _, err = t.IAM.CreateGroup(ctx, c, g.Name, orSlash(g.Path)); err == nil {
				res.IAMGroups++
			}
		}
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		if err := attach(p, store.IAMEntityGroup, g.Name, g.ManagedPolicies, g.Inline); err != nil {
			return err
		}
	}
	for i, u := range x.Users {
		p := fmt.Sprintf("%s.users[%d]", path, i)
		_, err := t.IAM.GetUser(ctx, c, u.Name)
		if isNotFound(err) {
			if _, err = t.IAM.CreateUser(ctx, c, u.Name, orSlash(u.Path), "", tagList(u.Tags)); err == nil {
				res.IAMUsers++
			}
		} else if err == nil && len(u.Tags) > 0 {
			err = t.IAM.TagUser(ctx, c, u.Name, tagList(u.Tags))
		}
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		if err := attach(p, store.IAMEntityUser, u.Name, u.ManagedPolicies, u.Inline); err != nil {
			return err
		}
		for j, g := range u.Groups {
			if err := t.IAM.AddUserToGroup(ctx, c, g, u.Name); err != nil {
				return w.Errorf(fmt.Sprintf("%s.groups[%d]", p, j), "%w", err)
			}
		}
		for j, k := range u.AccessKeys {
			created, err := t.IAM.ImportAccessKey(ctx, c, u.Name, k.ID, k.Secret, k.Status)
			if err != nil {
				return w.Errorf(fmt.Sprintf("%s.accessKeys[%d]", p, j), "%w", err)
			}
			res.AccessKeys += count(created)
		}
		if u.Password != "" {
			_, _, err := t.IAM.GetLoginProfile(ctx, c, u.Name)
			if isNotFound(err) {
				_, _, err = t.IAM.CreateLoginProfile(ctx, c, u.Name, u.Password, u.PasswordResetRequired)
			}
			if err != nil {
				return w.Errorf(p+".password", "%w", err)
			}
		}
	}
	for i, r := range x.Roles {
		p := fmt.Sprintf("%s.roles[%d]", path, i)
		cur, err := t.IAM.GetRole(ctx, c, r.Name)
		switch {
		case isNotFound(err):
			_, err = t.IAM.CreateRole(ctx, c, coreiam.RoleInput{Name: r.Name, Path: orSlash(r.Path), AssumeRolePolicy: r.Trust,
				Description: r.Description, MaxSessionDuration: r.MaxSessionDuration, Tags: tagList(r.Tags)})
			res.IAMRoles += count(err == nil)
		case err == nil:
			if !sameJSON(cur.AssumeRolePolicy, r.Trust) {
				err = t.IAM.UpdateAssumeRolePolicy(ctx, c, r.Name, r.Trust)
			}
			if err == nil && ((r.Description != "" && r.Description != cur.Description) ||
				(r.MaxSessionDuration != 0 && r.MaxSessionDuration != cur.MaxSessionDuration)) {
				err = t.IAM.UpdateRole(ctx, c, r.Name, r.Description, r.MaxSessionDuration)
			}
			if err == nil && len(r.Tags) > 0 {
				err = t.IAM.TagRole(ctx, c, r.Name, tagList(r.Tags))
			}
		}
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		if err := attach(p, store.IAMEntityRole, r.Name, r.ManagedPolicies, r.Inline); err != nil {
			return err
		}
	}
	return t.applyIAMMore(ctx, w, path, account, c, x)
}

// applyTokensAndSettings stores the pinned SCIM tokens and the settings.
func (t Target) applyTokensAndSettings(ctx context.Context, w *World, res *Result) error {
	for i, tok := range w.SCIMTokens {
		p := fmt.Sprintf("scimTokens[%d]", i)
		var exp time.Time
		if tok.ExpiresAt != "" {
			exp, _ = parseTime(tok.ExpiresAt) // checked by Parse
		}
		if t.SCIM == nil {
			return w.Errorf(p, "SCIM is not available")
		}
		created, err := t.SCIM.ImportToken(ctx, t.IdentityStoreID, tok.Token, exp)
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		res.SCIMTokens += count(created)
	}
	if s := w.Settings; s != nil && t.SignIn != nil {
		cur, err := t.SignIn.MFASettings(ctx)
		if err != nil {
			return w.Errorf("settings", "%w", err)
		}
		want := cur
		want.Types = append([]string(nil), cur.Types...)
		if m := s.MFA; m != nil {
			if m.Mode != "" {
				want.Mode = m.Mode
			}
			if m.NoDevice != "" {
				want.NoDevice = m.NoDevice
			}
			if len(m.Types) > 0 {
				want.Types = m.Types
			}
			if m.UsersManageDevices != nil {
				want.DevicesAdminOnly = !*m.UsersManageDevices
			}
		}
		if s.Session != 0 {
			want.SessionDuration = s.Session
		}
		if !reflect.DeepEqual(want, cur) {
			if err := t.SignIn.SetMFASettings(ctx, want); err != nil {
				return w.Errorf("settings", "%w", err)
			}
		}
	}
	return nil
}

// setExtras brings a permission set's customer managed policy references,
// permissions boundary and tags to the file's (references and tags not in
// the file are kept); changed reports what needs re-provisioning.
func (t Target) setExtras(ctx context.Context, ps store.PermissionSet, w PermissionSet, created bool) (changed bool, err error) {
	if len(w.CustomerManagedPolicies) > 0 {
		have := map[string]bool{}
		err := t.Store.View(ctx, func(tx store.Tx) error {
			refs, err := tx.ListCustomerManagedPolicies(ctx, ps.ARN, store.Page{})
			for _, r := range refs {
				have[orSlash(r.Path)+r.Name] = true
			}
			return err
		})
		if err != nil {
			return false, err
		}
		for _, r := range w.CustomerManagedPolicies {
			if have[orSlash(r.Path)+r.Name] {
				continue
			}
			if err := t.Access.AttachCustomerManagedPolicy(ctx, t.InstanceARN, ps.ARN, store.PolicyReference{Name: r.Name, Path: orSlash(r.Path)}); err != nil {
				return changed, err
			}
			changed = true
		}
	}
	if b := w.PermissionsBoundary; b != nil {
		want := store.PermissionsBoundary{ManagedPolicyARN: b.ManagedPolicyARN}
		if c := b.CustomerManagedPolicy; c != nil {
			want.CustomerManaged = &store.PolicyReference{Name: c.Name, Path: orSlash(c.Path)}
		}
		if ps.Boundary == nil || !reflect.DeepEqual(*ps.Boundary, want) {
			if err := t.Access.PutPermissionsBoundary(ctx, t.InstanceARN, ps.ARN, want); err != nil {
				return changed, err
			}
			changed = true
		}
	}
	if len(w.Tags) > 0 && !created {
		var have []store.Tag
		err := t.Store.View(ctx, func(tx store.Tx) error {
			var err error
			have, err = tx.ListTags(ctx, ps.ARN, store.Page{})
			return err
		})
		if err != nil {
			return changed, err
		}
		cur := tagMapOf(have)
		for k, v := range w.Tags {
			if cur[k] != v {
				if err := t.Access.TagResource(ctx, t.InstanceARN, ps.ARN, tagList(w.Tags)); err != nil {
					return changed, err
				}
				break
			}
		}
	}
	return changed, nil
}

func tagMapOf(ts []store.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range ts {
		m[t.Key] = t.Value
	}
	return m
}
