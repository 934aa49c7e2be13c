package app

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
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
	c.Delegations = func(ctx context.Context, account, token string) (credentials.DelegationGrant, error) {
		g, err := iamCore.RedeemDelegationToken(ctx, account, token)
		return credentials.DelegationGrant{AccountID: g.AccountID, PrincipalARN: g.PrincipalARN, Policy: g.Policy, Expires: g.Expires}, err
	}
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

func (f httpFetcher) Fetch(ctx context.Context, rawURL string, thumbprints []string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	if req.URL.Scheme != "https" {
		return nil, fmt.Errorf("app: fetch %s: only https is allowed", rawURL)
	}
	req.Header.Set("Accept", "application/json")
	client := f.client
	if len(thumbprints) > 0 {
		client = pinnedClient(f.client, req.URL, thumbprints)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("app: fetch %s: %s", rawURL, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxFetch))
}

// pinnedClient is base with a TLS check that accepts the server's chain when
// it verifies with the trusted roots (base's, else the system's) or, failing
// that, when the SHA-1 of its last certificate is one of the thumbprints and
// the leaf names the host. It does not follow redirects to other hosts.
func pinnedClient(base *http.Client, u *url.URL, thumbprints []string) *http.Client {
	var tr *http.Transport
	if t, ok := base.Transport.(*http.Transport); ok && t != nil {
		tr = t.Clone()
	} else {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	cfg := &tls.Config{}
	if tr.TLSClientConfig != nil {
		cfg = tr.TLSClientConfig.Clone()
	}
	roots := cfg.RootCAs
	host := u.Hostname()
	cfg.InsecureSkipVerify = true // replaced by VerifyConnection below
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("app: no server certificate")
		}
		leaf := cs.PeerCertificates[0]
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter}); err == nil {
			return nil
		}
		if err := leaf.VerifyHostname(host); err != nil {
			return err
		}
		if now := time.Now(); now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
			return errors.New("app: the identity provider's certificate is not valid now")
		}
		sum := sha1.Sum(cs.PeerCertificates[len(cs.PeerCertificates)-1].Raw)
		got := hex.EncodeToString(sum[:])
		for _, t := range thumbprints {
			if strings.EqualFold(t, got) {
				return nil
			}
		}
		return fmt.Errorf("app: the identity provider's certificate chain (thumbprint %s) is neither trusted nor pinned", got)
	}
	tr.TLSClientConfig = cfg
	return &http.Client{Transport: tr, Timeout: base.Timeout, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if !strings.EqualFold(r.URL.Host, u.Host) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}
