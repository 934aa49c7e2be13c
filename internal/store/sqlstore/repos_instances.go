package sqlstore

import (
	"context"

	"github.com/idcenter/idcenter/internal/store"
)

func (t *tx) SetInstanceStatus(ctx context.Context, arn, status string) error {
	return t.execAffect(ctx, "store: set status of instance "+arn, `UPDATE instances SET status = ? WHERE arn = ?`, status, arn)
}

func (t *tx) DeleteInstance(ctx context.Context, arn string) error {
	op := "store: delete instance " + arn
	in, err := t.GetInstance(ctx, arn)
	if err != nil {
		return err
	}
	// The identity store's records are keyed by its id, not the instance:
	// users and groups take their external ids, memberships and sign-in
	// records with them (ON DELETE CASCADE).
	for _, q := range []string{
		`DELETE FROM memberships WHERE identity_store_id = ?`,
		`DELETE FROM users WHERE identity_store_id = ?`,
		`DELETE FROM idgroups WHERE identity_store_id = ?`,
		`DELETE FROM scim_tokens WHERE identity_store_id = ?`,
	} {
		if _, err := t.exec(ctx, op, q, in.IdentityStoreID); err != nil {
			return err
		}
	}
	if _, err := t.exec(ctx, op, `DELETE FROM signin_mfa_settings WHERE instance_arn = ?`, arn); err != nil {
		return err
	}
	// Permission sets, assignments, requests, provisioning records,
	// applications, settings, issuers and tags reference the instance.
	return t.execAffect(ctx, op, `DELETE FROM instances WHERE arn = ?`, arn)
}

var _ store.InstanceLifecycleRepo = (*tx)(nil)
