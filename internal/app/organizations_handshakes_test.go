package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// newMember creates a member account with CreateAccount and returns its id
// and an Organizations client signed by its OrganizationAccountAccessRole
// (assumed from the management account).
func newMember(t *testing.T, ts *testServer, c *organizations.Client, email string) (string, *organizations.Client, *sts.Client) {
	t.Helper()
	ctx := context.Background()
	out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String(email), AccountName: aws.String(strings.Split(email, "@")[0])})
	if err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	st, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.CreateAccountStatus.Id})
	if err != nil || st.CreateAccountStatus.State != orgtypes.CreateAccountStateSucceeded {
		t.Fatalf("create account: %+v, %v", st, err)
	}
	acct := aws.ToString(st.CreateAccountStatus.AccountId)
	as, err := sts.NewFromConfig(ts.rootConfig(t)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + acct + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("admin")})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	cfg := sessionConfig(t, ts, as.Credentials)
	return acct, organizations.NewFromConfig(cfg), sts.NewFromConfig(cfg)
}

func wantReason[E interface {
	*orgtypes.HandshakeConstraintViolationException | *orgtypes.ConstraintViolationException | *orgtypes.InvalidInputException
}](t *testing.T, what string, err error, reason string) {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("%s: err = %v, want %T", what, err, e)
	}
	var got string
	switch x := any(e).(type) {
	case *orgtypes.HandshakeConstraintViolationException:
		got = string(x.Reason)
	case *orgtypes.ConstraintViolationException:
		got = string(x.Reason)
	case *orgtypes.InvalidInputException:
		got = string(x.Reason)
	}
	if got != reason {
		t.Fatalf("%s: reason %q, want %q (%v)", what, got, reason, err)
	}
}

func handshakeIDs(hs []orgtypes.Handshake) []string {
	var out []string
	for _, h := range hs {
		out = append(out, aws.ToString(h.Id)+"="+string(h.State))
	}
	return out
}

// TestOrganizationsInviteAcceptLeave: a removed member is invited back by id,
// accepts with its own principal, and leaves on its own.
func TestOrganizationsInviteAcceptLeave(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	mgmt := ts.World.Organization.ManagementAccountID
	acct, member, _ := newMember(t, ts, c, "joiner@example.com")

	_, err := member.InviteAccountToOrganization(ctx, &organizations.InviteAccountToOrganizationInput{
		Target: &orgtypes.HandshakeParty{Id: aws.String("999999999999"), Type: orgtypes.HandshakePartyTypeAccount}})
	wantAPIError(t, "invite from a member account", err, "AccessDeniedException")
	_, err = c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(mgmt)})
	wantAPIError(t, "remove the management account", err, "MasterCannotLeaveOrganizationException")
	if _, err := c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(acct)}); err != nil {
		t.Fatalf("RemoveAccountFromOrganization: %v", err)
	}
	_, err = c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(acct)})
	wantAPIError(t, "remove twice", err, "AccountNotFoundException")
	_, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(acct)})
	wantAPIError(t, "removed account", err, "AccountNotFoundException")

	// The standalone account is in no organization and can't create one (idcenter hosts one).
	_, err = member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantAPIError(t, "standalone account describes", err, "AWSOrganizationsNotInUseException")
	_, err = member.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	wantAPIError(t, "standalone account creates", err, "AccessDeniedException")
	_, err = member.DescribeEffectivePolicy(ctx, &organizations.DescribeEffectivePolicyInput{PolicyType: orgtypes.EffectivePolicyTypeTagPolicy})
	wantAPIError(t, "standalone account's effective policy", err, "AWSOrganizationsNotInUseException")
	// It has received nothing yet.
	if l, err := member.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{}); err != nil || len(l.Handshakes) != 0 {
		t.Fatalf("ListHandshakesForAccount before = %+v, %v", l, err)
	}
	inv, err := c.InviteAccountToOrganization(ctx, &organizations.InviteAccountToOrganizationInput{
		Target: &orgtypes.HandshakeParty{Id: aws.String(acct), Type: orgtypes.HandshakePartyTypeAccount},
		Notes:  aws.String("come back"), Tags: []orgtypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
	if err != nil {
		t.Fatalf("InviteAccountToOrganization: %v", err)
	}
	h := inv.Handshake
	id := aws.ToString(h.Id)
	o, _ := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	orgID := aws.ToString(o.Organization.Id)
	if !regexp.MustCompile(`^h-[0-9a-z]{8,32}$`).MatchString(id) || aws.ToString(h.Arn) != "arn:aws:organizations::"+mgmt+":handshake/"+orgID+"/invite/"+id ||
		h.State != orgtypes.HandshakeStateOpen || h.Action != orgtypes.ActionTypeInviteAccountToOrganization {
		t.Fatalf("handshake = %+v", h)
	}
	if got := h.ExpirationTimestamp.Sub(*h.RequestedTimestamp); got != 15*24*time.Hour {
		t.Fatalf("lifetime %v, want 15 days", got)
	}
	wantParties := []orgtypes.HandshakeParty{{Id: aws.String(orgID), Type: orgtypes.HandshakePartyTypeOrganization}, {Id: aws.String(acct), Type: orgtypes.HandshakePartyTypeAccount}}
	if !reflect.DeepEqual(h.Parties, wantParties) {
		t.Fatalf("parties = %+v", h.Parties)
	}
	var notes, orgRes bool
	for _, r := range h.Resources {
		notes = notes || (r.Type == orgtypes.HandshakeResourceTypeNotes && aws.ToString(r.Value) == "come back")
		orgRes = orgRes || (r.Type == orgtypes.HandshakeResourceTypeOrganization && aws.ToString(r.Value) == orgID && len(r.Resources) == 3)
	}
	if !notes || !orgRes {
		t.Fatalf("resources = %+v", h.Resources)
	}

	// Documented errors of an invitation.
	errCases := []struct {
		name   string
		target orgtypes.HandshakeParty
		check  func(error)
	}{
		{"duplicate", orgtypes.HandshakeParty{Id: aws.String(acct), Type: orgtypes.HandshakePartyTypeAccount},
			func(err error) { wantAPIError(t, "duplicate", err, "DuplicateHandshakeException") }},
		{"a member", orgtypes.HandshakeParty{Id: aws.String("222222222222"), Type: orgtypes.HandshakePartyTypeAccount},
			func(err error) {
				wantReason[*orgtypes.HandshakeConstraintViolationException](t, "member", err, "ALREADY_IN_AN_ORGANIZATION")
			}},
		{"a member's e-mail", orgtypes.HandshakeParty{Id: aws.String("111111111111@idcenter.local"), Type: orgtypes.HandshakePartyTypeEmail},
			func(err error) {
				wantReason[*orgtypes.HandshakeConstraintViolationException](t, "email", err, "ALREADY_IN_AN_ORGANIZATION")
			}},
		{"an organization", orgtypes.HandshakeParty{Id: aws.String(orgID), Type: orgtypes.HandshakePartyTypeOrganization},
			func(err error) {
				wantReason[*orgtypes.InvalidInputException](t, "org", err, "INVALID_PARTY_TYPE_TARGET")
			}},
		{"a bad account id", orgtypes.HandshakeParty{Id: aws.String("12345"), Type: orgtypes.HandshakePartyTypeAccount},
			func(err error) {
				wantReason[*orgtypes.InvalidInputException](t, "bad id", err, "INVALID_PARTY_TYPE_TARGET")
			}},
		{"a bad e-mail", orgtypes.HandshakeParty{Id: aws.String("nobody"), Type: orgtypes.HandshakePartyTypeEmail},
			func(err error) {
				wantReason[*orgtypes.InvalidInputException](t, "bad mail", err, "INVALID_EMAIL_ADDRESS_TARGET")
			}},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			tg := tc.target
			_, err := c.InviteAccountToOrganization(ctx, &organizations.InviteAccountToOrganizationInput{Target: &tg})
			tc.check(err)
		})
	}

	// Who sees it.
	l, err := member.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{})
	if err != nil || !reflect.DeepEqual(handshakeIDs(l.Handshakes), []string{id + "=OPEN"}) {
		t.Fatalf("member ListHandshakesForAccount = %v, %v", handshakeIDs(l.Handshakes), err)
	}
	lo, err := c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{Filter: &orgtypes.HandshakeFilter{ActionType: orgtypes.ActionTypeInviteAccountToOrganization}})
	if err != nil || !reflect.DeepEqual(handshakeIDs(lo.Handshakes), []string{id + "=OPEN"}) {
		t.Fatalf("ListHandshakesForOrganization = %v, %v", handshakeIDs(lo.Handshakes), err)
	}
	lo, err = c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{Filter: &orgtypes.HandshakeFilter{ActionType: orgtypes.ActionTypeEnableAllFeatures}})
	if err != nil || len(lo.Handshakes) != 0 {
		t.Fatalf("ListHandshakesForOrganization ENABLE_ALL_FEATURES = %v, %v", handshakeIDs(lo.Handshakes), err)
	}
	_, err = c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{Filter: &orgtypes.HandshakeFilter{
		ActionType: orgtypes.ActionTypeInviteAccountToOrganization, ParentHandshakeId: aws.String(id)}})
	wantAPIError(t, "two filters", err, "InvalidInputException")
	_, err = member.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{})
	wantAPIError(t, "member lists the organization's handshakes", err, "AccessDeniedException")
	if d, err := member.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: aws.String(id)}); err != nil || aws.ToString(d.Handshake.Id) != id {
		t.Fatalf("member DescribeHandshake = %+v, %v", d, err)
	}
	_, err = c.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: aws.String("h-0000000000")})
	wantAPIError(t, "unknown handshake", err, "HandshakeNotFoundException")

	// Only the recipient accepts; only the sender cancels.
	_, err = c.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: aws.String(id)})
	wantAPIError(t, "sender accepts", err, "AccessDeniedException")
	_, err = member.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: aws.String(id)})
	wantAPIError(t, "recipient cancels", err, "AccessDeniedException")
	acc, err := member.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: aws.String(id)})
	if err != nil || acc.Handshake.State != orgtypes.HandshakeStateAccepted {
		t.Fatalf("AcceptHandshake = %+v, %v", acc, err)
	}
	_, err = member.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: aws.String(id)})
	wantAPIError(t, "accept twice", err, "HandshakeAlreadyInStateException")
	_, err = c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: aws.String(id)})
	wantAPIError(t, "cancel accepted", err, "InvalidHandshakeTransitionException")
	d, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(acct)})
	if err != nil || d.Account.JoinedMethod != orgtypes.AccountJoinedMethodInvited || aws.ToString(d.Account.Email) != "joiner@example.com" ||
		d.Account.State != orgtypes.AccountStateActive {
		t.Fatalf("joined account = %+v, %v", d, err)
	}
	tags, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String(acct)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "blue" {
		t.Fatalf("invitation's tags on the account = %+v, %v", tags, err)
	}

	// Leaving: the management account can't; the member can.
	_, err = c.LeaveOrganization(ctx, &organizations.LeaveOrganizationInput{})
	wantAPIError(t, "management account leaves", err, "MasterCannotLeaveOrganizationException")
	if _, err := member.LeaveOrganization(ctx, &organizations.LeaveOrganizationInput{}); err != nil {
		t.Fatalf("LeaveOrganization: %v", err)
	}
	_, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(acct)})
	wantAPIError(t, "left account", err, "AccountNotFoundException")
	_, err = member.LeaveOrganization(ctx, &organizations.LeaveOrganizationInput{})
	wantAPIError(t, "leave twice", err, "AWSOrganizationsNotInUseException")
}

// TestOrganizationsDeclineAndCancel: an invitation by e-mail declined by its
// recipient, another canceled by the sender, and the transitions refused after.
func TestOrganizationsDeclineAndCancel(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	acct, member, _ := newMember(t, ts, c, "Decider@Example.com")
	if _, err := c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(acct)}); err != nil {
		t.Fatal(err)
	}
	invite := func(email string) string {
		t.Helper()
		out, err := c.InviteAccountToOrganization(ctx, &organizations.InviteAccountToOrganizationInput{
			Target: &orgtypes.HandshakeParty{Id: aws.String(email), Type: orgtypes.HandshakePartyTypeEmail}})
		if err != nil {
			t.Fatalf("invite %s: %v", email, err)
		}
		return aws.ToString(out.Handshake.Id)
	}
	// An invitation to another e-mail is not this account's.
	other := invite("someone.else@example.com")
	_, err := member.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: aws.String(other)})
	wantAPIError(t, "someone else's invitation", err, "HandshakeNotFoundException")

	first := invite("decider@example.com") // e-mail matching is case-insensitive
	dec, err := member.DeclineHandshake(ctx, &organizations.DeclineHandshakeInput{HandshakeId: aws.String(first)})
	if err != nil || dec.Handshake.State != orgtypes.HandshakeStateDeclined {
		t.Fatalf("DeclineHandshake = %+v, %v", dec, err)
	}
	_, err = member.DeclineHandshake(ctx, &organizations.DeclineHandshakeInput{HandshakeId: aws.String(first)})
	wantAPIError(t, "decline twice", err, "HandshakeAlreadyInStateException")
	_, err = c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: aws.String(first)})
	wantAPIError(t, "cancel declined", err, "InvalidHandshakeTransitionException")
	_, err = member.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: aws.String(first)})
	wantAPIError(t, "accept declined", err, "InvalidHandshakeTransitionException")

	second := invite("decider@example.com") // the declined one no longer blocks a new one
	can, err := c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: aws.String(second)})
	if err != nil || can.Handshake.State != orgtypes.HandshakeStateCanceled {
		t.Fatalf("CancelHandshake = %+v, %v", can, err)
	}
	_, err = c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: aws.String(second)})
	wantAPIError(t, "cancel twice", err, "HandshakeAlreadyInStateException")
	_, err = member.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: aws.String(second)})
	wantAPIError(t, "accept canceled", err, "InvalidHandshakeTransitionException")
	l, err := member.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{MaxResults: aws.Int32(1)})
	if err != nil || len(l.Handshakes) != 1 || l.NextToken == nil {
		t.Fatalf("first page = %v, %v", handshakeIDs(l.Handshakes), err)
	}
	l2, err := member.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{MaxResults: aws.Int32(1), NextToken: l.NextToken})
	if err != nil || len(l2.Handshakes) != 1 || l2.NextToken != nil {
		t.Fatalf("second page = %v, %v", handshakeIDs(l2.Handshakes), err)
	}
	got := map[string]bool{}
	for _, h := range append(l.Handshakes, l2.Handshakes...) {
		got[aws.ToString(h.Id)+"="+string(h.State)] = true
	}
	if !got[first+"=DECLINED"] || !got[second+"=CANCELED"] {
		t.Fatalf("member's handshakes = %v", got)
	}
	if _, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(acct)}); err == nil {
		t.Fatal("the account joined without accepting")
	}
}

// TestOrganizationsCloseAccount: a closed account is SUSPENDED and its
// principals are refused; the documented errors of CloseAccount.
func TestOrganizationsCloseAccount(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	mgmt := ts.World.Organization.ManagementAccountID
	acct, member, memberSTS := newMember(t, ts, c, "closing@example.com")
	if _, err := memberSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity before closing: %v", err)
	}
	_, err := member.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String("111111111111")})
	wantAPIError(t, "member closes another account", err, "AccessDeniedException")
	cases := []struct {
		name, id string
		check    func(error)
	}{
		{"management account", mgmt, func(err error) {
			wantReason[*orgtypes.ConstraintViolationException](t, "mgmt", err, "CANNOT_CLOSE_MANAGEMENT_ACCOUNT")
		}},
		{"unknown account", "999999999999", func(err error) { wantAPIError(t, "unknown", err, "AccountNotFoundException") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(tc.id)})
			tc.check(err)
		})
	}
	if _, err := c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(acct)}); err != nil {
		t.Fatalf("CloseAccount: %v", err)
	}
	d, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(acct)})
	if err != nil || d.Account.Status != orgtypes.AccountStatusSuspended {
		t.Fatalf("closed account = %+v, %v", d, err)
	}
	_, err = c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(acct)})
	wantAPIError(t, "close twice", err, "AccountAlreadyClosedException")
	_, err = memberSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, "closed account's session (sts)", err, "AccessDenied")
	_, err = member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantAPIError(t, "closed account's session (organizations)", err, "AccessDeniedException")
	// The management account is untouched.
	if _, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err != nil {
		t.Fatalf("management account after a closure: %v", err)
	}
	_, err = c.CreateGovCloudAccount(ctx, &organizations.CreateGovCloudAccountInput{Email: aws.String("gov@example.com"), AccountName: aws.String("gov")})
	wantReason[*orgtypes.ConstraintViolationException](t, "govcloud", err, "MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED")
}

// TestOrganizationsDeleteAndRecreate: an organization with members can't be
// deleted; an empty one can, is then not in use, and can be created again in
// CONSOLIDATED_BILLING mode and moved to all features through the
// ENABLE_ALL_FEATURES / APPROVE_ALL_FEATURES handshakes, with an invited
// member approving.
func TestOrganizationsDeleteAndRecreate(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	_, err := c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{})
	wantAPIError(t, "delete with members", err, "OrganizationNotEmptyException")
	_, err = c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	wantAPIError(t, "create while in one", err, "AlreadyInOrganizationException")

	ts = startServer(t)
	c = organizations.NewFromConfig(ts.rootConfig(t))
	old, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{}); err != nil {
		t.Fatalf("DeleteOrganization: %v", err)
	}
	_, err = c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantAPIError(t, "describe deleted", err, "AWSOrganizationsNotInUseException")
	_, err = c.ListRoots(ctx, &organizations.ListRootsInput{})
	wantAPIError(t, "roots of deleted", err, "AWSOrganizationsNotInUseException")
	_, err = c.ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantAPIError(t, "accounts of deleted", err, "AWSOrganizationsNotInUseException")
	_, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: old.Organization.MasterAccountId})
	wantAPIError(t, "account of deleted", err, "AWSOrganizationsNotInUseException")
	if _, err := sts.NewFromConfig(ts.rootConfig(t)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("management account without an organization: %v", err)
	}

	cr, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetConsolidatedBilling})
	if err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	o := cr.Organization
	if aws.ToString(o.Id) == aws.ToString(old.Organization.Id) || o.FeatureSet != orgtypes.OrganizationFeatureSetConsolidatedBilling ||
		len(o.AvailablePolicyTypes) != 0 || aws.ToString(o.MasterAccountId) != ts.World.Organization.ManagementAccountID ||
		!strings.HasSuffix(aws.ToString(o.MasterAccountArn), aws.ToString(o.Id)+"/"+aws.ToString(o.MasterAccountId)) {
		t.Fatalf("new organization = %+v (old %s)", o, aws.ToString(old.Organization.Id))
	}
	_, err = c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String("123456789012")})
	wantReason[*orgtypes.ConstraintViolationException](t, "close in billing mode", err, "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE")
	newRoot := rootID(t, c)
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(newRoot), PolicyType: orgtypes.PolicyTypeTagPolicy})
	wantAPIError(t, "policy type in billing mode", err, "PolicyTypeNotAvailableForOrganizationException")

	// An invited member: created, removed, invited back.
	acct, member, _ := newMember(t, ts, c, "invited@example.com")
	if _, err := c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(acct)}); err != nil {
		t.Fatal(err)
	}
	inv, err := c.InviteAccountToOrganization(ctx, &organizations.InviteAccountToOrganizationInput{
		Target: &orgtypes.HandshakeParty{Id: aws.String(acct), Type: orgtypes.HandshakePartyTypeAccount}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := member.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: inv.Handshake.Id}); err != nil {
		t.Fatalf("accept invitation: %v", err)
	}

	ef, err := c.EnableAllFeatures(ctx, &organizations.EnableAllFeaturesInput{})
	if err != nil || ef.Handshake.Action != orgtypes.ActionTypeEnableAllFeatures || ef.Handshake.State != orgtypes.HandshakeStateRequested ||
		!strings.Contains(aws.ToString(ef.Handshake.Arn), "/enable_all_features/") {
		t.Fatalf("EnableAllFeatures = %+v, %v", ef, err)
	}
	parent := aws.ToString(ef.Handshake.Id)
	_, err = c.EnableAllFeatures(ctx, &organizations.EnableAllFeaturesInput{})
	wantReason[*orgtypes.HandshakeConstraintViolationException](t, "enable twice", err, "ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION")
	_, err = c.InviteAccountToOrganization(ctx, &organizations.InviteAccountToOrganizationInput{
		Target: &orgtypes.HandshakeParty{Id: aws.String("999999999999"), Type: orgtypes.HandshakePartyTypeAccount}})
	wantReason[*orgtypes.HandshakeConstraintViolationException](t, "invite while enabling", err, "INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES")
	_, err = c.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: aws.String(parent)})
	wantAPIError(t, "finalize before the members approve", err, "InvalidHandshakeTransitionException")

	// The invited member approves its ENABLE_ALL_FEATURES handshake.
	mine, err := member.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{Filter: &orgtypes.HandshakeFilter{ParentHandshakeId: aws.String(parent)}})
	if err != nil || len(mine.Handshakes) != 1 || mine.Handshakes[0].Action != orgtypes.ActionTypeEnableAllFeatures {
		t.Fatalf("member's all-features handshakes = %+v, %v", mine, err)
	}
	if _, err := member.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: mine.Handshakes[0].Id}); err != nil {
		t.Fatalf("member approves: %v", err)
	}
	// Now the management account has APPROVE_ALL_FEATURES and the request is OPEN.
	approvals, err := c.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{Filter: &orgtypes.HandshakeFilter{ActionType: orgtypes.ActionTypeApproveAllFeatures}})
	if err != nil || len(approvals.Handshakes) != 1 {
		t.Fatalf("APPROVE_ALL_FEATURES = %+v, %v", approvals, err)
	}
	if d, err := c.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: aws.String(parent)}); err != nil || d.Handshake.State != orgtypes.HandshakeStateOpen {
		t.Fatalf("request after approvals = %+v, %v", d, err)
	}
	_, err = member.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: approvals.Handshakes[0].Id})
	wantAPIError(t, "member accepts the final approval", err, "HandshakeNotFoundException")
	fin, err := c.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: approvals.Handshakes[0].Id})
	if err != nil || fin.Handshake.State != orgtypes.HandshakeStateAccepted {
		t.Fatalf("finalize = %+v, %v", fin, err)
	}
	d, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil || d.Organization.FeatureSet != orgtypes.OrganizationFeatureSetAll || len(d.Organization.AvailablePolicyTypes) != 1 ||
		d.Organization.AvailablePolicyTypes[0].Type != orgtypes.PolicyTypeServiceControlPolicy {
		t.Fatalf("organization after all features = %+v, %v", d, err)
	}
	if p, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(acct), Filter: orgtypes.PolicyTypeServiceControlPolicy}); err != nil ||
		len(p.Policies) != 1 || aws.ToString(p.Policies[0].Name) != "FullAWSAccess" {
		t.Fatalf("SCPs of the member after all features = %+v, %v", p, err)
	}
	_, err = c.EnableAllFeatures(ctx, &organizations.EnableAllFeaturesInput{})
	wantReason[*orgtypes.HandshakeConstraintViolationException](t, "already all features", err, "ORGANIZATION_ALREADY_HAS_ALL_FEATURES")
	if l, err := c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{Filter: &orgtypes.HandshakeFilter{ParentHandshakeId: aws.String(parent)}}); err != nil || len(l.Handshakes) != 2 {
		t.Fatalf("children of the request = %v, %v", handshakeIDs(l.Handshakes), err)
	}
}

// TestOrganizationsEffectiveTagPolicy: tag policies along root → OU →
// account merge with @@assign, @@append and @@remove; a child operator a
// parent forbids makes the effective policy invalid.
func TestOrganizationsEffectiveTagPolicy(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	root := rootID(t, c)
	acct, member, _ := newMember(t, ts, c, "tagged@example.com")
	if _, err := c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: orgtypes.PolicyTypeTagPolicy}); err != nil {
		t.Fatal(err)
	}
	ou, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Tagged")})
	if err != nil {
		t.Fatal(err)
	}
	ouID := aws.ToString(ou.OrganizationalUnit.Id)
	if _, err := c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(acct), SourceParentId: aws.String(root), DestinationParentId: aws.String(ouID)}); err != nil {
		t.Fatal(err)
	}
	attach := func(name, content, target string) string {
		t.Helper()
		p, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(name), Description: aws.String(name), Type: orgtypes.PolicyTypeTagPolicy, Content: aws.String(content)})
		if err != nil {
			t.Fatalf("CreatePolicy %s: %v", name, err)
		}
		if _, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.Policy.PolicySummary.Id, TargetId: aws.String(target)}); err != nil {
			t.Fatalf("AttachPolicy %s: %v", name, err)
		}
		return aws.ToString(p.Policy.PolicySummary.Id)
	}
	_, err = c.DescribeEffectivePolicy(ctx, &organizations.DescribeEffectivePolicyInput{PolicyType: orgtypes.EffectivePolicyTypeTagPolicy, TargetId: aws.String(acct)})
	wantAPIError(t, "no tag policy yet", err, "EffectivePolicyNotFoundException")

	attach("root-tags", `{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@assign":["100","200"]}},"project":{"tag_key":{"@@assign":"Project"}}}}`, root)
	attach("ou-tags", `{"tags":{"costcenter":{"tag_value":{"@@append":["300"]},"enforced_for":{"@@assign":["secretsmanager:*"]}}}}`, ouID)
	attach("acct-tags", `{"tags":{"costcenter":{"tag_value":{"@@remove":["100"]}}}}`, acct)

	want := map[string]any{"tags": map[string]any{
		"costcenter": map[string]any{"tag_key": "CostCenter", "tag_value": []any{"200", "300"}, "enforced_for": []any{"secretsmanager:*"}},
		"project":    map[string]any{"tag_key": "Project"},
	}}
	check := func(what string, c *organizations.Client, target *string) {
		t.Helper()
		e, err := c.DescribeEffectivePolicy(ctx, &organizations.DescribeEffectivePolicyInput{PolicyType: orgtypes.EffectivePolicyTypeTagPolicy, TargetId: target})
		if err != nil {
			t.Fatalf("%s: DescribeEffectivePolicy: %v", what, err)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(aws.ToString(e.EffectivePolicy.PolicyContent)), &got); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: effective policy\n %s\nwant %v", what, aws.ToString(e.EffectivePolicy.PolicyContent), want)
		}
		if aws.ToString(e.EffectivePolicy.TargetId) != acct || e.EffectivePolicy.PolicyType != orgtypes.EffectivePolicyTypeTagPolicy {
			t.Fatalf("%s: %+v", what, e.EffectivePolicy)
		}
	}
	check("management account", c, aws.String(acct))
	check("the member itself", member, nil)
	_, err = member.DescribeEffectivePolicy(ctx, &organizations.DescribeEffectivePolicyInput{PolicyType: orgtypes.EffectivePolicyTypeTagPolicy, TargetId: aws.String("111111111111")})
	wantAPIError(t, "member asks about another account", err, "AccessDeniedException")

	errCases := []struct {
		name, typ, target, code string
	}{
		{"an SCP", "SERVICE_CONTROL_POLICY", acct, "InvalidInputException"},
		{"an OU", "TAG_POLICY", ouID, "InvalidInputException"},
		{"no backup policy", "BACKUP_POLICY", acct, "EffectivePolicyNotFoundException"},
		{"unknown account", "TAG_POLICY", "999999999999", "TargetNotFoundException"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.DescribeEffectivePolicy(ctx, &organizations.DescribeEffectivePolicyInput{PolicyType: orgtypes.EffectivePolicyType(tc.typ), TargetId: aws.String(tc.target)})
			wantAPIError(t, tc.name, err, tc.code)
		})
	}

	inv, err := c.ListAccountsWithInvalidEffectivePolicy(ctx, &organizations.ListAccountsWithInvalidEffectivePolicyInput{PolicyType: orgtypes.EffectivePolicyTypeTagPolicy})
	if err != nil || len(inv.Accounts) != 0 {
		t.Fatalf("invalid accounts while valid = %+v, %v", inv, err)
	}
	ve, err := c.ListEffectivePolicyValidationErrors(ctx, &organizations.ListEffectivePolicyValidationErrorsInput{AccountId: aws.String(acct), PolicyType: orgtypes.EffectivePolicyTypeTagPolicy})
	if err != nil || len(ve.EffectivePolicyValidationErrors) != 0 || aws.ToString(ve.Path) == "" {
		t.Fatalf("validation errors while valid = %+v, %v", ve, err)
	}

	// The OU forbids any operator on project below it; the account's policy uses one anyway.
	lock := attach("ou-lock", `{"tags":{"project":{"tag_key":{"@@operators_allowed_for_child_policies":["@@none"]}}}}`, ouID)
	bad := attach("acct-bad", `{"tags":{"project":{"tag_key":{"@@assign":"project"}}}}`, acct)
	inv, err = c.ListAccountsWithInvalidEffectivePolicy(ctx, &organizations.ListAccountsWithInvalidEffectivePolicyInput{PolicyType: orgtypes.EffectivePolicyTypeTagPolicy})
	if err != nil || len(inv.Accounts) != 1 || aws.ToString(inv.Accounts[0].Id) != acct {
		t.Fatalf("invalid accounts = %+v, %v", inv, err)
	}
	ve, err = c.ListEffectivePolicyValidationErrors(ctx, &organizations.ListEffectivePolicyValidationErrorsInput{AccountId: aws.String(acct), PolicyType: orgtypes.EffectivePolicyTypeTagPolicy})
	if err != nil || len(ve.EffectivePolicyValidationErrors) != 1 {
		t.Fatalf("validation errors = %+v, %v", ve, err)
	}
	v := ve.EffectivePolicyValidationErrors[0]
	if aws.ToString(v.PathToError) != "tags/project/tag_key" || !reflect.DeepEqual(v.ContributingPolicies, []string{lock, bad}) ||
		!strings.HasSuffix(aws.ToString(ve.Path), ouID+"/"+acct+"/") {
		t.Fatalf("validation error = %+v, path %s", v, aws.ToString(ve.Path))
	}
	// The forbidden change was not applied.
	check("after the lock", c, aws.String(acct))
	_, err = c.ListEffectivePolicyValidationErrors(ctx, &organizations.ListEffectivePolicyValidationErrorsInput{AccountId: aws.String("999999999999"), PolicyType: orgtypes.EffectivePolicyTypeTagPolicy})
	wantAPIError(t, "validation errors of an unknown account", err, "AccountNotFoundException")
	_, err = member.ListAccountsWithInvalidEffectivePolicy(ctx, &organizations.ListAccountsWithInvalidEffectivePolicyInput{PolicyType: orgtypes.EffectivePolicyTypeTagPolicy})
	wantAPIError(t, "member lists invalid accounts", err, "AccessDeniedException")
}

// TestOrganizationsResourcePolicy: put, describe, replace and delete the
// organization's resource policy, with its documented errors.
func TestOrganizationsResourcePolicy(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	mgmt := ts.World.Organization.ManagementAccountID
	_, err := c.DescribeResourcePolicy(ctx, &organizations.DescribeResourcePolicyInput{})
	wantAPIError(t, "describe none", err, "ResourcePolicyNotFoundException")
	_, err = c.DeleteResourcePolicy(ctx, &organizations.DeleteResourcePolicyInput{})
	wantAPIError(t, "delete none", err, "ResourcePolicyNotFoundException")

	doc := func(action string) string {
		return `{"Version":"2012-10-17","Statement":[{"Sid":"Delegate","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"` + action + `","Resource":"*"}]}`
	}
	bad := []struct{ name, content, reason string }{
		{"not JSON", `{`, "INVALID_RESOURCE_POLICY_JSON"},
		{"no principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:DescribeOrganization","Resource":"*"}]}`, "INVALID_RESOURCE_POLICY_JSON"},
		{"another service's action", doc("s3:GetObject"), "UNSUPPORTED_ACTION_IN_RESOURCE_POLICY"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.PutResourcePolicy(ctx, &organizations.PutResourcePolicyInput{Content: aws.String(tc.content)})
			wantReason[*orgtypes.InvalidInputException](t, tc.name, err, tc.reason)
		})
	}
	put, err := c.PutResourcePolicy(ctx, &organizations.PutResourcePolicyInput{Content: aws.String(doc("organizations:Describe*")),
		Tags: []orgtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if err != nil {
		t.Fatalf("PutResourcePolicy: %v", err)
	}
	s := put.ResourcePolicy.ResourcePolicySummary
	o, _ := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if !regexp.MustCompile(`^rp-[0-9a-zA-Z_]{4,128}$`).MatchString(aws.ToString(s.Id)) ||
		aws.ToString(s.Arn) != "arn:aws:organizations::"+mgmt+":resourcepolicy/"+aws.ToString(o.Organization.Id)+"/"+aws.ToString(s.Id) {
		t.Fatalf("summary = %+v", s)
	}
	if tg, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: s.Id}); err != nil ||
		len(tg.Tags) != 1 || aws.ToString(tg.Tags[0].Key) != "k" {
		t.Fatalf("resource policy's tags = %+v, %v", tg, err)
	}
	again, err := c.PutResourcePolicy(ctx, &organizations.PutResourcePolicyInput{Content: aws.String(doc("organizations:List*"))})
	if err != nil || aws.ToString(again.ResourcePolicy.ResourcePolicySummary.Id) != aws.ToString(s.Id) {
		t.Fatalf("replace = %+v, %v", again, err)
	}
	d, err := c.DescribeResourcePolicy(ctx, &organizations.DescribeResourcePolicyInput{})
	if err != nil || aws.ToString(d.ResourcePolicy.Content) != doc("organizations:List*") {
		t.Fatalf("DescribeResourcePolicy = %+v, %v", d, err)
	}
	_, member, _ := newMember(t, ts, c, "notadmin@example.com")
	_, err = member.PutResourcePolicy(ctx, &organizations.PutResourcePolicyInput{Content: aws.String(doc("organizations:List*"))})
	wantAPIError(t, "member puts", err, "AccessDeniedException")
	_, err = member.DescribeResourcePolicy(ctx, &organizations.DescribeResourcePolicyInput{})
	wantAPIError(t, "member (not a delegated administrator) describes", err, "AccessDeniedException")
	if _, err := c.DeleteResourcePolicy(ctx, &organizations.DeleteResourcePolicyInput{}); err != nil {
		t.Fatalf("DeleteResourcePolicy: %v", err)
	}
	_, err = c.DescribeResourcePolicy(ctx, &organizations.DescribeResourcePolicyInput{})
	wantAPIError(t, "describe deleted", err, "ResourcePolicyNotFoundException")
}

// TestOrganizationsResponsibilityTransfers: a billing transfer invitation to
// another organization's management account, listed, renamed and withdrawn.
func TestOrganizationsResponsibilityTransfers(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	mgmt := ts.World.Organization.ManagementAccountID
	now := time.Now().UTC()
	nextMonth := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	target := &orgtypes.HandshakeParty{Id: aws.String("999999999999"), Type: orgtypes.HandshakePartyTypeAccount}
	invite := func(start time.Time, tg *orgtypes.HandshakeParty) (*organizations.InviteOrganizationToTransferResponsibilityOutput, error) {
		return c.InviteOrganizationToTransferResponsibility(ctx, &organizations.InviteOrganizationToTransferResponsibilityInput{
			Type: orgtypes.ResponsibilityTransferTypeBilling, Target: tg, StartTimestamp: aws.Time(start), SourceName: aws.String("billing to parent")})
	}
	bad := []struct {
		name   string
		start  time.Time
		target *orgtypes.HandshakeParty
		check  func(error)
	}{
		{"mid-month start", nextMonth.Add(36 * time.Hour), target, func(err error) {
			wantReason[*orgtypes.InvalidInputException](t, "mid-month", err, "START_DATE_NOT_BEGINNING_OF_MONTH")
		}},
		{"start in the past", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), target, func(err error) {
			wantReason[*orgtypes.InvalidInputException](t, "past", err, "START_DATE_TOO_EARLY")
		}},
		{"to itself", nextMonth, &orgtypes.HandshakeParty{Id: aws.String(mgmt), Type: orgtypes.HandshakePartyTypeAccount}, func(err error) {
			wantReason[*orgtypes.HandshakeConstraintViolationException](t, "itself", err, "SOURCE_AND_TARGET_CANNOT_MATCH")
		}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := invite(tc.start, tc.target)
			tc.check(err)
		})
	}
	out, err := invite(nextMonth, target)
	if err != nil {
		t.Fatalf("InviteOrganizationToTransferResponsibility: %v", err)
	}
	h := out.Handshake
	if h.Action != orgtypes.ActionTypeTransferResponsibility || h.State != orgtypes.HandshakeStateOpen {
		t.Fatalf("handshake = %+v", h)
	}
	rt := ""
	for _, r := range h.Resources {
		if r.Type == orgtypes.HandshakeResourceTypeResponsibilityTransfer {
			rt = aws.ToString(r.Value)
		}
	}
	if !regexp.MustCompile(`^rt-[0-9a-z]{8,32}$`).MatchString(rt) {
		t.Fatalf("transfer id %q in %+v", rt, h.Resources)
	}
	_, err = invite(nextMonth, target)
	wantReason[*orgtypes.HandshakeConstraintViolationException](t, "second transfer", err, "RESPONSIBILITY_TRANSFER_ALREADY_EXISTS")

	d, err := c.DescribeResponsibilityTransfer(ctx, &organizations.DescribeResponsibilityTransferInput{Id: aws.String(rt)})
	if err != nil {
		t.Fatalf("DescribeResponsibilityTransfer: %v", err)
	}
	tr := d.ResponsibilityTransfer
	o, _ := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if tr.Status != orgtypes.ResponsibilityTransferStatusRequested || aws.ToString(tr.Name) != "billing to parent" || tr.Type != orgtypes.ResponsibilityTransferTypeBilling ||
		aws.ToString(tr.Source.ManagementAccountId) != mgmt || aws.ToString(tr.Target.ManagementAccountId) != "999999999999" ||
		!tr.StartTimestamp.Equal(nextMonth) || aws.ToString(tr.ActiveHandshakeId) != aws.ToString(h.Id) ||
		aws.ToString(tr.Arn) != "arn:aws:organizations::"+mgmt+":transfer/"+aws.ToString(o.Organization.Id)+"/billing/outbound/"+rt {
		t.Fatalf("transfer = %+v", tr)
	}
	up, err := c.UpdateResponsibilityTransfer(ctx, &organizations.UpdateResponsibilityTransferInput{Id: aws.String(rt), Name: aws.String("renamed")})
	if err != nil || aws.ToString(up.ResponsibilityTransfer.Name) != "renamed" {
		t.Fatalf("UpdateResponsibilityTransfer = %+v, %v", up, err)
	}
	if _, err := c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(rt), Tags: []orgtypes.Tag{{Key: aws.String("cost"), Value: aws.String("x")}}}); err != nil {
		t.Fatalf("TagResource on a transfer: %v", err)
	}
	if tg, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String(rt)}); err != nil || len(tg.Tags) != 1 {
		t.Fatalf("transfer's tags = %+v, %v", tg, err)
	}
	outb, err := c.ListOutboundResponsibilityTransfers(ctx, &organizations.ListOutboundResponsibilityTransfersInput{Type: orgtypes.ResponsibilityTransferTypeBilling})
	if err != nil || len(outb.ResponsibilityTransfers) != 1 || aws.ToString(outb.ResponsibilityTransfers[0].Name) != "renamed" {
		t.Fatalf("ListOutboundResponsibilityTransfers = %+v, %v", outb, err)
	}
	inb, err := c.ListInboundResponsibilityTransfers(ctx, &organizations.ListInboundResponsibilityTransfersInput{Type: orgtypes.ResponsibilityTransferTypeBilling})
	if err != nil || len(inb.ResponsibilityTransfers) != 0 {
		t.Fatalf("ListInboundResponsibilityTransfers = %+v, %v", inb, err)
	}
	_, err = c.ListInboundResponsibilityTransfers(ctx, &organizations.ListInboundResponsibilityTransfersInput{Type: orgtypes.ResponsibilityTransferTypeBilling, Id: aws.String(rt)})
	wantAPIError(t, "an outbound transfer asked as inbound", err, "ResponsibilityTransferNotFoundException")

	term, err := c.TerminateResponsibilityTransfer(ctx, &organizations.TerminateResponsibilityTransferInput{Id: aws.String(rt)})
	if err != nil || term.ResponsibilityTransfer.Status != orgtypes.ResponsibilityTransferStatusWithdrawn || term.ResponsibilityTransfer.EndTimestamp == nil {
		t.Fatalf("TerminateResponsibilityTransfer = %+v, %v", term, err)
	}
	_, err = c.TerminateResponsibilityTransfer(ctx, &organizations.TerminateResponsibilityTransferInput{Id: aws.String(rt)})
	wantAPIError(t, "terminate twice", err, "ResponsibilityTransferAlreadyInStatusException")
	hs, err := c.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: h.Id})
	if err != nil || hs.Handshake.State != orgtypes.HandshakeStateCanceled {
		t.Fatalf("withdrawn transfer's handshake = %+v, %v", hs, err)
	}
	_, err = c.DescribeResponsibilityTransfer(ctx, &organizations.DescribeResponsibilityTransferInput{Id: aws.String("rt-00000000")})
	wantAPIError(t, "unknown transfer", err, "ResponsibilityTransferNotFoundException")
	// A canceled invitation ends its transfer as CANCELED.
	out2, err := invite(nextMonth, target)
	if err != nil {
		t.Fatalf("invite after withdrawal: %v", err)
	}
	if _, err := c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: out2.Handshake.Id}); err != nil {
		t.Fatal(err)
	}
	outb, err = c.ListOutboundResponsibilityTransfers(ctx, &organizations.ListOutboundResponsibilityTransfersInput{Type: orgtypes.ResponsibilityTransferTypeBilling})
	statuses := map[orgtypes.ResponsibilityTransferStatus]int{}
	for _, x := range outb.ResponsibilityTransfers {
		statuses[x.Status]++
	}
	if err != nil || statuses[orgtypes.ResponsibilityTransferStatusWithdrawn] != 1 || statuses[orgtypes.ResponsibilityTransferStatusCanceled] != 1 {
		t.Fatalf("transfers after cancel = %v, %v", statuses, err)
	}
}

// TestOrganizationsMemberAccess: a member account's administrator may not
// manage the organization; a delegated administrator may read it; the
// resource policy delegates named operations to another account.
func TestOrganizationsMemberAccess(t *testing.T) {
	ctx := context.Background()
	ts, c := orgMembers(t)
	root := rootID(t, c)
	delegated, dc, _ := newMember(t, ts, c, "delegated@example.com")
	other, oc, _ := newMember(t, ts, c, "other@example.com")

	calls := map[string]func(*organizations.Client) error{
		"DescribeOrganization": func(m *organizations.Client) error {
			_, err := m.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			return err
		},
		"ListAccounts": func(m *organizations.Client) error {
			_, err := m.ListAccounts(ctx, &organizations.ListAccountsInput{})
			return err
		},
		"DescribeAccount": func(m *organizations.Client) error {
			_, err := m.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(other)})
			return err
		},
		"ListRoots": func(m *organizations.Client) error {
			_, err := m.ListRoots(ctx, &organizations.ListRootsInput{})
			return err
		},
		"CreateOrganizationalUnit": func(m *organizations.Client) error {
			_, err := m.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Mine")})
			return err
		},
		"DetachPolicy": func(m *organizations.Client) error {
			_, err := m.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(other)})
			return err
		},
	}
	// Allowed operations may still fail for their own reasons (detaching
	// the last SCP is a ConstraintViolationException), never AccessDenied.
	check := func(stage string, m *organizations.Client, allowed map[string]bool) {
		t.Helper()
		for op, call := range calls {
			err := call(m)
			switch {
			case allowed[op] && isAccessDenied(err):
				t.Fatalf("%s: %s: %v", stage, op, err)
			case !allowed[op]:
				wantAPIError(t, stage+": "+op, err, "AccessDeniedException")
			}
		}
	}
	check("member", dc, map[string]bool{"DescribeOrganization": true})

	if _, err := c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(delegated), ServicePrincipal: aws.String("sso.amazonaws.com")}); err != nil {
		t.Fatal(err)
	}
	check("delegated administrator", dc, map[string]bool{"DescribeOrganization": true, "ListAccounts": true, "ListRoots": true, "DescribeAccount": true})
	check("other member", oc, map[string]bool{"DescribeOrganization": true})

	rp := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":"organizations:ListRoots","Resource":"*"}]}`
	if _, err := c.PutResourcePolicy(ctx, &organizations.PutResourcePolicyInput{Content: aws.String(rp)}); err != nil {
		t.Fatal(err)
	}
	check("other member with the resource policy", oc, map[string]bool{"DescribeOrganization": true, "ListRoots": true})
	if _, err := c.DeleteResourcePolicy(ctx, &organizations.DeleteResourcePolicyInput{}); err != nil {
		t.Fatal(err)
	}
	check("other member after the resource policy", oc, map[string]bool{"DescribeOrganization": true})
	check("management account", c, map[string]bool{"DescribeOrganization": true, "ListAccounts": true, "ListRoots": true, "CreateOrganizationalUnit": true,
		"DetachPolicy": true, "DescribeAccount": true})
}

func isAccessDenied(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "AccessDeniedException"
}
