package app_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// adminUser creates, in the account of cfg, an IAM user with
// AdministratorAccess and returns a config signing with its access key.
func adminUser(t *testing.T, ts *testServer, cfg aws.Config, name string) aws.Config {
	t.Helper()
	ctx := context.Background()
	c := iam.NewFromConfig(cfg)
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: &name}); err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	if _, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: &name,
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
		t.Fatalf("AttachUserPolicy: %v", err)
	}
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: &name})
	if err != nil {
		t.Fatalf("CreateAccessKey: %v", err)
	}
	return ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey))
}

// TestDelegatedAdministratorForIdentityCenter: after
// RegisterDelegatedAdministrator(sso.amazonaws.com), an IAM user of the
// member account with AdministratorAccess administers the organization
// instance (permission sets, assignments into member accounts, identity store
// users and groups) but, as in AWS, not assignments in the management account
// nor permission sets provisioned to it, and cannot delete the instance.
// Another member account is refused throughout; deregistering removes the
// rights at once.
func TestDelegatedAdministratorForIdentityCenter(t *testing.T) {
	ctx := context.Background()
	w := newSSOWorld(t, startServer(t))
	ts := w.ts
	org := organizations.NewFromConfig(ts.rootConfig(t))
	delegatedAcct, delegatedSession := newMemberAccount(t, ts, org, "security")
	otherAcct, otherSession := newMemberAccount(t, ts, org, "workload")
	adminCfg := adminUser(t, ts, delegatedSession, "idc-admin")
	admin := ssoadmin.NewFromConfig(adminCfg)
	adminIDs := identitystore.NewFromConfig(adminCfg)
	storeID := ts.World.Instance.IdentityStoreID
	inst := w.inst

	// The management account's own set, provisioned to the management account.
	mgmtSet := w.devOpsSet(t)
	mgmtGroup := w.devOpsGroup(t)
	if st := w.waitCreation(t, aws.ToString(w.assign(t, mgmtSet, mgmtGroup).RequestId)); st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("management assignment: %+v", st)
	}

	// Before the registration the member account is another account.
	_, err := admin.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Early")})
	wantCode(t, "CreatePermissionSet before the registration", err, "AccessDeniedException")
	_, err = adminIDs.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &storeID})
	wantCode(t, "ListUsers before the registration", err, "AccessDeniedException")

	if _, err := org.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatalf("EnableAWSServiceAccess: %v", err)
	}
	if _, err := org.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{
		AccountId: &delegatedAcct, ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatalf("RegisterDelegatedAdministrator: %v", err)
	}

	// The delegated administrator sees and administers the organization instance.
	if got := instanceARNs(t, admin); len(got) != 1 || got[0] != inst {
		t.Fatalf("delegated ListInstances = %v", got)
	}
	created, err := admin.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Workload"),
		SessionDuration: aws.String("PT2H")})
	if err != nil {
		t.Fatalf("delegated CreatePermissionSet: %v", err)
	}
	set := aws.ToString(created.PermissionSet.PermissionSetArn)
	if _, err := admin.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &inst,
		PermissionSetArn: &set, InlinePolicy: aws.String(seedPolicy)}); err != nil {
		t.Fatalf("delegated PutInlinePolicyToPermissionSet: %v", err)
	}
	g, err := adminIDs.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &storeID, DisplayName: aws.String("workload-devs")})
	if err != nil {
		t.Fatalf("delegated CreateGroup: %v", err)
	}
	u, err := adminIDs.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String("Bojan"),
		DisplayName: aws.String("Bojan"), Name: &idtypes.Name{GivenName: aws.String("Bojan"), FamilyName: aws.String("B")}})
	if err != nil {
		t.Fatalf("delegated CreateUser: %v", err)
	}
	if _, err := adminIDs.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &storeID, GroupId: g.GroupId,
		MemberId: &idtypes.MemberIdMemberUserId{Value: aws.ToString(u.UserId)}}); err != nil {
		t.Fatalf("delegated CreateGroupMembership: %v", err)
	}
	if _, err := adminIDs.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &storeID, UserId: u.UserId}); err != nil {
		t.Fatalf("delegated DescribeUser: %v", err)
	}
	as, err := admin.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, PermissionSetArn: &set,
		TargetId: &otherAcct, TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: g.GroupId})
	if err != nil {
		t.Fatalf("delegated CreateAccountAssignment into a member account: %v", err)
	}
	if st := w.waitCreation(t, aws.ToString(as.AccountAssignmentCreationStatus.RequestId)); st.Status != ssotypes.StatusValuesSucceeded {
		t.Fatalf("delegated assignment: %+v (%s)", st, aws.ToString(st.FailureReason))
	}
	// Its other principals need policies as in their own account: the role
	// session (AdministratorAccess) may, a user without policies may not.
	if _, err := ssoadmin.NewFromConfig(delegatedSession).ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: &inst}); err != nil {
		t.Fatalf("delegated role session ListPermissionSets: %v", err)
	}
	bare := iam.NewFromConfig(delegatedSession)
	if _, err := bare.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bare")}); err != nil {
		t.Fatalf("CreateUser bare: %v", err)
	}
	bareKey, err := bare.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bare")})
	if err != nil {
		t.Fatalf("CreateAccessKey bare: %v", err)
	}
	_, err = ssoadmin.NewFromConfig(ts.awsConfig(t, aws.ToString(bareKey.AccessKey.AccessKeyId), aws.ToString(bareKey.AccessKey.SecretAccessKey))).
		ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: &inst})
	wantDenied(t, err, "AccessDeniedException", "User: arn:aws:iam::"+delegatedAcct+":user/bare is not authorized to perform: sso:ListPermissionSets on resource: "+inst+
		" because no identity-based policy allows the sso:ListPermissionSets action")
	// It may read the management account's set.
	if _, err := admin.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &mgmtSet}); err != nil {
		t.Fatalf("delegated DescribePermissionSet of the management set: %v", err)
	}

	// What AWS keeps from the delegated administrator.
	for what, call := range map[string]func() error{
		"assignment in the management account": func() error {
			_, err := admin.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, PermissionSetArn: &set,
				TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: g.GroupId})
			return err
		},
		"removing an assignment in the management account": func() error {
			_, err := admin.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{InstanceArn: &inst, PermissionSetArn: &mgmtSet,
				TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: &mgmtGroup})
			return err
		},
		"provisioning a set provisioned to the management account": func() error {
			_, err := admin.ProvisionPermissionSet(ctx, &ssoadmin.ProvisionPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &mgmtSet,
				TargetType: ssotypes.ProvisionTargetTypeAllProvisionedAccounts})
			return err
		},
		"its inline policy": func() error {
			_, err := admin.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &inst,
				PermissionSetArn: &mgmtSet, InlinePolicy: aws.String(seedPolicy)})
			return err
		},
		"updating it": func() error {
			_, err := admin.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &mgmtSet,
				SessionDuration: aws.String("PT4H")})
			return err
		},
		"attaching a managed policy to it": func() error {
			_, err := admin.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst,
				PermissionSetArn: &mgmtSet, ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})
			return err
		},
		"tagging it": func() error {
			_, err := admin.TagResource(ctx, &ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: &mgmtSet,
				Tags: []ssotypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		},
		"deleting it": func() error {
			_, err := admin.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &mgmtSet})
			return err
		},
		"deleting the organization instance": func() error {
			_, err := admin.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &inst})
			return err
		},
	} {
		wantCode(t, "delegated administrator: "+what, call(), "AccessDeniedException")
	}
	// Worded as AWS words any denial of the action on that resource.
	adminARN := "arn:aws:iam::" + delegatedAcct + ":user/idc-admin"
	_, err = admin.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, PermissionSetArn: &set,
		TargetId: aws.String(seedAccount), TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: g.GroupId})
	wantDenied(t, err, "AccessDeniedException", "User: "+adminARN+" is not authorized to perform: sso:CreateAccountAssignment on resource: arn:aws:sso:::account/"+seedAccount)
	_, err = admin.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, PermissionSetArn: &mgmtSet,
		TargetId: &otherAcct, TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: g.GroupId})
	wantDenied(t, err, "AccessDeniedException", "User: "+adminARN+" is not authorized to perform: sso:CreateAccountAssignment on resource: "+mgmtSet)

	// The management set is unchanged.
	d, err := w.sso.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &mgmtSet})
	if err != nil || aws.ToString(d.PermissionSet.SessionDuration) != "PT2H" {
		t.Fatalf("management set after the refusals: %+v, %v", d, err)
	}

	// Another member account's administrator is another account.
	other := ssoadmin.NewFromConfig(otherSession)
	otherIDs := identitystore.NewFromConfig(otherSession)
	_, err = other.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Other")})
	wantCode(t, "other member CreatePermissionSet", err, "AccessDeniedException")
	_, err = otherIDs.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &storeID, UserId: u.UserId})
	wantCode(t, "other member DescribeUser", err, "AccessDeniedException")
	_, err = otherIDs.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String("x"),
		DisplayName: aws.String("x"), Name: &idtypes.Name{GivenName: aws.String("x"), FamilyName: aws.String("x")}})
	wantCode(t, "other member CreateUser", err, "AccessDeniedException")
	if got := instanceARNs(t, other); len(got) != 0 {
		t.Fatalf("other member ListInstances = %v", got)
	}

	// Deregistering takes the rights away at once.
	if _, err := org.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{
		AccountId: &delegatedAcct, ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatalf("DeregisterDelegatedAdministrator: %v", err)
	}
	_, err = admin.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &set})
	wantCode(t, "DescribePermissionSet after deregistration", err, "AccessDeniedException")
	_, err = adminIDs.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &storeID})
	wantCode(t, "ListUsers after deregistration", err, "AccessDeniedException")
	if got := instanceARNs(t, admin); len(got) != 0 {
		t.Fatalf("ListInstances after deregistration = %v", got)
	}
}
