package world

// The kinds added after the first slices: identity store users' other
// attributes and external ids, and per-account IAM settings (account alias,
// password policy), instance profiles and identity providers (SAML, OIDC).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	coreiam "github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/core/identity"
	"github.com/idcenter/idcenter/internal/store"
)

// PhoneNumber is an identity store user's phone number.
type PhoneNumber struct {
	Value   string `yaml:"value"`
	Type    string `yaml:"type,omitempty"`
	Primary bool   `yaml:"primary,omitempty"`
}

// Address is an identity store user's postal address.
type Address struct {
	StreetAddress string `yaml:"streetAddress,omitempty"`
	Locality      string `yaml:"locality,omitempty"`
	Region        string `yaml:"region,omitempty"`
	PostalCode    string `yaml:"postalCode,omitempty"`
	Country       string `yaml:"country,omitempty"`
	Formatted     string `yaml:"formatted,omitempty"`
	Type          string `yaml:"type,omitempty"`
	Primary       bool   `yaml:"primary,omitempty"`
}

// Photo is an identity store user's photo (a URL).
type Photo struct {
	Value   string `yaml:"value"`
	Type    string `yaml:"type,omitempty"`
	Display string `yaml:"display,omitempty"`
	Primary bool   `yaml:"primary,omitempty"`
}

// UserRole is an identity store user's role.
type UserRole struct {
	Value   string `yaml:"value"`
	Type    string `yaml:"type,omitempty"`
	Primary bool   `yaml:"primary,omitempty"`
}

var extensionNameRe = regexp.MustCompile(`^aws:identitystore:[a-z]{1,20}$`)

// ExternalID identifies a user or group in an external identity provider.
type ExternalID struct {
	Issuer string `yaml:"issuer"`
	ID     string `yaml:"id"`
}

// PasswordPolicy is an account's IAM password policy; the file's policy
// replaces the whole stored one (fields left out take AWS's defaults).
type PasswordPolicy struct {
	MinimumPasswordLength      int  `yaml:"minimumPasswordLength,omitempty"` // 6 when 0
	RequireSymbols             bool `yaml:"requireSymbols,omitempty"`
	RequireNumbers             bool `yaml:"requireNumbers,omitempty"`
	RequireUppercaseCharacters bool `yaml:"requireUppercaseCharacters,omitempty"`
	RequireLowercaseCharacters bool `yaml:"requireLowercaseCharacters,omitempty"`
	AllowUsersToChangePassword bool `yaml:"allowUsersToChangePassword,omitempty"`
	MaxPasswordAge             int  `yaml:"maxPasswordAge,omitempty"` // days; 0: passwords do not expire
	PasswordReusePrevention    int  `yaml:"passwordReusePrevention,omitempty"`
	HardExpiry                 bool `yaml:"hardExpiry,omitempty"`
}

// InstanceProfile is an IAM instance profile holding (at most) one role of
// the same iam section.
type InstanceProfile struct {
	Name string            `yaml:"name"`
	Path string            `yaml:"path,omitempty"`
	Role string            `yaml:"role,omitempty"`
	Tags map[string]string `yaml:"tags,omitempty"`
}

// SAMLProvider is an IAM SAML 2.0 identity provider: its name and the IdP's
// metadata XML (an EntityDescriptor with a signing certificate).
type SAMLProvider struct {
	Name     string            `yaml:"name"`
	Metadata string            `yaml:"metadata"`
	Tags     map[string]string `yaml:"tags,omitempty"`
}

// OIDCProvider is an IAM OpenID Connect identity provider.
type OIDCProvider struct {
	URL         string            `yaml:"url"`
	ClientIDs   []string          `yaml:"clientIds,omitempty"`
	Thumbprints []string          `yaml:"thumbprints,omitempty"`
	Tags        map[string]string `yaml:"tags,omitempty"`
}

var thumbprintRe = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// userMore validates a user's other attributes and external ids.
func (v *validator) userMore(p string, u *User) {
	for _, f := range []struct {
		name string
		s    *string
	}{{"nickName", &u.NickName}, {"title", &u.Title}, {"userType", &u.UserType}, {"preferredLanguage", &u.PreferredLanguage},
		{"locale", &u.Locale}, {"timezone", &u.Timezone}, {"profileUrl", &u.ProfileURL}, {"website", &u.Website}, {"birthdate", &u.Birthdate}} {
		v.expand(p+"."+f.name, f.s)
	}
	primaries := 0
	for j := range u.PhoneNumbers {
		n := &u.PhoneNumbers[j]
		np := fmt.Sprintf("%s.phoneNumbers[%d]", p, j)
		v.expand(np+".value", &n.Value)
		v.required(np+".value", n.Value)
		primaries += count(n.Primary)
	}
	if primaries > 1 {
		v.add(p+".phoneNumbers", "at most one phone number is primary")
	}
	primaries = 0
	for j := range u.Addresses {
		a := &u.Addresses[j]
		ap := fmt.Sprintf("%s.addresses[%d]", p, j)
		for _, f := range []struct {
			name string
			s    *string
		}{{"streetAddress", &a.StreetAddress}, {"locality", &a.Locality}, {"region", &a.Region}, {"postalCode", &a.PostalCode},
			{"country", &a.Country}, {"formatted", &a.Formatted}} {
			v.expand(ap+"."+f.name, f.s)
		}
		if reflect.DeepEqual(*a, Address{Type: a.Type, Primary: a.Primary}) {
			v.add(ap, "an address needs at least one of streetAddress, locality, region, postalCode, country and formatted")
		}
		primaries += count(a.Primary)
	}
	if primaries > 1 {
		v.add(p+".addresses", "at most one address is primary")
	}
	for j := range u.Photos {
		ph := fmt.Sprintf("%s.photos[%d]", p, j)
		v.expand(ph+".value", &u.Photos[j].Value)
		v.required(ph+".value", u.Photos[j].Value)
	}
	for j := range u.Roles {
		rp := fmt.Sprintf("%s.roles[%d]", p, j)
		v.expand(rp+".value", &u.Roles[j].Value)
		v.required(rp+".value", u.Roles[j].Value)
	}
	for _, name := range sortedKeys(u.Extensions) {
		if !extensionNameRe.MatchString(name) {
			v.add(p+".extensions", "%q is not an extension name (aws:identitystore:enterprise)", name)
		}
	}
	v.externalIDList(p, u.ExternalIDs, "u")
}

// externalIDList validates external ids (kind tells users' from groups').
func (v *validator) externalIDList(p string, ids []ExternalID, kind string) {
	seen := map[string]bool{}
	for j := range ids {
		e := &ids[j]
		ep := fmt.Sprintf("%s.externalIds[%d]", p, j)
		v.expand(ep+".issuer", &e.Issuer)
		v.expand(ep+".id", &e.ID)
		v.required(ep+".issuer", e.Issuer)
		v.required(ep+".id", e.ID)
		key := kind + "\x00" + e.Issuer + "\x00" + e.ID
		if seen[key] || v.externalIDs[key] {
			v.add(ep, "duplicate external id %s %s", e.Issuer, e.ID)
		}
		seen[key], v.externalIDs[key] = true, true
	}
}

// iamMore validates an iam section's alias, password policy, instance
// profiles and identity providers; roles are the section's role names
// (lower case).
func (v *validator) iamMore(path string, x *IAM, roles map[string]bool) {
	if x.AccountAlias != "" {
		v.expand(path+".accountAlias", &x.AccountAlias)
		if !coreiam.ValidAlias(x.AccountAlias) {
			v.add(path+".accountAlias", "%q is not an account alias (3 to 63 lowercase letters, digits and single dashes)", x.AccountAlias)
		} else if v.aliases[x.AccountAlias] {
			v.add(path+".accountAlias", "alias %q is given to two accounts", x.AccountAlias)
		}
		v.aliases[x.AccountAlias] = true
	}
	if pp := x.PasswordPolicy; pp != nil {
		p := path + ".passwordPolicy"
		if pp.MinimumPasswordLength != 0 && (pp.MinimumPasswordLength < coreiam.MinPasswordLength || pp.MinimumPasswordLength > coreiam.MaxPasswordLength) {
			v.add(p+".minimumPasswordLength", "%d: want %d to %d", pp.MinimumPasswordLength, coreiam.MinPasswordLength, coreiam.MaxPasswordLength)
		}
		if pp.MaxPasswordAge < 0 || pp.MaxPasswordAge > coreiam.MaxPasswordAgeDays {
			v.add(p+".maxPasswordAge", "%d: want 1 to %d days (0: no expiry)", pp.MaxPasswordAge, coreiam.MaxPasswordAgeDays)
		}
		if pp.PasswordReusePrevention < 0 || pp.PasswordReusePrevention > coreiam.MaxPasswordReuse {
			v.add(p+".passwordReusePrevention", "%d: want 1 to %d (0: no rule)", pp.PasswordReusePrevention, coreiam.MaxPasswordReuse)
		}
	}
	profiles := map[string]bool{}
	for i := range x.InstanceProfiles {
		ip := &x.InstanceProfiles[i]
		p := fmt.Sprintf("%s.instanceProfiles[%d]", path, i)
		v.nameAndPath(p, &ip.Name, &ip.Path)
		if profiles[strings.ToLower(ip.Name)] {
			v.add(p+".name", "duplicate instance profile %q", ip.Name)
		}
		profiles[strings.ToLower(ip.Name)] = true
		v.expand(p+".role", &ip.Role)
		if ip.Role != "" && !roles[strings.ToLower(ip.Role)] {
			v.add(p+".role", "unknown role %q (a role of this iam section)", ip.Role)
		}
	}
	saml := map[string]bool{}
	for i := range x.SAMLProviders {
		sp := &x.SAMLProviders[i]
		p := fmt.Sprintf("%s.samlProviders[%d]", path, i)
		v.expand(p+".name", &sp.Name)
		v.expand(p+".metadata", &sp.Metadata)
		if !iamNameRe.MatchString(sp.Name) {
			v.add(p+".name", "%q is not a valid provider name", sp.Name)
		} else if strings.HasPrefix(sp.Name, "AWSSSO_") {
			v.add(p+".name", "%q: AWSSSO_ providers are the ones Identity Center creates", sp.Name)
		}
		if saml[sp.Name] {
			v.add(p+".name", "duplicate SAML provider %q", sp.Name)
		}
		saml[sp.Name] = true
		if _, err := coreiam.ParseSAMLMetadata(sp.Metadata); err != nil {
			v.add(p+".metadata", "not SAML 2.0 IdP metadata with a signing certificate")
		}
	}
	oidc := map[string]bool{}
	for i := range x.OIDCProviders {
		op := &x.OIDCProviders[i]
		p := fmt.Sprintf("%s.oidcProviders[%d]", path, i)
		v.expand(p+".url", &op.URL)
		host, ok := oidcHost(op.URL)
		if !ok {
			v.add(p+".url", "%q is not an https issuer URL", op.URL)
		} else if oidc[host] {
			v.add(p+".url", "duplicate OIDC provider %q", op.URL)
		}
		oidc[host] = true
		for j := range op.ClientIDs {
			v.expand(fmt.Sprintf("%s.clientIds[%d]", p, j), &op.ClientIDs[j])
			if c := op.ClientIDs[j]; c == "" || len(c) > 255 {
				v.add(fmt.Sprintf("%s.clientIds[%d]", p, j), "a client id is 1 to 255 characters")
			}
		}
		if len(op.Thumbprints) > coreiam.MaxOIDCThumbprints {
			v.add(p+".thumbprints", "at most %d thumbprints", coreiam.MaxOIDCThumbprints)
		}
		for j, t := range op.Thumbprints {
			if !thumbprintRe.MatchString(t) {
				v.add(fmt.Sprintf("%s.thumbprints[%d]", p, j), "%q is not a 40-character hex thumbprint", t)
			}
		}
	}
}

// oidcHost is an OIDC issuer URL as IAM keys it: host and path, without
// https:// and a trailing slash.
func oidcHost(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || len(raw) > 255 {
		return "", false
	}
	return strings.ToLower(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/"), true
}

func primaryPtr(b bool) *bool {
	if !b {
		return nil
	}
	return &b
}

func isPrimary(p *bool) bool { return p != nil && *p }

func storePhones(ns []PhoneNumber) []store.PhoneNumber {
	var out []store.PhoneNumber
	for _, n := range ns {
		out = append(out, store.PhoneNumber{Value: n.Value, Type: n.Type, Primary: primaryPtr(n.Primary)})
	}
	return out
}

func storePhotos(ps []Photo) []store.Photo {
	var out []store.Photo
	for _, x := range ps {
		out = append(out, store.Photo{Value: x.Value, Type: x.Type, Display: x.Display, Primary: primaryPtr(x.Primary)})
	}
	return out
}

func storeRoles(rs []UserRole) []store.Role {
	var out []store.Role
	for _, x := range rs {
		out = append(out, store.Role{Value: x.Value, Type: x.Type, Primary: primaryPtr(x.Primary)})
	}
	return out
}

// extensionJSON is an extension's attributes as a JSON object.
func extensionJSON(m map[string]any) []byte {
	b, _ := json.Marshal(m) // decoded from YAML: always encodable
	return b
}

func storeExternalIDs(ids []ExternalID) []store.ExternalID {
	var out []store.ExternalID
	for _, e := range ids {
		out = append(out, store.ExternalID{Issuer: e.Issuer, ID: e.ID})
	}
	return out
}

func storeAddresses(as []Address) []store.Address {
	var out []store.Address
	for _, a := range as {
		out = append(out, store.Address{StreetAddress: a.StreetAddress, Locality: a.Locality, Region: a.Region, PostalCode: a.PostalCode,
			Country: a.Country, Formatted: a.Formatted, Type: a.Type, Primary: primaryPtr(a.Primary)})
	}
	return out
}

// userScalars pairs the file's optional string attributes with the stored
// ones and their identitystore attribute paths.
func userScalars(u *User, a *store.UserAttributes) []struct {
	path   string
	file   string
	stored *string
} {
	return []struct {
		path   string
		file   string
		stored *string
	}{{"nickName", u.NickName, &a.NickName}, {"title", u.Title, &a.Title}, {"userType", u.UserType, &a.UserType},
		{"preferredLanguage", u.PreferredLanguage, &a.PreferredLanguage}, {"locale", u.Locale, &a.Locale},
		{"timezone", u.Timezone, &a.Timezone}, {"profileUrl", u.ProfileURL, &a.ProfileURL}, {"website", u.Website, &a.Website},
		{"birthdate", u.Birthdate, &a.Birthdate}}
}

// newUserMore fills a new user's other attributes and external ids.
func newUserMore(u User, su *store.User) {
	for _, f := range userScalars(&u, &su.Attributes) {
		*f.stored = f.file
	}
	su.Attributes.PhoneNumbers = storePhones(u.PhoneNumbers)
	su.Attributes.Addresses = storeAddresses(u.Addresses)
	su.Attributes.Photos = storePhotos(u.Photos)
	su.Attributes.Roles = storeRoles(u.Roles)
	for name, attrs := range u.Extensions {
		if su.Attributes.Extensions == nil {
			su.Attributes.Extensions = map[string][]byte{}
		}
		su.Attributes.Extensions[name] = extensionJSON(attrs)
	}
	su.ExternalIDs = storeExternalIDs(u.ExternalIDs)
}

// updateUserMore returns the operations bringing an existing user's other
// attributes to the file's (those the file leaves out are kept; external
// ids cannot change, as in AWS).
func updateUserMore(u User, cur store.User) []identity.AttributeOperation {
	var ops []identity.AttributeOperation
	a := cur.Attributes
	for _, f := range userScalars(&u, &a) {
		if f.file != "" && f.file != *f.stored {
			ops = append(ops, op(f.path, f.file))
		}
	}
	if len(u.PhoneNumbers) > 0 && !reflect.DeepEqual(storePhones(u.PhoneNumbers), a.PhoneNumbers) {
		ops = append(ops, op("phoneNumbers", storePhones(u.PhoneNumbers)))
	}
	if len(u.Addresses) > 0 && !reflect.DeepEqual(storeAddresses(u.Addresses), a.Addresses) {
		ops = append(ops, op("addresses", storeAddresses(u.Addresses)))
	}
	if len(u.Photos) > 0 && !reflect.DeepEqual(storePhotos(u.Photos), a.Photos) {
		ops = append(ops, op("photos", storePhotos(u.Photos)))
	}
	if len(u.Roles) > 0 && !reflect.DeepEqual(storeRoles(u.Roles), a.Roles) {
		ops = append(ops, op("roles", storeRoles(u.Roles)))
	}
	for _, name := range sortedKeys(u.Extensions) {
		want := extensionJSON(u.Extensions[name])
		if !sameJSON(string(want), string(a.Extensions[name])) {
			ops = append(ops, identity.AttributeOperation{Path: name, Value: want})
		}
	}
	return ops
}

// exportUserMore writes a stored user's other attributes and external ids.
func exportUserMore(su store.User, eu *User) {
	a := su.Attributes
	eu.NickName, eu.Title, eu.UserType, eu.PreferredLanguage = a.NickName, a.Title, a.UserType, a.PreferredLanguage
	eu.Locale, eu.Timezone, eu.ProfileURL, eu.Website, eu.Birthdate = a.Locale, a.Timezone, a.ProfileURL, a.Website, a.Birthdate
	for _, n := range a.PhoneNumbers {
		eu.PhoneNumbers = append(eu.PhoneNumbers, PhoneNumber{Value: n.Value, Type: n.Type, Primary: isPrimary(n.Primary)})
	}
	for _, x := range a.Addresses {
		eu.Addresses = append(eu.Addresses, Address{StreetAddress: x.StreetAddress, Locality: x.Locality, Region: x.Region,
			PostalCode: x.PostalCode, Country: x.Country, Formatted: x.Formatted, Type: x.Type, Primary: isPrimary(x.Primary)})
	}
	for _, x := range a.Photos {
		eu.Photos = append(eu.Photos, Photo{Value: x.Value, Type: x.Type, Display: x.Display, Primary: isPrimary(x.Primary)})
	}
	for _, x := range a.Roles {
		eu.Roles = append(eu.Roles, UserRole{Value: x.Value, Type: x.Type, Primary: isPrimary(x.Primary)})
	}
	for name, raw := range a.Extensions {
		var m map[string]any
		if json.Unmarshal(raw, &m) == nil {
			if eu.Extensions == nil {
				eu.Extensions = map[string]map[string]any{}
			}
			eu.Extensions[name] = m
		}
	}
	eu.ExternalIDs = exportExternalIDs(su.ExternalIDs)
}

func exportExternalIDs(ids []store.ExternalID) []ExternalID {
	var out []ExternalID
	for _, e := range ids {
		out = append(out, ExternalID{Issuer: e.Issuer, ID: e.ID})
	}
	return out
}

func (pp *PasswordPolicy) store(account string) store.IAMPasswordPolicy {
	p := store.IAMPasswordPolicy{AccountID: account, MinimumPasswordLength: pp.MinimumPasswordLength, RequireSymbols: pp.RequireSymbols,
		RequireNumbers: pp.RequireNumbers, RequireUppercaseCharacters: pp.RequireUppercaseCharacters,
		RequireLowercaseCharacters: pp.RequireLowercaseCharacters, AllowUsersToChangePassword: pp.AllowUsersToChangePassword,
		MaxPasswordAge: pp.MaxPasswordAge, PasswordReusePrevention: pp.PasswordReusePrevention, HardExpiry: pp.HardExpiry}
	if p.MinimumPasswordLength == 0 {
		p.MinimumPasswordLength = coreiam.DefaultMinPasswordLength
	}
	return p
}

func optInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func sameTags(want map[string]string, have []store.Tag) bool {
	cur := tagMapOf(have)
	for k, v := range want {
		if cur[k] != v {
			return false
		}
	}
	return true
}

// applyIAMMore ensures an iam section's alias, password policy, instance
// profiles and identity providers (after its roles).
func (t Target) applyIAMMore(ctx context.Context, w *World, path, account string, c coreiam.Caller, x *IAM) error {
	if x.AccountAlias != "" {
		cur, err := t.IAM.AccountAlias(ctx, account)
		if err == nil && cur != x.AccountAlias {
			err = t.IAM.CreateAccountAlias(ctx, c, x.AccountAlias)
		}
		if err != nil {
			return w.Errorf(path+".accountAlias", "%w", err)
		}
	}
	if pp := x.PasswordPolicy; pp != nil {
		cur, err := t.IAM.GetAccountPasswordPolicy(ctx, c)
		if err != nil && !isNotFound(err) {
			return w.Errorf(path+".passwordPolicy", "%w", err)
		}
		if err != nil || cur != pp.store(account) {
			in := coreiam.PasswordPolicyInput{MinimumPasswordLength: optInt(pp.MinimumPasswordLength), RequireSymbols: pp.RequireSymbols,
				RequireNumbers: pp.RequireNumbers, RequireUppercaseCharacters: pp.RequireUppercaseCharacters,
				RequireLowercaseCharacters: pp.RequireLowercaseCharacters, AllowUsersToChangePassword: pp.AllowUsersToChangePassword,
				MaxPasswordAge: optInt(pp.MaxPasswordAge), PasswordReusePrevention: optInt(pp.PasswordReusePrevention), HardExpiry: pp.HardExpiry}
			if err := t.IAM.UpdateAccountPasswordPolicy(ctx, c, in); err != nil {
				return w.Errorf(path+".passwordPolicy", "%w", err)
			}
		}
	}
	for i, ip := range x.InstanceProfiles {
		p := fmt.Sprintf("%s.instanceProfiles[%d]", path, i)
		cur, err := t.IAM.GetInstanceProfile(ctx, c, ip.Name)
		if isNotFound(err) {
			cur, err = t.IAM.CreateInstanceProfile(ctx, c, ip.Name, orSlash(ip.Path), tagList(ip.Tags))
		} else if err == nil && len(ip.Tags) > 0 && !sameTags(ip.Tags, cur.Tags) {
			err = t.IAM.TagInstanceProfile(ctx, c, ip.Name, tagList(ip.Tags))
		}
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
		if ip.Role == "" {
			continue
		}
		has := false
		for _, r := range cur.Roles {
			if strings.EqualFold(r.RoleName, ip.Role) {
				has = true
				continue
			}
			if err := t.IAM.RemoveRoleFromInstanceProfile(ctx, c, ip.Name, r.RoleName); err != nil {
				return w.Errorf(p+".role", "%w", err)
			}
		}
		if !has {
			if err := t.IAM.AddRoleToInstanceProfile(ctx, c, ip.Name, ip.Role); err != nil {
				return w.Errorf(p+".role", "%w", err)
			}
		}
	}
	for i, sp := range x.SAMLProviders {
		p := fmt.Sprintf("%s.samlProviders[%d]", path, i)
		arn := coreiam.SAMLProviderARN(account, sp.Name)
		cur, err := t.IAM.GetSAMLProvider(ctx, c, arn)
		switch {
		case isNotFound(err):
			_, err = t.IAM.CreateSAMLProvider(ctx, c, coreiam.SAMLProviderInput{Name: sp.Name, MetadataDocument: sp.Metadata, Tags: tagList(sp.Tags)})
		case err == nil:
			if cur.MetadataDocument != sp.Metadata {
				err = t.IAM.UpdateSAMLProvider(ctx, c, arn, coreiam.SAMLProviderInput{MetadataDocument: sp.Metadata})
			}
			if err == nil && len(sp.Tags) > 0 && !sameTags(sp.Tags, cur.Tags) {
				err = t.IAM.TagSAMLProvider(ctx, c, arn, tagList(sp.Tags))
			}
		}
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
	}
	for i, op := range x.OIDCProviders {
		p := fmt.Sprintf("%s.oidcProviders[%d]", path, i)
		host, _ := oidcHost(op.URL) // checked by Parse
		arn := coreiam.OIDCProviderARN(account, host)
		cur, err := t.IAM.GetOpenIDConnectProvider(ctx, c, arn)
		switch {
		case isNotFound(err):
			_, err = t.IAM.CreateOpenIDConnectProvider(ctx, c, op.URL, op.ClientIDs, op.Thumbprints, tagList(op.Tags))
		case err == nil:
			for _, id := range op.ClientIDs {
				if err == nil && !slices.Contains(cur.ClientIDs, id) {
					err = t.IAM.AddClientIDToOpenIDConnectProvider(ctx, c, arn, id)
				}
			}
			if err == nil && len(op.Thumbprints) > 0 && !slices.Equal(op.Thumbprints, cur.Thumbprints) {
				err = t.IAM.UpdateOpenIDConnectProviderThumbprint(ctx, c, arn, op.Thumbprints)
			}
			if err == nil && len(op.Tags) > 0 && !sameTags(op.Tags, cur.Tags) {
				err = t.IAM.TagOpenIDConnectProvider(ctx, c, arn, tagList(op.Tags))
			}
		}
		if err != nil {
			return w.Errorf(p, "%w", err)
		}
	}
	return nil
}

// ssoProvider reports whether a SAML provider is one Identity Center
// creates in the accounts it provisions (AWSSSO_…_DO_NOT_DELETE).
func ssoProvider(name string) bool {
	return strings.HasPrefix(name, "AWSSSO_") && strings.HasSuffix(name, "_DO_NOT_DELETE")
}

// iamMore exports an account's alias, password policy, instance profiles
// and identity providers into out.
func (x exporter) iamMore(ctx context.Context, account string, out *IAM) error {
	alias, err := x.tx.GetIAMAccountAlias(ctx, account)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	out.AccountAlias = alias
	pp, err := x.tx.GetIAMPasswordPolicy(ctx, account)
	switch {
	case err == nil:
		out.PasswordPolicy = &PasswordPolicy{MinimumPasswordLength: pp.MinimumPasswordLength, RequireSymbols: pp.RequireSymbols,
			RequireNumbers: pp.RequireNumbers, RequireUppercaseCharacters: pp.RequireUppercaseCharacters,
			RequireLowercaseCharacters: pp.RequireLowercaseCharacters, AllowUsersToChangePassword: pp.AllowUsersToChangePassword,
			MaxPasswordAge: pp.MaxPasswordAge, PasswordReusePrevention: pp.PasswordReusePrevention, HardExpiry: pp.HardExpiry}
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	ips, err := x.tx.ListIAMInstanceProfiles(ctx, account, store.IAMListFilter{}, store.Page{})
	if err != nil {
		return err
	}
	for _, ip := range ips {
		out.InstanceProfiles = append(out.InstanceProfiles, InstanceProfile{Name: ip.InstanceProfileName, Path: pathOrEmpty(ip.Path),
			Role: ip.RoleName, Tags: tagMap(ip.Tags)})
	}
	sps, err := x.tx.ListIAMSAMLProviders(ctx, account)
	if err != nil {
		return err
	}
	for _, sp := range sps {
		if ssoProvider(sp.Name) {
			continue
		}
		out.SAMLProviders = append(out.SAMLProviders, SAMLProvider{Name: sp.Name, Metadata: sp.MetadataDocument, Tags: tagMap(sp.Tags)})
	}
	ops, err := x.tx.ListIAMOIDCProviders(ctx, account)
	if err != nil {
		return err
	}
	for _, op := range ops {
		out.OIDCProviders = append(out.OIDCProviders, OIDCProvider{URL: "https://" + op.URL, ClientIDs: op.ClientIDs,
			Thumbprints: op.Thumbprints, Tags: tagMap(op.Tags)})
	}
	sort.Slice(out.OIDCProviders, func(i, j int) bool { return out.OIDCProviders[i].URL < out.OIDCProviders[j].URL })
	return nil
}

// emptyIAM reports whether an exported iam section holds nothing.
func emptyIAM(x *IAM) bool {
	return len(x.Users)+len(x.Groups)+len(x.Roles)+len(x.Policies)+len(x.InstanceProfiles)+len(x.SAMLProviders)+len(x.OIDCProviders) == 0 &&
		x.AccountAlias == "" && x.PasswordPolicy == nil
}
