package app_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/config"
)

func orgMembers(t *testing.T) (*testServer, *organizations.Client) {
	ts := startServerWith(t, func(c *config.Config) { c.MemberAccounts = []string{"111111111111=dev", "222222222222=prod"} })
	return ts, organizations.NewFromConfig(ts.rootConfig(t))
}

func rootID(t *testing.T, c *organizations.Client) string {
	t.Helper()
	r, err := c.ListRoots(context.Background(), &organizations.ListRootsInput{})
	if err != nil || len(r.Roots) != 1 {
		t.Fatalf("ListRoots = %+v, %v", r, err)
	}
	id := aws.ToString(r.Roots[0].Id)
	if !regexp.MustCompile(`^r-[0-9a-z]{4}$`).MatchString(id) {
		t.Fatalf("root id %q", id)
	}
	return id
}

func TestOrganizationsOUTreeAndMoveAccount(t *testing.T) {
	ctx := context.Background()
	_, c := orgMembers(t)
	root := rootID(t, c)
	if again := rootID(t, c); again != root {
		t.Fatalf("root id changed: %s then %s", root, again)
	}
	dev, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Dev")})
	if err != nil {
		t.Fatalf("CreateOrganizationalUnit: %v", err)
	}
	devID := aws.ToString(dev.OrganizationalUnit.Id)
	if !regexp.MustCompile(`^ou-` + strings.TrimPrefix(root, "r-") + `-[0-9a-z]{8}$`).MatchString(devID) {
		t.Fatalf("OU id %q", devID)
	}
	team, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(devID), Name: aws.String("Team")})
	if err != nil {
		t.Fatalf("CreateOrganizationalUnit child: %v", err)
	}
	teamID := aws.ToString(team.OrganizationalUnit.Id)
	_, err = c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Dev")})
	wantAPIError(t, "duplicate OU", err, "DuplicateOrganizationalUnitException")
	_, err = c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("ou-zzzz-zzzzzzzz"), Name: aws.String("X")})
	wantAPIError(t, "unknown parent", err, "ParentNotFoundException")

	d, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(teamID)})
	if err != nil || aws.ToString(d.OrganizationalUnit.Name) != "Team" {
		t.Fatalf("DescribeOrganizationalUnit = %+v, %v", d, err)
	}
	_, err = c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String("ou-zzzz-zzzzzzzz")})
	wantAPIError(t, "describe unknown OU", err, "OrganizationalUnitNotFoundException")
	u, err := c.UpdateOrganizationalUnit(ctx, &organizations.UpdateOrganizationalUnitInput{OrganizationalUnitId: aws.String(teamID), Name: aws.String("Squad")})
	if err != nil || aws.ToString(u.OrganizationalUnit.Name) != "Squad" {
		t.Fatalf("UpdateOrganizationalUnit = %+v, %v", u, err)
	}

	// Move 111111111111: root → Squad.
	_, err = c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String("111111111111"), SourceParentId: aws.String(root), DestinationParentId: aws.String(teamID)})
	if err != nil {
		t.Fatalf("MoveAccount: %v", err)
	}
	moves := []struct {
		name, acct, src, dst, code string
	}{
		{"already there", "111111111111", teamID, teamID, "DuplicateAccountException"},
		{"unknown source", "111111111111", "ou-zzzz-zzzzzzzz", root, "SourceParentNotFoundException"},
		{"unknown destination", "111111111111", teamID, "ou-zzzz-zzzzzzzz", "DestinationParentNotFoundException"},
		{"unknown account", "999999999999", root, teamID, "AccountNotFoundException"},
	}
	for _, m := range moves {
		_, err := c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(m.acct), SourceParentId: aws.String(m.src), DestinationParentId: aws.String(m.dst)})
		wantAPIError(t, m.name, err, m.code)
	}
	p, err := c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String("111111111111")})
	if err != nil || len(p.Parents) != 1 || aws.ToString(p.Parents[0].Id) != teamID || p.Parents[0].Type != orgtypes.ParentTypeOrganizationalUnit {
		t.Fatalf("ListParents(account) = %+v, %v", p, err)
	}
	p, err = c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(devID)})
	if err != nil || len(p.Parents) != 1 || aws.ToString(p.Parents[0].Id) != root || p.Parents[0].Type != orgtypes.ParentTypeRoot {
		t.Fatalf("ListParents(OU) = %+v, %v", p, err)
	}
	_, err = c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String("999999999999")})
	wantAPIError(t, "ListParents unknown", err, "ChildNotFoundException")
	la, err := c.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String(teamID)})
	if err != nil || len(la.Accounts) != 1 || aws.ToString(la.Accounts[0].Id) != "111111111111" {
		t.Fatalf("ListAccountsForParent = %+v, %v", la, err)
	}
	lc, err := c.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: aws.String(root), ChildType: orgtypes.ChildTypeOrganizationalUnit})
	if err != nil || len(lc.Children) != 1 || aws.ToString(lc.Children[0].Id) != devID {
		t.Fatalf("ListChildren(OU) = %+v, %v", lc, err)
	}
	lo, err := c.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(devID)})
	if err != nil || len(lo.OrganizationalUnits) != 1 || aws.ToString(lo.OrganizationalUnits[0].Id) != teamID {
		t.Fatalf("ListOrganizationalUnitsForParent = %+v, %v", lo, err)
	}

	_, err = c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(teamID)})
	wantAPIError(t, "delete OU with an account", err, "OrganizationalUnitNotEmptyException")
	_, err = c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(devID)})
	wantAPIError(t, "delete OU with a child OU", err, "OrganizationalUnitNotEmptyException")
	if _, err := c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String("111111111111"), SourceParentId: aws.String(teamID), DestinationParentId: aws.String(root)}); err != nil {
		t.Fatalf("MoveAccount back: %v", err)
	}
	for _, id := range []string{teamID, devID} {
		if _, err := c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(id)}); err != nil {
			t.Fatalf("DeleteOrganizationalUnit %s: %v", id, err)
		}
	}
	_, err = c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(devID)})
	wantAPIError(t, "delete deleted OU", err, "OrganizationalUnitNotFoundException")
}

func TestOrganizationsCreateAccountAndAccessRole(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String("new@example.com"), AccountName: aws.String("new"),
		Tags: []orgtypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
	if err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	st := out.CreateAccountStatus
	if st.State != orgtypes.CreateAccountStateInProgress || !regexp.MustCompile(`^car-[0-9a-f]{32}$`).MatchString(aws.ToString(st.Id)) {
		t.Fatalf("CreateAccount status = %+v", st)
	}
	d, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id})
	if err != nil || d.CreateAccountStatus.State != orgtypes.CreateAccountStateSucceeded {
		t.Fatalf("DescribeCreateAccountStatus = %+v, %v", d, err)
	}
	acct := aws.ToString(d.CreateAccountStatus.AccountId)
	if !regexp.MustCompile(`^\d{12}$`).MatchString(acct) {
		t.Fatalf("new account id %q", acct)
	}
	if da, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(acct)}); err != nil || aws.ToString(da.Account.Email) != "new@example.com" {
		t.Fatalf("DescribeAccount = %+v, %v", da, err)
	}
	tags, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String(acct)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "blue" {
		t.Fatalf("ListTagsForResource = %+v, %v", tags, err)
	}
	_, err = c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: aws.String("car-00000000000000000000000000000000")})
	wantAPIError(t, "unknown request", err, "CreateAccountStatusNotFoundException")

	// Same e-mail: the request fails asynchronously.
	dup, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String("NEW@example.com"), AccountName: aws.String("again")})
	if err != nil {
		t.Fatalf("CreateAccount dup: %v", err)
	}
	dd, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: dup.CreateAccountStatus.Id})
	if err != nil || dd.CreateAccountStatus.State != orgtypes.CreateAccountStateFailed || dd.CreateAccountStatus.FailureReason != orgtypes.CreateAccountFailureReasonEmailAlreadyExists {
		t.Fatalf("dup status = %+v, %v", dd, err)
	}
	ls, err := c.ListCreateAccountStatus(ctx, &organizations.ListCreateAccountStatusInput{States: []orgtypes.CreateAccountState{orgtypes.CreateAccountStateFailed}})
	if err != nil || len(ls.CreateAccountStatuses) != 1 {
		t.Fatalf("ListCreateAccountStatus(FAILED) = %+v, %v", ls, err)
	}

	// The management account assumes the new account's access role and sees it through IAM.
	roleARN := "arn:aws:iam::" + acct + ":role/OrganizationAccountAccessRole"
	as, err := sts.NewFromConfig(ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("admin")})
	if err != nil {
		t.Fatalf("AssumeRole into the new account: %v", err)
	}
	ic := iam.NewFromConfig(sessionConfig(t, ts, as.Credentials))
	gr, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("OrganizationAccountAccessRole")})
	if err != nil {
		t.Fatalf("GetRole: %v", err)
	}
	trust, _ := url.QueryUnescape(aws.ToString(gr.Role.AssumeRolePolicyDocument))
	if aws.ToString(gr.Role.Arn) != roleARN || !strings.Contains(trust, "arn:aws:iam::"+ts.World.Organization.ManagementAccountID+":root") {
		t.Fatalf("role = %s, trust %s", aws.ToString(gr.Role.Arn), trust)
	}
	ap, err := ic.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("OrganizationAccountAccessRole")})
	if err != nil || len(ap.AttachedPolicies) != 1 || aws.ToString(ap.AttachedPolicies[0].PolicyArn) != "arn:aws:iam::aws:policy/AdministratorAccess" {
		t.Fatalf("ListAttachedRolePolicies = %+v, %v", ap, err)
	}
}

func TestOrganizationsPolicies(t *testing.T) {
	ctx := context.Background()
	_, c := orgMembers(t)
	root := rootID(t, c)
	ou, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Sandbox")})
	if err != nil {
		t.Fatalf("CreateOrganizationalUnit: %v", err)
	}
	ouID := aws.ToString(ou.OrganizationalUnit.Id)
	scp := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`
	cp, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("NoUsers"), Description: aws.String("d"),
		Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(scp)})
	if err != nil {
		t.Fatalf("CreatePolicy: %v", err)
	}
	pid := cp.Policy.PolicySummary.Id
	_, err = c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("NoUsers"), Description: aws.String("d"),
		Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(scp)})
	wantAPIError(t, "duplicate name", err, "DuplicatePolicyException")
	_, err = c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("Bad"), Description: aws.String("d"),
		Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)})
	wantAPIError(t, "SCP with a principal", err, "MalformedPolicyDocumentException")
	_, err = c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("Tags"), Description: aws.String("d"),
		Type: orgtypes.PolicyTypeTagPolicy, Content: aws.String(`{"tags":{}}`)})
	if err != nil {
		t.Fatalf("CreatePolicy(tag): %v", err)
	}

	if _, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: pid, TargetId: aws.String(ouID)}); err != nil {
		t.Fatalf("AttachPolicy: %v", err)
	}
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: pid, TargetId: aws.String(ouID)})
	wantAPIError(t, "attach twice", err, "DuplicatePolicyAttachmentException")
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: pid, TargetId: aws.String("999999999999")})
	wantAPIError(t, "attach to unknown target", err, "TargetNotFoundException")
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String("p-zzzzzzzz"), TargetId: aws.String(ouID)})
	wantAPIError(t, "attach unknown policy", err, "PolicyNotFoundException")

	lp, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(ouID), Filter: orgtypes.PolicyTypeServiceControlPolicy})
	if err != nil || len(lp.Policies) != 2 {
		t.Fatalf("ListPoliciesForTarget = %+v, %v", lp, err)
	}
	got := map[string]bool{}
	for _, p := range lp.Policies {
		got[aws.ToString(p.Id)] = true
	}
	if !got[aws.ToString(pid)] || !got["p-FullAWSAccess"] {
		t.Fatalf("OU policies = %v, want NoUsers and FullAWSAccess", got)
	}
	lt, err := c.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: pid})
	if err != nil || len(lt.Targets) != 1 || aws.ToString(lt.Targets[0].TargetId) != ouID || lt.Targets[0].Type != orgtypes.TargetTypeOrganizationalUnit {
		t.Fatalf("ListTargetsForPolicy = %+v, %v", lt, err)
	}
	lpol, err := c.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: orgtypes.PolicyTypeServiceControlPolicy})
	if err != nil || len(lpol.Policies) != 2 {
		t.Fatalf("ListPolicies(SCP) = %+v, %v", lpol, err)
	}

	_, err = c.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: pid})
	wantAPIError(t, "delete attached", err, "PolicyInUseException")
	_, err = c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String("p-FullAWSAccess"), Name: aws.String("x")})
	wantAPIError(t, "update AWS managed", err, "InvalidInputException")
	up, err := c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: pid, Name: aws.String("NoIAMUsers")})
	if err != nil || aws.ToString(up.Policy.PolicySummary.Name) != "NoIAMUsers" || aws.ToString(up.Policy.Content) != scp {
		t.Fatalf("UpdatePolicy = %+v, %v", up, err)
	}
	_, err = c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String("222222222222")})
	wantAPIError(t, "detach the last SCP", err, "ConstraintViolationException")
	if _, err := c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: pid, TargetId: aws.String(ouID)}); err != nil {
		t.Fatalf("DetachPolicy: %v", err)
	}
	_, err = c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: pid, TargetId: aws.String(ouID)})
	wantAPIError(t, "detach twice", err, "PolicyNotAttachedException")
	if _, err := c.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: pid}); err != nil {
		t.Fatalf("DeletePolicy: %v", err)
	}
	_, err = c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: pid})
	wantAPIError(t, "describe deleted", err, "PolicyNotFoundException")

	// Policy types in the root.
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: orgtypes.PolicyTypeServiceControlPolicy})
	wantAPIError(t, "enable twice", err, "PolicyTypeAlreadyEnabledException")
	tags, _ := c.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: orgtypes.PolicyTypeTagPolicy})
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: tags.Policies[0].Id, TargetId: aws.String(root)})
	wantAPIError(t, "attach a type not enabled", err, "PolicyTypeNotEnabledException")
	en, err := c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: orgtypes.PolicyTypeTagPolicy})
	if err != nil || len(en.Root.PolicyTypes) != 2 {
		t.Fatalf("EnablePolicyType = %+v, %v", en, err)
	}
	if _, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: tags.Policies[0].Id, TargetId: aws.String(root)}); err != nil {
		t.Fatalf("AttachPolicy(tag): %v", err)
	}
	_, err = c.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: aws.String("r-zzzz"), PolicyType: orgtypes.PolicyTypeTagPolicy})
	wantAPIError(t, "unknown root", err, "RootNotFoundException")
	if _, err := c.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: aws.String(root), PolicyType: orgtypes.PolicyTypeTagPolicy}); err != nil {
		t.Fatalf("DisablePolicyType: %v", err)
	}
	if lt, _ := c.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: tags.Policies[0].Id}); len(lt.Targets) != 0 {
		t.Fatalf("tag policy still attached after disabling: %+v", lt.Targets)
	}
}

func TestOrganizationsTagsAndDelegatedAdmin(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	if _, err := c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String("222222222222"),
		Tags: []orgtypes.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if _, err := c.UntagResource(ctx, &organizations.UntagResourceInput{ResourceId: aws.String("222222222222"), TagKeys: []string{"a"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	lt, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String("222222222222")})
	if err != nil || len(lt.Tags) != 1 || aws.ToString(lt.Tags[0].Key) != "b" {
		t.Fatalf("ListTagsForResource = %+v, %v", lt, err)
	}
	_, err = c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String("999999999999"), Tags: []orgtypes.Tag{{Key: aws.String("a"), Value: aws.String("1")}}})
	wantAPIError(t, "tag unknown", err, "TargetNotFoundException")

	const sso = "sso.amazonaws.com"
	_, err = c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String("111111111111"), ServicePrincipal: aws.String(sso)})
	wantAPIError(t, "register without trusted access", err, "ConstraintViolationException")
	if _, err := c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(sso)}); err != nil {
		t.Fatalf("EnableAWSServiceAccess: %v", err)
	}
	sa, err := c.ListAWSServiceAccessForOrganization(ctx, &organizations.ListAWSServiceAccessForOrganizationInput{})
	if err != nil || len(sa.EnabledServicePrincipals) != 1 || aws.ToString(sa.EnabledServicePrincipals[0].ServicePrincipal) != sso {
		t.Fatalf("ListAWSServiceAccessForOrganization = %+v, %v", sa, err)
	}
	if _, err := c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String("111111111111"), ServicePrincipal: aws.String(sso)}); err != nil {
		t.Fatalf("RegisterDelegatedAdministrator: %v", err)
	}
	regs := []struct{ name, acct, code string }{
		{"twice", "111111111111", "AccountAlreadyRegisteredException"},
		{"management account", ts.World.Organization.ManagementAccountID, "ConstraintViolationException"},
		{"unknown account", "999999999999", "AccountNotFoundException"},
	}
	for _, r := range regs {
		_, err := c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(r.acct), ServicePrincipal: aws.String(sso)})
		wantAPIError(t, r.name, err, r.code)
	}
	la, err := c.ListDelegatedAdministrators(ctx, &organizations.ListDelegatedAdministratorsInput{ServicePrincipal: aws.String(sso)})
	if err != nil || len(la.DelegatedAdministrators) != 1 || aws.ToString(la.DelegatedAdministrators[0].Id) != "111111111111" {
		t.Fatalf("ListDelegatedAdministrators = %+v, %v", la, err)
	}
	ls, err := c.ListDelegatedServicesForAccount(ctx, &organizations.ListDelegatedServicesForAccountInput{AccountId: aws.String("111111111111")})
	if err != nil || len(ls.DelegatedServices) != 1 || aws.ToString(ls.DelegatedServices[0].ServicePrincipal) != sso {
		t.Fatalf("ListDelegatedServicesForAccount = %+v, %v", ls, err)
	}
	_, err = c.ListDelegatedServicesForAccount(ctx, &organizations.ListDelegatedServicesForAccountInput{AccountId: aws.String("222222222222")})
	wantAPIError(t, "services of a non-admin", err, "AccountNotRegisteredException")
	if _, err := c.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{AccountId: aws.String("111111111111"), ServicePrincipal: aws.String(sso)}); err != nil {
		t.Fatalf("DeregisterDelegatedAdministrator: %v", err)
	}
	_, err = c.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{AccountId: aws.String("111111111111"), ServicePrincipal: aws.String(sso)})
	wantAPIError(t, "deregister twice", err, "AccountNotRegisteredException")
	if _, err := c.DisableAWSServiceAccess(ctx, &organizations.DisableAWSServiceAccessInput{ServicePrincipal: aws.String(sso)}); err != nil {
		t.Fatalf("DisableAWSServiceAccess: %v", err)
	}
}
