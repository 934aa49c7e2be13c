package ssoadmin

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// on builds a handler authorised on the resource r names.
func on[In, Out any](h func(context.Context, *In) (*Out, error), r func(*In) string) awsproto.Handler {
	return awsproto.Op(h).WithResource(func(_ context.Context, in *In) string { return r(in) })
}

// applicationHandlers serves instance settings, regions, applications and
// trusted token issuers. Calls on one application or issuer name it as their
// resource, the others the instance (providers: the provider ARN).
func (a *Adapter) applicationHandlers() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"UpdateInstance": on(a.updateInstance, func(in *UpdateInstanceRequest) string { return in.InstanceArn }),
		"ListRegions":    on(a.listRegions, func(in *ListRegionsRequest) string { return in.InstanceArn }),
		"DescribeRegion": on(a.describeRegion, func(in *DescribeRegionRequest) string { return in.InstanceArn }),
		"AddRegion":      on(a.addRegion, func(in *AddRegionRequest) string { return in.InstanceArn }),
		"RemoveRegion":   on(a.removeRegion, func(in *RemoveRegionRequest) string { return in.InstanceArn }),
		"CreateInstanceAccessControlAttributeConfiguration": on(a.createACA, func(in *CreateInstanceAccessControlAttributeConfigurationRequest) string {
			return in.InstanceArn
		}),
		"UpdateInstanceAccessControlAttributeConfiguration": on(a.updateACA, func(in *UpdateInstanceAccessControlAttributeConfigurationRequest) string {
			return in.InstanceArn
		}),
		"DescribeInstanceAccessControlAttributeConfiguration": on(a.describeACA, func(in *DescribeInstanceAccessControlAttributeConfigurationRequest) string {
			return in.InstanceArn
		}),
		"DeleteInstanceAccessControlAttributeConfiguration": on(a.deleteACA, func(in *DeleteInstanceAccessControlAttributeConfigurationRequest) string {
			return in.InstanceArn
		}),

		"ListApplicationProviders": on(a.listProviders, func(*ListApplicationProvidersRequest) string {
			return "arn:aws:sso::aws:applicationProvider/*"
		}),
		"DescribeApplicationProvider": on(a.describeProvider, func(in *DescribeApplicationProviderRequest) string { return in.ApplicationProviderArn }),

		"CreateApplication":   on(a.createApplication, func(in *CreateApplicationRequest) string { return in.InstanceArn }),
		"DescribeApplication": on(a.describeApplication, func(in *DescribeApplicationRequest) string { return in.ApplicationArn }),
		"UpdateApplication":   on(a.updateApplication, func(in *UpdateApplicationRequest) string { return in.ApplicationArn }),
		"DeleteApplication":   on(a.deleteApplication, func(in *DeleteApplicationRequest) string { return in.ApplicationArn }),
		"ListApplications":    on(a.listApplications, func(in *ListApplicationsRequest) string { return in.InstanceArn }),

		"CreateApplicationAssignment":   on(a.createAppAssignment, func(in *CreateApplicationAssignmentRequest) string { return in.ApplicationArn }),
		"DeleteApplicationAssignment":   on(a.deleteAppAssignment, func(in *DeleteApplicationAssignmentRequest) string { return in.ApplicationArn }),
		"DescribeApplicationAssignment": on(a.describeAppAssignment, func(in *DescribeApplicationAssignmentRequest) string { return in.ApplicationArn }),
		"ListApplicationAssignments":    on(a.listAppAssignments, func(in *ListApplicationAssignmentsRequest) string { return in.ApplicationArn }),
		"ListApplicationAssignmentsForPrincipal": on(a.listAppAssignmentsForPrincipal, func(in *ListApplicationAssignmentsForPrincipalRequest) string {
			return in.InstanceArn
		}),
		"PutApplicationAssignmentConfiguration": on(a.putAssignmentConfig, func(in *PutApplicationAssignmentConfigurationRequest) string { return in.ApplicationArn }),
		"GetApplicationAssignmentConfiguration": on(a.getAssignmentConfig, func(in *GetApplicationAssignmentConfigurationRequest) string { return in.ApplicationArn }),

		"PutApplicationAccessScope":    on(a.putScope, func(in *PutApplicationAccessScopeRequest) string { return in.ApplicationArn }),
		"GetApplicationAccessScope":    on(a.getScope, func(in *GetApplicationAccessScopeRequest) string { return in.ApplicationArn }),
		"DeleteApplicationAccessScope": on(a.deleteScope, func(in *DeleteApplicationAccessScopeRequest) string { return in.ApplicationArn }),
		"ListApplicationAccessScopes":  on(a.listScopes, func(in *ListApplicationAccessScopesRequest) string { return in.ApplicationArn }),

		"PutApplicationGrant":    on(a.putGrant, func(in *PutApplicationGrantRequest) string { return in.ApplicationArn }),
		"GetApplicationGrant":    on(a.getGrant, func(in *GetApplicationGrantRequest) string { return in.ApplicationArn }),
		"DeleteApplicationGrant": on(a.deleteGrant, func(in *DeleteApplicationGrantRequest) string { return in.ApplicationArn }),
		"ListApplicationGrants":  on(a.listGrants, func(in *ListApplicationGrantsRequest) string { return in.ApplicationArn }),

		"PutApplicationAuthenticationMethod":    on(a.putAuthn, func(in *PutApplicationAuthenticationMethodRequest) string { return in.ApplicationArn }),
		"GetApplicationAuthenticationMethod":    on(a.getAuthn, func(in *GetApplicationAuthenticationMethodRequest) string { return in.ApplicationArn }),
		"DeleteApplicationAuthenticationMethod": on(a.deleteAuthn, func(in *DeleteApplicationAuthenticationMethodRequest) string { return in.ApplicationArn }),
		"ListApplicationAuthenticationMethods":  on(a.listAuthn, func(in *ListApplicationAuthenticationMethodsRequest) string { return in.ApplicationArn }),

		"PutApplicationSessionConfiguration": on(a.putSession, func(in *PutApplicationSessionConfigurationRequest) string { return in.ApplicationArn }),
		"GetApplicationSessionConfiguration": on(a.getSession, func(in *GetApplicationSessionConfigurationRequest) string { return in.ApplicationArn }),

		"CreateTrustedTokenIssuer":   on(a.createTTI, func(in *CreateTrustedTokenIssuerRequest) string { return in.InstanceArn }),
		"DescribeTrustedTokenIssuer": on(a.describeTTI, func(in *DescribeTrustedTokenIssuerRequest) string { return in.TrustedTokenIssuerArn }),
		"UpdateTrustedTokenIssuer":   on(a.updateTTI, func(in *UpdateTrustedTokenIssuerRequest) string { return in.TrustedTokenIssuerArn }),
		"DeleteTrustedTokenIssuer":   on(a.deleteTTI, func(in *DeleteTrustedTokenIssuerRequest) string { return in.TrustedTokenIssuerArn }),
		"ListTrustedTokenIssuers":    on(a.listTTIs, func(in *ListTrustedTokenIssuersRequest) string { return in.InstanceArn }),
	}
}

// ---- instance settings ----

func (a *Adapter) updateInstance(ctx context.Context, in *UpdateInstanceRequest) (*UpdateInstanceResponse, error) {
	if e := in.EncryptionConfiguration; e != nil && e.KeyType != "AWS_OWNED_KMS_KEY" {
		return nil, a.errs.Map(fault.Validationf("Encryption with a customer managed KMS key is not supported by this instance."))
	}
	if err := a.Core.UpdateInstance(ctx, in.InstanceArn, in.Name); err != nil {
		return nil, a.errs.Map(err)
	}
	return &UpdateInstanceResponse{}, nil
}

func regionOut(i store.Instance) RegionMetadata {
	added, primary := awsproto.Time{Time: i.CreatedAt}, true
	return RegionMetadata{RegionName: i.Region, Status: "ACTIVE", AddedDate: &added, IsPrimaryRegion: &primary}
}

func (a *Adapter) listRegions(ctx context.Context, in *ListRegionsRequest) (*ListRegionsResponse, error) {
	i, next, err := a.Core.ListRegions(ctx, in.InstanceArn, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &ListRegionsResponse{Regions: []RegionMetadata{regionOut(i)}, NextToken: next}, nil
}

func (a *Adapter) describeRegion(ctx context.Context, in *DescribeRegionRequest) (*DescribeRegionResponse, error) {
	i, err := a.Core.DescribeRegion(ctx, in.InstanceArn, in.RegionName)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	r := regionOut(i)
	return &DescribeRegionResponse{RegionName: r.RegionName, Status: r.Status, AddedDate: r.AddedDate, IsPrimaryRegion: r.IsPrimaryRegion}, nil
}

func (a *Adapter) addRegion(ctx context.Context, in *AddRegionRequest) (*AddRegionResponse, error) {
	return nil, a.errs.Map(a.Core.AddRegion(ctx, in.InstanceArn, in.RegionName))
}

func (a *Adapter) removeRegion(ctx context.Context, in *RemoveRegionRequest) (*RemoveRegionResponse, error) {
	return nil, a.errs.Map(a.Core.RemoveRegion(ctx, in.InstanceArn, in.RegionName))
}

func acaIn(c *InstanceAccessControlAttributeConfiguration) []access.AccessControlAttribute {
	out := []access.AccessControlAttribute{}
	if c == nil {
		return out
	}
	for _, at := range c.AccessControlAttributes {
		var src []string
		if at.Value != nil {
			src = at.Value.Source
		}
		out = append(out, access.AccessControlAttribute{Key: at.Key, Source: src})
	}
	return out
}

func (a *Adapter) createACA(ctx context.Context, in *CreateInstanceAccessControlAttributeConfigurationRequest) (*CreateInstanceAccessControlAttributeConfigurationResponse, error) {
	if err := a.Core.PutAccessControlAttributes(ctx, in.InstanceArn, acaIn(in.InstanceAccessControlAttributeConfiguration), true); err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreateInstanceAccessControlAttributeConfigurationResponse{}, nil
}

func (a *Adapter) updateACA(ctx context.Context, in *UpdateInstanceAccessControlAttributeConfigurationRequest) (*UpdateInstanceAccessControlAttributeConfigurationResponse, error) {
	if err := a.Core.PutAccessControlAttributes(ctx, in.InstanceArn, acaIn(in.InstanceAccessControlAttributeConfiguration), false); err != nil {
		return nil, a.errs.Map(err)
	}
	return &UpdateInstanceAccessControlAttributeConfigurationResponse{}, nil
}

func (a *Adapter) describeACA(ctx context.Context, in *DescribeInstanceAccessControlAttributeConfigurationRequest) (*DescribeInstanceAccessControlAttributeConfigurationResponse, error) {
	attrs, err := a.Core.DescribeAccessControlAttributes(ctx, in.InstanceArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	c := &InstanceAccessControlAttributeConfiguration{AccessControlAttributes: []AccessControlAttribute{}}
	for _, at := range attrs {
		c.AccessControlAttributes = append(c.AccessControlAttributes,
			AccessControlAttribute{Key: at.Key, Value: &AccessControlAttributeValue{Source: at.Source}})
	}
	return &DescribeInstanceAccessControlAttributeConfigurationResponse{Status: "ENABLED", InstanceAccessControlAttributeConfiguration: c}, nil
}

func (a *Adapter) deleteACA(ctx context.Context, in *DeleteInstanceAccessControlAttributeConfigurationRequest) (*DeleteInstanceAccessControlAttributeConfigurationResponse, error) {
	if err := a.Core.DeleteAccessControlAttributes(ctx, in.InstanceArn); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteInstanceAccessControlAttributeConfigurationResponse{}, nil
}

// ---- providers ----

func providerOut(p access.ApplicationProvider) ApplicationProvider {
	out := ApplicationProvider{ApplicationProviderArn: p.ARN, FederationProtocol: p.FederationProtocol,
		DisplayData: &DisplayData{DisplayName: p.DisplayName, Description: p.Description, IconUrl: p.IconURL}}
	if len(p.Scopes) > 0 {
		out.ResourceServerConfig = &ResourceServerConfig{Scopes: map[string]ResourceServerScopeDetails{}}
		for name, title := range p.Scopes {
			out.ResourceServerConfig.Scopes[name] = ResourceServerScopeDetails{DetailedTitle: title, LongDescription: title}
		}
	}
	return out
}

func (a *Adapter) listProviders(ctx context.Context, in *ListApplicationProvidersRequest) (*ListApplicationProvidersResponse, error) {
	ps, next, err := a.Core.ListApplicationProviders(ctx, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListApplicationProvidersResponse{NextToken: next, ApplicationProviders: []ApplicationProvider{}}
	for _, p := range ps {
		out.ApplicationProviders = append(out.ApplicationProviders, providerOut(p))
	}
	return out, nil
}

func (a *Adapter) describeProvider(ctx context.Context, in *DescribeApplicationProviderRequest) (*DescribeApplicationProviderResponse, error) {
	p, err := a.Core.DescribeApplicationProvider(ctx, in.ApplicationProviderArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	o := providerOut(p)
	return &DescribeApplicationProviderResponse{ApplicationProviderArn: o.ApplicationProviderArn, FederationProtocol: o.FederationProtocol,
		DisplayData: o.DisplayData, ResourceServerConfig: o.ResourceServerConfig}, nil
}

// ---- applications ----

func identityStoreARN(i store.Instance) string {
	return "arn:aws:identitystore::" + i.OwnerAccountID + ":identitystore/" + i.IdentityStoreID
}

func applicationOut(app store.Application, i store.Instance) Application {
	created := awsproto.Time{Time: app.CreatedAt}
	out := Application{
		ApplicationArn: app.ARN, ApplicationProviderArn: app.ProviderARN, Name: app.Name, ApplicationAccount: app.Account,
		InstanceArn: app.InstanceARN, IdentityStoreArn: identityStoreARN(i), Status: app.Status, Description: app.Description,
		CreatedDate: &created,
	}
	if app.Visibility != "" || app.SignInOrigin != "" {
		out.PortalOptions = &PortalOptions{Visibility: app.Visibility}
		if app.SignInOrigin != "" {
			out.PortalOptions.SignInOptions = &SignInOptions{Origin: app.SignInOrigin, ApplicationUrl: app.ApplicationURL}
		}
	}
	return out
}

func (a *Adapter) createApplication(ctx context.Context, in *CreateApplicationRequest) (*CreateApplicationResponse, error) {
	n := access.NewApplication{ProviderARN: in.ApplicationProviderArn, Name: in.Name, Description: in.Description,
		Status: in.Status, Tags: tagsIn(in.Tags)}
	if po := in.PortalOptions; po != nil {
		n.Visibility = po.Visibility
		if so := po.SignInOptions; so != nil {
			n.SignInOrigin, n.ApplicationURL = so.Origin, so.ApplicationUrl
		}
	}
	app, i, err := a.Core.CreateApplication(ctx, in.InstanceArn, n)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreateApplicationResponse{ApplicationArn: app.ARN, InstanceArn: app.InstanceARN, IdentityStoreArn: identityStoreARN(i)}, nil
}

func (a *Adapter) describeApplication(ctx context.Context, in *DescribeApplicationRequest) (*DescribeApplicationResponse, error) {
	app, i, err := a.Core.DescribeApplication(ctx, in.ApplicationArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	o := applicationOut(app, i)
	return &DescribeApplicationResponse{ApplicationArn: o.ApplicationArn, ApplicationProviderArn: o.ApplicationProviderArn,
		Name: o.Name, ApplicationAccount: o.ApplicationAccount, InstanceArn: o.InstanceArn, IdentityStoreArn: o.IdentityStoreArn,
		Status: o.Status, PortalOptions: o.PortalOptions, Description: o.Description, CreatedDate: o.CreatedDate}, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (a *Adapter) updateApplication(ctx context.Context, in *UpdateApplicationRequest) (*UpdateApplicationResponse, error) {
	u := access.ApplicationUpdate{Name: optional(in.Name), Description: optional(in.Description), Status: optional(in.Status)}
	if in.PortalOptions != nil && in.PortalOptions.SignInOptions != nil {
		so := in.PortalOptions.SignInOptions
		u.SignIn = &struct{ Origin, ApplicationURL string }{so.Origin, so.ApplicationUrl}
	}
	if err := a.Core.UpdateApplication(ctx, in.ApplicationArn, u); err != nil {
		return nil, a.errs.Map(err)
	}
	return &UpdateApplicationResponse{}, nil
}

func (a *Adapter) deleteApplication(ctx context.Context, in *DeleteApplicationRequest) (*DeleteApplicationResponse, error) {
	if err := a.Core.DeleteApplication(ctx, in.ApplicationArn); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteApplicationResponse{}, nil
}

func (a *Adapter) listApplications(ctx context.Context, in *ListApplicationsRequest) (*ListApplicationsResponse, error) {
	var f store.ApplicationFilter
	if in.Filter != nil {
		f = store.ApplicationFilter{Account: in.Filter.ApplicationAccount, ProviderARN: in.Filter.ApplicationProvider}
	}
	apps, i, next, err := a.Core.ListApplications(ctx, in.InstanceArn, f, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListApplicationsResponse{NextToken: next, Applications: []Application{}}
	for _, app := range apps {
		out.Applications = append(out.Applications, applicationOut(app, i))
	}
	return out, nil
}

// ---- application assignments ----

func (a *Adapter) createAppAssignment(ctx context.Context, in *CreateApplicationAssignmentRequest) (*CreateApplicationAssignmentResponse, error) {
	err := a.Core.CreateApplicationAssignment(ctx, store.ApplicationAssignment{ApplicationARN: in.ApplicationArn,
		PrincipalType: in.PrincipalType, PrincipalID: in.PrincipalId})
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreateApplicationAssignmentResponse{}, nil
}

func (a *Adapter) deleteAppAssignment(ctx context.Context, in *DeleteApplicationAssignmentRequest) (*DeleteApplicationAssignmentResponse, error) {
	err := a.Core.DeleteApplicationAssignment(ctx, store.ApplicationAssignment{ApplicationARN: in.ApplicationArn,
		PrincipalType: in.PrincipalType, PrincipalID: in.PrincipalId})
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteApplicationAssignmentResponse{}, nil
}

func (a *Adapter) describeAppAssignment(ctx context.Context, in *DescribeApplicationAssignmentRequest) (*DescribeApplicationAssignmentResponse, error) {
	err := a.Core.DescribeApplicationAssignment(ctx, store.ApplicationAssignment{ApplicationARN: in.ApplicationArn,
		PrincipalType: in.PrincipalType, PrincipalID: in.PrincipalId})
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &DescribeApplicationAssignmentResponse{ApplicationArn: in.ApplicationArn, PrincipalType: in.PrincipalType, PrincipalId: in.PrincipalId}, nil
}

func (a *Adapter) listAppAssignments(ctx context.Context, in *ListApplicationAssignmentsRequest) (*ListApplicationAssignmentsResponse, error) {
	as, next, err := a.Core.ListApplicationAssignments(ctx, in.ApplicationArn, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListApplicationAssignmentsResponse{NextToken: next, ApplicationAssignments: []ApplicationAssignment{}}
	for _, x := range as {
		out.ApplicationAssignments = append(out.ApplicationAssignments,
			ApplicationAssignment{ApplicationArn: x.ApplicationARN, PrincipalType: x.PrincipalType, PrincipalId: x.PrincipalID})
	}
	return out, nil
}

func (a *Adapter) listAppAssignmentsForPrincipal(ctx context.Context, in *ListApplicationAssignmentsForPrincipalRequest) (*ListApplicationAssignmentsForPrincipalResponse, error) {
	app := ""
	if in.Filter != nil {
		app = in.Filter.ApplicationArn
	}
	as, next, err := a.Core.ListApplicationAssignmentsForPrincipal(ctx, in.InstanceArn, in.PrincipalType, in.PrincipalId, app,
		maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListApplicationAssignmentsForPrincipalResponse{NextToken: next, ApplicationAssignments: []ApplicationAssignmentForPrincipal{}}
	for _, x := range as {
		out.ApplicationAssignments = append(out.ApplicationAssignments,
			ApplicationAssignmentForPrincipal{ApplicationArn: x.ApplicationARN, PrincipalType: x.PrincipalType, PrincipalId: x.PrincipalID})
	}
	return out, nil
}

func (a *Adapter) putAssignmentConfig(ctx context.Context, in *PutApplicationAssignmentConfigurationRequest) (*PutApplicationAssignmentConfigurationResponse, error) {
	if err := a.Core.PutAssignmentRequired(ctx, in.ApplicationArn, in.AssignmentRequired != nil && *in.AssignmentRequired); err != nil {
		return nil, a.errs.Map(err)
	}
	return &PutApplicationAssignmentConfigurationResponse{}, nil
}

func (a *Adapter) getAssignmentConfig(ctx context.Context, in *GetApplicationAssignmentConfigurationRequest) (*GetApplicationAssignmentConfigurationResponse, error) {
	app, _, err := a.Core.DescribeApplication(ctx, in.ApplicationArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &GetApplicationAssignmentConfigurationResponse{AssignmentRequired: &app.AssignmentRequired}, nil
}

// ---- access scopes ----

func (a *Adapter) putScope(ctx context.Context, in *PutApplicationAccessScopeRequest) (*struct{}, error) {
	return nil, a.errs.Map(a.Core.PutAccessScope(ctx, in.ApplicationArn, access.AccessScope{Scope: in.Scope, AuthorizedTargets: in.AuthorizedTargets}))
}

func (a *Adapter) getScope(ctx context.Context, in *GetApplicationAccessScopeRequest) (*GetApplicationAccessScopeResponse, error) {
	sc, err := a.Core.GetAccessScope(ctx, in.ApplicationArn, in.Scope)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &GetApplicationAccessScopeResponse{Scope: sc.Scope, AuthorizedTargets: sc.AuthorizedTargets}, nil
}

func (a *Adapter) deleteScope(ctx context.Context, in *DeleteApplicationAccessScopeRequest) (*struct{}, error) {
	return nil, a.errs.Map(a.Core.DeleteAccessScope(ctx, in.ApplicationArn, in.Scope))
}

func (a *Adapter) listScopes(ctx context.Context, in *ListApplicationAccessScopesRequest) (*ListApplicationAccessScopesResponse, error) {
	scs, next, err := a.Core.ListAccessScopes(ctx, in.ApplicationArn, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListApplicationAccessScopesResponse{NextToken: next, Scopes: []ScopeDetails{}}
	for _, sc := range scs {
		out.Scopes = append(out.Scopes, ScopeDetails{Scope: sc.Scope, AuthorizedTargets: sc.AuthorizedTargets})
	}
	return out, nil
}

// ---- grants ----

func grantIn(g *Grant) access.Grant {
	var out access.Grant
	if g == nil {
		return out
	}
	if g.AuthorizationCode != nil {
		out.RedirectURIs = g.AuthorizationCode.RedirectUris
	}
	if g.JwtBearer != nil {
		for _, ti := range g.JwtBearer.AuthorizedTokenIssuers {
			out.AuthorizedTokenIssuers = append(out.AuthorizedTokenIssuers,
				access.AuthorizedTokenIssuer{TrustedTokenIssuerARN: ti.TrustedTokenIssuerArn, AuthorizedAudiences: ti.AuthorizedAudiences})
		}
	}
	return out
}

// grantMembers counts the members of a wire grant (it is a union).
func grantMembers(g *Grant) (n int, member string) {
	if g == nil {
		return 0, ""
	}
	for name, set := range map[string]bool{
		access.GrantAuthorizationCode: g.AuthorizationCode != nil, access.GrantJWTBearer: g.JwtBearer != nil,
		access.GrantRefreshToken: g.RefreshToken != nil, access.GrantTokenExchange: g.TokenExchange != nil,
	} {
		if set {
			n, member = n+1, name
		}
	}
	return n, member
}

func errGrantMismatch(grantType string) error {
	return fault.Validationf("Grant must have exactly the member matching GrantType %s.", grantType)
}

func grantOut(grantType string, g access.Grant) *Grant {
	switch grantType {
	case access.GrantAuthorizationCode:
		return &Grant{AuthorizationCode: &AuthorizationCodeGrant{RedirectUris: g.RedirectURIs}}
	case access.GrantJWTBearer:
		j := &JwtBearerGrant{}
		for _, ti := range g.AuthorizedTokenIssuers {
			j.AuthorizedTokenIssuers = append(j.AuthorizedTokenIssuers,
				AuthorizedTokenIssuer{TrustedTokenIssuerArn: ti.TrustedTokenIssuerARN, AuthorizedAudiences: ti.AuthorizedAudiences})
		}
		return &Grant{JwtBearer: j}
	case access.GrantRefreshToken:
		return &Grant{RefreshToken: &RefreshTokenGrant{}}
	default:
		return &Grant{TokenExchange: &TokenExchangeGrant{}}
	}
}

func (a *Adapter) putGrant(ctx context.Context, in *PutApplicationGrantRequest) (*struct{}, error) {
	if n, member := grantMembers(in.Grant); n != 1 || member != in.GrantType {
		return nil, a.errs.Map(errGrantMismatch(in.GrantType))
	}
	return nil, a.errs.Map(a.Core.PutGrant(ctx, in.ApplicationArn, in.GrantType, grantIn(in.Grant)))
}

func (a *Adapter) getGrant(ctx context.Context, in *GetApplicationGrantRequest) (*GetApplicationGrantResponse, error) {
	g, err := a.Core.GetGrant(ctx, in.ApplicationArn, in.GrantType)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &GetApplicationGrantResponse{Grant: grantOut(in.GrantType, g)}, nil
}

func (a *Adapter) deleteGrant(ctx context.Context, in *DeleteApplicationGrantRequest) (*struct{}, error) {
	return nil, a.errs.Map(a.Core.DeleteGrant(ctx, in.ApplicationArn, in.GrantType))
}

func (a *Adapter) listGrants(ctx context.Context, in *ListApplicationGrantsRequest) (*ListApplicationGrantsResponse, error) {
	types, grants, err := a.Core.ListGrants(ctx, in.ApplicationArn, in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListApplicationGrantsResponse{Grants: []GrantItem{}}
	for i, t := range types {
		out.Grants = append(out.Grants, GrantItem{GrantType: t, Grant: grantOut(t, grants[i])})
	}
	sort.Slice(out.Grants, func(i, j int) bool { return out.Grants[i].GrantType < out.Grants[j].GrantType })
	return out, nil
}

// ---- authentication methods ----

func (a *Adapter) putAuthn(ctx context.Context, in *PutApplicationAuthenticationMethodRequest) (*struct{}, error) {
	var m access.AuthenticationMethod
	if in.AuthenticationMethod != nil && in.AuthenticationMethod.Iam != nil {
		m.ActorPolicy = string(in.AuthenticationMethod.Iam.ActorPolicy)
	}
	return nil, a.errs.Map(a.Core.PutAuthenticationMethod(ctx, in.ApplicationArn, in.AuthenticationMethodType, m))
}

func authnOut(m access.AuthenticationMethod) *AuthenticationMethod {
	return &AuthenticationMethod{Iam: &IamAuthenticationMethod{ActorPolicy: awsproto.Document(json.RawMessage(m.ActorPolicy))}}
}

func (a *Adapter) getAuthn(ctx context.Context, in *GetApplicationAuthenticationMethodRequest) (*GetApplicationAuthenticationMethodResponse, error) {
	m, err := a.Core.GetAuthenticationMethod(ctx, in.ApplicationArn, in.AuthenticationMethodType)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &GetApplicationAuthenticationMethodResponse{AuthenticationMethod: authnOut(m)}, nil
}

func (a *Adapter) deleteAuthn(ctx context.Context, in *DeleteApplicationAuthenticationMethodRequest) (*struct{}, error) {
	return nil, a.errs.Map(a.Core.DeleteAuthenticationMethod(ctx, in.ApplicationArn, in.AuthenticationMethodType))
}

func (a *Adapter) listAuthn(ctx context.Context, in *ListApplicationAuthenticationMethodsRequest) (*ListApplicationAuthenticationMethodsResponse, error) {
	types, ms, err := a.Core.ListAuthenticationMethods(ctx, in.ApplicationArn, in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListApplicationAuthenticationMethodsResponse{AuthenticationMethods: []AuthenticationMethodItem{}}
	for i, t := range types {
		out.AuthenticationMethods = append(out.AuthenticationMethods, AuthenticationMethodItem{AuthenticationMethodType: t, AuthenticationMethod: authnOut(ms[i])})
	}
	return out, nil
}

// ---- session configuration ----

func (a *Adapter) putSession(ctx context.Context, in *PutApplicationSessionConfigurationRequest) (*PutApplicationSessionConfigurationResponse, error) {
	if err := a.Core.PutSessionConfiguration(ctx, in.ApplicationArn, in.UserBackgroundSessionApplicationStatus); err != nil {
		return nil, a.errs.Map(err)
	}
	return &PutApplicationSessionConfigurationResponse{}, nil
}

func (a *Adapter) getSession(ctx context.Context, in *GetApplicationSessionConfigurationRequest) (*GetApplicationSessionConfigurationResponse, error) {
	st, err := a.Core.GetSessionConfiguration(ctx, in.ApplicationArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &GetApplicationSessionConfigurationResponse{UserBackgroundSessionApplicationStatus: st}, nil
}

// ---- trusted token issuers ----

func ttiConfigOut(t store.TrustedTokenIssuer) *TrustedTokenIssuerConfiguration {
	return &TrustedTokenIssuerConfiguration{OidcJwtConfiguration: &OidcJwtConfiguration{IssuerUrl: t.IssuerURL,
		ClaimAttributePath: t.ClaimAttributePath, IdentityStoreAttributePath: t.IdentityStoreAttributePath,
		JwksRetrievalOption: t.JWKSRetrievalOption}}
}

func (a *Adapter) createTTI(ctx context.Context, in *CreateTrustedTokenIssuerRequest) (*CreateTrustedTokenIssuerResponse, error) {
	n := access.NewTrustedTokenIssuer{Name: in.Name, Type: in.TrustedTokenIssuerType, Tags: tagsIn(in.Tags)}
	if c := in.TrustedTokenIssuerConfiguration; c != nil && c.OidcJwtConfiguration != nil {
		o := c.OidcJwtConfiguration
		n.IssuerURL, n.ClaimAttributePath, n.IdentityStoreAttributePath, n.JWKSRetrievalOption =
			o.IssuerUrl, o.ClaimAttributePath, o.IdentityStoreAttributePath, o.JwksRetrievalOption
	}
	t, err := a.Core.CreateTrustedTokenIssuer(ctx, in.InstanceArn, n)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreateTrustedTokenIssuerResponse{TrustedTokenIssuerArn: t.ARN}, nil
}

func (a *Adapter) describeTTI(ctx context.Context, in *DescribeTrustedTokenIssuerRequest) (*DescribeTrustedTokenIssuerResponse, error) {
	t, err := a.Core.DescribeTrustedTokenIssuer(ctx, in.TrustedTokenIssuerArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &DescribeTrustedTokenIssuerResponse{TrustedTokenIssuerArn: t.ARN, Name: t.Name, TrustedTokenIssuerType: t.Type,
		TrustedTokenIssuerConfiguration: ttiConfigOut(t)}, nil
}

func (a *Adapter) updateTTI(ctx context.Context, in *UpdateTrustedTokenIssuerRequest) (*UpdateTrustedTokenIssuerResponse, error) {
	u := access.TrustedTokenIssuerUpdate{Name: in.Name}
	if c := in.TrustedTokenIssuerConfiguration; c != nil && c.OidcJwtConfiguration != nil {
		o := c.OidcJwtConfiguration
		u.ClaimAttributePath, u.IdentityStoreAttributePath, u.JWKSRetrievalOption = o.ClaimAttributePath, o.IdentityStoreAttributePath, o.JwksRetrievalOption
	}
	if err := a.Core.UpdateTrustedTokenIssuer(ctx, in.TrustedTokenIssuerArn, u); err != nil {
		return nil, a.errs.Map(err)
	}
	return &UpdateTrustedTokenIssuerResponse{}, nil
}

func (a *Adapter) deleteTTI(ctx context.Context, in *DeleteTrustedTokenIssuerRequest) (*DeleteTrustedTokenIssuerResponse, error) {
	if err := a.Core.DeleteTrustedTokenIssuer(ctx, in.TrustedTokenIssuerArn); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteTrustedTokenIssuerResponse{}, nil
}

func (a *Adapter) listTTIs(ctx context.Context, in *ListTrustedTokenIssuersRequest) (*ListTrustedTokenIssuersResponse, error) {
	ts, next, err := a.Core.ListTrustedTokenIssuers(ctx, in.InstanceArn, maxResults(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListTrustedTokenIssuersResponse{NextToken: next, TrustedTokenIssuers: []TrustedTokenIssuerMetadata{}}
	for _, t := range ts {
		out.TrustedTokenIssuers = append(out.TrustedTokenIssuers, TrustedTokenIssuerMetadata{TrustedTokenIssuerArn: t.ARN, Name: t.Name,
			TrustedTokenIssuerType: t.Type})
	}
	return out, nil
}
