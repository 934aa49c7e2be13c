package world

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/idcenter/idcenter/internal/policy"
)

// World is a parsed and validated world file.
type World struct {
	Organization   *Organization   `yaml:"organization,omitempty"`
	IAM            *IAM            `yaml:"iam,omitempty"` // the management account's IAM
	Users          []User          `yaml:"users,omitempty"`
	Groups         []Group         `yaml:"groups,omitempty"`
	PermissionSets []PermissionSet `yaml:"permissionSets,omitempty"`
	Assignments    []Assignment    `yaml:"assignments,omitempty"`
	SCIMTokens     []SCIMToken     `yaml:"scimTokens,omitempty"`
	Settings       *Settings       `yaml:"settings,omitempty"`
	// TrustedTokenIssuers and Applications: apps.go.
	TrustedTokenIssuers []TrustedTokenIssuer `yaml:"trustedTokenIssuers,omitempty"`
	Applications        []Application        `yaml:"applications,omitempty"`
	// IdentitySource: identitysource.go.
	IdentitySource *IdentitySource `yaml:"identitySource,omitempty"`

	// digest identifies the file's content (Digest).
	digest string

	// file and ast locate entries for errors found after parsing (Apply).
	file string
	ast  *ast.File
}

// User is an identity store user.
type User struct {
	UserName    string `yaml:"userName"`
	DisplayName string `yaml:"displayName,omitempty"`
	GivenName   string `yaml:"givenName"`
	FamilyName  string `yaml:"familyName"`
	Email       string `yaml:"email,omitempty"`
	// Password is the initial portal password (set when the user has none).
	Password string `yaml:"password,omitempty"`
	// TOTPSecret is a base32 TOTP secret registered as the user's
	// authenticator app (tests compute codes from it).
	TOTPSecret string `yaml:"totpSecret,omitempty"`

	// Other attributes (more.go): left as they are when not given.
	NickName          string        `yaml:"nickName,omitempty"`
	Title             string        `yaml:"title,omitempty"`
	UserType          string        `yaml:"userType,omitempty"`
	PreferredLanguage string        `yaml:"preferredLanguage,omitempty"`
	Locale            string        `yaml:"locale,omitempty"`
	Timezone          string        `yaml:"timezone,omitempty"`
	ProfileURL        string        `yaml:"profileUrl,omitempty"`
	Website           string        `yaml:"website,omitempty"`
	Birthdate         string        `yaml:"birthdate,omitempty"`
	PhoneNumbers      []PhoneNumber `yaml:"phoneNumbers,omitempty"`
	Addresses         []Address     `yaml:"addresses,omitempty"`
	Photos            []Photo       `yaml:"photos,omitempty"`
	Roles             []UserRole    `yaml:"roles,omitempty"`
	// Extensions map an extension ("aws:identitystore:enterprise") to its
	// attributes (a mapping).
	Extensions map[string]map[string]any `yaml:"extensions,omitempty"`
	// ExternalIDs are set when the user is created (AWS has no call that
	// changes them).
	ExternalIDs []ExternalID `yaml:"externalIds,omitempty"`
}

// Group is an identity store group and its members (user names).
type Group struct {
	DisplayName string   `yaml:"displayName"`
	Description string   `yaml:"description,omitempty"`
	Members     []string `yaml:"members,omitempty"`
	// ExternalIDs are set when the group is created (more.go).
	ExternalIDs []ExternalID `yaml:"externalIds,omitempty"`
}

// PermissionSet is a permission set with its policies. InlinePolicy is a
// JSON string or a YAML mapping; after Parse it holds the JSON document.
type PermissionSet struct {
	Name            string   `yaml:"name"`
	Description     string   `yaml:"description,omitempty"`
	SessionDuration string   `yaml:"sessionDuration,omitempty"`
	InlinePolicy    any      `yaml:"inlinePolicy,omitempty"`
	ManagedPolicies []string `yaml:"managedPolicies,omitempty"`
	// CustomerManagedPolicies name IAM policies that must exist in every
	// account the set is provisioned to (by name and path).
	CustomerManagedPolicies []PolicyRef       `yaml:"customerManagedPolicies,omitempty"`
	PermissionsBoundary     *Boundary         `yaml:"permissionsBoundary,omitempty"`
	RelayState              string            `yaml:"relayState,omitempty"`
	Tags                    map[string]string `yaml:"tags,omitempty"`

	// Inline is the inline policy as a JSON document ("" for none).
	Inline string `yaml:"-"`
}

// PolicyRef names a customer managed policy by name and path ("/" when empty).
type PolicyRef struct {
	Name string `yaml:"name"`
	Path string `yaml:"path,omitempty"`
}

// Boundary is a permission set's permissions boundary: exactly one of an AWS
// managed policy ARN and a customer managed policy reference.
type Boundary struct {
	ManagedPolicyARN      string     `yaml:"managedPolicyArn,omitempty"`
	CustomerManagedPolicy *PolicyRef `yaml:"customerManagedPolicy,omitempty"`
}

// Assignment assigns a permission set to a user or a group in an account.
type Assignment struct {
	PermissionSet string `yaml:"permissionSet"`
	Group         string `yaml:"group,omitempty"`
	User          string `yaml:"user,omitempty"`
	Account       string `yaml:"account"`
}

// Load reads and parses a world file.
func Load(path string) (*World, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("world: %w", err)
	}
	return Parse(path, data, os.LookupEnv)
}

// Parse decodes and validates a world file; name is used in error messages
// and lookupEnv expands ${NAME} in string values (nil: os.LookupEnv). All
// problems found are reported, one "FILE:LINE: field: message" per line.
func Parse(name string, data []byte, lookupEnv func(string) (string, bool)) (*World, error) {
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlErr(name, err)
	}
	sum := sha256.Sum256(data)
	w := &World{file: name, ast: f, digest: hex.EncodeToString(sum[:])}
	if err := yaml.UnmarshalWithOptions(data, w, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlErr(name, err)
	}
	v := &validator{w: w, env: lookupEnv}
	v.validate()
	if len(v.errs) > 0 {
		return nil, errors.Join(v.errs...)
	}
	return w, nil
}

// yamlErr reports a decoding error as FILE:LINE: message.
func yamlErr(name string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		return fmt.Errorf("%s:%d: %s", name, ye.GetToken().Position.Line, ye.GetMessage())
	}
	return fmt.Errorf("%s: %w", name, err)
}

// line returns the line of the node at path (e.g. "users[2].userName"),
// falling back to its parents; 0 when nothing matches.
func (w *World) line(path string) int {
	if w == nil || w.ast == nil {
		return 0
	}
	for p := path; p != ""; p = parent(p) {
		yp, err := yaml.PathString("$." + p)
		if err != nil {
			continue
		}
		n, err := yp.FilterFile(w.ast)
		if err != nil || n == nil || n.GetToken() == nil {
			continue
		}
		return n.GetToken().Position.Line
	}
	return 0
}

// parent strips the last ".field" or "[i]" from path.
func parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// Errorf makes a "FILE:LINE: field: message" error for the entry at path.
// A %w verb wraps its error, so that callers can tell a store conflict
// (retried by the caller's transaction) from a mistake in the file.
func (w *World) Errorf(path, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s: "+format, append([]any{w.file, w.line(path), path}, args...)...)
}

type validator struct {
	w    *World
	env  func(string) (string, bool)
	errs []error
	keys map[string]bool // access key ids across the file

	externalIDs map[string]bool // users' issuer + id across the file
	aliases     map[string]bool // account aliases across the file
}

func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, v.w.Errorf(path, format, args...))
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}`)

// expand replaces ${NAME} in *s from the environment, and ${NAME:-default}
// with default when NAME is unset or empty; a missing variable without a
// default is an error naming it.
func (v *validator) expand(path string, s *string) {
	*s = envRef.ReplaceAllStringFunc(*s, func(m string) string {
		sub := envRef.FindStringSubmatch(m)
		name, def := sub[1], sub[2]
		val, ok := v.env(name)
		if def != "" && (!ok || val == "") {
			return def[2:]
		}
		if !ok {
			v.add(path, "environment variable %s is not set", name)
		}
		return val
	})
}

func (v *validator) required(path, val string) {
	if strings.TrimSpace(val) == "" {
		v.add(path, "is required")
	}
}

var (
	accountIDRe  = regexp.MustCompile(`^\d{12}$`)
	managedARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:iam::aws:policy/.+$`)
)

func (v *validator) validate() {
	w := v.w
	v.kinds()
	users := map[string]bool{}
	for i := range w.Users {
		u := &w.Users[i]
		p := fmt.Sprintf("users[%d]", i)
		for _, f := range []struct {
			name string
			s    *string
		}{{"userName", &u.UserName}, {"displayName", &u.DisplayName}, {"givenName", &u.GivenName}, {"familyName", &u.FamilyName}, {"email", &u.Email}} {
			v.expand(p+"."+f.name, f.s)
		}
		v.required(p+".userName", u.UserName)
		key := strings.ToLower(u.UserName)
		if u.UserName != "" && users[key] {
			v.add(p+".userName", "duplicate user %q", u.UserName)
		}
		users[key] = true
		if u.DisplayName == "" {
			u.DisplayName = strings.TrimSpace(u.GivenName + " " + u.FamilyName)
		}
		v.required(p+".displayName", u.DisplayName)
		v.required(p+".givenName", u.GivenName)
		v.required(p+".familyName", u.FamilyName)
	}
	groups := map[string]bool{}
	for i := range w.Groups {
		g := &w.Groups[i]
		p := fmt.Sprintf("groups[%d]", i)
		v.expand(p+".displayName", &g.DisplayName)
		v.expand(p+".description", &g.Description)
		v.required(p+".displayName", g.DisplayName)
		key := strings.ToLower(g.DisplayName)
		if g.DisplayName != "" && groups[key] {
			v.add(p+".displayName", "duplicate group %q", g.DisplayName)
		}
		groups[key] = true
		v.externalIDList(p, g.ExternalIDs, "g")
		seen := map[string]bool{}
		for j, m := range g.Members {
			mp := fmt.Sprintf("%s.members[%d]", p, j)
			if !users[strings.ToLower(m)] {
				v.add(mp, "unknown user %q", m)
			}
			if seen[strings.ToLower(m)] {
				v.add(mp, "user %q is listed twice", m)
			}
			seen[strings.ToLower(m)] = true
		}
	}
	sets := map[string]bool{}
	for i := range w.PermissionSets {
		ps := &w.PermissionSets[i]
		p := fmt.Sprintf("permissionSets[%d]", i)
		v.expand(p+".name", &ps.Name)
		v.expand(p+".description", &ps.Description)
		v.expand(p+".sessionDuration", &ps.SessionDuration)
		v.required(p+".name", ps.Name)
		if ps.Name != "" && sets[ps.Name] {
			v.add(p+".name", "duplicate permission set %q", ps.Name)
		}
		sets[ps.Name] = true
		v.inlinePolicy(p+".inlinePolicy", ps)
		for j, a := range ps.ManagedPolicies {
			v.awsManaged(fmt.Sprintf("%s.managedPolicies[%d]", p, j), a)
		}
		v.setExtras(p, ps)
	}
	for i := range w.Assignments {
		a := &w.Assignments[i]
		p := fmt.Sprintf("assignments[%d]", i)
		v.expand(p+".account", &a.Account)
		switch {
		case a.PermissionSet == "":
			v.add(p+".permissionSet", "is required")
		case !sets[a.PermissionSet]:
			v.add(p+".permissionSet", "unknown permission set %q", a.PermissionSet)
		}
		switch {
		case (a.User == "") == (a.Group == ""):
			v.add(p, "exactly one of user and group is required")
		case a.User != "" && !users[strings.ToLower(a.User)]:
			v.add(p+".user", "unknown user %q", a.User)
		case a.Group != "" && !groups[strings.ToLower(a.Group)]:
			v.add(p+".group", "unknown group %q", a.Group)
		}
		if !accountIDRe.MatchString(a.Account) {
			v.add(p+".account", "%q is not a 12-digit account id", a.Account)
		}
	}
	v.apps(users, groups)
	v.identitySource()
}

// inlinePolicy turns a string or mapping into a JSON document and checks it
// with the policy engine that will evaluate it.
func (v *validator) inlinePolicy(path string, ps *PermissionSet) {
	ps.Inline = v.document(path, ps.InlinePolicy, policy.KindIdentity)
}

// document turns a policy given as a JSON string or a YAML mapping into its
// JSON text ("" for none) and checks it as a policy of kind.
func (v *validator) document(path string, raw any, kind policy.Kind) string {
	var doc string
	switch d := raw.(type) {
	case nil:
		return ""
	case string:
		v.expand(path, &d)
		doc = strings.TrimSpace(d)
	case map[string]any:
		b, err := json.Marshal(d)
		if err != nil {
			v.add(path, "cannot be written as JSON: %v", err)
			return ""
		}
		doc = string(b)
	default:
		v.add(path, "must be a JSON string or a mapping")
		return ""
	}
	if doc == "" {
		return ""
	}
	if _, err := policy.Compile(doc, kind); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.Detail != "" {
				msg += " (" + pe.Detail + ")"
			}
			v.add(path, "malformed policy: %s", msg)
		} else {
			v.add(path, "malformed policy: %v", err)
		}
	}
	return doc
}

// Digest identifies the file's content (SHA-256, hex): the composition root
// records it with the applied world so that readiness can tell that this
// file is the one applied.
func (w *World) Digest() string { return w.digest }

// File is the file name given to Load or Parse.
func (w *World) File() string { return w.file }

// OrganizationID is the organization id the file pins ("" for none, also
// on a nil World).
func (w *World) OrganizationID() string {
	if w == nil || w.Organization == nil {
		return ""
	}
	return w.Organization.ID
}
