package revoke

import (
	"context"
	"errors"
	"fmt"

	"github.com/idcenter/idcenter/internal/store"
)

// User brings a user's live sign-ins in line with what the user may still
// do: everything ends when the user is gone or DISABLED; otherwise the role
// credentials of assignments the user no longer has end.
func User(ctx context.Context, tx store.Tx, storeID, userID string) error {
	u, err := tx.GetUser(ctx, storeID, userID)
	gone := errors.Is(err, store.ErrNotFound)
	if err != nil && !gone {
		return fmt.Errorf("revoke: user %s: %w", userID, err)
	}
	if gone || u.Status == "DISABLED" {
		return EndUser(ctx, tx, storeID, userID)
	}
	sessions, err := tx.ListSSORoleSessions(ctx, storeID, userID)
	if err != nil || len(sessions) == 0 {
		return err
	}
	ins, err := tx.GetInstanceByIdentityStore(ctx, storeID)
	if errors.Is(err, store.ErrNotFound) {
		return EndUser(ctx, tx, storeID, userID)
	}
	if err != nil {
		return fmt.Errorf("revoke: instance of %s: %w", storeID, err)
	}
	have, err := assigned(ctx, tx, ins.ARN, storeID, userID)
	if err != nil {
		return err
	}
	for _, s := range sessions {
		if !have[s.AccountID+" "+s.PermissionSetARN] {
			if err := deactivate(ctx, tx, s.AccessKeyID); err != nil {
				return err
			}
		}
	}
	return nil
}

// Users runs User for each user (the members of a group that lost an
// assignment or was deleted).
func Users(ctx context.Context, tx store.Tx, storeID string, userIDs []string) error {
	for _, id := range userIDs {
		if err := User(ctx, tx, storeID, id); err != nil {
			return err
		}
	}
	return nil
}

// GroupMembers lists the user ids of a group's members.
func GroupMembers(ctx context.Context, tx store.Tx, storeID, groupID string) ([]string, error) {
	var out []string
	for p := (store.Page{Limit: 100}); ; {
		ms, err := tx.ListMembershipsByGroup(ctx, storeID, groupID, p)
		if err != nil {
			return nil, fmt.Errorf("revoke: members of %s: %w", groupID, err)
		}
		for _, m := range ms {
			out = append(out, m.UserID)
		}
		if len(ms) < p.Limit {
			return out, nil
		}
		p.After = ms[len(ms)-1].MembershipID
	}
}

// EndUser ends every sign-in of a user: portal sessions, sso-oidc tokens
// and role credentials issued through the portal.
func EndUser(ctx context.Context, tx store.Tx, storeID, userID string) error {
	if _, err := tx.DeleteUserWebSessions(ctx, storeID, userID); err != nil {
		return fmt.Errorf("revoke: portal sessions of %s: %w", userID, err)
	}
	if _, err := tx.RevokeOIDCUserTokens(ctx, userID); err != nil {
		return fmt.Errorf("revoke: tokens of %s: %w", userID, err)
	}
	sessions, err := tx.ListSSORoleSessions(ctx, storeID, userID)
	if err != nil {
		return fmt.Errorf("revoke: role sessions of %s: %w", userID, err)
	}
	for _, s := range sessions {
		if err := deactivate(ctx, tx, s.AccessKeyID); err != nil {
			return err
		}
	}
	return nil
}

func deactivate(ctx context.Context, tx store.Tx, accessKeyID string) error {
	err := tx.SetAccessKeyStatus(ctx, accessKeyID, "Inactive")
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("revoke: access key %s: %w", accessKeyID, err)
	}
	return nil
}

// assigned returns "account permission-set-arn" of every assignment the user
// has, directly or through a group.
func assigned(ctx context.Context, tx store.Tx, instanceARN, storeID, userID string) (map[string]bool, error) {
	principals := []store.AssignmentFilter{{PrincipalType: "USER", PrincipalID: userID}}
	for p := (store.Page{Limit: 100}); ; {
		ms, err := tx.ListMembershipsByUser(ctx, storeID, userID, p)
		if err != nil {
			return nil, fmt.Errorf("revoke: groups of %s: %w", userID, err)
		}
		for _, m := range ms {
			principals = append(principals, store.AssignmentFilter{PrincipalType: "GROUP", PrincipalID: m.GroupID})
		}
		if len(ms) < p.Limit {
			break
		}
		p.After = ms[len(ms)-1].MembershipID
	}
	out := map[string]bool{}
	for _, f := range principals {
		for p := (store.Page{Limit: 100}); ; {
			as, err := tx.ListAccountAssignments(ctx, instanceARN, f, p)
			if err != nil {
				return nil, fmt.Errorf("revoke: assignments of %s: %w", userID, err)
			}
			for _, a := range as {
				out[a.AccountID+" "+a.PermissionSetARN] = true
			}
			if len(as) < p.Limit {
				break
			}
			p.After = as[len(as)-1].Key()
		}
	}
	return out, nil
}
