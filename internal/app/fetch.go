package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// maxIssuerDocument bounds a trusted token issuer's OpenID configuration or JWKS.
const maxIssuerDocument = 1 << 20

// httpFetch reads a trusted token issuer's document (sso-oidc
// CreateTokenWithIAM verifies assertions with the issuer's JWKS).
func httpFetch(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxIssuerDocument))
}
