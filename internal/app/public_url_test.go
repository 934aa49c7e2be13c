package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/samltest"
	"github.com/idcenter/idcenter/internal/store"
)

const testPublicURL = "https://id.example.test"

// startPublicServer is an idcenter run with --public-url behind a (pretend)
// TLS-terminating reverse proxy: the test talks plain HTTP to the listener,
// as the proxy would.
func startPublicServer(t *testing.T) *testServer {
	t.Helper()
	return startServerWith(t, func(c *config.Config) { c.PublicURL = testPublicURL + "/" })
}

// TestPublicURLSSOOIDC: with --public-url, sso-oidc's RegisterClient
// endpoints and StartDeviceAuthorization's verification URIs name the
// public URL, not the listener's.
func TestPublicURLSSOOIDC(t *testing.T) {
	ts := startPublicServer(t)
	ctx := context.Background()
	c := ssooidc.NewFromConfig(ts.rootConfig(t))
	reg, err := c.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-proxy"), ClientType: aws.String("public")})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	if got := aws.ToString(reg.AuthorizationEndpoint); got != testPublicURL+"/authorize" {
		t.Errorf("authorizationEndpoint = %q, want %s/authorize", got, testPublicURL)
	}
	if got := aws.ToString(reg.TokenEndpoint); got != testPublicURL+"/token" {
		t.Errorf("tokenEndpoint = %q, want %s/token", got, testPublicURL)
	}
	start, err := c.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
		ClientSecret: reg.ClientSecret, StartUrl: aws.String(testPublicURL + "/start")})
	if err != nil {
		t.Fatalf("StartDeviceAuthorization: %v", err)
	}
	if got := aws.ToString(start.VerificationUri); got != testPublicURL+"/start/device" {
		t.Errorf("verificationUri = %q, want %s/start/device", got, testPublicURL)
	}
	if got := aws.ToString(start.VerificationUriComplete); !strings.HasPrefix(got, testPublicURL+"/start/device?user_code=") {
		t.Errorf("verificationUriComplete = %q, want it under %s", got, testPublicURL)
	}
}

// TestPublicURLCookiesAndWebAuthn: with an https public URL the portal's
// cookies are Secure although the listener is plain HTTP, and the WebAuthn
// relying party is the public host (a relying party on plain HTTP would
// only be allowed for localhost). Without the setting the cookies are not
// Secure (the listener is plain HTTP).
func TestPublicURLCookiesAndWebAuthn(t *testing.T) {
	for _, tc := range []struct {
		name       string
		publicURL  string
		wantSecure bool
		wantRPID   string
	}{
		{"https public url", testPublicURL, true, "id.example.test"},
		{"http public url", "http://idcenter.localhost:8080", false, "idcenter.localhost"},
		{"no public url", "", false, "localhost"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServerWith(t, func(c *config.Config) { c.PublicURL = tc.publicURL })
			resp, err := http.Get(ts.URL + "/start/signin")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			cookies := resp.Cookies()
			if resp.StatusCode != http.StatusOK || len(cookies) == 0 {
				t.Fatalf("sign-in page: %d, cookies %v", resp.StatusCode, cookies)
			}
			for _, c := range cookies {
				if c.Secure != tc.wantSecure {
					t.Errorf("cookie %s: Secure = %v, want %v", c.Name, c.Secure, tc.wantSecure)
				}
			}

			// A user without an MFA device signs in: the security key
			// registration options name the relying party.
			ctx := context.Background()
			err = ts.Store.Update(ctx, func(tx store.Tx) error {
				return tx.CreateUser(ctx, store.User{IdentityStoreID: ts.World.Instance.IdentityStoreID, UserID: "u-pia",
					UserName: "pia", Status: "ENABLED", CreatedAt: time.Now(), UpdatedAt: time.Now()})
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := ts.SignIn.SetPassword(ctx, "pia", "Correct-Horse-9"); err != nil {
				t.Fatal(err)
			}
			sess, err := ts.SignIn.Begin(ctx, "pia", "Correct-Horse-9", "")
			if err != nil {
				t.Fatalf("Begin: %v", err)
			}
			raw, err := ts.SignIn.BeginWebAuthnRegistration(ctx, sess.ID)
			if err != nil {
				t.Fatalf("BeginWebAuthnRegistration (next step %v): %v", sess.Next, err)
			}
			var opts struct { // PublicKeyCredentialCreationOptions
				RP struct {
					ID string `json:"id"`
				} `json:"rp"`
			}
			if err := json.Unmarshal(raw, &opts); err != nil {
				t.Fatalf("options %s: %v", raw, err)
			}
			if opts.RP.ID != tc.wantRPID {
				t.Errorf("rp.id = %q, want %q\n%s", opts.RP.ID, tc.wantRPID, raw)
			}
		})
	}
}

// TestPublicURLSAMLSP: with --public-url the SAML SP metadata's entity id,
// ACS and SLO URLs are under the public URL; an --sp-url stored with the
// identity source still wins.
func TestPublicURLSAMLSP(t *testing.T) {
	ts := startPublicServer(t)
	ctx := context.Background()
	idp := samltest.Start(t)
	metadata := func() string {
		t.Helper()
		resp, err := http.Get(ts.URL + "/saml/metadata")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		md, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("SP metadata: %d\n%s", resp.StatusCode, md)
		}
		return string(md)
	}
	if _, err := ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: idp.Metadata(t)}); err != nil {
		t.Fatal(err)
	}
	md := metadata()
	for _, want := range []string{`entityID="` + testPublicURL + `/saml/metadata"`, `Location="` + testPublicURL + `/saml/acs"`,
		`Location="` + testPublicURL + `/saml/slo"`} {
		if !strings.Contains(md, want) {
			t.Errorf("SP metadata lacks %s:\n%s", want, md)
		}
	}
	if strings.Contains(md, ts.URL) {
		t.Errorf("SP metadata names the listener %s:\n%s", ts.URL, md)
	}
	if _, err := ts.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: idp.Metadata(t), SPBaseURL: "https://sso.example.test"}); err != nil {
		t.Fatal(err)
	}
	if md := metadata(); !strings.Contains(md, `entityID="https://sso.example.test/saml/metadata"`) {
		t.Errorf("an explicit SP URL does not win over --public-url:\n%s", md)
	}
}

// TestPublicURLSCIM: SCIM resources' meta.location is under the public URL.
func TestPublicURLSCIM(t *testing.T) {
	ts := startPublicServer(t)
	c := newSCIM(t, ts)
	status, out := c.do(http.MethodPost, "Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"rita","name":{"givenName":"Rita","familyName":"Ora"},"displayName":"Rita Ora"}`)
	if status != http.StatusCreated {
		t.Fatalf("create user: %d %v", status, out)
	}
	meta, _ := out["meta"].(map[string]any)
	want := testPublicURL + "/" + ts.World.Instance.IdentityStoreID + "/scim/v2/Users/"
	if loc, _ := meta["location"].(string); !strings.HasPrefix(loc, want) {
		t.Errorf("meta.location = %q, want it under %s", loc, want)
	}
}

// TestPublicURLAdminURLs: the URLs the admin commands print (cli-config's
// endpoint and sso_start_url, scim-token create's endpoint) follow
// --public-url, else the listen address; a bad public URL is refused.
func TestPublicURLAdminURLs(t *testing.T) {
	for _, tc := range []struct {
		name                        string
		cfg                         config.Config
		wantStart, wantSCIM, wantEP string
	}{
		{"public url", config.Config{Listen: "127.0.0.1:7400", PublicURL: "https://id.example.test/"},
			"https://id.example.test/start", "https://id.example.test/d-1/scim/v2/", "https://id.example.test"},
		{"public url with a path", config.Config{Listen: "127.0.0.1:7400", PublicURL: "https://example.test/idcenter"},
			"https://example.test/idcenter/start", "https://example.test/idcenter/d-1/scim/v2/", "https://example.test/idcenter"},
		{"listen", config.Config{Listen: "127.0.0.1:7400"},
			"http://127.0.0.1:7400/start", "http://127.0.0.1:7400/d-1/scim/v2/", "http://127.0.0.1:7400"},
		{"listen with tls", config.Config{Listen: "idc.local:7400", TLSAuto: true},
			"https://idc.local:7400/start", "https://idc.local:7400/d-1/scim/v2/", "https://idc.local:7400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := app.SSOStartURL(tc.cfg); got != tc.wantStart {
				t.Errorf("SSOStartURL = %q, want %q", got, tc.wantStart)
			}
			if got := app.SCIMEndpoint(tc.cfg, "d-1"); got != tc.wantSCIM {
				t.Errorf("SCIMEndpoint = %q, want %q", got, tc.wantSCIM)
			}
			if got := app.CLIConfig(tc.cfg, false); !strings.Contains(got, "export AWS_ENDPOINT_URL="+tc.wantEP+"\n") {
				t.Errorf("CLIConfig:\n%s\nwant AWS_ENDPOINT_URL=%s", got, tc.wantEP)
			}
		})
	}
}
