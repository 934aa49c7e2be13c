package world

import (
	"encoding/base32"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// Organization is the hosted organization: its id (pinned on the first
// start of a data folder), its organizational units (a tree), its member
// accounts (fixed ids) and its service control policies.
type Organization struct {
	// ID pins the organization's id (o-…) when the data folder is
	// bootstrapped; a data folder bootstrapped with another id is refused.
	ID       string    `yaml:"id,omitempty"`
	Units    []OU      `yaml:"organizationalUnits,omitempty"`
	Accounts []Account `yaml:"accounts,omitempty"`
	Policies []SCP     `yaml:"policies,omitempty"`
	// TrustedServices have trusted access (EnableAWSServiceAccess);
	// DelegatedAdmins register member accounts as their administrators
	// (delegation.go).
	TrustedServices []string     `yaml:"trustedServices,omitempty"`
	DelegatedAdmins []Delegation `yaml:"delegatedAdministrators,omitempty"`
}

// OU is an organizational unit and the units under it. Accounts and policy
// targets name it by its path from the root ("Workloads/Prod").
type OU struct {
	Name  string `yaml:"name"`
	Units []OU   `yaml:"organizationalUnits,omitempty"`
}

// Account is a member account with a fixed id, placed under Parent (an OU
// path; the root when empty), with its own IAM entities.
type Account struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	Email  string `yaml:"email"`
	Parent string `yaml:"parent,omitempty"`
	IAM    *IAM   `yaml:"iam,omitempty"`
}

// SCP is a service control policy and its targets: "Root", an OU path or an
// account id.
type SCP struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description,omitempty"`
	Content     any      `yaml:"content"`
	Targets     []string `yaml:"targets,omitempty"`

	// Document is the content as JSON.
	Document string `yaml:"-"`
}

// IAM is one account's IAM users, groups, roles and customer managed
// policies.
type IAM struct {
	AccountAlias   string          `yaml:"accountAlias,omitempty"`
	PasswordPolicy *PasswordPolicy `yaml:"passwordPolicy,omitempty"`
	Users          []IAMUser       `yaml:"users,omitempty"`
	Groups         []IAMGroup      `yaml:"groups,omitempty"`
	Roles          []IAMRole       `yaml:"roles,omitempty"`
	Policies       []IAMPolicy     `yaml:"policies,omitempty"`
	// InstanceProfiles, SAMLProviders and OIDCProviders: more.go.
	InstanceProfiles []InstanceProfile `yaml:"instanceProfiles,omitempty"`
	SAMLProviders    []SAMLProvider    `yaml:"samlProviders,omitempty"`
	OIDCProviders    []OIDCProvider    `yaml:"oidcProviders,omitempty"`
}

// IAMUser is an IAM user. ManagedPolicies are ARNs (AWS managed, or this
// account's customer managed) or names of policies in the same iam section;
// InlinePolicies map a policy name to its document.
type IAMUser struct {
	Name            string            `yaml:"name"`
	Path            string            `yaml:"path,omitempty"`
	Tags            map[string]string `yaml:"tags,omitempty"`
	ManagedPolicies []string          `yaml:"managedPolicies,omitempty"`
	InlinePolicies  map[string]any    `yaml:"inlinePolicies,omitempty"`
	Groups          []string          `yaml:"groups,omitempty"`
	AccessKeys      []AccessKey       `yaml:"accessKeys,omitempty"`
	// Password creates the console login profile (when the user has none).
	Password              string `yaml:"password,omitempty"`
	PasswordResetRequired bool   `yaml:"passwordResetRequired,omitempty"`

	// Inline holds InlinePolicies as JSON documents.
	Inline map[string]string `yaml:"-"`
}

// AccessKey is an IAM user's access key with a pinned id and secret.
type AccessKey struct {
	ID     string `yaml:"id"`
	Secret string `yaml:"secret"`
	Status string `yaml:"status,omitempty"` // Active (default) or Inactive
}

// IAMGroup is an IAM group with its policies.
type IAMGroup struct {
	Name            string         `yaml:"name"`
	Path            string         `yaml:"path,omitempty"`
	ManagedPolicies []string       `yaml:"managedPolicies,omitempty"`
	InlinePolicies  map[string]any `yaml:"inlinePolicies,omitempty"`

	Inline map[string]string `yaml:"-"`
}

// IAMRole is an IAM role: trust policy, policies, maximum session duration
// (seconds; 3600 when 0).
type IAMRole struct {
	Name               string            `yaml:"name"`
	Path               string            `yaml:"path,omitempty"`
	Description        string            `yaml:"description,omitempty"`
	TrustPolicy        any               `yaml:"trustPolicy"`
	MaxSessionDuration int               `yaml:"maxSessionDuration,omitempty"`
	Tags               map[string]string `yaml:"tags,omitempty"`
	ManagedPolicies    []string          `yaml:"managedPolicies,omitempty"`
	InlinePolicies     map[string]any    `yaml:"inlinePolicies,omitempty"`

	Trust  string            `yaml:"-"`
	Inline map[string]string `yaml:"-"`
}

// IAMPolicy is a customer managed policy (its default version's document).
type IAMPolicy struct {
	Name        string            `yaml:"name"`
	Path        string            `yaml:"path,omitempty"`
	Description string            `yaml:"description,omitempty"`
	Document    any               `yaml:"document"`
	Tags        map[string]string `yaml:"tags,omitempty"`

	JSON string `yaml:"-"`
}

// SCIMToken is a SCIM bearer token with a pinned value (normally from
// ${ENV}); its id is part of the value.
type SCIMToken struct {
	Token string `yaml:"token"`
	// ExpiresAt is an RFC 3339 time (default: a year after it is created).
	ExpiresAt string `yaml:"expiresAt,omitempty"`
}

// Settings are the instance's settings; what is left out keeps its value.
type Settings struct {
	MFA *MFASettings `yaml:"mfa,omitempty"`
	// PortalSessionDuration is the access portal session's lifetime, an ISO
	// 8601 duration (PT8H, P7D): 15 minutes to 90 days.
	PortalSessionDuration string `yaml:"portalSessionDuration,omitempty"`

	// Session is PortalSessionDuration parsed (0 when not given).
	Session time.Duration `yaml:"-"`
}

// MFASettings are the portal's MFA settings.
type MFASettings struct {
	Mode     string   `yaml:"mode,omitempty"`     // ALWAYS, CONTEXT_CHANGE, NEVER
	NoDevice string   `yaml:"noDevice,omitempty"` // REGISTER, BLOCK, ALLOW
	Types    []string `yaml:"types,omitempty"`    // TOTP, WEBAUTHN
	// UsersManageDevices: users register and delete their own MFA devices
	// in the portal (true when left out, as in AWS).
	UsersManageDevices *bool `yaml:"usersManageDevices,omitempty"`
}

var isoDurationRe = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// parseISODuration parses the days-to-seconds subset of ISO 8601 durations.
func parseISODuration(s string) (time.Duration, bool) {
	m := isoDurationRe.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" {
		return 0, false
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i+1])
		if err != nil {
			return 0, false
		}
		d += time.Duration(n) * unit
	}
	return d, true
}

// isoDuration writes d as an ISO 8601 duration (the inverse of parseISODuration).
func isoDuration(d time.Duration) string {
	out := "P"
	if days := d / (24 * time.Hour); days > 0 {
		out += strconv.Itoa(int(days)) + "D"
		d -= days * 24 * time.Hour
	}
	if d == 0 {
		return out
	}
	out += "T"
	for _, u := range []struct {
		d time.Duration
		s string
	}{{time.Hour, "H"}, {time.Minute, "M"}, {time.Second, "S"}} {
		if n := d / u.d; n > 0 {
			out += strconv.Itoa(int(n)) + u.s
			d -= n * u.d
		}
	}
	return out
}

var (
	orgIDRe       = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	accessKeyIDRe = regexp.MustCompile(`^AKIA[A-Z0-9]{12,124}$`)
	iamNameRe     = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	iamPathRe     = regexp.MustCompile(`^/([\x21-\x7E]{0,510}/)?$`)
	customerARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):policy(/.*/|/)([\w+=,.@-]+)$`)
	scimTokenRe   = regexp.MustCompile(`^idcscim_[0-9a-f-]{36}\.[A-Za-z0-9_-]{16,}$`)
)

// RootTarget names the organization's root in SCP targets.
const RootTarget = "Root"

// ouPaths lists the OU paths of units under prefix.
func ouPaths(v *validator, path, prefix string, units []OU, out map[string]bool) {
	for i := range units {
		u := &units[i]
		p := fmt.Sprintf("%s[%d]", path, i)
		v.expand(p+".name", &u.Name)
		v.required(p+".name", u.Name)
		if strings.Contains(u.Name, "/") {
			v.add(p+".name", "must not contain /")
		}
		full := prefix + u.Name
		if u.Name != "" && out[full] {
			v.add(p+".name", "duplicate organizational unit %q", full)
		}
		out[full] = true
		ouPaths(v, p+".organizationalUnits", full+"/", u.Units, out)
	}
}

// accounts returns the account ids the file declares (and validates them).
func (v *validator) organization() map[string]bool {
	accts := map[string]bool{}
	o := v.w.Organization
	if o == nil {
		return accts
	}
	v.expand("organization.id", &o.ID)
	if o.ID != "" && !orgIDRe.MatchString(o.ID) {
		v.add("organization.id", "%q is not an organization id (o- and 10 to 32 lowercase letters or digits)", o.ID)
	}
	units := map[string]bool{}
	ouPaths(v, "organization.organizationalUnits", "", o.Units, units)
	emails := map[string]bool{}
	for i := range o.Accounts {
		a := &o.Accounts[i]
		p := fmt.Sprintf("organization.accounts[%d]", i)
		for _, f := range []struct {
			n string
			s *string
		}{{"id", &a.ID}, {"name", &a.Name}, {"email", &a.Email}, {"parent", &a.Parent}} {
			v.expand(p+"."+f.n, f.s)
		}
		if !accountIDRe.MatchString(a.ID) {
			v.add(p+".id", "%q is not a 12-digit account id", a.ID)
		} else if accts[a.ID] {
			v.add(p+".id", "duplicate account %s", a.ID)
		}
		accts[a.ID] = true
		v.required(p+".name", a.Name)
		if !strings.Contains(a.Email, "@") {
			v.add(p+".email", "%q is not an e-mail address", a.Email)
		} else if emails[strings.ToLower(a.Email)] {
			v.add(p+".email", "duplicate e-mail %q", a.Email)
		}
		emails[strings.ToLower(a.Email)] = true
		if a.Parent != "" && !units[a.Parent] {
			v.add(p+".parent", "unknown organizational unit %q", a.Parent)
		}
		if a.IAM != nil {
			v.iam(p+".iam", a.ID, a.IAM)
		}
	}
	names := map[string]bool{}
	for i := range o.Policies {
		s := &o.Policies[i]
		p := fmt.Sprintf("organization.policies[%d]", i)
		v.expand(p+".name", &s.Name)
		v.expand(p+".description", &s.Description)
		v.required(p+".name", s.Name)
		if s.Name != "" && names[s.Name] {
			v.add(p+".name", "duplicate policy %q", s.Name)
		}
		names[s.Name] = true
		if s.Content == nil {
			v.add(p+".content", "is required")
		}
		s.Document = v.document(p+".content", s.Content, policy.KindSCP)
		for j, t := range s.Targets {
			tp := fmt.Sprintf("%s.targets[%d]", p, j)
			switch {
			case t == RootTarget, units[t], accts[t]:
			case accountIDRe.MatchString(t):
				// an account not in the file: checked against the store by Apply
			default:
				v.add(tp, "unknown target %q (Root, an organizational unit path or an account id)", t)
			}
		}
	}
	v.delegations(o)
	return accts
}

// managed checks a managed-policy reference of an IAM entity.
func (v *validator) managed(path, account string, ref string, local map[string]bool) {
	switch {
	case managedARNRe.MatchString(ref):
		if !iam.IsAWSManaged(ref) {
			v.add(path, "%q names no AWS managed policy", ref)
		}
	case customerARNRe.MatchString(ref):
		m := customerARNRe.FindStringSubmatch(ref)
		if account != "" && m[1] != account {
			v.add(path, "%q is a policy of another account", ref)
		}
	case local[ref]:
	default:
		v.add(path, "unknown policy %q (an AWS managed ARN, a customer managed ARN or the name of a policy in this iam section)", ref)
	}
}

func (v *validator) inlines(path string, in map[string]any) map[string]string {
	if len(in) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, name := range sortedKeys(in) {
		p := path + "." + name
		if !iamNameRe.MatchString(name) {
			v.add(p, "%q is not a valid policy name", name)
		}
		out[name] = v.document(p, in[name], policy.KindIdentity)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (v *validator) nameAndPath(p string, name, path *string) {
	v.expand(p+".name", name)
	v.expand(p+".path", path)
	if !iamNameRe.MatchString(*name) {
		v.add(p+".name", "%q is not a valid IAM name", *name)
	}
	if *path != "" && !iamPathRe.MatchString(*path) {
		v.add(p+".path", "%q is not a valid IAM path (/…/)", *path)
	}
}

// iam validates one account's IAM section (account "" is the management
// account, whose id is known only when applying).
func (v *validator) iam(path, account string, x *IAM) {
	local := map[string]bool{}
	for i := range x.Policies {
		pol := &x.Policies[i]
		p := fmt.Sprintf("%s.policies[%d]", path, i)
		v.nameAndPath(p, &pol.Name, &pol.Path)
		v.expand(p+".description", &pol.Description)
		if local[pol.Name] {
			v.add(p+".name", "duplicate policy %q", pol.Name)
		}
		local[pol.Name] = true
		if pol.Document == nil {
			v.add(p+".document", "is required")
		}
		pol.JSON = v.document(p+".document", pol.Document, policy.KindIdentity)
	}
	groups := map[string]bool{}
	for i := range x.Groups {
		g := &x.Groups[i]
		p := fmt.Sprintf("%s.groups[%d]", path, i)
		v.nameAndPath(p, &g.Name, &g.Path)
		if groups[strings.ToLower(g.Name)] {
			v.add(p+".name", "duplicate group %q", g.Name)
		}
		groups[strings.ToLower(g.Name)] = true
		for j, m := range g.ManagedPolicies {
			v.managed(fmt.Sprintf("%s.managedPolicies[%d]", p, j), account, m, local)
		}
		g.Inline = v.inlines(p+".inlinePolicies", g.InlinePolicies)
	}
	users := map[string]bool{}
	keys := map[string]bool{}
	for i := range x.Users {
		u := &x.Users[i]
		p := fmt.Sprintf("%s.users[%d]", path, i)
		v.nameAndPath(p, &u.Name, &u.Path)
		if users[strings.ToLower(u.Name)] {
			v.add(p+".name", "duplicate user %q", u.Name)
		}
		users[strings.ToLower(u.Name)] = true
		for j, m := range u.ManagedPolicies {
			v.managed(fmt.Sprintf("%s.managedPolicies[%d]", p, j), account, m, local)
		}
		u.Inline = v.inlines(p+".inlinePolicies", u.InlinePolicies)
		for j, g := range u.Groups {
			if !groups[strings.ToLower(g)] {
				v.add(fmt.Sprintf("%s.groups[%d]", p, j), "unknown group %q", g)
			}
		}
		if len(u.AccessKeys) > iam.MaxAccessKeysPerUser {
			v.add(p+".accessKeys", "at most %d access keys per user", iam.MaxAccessKeysPerUser)
		}
		for j := range u.AccessKeys {
			k := &u.AccessKeys[j]
			kp := fmt.Sprintf("%s.accessKeys[%d]", p, j)
			v.expand(kp+".id", &k.ID)
			v.expand(kp+".secret", &k.Secret)
			if !accessKeyIDRe.MatchString(k.ID) {
				v.add(kp+".id", "%q is not an access key id (AKIA and 12 or more capital letters or digits)", k.ID)
			} else if keys[k.ID] || v.keys[k.ID] {
				v.add(kp+".id", "duplicate access key %s", k.ID)
			}
			keys[k.ID], v.keys[k.ID] = true, true
			if len(k.Secret) < 16 {
				v.add(kp+".secret", "must be at least 16 characters")
			}
			switch k.Status {
			case "":
				k.Status = "Active"
			case "Active", "Inactive":
			default:
				v.add(kp+".status", "%q: want Active or Inactive", k.Status)
			}
		}
		v.expand(p+".password", &u.Password)
	}
	roles := map[string]bool{}
	for i := range x.Roles {
		r := &x.Roles[i]
		p := fmt.Sprintf("%s.roles[%d]", path, i)
		v.nameAndPath(p, &r.Name, &r.Path)
		v.expand(p+".description", &r.Description)
		if roles[strings.ToLower(r.Name)] {
			v.add(p+".name", "duplicate role %q", r.Name)
		}
		roles[strings.ToLower(r.Name)] = true
		if strings.HasPrefix(r.Path, "/aws-reserved/") || strings.HasPrefix(r.Path, "/aws-service-role/") {
			v.add(p+".path", "%q is reserved for roles AWS creates", r.Path)
		}
		if r.TrustPolicy == nil {
			v.add(p+".trustPolicy", "is required")
		}
		r.Trust = v.document(p+".trustPolicy", r.TrustPolicy, policy.KindTrust)
		if r.MaxSessionDuration != 0 && (r.MaxSessionDuration < 3600 || r.MaxSessionDuration > 43200) {
			v.add(p+".maxSessionDuration", "%d: want 3600 to 43200 seconds", r.MaxSessionDuration)
		}
		for j, m := range r.ManagedPolicies {
			v.managed(fmt.Sprintf("%s.managedPolicies[%d]", p, j), account, m, local)
		}
		r.Inline = v.inlines(p+".inlinePolicies", r.InlinePolicies)
	}
	v.iamMore(path, x, roles)
}

// kinds validates what the first slice did not know: organization, IAM,
// identity store credentials, SCIM tokens and settings. It returns the
// account ids the file declares.
func (v *validator) kinds() map[string]bool {
	w := v.w
	v.keys = map[string]bool{}
	v.externalIDs, v.aliases = map[string]bool{}, map[string]bool{}
	accts := v.organization()
	if w.IAM != nil {
		v.iam("iam", "", w.IAM)
	}
	for i := range w.Users {
		u := &w.Users[i]
		p := fmt.Sprintf("users[%d]", i)
		v.expand(p+".password", &u.Password)
		v.expand(p+".totpSecret", &u.TOTPSecret)
		v.userMore(p, u)
		if u.Password != "" {
			if err := signin.CheckPolicy(u.UserName, u.Password); err != nil {
				v.add(p+".password", "%v", err)
			}
		}
		if u.TOTPSecret != "" {
			s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(u.TOTPSecret))
			raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
			if err != nil || len(raw) < 16 {
				v.add(p+".totpSecret", "not a base32 secret of at least 128 bits")
			}
			u.TOTPSecret = s
		}
	}
	seen := map[string]bool{}
	for i := range w.SCIMTokens {
		t := &w.SCIMTokens[i]
		p := fmt.Sprintf("scimTokens[%d]", i)
		v.expand(p+".token", &t.Token)
		v.expand(p+".expiresAt", &t.ExpiresAt)
		if !scimTokenRe.MatchString(t.Token) {
			v.add(p+".token", "is not a SCIM token (idcscim_<uuid>.<at least 16 base64url characters>)")
		} else if id := tokenID(t.Token); seen[id] {
			v.add(p+".token", "duplicate token id %s", id)
		} else {
			seen[id] = true
		}
		if t.ExpiresAt != "" {
			if _, err := parseTime(t.ExpiresAt); err != nil {
				v.add(p+".expiresAt", "%q is not an RFC 3339 time", t.ExpiresAt)
			}
		}
	}
	if s := w.Settings; s != nil {
		if m := s.MFA; m != nil {
			switch m.Mode {
			case "", store.MFAAlways, store.MFAContextChange, store.MFANever:
			default:
				v.add("settings.mfa.mode", "%q: want ALWAYS, CONTEXT_CHANGE or NEVER", m.Mode)
			}
			switch m.NoDevice {
			case "", store.MFANoDeviceRegister, store.MFANoDeviceBlock, store.MFANoDeviceAllow:
			default:
				v.add("settings.mfa.noDevice", "%q: want REGISTER, BLOCK or ALLOW", m.NoDevice)
			}
			for i, t := range m.Types {
				if t != store.MFATypeTOTP && t != store.MFATypeWebAuthn {
					v.add(fmt.Sprintf("settings.mfa.types[%d]", i), "%q: want TOTP or WEBAUTHN", t)
				}
			}
		}
		if s.PortalSessionDuration != "" {
			d, ok := parseISODuration(s.PortalSessionDuration)
			switch {
			case !ok:
				v.add("settings.portalSessionDuration", "%q is not an ISO 8601 duration (PT8H, P7D)", s.PortalSessionDuration)
			case d < signin.MinSessionDuration || d > signin.MaxSessionDuration:
				v.add("settings.portalSessionDuration", "%s: want 15 minutes to 90 days", s.PortalSessionDuration)
			}
			s.Session = d
		}
	}
	return accts
}

// tokenID is the id part of a SCIM token (idcscim_<id>.<secret>).
func tokenID(token string) string {
	id, _, _ := strings.Cut(strings.TrimPrefix(token, "idcscim_"), ".")
	return id
}

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }

// awsManaged checks an AWS managed policy ARN against the bundled catalog.
func (v *validator) awsManaged(path, arn string) {
	switch {
	case !managedARNRe.MatchString(arn):
		v.add(path, "%q is not an AWS managed policy ARN (arn:aws:iam::aws:policy/...)", arn)
	case !iam.IsAWSManaged(arn):
		v.add(path, "%q names no AWS managed policy", arn)
	}
}

func (v *validator) policyRef(path string, r *PolicyRef) {
	v.expand(path+".name", &r.Name)
	v.expand(path+".path", &r.Path)
	if !iamNameRe.MatchString(r.Name) {
		v.add(path+".name", "%q is not a valid IAM policy name", r.Name)
	}
	if r.Path != "" && !iamPathRe.MatchString(r.Path) {
		v.add(path+".path", "%q is not a valid IAM path (/…/)", r.Path)
	}
}

// setExtras checks a permission set's customer managed policy references,
// permissions boundary, relay state and tags.
func (v *validator) setExtras(p string, ps *PermissionSet) {
	seen := map[string]bool{}
	for j := range ps.CustomerManagedPolicies {
		r := &ps.CustomerManagedPolicies[j]
		rp := fmt.Sprintf("%s.customerManagedPolicies[%d]", p, j)
		v.policyRef(rp, r)
		key := orSlash(r.Path) + r.Name
		if seen[key] {
			v.add(rp, "policy %s is listed twice", key)
		}
		seen[key] = true
	}
	if b := ps.PermissionsBoundary; b != nil {
		bp := p + ".permissionsBoundary"
		switch {
		case (b.ManagedPolicyARN == "") == (b.CustomerManagedPolicy == nil):
			v.add(bp, "exactly one of managedPolicyArn and customerManagedPolicy is required")
		case b.ManagedPolicyARN != "":
			v.awsManaged(bp+".managedPolicyArn", b.ManagedPolicyARN)
		default:
			v.policyRef(bp+".customerManagedPolicy", b.CustomerManagedPolicy)
		}
	}
	v.expand(p+".relayState", &ps.RelayState)
	for k := range ps.Tags {
		if k == "" || len(k) > 128 || len(ps.Tags[k]) > 256 {
			v.add(p+".tags", "tag %q: keys are 1 to 128 characters, values at most 256", k)
		}
	}
}
