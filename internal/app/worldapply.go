package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/core/bootstrap"
	"github.com/idcenter/idcenter/internal/core/federation"
	coreiam "github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/core/identity"
	"github.com/idcenter/idcenter/internal/core/org"
	corescim "github.com/idcenter/idcenter/internal/core/scim"
	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/world"
)

// worldDigestKey is the meta key holding the digest of the world file whose
// apply committed last; readiness compares it with the server's file.
const worldDigestKey = "world.digest"

// worldTarget builds the core services on st (a store bound to one
// transaction) for a world apply. The access service has no Notify: Apply
// processes its own requests inside the transaction.
func (s *Server) worldTarget(st store.Store) world.Target {
	now, rnd := s.boot.Now, s.boot.Rand
	return world.Target{
		Store:    st,
		Identity: &identity.Service{Store: st, Now: now, Rand: rnd},
		Access:   &access.Service{Store: st, Now: now, Rand: rnd, Log: s.Log},
		Org:      &org.Service{Store: st, Now: now, Rand: rnd},
		IAM:      &coreiam.Service{Store: st, Now: now, Rand: rnd},
		SCIM:     &corescim.Service{Store: st, Now: now, Rand: rnd},
		SignIn: &signin.Service{Store: st, IdentityStoreID: s.World.Instance.IdentityStoreID,
			InstanceARN: s.World.Instance.ARN, Now: now, Rand: rnd},
		Federation: &federation.Service{Store: st, InstanceARN: s.World.Instance.ARN, IdentityStoreID: s.World.Instance.IdentityStoreID,
			Now: now, Rand: rnd},
		IdentityStoreID:     s.World.Instance.IdentityStoreID,
		InstanceARN:         s.World.Instance.ARN,
		Actor:               s.World.RootKey.PrincipalARN,
		ManagementAccountID: s.World.Organization.ManagementAccountID,
	}
}

// applyWorld applies the --world file (if any) in one store transaction:
// the identities, sets and assignments and the assignments' provisioning
// commit together with the file's digest, or nothing does. With
// --allow-reset it also keeps the snapshot Reset restores: the state just
// applied when the data folder is new, otherwise the bootstrapped world plus
// the file, built in a transaction that is rolled back.
func (s *Server) applyWorld(ctx context.Context) error {
	keep := s.Config.AllowReset && s.World.Created
	if s.worldFile != nil || keep {
		var err error
		// Replicas applying the same file together on PostgreSQL: a
		// serialization failure is retried by the store; a unique violation
		// (another replica's entity committed first) by running again, which
		// then finds it.
		for attempt := 1; attempt <= 3; attempt++ {
			err = s.Store.Update(ctx, func(tx store.Tx) error {
				if err := s.apply(ctx, tx, false); err != nil {
					return err
				}
				if keep {
					var err error
					s.resetTo, err = tx.TakeSnapshot(ctx)
					return err
				}
				return nil
			})
			if !errors.Is(err, store.ErrAlreadyExists) {
				break
			}
		}
		if err != nil {
			s.resetTo = nil
			return fmt.Errorf("app: world: %w", err)
		}
	}
	if s.Config.AllowReset && s.resetTo == nil {
		errBuilt := errors.New("snapshot built")
		err := s.Store.Update(ctx, func(tx store.Tx) error {
			if err := s.apply(ctx, tx, true); err != nil {
				return err
			}
			var err error
			if s.resetTo, err = tx.TakeSnapshot(ctx); err != nil {
				return err
			}
			return errBuilt
		})
		if !errors.Is(err, errBuilt) {
			s.resetTo = nil
			return fmt.Errorf("app: reset snapshot: %w", err)
		}
	}
	return nil
}

// apply empties the store back to the bootstrapped world (when reset) and
// applies the world file (if any) within tx, recording the file's digest.
func (s *Server) apply(ctx context.Context, tx store.Tx, reset bool) error {
	bound := store.Bind(tx)
	if reset {
		b := &bootstrap.Bootstrapper{Store: bound, Now: s.boot.Now, Rand: s.boot.Rand}
		if err := b.Reset(ctx, s.World); err != nil {
			return err
		}
	}
	if s.worldFile == nil {
		return nil
	}
	start := time.Now()
	res, err := world.Apply(ctx, s.worldFile, s.worldTarget(bound))
	if err != nil {
		return err
	}
	if !reset {
		s.Log.Info("world applied", "file", s.Config.World, "users", res.Users, "groups", res.Groups, "memberships", res.Memberships,
			"permission_sets", res.PermissionSets, "updated_sets", res.Updated, "assignments", res.Assignments,
			"accounts", res.Accounts, "units", res.Units, "scps", res.SCPs, "iam_users", res.IAMUsers, "iam_groups", res.IAMGroups,
			"iam_roles", res.IAMRoles, "iam_policies", res.IAMPolicies, "access_keys", res.AccessKeys,
			"credentials", res.Credentials, "scim_tokens", res.SCIMTokens, "took", time.Since(start))
	}
	return tx.PutMeta(ctx, worldDigestKey, s.worldFile.Digest())
}

// resetState returns the store to the state kept at start (one
// transaction), or, without a kept state, to the bootstrapped world and the
// world file applied again.
func (s *Server) resetState(ctx context.Context) error {
	return s.Store.Update(ctx, func(tx store.Tx) error {
		if s.resetTo != nil {
			return tx.RestoreSnapshot(ctx, s.resetTo)
		}
		return s.apply(ctx, tx, true)
	})
}

// worldApplied reports whether the store holds this server's world file
// (nil when there is none or it is applied).
func (s *Server) worldApplied(ctx context.Context, tx store.Tx) error {
	if s.worldFile == nil {
		return nil
	}
	d, err := tx.GetMeta(ctx, worldDigestKey)
	if errors.Is(err, store.ErrNotFound) || (err == nil && d != s.worldFile.Digest()) {
		return errors.New("the world file is not applied")
	}
	return err
}
