package app

import (
	"context"

	"github.com/idcenter/idcenter/internal/core/oidc"
	"github.com/idcenter/idcenter/internal/core/portal"
	"github.com/idcenter/idcenter/internal/web"
)

// webOIDC lets the web portal's device and authorize pages drive sso-oidc.
type webOIDC struct{ s *oidc.Service }

func (w webOIDC) LookupUserCode(ctx context.Context, userCode string) (web.DeviceAuthorization, error) {
	d, err := w.s.LookupUserCode(ctx, userCode)
	return web.DeviceAuthorization(d), err
}

func (w webOIDC) ApproveDevice(ctx context.Context, userCode, userID string) error {
	return w.s.ApproveDevice(ctx, userCode, userID)
}

func (w webOIDC) DenyDevice(ctx context.Context, userCode string) error {
	return w.s.DenyDevice(ctx, userCode)
}

func (w webOIDC) Authorize(ctx context.Context, req web.AuthorizeRequest, userID string) (string, error) {
	return w.s.Authorize(ctx, oidc.AuthorizeRequest(req), userID)
}

// webPortal lets the accounts page and the command line access panel use the portal core.
type webPortal struct{ s *portal.Service }

func (w webPortal) Accounts(ctx context.Context, userID string) ([]web.Account, error) {
	accts, err := w.s.Accounts(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]web.Account, len(accts))
	for i, a := range accts {
		out[i] = web.Account{ID: a.AccountID, Name: a.AccountName, Email: a.EmailAddress}
	}
	return out, nil
}

func (w webPortal) Roles(ctx context.Context, userID, accountID string) ([]string, error) {
	return w.s.Roles(ctx, userID, accountID)
}

func (w webPortal) RoleCredentials(ctx context.Context, userID, accountID, roleName string) (web.Credentials, error) {
	c, err := w.s.RoleCredentials(ctx, userID, accountID, roleName)
	return web.Credentials(c), err
}
