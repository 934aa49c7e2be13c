package access

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// Resource types reported in NotFound faults of applications.
const (
	ResourceApplication         = "APPLICATION"
	ResourceApplicationProvider = "APPLICATION_PROVIDER"
	ResourceTrustedTokenIssuer  = "TRUSTED_TOKEN_ISSUER"
)

var (
	appARNPattern = regexp.MustCompile(`^(arn:aws(?:-[a-z]{1,5}){0,3}):sso::(\d{12}):application/((?:sso)?ins-[a-zA-Z0-9-.]{16})/apl-[a-zA-Z0-9]{16}$`)
	ttiARNPattern = regexp.MustCompile(`^(arn:aws(?:-[a-z]{1,5}){0,3}):sso::(\d{12}):trustedTokenIssuer/((?:sso)?ins-[a-zA-Z0-9-.]{16})/tti-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`)
)

// ownedInstanceOf returns the instance of an application or trusted token
// issuer ARN (which carry the owner account).
func ownedInstanceOf(arn string) (string, bool) {
	for _, p := range []*regexp.Regexp{appARNPattern, ttiARNPattern} {
		if m := p.FindStringSubmatch(arn); m != nil {
			return m[1] + ":sso:::instance/" + m[3], true
		}
	}
	return "", false
}

// ApplicationProvider is an entry of the bundled provider catalog.
type ApplicationProvider struct {
	ARN                string
	FederationProtocol string // SAML, OAUTH
	DisplayName        string
	Description        string
	IconURL            string
	// Scopes are the resource server scopes (name → title) the provider's
	// applications may be granted.
	Scopes map[string]string
}

// ProviderCustom is the customer-managed (OAuth 2.0) application provider.
const ProviderCustom = "arn:aws:sso::aws:applicationProvider/custom"

// providers is the bundled catalog, in ARN order.
var providers = []ApplicationProvider{
	{ARN: "arn:aws:sso::aws:applicationProvider/catalog/AWSClientVPN", FederationProtocol: "SAML", DisplayName: "AWS Client VPN",
		Description: "AWS Client VPN is a managed client-based VPN service."},
	{ARN: "arn:aws:sso::aws:applicationProvider/catalog/GitHub", FederationProtocol: "SAML", DisplayName: "GitHub",
		Description: "GitHub is a code hosting platform for version control and collaboration."},
	{ARN: "arn:aws:sso::aws:applicationProvider/catalog/Salesforce", FederationProtocol: "SAML", DisplayName: "Salesforce",
		Description: "Salesforce is a customer relationship management platform."},
	{ARN: "arn:aws:sso::aws:applicationProvider/catalog/Slack", FederationProtocol: "SAML", DisplayName: "Slack",
		Description: "Slack is a messaging app for business."},
	{ARN: ProviderCustom, FederationProtocol: "OAUTH", DisplayName: "Customer managed application",
		Description: "An OAuth 2.0 application managed by the customer.",
		Scopes:      map[string]string{"openid": "OpenID Connect", "aws:identity_center:read": "Read identity data"}},
	{ARN: "arn:aws:sso::aws:applicationProvider/custom-saml", FederationProtocol: "SAML", DisplayName: "Custom SAML 2.0 application",
		Description: "A SAML 2.0 application configured by the customer."},
}

func init() {
	sort.Slice(providers, func(i, j int) bool { return providers[i].ARN < providers[j].ARN })
}

// ListApplicationProviders pages the bundled catalog (MaxResults 1-100).
func (s *Service) ListApplicationProviders(_ context.Context, maxResults int, nextToken string) ([]ApplicationProvider, string, error) {
	if _, err := pageSize(maxResults); err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, maxResults, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var out []ApplicationProvider
	for _, pr := range providers {
		if pr.ARN > p.After && len(out) < p.Limit {
			out = append(out, pr)
		}
	}
	out, next := paging.Trim(out, limit, func(p ApplicationProvider) string { return p.ARN })
	return out, next, nil
}

// DescribeApplicationProvider returns a provider of the catalog.
func (s *Service) DescribeApplicationProvider(_ context.Context, arn string) (ApplicationProvider, error) {
	for _, p := range providers {
		if p.ARN == arn {
			return p, nil
		}
	}
	return ApplicationProvider{}, fault.NotFoundf(ResourceApplicationProvider, arn, "Application provider %s does not exist.", arn)
}

// ---- instance settings ----

// UpdateInstance renames an instance (an empty name leaves it unchanged).
func (s *Service) UpdateInstance(ctx context.Context, instanceARN, name string) error {
	return s.update(ctx, "update instance", instanceARN, func(tx store.Tx) error {
		if name == "" {
			return nil
		}
		return tx.SetInstanceName(ctx, instanceARN, name)
	})
}

// ListRegions returns the instance, whose home region is its only (primary)
// region.
func (s *Service) ListRegions(ctx context.Context, instanceARN string, maxResults int, nextToken string) (store.Instance, string, error) {
	if _, err := pageSize(maxResults); err != nil {
		return store.Instance{}, "", err
	}
	if _, err := paging.Decode(nextToken); err != nil {
		return store.Instance{}, "", err
	}
	var in store.Instance
	err := s.view(ctx, "list regions", instanceARN, func(tx store.Tx) error {
		var err error
		in, err = tx.GetInstance(ctx, instanceARN)
		return err
	})
	return in, "", err
}

// DescribeRegion returns the instance when region is its home region.
func (s *Service) DescribeRegion(ctx context.Context, instanceARN, region string) (store.Instance, error) {
	in, _, err := s.ListRegions(ctx, instanceARN, 0, "")
	if err != nil {
		return in, err
	}
	if region != in.Region {
		return in, fault.NotFoundf("REGION", region, "Region %s is not enabled for instance %s.", region, instanceARN)
	}
	return in, nil
}

// AddRegion answers as AWS does for an instance encrypted with an AWS owned
// key: replication to other regions needs a customer managed KMS key.
func (s *Service) AddRegion(ctx context.Context, instanceARN, region string) error {
	in, _, err := s.ListRegions(ctx, instanceARN, 0, "")
	if err != nil {
		return err
	}
	if region == in.Region {
		return fault.Conflictf("", "Region %s is already enabled for instance %s.", region, instanceARN)
	}
	return fault.Validationf("Adding Regions requires an organization instance encrypted with a customer managed KMS key; instance %s uses an AWS owned key.", instanceARN)
}

// RemoveRegion: the primary region cannot be removed, and no other region
// is enabled.
func (s *Service) RemoveRegion(ctx context.Context, instanceARN, region string) error {
	in, err := s.DescribeRegion(ctx, instanceARN, region)
	if err != nil {
		return err
	}
	return fault.Validationf("The primary Region %s of instance %s cannot be removed.", in.Region, instanceARN)
}

// AccessControlAttribute maps an attribute key to its identity source.
type AccessControlAttribute struct {
	Key    string   `json:"key"`
	Source []string `json:"source"`
}

func validateACA(attrs []AccessControlAttribute) error {
	seen := map[string]bool{}
	for _, a := range attrs {
		if seen[a.Key] {
			return fault.Validationf("Duplicate access control attribute key %s.", a.Key)
		}
		seen[a.Key] = true
		if len(a.Source) != 1 {
			return fault.Validationf("Access control attribute %s must have exactly one source.", a.Key)
		}
	}
	return nil
}

func acaNotFound(instanceARN string) error {
	return fault.NotFoundf(ResourceInstance, instanceARN,
		"Access control attribute configuration does not exist for instance %s.", instanceARN)
}

// PutAccessControlAttributes creates (create) or replaces (!create) the
// instance's attribute-based access control configuration.
func (s *Service) PutAccessControlAttributes(ctx context.Context, instanceARN string, attrs []AccessControlAttribute, create bool) error {
	if err := validateACA(attrs); err != nil {
		return err
	}
	doc, err := json.Marshal(attrs)
	if err != nil {
		return fmt.Errorf("access: encode attributes: %w", err)
	}
	return s.update(ctx, "put access control attributes", instanceARN, func(tx store.Tx) error {
		_, err := tx.GetSSOSetting(ctx, instanceARN, store.SettingAccessControlAttributes, "")
		switch {
		case err == nil && create:
			return fault.Conflictf("", "Access control attribute configuration already exists for instance %s.", instanceARN)
		case errors.Is(err, store.ErrNotFound) && !create:
			return acaNotFound(instanceARN)
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		return tx.PutSSOSetting(ctx, store.SSOSetting{InstanceARN: instanceARN, ResourceARN: instanceARN,
			Kind: store.SettingAccessControlAttributes, Value: string(doc), UpdatedAt: s.now()})
	})
}

// DescribeAccessControlAttributes returns the instance's configuration.
func (s *Service) DescribeAccessControlAttributes(ctx context.Context, instanceARN string) ([]AccessControlAttribute, error) {
	var attrs []AccessControlAttribute
	err := s.view(ctx, "describe access control attributes", instanceARN, func(tx store.Tx) error {
		st, err := tx.GetSSOSetting(ctx, instanceARN, store.SettingAccessControlAttributes, "")
		if errors.Is(err, store.ErrNotFound) {
			return acaNotFound(instanceARN)
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(st.Value), &attrs)
	})
	return attrs, err
}

// DeleteAccessControlAttributes disables attribute-based access control.
func (s *Service) DeleteAccessControlAttributes(ctx context.Context, instanceARN string) error {
	return s.update(ctx, "delete access control attributes", instanceARN, func(tx store.Tx) error {
		err := tx.DeleteSSOSetting(ctx, instanceARN, store.SettingAccessControlAttributes, "")
		if errors.Is(err, store.ErrNotFound) {
			return acaNotFound(instanceARN)
		}
		return err
	})
}
