package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/smithy-go"
)

// orgWorld is an organization with two member accounts (111111111111,
// 222222222222), two OUs under the root and a customer-managed SCP.
type orgWorld struct {
	ts                 *testServer
	root               *organizations.Client
	mgmt, orgID        string
	rootID, ouA, ouB   string
	policy, policyARN  string
	ouAARN, ouBARN     string
	rootARN, fullAWSID string
}

func newOrgWorld(t *testing.T) *orgWorld {
	t.Helper()
	ctx := context.Background()
	ts, c := orgMembers(t)
	w := &orgWorld{ts: ts, root: c, rootID: rootID(t, c), fullAWSID: "p-FullAWSAccess"}
	o, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		t.Fatalf("DescribeOrganization: %v", err)
	}
	w.mgmt, w.orgID = aws.ToString(o.Organization.MasterAccountId), aws.ToString(o.Organization.Id)
	ou := func(name string) (string, string) {
		out, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(w.rootID), Name: aws.String(name)})
		if err != nil {
			t.Fatalf("CreateOrganizationalUnit %s: %v", name, err)
		}
		return aws.ToString(out.OrganizationalUnit.Id), aws.ToString(out.OrganizationalUnit.Arn)
	}
	w.ouA, w.ouAARN = ou("A")
	w.ouB, w.ouBARN = ou("B")
	w.rootARN = fmt.Sprintf("arn:aws:organizations::%s:root/%s/%s", w.mgmt, w.orgID, w.rootID)
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(w.rootID), PolicyType: orgtypes.PolicyTypeServiceControlPolicy})
	var already *orgtypes.PolicyTypeAlreadyEnabledException
	if err != nil && !errors.As(err, &already) {
		t.Fatalf("EnablePolicyType: %v", err)
	}
	p, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("deny-leave"), Description: aws.String("d"),
		Type:    orgtypes.PolicyTypeServiceControlPolicy,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}`)})
	if err != nil {
		t.Fatalf("CreatePolicy: %v", err)
	}
	w.policy, w.policyARN = aws.ToString(p.Policy.PolicySummary.Id), aws.ToString(p.Policy.PolicySummary.Arn)
	return w
}

// userWith creates an IAM user of the management account whose only
// permission is the inline policy doc, and returns an Organizations client
// signing as it and its ARN.
func (w *orgWorld) userWith(t *testing.T, name, doc string) (*organizations.Client, string) {
	t.Helper()
	ctx := context.Background()
	cfg := machineUser(t, w.ts, name, func(c *iam.Client) {
		mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
		mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name),
			PolicyName: aws.String("scoped"), PolicyDocument: aws.String(doc)}))
	})
	return organizations.NewFromConfig(cfg), "arn:aws:iam::" + w.mgmt + ":user/" + name
}

func allowDoc(actions []string, resources ...string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["%s"],"Resource":["%s"]}]}`,
		strings.Join(actions, `","`), strings.Join(resources, `","`))
}

// wantOrgDenied checks AWS's AccessDeniedException for an implicit deny of
// action on resource.
func wantOrgDenied(t *testing.T, what string, err error, user, action, resource string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
		t.Fatalf("%s: err = %v, want AccessDeniedException", what, err)
	}
	want := fmt.Sprintf("User: %s is not authorized to perform: organizations:%s on resource: %s because no identity-based policy allows the organizations:%s action",
		user, action, resource, action)
	if ae.ErrorMessage() != want {
		t.Fatalf("%s: message\n %q\nwant\n %q", what, ae.ErrorMessage(), want)
	}
}

// TestOrganizationsOUScopedPolicy: a management-account user allowed
// DescribeOrganizationalUnit, ListAccountsForParent, AttachPolicy and
// DetachPolicy on one OU and one policy acts on that OU only; AttachPolicy is
// authorised on the policy and on the target, each of which must be allowed;
// a refused call changes nothing.
func TestOrganizationsOUScopedPolicy(t *testing.T) {
	ctx := context.Background()
	w := newOrgWorld(t)
	c, user := w.userWith(t, "ou-admin", allowDoc([]string{"organizations:DescribeOrganizationalUnit",
		"organizations:ListAccountsForParent", "organizations:AttachPolicy", "organizations:DetachPolicy"}, w.ouAARN, w.policyARN))
	if !strings.HasPrefix(w.ouAARN, "arn:aws:organizations::"+w.mgmt+":ou/"+w.orgID+"/ou-") {
		t.Fatalf("OU ARN %s", w.ouAARN)
	}

	if d, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouA}); err != nil || aws.ToString(d.OrganizationalUnit.Name) != "A" {
		t.Fatalf("DescribeOrganizationalUnit(A) = %+v, %v", d, err)
	}
	_, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouB})
	wantOrgDenied(t, "DescribeOrganizationalUnit(B)", err, user, "DescribeOrganizationalUnit", w.ouBARN)
	if _, err := c.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: &w.ouA}); err != nil {
		t.Fatalf("ListAccountsForParent(A): %v", err)
	}
	for _, p := range []struct{ id, arn string }{{w.ouB, w.ouBARN}, {w.rootID, w.rootARN}} {
		_, err := c.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String(p.id)})
		wantOrgDenied(t, "ListAccountsForParent("+p.id+")", err, user, "ListAccountsForParent", p.arn)
	}

	// AttachPolicy: the policy and the target must both be allowed.
	if _, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: &w.policy, TargetId: &w.ouA}); err != nil {
		t.Fatalf("AttachPolicy(policy, A): %v", err)
	}
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: &w.policy, TargetId: &w.ouB})
	wantOrgDenied(t, "AttachPolicy(policy, B)", err, user, "AttachPolicy", w.ouBARN)
	fullARN := "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
	_, err = c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: &w.fullAWSID, TargetId: &w.ouA})
	wantOrgDenied(t, "DetachPolicy(FullAWSAccess, A)", err, user, "DetachPolicy", fullARN)

	// What was refused changed nothing; what was allowed took effect.
	attached := func(target string) []string {
		out, err := w.root.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(target), Filter: orgtypes.PolicyTypeServiceControlPolicy})
		if err != nil {
			t.Fatalf("ListPoliciesForTarget(%s): %v", target, err)
		}
		var ids []string
		for _, p := range out.Policies {
			ids = append(ids, aws.ToString(p.Id))
		}
		return ids
	}
	if got := strings.Join(attached(w.ouA), ","); got != "p-FullAWSAccess,"+w.policy && got != w.policy+",p-FullAWSAccess" {
		t.Fatalf("policies of A = %s", got)
	}
	if got := strings.Join(attached(w.ouB), ","); got != "p-FullAWSAccess" {
		t.Fatalf("policies of B = %s", got)
	}
	if _, err := c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: &w.policy, TargetId: &w.ouA}); err != nil {
		t.Fatalf("DetachPolicy(policy, A): %v", err)
	}

	// On its real ARN, a call sees the OU's tags (aws:ResourceTag/…).
	if _, err := w.root.TagResource(ctx, &organizations.TagResourceInput{ResourceId: &w.ouB, Tags: []orgtypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}); err != nil {
		t.Fatalf("TagResource(B): %v", err)
	}
	tagged, _ := w.userWith(t, "team-blue", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:DescribeOrganizationalUnit",`+
		`"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}}]}`)
	if _, err := tagged.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouB}); err != nil {
		t.Fatalf("DescribeOrganizationalUnit(B tagged team=blue): %v", err)
	}
	_, err = tagged.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouA})
	wantAPIError(t, "DescribeOrganizationalUnit(A untagged)", err, "AccessDeniedException")
}

// TestOrganizationsAccountScopedPolicy: Resource
// arn:aws:organizations::<mgmt>:account/o-*/<id> controls DescribeAccount,
// TagResource and ListTagsForResource per account.
func TestOrganizationsAccountScopedPolicy(t *testing.T) {
	ctx := context.Background()
	w := newOrgWorld(t)
	c, user := w.userWith(t, "acct-admin", allowDoc([]string{"organizations:DescribeAccount", "organizations:TagResource",
		"organizations:ListTagsForResource"}, "arn:aws:organizations::"+w.mgmt+":account/o-*/111111111111"))
	acctARN := func(id string) string {
		return fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", w.mgmt, w.orgID, id)
	}
	d, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("111111111111")})
	if err != nil || aws.ToString(d.Account.Arn) != acctARN("111111111111") {
		t.Fatalf("DescribeAccount(111111111111) = %+v, %v", d, err)
	}
	_, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("222222222222")})
	wantOrgDenied(t, "DescribeAccount(222222222222)", err, user, "DescribeAccount", acctARN("222222222222"))

	tag := []orgtypes.Tag{{Key: aws.String("team"), Value: aws.String("x")}}
	if _, err := c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String("111111111111"), Tags: tag}); err != nil {
		t.Fatalf("TagResource(111111111111): %v", err)
	}
	_, err = c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String("222222222222"), Tags: tag})
	wantOrgDenied(t, "TagResource(222222222222)", err, user, "TagResource", acctARN("222222222222"))
	_, err = c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: &w.ouA, Tags: tag})
	wantOrgDenied(t, "TagResource(OU)", err, user, "TagResource", w.ouAARN)

	if tags, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String("111111111111")}); err != nil || len(tags.Tags) != 1 {
		t.Fatalf("ListTagsForResource(111111111111) = %+v, %v", tags, err)
	}
	tags, err := w.root.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String("222222222222")})
	if err != nil || len(tags.Tags) != 0 {
		t.Fatalf("tags of 222222222222 after a refused TagResource = %+v, %v", tags, err)
	}
}

// TestOrganizationsAuthorizedOnResourceARNs calls operations as a user allowed
// organizations:* only on Organizations ARNs (arn:aws:organizations::*:*):
// those for which AWS's Service Authorization Reference lists a resource type
// must be authorised on its ARN (and so succeed), those for which it lists
// none on "*" (and so be refused). A handler that forgets its resource, or
// names one that is not the resource's ARN, fails here.
func TestOrganizationsAuthorizedOnResourceARNs(t *testing.T) {
	ctx := context.Background()
	w := newOrgWorld(t)
	c, user := w.userWith(t, "arn-only", allowDoc([]string{"organizations:*"}, "arn:aws:organizations::*:*"))
	s := aws.String
	acct := "111111111111"
	rp := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"organizations:DescribeOrganization","Resource":"*"}]}`
	if _, err := w.root.PutResourcePolicy(ctx, &organizations.PutResourcePolicyInput{Content: &rp}); err != nil {
		t.Fatalf("PutResourcePolicy: %v", err)
	}
	inv, err := w.root.InviteAccountToOrganization(ctx, &organizations.InviteAccountToOrganizationInput{
		Target: &orgtypes.HandshakeParty{Id: s("999999999999"), Type: orgtypes.HandshakePartyTypeAccount}})
	if err != nil {
		t.Fatalf("InviteAccountToOrganization: %v", err)
	}
	onARN := []struct {
		op   string
		call func() error
	}{
		{"DescribeOrganizationalUnit", func() error {
			_, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouA})
			return err
		}},
		{"ListChildren", func() error {
			_, err := c.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: &w.rootID, ChildType: orgtypes.ChildTypeAccount})
			return err
		}},
		{"ListOrganizationalUnitsForParent", func() error {
			_, err := c.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: &w.rootID})
			return err
		}},
		{"ListAccountsForParent", func() error {
			_, err := c.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: &w.ouB})
			return err
		}},
		{"ListParents", func() error {
			_, err := c.ListParents(ctx, &organizations.ListParentsInput{ChildId: s(acct)})
			return err
		}},
		{"DescribeAccount", func() error {
			_, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: s(acct)})
			return err
		}},
		{"ListTagsForResource", func() error {
			_, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: &w.policy})
			return err
		}},
		{"TagResource", func() error {
			_, err := c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: &w.rootID, Tags: []orgtypes.Tag{{Key: s("k"), Value: s("v")}}})
			return err
		}},
		{"UntagResource", func() error {
			_, err := c.UntagResource(ctx, &organizations.UntagResourceInput{ResourceId: &w.rootID, TagKeys: []string{"k"}})
			return err
		}},
		{"DescribePolicy", func() error {
			_, err := c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: &w.fullAWSID})
			return err
		}},
		{"UpdatePolicy", func() error {
			_, err := c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: &w.policy, Description: s("updated")})
			return err
		}},
		{"ListTargetsForPolicy", func() error {
			_, err := c.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: &w.policy})
			return err
		}},
		{"ListPoliciesForTarget", func() error {
			_, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: s(acct), Filter: orgtypes.PolicyTypeServiceControlPolicy})
			return err
		}},
		{"AttachPolicy", func() error {
			_, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: &w.policy, TargetId: s(acct)})
			return err
		}},
		{"DetachPolicy", func() error {
			_, err := c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: &w.policy, TargetId: s(acct)})
			return err
		}},
		{"CreateOrganizationalUnit", func() error {
			_, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: &w.ouA, Name: s("child")})
			return err
		}},
		{"UpdateOrganizationalUnit", func() error {
			_, err := c.UpdateOrganizationalUnit(ctx, &organizations.UpdateOrganizationalUnitInput{OrganizationalUnitId: &w.ouB, Name: s("B2")})
			return err
		}},
		{"MoveAccount", func() error {
			_, err := c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: s(acct), SourceParentId: &w.rootID, DestinationParentId: &w.ouA})
			return err
		}},
		{"RegisterDelegatedAdministrator", func() error {
			_, err := c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: s(acct), ServicePrincipal: s("sso.amazonaws.com")})
			return err
		}},
		{"ListDelegatedServicesForAccount", func() error {
			_, err := c.ListDelegatedServicesForAccount(ctx, &organizations.ListDelegatedServicesForAccountInput{AccountId: s(acct)})
			return err
		}},
		{"DeregisterDelegatedAdministrator", func() error {
			_, err := c.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{AccountId: s(acct), ServicePrincipal: s("sso.amazonaws.com")})
			return err
		}},
		{"DisablePolicyType", func() error {
			_, err := c.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: &w.rootID, PolicyType: orgtypes.PolicyTypeTagPolicy})
			return err
		}},
		{"EnablePolicyType", func() error {
			_, err := c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: &w.rootID, PolicyType: orgtypes.PolicyTypeTagPolicy})
			return err
		}},
		{"DescribeHandshake", func() error {
			_, err := c.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: inv.Handshake.Id})
			return err
		}},
		{"DescribeResourcePolicy", func() error {
			_, err := c.DescribeResourcePolicy(ctx, &organizations.DescribeResourcePolicyInput{})
			return err
		}},
		{"PutResourcePolicy", func() error {
			_, err := c.PutResourcePolicy(ctx, &organizations.PutResourcePolicyInput{Content: &rp})
			return err
		}},
		{"DescribeEffectivePolicy", func() error {
			_, err := c.DescribeEffectivePolicy(ctx, &organizations.DescribeEffectivePolicyInput{PolicyType: orgtypes.EffectivePolicyTypeTagPolicy, TargetId: s(acct)})
			return err
		}},
		{"CancelHandshake", func() error {
			_, err := c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: inv.Handshake.Id})
			return err
		}},
		{"DeleteOrganizationalUnit", func() error {
			_, err := c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: &w.ouB})
			return err
		}},
	}
	for _, tc := range onARN {
		if err := tc.call(); isAccessDenied(err) {
			t.Errorf("%s: %v (it must be authorised on its resource's ARN)", tc.op, err)
		}
	}
	onStar := []struct {
		op   string
		call func() error
	}{
		{"DescribeOrganization", func() error {
			_, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			return err
		}},
		{"ListAccounts", func() error { _, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{}); return err }},
		{"ListRoots", func() error { _, err := c.ListRoots(ctx, &organizations.ListRootsInput{}); return err }},
		{"ListPolicies", func() error {
			_, err := c.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: orgtypes.PolicyTypeServiceControlPolicy})
			return err
		}},
		{"CreatePolicy", func() error {
			_, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: s("x"), Description: s("x"), Type: orgtypes.PolicyTypeServiceControlPolicy,
				Content: s(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
			return err
		}},
		{"ListHandshakesForOrganization", func() error {
			_, err := c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{})
			return err
		}},
		{"ListAWSServiceAccessForOrganization", func() error {
			_, err := c.ListAWSServiceAccessForOrganization(ctx, &organizations.ListAWSServiceAccessForOrganizationInput{})
			return err
		}},
		{"ListCreateAccountStatus", func() error {
			_, err := c.ListCreateAccountStatus(ctx, &organizations.ListCreateAccountStatusInput{})
			return err
		}},
		{"ListDelegatedAdministrators", func() error {
			_, err := c.ListDelegatedAdministrators(ctx, &organizations.ListDelegatedAdministratorsInput{})
			return err
		}},
	}
	for _, tc := range onStar {
		err := tc.call()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
			t.Errorf("%s: err = %v, want AccessDeniedException on *", tc.op, err)
			continue
		}
		if want := "User: " + user + " is not authorized to perform: organizations:" + tc.op + " on resource: * "; !strings.HasPrefix(ae.ErrorMessage(), want) {
			t.Errorf("%s: message %q, want prefix %q", tc.op, ae.ErrorMessage(), want)
		}
	}
}

// TestOrganizationsMemberPrincipalOnResourceARNs: a delegated
// administrator's IAM user is authorised on the management account's
// resource ARNs too — its identity policy allowing DescribeOrganizationalUnit
// on one OU lets it describe that OU only; before its account is registered
// the organization refuses it whatever its policy says.
func TestOrganizationsMemberPrincipalOnResourceARNs(t *testing.T) {
	ctx := context.Background()
	w := newOrgWorld(t)
	member, admin := newMemberAccount(t, w.ts, w.root, "delegate")
	doc := allowDoc([]string{"organizations:DescribeOrganizationalUnit"}, w.ouAARN)
	cfg := adminUserWithPolicy(t, w.ts, admin, "reader", doc)
	c := organizations.NewFromConfig(cfg)
	user := "arn:aws:iam::" + member + ":user/reader"

	_, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouA})
	wantAPIError(t, "not yet a delegated administrator", err, "AccessDeniedException")

	if _, err := w.root.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatalf("EnableAWSServiceAccess: %v", err)
	}
	if _, err := w.root.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: &member,
		ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatalf("RegisterDelegatedAdministrator: %v", err)
	}
	if d, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouA}); err != nil || aws.ToString(d.OrganizationalUnit.Name) != "A" {
		t.Fatalf("DescribeOrganizationalUnit(A) as the delegated administrator = %+v, %v", d, err)
	}
	_, err = c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouB})
	wantOrgDenied(t, "DescribeOrganizationalUnit(B) as the delegated administrator", err, user, "DescribeOrganizationalUnit", w.ouBARN)

	// aws:ResourceAccount of an Organizations resource is the management account.
	for _, tc := range []struct{ account, code string }{{w.mgmt, ""}, {member, "AccessDeniedException"}} {
		name := "by-account-" + tc.account
		byAcct := organizations.NewFromConfig(adminUserWithPolicy(t, w.ts, admin, name, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",`+
			`"Action":"organizations:DescribeOrganizationalUnit","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"`+tc.account+`"}}}]}`))
		_, err := byAcct.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouB})
		if tc.code == "" && err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tc.code != "" {
			wantAPIError(t, name, err, tc.code)
		}
	}

	// Its identity policy does not reach beyond what the organization lets
	// a delegated administrator do (read-only operations).
	all := organizations.NewFromConfig(adminUserWithPolicy(t, w.ts, admin, "all",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:*","Resource":"*"}]}`))
	if _, err := all.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: &w.ouB}); err != nil {
		t.Fatalf("DescribeOrganizationalUnit(B) allowed on *: %v", err)
	}
	_, err = all.UpdateOrganizationalUnit(ctx, &organizations.UpdateOrganizationalUnitInput{OrganizationalUnitId: &w.ouB, Name: aws.String("mine")})
	wantAPIError(t, "UpdateOrganizationalUnit as the delegated administrator", err, "AccessDeniedException")
}

// adminUserWithPolicy creates, with cfg (an administrator of some account),
// an IAM user whose only permission is doc and returns a config signing as it.
func adminUserWithPolicy(t *testing.T, ts *testServer, cfg aws.Config, name, doc string) aws.Config {
	t.Helper()
	ctx := context.Background()
	c := iam.NewFromConfig(cfg)
	mustDo[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: &name}))
	mustDo[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: &name,
		PolicyName: aws.String("scoped"), PolicyDocument: &doc}))
	k := mustDo[*iam.CreateAccessKeyOutput](t, "CreateAccessKey")(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: &name}))
	return ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey))
}
