package access

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

func applicationNotFound(arn string) error {
	return fault.NotFoundf(ResourceApplication, arn, "Application %s does not exist.", arn)
}

// getApplication reads an application (its instance must exist).
func getApplication(ctx context.Context, tx store.Tx, arn string) (store.Application, error) {
	inst, ok := ownedInstanceOf(arn)
	if !ok || !strings.Contains(arn, ":application/") {
		return store.Application{}, applicationNotFound(arn)
	}
	if err := checkInstance(ctx, tx, inst); err != nil {
		return store.Application{}, err
	}
	app, err := tx.GetApplication(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return app, applicationNotFound(arn)
	}
	return app, err
}

// NewApplication is CreateApplication's input.
type NewApplication struct {
	ProviderARN    string
	Name           string
	Description    string
	Status         string // ENABLED by default
	Visibility     string
	SignInOrigin   string
	ApplicationURL string
	Tags           []store.Tag
}

func validateSignIn(origin, url string) error {
	if origin == "APPLICATION" && url == "" {
		return fault.Validationf("ApplicationUrl is required when the sign-in Origin is APPLICATION.")
	}
	return nil
}

// CreateApplication adds an application of a catalog provider to the instance.
func (s *Service) CreateApplication(ctx context.Context, instanceARN string, in NewApplication) (store.Application, store.Instance, error) {
	if _, err := s.DescribeApplicationProvider(ctx, in.ProviderARN); err != nil {
		return store.Application{}, store.Instance{}, err
	}
	if err := validateTags(in.Tags); err != nil {
		return store.Application{}, store.Instance{}, err
	}
	if len(in.Tags) > maxTagsPerResource {
		return store.Application{}, store.Instance{}, fault.QuotaExceededf("A resource can have at most %d tags.", maxTagsPerResource)
	}
	if err := validateSignIn(in.SignInOrigin, in.ApplicationURL); err != nil {
		return store.Application{}, store.Instance{}, err
	}
	id, err := s.randomHex(8)
	if err != nil {
		return store.Application{}, store.Instance{}, err
	}
	status := in.Status
	if status == "" {
		status = "ENABLED"
	}
	var app store.Application
	var inst store.Instance
	err = s.update(ctx, "create application", instanceARN, func(tx store.Tx) error {
		var err error
		if inst, err = tx.GetInstance(ctx, instanceARN); err != nil {
			return err
		}
		partition := instanceARN[:strings.Index(instanceARN, ":sso:")]
		app = store.Application{
			InstanceARN: instanceARN, ProviderARN: in.ProviderARN, Name: in.Name, Description: in.Description,
			ARN:     fmt.Sprintf("%s:sso::%s:application/%s/apl-%s", partition, inst.OwnerAccountID, instanceARN[strings.LastIndex(instanceARN, "/")+1:], id),
			Account: inst.OwnerAccountID, Status: status, Visibility: in.Visibility, SignInOrigin: in.SignInOrigin,
			ApplicationURL: in.ApplicationURL, AssignmentRequired: true, CreatedAt: s.now(),
		}
		if err := tx.CreateApplication(ctx, app); err != nil {
			return err
		}
		if len(in.Tags) > 0 {
			return tx.PutTags(ctx, instanceARN, app.ARN, in.Tags)
		}
		return nil
	})
	return app, inst, err
}

// DescribeApplication returns an application and its instance.
func (s *Service) DescribeApplication(ctx context.Context, arn string) (store.Application, store.Instance, error) {
	var app store.Application
	var inst store.Instance
	err := mapErr("describe application", s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if app, err = getApplication(ctx, tx, arn); err != nil {
			return err
		}
		inst, err = tx.GetInstance(ctx, app.InstanceARN)
		return err
	}))
	return app, inst, err
}

// ApplicationUpdate holds UpdateApplication's optional fields (nil: unchanged).
type ApplicationUpdate struct {
	Name, Description, Status *string
	// SignIn, when set, replaces the sign-in options.
	SignIn *struct{ Origin, ApplicationURL string }
}

// UpdateApplication changes an application's name, description, status or
// sign-in options.
func (s *Service) UpdateApplication(ctx context.Context, arn string, u ApplicationUpdate) error {
	if u.SignIn != nil {
		if err := validateSignIn(u.SignIn.Origin, u.SignIn.ApplicationURL); err != nil {
			return err
		}
	}
	return mapErr("update application", s.Store.Update(ctx, func(tx store.Tx) error {
		app, err := getApplication(ctx, tx, arn)
		if err != nil {
			return err
		}
		if u.Name != nil {
			app.Name = *u.Name
		}
		if u.Description != nil {
			app.Description = *u.Description
		}
		if u.Status != nil {
			app.Status = *u.Status
		}
		if u.SignIn != nil {
			app.SignInOrigin, app.ApplicationURL = u.SignIn.Origin, u.SignIn.ApplicationURL
		}
		return tx.ReplaceApplication(ctx, app)
	}))
}

// DeleteApplication removes an application with its assignments and settings.
func (s *Service) DeleteApplication(ctx context.Context, arn string) error {
	return mapErr("delete application", s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := getApplication(ctx, tx, arn); err != nil {
			return err
		}
		return tx.DeleteApplication(ctx, arn)
	}))
}

// ListApplications pages an instance's applications (MaxResults 1-100).
func (s *Service) ListApplications(ctx context.Context, instanceARN string, f store.ApplicationFilter, maxResults int, nextToken string) ([]store.Application, store.Instance, string, error) {
	if _, err := pageSize(maxResults); err != nil {
		return nil, store.Instance{}, "", err
	}
	p, limit, err := paging.Page(nextToken, maxResults, maxPageSize)
	if err != nil {
		return nil, store.Instance{}, "", err
	}
	var apps []store.Application
	var inst store.Instance
	err = s.view(ctx, "list applications", instanceARN, func(tx store.Tx) error {
		var err error
		if inst, err = tx.GetInstance(ctx, instanceARN); err != nil {
			return err
		}
		apps, err = tx.ListApplications(ctx, instanceARN, f, p)
		return err
	})
	if err != nil {
		return nil, inst, "", err
	}
	apps, next := paging.Trim(apps, limit, func(a store.Application) string { return a.ARN })
	return apps, inst, next, nil
}

// ---- application assignments ----

// checkPrincipal fails with NotFound unless the principal exists in the
// instance's identity store.
func checkPrincipal(ctx context.Context, tx store.Tx, instanceARN, principalType, principalID string) error {
	inst, err := tx.GetInstance(ctx, instanceARN)
	if err != nil {
		return err
	}
	switch principalType {
	case PrincipalGroup:
		_, err = tx.GetGroup(ctx, inst.IdentityStoreID, principalID)
	case PrincipalUser:
		_, err = tx.GetUser(ctx, inst.IdentityStoreID, principalID)
	default:
		return fault.Validationf("PrincipalType must be USER or GROUP.")
	}
	if errors.Is(err, store.ErrNotFound) {
		return fault.NotFoundf(principalType, principalID, "The principal %s of type %s does not exist in identity store %s.",
			principalID, principalType, inst.IdentityStoreID)
	}
	return err
}

func appAssignmentNotFound(a store.ApplicationAssignment) error {
	return fault.NotFoundf("APPLICATION_ASSIGNMENT", a.PrincipalID, "Principal %s of type %s is not assigned to application %s.",
		a.PrincipalID, a.PrincipalType, a.ApplicationARN)
}

// CreateApplicationAssignment assigns a user or group to an application.
func (s *Service) CreateApplicationAssignment(ctx context.Context, a store.ApplicationAssignment) error {
	return mapErr("create application assignment", s.Store.Update(ctx, func(tx store.Tx) error {
		app, err := getApplication(ctx, tx, a.ApplicationARN)
		if err != nil {
			return err
		}
		if err := checkPrincipal(ctx, tx, app.InstanceARN, a.PrincipalType, a.PrincipalID); err != nil {
			return err
		}
		a.InstanceARN, a.CreatedAt = app.InstanceARN, s.now()
		err = tx.CreateApplicationAssignment(ctx, a)
		if errors.Is(err, store.ErrAlreadyExists) {
			return fault.Conflictf("", "Principal %s of type %s is already assigned to application %s.", a.PrincipalID, a.PrincipalType, a.ApplicationARN)
		}
		return err
	}))
}

// DeleteApplicationAssignment removes an assignment.
func (s *Service) DeleteApplicationAssignment(ctx context.Context, a store.ApplicationAssignment) error {
	return mapErr("delete application assignment", s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := getApplication(ctx, tx, a.ApplicationARN); err != nil {
			return err
		}
		err := tx.DeleteApplicationAssignment(ctx, a)
		if errors.Is(err, store.ErrNotFound) {
			return appAssignmentNotFound(a)
		}
		return err
	}))
}

// DescribeApplicationAssignment fails with NotFound unless the assignment exists.
func (s *Service) DescribeApplicationAssignment(ctx context.Context, a store.ApplicationAssignment) error {
	return mapErr("describe application assignment", s.Store.View(ctx, func(tx store.Tx) error {
		app, err := getApplication(ctx, tx, a.ApplicationARN)
		if err != nil {
			return err
		}
		got, err := tx.ListApplicationAssignments(ctx, app.InstanceARN, store.ApplicationAssignmentFilter{
			ApplicationARN: a.ApplicationARN, PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID}, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return appAssignmentNotFound(a)
		}
		return nil
	}))
}

// ListApplicationAssignments pages an application's assignments.
func (s *Service) ListApplicationAssignments(ctx context.Context, appARN string, maxResults int, nextToken string) ([]store.ApplicationAssignment, string, error) {
	if _, err := pageSize(maxResults); err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, maxResults, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var as []store.ApplicationAssignment
	err = mapErr("list application assignments", s.Store.View(ctx, func(tx store.Tx) error {
		app, err := getApplication(ctx, tx, appARN)
		if err != nil {
			return err
		}
		as, err = tx.ListApplicationAssignments(ctx, app.InstanceARN, store.ApplicationAssignmentFilter{ApplicationARN: appARN}, p)
		return err
	}))
	if err != nil {
		return nil, "", err
	}
	as, next := paging.Trim(as, limit, store.ApplicationAssignment.Key)
	return as, next, nil
}

// ListApplicationAssignmentsForPrincipal pages a principal's application
// assignments, optionally of one application.
func (s *Service) ListApplicationAssignmentsForPrincipal(ctx context.Context, instanceARN, principalType, principalID, appARN string, maxResults int, nextToken string) ([]store.ApplicationAssignment, string, error) {
	if _, err := pageSize(maxResults); err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, maxResults, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var as []store.ApplicationAssignment
	err = s.view(ctx, "list application assignments for principal", instanceARN, func(tx store.Tx) error {
		if err := checkPrincipal(ctx, tx, instanceARN, principalType, principalID); err != nil {
			return err
		}
		var err error
		as, err = tx.ListApplicationAssignments(ctx, instanceARN, store.ApplicationAssignmentFilter{
			ApplicationARN: appARN, PrincipalType: principalType, PrincipalID: principalID}, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	as, next := paging.Trim(as, limit, store.ApplicationAssignment.Key)
	return as, next, nil
}

// PutAssignmentRequired sets whether only assigned principals may use the
// application.
func (s *Service) PutAssignmentRequired(ctx context.Context, appARN string, required bool) error {
	return mapErr("put application assignment configuration", s.Store.Update(ctx, func(tx store.Tx) error {
		app, err := getApplication(ctx, tx, appARN)
		if err != nil {
			return err
		}
		app.AssignmentRequired = required
		return tx.ReplaceApplication(ctx, app)
	}))
}

// ---- application settings ----

// Grant is an application's OAuth grant of one type.
type Grant struct {
	RedirectURIs           []string                `json:"redirectUris,omitempty"`           // authorization_code
	AuthorizedTokenIssuers []AuthorizedTokenIssuer `json:"authorizedTokenIssuers,omitempty"` // jwt-bearer
}

// AuthorizedTokenIssuer is a trusted token issuer and the audiences a
// jwt-bearer grant accepts from it.
type AuthorizedTokenIssuer struct {
	TrustedTokenIssuerARN string   `json:"trustedTokenIssuerArn"`
	AuthorizedAudiences   []string `json:"authorizedAudiences,omitempty"`
}

// Grant types.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	GrantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
)

// AccessScope is a scope an application may request and the applications or
// instance it targets.
type AccessScope struct {
	Scope             string   `json:"scope"`
	AuthorizedTargets []string `json:"authorizedTargets,omitempty"`
}

// appSetting runs fn on an existing application of the caller in a write
// transaction.
func (s *Service) appUpdate(ctx context.Context, op, appARN string, fn func(tx store.Tx, app store.Application) error) error {
	return mapErr(op, s.Store.Update(ctx, func(tx store.Tx) error {
		app, err := getApplication(ctx, tx, appARN)
		if err != nil {
			return err
		}
		return fn(tx, app)
	}))
}

func (s *Service) appView(ctx context.Context, op, appARN string, fn func(tx store.Tx, app store.Application) error) error {
	return mapErr(op, s.Store.View(ctx, func(tx store.Tx) error {
		app, err := getApplication(ctx, tx, appARN)
		if err != nil {
			return err
		}
		return fn(tx, app)
	}))
}

func (s *Service) putSetting(ctx context.Context, tx store.Tx, app store.Application, kind, key string, v any) error {
	doc, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("access: encode %s: %w", kind, err)
	}
	return tx.PutSSOSetting(ctx, store.SSOSetting{InstanceARN: app.InstanceARN, ResourceARN: app.ARN, Kind: kind, Key: key,
		Value: string(doc), UpdatedAt: s.now()})
}

func settingNotFound(what, key, appARN string) error {
	return fault.NotFoundf(ResourceApplication, appARN, "%s %s is not configured for application %s.", what, key, appARN)
}

func getSetting(ctx context.Context, tx store.Tx, appARN, kind, key, what string, v any) error {
	st, err := tx.GetSSOSetting(ctx, appARN, kind, key)
	if errors.Is(err, store.ErrNotFound) {
		return settingNotFound(what, key, appARN)
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(st.Value), v)
}

func deleteSetting(ctx context.Context, tx store.Tx, appARN, kind, key, what string) error {
	err := tx.DeleteSSOSetting(ctx, appARN, kind, key)
	if errors.Is(err, store.ErrNotFound) {
		return settingNotFound(what, key, appARN)
	}
	return err
}

// listSettings decodes every setting of a kind (at most a few per application).
func listSettings[T any](ctx context.Context, tx store.Tx, appARN, kind string) ([]string, []T, error) {
	sts, err := tx.ListSSOSettings(ctx, appARN, kind, store.Page{})
	if err != nil {
		return nil, nil, err
	}
	keys, vals := make([]string, len(sts)), make([]T, len(sts))
	for i, st := range sts {
		keys[i] = st.Key
		if err := json.Unmarshal([]byte(st.Value), &vals[i]); err != nil {
			return nil, nil, fmt.Errorf("access: decode %s: %w", kind, err)
		}
	}
	return keys, vals, nil
}

// PutAccessScope creates or replaces an application's access scope.
func (s *Service) PutAccessScope(ctx context.Context, appARN string, sc AccessScope) error {
	return s.appUpdate(ctx, "put application access scope", appARN, func(tx store.Tx, app store.Application) error {
		return s.putSetting(ctx, tx, app, store.SettingAccessScope, sc.Scope, sc)
	})
}

// GetAccessScope returns an application's access scope.
func (s *Service) GetAccessScope(ctx context.Context, appARN, scope string) (AccessScope, error) {
	var sc AccessScope
	err := s.appView(ctx, "get application access scope", appARN, func(tx store.Tx, _ store.Application) error {
		return getSetting(ctx, tx, appARN, store.SettingAccessScope, scope, "Access scope", &sc)
	})
	return sc, err
}

// DeleteAccessScope removes an application's access scope.
func (s *Service) DeleteAccessScope(ctx context.Context, appARN, scope string) error {
	return s.appUpdate(ctx, "delete application access scope", appARN, func(tx store.Tx, _ store.Application) error {
		return deleteSetting(ctx, tx, appARN, store.SettingAccessScope, scope, "Access scope")
	})
}

// ListAccessScopes pages an application's access scopes (MaxResults 1-100).
func (s *Service) ListAccessScopes(ctx context.Context, appARN string, maxResults int, nextToken string) ([]AccessScope, string, error) {
	if _, err := pageSize(maxResults); err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, maxResults, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var out []AccessScope
	err = s.appView(ctx, "list application access scopes", appARN, func(tx store.Tx, _ store.Application) error {
		sts, err := tx.ListSSOSettings(ctx, appARN, store.SettingAccessScope, p)
		if err != nil {
			return err
		}
		for _, st := range sts {
			var sc AccessScope
			if err := json.Unmarshal([]byte(st.Value), &sc); err != nil {
				return fmt.Errorf("access: decode scope: %w", err)
			}
			out = append(out, sc)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	out, next := paging.Trim(out, limit, func(sc AccessScope) string { return sc.Scope })
	return out, next, nil
}

// validateGrant checks that the grant's content fits its type and that the
// trusted token issuers it names exist in the application's instance.
func validateGrant(ctx context.Context, tx store.Tx, app store.Application, grantType string, g Grant) error {
	switch grantType {
	case GrantAuthorizationCode:
		if len(g.AuthorizedTokenIssuers) > 0 {
			return fault.Validationf("Grant of type %s accepts only AuthorizationCode.", grantType)
		}
	case GrantJWTBearer:
		if len(g.RedirectURIs) > 0 || len(g.AuthorizedTokenIssuers) == 0 {
			return fault.Validationf("Grant of type %s requires JwtBearer with AuthorizedTokenIssuers.", grantType)
		}
		for _, ti := range g.AuthorizedTokenIssuers {
			tti, err := tx.GetTrustedTokenIssuer(ctx, ti.TrustedTokenIssuerARN)
			if errors.Is(err, store.ErrNotFound) || (err == nil && tti.InstanceARN != app.InstanceARN) {
				return ttiNotFound(ti.TrustedTokenIssuerARN)
			}
			if err != nil {
				return err
			}
		}
	case GrantRefreshToken, GrantTokenExchange:
		if len(g.RedirectURIs) > 0 || len(g.AuthorizedTokenIssuers) > 0 {
			return fault.Validationf("Grant of type %s takes no configuration.", grantType)
		}
	default:
		return fault.Validationf("Unsupported grant type %s.", grantType)
	}
	return nil
}

// PutGrant creates or replaces an application's grant of a type.
func (s *Service) PutGrant(ctx context.Context, appARN, grantType string, g Grant) error {
	return s.appUpdate(ctx, "put application grant", appARN, func(tx store.Tx, app store.Application) error {
		if err := validateGrant(ctx, tx, app, grantType, g); err != nil {
			return err
		}
		return s.putSetting(ctx, tx, app, store.SettingGrant, grantType, g)
	})
}

// GetGrant returns an application's grant of a type.
func (s *Service) GetGrant(ctx context.Context, appARN, grantType string) (Grant, error) {
	var g Grant
	err := s.appView(ctx, "get application grant", appARN, func(tx store.Tx, _ store.Application) error {
		return getSetting(ctx, tx, appARN, store.SettingGrant, grantType, "Grant", &g)
	})
	return g, err
}

// DeleteGrant removes an application's grant of a type.
func (s *Service) DeleteGrant(ctx context.Context, appARN, grantType string) error {
	return s.appUpdate(ctx, "delete application grant", appARN, func(tx store.Tx, _ store.Application) error {
		return deleteSetting(ctx, tx, appARN, store.SettingGrant, grantType, "Grant")
	})
}

// ListGrants returns an application's grants by type.
func (s *Service) ListGrants(ctx context.Context, appARN, nextToken string) ([]string, []Grant, error) {
	if _, err := paging.Decode(nextToken); err != nil {
		return nil, nil, err
	}
	var types []string
	var grants []Grant
	err := s.appView(ctx, "list application grants", appARN, func(tx store.Tx, _ store.Application) error {
		var err error
		types, grants, err = listSettings[Grant](ctx, tx, appARN, store.SettingGrant)
		return err
	})
	return types, grants, err
}

// AuthenticationMethod is an application's IAM authentication method: the
// actor policy (a JSON policy document) naming who may call on its behalf.
type AuthenticationMethod struct {
	ActorPolicy string `json:"actorPolicy"`
}

// PutAuthenticationMethod creates or replaces an authentication method.
func (s *Service) PutAuthenticationMethod(ctx context.Context, appARN, methodType string, m AuthenticationMethod) error {
	if methodType != "IAM" {
		return fault.Validationf("Unsupported authentication method type %s.", methodType)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(m.ActorPolicy), &doc); err != nil || doc == nil {
		return fault.Validationf("ActorPolicy must be a JSON policy document.")
	}
	return s.appUpdate(ctx, "put application authentication method", appARN, func(tx store.Tx, app store.Application) error {
		return s.putSetting(ctx, tx, app, store.SettingAuthenticationMethod, methodType, m)
	})
}

// GetAuthenticationMethod returns an authentication method.
func (s *Service) GetAuthenticationMethod(ctx context.Context, appARN, methodType string) (AuthenticationMethod, error) {
	var m AuthenticationMethod
	err := s.appView(ctx, "get application authentication method", appARN, func(tx store.Tx, _ store.Application) error {
		return getSetting(ctx, tx, appARN, store.SettingAuthenticationMethod, methodType, "Authentication method", &m)
	})
	return m, err
}

// DeleteAuthenticationMethod removes an authentication method.
func (s *Service) DeleteAuthenticationMethod(ctx context.Context, appARN, methodType string) error {
	return s.appUpdate(ctx, "delete application authentication method", appARN, func(tx store.Tx, _ store.Application) error {
		return deleteSetting(ctx, tx, appARN, store.SettingAuthenticationMethod, methodType, "Authentication method")
	})
}

// ListAuthenticationMethods returns an application's methods by type.
func (s *Service) ListAuthenticationMethods(ctx context.Context, appARN, nextToken string) ([]string, []AuthenticationMethod, error) {
	if _, err := paging.Decode(nextToken); err != nil {
		return nil, nil, err
	}
	var types []string
	var ms []AuthenticationMethod
	err := s.appView(ctx, "list application authentication methods", appARN, func(tx store.Tx, _ store.Application) error {
		var err error
		types, ms, err = listSettings[AuthenticationMethod](ctx, tx, appARN, store.SettingAuthenticationMethod)
		return err
	})
	return types, ms, err
}

// PutSessionConfiguration sets UserBackgroundSessionApplicationStatus.
func (s *Service) PutSessionConfiguration(ctx context.Context, appARN, status string) error {
	return s.appUpdate(ctx, "put application session configuration", appARN, func(tx store.Tx, app store.Application) error {
		if status == "" {
			return nil
		}
		return s.putSetting(ctx, tx, app, store.SettingSession, "", status)
	})
}

// GetSessionConfiguration returns UserBackgroundSessionApplicationStatus
// (DISABLED until set).
func (s *Service) GetSessionConfiguration(ctx context.Context, appARN string) (string, error) {
	status := "DISABLED"
	err := s.appView(ctx, "get application session configuration", appARN, func(tx store.Tx, _ store.Application) error {
		st, err := tx.GetSSOSetting(ctx, appARN, store.SettingSession, "")
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(st.Value), &status)
	})
	return status, err
}
