package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	istypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	satypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store/postgres"
)

// replicaConfig is an SDK configuration for one replica with the root key.
func replicaConfig(s *server, keyID, secret string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(keyID, secret, ""),
		BaseEndpoint: aws.String(s.Endpoint),
		HTTPClient:   &http.Client{Timeout: 20 * time.Second},
		// No SDK retries: a replica's answer is what the test checks.
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// TestReplicasShareEverything runs three replicas (own data folders and
// loopback ports) on one PostgreSQL schema, started together:
//   - the world is bootstrapped once: same instance, identity store and root key;
//   - an `aws sso login` device flow starts on A (RegisterClient,
//     StartDeviceAuthorization), is approved in B's web portal and polled with
//     CreateToken on C; the token then gets role credentials on A that B's STS
//     accepts;
//   - an account assignment created on A is completed by a worker, its status
//     read on C and its role seen through IAM on B;
//   - assignments created on all replicas at once are each processed exactly
//     once (workers on every replica scan the same queue);
//   - the same user name created on A and B at once: exactly one wins.
func TestReplicasShareEverything(t *testing.T) {
	if testing.Short() {
		t.Skip("replica test skipped in -short mode")
	}
	t.Setenv("AWS_CA_BUNDLE", "")
	pg := postgresSchema(t)
	rs := startReplicas(t, 3, pg)
	a, b, c := rs[0], rs[1], rs[2]
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	keyID, secret := rootKeyOf(t, a)
	for i, s := range rs {
		id, sec := rootKeyOf(t, s)
		if s.InstanceARN != a.InstanceARN || s.IdentityStoreID != a.IdentityStoreID || id != keyID || sec != secret {
			t.Fatalf("replica %d bootstrapped another world: instance %s, store %s, key %s; replica 0: %s, %s, %s",
				i, s.InstanceARN, s.IdentityStoreID, id, a.InstanceARN, a.IdentityStoreID, keyID)
		}
	}
	cfg := make([]aws.Config, len(rs))
	for i, s := range rs {
		cfg[i] = replicaConfig(s, keyID, secret)
	}
	ids := func(i int) *identitystore.Client { return identitystore.NewFromConfig(cfg[i]) }
	admin := func(i int) *ssoadmin.Client { return ssoadmin.NewFromConfig(cfg[i]) }
	storeID, inst := aws.String(a.IdentityStoreID), aws.String(a.InstanceARN)

	// Bojan in the devops group (made on C), the DevOps set assigned to the
	// group on A.
	u, err := ids(2).CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: storeID, UserName: aws.String("Bojan"),
		DisplayName: aws.String("Bojan"), Name: &istypes.Name{GivenName: aws.String("Bojan"), FamilyName: aws.String("Komazec")},
		Emails: []istypes.Email{{Value: aws.String("bojan@example.com"), Type: aws.String("work"), Primary: true}}})
	if err != nil {
		t.Fatalf("CreateUser on C: %v", err)
	}
	g, err := ids(2).CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: storeID, DisplayName: aws.String("devops")})
	if err != nil {
		t.Fatalf("CreateGroup on C: %v", err)
	}
	if _, err := ids(1).CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: storeID,
		GroupId: g.GroupId, MemberId: &istypes.MemberIdMemberUserId{Value: aws.ToString(u.UserId)}}); err != nil {
		t.Fatalf("CreateGroupMembership on B: %v", err)
	}
	ps, err := admin(0).CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: inst, Name: aws.String("DevOps"),
		Description: aws.String("DevOps"), SessionDuration: aws.String("PT2H")})
	if err != nil {
		t.Fatalf("CreatePermissionSet on A: %v", err)
	}
	psARN := ps.PermissionSet.PermissionSetArn
	if _, err := admin(1).PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: inst,
		PermissionSetArn: psARN, InlinePolicy: aws.String(seedPolicy)}); err != nil {
		t.Fatalf("PutInlinePolicyToPermissionSet on B: %v", err)
	}
	as, err := admin(0).CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: inst, PermissionSetArn: psARN,
		TargetId: aws.String(managementAccount), TargetType: satypes.TargetTypeAwsAccount,
		PrincipalType: satypes.PrincipalTypeGroup, PrincipalId: g.GroupId})
	if err != nil {
		t.Fatalf("CreateAccountAssignment on A: %v", err)
	}
	waitAssignment(ctx, t, admin(2), inst, as.AccountAssignmentCreationStatus.RequestId)

	// The role the worker created, through IAM on B.
	roles, err := iam.NewFromConfig(cfg[1]).ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/aws-reserved/sso.amazonaws.com/")})
	if err != nil {
		t.Fatalf("ListRoles on B: %v", err)
	}
	var roleNames []string
	for _, r := range roles.Roles {
		roleNames = append(roleNames, aws.ToString(r.RoleName))
	}
	if len(roleNames) != 1 || !strings.HasPrefix(roleNames[0], "AWSReservedSSO_DevOps_") {
		t.Fatalf("IAM roles on B after the assignment: %v, want one AWSReservedSSO_DevOps_…", roleNames)
	}

	// Bojan's password, set as `idcenter admin set-password` would (that
	// command opens only the SQLite data folder).
	const password = "Correct-Horse-9"
	st, err := postgres.Open(ctx, pg)
	if err != nil {
		t.Fatalf("open the store: %v", err)
	}
	err = (&signin.Service{Store: st, IdentityStoreID: a.IdentityStoreID, InstanceARN: a.InstanceARN}).SetPassword(ctx, "Bojan", password)
	st.Close()
	if err != nil {
		t.Fatalf("set Bojan's password: %v", err)
	}

	// The device flow: started on A, approved on B, polled on C.
	oidc := func(s *server) *ssooidc.Client {
		return ssooidc.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(s.Endpoint),
			HTTPClient: &http.Client{Timeout: 20 * time.Second}, Retryer: func() aws.Retryer { return aws.NopRetryer{} }})
	}
	reg, err := oidc(a).RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-my-sso"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatalf("RegisterClient on A: %v", err)
	}
	dev, err := oidc(a).StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
		ClientSecret: reg.ClientSecret, StartUrl: aws.String(a.Endpoint + "/start")})
	if err != nil {
		t.Fatalf("StartDeviceAuthorization on A: %v", err)
	}
	verification, err := url.Parse(aws.ToString(dev.VerificationUriComplete))
	if err != nil || verification.Host != strings.TrimPrefix(a.Endpoint, "http://") {
		t.Fatalf("verification URL %q (from A at %s): %v", aws.ToString(dev.VerificationUriComplete), a.Endpoint, err)
	}
	verification.Host = strings.TrimPrefix(b.Endpoint, "http://")
	newPortalBrowser(t).approveAsBojan(verification.String(), password)

	var token string
	for i := 0; token == ""; i++ {
		out, err := oidc(c).CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"), DeviceCode: dev.DeviceCode})
		var pending interface{ ErrorCode() string }
		switch {
		case err == nil:
			token = aws.ToString(out.AccessToken)
		case i < 20 && errors.As(err, &pending) && (pending.ErrorCode() == "AuthorizationPendingException" || pending.ErrorCode() == "SlowDownException"):
			// The approval is committed before B answered; allow a few polls anyway.
			time.Sleep(time.Duration(dev.Interval) * time.Second)
		default:
			t.Fatalf("CreateToken on C after approval on B (poll %d): %v", i+1, err)
		}
	}

	// The token works on A; the role credentials it yields work on B.
	rc, err := sso.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(a.Endpoint),
		HTTPClient: &http.Client{Timeout: 20 * time.Second}}).GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(token), AccountId: aws.String(managementAccount), RoleName: aws.String("DevOps")})
	if err != nil {
		t.Fatalf("GetRoleCredentials on A with the token from C: %v", err)
	}
	rcfg := cfg[1]
	rcfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(rc.RoleCredentials.AccessKeyId),
		aws.ToString(rc.RoleCredentials.SecretAccessKey), aws.ToString(rc.RoleCredentials.SessionToken))
	who, err := sts.NewFromConfig(rcfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity on B with the role credentials: %v", err)
	}
	if arn := aws.ToString(who.Arn); !strings.HasPrefix(arn, "arn:aws:sts::"+managementAccount+":assumed-role/AWSReservedSSO_DevOps_") || !strings.HasSuffix(arn, "/Bojan") {
		t.Fatalf("caller on B = %s", arn)
	}

	t.Run("workers process each request once", func(t *testing.T) { workersOnce(ctx, t, admin, inst, g.GroupId) })
	t.Run("concurrent CreateUser: one wins", func(t *testing.T) { oneCreateWins(ctx, t, ids(0), ids(1), storeID) })
}

// waitAssignment polls a creation request until it leaves IN_PROGRESS
// (bounded) and requires SUCCEEDED.
func waitAssignment(ctx context.Context, t *testing.T, c *ssoadmin.Client, inst, reqID *string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		st, err := c.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{
			InstanceArn: inst, AccountAssignmentCreationRequestId: reqID})
		if err != nil {
			t.Fatalf("DescribeAccountAssignmentCreationStatus: %v", err)
		}
		switch s := st.AccountAssignmentCreationStatus; {
		case s.Status == satypes.StatusValuesSucceeded:
			return
		case s.Status == satypes.StatusValuesFailed:
			t.Fatalf("assignment request %s FAILED: %s", aws.ToString(reqID), aws.ToString(s.FailureReason))
		case time.Now().After(deadline):
			t.Fatalf("assignment request %s still %s after 60 s", aws.ToString(reqID), s.Status)
		}
	}
}

// workersOnce creates permission sets and assignments on all replicas at
// once. Each replica's worker wakes on its own requests and processes every
// pending one, so the workers race for the same requests; each must end
// SUCCEEDED (a double processing would fail on the existing assignment or
// role, or overwrite the status), and each assignment and role exist once.
func workersOnce(ctx context.Context, t *testing.T, admin func(int) *ssoadmin.Client, inst, groupID *string) {
	const perReplica = 4
	type made struct{ psARN, reqID *string }
	all := make([]made, 3*perReplica)
	for i := range all {
		ps, err := admin(i%3).CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: inst,
			Name: aws.String(fmt.Sprintf("Team%d", i)), SessionDuration: aws.String("PT1H")})
		if err != nil {
			t.Fatalf("CreatePermissionSet on replica %d: %v", i%3, err)
		}
		all[i].psARN = ps.PermissionSet.PermissionSetArn
	}
	// All assignment requests at once, a third on each replica.
	errs := make([]error, len(all))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range all {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			as, err := admin(i%3).CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: inst,
				PermissionSetArn: all[i].psARN, TargetId: aws.String(managementAccount),
				TargetType: satypes.TargetTypeAwsAccount, PrincipalType: satypes.PrincipalTypeGroup, PrincipalId: groupID})
			if err != nil {
				errs[i] = fmt.Errorf("replica %d: CreateAccountAssignment: %w", i%3, err)
				return
			}
			all[i].reqID = as.AccountAssignmentCreationStatus.RequestId
		}(i)
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for i, m := range all {
		waitAssignment(ctx, t, admin(i%3), inst, m.reqID)
	}
	for _, m := range all {
		out, err := admin(1).ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{InstanceArn: inst,
			AccountId: aws.String(managementAccount), PermissionSetArn: m.psARN})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.AccountAssignments) != 1 {
			t.Fatalf("set %s: %d assignments, want 1", aws.ToString(m.psARN), len(out.AccountAssignments))
		}
	}
	// Every request is SUCCEEDED, none FAILED, none left IN_PROGRESS.
	for _, status := range []satypes.StatusValues{satypes.StatusValuesFailed, satypes.StatusValuesInProgress} {
		out, err := admin(2).ListAccountAssignmentCreationStatus(ctx, &ssoadmin.ListAccountAssignmentCreationStatusInput{
			InstanceArn: inst, Filter: &satypes.OperationStatusFilter{Status: status}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.AccountAssignmentsCreationStatus) != 0 {
			t.Fatalf("%d creation requests %s after the race", len(out.AccountAssignmentsCreationStatus), status)
		}
	}
}

// oneCreateWins creates the same user name on two replicas at once, several
// times: each time exactly one CreateUser succeeds and the other gets a
// ConflictException.
func oneCreateWins(ctx context.Context, t *testing.T, x, y *identitystore.Client, storeID *string) {
	for round := 0; round < 10; round++ {
		name := fmt.Sprintf("racer-%d", round)
		errs := make([]error, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, c := range []*identitystore.Client{x, y} {
			wg.Add(1)
			go func(i int, c *identitystore.Client) {
				defer wg.Done()
				<-start
				_, errs[i] = c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: storeID, UserName: aws.String(name),
					DisplayName: aws.String(name), Name: &istypes.Name{GivenName: aws.String("Race"), FamilyName: aws.String("Condition")}})
			}(i, c)
		}
		close(start)
		wg.Wait()
		wins := 0
		for i, err := range errs {
			var ae smithy.APIError
			switch {
			case err == nil:
				wins++
			case errors.As(err, &ae) && ae.ErrorCode() == "ConflictException":
			default:
				t.Fatalf("round %d, replica %d: CreateUser: %v (want success or ConflictException)", round, i, err)
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: %d of 2 concurrent CreateUser %q succeeded (errors %v), want exactly 1", round, wins, name, errs)
		}
		out, err := x.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: storeID,
			Filters: []istypes.Filter{{AttributePath: aws.String("UserName"), AttributeValue: aws.String(name)}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Users) != 1 {
			t.Fatalf("round %d: %d users named %q", round, len(out.Users), name)
		}
	}
}
