package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

const listUsersAndGroups = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["identitystore:ListUsers","identitystore:ListGroups"],"Resource":"*"}]}`

func trustPolicy(principal string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"}]}`
}

// sessionConfig signs with temporary credentials.
func sessionConfig(t *testing.T, ts *testServer, c *ststypes.Credentials) aws.Config {
	cfg := ts.awsConfig(t, "", "")
	cfg.Credentials = awscreds.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	return cfg
}

// createRole creates a role with a trust policy and an inline policy as root.
func createRole(t *testing.T, ts *testServer, name, trust, inline string, maxSession int32) string {
	t.Helper()
	ctx := context.Background()
	root := iam.NewFromConfig(ts.rootConfig(t))
	in := &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}
	if maxSession > 0 {
		in.MaxSessionDuration = aws.Int32(maxSession)
	}
	out, err := root.CreateRole(ctx, in)
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	if inline != "" {
		if _, err := root.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(inline)}); err != nil {
			t.Fatalf("PutRolePolicy: %v", err)
		}
	}
	return aws.ToString(out.Role.Arn)
}

func stsWantCode(t *testing.T, err error, code string) smithy.APIError {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	return ae
}

func TestAssumeRoleSessionsSDK(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	acct := ts.World.Organization.ManagementAccountID
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	roleARN := createRole(t, ts, "Lister", trustPolicy("arn:aws:iam::"+acct+":root"), listUsersAndGroups, 0)
	rootSTS := sts.NewFromConfig(ts.rootConfig(t))

	out, err := rootSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	c := out.Credentials
	if !strings.HasPrefix(aws.ToString(c.AccessKeyId), "ASIA") || len(aws.ToString(c.SessionToken)) < 100 || c.Expiration == nil {
		t.Fatalf("credentials: %+v", c)
	}
	wantARN := "arn:aws:sts::" + acct + ":assumed-role/Lister/s1"
	if aws.ToString(out.AssumedRoleUser.Arn) != wantARN || !strings.HasPrefix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), "AROA") ||
		!strings.HasSuffix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), ":s1") {
		t.Fatalf("AssumedRoleUser: %+v", out.AssumedRoleUser)
	}
	sess := sessionConfig(t, ts, c)
	id, err := sts.NewFromConfig(sess).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with session credentials: %v", err)
	}
	if aws.ToString(id.Arn) != wantARN || aws.ToString(id.UserId) != aws.ToString(out.AssumedRoleUser.AssumedRoleId) || aws.ToString(id.Account) != acct {
		t.Fatalf("GetCallerIdentity = %s %s %s", aws.ToString(id.Arn), aws.ToString(id.UserId), aws.ToString(id.Account))
	}
	is := identitystore.NewFromConfig(sess)
	if _, err := is.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: storeID}); err != nil {
		t.Fatalf("role session ListGroups: %v", err)
	}
	if _, err := iam.NewFromConfig(sess).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")}); err == nil {
		t.Fatal("role session without iam permissions created a user")
	}

	t.Run("session policy intersects", func(t *testing.T) {
		out, err := rootSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s2"),
			Policy: aws.String(listUsersOnly)})
		if err != nil {
			t.Fatalf("AssumeRole with a session policy: %v", err)
		}
		if out.PackedPolicySize == nil || *out.PackedPolicySize <= 0 {
			t.Fatalf("PackedPolicySize = %v", out.PackedPolicySize)
		}
		is := identitystore.NewFromConfig(sessionConfig(t, ts, out.Credentials))
		if _, err := is.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: storeID}); err != nil {
			t.Fatalf("ListUsers allowed by role and session policy: %v", err)
		}
		_, err = is.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: storeID})
		ae := stsWantCode(t, err, "AccessDeniedException")
		msg := ae.ErrorMessage()
		if !strings.HasPrefix(msg, "User: arn:aws:sts::"+acct+":assumed-role/Lister/s2 is not authorized to perform: identitystore:ListGroups on resource: ") ||
			!strings.HasSuffix(msg, " because no session policy allows the identitystore:ListGroups action") {
			t.Fatalf("message %q", msg)
		}
	})

	t.Run("tampered session token", func(t *testing.T) {
		bad := *c
		tok := aws.ToString(c.SessionToken)
		flip := "A"
		if tok[10] == 'A' {
			flip = "B"
		}
		bad.SessionToken = aws.String(tok[:10] + flip + tok[11:])
		_, err := sts.NewFromConfig(sessionConfig(t, ts, &bad)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		stsWantCode(t, err, "InvalidClientTokenId")
		noToken := *c
		noToken.SessionToken = aws.String("")
		_, err = sts.NewFromConfig(sessionConfig(t, ts, &noToken)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		stsWantCode(t, err, "InvalidClientTokenId")
	})

	t.Run("trust policy does not name the caller", func(t *testing.T) {
		other := createRole(t, ts, "Other", trustPolicy("arn:aws:iam::"+acct+":user/someone-else"), listUsersAndGroups, 0)
		_, err := rootSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(other), RoleSessionName: aws.String("s3")})
		wantDenied(t, err, "AccessDenied", "User: arn:aws:iam::"+acct+":root is not authorized to perform: sts:AssumeRole on resource: "+other)
		missing := "arn:aws:iam::" + acct + ":role/NoSuchRole"
		_, err = rootSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(missing), RoleSessionName: aws.String("s3")})
		wantDenied(t, err, "AccessDenied", "User: arn:aws:iam::"+acct+":root is not authorized to perform: sts:AssumeRole on resource: "+missing)
	})

	t.Run("duration", func(t *testing.T) {
		_, err := rootSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("long"),
			DurationSeconds: aws.Int32(7200)})
		wantDenied(t, err, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		// Role chaining: the role trusts the account, the session's role allows sts:AssumeRole? It does not:
		// an account-wide trust policy needs the identity-based permission.
		_, err = sts.NewFromConfig(sess).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("chain")})
		stsWantCode(t, err, "AccessDenied")
	})

	t.Run("malformed session policy", func(t *testing.T) {
		_, err := rootSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("bad"),
			Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"nocolon","Resource":"*"}]}`)})
		stsWantCode(t, err, "MalformedPolicyDocument")
	})
}

func TestRoleChainingSDK(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	acct := ts.World.Organization.ManagementAccountID
	target := createRole(t, ts, "Target", trustPolicy("arn:aws:iam::"+acct+":role/Hop"), listUsersAndGroups, 43200)
	// Passing session tags needs sts:TagSession in the trust policy too.
	hop := createRole(t, ts, "Hop", strings.Replace(trustPolicy(acct), `"sts:AssumeRole"`, `["sts:AssumeRole","sts:TagSession"]`, 1), "", 0)
	_, err := sts.NewFromConfig(ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(target), RoleSessionName: aws.String("xx"),
		Tags: []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
	stsWantCode(t, err, "AccessDenied")
	out, err := sts.NewFromConfig(ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(hop), RoleSessionName: aws.String("first"),
		Tags: []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}, TransitiveTagKeys: []string{"team"}})
	if err != nil {
		t.Fatalf("AssumeRole Hop: %v", err)
	}
	hopSTS := sts.NewFromConfig(sessionConfig(t, ts, out.Credentials))
	_, err = hopSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(target), RoleSessionName: aws.String("second"), DurationSeconds: aws.Int32(7200)})
	wantDenied(t, err, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	out2, err := hopSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(target), RoleSessionName: aws.String("second")})
	if err != nil {
		t.Fatalf("chained AssumeRole (trust names the role): %v", err)
	}
	if d := out2.Credentials.Expiration.Sub(time.Now()); d > time.Hour+time.Minute {
		t.Fatalf("chained session lasts %v", d)
	}
}

func TestGetSessionTokenKeepsUserPermissionsSDK(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	acct := ts.World.Organization.ManagementAccountID
	cfg := machineUser(t, ts, "lister", func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("lister")}))
		mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("lister"),
			PolicyName: aws.String("ListOnly"), PolicyDocument: aws.String(listUsersOnly)}))
	})
	out, err := sts.NewFromConfig(cfg).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatalf("GetSessionToken (needs no permission): %v", err)
	}
	if d := out.Credentials.Expiration.Sub(time.Now()); d < 11*time.Hour || d > 13*time.Hour {
		t.Fatalf("default duration %v, want 12 h", d)
	}
	sess := sessionConfig(t, ts, out.Credentials)
	id, err := sts.NewFromConfig(sess).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:iam::"+acct+":user/lister" {
		t.Fatalf("GetCallerIdentity = %v, %v", id, err)
	}
	is := identitystore.NewFromConfig(sess)
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	if _, err := is.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: storeID}); err != nil {
		t.Fatalf("ListUsers with the user's session: %v", err)
	}
	_, err = is.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: storeID})
	stsWantCode(t, err, "AccessDeniedException")
	_, err = sts.NewFromConfig(sess).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	wantDenied(t, err, "AccessDenied", "Cannot call GetSessionToken with session credentials")
	_, err = sts.NewFromConfig(cfg).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(200000)})
	stsWantCode(t, err, "ValidationError")

	info, err := sts.NewFromConfig(ts.rootConfig(t)).GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: out.Credentials.AccessKeyId})
	if err != nil || aws.ToString(info.Account) != acct {
		t.Fatalf("GetAccessKeyInfo = %v, %v", info, err)
	}
}

func TestGetFederationTokenSDK(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	acct := ts.World.Organization.ManagementAccountID
	cfg := machineUser(t, ts, "broker", func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("broker")}))
		mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("broker"),
			PolicyName: aws.String("Broker"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetFederationToken","identitystore:ListUsers","identitystore:ListGroups"],"Resource":"*"}]}`)}))
	})
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	out, err := sts.NewFromConfig(cfg).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("carol"), Policy: aws.String(listUsersOnly)})
	if err != nil {
		t.Fatalf("GetFederationToken: %v", err)
	}
	if aws.ToString(out.FederatedUser.Arn) != "arn:aws:sts::"+acct+":federated-user/carol" || aws.ToString(out.FederatedUser.FederatedUserId) != acct+":carol" {
		t.Fatalf("FederatedUser %+v", out.FederatedUser)
	}
	is := identitystore.NewFromConfig(sessionConfig(t, ts, out.Credentials))
	if _, err := is.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: storeID}); err != nil {
		t.Fatalf("federated ListUsers: %v", err)
	}
	_, err = is.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: storeID})
	stsWantCode(t, err, "AccessDeniedException")

	// Without a policy the federated user has no permissions.
	out, err = sts.NewFromConfig(cfg).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("dave")})
	if err != nil {
		t.Fatalf("GetFederationToken without policy: %v", err)
	}
	_, err = identitystore.NewFromConfig(sessionConfig(t, ts, out.Credentials)).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: storeID})
	stsWantCode(t, err, "AccessDeniedException")
}

// clock is a settable offset from the real time: SigV4 signatures are made
// with the real time, so the server may be at most 15 minutes off.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func TestExpiredSessionSDK(t *testing.T) {
	ctx := context.Background()
	clk := &clock{}
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = t.TempDir()
	cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testKeyID, testSecret
	s, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler)
	ts := &testServer{Server: s, URL: hs.URL, httpSrv: hs}
	t.Cleanup(ts.stop)
	acct := ts.World.Organization.ManagementAccountID
	roleARN := createRole(t, ts, "Short", trustPolicy(acct), listUsersAndGroups, 0)

	// Issued 10 minutes "ago" for 15 minutes: expires 5 minutes from now.
	clk.offset.Store(int64(-10 * time.Minute))
	out, err := sts.NewFromConfig(ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN),
		RoleSessionName: aws.String("short"), DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	sess := sts.NewFromConfig(sessionConfig(t, ts, out.Credentials))
	clk.offset.Store(0)
	if _, err := sess.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	clk.offset.Store(int64(6 * time.Minute))
	_, err = sess.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantDenied(t, err, "ExpiredToken", "The security token included in the request is expired")
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() != http.StatusForbidden {
		t.Fatalf("status %d", re.HTTPStatusCode())
	}
}
