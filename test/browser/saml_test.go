package browser_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/chromedp/chromedp"

	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/samltest"
)

// withSAMLIdP makes a real SAML IdP (crewjam/saml's samlidp, in the test)
// the identity source of srv, with the user known to it, and registers
// idcenter's SP metadata with it.
func (s *server) withSAMLIdP(t *testing.T, userName, idpPassword string) *samltest.IdP {
	t.Helper()
	idp := samltest.Start(t)
	idp.AddUser(t, userName, idpPassword)
	if _, err := s.Federation.SetExternalSAML(context.Background(), federation.ExternalSAML{Metadata: idp.Metadata(t),
		MetadataSource: idp.MetadataURL()}); err != nil {
		t.Fatalf("SetExternalSAML: %v", err)
	}
	resp, err := http.Get(s.URL + "/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	md, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/saml/metadata: %s", resp.Status)
	}
	idp.RegisterSP(t, md)
	return idp
}

// location is the browser's URL.
func (p *page) location() string {
	p.t.Helper()
	var loc string
	if err := p.run(func(ctx context.Context) error {
		var err error
		loc, err = chromedp.Run(ctx, chromedp.Location())
		return err
	}); err != nil {
		p.t.Fatalf("location: %v", err)
	}
	return loc
}

// waitForURL waits (a hang guard, not a timing check) until the browser's
// URL starts with prefix and the page says want.
func (p *page) waitForURL(when, prefix, want string) {
	p.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		loc := p.location()
		if strings.HasPrefix(loc, prefix) {
			var body string
			_ = p.run(func(ctx context.Context) error {
				var err error
				body, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body"), chromedp.NodeReady))
				return err
			})
			if strings.Contains(body, want) {
				return
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: the browser is at %s, want %s saying %q", when, loc, prefix, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// signInAtIdP fills the IdP's login form (fields user and password) the
// browser is on and submits it; the IdP's page then posts the response to
// idcenter's ACS by itself.
func (p *page) signInAtIdP(idp *samltest.IdP, user, password string) {
	p.t.Helper()
	if loc := p.location(); !strings.HasPrefix(loc, idp.URL+"/sso") {
		p.t.Fatalf("the browser is at %s, want the IdP's sign-in page", loc)
	}
	p.do("IdP sign-in", chromedp.SendKeys(chromedp.CSS(`input[name="user"]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(`input[type="submit"]`), chromedp.NodeVisible))
}

// TestSAMLSignInBrowser: with an external SAML IdP as identity source, the
// start URL sends Chromium to the IdP, the user signs in there (no idcenter
// password, no idcenter MFA), and comes back to the portal signed in, seeing
// the accounts assigned to the user's group and getting role credentials.
// Signing out of the portal signs out at the IdP too (single logout), so
// the next sign-in asks for the IdP password again.
func TestSAMLSignInBrowser(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "alice@example.com")
	srv.withGroupAssignment(t, u, "devops", "DevOps")
	idp := srv.withSAMLIdP(t, u.Name, "Idp-Password-1")
	p := newPage(t, srv)

	p.open("/start")
	p.signInAtIdP(idp, u.Name, "Idp-Password-1")
	p.waitForURL("after the IdP", srv.URL+"/start", "Signed in as alice@example.com")
	p.wantPath("after the IdP", "/start")
	p.wantText("the accounts page", srv.managementAccount(), "DevOps")

	// Sign out is a single logout: through the IdP (its session ends too)
	// and back to /saml/slo; the next visit asks for the IdP password.
	p.submit("sign out", click("/start/signout", "Sign out"))
	p.waitForURL("after sign-out", srv.URL+"/saml/slo", "You have signed out here and at your identity provider.")
	p.open("/start")
	p.waitForURL("again, after the single logout", idp.URL+"/sso", "")
	p.signInAtIdP(idp, u.Name, "Idp-Password-1")
	p.waitForURL("signed in again", srv.URL+"/start", "Signed in as alice@example.com")
}

// TestSAMLSignInUnknownUser: a user the IdP knows but the identity store
// does not (not provisioned) gets a clear page and no session.
func TestSAMLSignInUnknownUser(t *testing.T) {
	srv := startServer(t)
	idp := srv.withSAMLIdP(t, "carol@example.com", "Idp-Password-1")
	p := newPage(t, srv)
	p.open("/start")
	p.signInAtIdP(idp, "carol@example.com", "Idp-Password-1")
	p.waitForURL("after the IdP", srv.URL+"/saml/acs", "the identity store has no user with that user name")
	// No portal session: /start goes through the IdP (whose own session
	// answers at once) and is refused again.
	p.open("/start")
	p.waitForURL("the portal again", srv.URL+"/saml/acs", "the identity store has no user with that user name")
	if strings.Contains(p.body(), "Signed in as") {
		t.Fatal("a refused user is shown as signed in")
	}
}

// TestSAMLDeviceApprovalBrowser: the device flow's verification URL, opened
// signed out, goes through the IdP and comes back to the confirmation page,
// where Chromium approves; the token is the IdP-authenticated user's.
func TestSAMLDeviceApprovalBrowser(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "alice@example.com")
	srv.withGroupAssignment(t, u, "devops", "DevOps")
	idp := srv.withSAMLIdP(t, u.Name, "Idp-Password-1")
	ctx := context.Background()
	oc := ssooidc.NewFromConfig(srv.cfg)
	reg, err := oc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-my-sso"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	dev, err := oc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
		ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.URL + "/start")})
	if err != nil {
		t.Fatalf("StartDeviceAuthorization: %v", err)
	}
	p := newPage(t, srv)
	p.open(aws.ToString(dev.VerificationUriComplete))
	p.signInAtIdP(idp, u.Name, "Idp-Password-1")
	p.waitForURL("after the IdP", srv.URL+"/start/device", "Is this the code your terminal shows?")
	if got := p.text("#user-code"); got != aws.ToString(dev.UserCode) {
		t.Fatalf("the confirmation page shows the code %q, want %q", got, aws.ToString(dev.UserCode))
	}
	p.submit("approve", click("/start/device", "Confirm and continue"))
	p.wantText("after approving", "Request approved.")
	tok, err := oc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String(grantDeviceCode), DeviceCode: dev.DeviceCode})
	if err != nil {
		t.Fatalf("CreateToken after approval: %v", err)
	}
	roles, err := sso.NewFromConfig(srv.cfg).ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(srv.managementAccount())})
	if err != nil || len(roles.RoleList) != 1 || aws.ToString(roles.RoleList[0].RoleName) != "DevOps" {
		t.Fatalf("ListAccountRoles with the approved token = %+v, %v", roles, err)
	}
}
