package world

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/federation"
	coreiam "github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/core/identity"
	"github.com/idcenter/idcenter/internal/core/org"
	"github.com/idcenter/idcenter/internal/core/scim"
	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

// Target is where Apply writes: the core services of one Identity Center
// instance, acting as Actor (the management account's root ARN). For an
// all-or-nothing apply, build the services on a store.Bind of one
// transaction (ApplyInTx in the composition root does).
type Target struct {
	Store           store.Store
	Identity        *identity.Service
	Access          *access.Service
	Org             *org.Service
	IAM             *coreiam.Service
	SCIM            *scim.Service
	SignIn          *signin.Service
	Federation      *federation.Service // the identity source (nil: none in the file)
	IdentityStoreID string
	InstanceARN     string
	Actor           string
	// ManagementAccountID owns the top-level iam section.
	ManagementAccountID string
	// Wait bounds the wait for the assignments' provisioning (default 30 s).
	Wait time.Duration
}

// Result counts what Apply created or changed (all zero on a re-apply).
type Result struct {
	Users, Groups, Memberships, PermissionSets, Assignments int
	Updated                                                 int // permission sets whose attributes or policies changed
	Accounts, Units, SCPs                                   int
	IAMUsers, IAMGroups, IAMRoles, IAMPolicies, AccessKeys  int
	Credentials, SCIMTokens                                 int // passwords and TOTP devices set; tokens stored
}

// Apply makes the store hold the world: missing entities are created,
// existing ones (same names, account ids, token ids) are kept and their
// policies and attributes brought to the file's, and new assignments are
// waited for until their provisioning SUCCEEDED. Apply is atomic only when
// t's services share one transaction (store.Bind); an error names the file,
// the line and the field.
func Apply(ctx context.Context, w *World, t Target) (Result, error) {
	var res Result
	if t.Wait <= 0 {
		t.Wait = 30 * time.Second
	}
	if err := t.applyOrganization(ctx, w, &res); err != nil {
		return res, err
	}
	if err := t.applyDelegations(ctx, w); err != nil {
		return res, err
	}
	if w.IAM != nil {
		if err := t.applyIAM(ctx, w, "iam", t.ManagementAccountID, w.IAM, &res); err != nil {
			return res, err
		}
	}
	if w.Organization != nil {
		for i, a := range w.Organization.Accounts {
			if a.IAM != nil {
				if err := t.applyIAM(ctx, w, fmt.Sprintf("organization.accounts[%d].iam", i), a.ID, a.IAM, &res); err != nil {
					return res, err
				}
			}
		}
	}

	userIDs := map[string]string{}
	for i, u := range w.Users {
		id, created, err := t.ensureUser(ctx, u)
		if err != nil {
			return res, w.Errorf(fmt.Sprintf("users[%d]", i), "%w", err)
		}
		userIDs[strings.ToLower(u.UserName)] = id
		res.Users += count(created)
		if t.SignIn != nil && u.Password != "" {
			set, err := t.SignIn.SetInitialPassword(ctx, u.UserName, u.Password)
			if err != nil {
				return res, w.Errorf(fmt.Sprintf("users[%d].password", i), "%w", err)
			}
			res.Credentials += count(set)
		}
		if t.SignIn != nil && u.TOTPSecret != "" {
			added, err := t.SignIn.AddTOTPDevice(ctx, u.UserName, u.TOTPSecret, "")
			if err != nil {
				return res, w.Errorf(fmt.Sprintf("users[%d].totpSecret", i), "%w", err)
			}
			res.Credentials += count(added)
		}
	}
	groupIDs := map[string]string{}
	for i, g := range w.Groups {
		p := fmt.Sprintf("groups[%d]", i)
		id, created, err := t.ensureGroup(ctx, g)
		if err != nil {
			return res, w.Errorf(p, "%w", err)
		}
		groupIDs[strings.ToLower(g.DisplayName)] = id
		res.Groups += count(created)
		for j, m := range g.Members {
			created, err := t.ensureMembership(ctx, id, userIDs[strings.ToLower(m)])
			if err != nil {
				return res, w.Errorf(fmt.Sprintf("%s.members[%d]", p, j), "%w", err)
			}
			res.Memberships += count(created)
		}
	}
	setARNs := map[string]string{}
	var reprovision []string
	for i, ps := range w.PermissionSets {
		arn, created, changed, err := t.ensurePermissionSet(ctx, ps)
		if err != nil {
			return res, w.Errorf(fmt.Sprintf("permissionSets[%d]", i), "%w", err)
		}
		setARNs[ps.Name] = arn
		res.PermissionSets += count(created)
		if changed && !created {
			res.Updated++
			reprovision = append(reprovision, arn)
		}
	}

	var pending []string // request ids of assignment creations
	for i, a := range w.Assignments {
		if err := t.Store.View(ctx, func(tx store.Tx) error {
			_, err := tx.GetAccount(ctx, a.Account)
			return err
		}); errors.Is(err, store.ErrNotFound) {
			return res, w.Errorf(fmt.Sprintf("assignments[%d].account", i), "account %s is not in the organization", a.Account)
		} else if err != nil {
			return res, err
		}
		asg := access.Assignment{TargetID: a.Account, TargetType: access.TargetAWSAccount, PermissionSetARN: setARNs[a.PermissionSet]}
		if a.User != "" {
			asg.PrincipalType, asg.PrincipalID = access.PrincipalUser, userIDs[strings.ToLower(a.User)]
		} else {
			asg.PrincipalType, asg.PrincipalID = access.PrincipalGroup, groupIDs[strings.ToLower(a.Group)]
		}
		exists, err := t.assignmentExists(ctx, asg)
		if err != nil {
			return res, w.Errorf(fmt.Sprintf("assignments[%d]", i), "%w", err)
		}
		if exists {
			continue
		}
		r, err := t.Access.CreateAccountAssignment(ctx, t.InstanceARN, asg)
		if err != nil {
			return res, w.Errorf(fmt.Sprintf("assignments[%d]", i), "%w", err)
		}
		pending = append(pending, store.SSORequestCreateAssignment+"/"+r.RequestID)
		res.Assignments++
	}
	for _, arn := range reprovision {
		r, err := t.Access.ProvisionPermissionSet(ctx, t.InstanceARN, arn, access.TargetAllProvisionedAccounts, "")
		if err != nil {
			return res, fmt.Errorf("%s: provision %s: %w", w.file, arn, err)
		}
		pending = append(pending, store.SSORequestProvision+"/"+r.RequestID)
	}
	if err := t.applyTokensAndSettings(ctx, w, &res); err != nil {
		return res, err
	}
	if err := t.applyApps(ctx, w, userIDs, groupIDs); err != nil {
		return res, err
	}
	if err := t.applyIdentitySource(ctx, w); err != nil {
		return res, err
	}
	if err := t.wait(ctx, pending); err != nil {
		return res, fmt.Errorf("%s: %w", w.file, err)
	}
	return res, nil
}

func count(b bool) int {
	if b {
		return 1
	}
	return 0
}

// unique is a GetUserId/GetGroupId unique attribute.
func unique(path, value string) identity.AlternateIdentifier {
	v, _ := json.Marshal(value)
	return identity.AlternateIdentifier{UniqueAttribute: &identity.UniqueAttribute{Path: path, Value: v}}
}

func isNotFound(err error) bool {
	f := fault.As(err)
	return f != nil && f.Kind == fault.NotFound
}

func (t Target) ensureUser(ctx context.Context, u User) (string, bool, error) {
	id, err := t.Identity.GetUserID(ctx, t.IdentityStoreID, unique("userName", u.UserName))
	if err == nil {
		return id, false, t.updateUser(ctx, id, u)
	}
	if !isNotFound(err) {
		return id, false, err
	}
	su := store.User{UserName: u.UserName, Attributes: store.UserAttributes{
		DisplayName: u.DisplayName, Name: &store.Name{GivenName: u.GivenName, FamilyName: u.FamilyName}}}
	if u.Email != "" {
		primary := true
		su.Attributes.Emails = []store.Email{{Value: u.Email, Type: "work", Primary: &primary}}
	}
	newUserMore(u, &su)
	created, err := t.Identity.CreateUser(ctx, t.IdentityStoreID, su, t.Actor)
	return created.UserID, err == nil, err
}

// op is an attribute operation setting path to value.
func op(path string, value any) identity.AttributeOperation {
	b, _ := json.Marshal(value)
	return identity.AttributeOperation{Path: path, Value: b}
}

// updateUser brings an existing user's display name, given and family names
// and primary e-mail to the file's (other attributes are left).
func (t Target) updateUser(ctx context.Context, id string, u User) error {
	cur, err := t.Identity.DescribeUser(ctx, t.IdentityStoreID, id)
	if err != nil {
		return err
	}
	var ops []identity.AttributeOperation
	a := cur.Attributes
	if a.DisplayName != u.DisplayName {
		ops = append(ops, op("displayName", u.DisplayName))
	}
	var given, family string
	if a.Name != nil {
		given, family = a.Name.GivenName, a.Name.FamilyName
	}
	if given != u.GivenName {
		ops = append(ops, op("name.givenName", u.GivenName))
	}
	if family != u.FamilyName {
		ops = append(ops, op("name.familyName", u.FamilyName))
	}
	if u.Email != "" && primaryEmail(a.Emails) != u.Email {
		primary := true
		ops = append(ops, op("emails", []store.Email{{Value: u.Email, Type: "work", Primary: &primary}}))
	}
	ops = append(ops, updateUserMore(u, cur)...)
	if len(ops) == 0 {
		return nil
	}
	return t.Identity.UpdateUser(ctx, t.IdentityStoreID, id, ops, t.Actor)
}

// primaryEmail is the primary e-mail's value (the first one without a primary).
func primaryEmail(es []store.Email) string {
	for _, e := range es {
		if e.Primary != nil && *e.Primary {
			return e.Value
		}
	}
	if len(es) > 0 {
		return es[0].Value
	}
	return ""
}

func (t Target) ensureGroup(ctx context.Context, g Group) (string, bool, error) {
	id, err := t.Identity.GetGroupID(ctx, t.IdentityStoreID, unique("displayName", g.DisplayName))
	if err == nil && g.Description != "" {
		cur, err := t.Identity.DescribeGroup(ctx, t.IdentityStoreID, id)
		if err == nil && cur.Description != g.Description {
			err = t.Identity.UpdateGroup(ctx, t.IdentityStoreID, id, []identity.AttributeOperation{op("description", g.Description)}, t.Actor)
		}
		return id, false, err
	}
	if err == nil || !isNotFound(err) {
		return id, false, err
	}
	created, err := t.Identity.CreateGroup(ctx, t.IdentityStoreID, store.Group{DisplayName: g.DisplayName, Description: g.Description,
		ExternalIDs: storeExternalIDs(g.ExternalIDs)}, t.Actor)
	return created.GroupID, err == nil, err
}

func (t Target) ensureMembership(ctx context.Context, groupID, userID string) (bool, error) {
	_, err := t.Identity.GetGroupMembershipID(ctx, t.IdentityStoreID, groupID, userID)
	if err == nil || !isNotFound(err) {
		return false, err
	}
	_, err = t.Identity.CreateGroupMembership(ctx, t.IdentityStoreID, groupID, userID)
	return err == nil, err
}

// findPermissionSet returns the instance's set named name ("" when none).
func (t Target) findPermissionSet(ctx context.Context, name string) (store.PermissionSet, bool, error) {
	var found store.PermissionSet
	var ok bool
	err := t.Store.View(ctx, func(tx store.Tx) error {
		pss, err := tx.ListPermissionSets(ctx, t.InstanceARN, store.Page{})
		for _, ps := range pss {
			if ps.Name == name {
				found, ok = ps, true
			}
		}
		return err
	})
	return found, ok, err
}

func (t Target) ensurePermissionSet(ctx context.Context, w PermissionSet) (arn string, created, changed bool, err error) {
	ps, ok, err := t.findPermissionSet(ctx, w.Name)
	if err != nil {
		return "", false, false, err
	}
	if !ok {
		ps, err = t.Access.CreatePermissionSet(ctx, t.InstanceARN, access.NewPermissionSet{
			Name: w.Name, Description: w.Description, SessionDuration: w.SessionDuration, RelayState: w.RelayState, Tags: tagList(w.Tags)})
		if err != nil {
			return "", false, false, err
		}
		created, changed = true, true
	} else if (w.Description != "" && w.Description != ps.Description) || (w.SessionDuration != "" && w.SessionDuration != ps.SessionDuration) ||
		(w.RelayState != "" && w.RelayState != ps.RelayState) {
		relay := ps.RelayState
		if w.RelayState != "" {
			relay = w.RelayState
		}
		err = t.Access.UpdatePermissionSet(ctx, t.InstanceARN, ps.ARN, access.PermissionSetUpdate{
			Description: w.Description, SessionDuration: w.SessionDuration, RelayState: relay})
		if err != nil {
			return ps.ARN, false, false, err
		}
		changed = true
	}
	if w.Inline != "" {
		cur, err := t.Access.GetInlinePolicy(ctx, t.InstanceARN, ps.ARN)
		if err != nil {
			return ps.ARN, created, changed, err
		}
		if cur != w.Inline {
			if err := t.Access.PutInlinePolicy(ctx, t.InstanceARN, ps.ARN, w.Inline); err != nil {
				return ps.ARN, created, changed, err
			}
			changed = true
		}
	}
	if len(w.ManagedPolicies) > 0 {
		have := map[string]bool{}
		err := t.Store.View(ctx, func(tx store.Tx) error {
			refs, err := tx.ListManagedPolicies(ctx, ps.ARN, store.Page{})
			for _, r := range refs {
				have[r] = true
			}
			return err
		})
		if err != nil {
			return ps.ARN, created, changed, err
		}
		for _, m := range w.ManagedPolicies {
			if have[m] {
				continue
			}
			if err := t.Access.AttachManagedPolicy(ctx, t.InstanceARN, ps.ARN, m); err != nil {
				return ps.ARN, created, changed, err
			}
			changed = true
		}
	}
	more, err := t.setExtras(ctx, ps, w, created)
	return ps.ARN, created, changed || more, err
}

func (t Target) assignmentExists(ctx context.Context, a access.Assignment) (bool, error) {
	var ok bool
	err := t.Store.View(ctx, func(tx store.Tx) error {
		as, err := tx.ListAccountAssignments(ctx, t.InstanceARN,
			store.AssignmentFilter{PermissionSetARN: a.PermissionSetARN, AccountID: a.TargetID}, store.Page{})
		for _, x := range as {
			if x.PrincipalType == a.PrincipalType && x.PrincipalID == a.PrincipalID {
				ok = true
			}
		}
		return err
	})
	return ok, err
}

// wait processes the queued requests itself (the worker may not run yet)
// and polls until each is SUCCEEDED, failing on FAILED or after t.Wait.
func (t Target) wait(ctx context.Context, pending []string) error {
	deadline := time.Now().Add(t.Wait)
	for len(pending) > 0 {
		if _, err := t.Access.ProcessPending(ctx); err != nil {
			return err
		}
		var left []string
		for _, p := range pending {
			kind, id, _ := strings.Cut(p, "/")
			r, err := t.Access.DescribeRequest(ctx, t.InstanceARN, kind, id)
			if err != nil {
				return err
			}
			switch r.Status {
			case access.StatusSucceeded:
			case access.StatusFailed:
				return fmt.Errorf("request %s (%s %s to %s %s in %s) failed: %s", id, kind, r.PermissionSetARN,
					r.PrincipalType, r.PrincipalID, r.TargetID, r.FailureReason)
			default:
				left = append(left, p)
			}
		}
		pending = left
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d provisioning request(s) still IN_PROGRESS after %s", len(pending), t.Wait)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}
