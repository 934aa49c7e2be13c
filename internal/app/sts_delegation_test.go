package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/app"
	coreiam "github.com/idcenter/idcenter/internal/core/iam"
)

// The partner's policy template: ${userName} is a request parameter,
// ${aws:username} an IAM policy variable left alone.
const delegationTemplate = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["iam:ListUsers","iam:ListRoles"],"Resource":"*"},
 {"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${userName}"},
 {"Effect":"Allow","Action":"iam:ListAccessKeys","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}`

// The approver may do everything in IAM but list roles.
const approverPolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["iam:*"],"Resource":"*"},
 {"Effect":"Deny","Action":"iam:ListRoles","Resource":"*"}]}`

const partnerPolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["iam:CreateDelegationRequest","iam:GetDelegationRequest","sts:GetDelegatedAccessToken"],"Resource":"*"}]}`

type delegationWorld struct {
	ts                *testServer
	partner, approver *iam.Client
	partnerSTS        *sts.Client
	templateARN       string
}

func newDelegationWorld(t *testing.T, clk *clock) *delegationWorld {
	t.Helper()
	ctx := context.Background()
	ts := startServerOpts(t, app.Options{Now: clk.Now})
	root := iam.NewFromConfig(ts.rootConfig(t))
	user := func(name, policy string) *iam.Client {
		cfg := machineUser(t, ts, name, func(c *iam.Client) {
			mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
			mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name),
				PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)}))
		})
		return iam.NewFromConfig(cfg)
	}
	w := &delegationWorld{ts: ts}
	w.partner = user("partner", partnerPolicy)
	w.partnerSTS = sts.NewFromConfig(machineConfigOf(t, ts, "partner"))
	w.approver = user("alice", approverPolicy)
	mustDo[*iam.CreateUserOutput](t, "CreateUser bob")(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	mustDo[*iam.CreateUserOutput](t, "CreateUser carol")(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}))
	p := mustDo[*iam.CreatePolicyOutput](t, "CreatePolicy")(root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("PartnerTemplate"),
		PolicyDocument: aws.String(delegationTemplate)}))
	w.templateARN = aws.ToString(p.Policy.Arn)
	return w
}

// machineConfigOf signs as a second access key of an existing user.
func machineConfigOf(t *testing.T, ts *testServer, name string) aws.Config {
	t.Helper()
	key, err := iam.NewFromConfig(ts.rootConfig(t)).CreateAccessKey(context.Background(), &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateAccessKey %s: %v", name, err)
	}
	return ts.awsConfig(t, aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey))
}

// request creates a delegation request as the partner.
func (w *delegationWorld) request(t *testing.T, workflow, template string, duration int32) string {
	t.Helper()
	out, err := w.partner.CreateDelegationRequest(context.Background(), &iam.CreateDelegationRequestInput{
		Description: aws.String("set up monitoring"), RequestorWorkflowId: aws.String(workflow), OwnerAccountId: aws.String("123456789012"),
		NotificationChannel: aws.String("arn:aws:sns:us-east-1:123456789012:partner"), SessionDuration: aws.Int32(duration),
		Permissions: &iamtypes.DelegationPermission{PolicyTemplateArn: aws.String(template),
			Parameters: []iamtypes.PolicyParameter{{Name: aws.String("userName"), Values: []string{"alice", "bob"}, Type: iamtypes.PolicyParameterTypeEnumStringList}}}})
	if err != nil {
		t.Fatalf("CreateDelegationRequest: %v", err)
	}
	return aws.ToString(out.DelegationRequestId)
}

// accept associates and accepts a request as alice.
func (w *delegationWorld) accept(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	mustDo[*iam.AssociateDelegationRequestOutput](t, "AssociateDelegationRequest")(w.approver.AssociateDelegationRequest(ctx,
		&iam.AssociateDelegationRequestInput{DelegationRequestId: aws.String(id)}))
	mustDo[*iam.AcceptDelegationRequestOutput](t, "AcceptDelegationRequest")(w.approver.AcceptDelegationRequest(ctx,
		&iam.AcceptDelegationRequestInput{DelegationRequestId: aws.String(id)}))
}

func (w *delegationWorld) send(t *testing.T, id string) {
	t.Helper()
	mustDo[*iam.SendDelegationTokenOutput](t, "SendDelegationToken")(w.approver.SendDelegationToken(context.Background(),
		&iam.SendDelegationTokenInput{DelegationRequestId: aws.String(id)}))
}

func TestGetDelegatedAccessTokenSDK(t *testing.T) {
	ctx := context.Background()
	clk := &clock{}
	w := newDelegationWorld(t, clk)
	id := w.request(t, "workflow-1", w.templateARN, 900)

	// Nothing in the outbox before the token is sent.
	if _, err := w.ts.ReadDelegationToken(ctx, id); !errors.Is(err, coreiam.ErrNoDelegationToken) {
		t.Fatalf("outbox before sending: %v, want ErrNoDelegationToken", err)
	}
	w.accept(t, id)
	if _, err := w.ts.ReadDelegationToken(ctx, id); !errors.Is(err, coreiam.ErrNoDelegationToken) {
		t.Fatalf("outbox of an accepted, unsent request: %v, want ErrNoDelegationToken", err)
	}
	sentAt := time.Now()
	w.send(t, id)

	token, err := w.ts.ReadDelegationToken(ctx, id)
	if err != nil || !strings.HasPrefix(token, "idcdt."+id+".") {
		t.Fatalf("ReadDelegationToken = %q, %v", token, err)
	}
	if _, err := w.ts.ReadDelegationToken(ctx, id); !errors.Is(err, coreiam.ErrNoDelegationToken) {
		t.Fatalf("second outbox read: %v, want ErrNoDelegationToken", err)
	}

	// A forged token (right request, wrong secret) is refused and does not spend the real one.
	forged := token[:len(token)-4] + "AAAA"
	if forged == token {
		forged = token[:len(token)-4] + "BBBB"
	}
	_, err = w.partnerSTS.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(forged)})
	stsWantCode(t, err, "ExpiredTradeInTokenException")

	out, err := w.partnerSTS.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(token)})
	if err != nil {
		t.Fatalf("GetDelegatedAccessToken: %v", err)
	}
	const aliceARN = "arn:aws:iam::123456789012:user/alice"
	if aws.ToString(out.AssumedPrincipal) != aliceARN || !strings.HasPrefix(aws.ToString(out.Credentials.AccessKeyId), "ASIA") ||
		aws.ToString(out.Credentials.SessionToken) == "" || out.PackedPolicySize != nil {
		t.Fatalf("GetDelegatedAccessToken = %+v", out)
	}
	// The session lasts until the end of the delegation period (SessionDuration from SendDelegationToken).
	if exp := aws.ToTime(out.Credentials.Expiration); exp.Before(sentAt.Add(899*time.Second)) || exp.After(time.Now().Add(901*time.Second)) {
		t.Fatalf("Expiration %v, want about 900 s after %v", exp, sentAt)
	}

	cfg := sessionConfig(t, w.ts, out.Credentials)
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Arn) != aliceARN || !strings.HasPrefix(aws.ToString(who.UserId), "AIDA") {
		t.Fatalf("GetCallerIdentity = %+v, %v", who, err)
	}
	delegated := iam.NewFromConfig(cfg)
	calls := []struct {
		name    string
		call    func() error
		allowed bool
	}{
		{"ListUsers (template and alice allow)", func() error {
			_, err := delegated.ListUsers(ctx, &iam.ListUsersInput{})
			return err
		}, true},
		{"GetUser bob (a parameter value)", func() error {
			_, err := delegated.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})
			return err
		}, true},
		{"GetUser carol (not a parameter value)", func() error {
			_, err := delegated.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("carol")})
			return err
		}, false},
		{"ListAccessKeys of alice (${aws:username} left a policy variable)", func() error {
			_, err := delegated.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")})
			return err
		}, true},
		{"ListAccessKeys of bob", func() error {
			_, err := delegated.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("bob")})
			return err
		}, false},
		{"CreateUser (alice may, the template does not)", func() error {
			_, err := delegated.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
			return err
		}, false},
		{"ListRoles (the template may, alice may not)", func() error {
			_, err := delegated.ListRoles(ctx, &iam.ListRolesInput{})
			return err
		}, false},
	}
	for _, c := range calls {
		err := c.call()
		if c.allowed && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if !c.allowed {
			if err == nil {
				t.Errorf("%s: allowed, want AccessDenied", c.name)
			} else {
				wantAPIError(t, c.name, err, "AccessDenied")
			}
		}
	}

	// Single use.
	_, err = w.partnerSTS.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(token)})
	if ae := stsWantCode(t, err, "ExpiredTradeInTokenException"); !strings.Contains(ae.ErrorMessage(), "already been exchanged") {
		t.Fatalf("reuse message %q", ae.ErrorMessage())
	}
	// Garbage.
	for _, bad := range []string{"not-a-token", "idcdt.00000000-0000-0000-0000-000000000000.AAAA"} {
		_, err = w.partnerSTS.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(bad)})
		stsWantCode(t, err, "ExpiredTradeInTokenException")
	}
}

func TestGetDelegatedAccessTokenRefusals(t *testing.T) {
	ctx := context.Background()
	clk := &clock{}
	w := newDelegationWorld(t, clk)

	// Expired: sent 4 minutes "ago" with a 300 s delegation period.
	clk.offset.Store(int64(-4 * time.Minute))
	expiring := w.request(t, "wf-expiring", w.templateARN, 300)
	w.accept(t, expiring)
	w.send(t, expiring)
	clk.offset.Store(0)
	expToken, err := w.ts.ReadDelegationToken(ctx, expiring)
	if err != nil {
		t.Fatalf("ReadDelegationToken: %v", err)
	}
	clk.offset.Store(int64(2 * time.Minute))
	_, err = w.partnerSTS.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(expToken)})
	if ae := stsWantCode(t, err, "ExpiredTradeInTokenException"); !strings.Contains(ae.ErrorMessage(), "expired") {
		t.Fatalf("expired message %q", ae.ErrorMessage())
	}
	clk.offset.Store(0)

	// Rejected after acceptance: no token is ever issued.
	rejected := w.request(t, "wf-rejected", w.templateARN, 900)
	w.accept(t, rejected)
	mustDo[*iam.RejectDelegationRequestOutput](t, "RejectDelegationRequest")(w.approver.RejectDelegationRequest(ctx,
		&iam.RejectDelegationRequestInput{DelegationRequestId: aws.String(rejected)}))
	_, err = w.approver.SendDelegationToken(ctx, &iam.SendDelegationTokenInput{DelegationRequestId: aws.String(rejected)})
	wantAPIError(t, "SendDelegationToken of a rejected request", err, "InvalidInput")
	if _, err := w.ts.ReadDelegationToken(ctx, rejected); !errors.Is(err, coreiam.ErrNoDelegationToken) {
		t.Fatalf("outbox of a rejected request: %v", err)
	}

	// A template idcenter cannot resolve: the token exists but is refused, unspent.
	unknown := w.request(t, "wf-unknown", "arn:aws:iam::aws:policy/template/ReadOnly", 900)
	w.accept(t, unknown)
	w.send(t, unknown)
	tok, err := w.ts.ReadDelegationToken(ctx, unknown)
	if err != nil {
		t.Fatalf("ReadDelegationToken: %v", err)
	}
	_, err = w.partnerSTS.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(tok)})
	if ae := stsWantCode(t, err, "AccessDenied"); !strings.Contains(ae.ErrorMessage(), "not in idcenter's AWS managed policy catalog") {
		t.Fatalf("unresolvable template message %q", ae.ErrorMessage())
	}

	// The template is frozen at acceptance: widening it afterwards grants nothing more.
	root := iam.NewFromConfig(w.ts.rootConfig(t))
	frozen := w.request(t, "wf-frozen", w.templateARN, 900)
	w.accept(t, frozen)
	mustDo[*iam.CreatePolicyVersionOutput](t, "CreatePolicyVersion")(root.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{
		PolicyArn: aws.String(w.templateARN), SetAsDefault: true,
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`)}))
	w.send(t, frozen)
	tok, err = w.ts.ReadDelegationToken(ctx, frozen)
	if err != nil {
		t.Fatalf("ReadDelegationToken: %v", err)
	}
	out, err := w.partnerSTS.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(tok)})
	if err != nil {
		t.Fatalf("GetDelegatedAccessToken: %v", err)
	}
	_, err = iam.NewFromConfig(sessionConfig(t, w.ts, out.Credentials)).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
	wantAPIError(t, "CreateUser after widening the template", err, "AccessDenied")

	// Without sts:GetDelegatedAccessToken the caller is denied before the token is looked at.
	_, err = sts.NewFromConfig(machineConfigOf(t, w.ts, "bob")).GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(tok)})
	wantAPIError(t, "GetDelegatedAccessToken without permission", err, "AccessDenied")
}

// A role session that accepts a request maps the delegated credentials to
// that role session, limited by the template.
func TestGetDelegatedAccessTokenForRoleSession(t *testing.T) {
	ctx := context.Background()
	w := newDelegationWorld(t, &clock{})
	roleARN := createRole(t, w.ts, "Approver", trustPolicy("123456789012"), approverPolicy, 0)
	as, err := sts.NewFromConfig(w.ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("reviewer")})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	w.approver = iam.NewFromConfig(sessionConfig(t, w.ts, as.Credentials))
	id := w.request(t, "workflow-role", w.templateARN, 900)
	w.accept(t, id)
	w.send(t, id)
	token, err := w.ts.ReadDelegationToken(ctx, id)
	if err != nil {
		t.Fatalf("ReadDelegationToken: %v", err)
	}
	out, err := w.partnerSTS.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(token)})
	const sessionARN = "arn:aws:sts::123456789012:assumed-role/Approver/reviewer"
	if err != nil || aws.ToString(out.AssumedPrincipal) != sessionARN {
		t.Fatalf("GetDelegatedAccessToken = %+v, %v", out, err)
	}
	cfg := sessionConfig(t, w.ts, out.Credentials)
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Arn) != sessionARN || !strings.HasPrefix(aws.ToString(who.UserId), "AROA") {
		t.Fatalf("GetCallerIdentity = %+v, %v", who, err)
	}
	delegated := iam.NewFromConfig(cfg)
	if _, err := delegated.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	_, err = delegated.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
	wantAPIError(t, "CreateUser", err, "AccessDenied")
	_, err = delegated.ListRoles(ctx, &iam.ListRolesInput{})
	wantAPIError(t, "ListRoles (denied to the role)", err, "AccessDenied")
}

// The usual shape: the partner in its own account, the customer in another.
// Only the requesting account can exchange the token.
func TestGetDelegatedAccessTokenAcrossAccounts(t *testing.T) {
	ctx := context.Background()
	w := newDelegationWorld(t, &clock{})
	partnerAcct, partnerCfg := newMemberAccount(t, w.ts, organizations.NewFromConfig(w.ts.rootConfig(t)), "partner")
	partnerIAM := iam.NewFromConfig(partnerCfg)
	tpl := strings.ReplaceAll(delegationTemplate, `"Action":["iam:ListUsers","iam:ListRoles"]`, `"Action":["iam:ListUsers"]`)
	p, err := partnerIAM.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Onboarding"), PolicyDocument: aws.String(tpl)})
	if err != nil {
		t.Fatalf("CreatePolicy in the partner account: %v", err)
	}
	w.partner = partnerIAM
	id := w.request(t, "workflow-cross", aws.ToString(p.Policy.Arn), 900)
	w.accept(t, id)
	w.send(t, id)
	token, err := w.ts.ReadDelegationToken(ctx, id)
	if err != nil {
		t.Fatalf("ReadDelegationToken: %v", err)
	}
	// The customer's own account (root, allowed everything) cannot exchange it.
	_, err = sts.NewFromConfig(w.ts.rootConfig(t)).GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(token)})
	stsWantCode(t, err, "ExpiredTradeInTokenException")

	out, err := sts.NewFromConfig(partnerCfg).GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(token)})
	if err != nil || aws.ToString(out.AssumedPrincipal) != "arn:aws:iam::123456789012:user/alice" {
		t.Fatalf("GetDelegatedAccessToken from %s = %+v, %v", partnerAcct, out, err)
	}
	delegated := iam.NewFromConfig(sessionConfig(t, w.ts, out.Credentials))
	users, err := delegated.ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	found := false
	for _, u := range users.Users {
		found = found || aws.ToString(u.UserName) == "alice"
	}
	if !found {
		t.Fatalf("ListUsers lists the partner's account, not the customer's: %+v", users.Users)
	}
	_, err = delegated.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("carol")})
	wantAPIError(t, "DeleteUser", err, "AccessDenied")
}

// Exchanges racing with one token: exactly one gets credentials.
func TestGetDelegatedAccessTokenOnceUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	w := newDelegationWorld(t, &clock{})
	id := w.request(t, "workflow-race", w.templateARN, 900)
	w.accept(t, id)
	w.send(t, id)
	token, err := w.ts.ReadDelegationToken(ctx, id)
	if err != nil {
		t.Fatalf("ReadDelegationToken: %v", err)
	}
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := w.partnerSTS.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(token)})
			errs <- err
		}()
	}
	ok := 0
	for range n {
		if err := <-errs; err == nil {
			ok++
		} else {
			stsWantCode(t, err, "ExpiredTradeInTokenException")
		}
	}
	if ok != 1 {
		t.Fatalf("%d exchanges succeeded, want 1", ok)
	}
}
