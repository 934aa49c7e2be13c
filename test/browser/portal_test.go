package browser_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const grantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

// TestDeviceCodeApproveAndDeny: device authorizations started with the real
// ssooidc client are approved and denied in the browser; CreateToken then
// gives a token of the signed-in user, or AccessDeniedException.
func TestDeviceCodeApproveAndDeny(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "Bojan")
	srv.registerTOTP(t, u)
	srv.withGroupAssignment(t, u, "devops", "DevOps")
	ctx := context.Background()
	oc := ssooidc.NewFromConfig(srv.cfg)
	reg, err := oc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-my-sso"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	start := func() *ssooidc.StartDeviceAuthorizationOutput {
		t.Helper()
		out, err := oc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
			ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.URL + "/start")})
		if err != nil {
			t.Fatalf("StartDeviceAuthorization: %v", err)
		}
		return out
	}
	token := func(dev *ssooidc.StartDeviceAuthorizationOutput) (*ssooidc.CreateTokenOutput, error) {
		return oc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String(grantDeviceCode), DeviceCode: dev.DeviceCode})
	}
	p := newPage(t, srv)

	// Approve: the verification URL leads through the sign-in and back.
	dev := start()
	code := aws.ToString(dev.UserCode)
	p.open(aws.ToString(dev.VerificationUriComplete))
	p.wantPath("the verification URL, signed out", "/start/signin")
	p.signInPassword(u.Name, u.Password)
	p.signInMFA(u.code(t))
	p.wantPath("after the sign-in", "/start/device")
	p.wantText("the confirmation page", "Is this the code your terminal shows?", "botocore-client-my-sso", "sso:account:access")
	if got := p.text("#user-code"); got != code {
		t.Fatalf("the confirmation page shows the code %q, want %q", got, code)
	}
	p.submit("approve", click("/start/device", "Confirm and continue"))
	p.wantText("after approving", "Request approved.")
	tok, err := token(dev)
	if err != nil {
		t.Fatalf("CreateToken after approval: %v", err)
	}
	if aws.ToString(tok.AccessToken) == "" {
		t.Fatalf("CreateToken after approval = %+v", tok)
	}
	// The token is the signed-in user's: it lists the user's account.
	accts, err := sso.NewFromConfig(srv.cfg).ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken})
	if err != nil || len(accts.AccountList) != 1 || aws.ToString(accts.AccountList[0].AccountId) != srv.managementAccount() {
		t.Fatalf("ListAccounts with the approved token = %+v, %v", accts, err)
	}

	// Deny: signed in already, the page asks at once.
	dev = start()
	p.open(aws.ToString(dev.VerificationUriComplete))
	p.wantPath("the second verification URL", "/start/device")
	if got := p.text("#user-code"); got != aws.ToString(dev.UserCode) {
		t.Fatalf("the confirmation page shows the code %q, want %q", got, aws.ToString(dev.UserCode))
	}
	p.submit("deny", click("/start/device", "Deny"))
	p.wantText("after denying", "Request denied.")
	_, err = token(dev)
	var denied *oidctypes.AccessDeniedException
	if !errors.As(err, &denied) {
		t.Fatalf("CreateToken after denial: %v, want AccessDeniedException", err)
	}

	// A code typed by hand (lower case, as a person may) on the bare page.
	dev = start()
	p.open("/start/device")
	p.submit("type the code", fill("user_code", strings.ToLower(aws.ToString(dev.UserCode))), enter())
	if got := p.text("#user-code"); got != aws.ToString(dev.UserCode) {
		t.Fatalf("the typed code leads to %q, want %q", got, aws.ToString(dev.UserCode))
	}
	// An unknown code is an error, not a confirmation page.
	p.open("/start/device?user_code=ZZZZ-ZZZZ")
	if got := p.text("#error"); !strings.Contains(got, "not valid") || p.has("#user-code") {
		t.Fatalf("an unknown code: error %q", got)
	}
}

// TestAccountsAndCommandLineAccess: the accounts page lists the account and
// role assigned through a group; the command line access panel shows the
// export lines of working short-term credentials.
func TestAccountsAndCommandLineAccess(t *testing.T) {
	srv := startServer(t)
	u := srv.createUser(t, "Bojan")
	srv.registerTOTP(t, u)
	srv.withGroupAssignment(t, u, "devops", "DevOps")
	other := srv.createUser(t, "Ana") // no assignment
	srv.registerTOTP(t, other)
	acct := srv.managementAccount()
	p := newPage(t, srv)

	p.open("/start")
	p.signInPassword(u.Name, u.Password)
	p.signInMFA(u.code(t))
	p.wantPath("signed in", "/start")
	section := p.text("#acct-" + acct)
	if !strings.Contains(section, acct) {
		t.Fatalf("the account heading %q does not show the account id %s", section, acct)
	}
	p.wantText("the accounts page", "AWS accounts", "DevOps", "Command line or programmatic access")

	p.submit("command line access", click("/start/credentials", "Command line or programmatic access"))
	p.wantPath("the command line access panel", "/start/credentials")
	if got := p.text("#cli-heading"); got != "Command line access: DevOps in "+acct {
		t.Fatalf("the panel's heading is %q", got)
	}
	lines := p.text("#export-lines")
	vals := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^export (AWS_[A-Z_]+)="([^"]*)"$`).FindAllStringSubmatch(lines, -1) {
		vals[m[1]] = m[2]
	}
	if !strings.HasPrefix(vals["AWS_ACCESS_KEY_ID"], "ASIA") || vals["AWS_SECRET_ACCESS_KEY"] == "" || vals["AWS_SESSION_TOKEN"] == "" {
		t.Fatalf("the export lines are not complete short-term credentials:\n%s", lines)
	}
	if !strings.Contains(lines, `export AWS_ACCESS_KEY_ID="`+vals["AWS_ACCESS_KEY_ID"]+`"`) {
		t.Fatalf("no export AWS_ACCESS_KEY_ID= line:\n%s", lines)
	}
	// The credentials on the page work: they are a session of the role.
	cfg := srv.cfg.Copy()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(vals["AWS_ACCESS_KEY_ID"], vals["AWS_SECRET_ACCESS_KEY"], vals["AWS_SESSION_TOKEN"])
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with the page's credentials: %v", err)
	}
	arn := regexp.MustCompile(`^arn:aws:sts::` + acct + `:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]+/Bojan$`)
	if !arn.MatchString(aws.ToString(id.Arn)) {
		t.Fatalf("GetCallerIdentity = %s", aws.ToString(id.Arn))
	}

	// After sign-out, another user without assignments sees no account.
	p.signOut()
	p.open("/start")
	p.signInPassword(other.Name, other.Password)
	p.signInMFA(other.code(t))
	p.wantPath("Ana signed in", "/start")
	p.wantText("Ana's accounts page", "Signed in as Ana", "You have no AWS accounts assigned.")
	if p.has("#acct-" + acct) {
		t.Fatal("Ana sees Bojan's account")
	}
}
