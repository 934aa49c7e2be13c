package authz

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// StoreResourceTags is the ResourceTagSource over the store: IAM users,
// roles, customer managed policies, instance profiles, server certificates,
// SAML and OIDC providers and virtual MFA devices (arn:aws:iam::<account>:
// user/…, role/…, policy/…; named entities are found by the last part of
// their path, policies, providers and MFA devices by their ARN),
// Identity Center resources tagged through sso-admin (permission sets,
// applications, instances) and Organizations accounts, OUs, roots and
// policies (by the id that ends their ARN). It reads the store on each call,
// as the policy source does; the authoriser asks only when a policy tests
// aws:ResourceTag.
type StoreResourceTags struct {
	Store store.Store
}

// ResourceTags implements ResourceTagSource.
func (s *StoreResourceTags) ResourceTags(ctx context.Context, resource string) ([]Tag, bool, error) {
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) < 6 {
		return nil, false, nil
	}
	service, account, rest := parts[2], parts[4], parts[5]
	last := rest[strings.LastIndexByte(rest, '/')+1:]
	var tags []store.Tag
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		switch {
		case service == "iam" && strings.HasPrefix(rest, "user/"):
			var u store.IAMUser
			if u, err = tx.GetIAMUser(ctx, account, last); err == nil {
				tags = u.Tags
			}
		case service == "iam" && strings.HasPrefix(rest, "role/"):
			var r store.IAMRole
			if r, err = tx.GetIAMRole(ctx, account, last); err == nil {
				tags = r.Tags
			}
		case service == "iam" && strings.HasPrefix(rest, "policy/") && account != "aws":
			var p store.IAMPolicy
			if p, err = tx.GetIAMPolicy(ctx, resource); err == nil {
				tags = p.Tags
			}
		case service == "iam" && strings.HasPrefix(rest, "instance-profile/"):
			var p store.IAMInstanceProfile
			if p, err = tx.GetIAMInstanceProfile(ctx, account, last); err == nil {
				tags = p.Tags
			}
		case service == "iam" && strings.HasPrefix(rest, "server-certificate/"):
			var c store.IAMServerCertificate
			if c, err = tx.GetIAMServerCertificate(ctx, account, last); err == nil {
				tags = c.Tags
			}
		case service == "iam" && strings.HasPrefix(rest, "saml-provider/"):
			var p store.IAMSAMLProvider
			if p, err = tx.GetIAMSAMLProvider(ctx, resource); err == nil {
				tags = p.Tags
			}
		case service == "iam" && strings.HasPrefix(rest, "oidc-provider/"):
			var p store.IAMOIDCProvider
			if p, err = tx.GetIAMOIDCProvider(ctx, resource); err == nil {
				tags = p.Tags
			}
		case service == "iam" && strings.HasPrefix(rest, "mfa/"):
			var d store.IAMMFADevice
			if d, err = tx.GetIAMMFADevice(ctx, resource); err == nil {
				tags = d.Tags
			}
		case service == "sso":
			tags, err = tx.ListTags(ctx, resource, store.Page{})
		case service == "organizations" && last != "":
			tags, err = tx.GetOrgTags(ctx, last)
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil // the operation reports what does not exist
	}
	if err != nil || len(tags) == 0 {
		return nil, false, err
	}
	out := make([]Tag, len(tags))
	for i, t := range tags {
		out[i] = Tag{Key: t.Key, Value: t.Value}
	}
	return out, true, nil
}
