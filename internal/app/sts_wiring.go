package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/credentials"
	coreiam "github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// wireSTS gives the STS core what federation and MFA need: the trust-policy
// decider, the IAM core's MFA verification and an HTTP client for OIDC
// providers' discovery documents and keys.
func wireSTS(c *credentials.Service, d *authz.Authorizer, st store.Store, opt Options) {
	c.Federation = d
	iamCore := &coreiam.Service{Store: st, Now: opt.Now, Rand: opt.Rand}
	c.MFA = iamCore
	c.RootSessions = iamCore
	c.Outbound = iamCore
	client := opt.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	c.Fetch = httpFetcher{client: client}
}

// maxFetch bounds an identity provider's discovery document or key set.
const maxFetch = 1 << 20

// httpFetcher reads OIDC discovery documents and key sets over HTTPS.
type httpFetcher struct{ client *http.Client }

func (f httpFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if req.URL.Scheme != "https" {
		return nil, fmt.Errorf("app: fetch %s: only https is allowed", url)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("app: fetch %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxFetch))
}
