package access

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

func ttiNotFound(arn string) error {
	return fault.NotFoundf(ResourceTrustedTokenIssuer, arn, "Trusted token issuer %s does not exist.", arn)
}

func ttiNameConflict(name string) error {
	return fault.Conflictf("", "A trusted token issuer named %s already exists.", name)
}

// getTTI reads a trusted token issuer (its instance must exist).
func getTTI(ctx context.Context, tx store.Tx, arn string) (store.TrustedTokenIssuer, error) {
	inst, ok := ownedInstanceOf(arn)
	if !ok || !strings.Contains(arn, ":trustedTokenIssuer/") {
		return store.TrustedTokenIssuer{}, ttiNotFound(arn)
	}
	if err := checkInstance(ctx, tx, inst); err != nil {
		return store.TrustedTokenIssuer{}, err
	}
	t, err := tx.GetTrustedTokenIssuer(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return t, ttiNotFound(arn)
	}
	return t, err
}

// NewTrustedTokenIssuer is CreateTrustedTokenIssuer's input.
type NewTrustedTokenIssuer struct {
	Name, Type                                                                     string
	IssuerURL, ClaimAttributePath, IdentityStoreAttributePath, JWKSRetrievalOption string
	Tags                                                                           []store.Tag
}

// CreateTrustedTokenIssuer adds an OIDC JWT issuer to the instance.
func (s *Service) CreateTrustedTokenIssuer(ctx context.Context, instanceARN string, in NewTrustedTokenIssuer) (store.TrustedTokenIssuer, error) {
	if in.Type != "OIDC_JWT" || in.IssuerURL == "" {
		return store.TrustedTokenIssuer{}, fault.Validationf("TrustedTokenIssuerType OIDC_JWT with an OidcJwtConfiguration is required.")
	}
	if !strings.HasPrefix(in.IssuerURL, "https://") {
		return store.TrustedTokenIssuer{}, fault.Validationf("IssuerUrl must be an https URL.")
	}
	if err := validateTags(in.Tags); err != nil {
		return store.TrustedTokenIssuer{}, err
	}
	if len(in.Tags) > maxTagsPerResource {
		return store.TrustedTokenIssuer{}, fault.QuotaExceededf("A resource can have at most %d tags.", maxTagsPerResource)
	}
	id, err := s.randomHex(16)
	if err != nil {
		return store.TrustedTokenIssuer{}, err
	}
	uuid := fmt.Sprintf("%s-%s-%s-%s-%s", id[:8], id[8:12], id[12:16], id[16:20], id[20:])
	var t store.TrustedTokenIssuer
	err = s.update(ctx, "create trusted token issuer", instanceARN, func(tx store.Tx) error {
		inst, err := tx.GetInstance(ctx, instanceARN)
		if err != nil {
			return err
		}
		partition := instanceARN[:strings.Index(instanceARN, ":sso:")]
		t = store.TrustedTokenIssuer{
			InstanceARN: instanceARN, Name: in.Name, Type: in.Type,
			ARN: fmt.Sprintf("%s:sso::%s:trustedTokenIssuer/%s/tti-%s", partition, inst.OwnerAccountID,
				instanceARN[strings.LastIndex(instanceARN, "/")+1:], uuid),
			IssuerURL: in.IssuerURL, ClaimAttributePath: in.ClaimAttributePath, IdentityStoreAttributePath: in.IdentityStoreAttributePath,
			JWKSRetrievalOption: in.JWKSRetrievalOption, CreatedAt: s.now(),
		}
		err = tx.CreateTrustedTokenIssuer(ctx, t)
		if errors.Is(err, store.ErrAlreadyExists) {
			return ttiNameConflict(in.Name)
		}
		if err != nil {
			return err
		}
		if len(in.Tags) > 0 {
			return tx.PutTags(ctx, instanceARN, t.ARN, in.Tags)
		}
		return nil
	})
	return t, err
}

// DescribeTrustedTokenIssuer returns an issuer.
func (s *Service) DescribeTrustedTokenIssuer(ctx context.Context, arn string) (store.TrustedTokenIssuer, error) {
	var t store.TrustedTokenIssuer
	err := mapErr("describe trusted token issuer", s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		t, err = getTTI(ctx, tx, arn)
		return err
	}))
	return t, err
}

// TrustedTokenIssuerUpdate holds UpdateTrustedTokenIssuer's optional fields
// (empty: unchanged). The issuer URL cannot change.
type TrustedTokenIssuerUpdate struct {
	Name, ClaimAttributePath, IdentityStoreAttributePath, JWKSRetrievalOption string
}

// UpdateTrustedTokenIssuer renames an issuer or changes its claim mapping.
func (s *Service) UpdateTrustedTokenIssuer(ctx context.Context, arn string, u TrustedTokenIssuerUpdate) error {
	return mapErr("update trusted token issuer", s.Store.Update(ctx, func(tx store.Tx) error {
		t, err := getTTI(ctx, tx, arn)
		if err != nil {
			return err
		}
		for _, f := range []struct {
			dst *string
			v   string
		}{{&t.Name, u.Name}, {&t.ClaimAttributePath, u.ClaimAttributePath},
			{&t.IdentityStoreAttributePath, u.IdentityStoreAttributePath}, {&t.JWKSRetrievalOption, u.JWKSRetrievalOption}} {
			if f.v != "" {
				*f.dst = f.v
			}
		}
		err = tx.ReplaceTrustedTokenIssuer(ctx, t)
		if errors.Is(err, store.ErrAlreadyExists) {
			return ttiNameConflict(t.Name)
		}
		return err
	}))
}

// DeleteTrustedTokenIssuer removes an issuer; it fails with Conflict while
// an application's jwt-bearer grant still trusts it.
func (s *Service) DeleteTrustedTokenIssuer(ctx context.Context, arn string) error {
	return mapErr("delete trusted token issuer", s.Store.Update(ctx, func(tx store.Tx) error {
		t, err := getTTI(ctx, tx, arn)
		if err != nil {
			return err
		}
		apps, err := tx.ListApplications(ctx, t.InstanceARN, store.ApplicationFilter{}, store.Page{})
		if err != nil {
			return err
		}
		for _, app := range apps {
			_, grants, err := listSettings[Grant](ctx, tx, app.ARN, store.SettingGrant)
			if err != nil {
				return err
			}
			for _, g := range grants {
				for _, ti := range g.AuthorizedTokenIssuers {
					if ti.TrustedTokenIssuerARN == arn {
						return fault.Conflictf("", "Trusted token issuer %s is used by application %s.", arn, app.ARN)
					}
				}
			}
		}
		return tx.DeleteTrustedTokenIssuer(ctx, arn)
	}))
}

// ListTrustedTokenIssuers pages an instance's issuers (MaxResults 1-100).
func (s *Service) ListTrustedTokenIssuers(ctx context.Context, instanceARN string, maxResults int, nextToken string) ([]store.TrustedTokenIssuer, string, error) {
	if _, err := pageSize(maxResults); err != nil {
		return nil, "", err
	}
	p, limit, err := paging.Page(nextToken, maxResults, maxPageSize)
	if err != nil {
		return nil, "", err
	}
	var ts []store.TrustedTokenIssuer
	err = s.view(ctx, "list trusted token issuers", instanceARN, func(tx store.Tx) error {
		var err error
		ts, err = tx.ListTrustedTokenIssuers(ctx, instanceARN, p)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	ts, next := paging.Trim(ts, limit, func(t store.TrustedTokenIssuer) string { return t.ARN })
	return ts, next, nil
}
