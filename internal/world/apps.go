package world

// Trusted token issuers and applications (with their assignments, grants,
// access scopes and IAM authentication method) of the instance.

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// TrustedTokenIssuer is an OIDC JWT issuer the instance trusts (keyed by name;
// its issuer URL cannot change).
type TrustedTokenIssuer struct {
	Name                       string            `yaml:"name"`
	IssuerURL                  string            `yaml:"issuerUrl"`
	ClaimAttributePath         string            `yaml:"claimAttributePath"`
	IdentityStoreAttributePath string            `yaml:"identityStoreAttributePath"`
	Tags                       map[string]string `yaml:"tags,omitempty"`
}

// Application is an application of the instance (keyed by name).
type Application struct {
	Name string `yaml:"name"`
	// Provider is the application provider's ARN (default: the customer
	// managed OAuth application, arn:aws:sso::aws:applicationProvider/custom).
	Provider       string `yaml:"provider,omitempty"`
	Description    string `yaml:"description,omitempty"`
	Status         string `yaml:"status,omitempty"` // ENABLED (default) or DISABLED
	Visibility     string `yaml:"visibility,omitempty"`
	SignInOrigin   string `yaml:"signInOrigin,omitempty"` // IDENTITY_CENTER or APPLICATION
	ApplicationURL string `yaml:"applicationUrl,omitempty"`
	// AssignmentRequired: only assigned users and groups may use it (default true).
	AssignmentRequired *bool             `yaml:"assignmentRequired,omitempty"`
	Tags               map[string]string `yaml:"tags,omitempty"`
	// Users and Groups are assigned (user names, group display names).
	Users        []string   `yaml:"users,omitempty"`
	Groups       []string   `yaml:"groups,omitempty"`
	Grants       []AppGrant `yaml:"grants,omitempty"`
	AccessScopes []string   `yaml:"accessScopes,omitempty"`
	// IAMActorPolicy is the IAM authentication method's actor policy.
	IAMActorPolicy any `yaml:"iamActorPolicy,omitempty"`

	// ActorPolicy is IAMActorPolicy as JSON ("" for none).
	ActorPolicy string `yaml:"-"`
}

// AppGrant is an application's OAuth grant: authorization_code (with
// redirect URIs), refresh_token, token exchange, or jwt-bearer (with the
// trusted token issuers, by name, and their audiences).
type AppGrant struct {
	Type         string        `yaml:"type"`
	RedirectURIs []string      `yaml:"redirectUris,omitempty"`
	TokenIssuers []GrantIssuer `yaml:"tokenIssuers,omitempty"`
}

// GrantIssuer is a trusted token issuer a jwt-bearer grant accepts.
type GrantIssuer struct {
	Name      string   `yaml:"name"`
	Audiences []string `yaml:"audiences,omitempty"`
}

var grantTypes = map[string]bool{access.GrantAuthorizationCode: true, access.GrantRefreshToken: true,
	access.GrantJWTBearer: true, access.GrantTokenExchange: true}

// apps validates the trusted token issuers and the applications; users and
// groups are the file's names (lower case).
func (v *validator) apps(users, groups map[string]bool) {
	w := v.w
	issuers := map[string]bool{}
	for i := range w.TrustedTokenIssuers {
		t := &w.TrustedTokenIssuers[i]
		p := fmt.Sprintf("trustedTokenIssuers[%d]", i)
		for _, f := range []struct {
			n string
			s *string
		}{{"name", &t.Name}, {"issuerUrl", &t.IssuerURL}, {"claimAttributePath", &t.ClaimAttributePath},
			{"identityStoreAttributePath", &t.IdentityStoreAttributePath}} {
			v.expand(p+"."+f.n, f.s)
			v.required(p+"."+f.n, *f.s)
		}
		if issuers[t.Name] {
			v.add(p+".name", "duplicate trusted token issuer %q", t.Name)
		}
		issuers[t.Name] = true
		if t.IssuerURL != "" && !strings.HasPrefix(t.IssuerURL, "https://") {
			v.add(p+".issuerUrl", "%q is not an https URL", t.IssuerURL)
		}
	}
	names := map[string]bool{}
	for i := range w.Applications {
		a := &w.Applications[i]
		p := fmt.Sprintf("applications[%d]", i)
		for _, f := range []struct {
			n string
			s *string
		}{{"name", &a.Name}, {"provider", &a.Provider}, {"description", &a.Description}, {"applicationUrl", &a.ApplicationURL}} {
			v.expand(p+"."+f.n, f.s)
		}
		v.required(p+".name", a.Name)
		if names[a.Name] {
			v.add(p+".name", "duplicate application %q", a.Name)
		}
		names[a.Name] = true
		if a.Provider == "" {
			a.Provider = access.ProviderCustom
		}
		if _, err := (&access.Service{}).DescribeApplicationProvider(context.Background(), a.Provider); err != nil {
			v.add(p+".provider", "%q is no application provider of the catalog", a.Provider)
		}
		switch a.Status {
		case "", "ENABLED", "DISABLED":
		default:
			v.add(p+".status", "%q: want ENABLED or DISABLED", a.Status)
		}
		switch a.Visibility {
		case "", "ENABLED", "DISABLED":
		default:
			v.add(p+".visibility", "%q: want ENABLED or DISABLED", a.Visibility)
		}
		switch a.SignInOrigin {
		case "", "IDENTITY_CENTER":
		case "APPLICATION":
			if a.ApplicationURL == "" {
				v.add(p+".applicationUrl", "is required when signInOrigin is APPLICATION")
			}
		default:
			v.add(p+".signInOrigin", "%q: want IDENTITY_CENTER or APPLICATION", a.SignInOrigin)
		}
		for j, u := range a.Users {
			if !users[strings.ToLower(u)] {
				v.add(fmt.Sprintf("%s.users[%d]", p, j), "unknown user %q", u)
			}
		}
		for j, g := range a.Groups {
			if !groups[strings.ToLower(g)] {
				v.add(fmt.Sprintf("%s.groups[%d]", p, j), "unknown group %q", g)
			}
		}
		seen := map[string]bool{}
		for j := range a.Grants {
			g := &a.Grants[j]
			gp := fmt.Sprintf("%s.grants[%d]", p, j)
			if !grantTypes[g.Type] {
				v.add(gp+".type", "%q: want authorization_code, refresh_token, %s or %s", g.Type, access.GrantJWTBearer, access.GrantTokenExchange)
			} else if seen[g.Type] {
				v.add(gp+".type", "grant %s is listed twice", g.Type)
			}
			seen[g.Type] = true
			if len(g.RedirectURIs) > 0 && g.Type != access.GrantAuthorizationCode {
				v.add(gp+".redirectUris", "only an authorization_code grant has redirect URIs")
			}
			if g.Type == access.GrantJWTBearer && len(g.TokenIssuers) == 0 {
				v.add(gp+".tokenIssuers", "is required for a jwt-bearer grant")
			}
			if len(g.TokenIssuers) > 0 && g.Type != access.GrantJWTBearer {
				v.add(gp+".tokenIssuers", "only a jwt-bearer grant has token issuers")
			}
			for k, ti := range g.TokenIssuers {
				if !issuers[ti.Name] {
					v.add(fmt.Sprintf("%s.tokenIssuers[%d].name", gp, k), "unknown trusted token issuer %q", ti.Name)
				}
			}
		}
		for j, s := range a.AccessScopes {
			if strings.TrimSpace(s) == "" {
				v.add(fmt.Sprintf("%s.accessScopes[%d]", p, j), "is empty")
			}
		}
		a.ActorPolicy = v.document(p+".iamActorPolicy", a.IAMActorPolicy, policy.KindResource)
	}
}

// applyApps ensures the trusted token issuers, then the applications with
// their settings and assignments (users and groups by their ids).
func (t Target) applyApps(ctx context.Context, w *World, userIDs, groupIDs map[string]string) error {
	if len(w.TrustedTokenIssuers)+len(w.Applications) == 0 {
		return nil
	}
	var (
		ttis []store.TrustedTokenIssuer
		apps []store.Application
	)
	err := t.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if ttis, err = tx.ListTrustedTokenIssuers(ctx, t.InstanceARN, store.Page{}); err != nil {
			return err
		}
		apps, err = tx.ListApplications(ctx, t.InstanceARN, store.ApplicationFilter{}, store.Page{})
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: applications: %w", w.file, err)
	}
	ttiARNs := map[string]string{}
	for _, x := range ttis {
		ttiARNs[x.Name] = x.ARN
	}
	for i, ti := range w.TrustedTokenIssuers {
		p := fmt.Sprintf("trustedTokenIssuers[%d]", i)
		var cur *store.TrustedTokenIssuer
		for j := range ttis {
			if ttis[j].Name == ti.Name {
				cur = &ttis[j]
			}
		}
		if cur == nil {
			created, err := t.Access.CreateTrustedTokenIssuer(ctx, t.InstanceARN, access.NewTrustedTokenIssuer{Name: ti.Name, Type: "OIDC_JWT",
				IssuerURL: ti.IssuerURL, ClaimAttributePath: ti.ClaimAttributePath, IdentityStoreAttributePath: ti.IdentityStoreAttributePath,
				JWKSRetrievalOption: "OPEN_ID_DISCOVERY", Tags: tagList(ti.Tags)})
			if err != nil {
				return w.Errorf(p, "%w", err)
			}
			ttiARNs[ti.Name] = created.ARN
			continue
		}
		if cur.IssuerURL != ti.IssuerURL {
			return w.Errorf(p+".issuerUrl", "issuer %s has the URL %s (an issuer URL cannot change)", ti.Name, cur.IssuerURL)
		}
		if cur.ClaimAttributePath != ti.ClaimAttributePath || cur.IdentityStoreAttributePath != ti.IdentityStoreAttributePath {
			if err := t.Access.UpdateTrustedTokenIssuer(ctx, cur.ARN, access.TrustedTokenIssuerUpdate{
				ClaimAttributePath: ti.ClaimAttributePath, IdentityStoreAttributePath: ti.IdentityStoreAttributePath}); err != nil {
				return w.Errorf(p, "%w", err)
			}
		}
		if err := t.ensureTags(ctx, cur.ARN, ti.Tags); err != nil {
			return w.Errorf(p+".tags", "%w", err)
		}
	}
	for i, a := range w.Applications {
		p := fmt.Sprintf("applications[%d]", i)
		var cur *store.Application
		for j := range apps {
			if apps[j].Name == a.Name && cur == nil {
				cur = &apps[j]
			}
		}
		if cur == nil {
			created, _, err := t.Access.CreateApplication(ctx, t.InstanceARN, access.NewApplication{ProviderARN: a.Provider, Name: a.Name,
				Description: a.Description, Status: a.Status, Visibility: a.Visibility, SignInOrigin: a.SignInOrigin,
				ApplicationURL: a.ApplicationURL, Tags: tagList(a.Tags)})
			if err != nil {
				return w.Errorf(p, "%w", err)
			}
			cur = &created
		} else if err := t.updateApp(ctx, *cur, a); err != nil {
			return w.Errorf(p, "%w", err)
		}
		if a.AssignmentRequired != nil && *a.AssignmentRequired != cur.AssignmentRequired {
			if err := t.Access.PutAssignmentRequired(ctx, cur.ARN, *a.AssignmentRequired); err != nil {
				return w.Errorf(p+".assignmentRequired", "%w", err)
			}
		}
		if err := t.appSettings(ctx, w, p, cur.ARN, a, ttiARNs); err != nil {
			return err
		}
		assign := func(path, typ, id string) error {
			asg := store.ApplicationAssignment{ApplicationARN: cur.ARN, PrincipalType: typ, PrincipalID: id}
			err := t.Access.DescribeApplicationAssignment(ctx, asg)
			if isNotFound(err) {
				err = t.Access.CreateApplicationAssignment(ctx, asg)
			}
			if err != nil {
				return w.Errorf(path, "%w", err)
			}
			return nil
		}
		for j, u := range a.Users {
			if err := assign(fmt.Sprintf("%s.users[%d]", p, j), access.PrincipalUser, userIDs[strings.ToLower(u)]); err != nil {
				return err
			}
		}
		for j, g := range a.Groups {
			if err := assign(fmt.Sprintf("%s.groups[%d]", p, j), access.PrincipalGroup, groupIDs[strings.ToLower(g)]); err != nil {
				return err
			}
		}
	}
	return nil
}

// ensureTags adds or changes the tags of a resource that differ (others are kept).
func (t Target) ensureTags(ctx context.Context, arn string, want map[string]string) error {
	if len(want) == 0 {
		return nil
	}
	var have []store.Tag
	if err := t.Store.View(ctx, func(tx store.Tx) error {
		var err error
		have, err = tx.ListTags(ctx, arn, store.Page{})
		return err
	}); err != nil {
		return err
	}
	if sameTags(want, have) {
		return nil
	}
	return t.Access.TagResource(ctx, t.InstanceARN, arn, tagList(want))
}

// updateApp brings an existing application's attributes to the file's
// (what the file leaves out is kept).
func (t Target) updateApp(ctx context.Context, cur store.Application, a Application) error {
	if a.Provider != cur.ProviderARN {
		return fmt.Errorf("application %s has the provider %s (a provider cannot change)", a.Name, cur.ProviderARN)
	}
	var u access.ApplicationUpdate
	changed := false
	if a.Description != "" && a.Description != cur.Description {
		u.Description, changed = &a.Description, true
	}
	if a.Status != "" && a.Status != cur.Status {
		u.Status, changed = &a.Status, true
	}
	if (a.SignInOrigin != "" && a.SignInOrigin != cur.SignInOrigin) || (a.ApplicationURL != "" && a.ApplicationURL != cur.ApplicationURL) {
		u.SignIn, changed = &struct{ Origin, ApplicationURL string }{a.SignInOrigin, a.ApplicationURL}, true
	}
	if changed {
		if err := t.Access.UpdateApplication(ctx, cur.ARN, u); err != nil {
			return err
		}
	}
	return t.ensureTags(ctx, cur.ARN, a.Tags)
}

// appSettings puts the grants, access scopes and authentication method
// that differ from the stored ones (others are kept).
func (t Target) appSettings(ctx context.Context, w *World, p, arn string, a Application, ttiARNs map[string]string) error {
	for j, g := range a.Grants {
		want := access.Grant{RedirectURIs: g.RedirectURIs}
		for _, ti := range g.TokenIssuers {
			want.AuthorizedTokenIssuers = append(want.AuthorizedTokenIssuers, access.AuthorizedTokenIssuer{
				TrustedTokenIssuerARN: ttiARNs[ti.Name], AuthorizedAudiences: ti.Audiences})
		}
		cur, err := t.Access.GetGrant(ctx, arn, g.Type)
		if err == nil && reflect.DeepEqual(cur, want) {
			continue
		}
		if err != nil && !isNotFound(err) {
			return w.Errorf(fmt.Sprintf("%s.grants[%d]", p, j), "%w", err)
		}
		if err := t.Access.PutGrant(ctx, arn, g.Type, want); err != nil {
			return w.Errorf(fmt.Sprintf("%s.grants[%d]", p, j), "%w", err)
		}
	}
	for j, s := range a.AccessScopes {
		_, err := t.Access.GetAccessScope(ctx, arn, s)
		if isNotFound(err) {
			err = t.Access.PutAccessScope(ctx, arn, access.AccessScope{Scope: s})
		}
		if err != nil {
			return w.Errorf(fmt.Sprintf("%s.accessScopes[%d]", p, j), "%w", err)
		}
	}
	if a.ActorPolicy != "" {
		cur, err := t.Access.GetAuthenticationMethod(ctx, arn, "IAM")
		if err != nil && !isNotFound(err) {
			return w.Errorf(p+".iamActorPolicy", "%w", err)
		}
		if err != nil || !sameJSON(cur.ActorPolicy, a.ActorPolicy) {
			if err := t.Access.PutAuthenticationMethod(ctx, arn, "IAM", access.AuthenticationMethod{ActorPolicy: a.ActorPolicy}); err != nil {
				return w.Errorf(p+".iamActorPolicy", "%w", err)
			}
		}
	}
	return nil
}

// apps exports the trusted token issuers and the applications.
func (x exporter) apps(ctx context.Context, w *World, in store.Instance) error {
	ttis, err := x.tx.ListTrustedTokenIssuers(ctx, in.ARN, store.Page{})
	if err != nil {
		return err
	}
	ttiNames := map[string]string{}
	for _, t := range ttis {
		ttiNames[t.ARN] = t.Name
		tags, err := x.tx.ListTags(ctx, t.ARN, store.Page{})
		if err != nil {
			return err
		}
		w.TrustedTokenIssuers = append(w.TrustedTokenIssuers, TrustedTokenIssuer{Name: t.Name, IssuerURL: t.IssuerURL,
			ClaimAttributePath: t.ClaimAttributePath, IdentityStoreAttributePath: t.IdentityStoreAttributePath, Tags: tagMap(tags)})
	}
	sort.Slice(w.TrustedTokenIssuers, func(i, j int) bool { return w.TrustedTokenIssuers[i].Name < w.TrustedTokenIssuers[j].Name })
	apps, err := x.tx.ListApplications(ctx, in.ARN, store.ApplicationFilter{}, store.Page{})
	if err != nil {
		return err
	}
	for _, app := range apps {
		ea := Application{Name: app.Name, Description: app.Description, Status: app.Status, Visibility: app.Visibility,
			SignInOrigin: app.SignInOrigin, ApplicationURL: app.ApplicationURL}
		if app.ProviderARN != access.ProviderCustom {
			ea.Provider = app.ProviderARN
		}
		if !app.AssignmentRequired {
			no := false
			ea.AssignmentRequired = &no
		}
		tags, err := x.tx.ListTags(ctx, app.ARN, store.Page{})
		if err != nil {
			return err
		}
		ea.Tags = tagMap(tags)
		as, err := x.tx.ListApplicationAssignments(ctx, in.ARN, store.ApplicationAssignmentFilter{ApplicationARN: app.ARN}, store.Page{})
		if err != nil {
			return err
		}
		for _, a := range as {
			if a.PrincipalType == access.PrincipalUser {
				u, err := x.tx.GetUser(ctx, in.IdentityStoreID, a.PrincipalID)
				if err != nil {
					return err
				}
				ea.Users = append(ea.Users, u.UserName)
			} else {
				g, err := x.tx.GetGroup(ctx, in.IdentityStoreID, a.PrincipalID)
				if err != nil {
					return err
				}
				ea.Groups = append(ea.Groups, g.DisplayName)
			}
		}
		sort.Strings(ea.Users)
		sort.Strings(ea.Groups)
		if err := x.appSettings(ctx, app.ARN, &ea, ttiNames); err != nil {
			return err
		}
		w.Applications = append(w.Applications, ea)
	}
	sort.SliceStable(w.Applications, func(i, j int) bool { return w.Applications[i].Name < w.Applications[j].Name })
	return nil
}

func (x exporter) appSettings(ctx context.Context, arn string, ea *Application, ttiNames map[string]string) error {
	grants, err := x.tx.ListSSOSettings(ctx, arn, store.SettingGrant, store.Page{})
	if err != nil {
		return err
	}
	for _, s := range grants {
		var g access.Grant
		if err := json.Unmarshal([]byte(s.Value), &g); err != nil {
			return fmt.Errorf("grant %s of %s: %w", s.Key, arn, err)
		}
		eg := AppGrant{Type: s.Key, RedirectURIs: g.RedirectURIs}
		for _, ti := range g.AuthorizedTokenIssuers {
			eg.TokenIssuers = append(eg.TokenIssuers, GrantIssuer{Name: ttiNames[ti.TrustedTokenIssuerARN], Audiences: ti.AuthorizedAudiences})
		}
		ea.Grants = append(ea.Grants, eg)
	}
	sort.Slice(ea.Grants, func(i, j int) bool { return ea.Grants[i].Type < ea.Grants[j].Type })
	scopes, err := x.tx.ListSSOSettings(ctx, arn, store.SettingAccessScope, store.Page{})
	if err != nil {
		return err
	}
	for _, s := range scopes {
		ea.AccessScopes = append(ea.AccessScopes, s.Key)
	}
	sort.Strings(ea.AccessScopes)
	methods, err := x.tx.ListSSOSettings(ctx, arn, store.SettingAuthenticationMethod, store.Page{})
	if err != nil {
		return err
	}
	for _, s := range methods {
		var m access.AuthenticationMethod
		if err := json.Unmarshal([]byte(s.Value), &m); err != nil {
			return fmt.Errorf("authentication method %s of %s: %w", s.Key, arn, err)
		}
		if s.Key == "IAM" {
			ea.IAMActorPolicy = doc(m.ActorPolicy)
		}
	}
	return nil
}
