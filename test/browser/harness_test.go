package browser_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/browsertest"
	"github.com/idcenter/idcenter/internal/config"
)

// stepTimeout bounds one browser action (a navigation, a click and the page it
// loads, a query). It is generous: it is a bound, not a measurement.
const stepTimeout = 30 * time.Second

// ---- the browser ----

// The package's one Chromium is internal/browsertest's (started on first use).
func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Stop()
	os.Exit(code)
}

// page is one browser tab in its own browser context (own cookies), closed
// when the test ends. When the test failed, the page is saved first.
type page struct {
	t   *testing.T
	ctx context.Context
	srv *server
}

func newPage(t *testing.T, srv *server) *page {
	t.Helper()
	return &page{t: t, ctx: browsertest.NewTab(t), srv: srv}
}

// run runs f with a context bounded by stepTimeout.
func (p *page) run(f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	return f(ctx)
}

// open navigates to path (relative to the server) and waits for the page.
func (p *page) open(path string) *network.Response {
	p.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = p.srv.URL + path
	}
	var resp *network.Response
	err := p.run(func(ctx context.Context) error {
		var err error
		resp, err = chromedp.Run(ctx, chromedp.NavigateResponse(u))
		return err
	})
	if err != nil {
		p.t.Fatalf("open %s: %v", u, err)
	}
	return resp
}

// submit runs actions that send a form (a click, or Enter in a field) and
// waits until the page they lead to has loaded.
func (p *page) submit(what string, actions ...chromedp.Action[chromedp.Void]) *network.Response {
	p.t.Helper()
	var resp *network.Response
	err := p.run(func(ctx context.Context) error {
		var err error
		resp, err = chromedp.RunResponse(ctx, actions...)
		return err
	})
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	return resp
}

// do runs actions that stay on the page.
func (p *page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := p.run(func(ctx context.Context) error { return chromedp.Do(ctx, actions...) }); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// text is the visible text of the first element matching the CSS selector.
func (p *page) text(sel string) string {
	p.t.Helper()
	var s string
	err := p.run(func(ctx context.Context) error {
		var err error
		s, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		return err
	})
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// body is the visible text of the page.
func (p *page) body() string { p.t.Helper(); return p.text("body") }

// has reports whether an element matches the CSS selector now (no waiting).
func (p *page) has(sel string) bool {
	p.t.Helper()
	var n int
	err := p.run(func(ctx context.Context) error {
		var err error
		n, err = chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
		return err
	})
	if err != nil {
		p.t.Fatalf("query %s: %v", sel, err)
	}
	return n > 0
}

// path is the path of the page's URL.
func (p *page) path() string {
	p.t.Helper()
	var loc string
	if err := p.run(func(ctx context.Context) error {
		var err error
		loc, err = chromedp.Run(ctx, chromedp.Location())
		return err
	}); err != nil {
		p.t.Fatalf("location: %v", err)
	}
	if !strings.HasPrefix(loc, p.srv.URL) {
		p.t.Fatalf("the browser left the server: %s", loc)
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(loc, p.srv.URL), "?")
	return path
}

// focused waits (up to a generous bound) until the element with the id has
// the keyboard focus, and returns the id of the element that has it.
// Browsers apply autofocus after the page has loaded, not at once.
func (p *page) focused(want string) string {
	p.t.Helper()
	var id string
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := p.run(func(ctx context.Context) error {
			var err error
			id, err = chromedp.Run(ctx, chromedp.Evaluate[string]("document.activeElement ? document.activeElement.id : ''"))
			return err
		}); err != nil {
			p.t.Fatalf("focused element: %v", err)
		}
		if id == want || time.Now().After(deadline) {
			return id
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// attr is the value of an attribute of the first element matching the CSS
// selector ("" when it has none).
func (p *page) attr(sel, name string) string {
	p.t.Helper()
	var r chromedp.AttributeResult
	err := p.run(func(ctx context.Context) error {
		var err error
		r, err = chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name, chromedp.NodeReady))
		return err
	})
	if err != nil {
		p.t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return r.Value
}

// focusedText is the text of the element that has the keyboard focus.
func (p *page) focusedText() string {
	p.t.Helper()
	var s string
	if err := p.run(func(ctx context.Context) error {
		var err error
		s, err = chromedp.Run(ctx, chromedp.Evaluate[string]("document.activeElement ? document.activeElement.innerText.trim() : ''"))
		return err
	}); err != nil {
		p.t.Fatalf("focused element: %v", err)
	}
	return s
}

// js runs a script for its effect.
func js(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](expr)(ctx, t)
		return err
	})
}

// fill types v into the field with the id, as a person does (focus, keys).
func fill(id, v string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.ID(id)),
		chromedp.Focus(chromedp.ID(id)),
		chromedp.KeyEvent(v),
	)
}

// click clicks the button whose text is label, inside the form of action.
func click(formAction, label string) chromedp.Action[chromedp.Void] {
	xp := fmt.Sprintf(`//form[@action=%q]//button[normalize-space(.)=%q]`, formAction, label)
	return chromedp.Click(chromedp.Search(xp), chromedp.NodeVisible)
}

// enter presses Enter in the focused field.
func enter() chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(kb.Enter) }

// wantPath fails the test unless the browser is at path.
func (p *page) wantPath(when, path string) {
	p.t.Helper()
	if got := p.path(); got != path {
		p.t.Fatalf("%s: the browser is at %s, want %s\n%s", when, got, path, p.body())
	}
}

// wantText fails the test unless the page's visible text contains each of want.
func (p *page) wantText(when string, want ...string) {
	p.t.Helper()
	b := p.body()
	for _, w := range want {
		if !strings.Contains(b, w) {
			p.t.Fatalf("%s: the page does not say %q:\n%s", when, w, b)
		}
	}
}

// ---- sign-in steps ----

// signInPassword enters the user name and the password on the sign-in page
// the browser is on, clicking the buttons.
func (p *page) signInPassword(user, password string) *network.Response {
	p.t.Helper()
	p.wantPath("before the user name", "/start/signin")
	p.submit("user name", fill("username", user), click("/start/signin", "Next"))
	p.wantPath("before the password", "/start/signin")
	if got := p.text("main strong"); got != user {
		p.t.Fatalf("the password step shows the user name %q, want %q", got, user)
	}
	return p.submit("password", fill("password", password), click("/start/signin", "Sign in"))
}

// signInMFA enters a TOTP code on the MFA page the browser is on.
func (p *page) signInMFA(code string) *network.Response {
	p.t.Helper()
	p.wantPath("before the MFA code", "/start/mfa")
	return p.submit("MFA code", fill("code", code), click("/start/mfa", "Sign in"))
}

// signOut clicks Sign out in the header.
func (p *page) signOut() {
	p.t.Helper()
	p.submit("sign out", click("/start/signout", "Sign out"))
	p.wantText("after sign-out", "You have signed out.")
}

// ---- the server ----

// server is an in-process idcenter with root SDK clients.
type server struct {
	*app.Server
	URL string
	cfg aws.Config
	ids *identitystore.Client
	sso *ssoadmin.Client
}

func startServer(t *testing.T) *server {
	t.Helper()
	browsertest.Require(t) // before the server: a skipped test costs nothing
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = t.TempDir()
	cfg.RootAccessKeyID = "AKIABROWSERTEST00001"
	cfg.RootSecretAccessKey = "idcenter/browser/test/secret/0123456789ab"
	s, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatalf("open server: %v", err)
	}
	hs := httptest.NewServer(s.Handler)
	s.SetBaseURL(hs.URL)
	t.Cleanup(func() {
		hs.Close()
		if err := s.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
	})
	ac := aws.Config{
		Region:       s.World.Instance.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(s.World.RootKey.AccessKeyID, s.World.RootKey.SecretAccessKey, ""),
		BaseEndpoint: aws.String(hs.URL),
		HTTPClient:   &http.Client{},
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
	return &server{Server: s, URL: hs.URL, cfg: ac, ids: identitystore.NewFromConfig(ac), sso: ssoadmin.NewFromConfig(ac)}
}

// user is an identity store user with a password, and the TOTP secret of its
// device once it has one.
type user struct {
	Name, ID, Password string
	Secret             string
	lastStep           int64 // the newest TOTP time step used (codes are single-use)
}

// createUser makes an identity store user through the SDK and sets its
// password.
func (s *server) createUser(t *testing.T, name string) *user {
	t.Helper()
	ctx := context.Background()
	out, err := s.ids.CreateUser(ctx, &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(s.World.Instance.IdentityStoreID), UserName: aws.String(name),
		DisplayName: aws.String(name), Name: &idtypes.Name{GivenName: aws.String(name), FamilyName: aws.String("Test")}})
	if err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	u := &user{Name: name, ID: aws.ToString(out.UserId), Password: "Correct-Horse-9-" + name}
	if err := s.SignIn.SetPassword(ctx, name, u.Password); err != nil {
		t.Fatalf("SetPassword %s: %v", name, err)
	}
	return u
}

// registerTOTP gives the user a TOTP device through the sign-in core (as a
// first sign-in would), so that a browser sign-in asks for a code.
func (s *server) registerTOTP(t *testing.T, u *user) {
	t.Helper()
	ctx := context.Background()
	sess, err := s.SignIn.Begin(ctx, u.Name, u.Password, "")
	if err != nil {
		t.Fatalf("Begin %s: %v", u.Name, err)
	}
	en, err := s.SignIn.BeginTOTPRegistration(ctx, sess.ID)
	if err != nil {
		t.Fatalf("BeginTOTPRegistration: %v", err)
	}
	u.Secret = en.Secret
	if _, _, err := s.SignIn.RegisterTOTP(ctx, sess.ID, en.Secret, u.code(t), "test device"); err != nil {
		t.Fatalf("RegisterTOTP: %v", err)
	}
	if err := s.SignIn.End(ctx, sess.ID); err != nil {
		t.Fatalf("End: %v", err)
	}
}

// code is a TOTP code of the user's device that was not used before: the
// current time step's, or a later one within the server's ±1 step window
// (waiting for the clock when even that is used).
func (u *user) code(t *testing.T) string {
	t.Helper()
	const period = 30
	for {
		now := time.Now()
		cur := now.Unix() / period
		st := max(cur, u.lastStep+1)
		if st <= cur+1 {
			u.lastStep = st
			return totpCode(t, u.Secret, time.Unix(st*period, 0))
		}
		time.Sleep(time.Duration(st-1)*period*time.Second - time.Duration(now.UnixNano()) + 100*time.Millisecond)
	}
}

// wrongCode is a six-digit code that no time step near now accepts.
func (u *user) wrongCode(t *testing.T) string {
	t.Helper()
	valid := map[string]bool{}
	for d := int64(-3); d <= 3; d++ {
		valid[totpCode(t, u.Secret, time.Now().Add(time.Duration(d)*30*time.Second))] = true
	}
	for _, c := range []string{"000000", "111111", "222222"} {
		if !valid[c] {
			return c
		}
	}
	t.Fatal("no wrong code")
	return ""
}

// withGroupAssignment puts the user in a new group and assigns the group the
// permission set setName (created here) in the management account, waiting
// until the assignment is provisioned.
func (s *server) withGroupAssignment(t *testing.T, u *user, group, setName string) {
	t.Helper()
	ctx := context.Background()
	store := aws.String(s.World.Instance.IdentityStoreID)
	g, err := s.ids.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: store, DisplayName: aws.String(group)})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	if _, err := s.ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: store,
		GroupId: g.GroupId, MemberId: &idtypes.MemberIdMemberUserId{Value: u.ID}}); err != nil {
		t.Fatalf("CreateGroupMembership: %v", err)
	}
	inst := aws.String(s.World.Instance.ARN)
	ps, err := s.sso.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: inst, Name: aws.String(setName),
		SessionDuration: aws.String("PT2H")})
	if err != nil {
		t.Fatalf("CreatePermissionSet: %v", err)
	}
	out, err := s.sso.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: inst,
		PermissionSetArn: ps.PermissionSet.PermissionSetArn, TargetId: aws.String(s.managementAccount()),
		TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: g.GroupId})
	if err != nil {
		t.Fatalf("CreateAccountAssignment: %v", err)
	}
	id := out.AccountAssignmentCreationStatus.RequestId
	deadline := time.Now().Add(time.Minute)
	for {
		st, err := s.sso.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{
			InstanceArn: inst, AccountAssignmentCreationRequestId: id})
		if err != nil {
			t.Fatalf("DescribeAccountAssignmentCreationStatus: %v", err)
		}
		switch st.AccountAssignmentCreationStatus.Status {
		case ssotypes.StatusValuesSucceeded:
			return
		case ssotypes.StatusValuesFailed:
			t.Fatalf("assignment failed: %s", aws.ToString(st.AccountAssignmentCreationStatus.FailureReason))
		}
		if time.Now().After(deadline) {
			t.Fatal("the assignment is still IN_PROGRESS after a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *server) managementAccount() string { return s.World.Organization.ManagementAccountID }

func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("TOTP code: %v", err)
	}
	return c
}
