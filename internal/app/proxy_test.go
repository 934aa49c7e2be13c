package app_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func caPool(t *testing.T, path string) *x509.CertPool {
	t.Helper()
	pem, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", path)
	}
	return pool
}

// proxiedConfig is an SDK configuration that knows only a region, the proxy
// and the CA: no endpoint of any kind.
func proxiedConfig(t *testing.T, proxyURL string, pool *x509.CertPool, region string) aws.Config {
	t.Helper()
	t.Setenv("AWS_CA_BUNDLE", "")
	u, err := url.Parse(proxyURL)
	if err != nil {
		t.Fatal(err)
	}
	return aws.Config{
		Region:      region,
		Credentials: staticCreds(testKeyID, testSecret),
		HTTPClient: &http.Client{Transport: &http.Transport{
			Proxy:           http.ProxyURL(u),
			TLSClientConfig: &tls.Config{RootCAs: pool},
		}},
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	}
}

func TestProxyServesAWSHostNames(t *testing.T) {
	cfg := baseConfig(t)
	cfg.Proxy = true
	r := runApp(t, cfg)
	if r.lines["ca"] != cfg.CAPath() || !strings.HasPrefix(r.lines["proxy"], "HTTPS_PROXY=http://127.0.0.1:") {
		t.Fatalf("start-up lines %v", r.lines)
	}
	endpoint := r.lines["endpoint"]
	pool := caPool(t, cfg.CAPath())
	ctx := context.Background()
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		t.Run(region, func(t *testing.T) {
			awsCfg := proxiedConfig(t, endpoint, pool, region)
			id, err := sts.NewFromConfig(awsCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil || aws.ToString(id.Arn) != "arn:aws:iam::123456789012:root" {
				t.Fatalf("sts through the proxy: %+v, %v", id, err)
			}
			ins, err := ssoadmin.NewFromConfig(awsCfg).ListInstances(ctx, &ssoadmin.ListInstancesInput{})
			if err != nil || len(ins.Instances) != 1 {
				t.Fatalf("sso-admin through the proxy: %+v, %v", ins, err)
			}
			users, err := identitystore.NewFromConfig(awsCfg).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: ins.Instances[0].IdentityStoreId})
			if err != nil || users.Users == nil {
				t.Fatalf("identitystore through the proxy: %+v, %v", users, err)
			}
			org, err := organizations.NewFromConfig(awsCfg).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			if err != nil || aws.ToString(org.Organization.MasterAccountId) != "123456789012" {
				t.Fatalf("organizations through the proxy: %+v, %v", org, err)
			}
		})
	}
	// Direct (non-proxied) requests still work on the same listener.
	direct := directConfig(t, endpoint)
	if _, err := sts.NewFromConfig(direct).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("direct call next to the proxy: %v", err)
	}
}

func directConfig(t *testing.T, endpoint string) aws.Config {
	t.Setenv("AWS_CA_BUNDLE", "")
	return aws.Config{Region: "us-east-1", Credentials: staticCreds(testKeyID, testSecret), BaseEndpoint: aws.String(endpoint), HTTPClient: &http.Client{}}
}

// connect sends a raw CONNECT and returns the status code.
func connect(t *testing.T, proxyAddr, target string) (int, net.Conn) {
	t.Helper()
	c, err := net.Dial("tcp", proxyAddr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target)
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: http.MethodConnect})
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, c
}

func TestProxyRefusesOtherHosts(t *testing.T) {
	cfg := baseConfig(t)
	cfg.Proxy = true
	r := runApp(t, cfg)
	addr := strings.TrimPrefix(r.lines["endpoint"], "http://")
	for _, target := range []string{"www.example.com:443", "s3.amazonaws.com:443", "sts.amazonaws.com:80", "127.0.0.1:22"} {
		code, c := connect(t, addr, target)
		c.Close()
		if code != http.StatusForbidden {
			t.Errorf("CONNECT %s = %d, want 403", target, code)
		}
	}
}

func TestProxyPassthrough(t *testing.T) {
	upstream := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "upstream says hi")
	}))
	defer upstream.Close()
	cfg := baseConfig(t)
	cfg.Proxy, cfg.ProxyPassthrough = true, true
	r := runApp(t, cfg)
	u, _ := url.Parse(r.lines["endpoint"])
	client := upstream.Client()
	client.Transport.(*http.Transport).Proxy = http.ProxyURL(u)
	resp, err := client.Get(upstream.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 64)
	n, _ := resp.Body.Read(buf)
	if string(buf[:n]) != "upstream says hi" {
		t.Fatalf("passthrough answered %q", buf[:n])
	}
}

func TestOwnCATLS(t *testing.T) {
	cfg := baseConfig(t)
	cfg.TLSAuto = true
	r := runApp(t, cfg)
	endpoint := r.lines["endpoint"]
	if !strings.HasPrefix(endpoint, "https://127.0.0.1:") || r.lines["ca"] != cfg.CAPath() {
		t.Fatalf("start-up lines %v", r.lines)
	}
	t.Setenv("AWS_CA_BUNDLE", "")
	pool := caPool(t, cfg.CAPath())
	awsCfg := aws.Config{Region: "us-east-1", Credentials: staticCreds(testKeyID, testSecret), BaseEndpoint: aws.String(endpoint),
		HTTPClient: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}}
	if _, err := sts.NewFromConfig(awsCfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity over the own CA's TLS: %v", err)
	}
	// A client that does not trust the CA is refused by TLS verification.
	plain := aws.Config{Region: "us-east-1", Credentials: staticCreds(testKeyID, testSecret), BaseEndpoint: aws.String(endpoint),
		HTTPClient: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}},
		Retryer:    func() aws.Retryer { return aws.NopRetryer{} }}
	_, err := sts.NewFromConfig(plain).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	var uae x509.UnknownAuthorityError
	if err == nil || !errors.As(err, &uae) {
		t.Fatalf("untrusting client: %v", err)
	}
}
