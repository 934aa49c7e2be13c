package app_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
)

// TestSeedDevOpsSessionPermissions: the seed's DevOps permission set
// (ecr/eks/lambda/s3/sqs:*) through a real portal session. idcenter serves no
// SQS, so what the session may do there is asked of the policy simulator about
// the provisioned role (the same engine and policies as the authorisation
// point); what it may not do is tried for real: iam:CreateUser is denied with
// AWS's message naming the assumed role.
func TestSeedDevOpsSessionPermissions(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	w := newSSOWorld(t, ts)
	bojan := createSSOUser(t, w, "Bojan")
	group := w.devOpsGroup(t)
	if _, err := w.ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: aws.String(ts.World.Instance.IdentityStoreID),
		GroupId: &group, MemberId: &idtypes.MemberIdMemberUserId{Value: bojan}}); err != nil {
		t.Fatal(err)
	}
	w.waitCreation(t, aws.ToString(w.assign(t, w.devOpsSet(t), group).RequestId))
	roleName, ok := w.devOpsRole(t)
	if !ok {
		t.Fatal("no DevOps role")
	}
	role := mustDo[*iam.GetRoleOutput](t, "GetRole")(w.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &roleName})).Role

	oc := ssooidc.NewFromConfig(ts.rootConfig(t))
	reg := mustDo[*ssooidc.RegisterClientOutput](t, "RegisterClient")(oc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("cli"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}}))
	tok := deviceLogin(t, ts, nil, oc, reg, bojan)
	rc := mustDo[*sso.GetRoleCredentialsOutput](t, "GetRoleCredentials")(sso.NewFromConfig(ts.rootConfig(t)).GetRoleCredentials(ctx,
		&sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken, AccountId: aws.String(seedAccount), RoleName: aws.String("DevOps")})).RoleCredentials
	cfg := ts.rootConfig(t)
	cfg.Credentials = staticSession(aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken))

	_, err := iam.NewFromConfig(cfg).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("escalate")})
	wantDenied(t, err, "AccessDenied", "User: arn:aws:sts::"+seedAccount+":assumed-role/"+roleName+"/Bojan is not authorized to perform: "+
		"iam:CreateUser on resource: arn:aws:iam::"+seedAccount+":user/escalate because no identity-based policy allows the iam:CreateUser action")

	sim := mustDo[*iam.SimulatePrincipalPolicyOutput](t, "SimulatePrincipalPolicy")(w.iam.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: role.Arn,
		ActionNames:     []string{"sqs:SendMessage", "sqs:CreateQueue", "s3:GetObject", "lambda:InvokeFunction", "iam:CreateUser", "dynamodb:GetItem"},
	}))
	want := map[string]iamtypes.PolicyEvaluationDecisionType{
		"sqs:SendMessage": iamtypes.PolicyEvaluationDecisionTypeAllowed, "sqs:CreateQueue": iamtypes.PolicyEvaluationDecisionTypeAllowed,
		"s3:GetObject": iamtypes.PolicyEvaluationDecisionTypeAllowed, "lambda:InvokeFunction": iamtypes.PolicyEvaluationDecisionTypeAllowed,
		"iam:CreateUser": iamtypes.PolicyEvaluationDecisionTypeImplicitDeny, "dynamodb:GetItem": iamtypes.PolicyEvaluationDecisionTypeImplicitDeny,
	}
	if len(sim.EvaluationResults) != len(want) {
		t.Fatalf("simulation results = %+v", sim.EvaluationResults)
	}
	for _, r := range sim.EvaluationResults {
		if got := r.EvalDecision; got != want[aws.ToString(r.EvalActionName)] {
			t.Errorf("%s: %s, want %s", aws.ToString(r.EvalActionName), got, want[aws.ToString(r.EvalActionName)])
		}
	}
}
