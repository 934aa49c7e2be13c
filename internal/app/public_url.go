package app

import (
	"fmt"

	"github.com/idcenter/idcenter/internal/config"
)

// The URLs the admin commands print, built like the server builds its own:
// from --public-url when set (idcenter behind a reverse proxy), else from
// the listen address.

// SSOStartURL is the web access portal's start URL (sso_start_url).
func SSOStartURL(cfg config.Config) string { return cfg.BaseURL() + "/start" }

// SCIMEndpoint is the SCIM endpoint of an identity store, as an IdP's
// provisioning setting wants it.
func SCIMEndpoint(cfg config.Config, identityStoreID string) string {
	return fmt.Sprintf("%s/%s/scim/v2/", cfg.BaseURL(), identityStoreID)
}
