package authz

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/store"
)

// PasswordSelfService is an ImplicitAllow over the store: when an account's
// password policy has AllowUsersToChangePassword, its IAM users may change
// their own password (iam:ChangePassword on their own ARN) and read the
// password policy (iam:GetAccountPasswordPolicy) without a policy allowing
// it, as on AWS. An explicit deny still wins (ImplicitAllow is consulted only
// when no policy allowed the call and none denied it).
func PasswordSelfService(st store.Store) func(ctx context.Context, c Caller, action, resource string) (bool, error) {
	return func(ctx context.Context, c Caller, action, resource string) (bool, error) {
		if c.Type != "User" {
			return false, nil
		}
		switch {
		case action == "iam:ChangePassword" && resource == c.ARN:
		case action == "iam:GetAccountPasswordPolicy":
		default:
			return false, nil
		}
		var p store.IAMPasswordPolicy
		err := st.View(ctx, func(tx store.Tx) error {
			var err error
			p, err = tx.GetIAMPasswordPolicy(ctx, c.AccountID)
			return err
		})
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return p.AllowUsersToChangePassword, nil
	}
}
