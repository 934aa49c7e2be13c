package iam

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/store"
)

// ImportAccessKey gives user name a key with a pinned id and secret (the
// world file's access keys), as CreateAccessKey would with drawn ones. A key
// with that id already on the user is brought to status; on anyone else it
// is a conflict (EntityAlreadyExists).
func (s *Service) ImportAccessKey(ctx context.Context, c Caller, name, id, secret, status string) (created bool, err error) {
	err = s.update(ctx, "import access key", func(tx store.Tx) error {
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		k, err := tx.GetAccessKey(ctx, id)
		switch {
		case err == nil && k.AccountID == c.AccountID && k.UserName == u.UserName:
			if k.Status != status {
				return tx.SetAccessKeyStatus(ctx, id, status)
			}
			return nil
		case err == nil:
			return alreadyExists("Access key %s belongs to another principal.", id)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		keys, err := tx.ListUserAccessKeys(ctx, c.AccountID, u.UserName)
		if err != nil {
			return err
		}
		if len(keys) >= MaxAccessKeysPerUser {
			return limitExceeded("Cannot exceed quota for AccessKeysPerUser: %d", MaxAccessKeysPerUser)
		}
		created = true
		return tx.CreateAccessKey(ctx, store.AccessKey{AccessKeyID: id, SecretAccessKey: secret, AccountID: c.AccountID,
			PrincipalARN: u.ARN, UserName: u.UserName, Status: status, CreatedAt: s.now()})
	})
	return created, err
}
