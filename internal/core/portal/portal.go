package portal

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/core/credentials"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/oidc"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// CodeForbidden is the (unmodelled) error AWS sends for a role the user may not use.
const CodeForbidden = "ForbiddenException"

// Issuer issues role sessions (credentials.Service).
type Issuer interface {
	IssueSSORoleSession(ctx context.Context, role store.IAMRole, sessionName string, duration time.Duration) (credentials.Issued, error)
}

// Service answers the portal's questions for a user of the instance.
type Service struct {
	Store           store.Store
	InstanceARN     string
	IdentityStoreID string
	Credentials     Issuer
	// Tokens resolves bearer tokens and links credentials to portal sessions.
	Tokens *oidc.Service
}

// Account is an account the user has an assignment in.
type Account struct {
	AccountID, AccountName, EmailAddress string
}

func noAccess() error {
	return &fault.Error{Kind: fault.AccessDenied, Reason: CodeForbidden, Message: "No access"}
}

func mapErr(op string, err error) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	return fmt.Errorf("portal: %s: %w", op, err)
}

// assignments lists the user's assignments: its own and its groups'.
func (s *Service) assignments(ctx context.Context, tx store.Tx, userID string) ([]store.AccountAssignment, error) {
	principals := []store.AssignmentFilter{{PrincipalType: "USER", PrincipalID: userID}}
	for p := (store.Page{Limit: 100}); ; {
		ms, err := tx.ListMembershipsByUser(ctx, s.IdentityStoreID, userID, p)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			principals = append(principals, store.AssignmentFilter{PrincipalType: "GROUP", PrincipalID: m.GroupID})
		}
		if len(ms) < p.Limit {
			break
		}
		p.After = ms[len(ms)-1].MembershipID
	}
	var out []store.AccountAssignment
	for _, f := range principals {
		for p := (store.Page{Limit: 100}); ; {
			as, err := tx.ListAccountAssignments(ctx, s.InstanceARN, f, p)
			if err != nil {
				return nil, err
			}
			out = append(out, as...)
			if len(as) < p.Limit {
				break
			}
			p.After = as[len(as)-1].Key()
		}
	}
	return out, nil
}

// page cuts a sorted list at a token.
func page[T any](items []T, key func(T) string, nextToken string, max int) ([]T, string, error) {
	pg, limit, err := paging.Page(nextToken, max, 100)
	if err != nil {
		return nil, "", err
	}
	i := sort.Search(len(items), func(i int) bool { return key(items[i]) > pg.After })
	out, next := paging.Trim(items[i:], limit, key)
	return out, next, nil
}

// Accounts lists (sorted by id) the accounts where the user has an assignment.
func (s *Service) Accounts(ctx context.Context, userID string) ([]Account, error) {
	var out []Account
	err := s.Store.View(ctx, func(tx store.Tx) error {
		as, err := s.assignments(ctx, tx, userID)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, a := range as {
			if seen[a.AccountID] {
				continue
			}
			seen[a.AccountID] = true
			acct, err := tx.GetAccount(ctx, a.AccountID)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, Account{AccountID: acct.ID, AccountName: acct.Name, EmailAddress: acct.Email})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].AccountID < out[j].AccountID })
	return out, mapErr("accounts", err)
}

// setsIn returns the permission sets assigned to the user in an account, by name.
func (s *Service) setsIn(ctx context.Context, tx store.Tx, userID, accountID string) (map[string]store.PermissionSet, error) {
	as, err := s.assignments(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	out := map[string]store.PermissionSet{}
	for _, a := range as {
		if a.AccountID != accountID {
			continue
		}
		ps, err := tx.GetPermissionSet(ctx, s.InstanceARN, a.PermissionSetARN)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[ps.Name] = ps
	}
	return out, nil
}

// Roles lists (sorted) the names of the permission sets assigned to the user in an account.
func (s *Service) Roles(ctx context.Context, userID, accountID string) ([]string, error) {
	var out []string
	err := s.Store.View(ctx, func(tx store.Tx) error {
		sets, err := s.setsIn(ctx, tx, userID, accountID)
		for name := range sets {
			out = append(out, name)
		}
		return err
	})
	sort.Strings(out)
	return out, mapErr("roles", err)
}

// RoleCredentials issues credentials of the provisioned role of a permission
// set (roleName is the set's name) assigned to the user in an account;
// ForbiddenException "No access" when it is not assigned or not provisioned.
func (s *Service) RoleCredentials(ctx context.Context, userID, accountID, roleName string) (credentials.Credentials, error) {
	var role store.IAMRole
	var user store.User
	var duration time.Duration
	var setARN string
	err := s.Store.View(ctx, func(tx store.Tx) error {
		sets, err := s.setsIn(ctx, tx, userID, accountID)
		if err != nil {
			return err
		}
		ps, ok := sets[roleName]
		if !ok {
			return noAccess()
		}
		prov, err := tx.ListProvisioned(ctx, s.InstanceARN, store.ProvisionedFilter{PermissionSetARN: ps.ARN, AccountID: accountID}, store.Page{})
		if err != nil {
			return err
		}
		if len(prov) == 0 {
			return noAccess()
		}
		role, err = tx.GetIAMRole(ctx, accountID, prov[0].RoleName)
		if errors.Is(err, store.ErrNotFound) {
			return noAccess()
		}
		if err != nil {
			return err
		}
		user, err = tx.GetUser(ctx, s.IdentityStoreID, userID)
		if errors.Is(err, store.ErrNotFound) || err == nil && !strings.EqualFold(user.Status, "ENABLED") && user.Status != "" {
			return noAccess()
		}
		duration = time.Duration(access.SessionSeconds(ps.SessionDuration)) * time.Second
		setARN = ps.ARN
		return err
	})
	if err != nil {
		return credentials.Credentials{}, mapErr("role credentials", err)
	}
	issued, err := s.Credentials.IssueSSORoleSession(ctx, role, user.UserName, duration)
	if err != nil {
		return credentials.Credentials{}, mapErr("role credentials", err)
	}
	// Linked to the user and the assignment: they end when the user loses it
	// (internal/core/revoke).
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		return tx.RecordSSORoleSession(ctx, store.SSORoleSession{AccessKeyID: issued.Credentials.AccessKeyID,
			IdentityStoreID: s.IdentityStoreID, UserID: userID, AccountID: accountID, PermissionSetARN: setARN,
			ExpiresAt: issued.Credentials.Expiration})
	})
	if err != nil {
		return credentials.Credentials{}, mapErr("role credentials", err)
	}
	return issued.Credentials, nil
}

// ---- bearer-token forms, for the portal API ----

// ListAccounts pages the accounts of a token's user.
func (s *Service) ListAccounts(ctx context.Context, token, nextToken string, max int) ([]Account, string, error) {
	info, err := s.Tokens.ResolveToken(ctx, token)
	if err != nil {
		return nil, "", err
	}
	all, err := s.Accounts(ctx, info.UserID)
	if err != nil {
		return nil, "", err
	}
	return page(all, func(a Account) string { return a.AccountID }, nextToken, max)
}

// ListAccountRoles pages the roles of a token's user in an account.
func (s *Service) ListAccountRoles(ctx context.Context, token, accountID, nextToken string, max int) ([]string, string, error) {
	info, err := s.Tokens.ResolveToken(ctx, token)
	if err != nil {
		return nil, "", err
	}
	all, err := s.Roles(ctx, info.UserID, accountID)
	if err != nil {
		return nil, "", err
	}
	return page(all, func(r string) string { return r }, nextToken, max)
}

// GetRoleCredentials issues role credentials to a token's user, tied to the
// token's portal session (Logout ends them).
func (s *Service) GetRoleCredentials(ctx context.Context, token, accountID, roleName string) (credentials.Credentials, error) {
	info, err := s.Tokens.ResolveToken(ctx, token)
	if err != nil {
		return credentials.Credentials{}, err
	}
	c, err := s.RoleCredentials(ctx, info.UserID, accountID, roleName)
	if err != nil {
		return credentials.Credentials{}, err
	}
	if err := s.Tokens.RecordSessionKey(ctx, info.SessionID, c.AccessKeyID); err != nil {
		return credentials.Credentials{}, err
	}
	return c, nil
}

// Logout ends a token's portal session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.Tokens.Logout(ctx, token)
}
