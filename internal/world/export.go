package world

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/idcenter/idcenter/internal/store"
)

// ExportOptions choose what Export writes in place of secrets.
type ExportOptions struct {
	// IncludeSecrets writes access key secrets and TOTP secrets as they are;
	// without it they become ${IDCENTER_SECRET_<key id>} and
	// ${IDCENTER_TOTP_<USER>} references to set in the environment.
	IncludeSecrets bool
}

// ExportHeader is the comment Marshal puts above an exported world.
const ExportHeader = `# idcenter world file, written by "idcenter export".
# Not exported: passwords (identity store and IAM login profiles are stored
# hashed), SCIM tokens (hashed), root access keys, roles and SAML providers
# that AWS creates (/aws-reserved/, /aws-service-role/, AWSSSO_…), IAM MFA
# devices, sessions, applications' access scope targets and the SP key pair.
`

// Export reads the whole state of the instance as a world file: the
// organization (id, OUs, member accounts, SCPs, trusted services, delegated
// administrators), every account's IAM users, groups, roles, customer
// managed policies, instance profiles, providers, alias and password
// policy, the identity store's users, groups and memberships, the
// permission sets and account assignments, the instance settings, the
// trusted token issuers, applications and identity source, in one read
// transaction. Applying it to a fresh
// server reproduces the same identities, sets, assignments and provisioned
// roles (ids of identity store entities and permission sets may differ).
func Export(ctx context.Context, st store.Store, instanceARN string, opt ExportOptions) (*World, error) {
	w := &World{}
	err := st.View(ctx, func(tx store.Tx) error {
		in, err := tx.GetInstance(ctx, instanceARN)
		if err != nil {
			return fmt.Errorf("instance: %w", err)
		}
		o, err := tx.GetOrganization(ctx)
		if err != nil {
			return fmt.Errorf("organization: %w", err)
		}
		x := exporter{tx: tx, opt: opt, mgmt: o.ManagementAccountID}
		if err := x.organization(ctx, w, o); err != nil {
			return err
		}
		if w.IAM, err = x.iam(ctx, o.ManagementAccountID); err != nil {
			return err
		}
		if err := x.identity(ctx, w, in.IdentityStoreID); err != nil {
			return err
		}
		if err := x.access(ctx, w, in); err != nil {
			return err
		}
		if err := x.apps(ctx, w, in); err != nil {
			return err
		}
		if err := x.identitySource(ctx, w, in); err != nil {
			return err
		}
		sortWorld(w)
		return x.settings(ctx, w, in)
	})
	if err != nil {
		return nil, fmt.Errorf("world: export: %w", err)
	}
	return w, nil
}

// Marshal writes w as YAML under ExportHeader.
func Marshal(w *World) ([]byte, error) {
	b, err := yaml.MarshalWithOptions(w, yaml.Indent(2), yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return nil, fmt.Errorf("world: marshal: %w", err)
	}
	return append([]byte(ExportHeader), b...), nil
}

type exporter struct {
	tx   store.Tx
	opt  ExportOptions
	mgmt string
}

// doc returns a policy document as compact JSON text (key order and
// numbers as stored).
func doc(s string) any {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}

func (x exporter) organization(ctx context.Context, w *World, o store.Organization) error {
	out := &Organization{ID: o.ID}
	root, err := x.tx.GetOrgRoot(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	paths := map[string]string{} // id -> path
	if err == nil {
		paths[root.ID] = RootTarget
		if out.Units, err = x.units(ctx, root.ID, "", paths); err != nil {
			return err
		}
	}
	accts, err := x.tx.ListAccounts(ctx, store.Page{})
	if err != nil {
		return err
	}
	for _, a := range accts {
		if a.ID == o.ManagementAccountID {
			continue
		}
		ea := Account{ID: a.ID, Name: a.Name, Email: a.Email}
		if parent, err := x.tx.GetAccountParent(ctx, a.ID); err == nil && parent != root.ID {
			ea.Parent = paths[parent]
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if ea.IAM, err = x.iam(ctx, a.ID); err != nil {
			return err
		}
		out.Accounts = append(out.Accounts, ea)
	}
	pols, err := x.tx.ListOrgPolicies(ctx, scpType, store.Page{})
	if err != nil {
		return err
	}
	for _, p := range pols {
		if p.AWSManaged {
			continue
		}
		s := SCP{Name: p.Name, Description: p.Description, Content: doc(p.Content)}
		targets, err := x.tx.ListOrgPolicyTargets(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, t := range targets {
			name := t.TargetID
			if pth, ok := paths[t.TargetID]; ok {
				name = pth
			}
			s.Targets = append(s.Targets, name)
		}
		sort.Strings(s.Targets)
		out.Policies = append(out.Policies, s)
	}
	if err := x.delegations(ctx, out); err != nil {
		return err
	}
	w.Organization = out
	return nil
}

func (x exporter) units(ctx context.Context, parentID, prefix string, paths map[string]string) ([]OU, error) {
	us, err := x.tx.ListOrgUnits(ctx, parentID, store.Page{})
	if err != nil {
		return nil, err
	}
	sort.Slice(us, func(i, j int) bool { return us[i].Name < us[j].Name })
	var out []OU
	for _, u := range us {
		paths[u.ID] = prefix + u.Name
		sub, err := x.units(ctx, u.ID, prefix+u.Name+"/", paths)
		if err != nil {
			return nil, err
		}
		out = append(out, OU{Name: u.Name, Units: sub})
	}
	return out, nil
}

func tagMap(ts []store.Tag) map[string]string {
	if len(ts) == 0 {
		return nil
	}
	m := map[string]string{}
	for _, t := range ts {
		m[t.Key] = t.Value
	}
	return m
}

func pathOrEmpty(p string) string {
	if p == "/" {
		return ""
	}
	return p
}

// envName makes an environment variable name from s.
func envName(prefix, s string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func (x exporter) secret(value, env string) string {
	if x.opt.IncludeSecrets {
		return value
	}
	return "${" + env + "}"
}

// policies returns an entity's attached policies (customer managed ones of
// the same account by name) and inline policies.
func (x exporter) policies(ctx context.Context, account, entityID string, local map[string]string) ([]string, map[string]any, error) {
	arns, err := x.tx.ListIAMAttachedPolicies(ctx, entityID)
	if err != nil {
		return nil, nil, err
	}
	var managed []string
	for _, a := range arns {
		if name, ok := local[a]; ok {
			managed = append(managed, name)
		} else {
			managed = append(managed, a)
		}
	}
	sort.Strings(managed)
	ins, err := x.tx.ListIAMInlinePolicies(ctx, entityID)
	if err != nil {
		return nil, nil, err
	}
	var inline map[string]any
	for _, p := range ins {
		if inline == nil {
			inline = map[string]any{}
		}
		inline[p.PolicyName] = doc(p.Document)
	}
	return managed, inline, nil
}

// iam exports one account's IAM entities (nil when it has none).
func (x exporter) iam(ctx context.Context, account string) (*IAM, error) {
	out := &IAM{}
	pols, err := x.tx.ListIAMPolicies(ctx, account, store.IAMListFilter{}, store.Page{})
	if err != nil {
		return nil, err
	}
	local := map[string]string{} // ARN -> name
	for _, p := range pols {
		v, err := x.tx.GetIAMPolicyVersion(ctx, p.ARN, p.DefaultVersionID)
		if err != nil {
			return nil, err
		}
		local[p.ARN] = p.PolicyName
		out.Policies = append(out.Policies, IAMPolicy{Name: p.PolicyName, Path: pathOrEmpty(p.Path), Description: p.Description,
			Document: doc(v.Document), Tags: tagMap(p.Tags)})
	}
	groups, err := x.tx.ListIAMGroups(ctx, account, store.IAMListFilter{}, store.Page{})
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		m, in, err := x.policies(ctx, account, g.GroupID, local)
		if err != nil {
			return nil, err
		}
		out.Groups = append(out.Groups, IAMGroup{Name: g.GroupName, Path: pathOrEmpty(g.Path), ManagedPolicies: m, InlinePolicies: in})
	}
	users, err := x.tx.ListIAMUsers(ctx, account, store.IAMListFilter{}, store.Page{})
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		m, in, err := x.policies(ctx, account, u.UserID, local)
		if err != nil {
			return nil, err
		}
		eu := IAMUser{Name: u.UserName, Path: pathOrEmpty(u.Path), Tags: tagMap(u.Tags), ManagedPolicies: m, InlinePolicies: in}
		gs, err := x.tx.ListIAMGroupsForUser(ctx, u.UserID)
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			eu.Groups = append(eu.Groups, g.GroupName)
		}
		sort.Strings(eu.Groups)
		keys, err := x.tx.ListUserAccessKeys(ctx, account, u.UserName)
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			ek := AccessKey{ID: k.AccessKeyID, Secret: x.secret(k.SecretAccessKey, envName("IDCENTER_SECRET_", k.AccessKeyID))}
			if k.Status != "Active" {
				ek.Status = k.Status
			}
			eu.AccessKeys = append(eu.AccessKeys, ek)
		}
		out.Users = append(out.Users, eu)
	}
	roles, err := x.tx.ListIAMRoles(ctx, account, store.IAMListFilter{}, store.Page{})
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if strings.HasPrefix(r.Path, "/aws-reserved/") || strings.HasPrefix(r.Path, "/aws-service-role/") {
			continue
		}
		m, in, err := x.policies(ctx, account, r.RoleID, local)
		if err != nil {
			return nil, err
		}
		er := IAMRole{Name: r.RoleName, Path: pathOrEmpty(r.Path), Description: r.Description, TrustPolicy: doc(r.AssumeRolePolicy),
			Tags: tagMap(r.Tags), ManagedPolicies: m, InlinePolicies: in}
		if r.MaxSessionDuration != 3600 {
			er.MaxSessionDuration = r.MaxSessionDuration
		}
		out.Roles = append(out.Roles, er)
	}
	if err := x.iamMore(ctx, account, out); err != nil {
		return nil, err
	}
	if emptyIAM(out) {
		return nil, nil
	}
	return out, nil
}

func (x exporter) identity(ctx context.Context, w *World, storeID string) error {
	users, err := x.tx.ListUsers(ctx, storeID, store.UserFilter{}, store.Page{})
	if err != nil {
		return err
	}
	names := map[string]string{} // user id -> user name
	for _, u := range users {
		names[u.UserID] = u.UserName
		eu := User{UserName: u.UserName, DisplayName: u.Attributes.DisplayName}
		if n := u.Attributes.Name; n != nil {
			eu.GivenName, eu.FamilyName = n.GivenName, n.FamilyName
		}
		for _, e := range u.Attributes.Emails {
			if eu.Email == "" || (e.Primary != nil && *e.Primary) {
				eu.Email = e.Value
			}
		}
		exportUserMore(u, &eu)
		devs, err := x.tx.ListTOTPDevices(ctx, storeID, u.UserID)
		if err != nil {
			return err
		}
		if len(devs) > 0 {
			eu.TOTPSecret = x.secret(devs[0].Secret, envName("IDCENTER_TOTP_", u.UserName))
		}
		w.Users = append(w.Users, eu)
	}
	groups, err := x.tx.ListGroups(ctx, storeID, store.GroupFilter{}, store.Page{})
	if err != nil {
		return err
	}
	for _, g := range groups {
		eg := Group{DisplayName: g.DisplayName, Description: g.Description, ExternalIDs: exportExternalIDs(g.ExternalIDs)}
		ms, err := x.tx.ListMembershipsByGroup(ctx, storeID, g.GroupID, store.Page{})
		if err != nil {
			return err
		}
		for _, m := range ms {
			if n, ok := names[m.UserID]; ok {
				eg.Members = append(eg.Members, n)
			}
		}
		sort.Strings(eg.Members)
		w.Groups = append(w.Groups, eg)
	}
	return nil
}

func (x exporter) access(ctx context.Context, w *World, in store.Instance) error {
	sets, err := x.tx.ListPermissionSets(ctx, in.ARN, store.Page{})
	if err != nil {
		return err
	}
	setNames := map[string]string{}
	for _, ps := range sets {
		setNames[ps.ARN] = ps.Name
		e := PermissionSet{Name: ps.Name, Description: ps.Description, SessionDuration: ps.SessionDuration, RelayState: ps.RelayState}
		if ps.InlinePolicy != "" {
			e.InlinePolicy = doc(ps.InlinePolicy)
		}
		if e.ManagedPolicies, err = x.tx.ListManagedPolicies(ctx, ps.ARN, store.Page{}); err != nil {
			return err
		}
		refs, err := x.tx.ListCustomerManagedPolicies(ctx, ps.ARN, store.Page{})
		if err != nil {
			return err
		}
		for _, r := range refs {
			e.CustomerManagedPolicies = append(e.CustomerManagedPolicies, PolicyRef{Name: r.Name, Path: pathOrEmpty(r.Path)})
		}
		if b := ps.Boundary; b != nil {
			e.PermissionsBoundary = &Boundary{ManagedPolicyARN: b.ManagedPolicyARN}
			if c := b.CustomerManaged; c != nil {
				e.PermissionsBoundary.CustomerManagedPolicy = &PolicyRef{Name: c.Name, Path: pathOrEmpty(c.Path)}
			}
		}
		tags, err := x.tx.ListTags(ctx, ps.ARN, store.Page{})
		if err != nil {
			return err
		}
		e.Tags = tagMap(tags)
		w.PermissionSets = append(w.PermissionSets, e)
	}
	as, err := x.tx.ListAccountAssignments(ctx, in.ARN, store.AssignmentFilter{}, store.Page{})
	if err != nil {
		return err
	}
	for _, a := range as {
		ea := Assignment{PermissionSet: setNames[a.PermissionSetARN], Account: a.AccountID}
		switch a.PrincipalType {
		case "USER":
			u, err := x.tx.GetUser(ctx, in.IdentityStoreID, a.PrincipalID)
			if err != nil {
				return err
			}
			ea.User = u.UserName
		default:
			g, err := x.tx.GetGroup(ctx, in.IdentityStoreID, a.PrincipalID)
			if err != nil {
				return err
			}
			ea.Group = g.DisplayName
		}
		w.Assignments = append(w.Assignments, ea)
	}
	return nil
}

func (x exporter) settings(ctx context.Context, w *World, in store.Instance) error {
	s, err := x.tx.GetMFASettings(ctx, in.ARN)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	w.Settings = &Settings{MFA: &MFASettings{Mode: s.Mode, NoDevice: s.NoDevice, Types: s.Types}}
	if s.DevicesAdminOnly {
		off := false
		w.Settings.MFA.UsersManageDevices = &off
	}
	if s.SessionDuration != 0 {
		w.Settings.PortalSessionDuration = isoDuration(s.SessionDuration)
	}
	return nil
}

// sortWorld orders the identity store and access entries by name (the store
// lists them by their random ids), so that equal states export equal files.
func sortWorld(w *World) {
	sort.Slice(w.Users, func(i, j int) bool {
		return strings.ToLower(w.Users[i].UserName) < strings.ToLower(w.Users[j].UserName)
	})
	sort.Slice(w.Groups, func(i, j int) bool {
		return strings.ToLower(w.Groups[i].DisplayName) < strings.ToLower(w.Groups[j].DisplayName)
	})
	sort.Slice(w.PermissionSets, func(i, j int) bool { return w.PermissionSets[i].Name < w.PermissionSets[j].Name })
	key := func(a Assignment) string {
		return a.Account + "\x00" + a.PermissionSet + "\x00" + a.Group + "\x00" + strings.ToLower(a.User)
	}
	sort.Slice(w.Assignments, func(i, j int) bool { return key(w.Assignments[i]) < key(w.Assignments[j]) })
}
