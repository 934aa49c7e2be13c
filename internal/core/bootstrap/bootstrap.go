package bootstrap

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// markerKey is the meta key that records a completed bootstrap.
const markerKey = "bootstrap.instance_arn"

// Params are the first-start choices.
type Params struct {
	AccountID string
	Region    string
	// RootAccessKeyID/RootSecretAccessKey pin the root key; empty means generate.
	RootAccessKeyID     string
	RootSecretAccessKey string
	// MemberAccounts (id → name) are ensured on every run, not only the first:
	// an operator can declare more accounts later.
	MemberAccounts map[string]string
	// OrganizationID pins the organization's id (o-…) on the first start;
	// empty means draw one.
	OrganizationID string
}

// Result describes the bootstrapped world.
type Result struct {
	Organization store.Organization
	Instance     store.Instance
	RootKey      store.AccessKey
	// MemberAccounts are the declared member accounts, as stored.
	MemberAccounts []store.Account
	// Created is true when this call created the world (first start).
	Created bool
}

// Bootstrapper runs the bootstrap with injected clock and randomness.
type Bootstrapper struct {
	Store store.Store
	Now   func() time.Time
	Rand  io.Reader
}

// maxRuns bounds how often Run retries after losing a race (ErrAlreadyExists).
const maxRuns = 3

// Run bootstraps if needed and returns the world. It is safe to call on every start.
//
// Replicas starting together on one empty database race to create the world
// in their own transactions. The store's transactions are serializable, so at
// most one commits the world; a loser fails either with a serialization
// failure (retried by the store) or, on PostgreSQL, with a unique violation on
// the singleton organization, management account or marker
// (store.ErrAlreadyExists), which is not a serialization failure for the
// database. Run then simply runs again: the marker is committed by now, so the
// second run loads the winner's world (same instance ARN, identity store id
// and root key on every replica). The same holds for member accounts two
// replicas create together.
func (b *Bootstrapper) Run(ctx context.Context, p Params) (Result, error) {
	for attempt := 1; ; attempt++ {
		res, err := b.run(ctx, p)
		if err == nil || attempt >= maxRuns || !errors.Is(err, store.ErrAlreadyExists) || ctx.Err() != nil {
			return res, err
		}
	}
}

func (b *Bootstrapper) run(ctx context.Context, p Params) (Result, error) {
	var res Result
	err := b.Store.Update(ctx, func(tx store.Tx) error {
		arn, err := tx.GetMeta(ctx, markerKey)
		switch {
		case err == nil:
			if err := load(ctx, tx, arn, &res); err != nil {
				return err
			}
		case !errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("bootstrap: read marker: %w", err)
		default:
			if err := b.create(ctx, tx, p, &res); err != nil {
				return err
			}
			res.Created = true
		}
		return b.ensureMembers(ctx, tx, p.MemberAccounts, &res)
	})
	return res, err
}

func load(ctx context.Context, tx store.Tx, instanceARN string, res *Result) error {
	var err error
	if res.Organization, err = tx.GetOrganization(ctx); err != nil {
		return fmt.Errorf("bootstrap: load organization: %w", err)
	}
	if res.Instance, err = tx.GetInstance(ctx, instanceARN); err != nil {
		return fmt.Errorf("bootstrap: load instance: %w", err)
	}
	keyID, err := tx.GetMeta(ctx, "bootstrap.root_access_key_id")
	if err != nil {
		return fmt.Errorf("bootstrap: load root key id: %w", err)
	}
	if res.RootKey, err = tx.GetAccessKey(ctx, keyID); err != nil {
		return fmt.Errorf("bootstrap: load root key: %w", err)
	}
	return nil
}

func (b *Bootstrapper) create(ctx context.Context, tx store.Tx, p Params, res *Result) error {
	w, err := b.generate(p)
	if err != nil {
		return err
	}
	if err := insert(ctx, tx, w); err != nil {
		return err
	}
	*res = w
	return nil
}

// generate draws the ids and keys of a new world.
func (b *Bootstrapper) generate(p Params) (Result, error) {
	now := b.Now().UTC().Truncate(time.Second)
	orgID, err := b.randomString("o-", lowerAlnum, 10)
	if err != nil {
		return Result{}, err
	}
	if p.OrganizationID != "" {
		orgID = p.OrganizationID
	}
	org := store.Organization{
		ID:                  orgID,
		ARN:                 fmt.Sprintf("arn:aws:organizations::%s:organization/%s", p.AccountID, orgID),
		ManagementAccountID: p.AccountID,
		ManagementEmail:     "management@idcenter.local",
		FeatureSet:          "ALL",
		CreatedAt:           now,
	}
	insHex, err := b.hex(8)
	if err != nil {
		return Result{}, err
	}
	storeHex, err := b.hex(5)
	if err != nil {
		return Result{}, err
	}
	inst := store.Instance{
		ARN:             "arn:aws:sso:::instance/ssoins-" + insHex,
		IdentityStoreID: "d-" + storeHex,
		OwnerAccountID:  p.AccountID,
		Name:            "idcenter",
		Status:          "ACTIVE",
		Region:          p.Region,
		CreatedAt:       now,
	}
	key := store.AccessKey{
		AccessKeyID:     p.RootAccessKeyID,
		SecretAccessKey: p.RootSecretAccessKey,
		AccountID:       p.AccountID,
		PrincipalARN:    fmt.Sprintf("arn:aws:iam::%s:root", p.AccountID),
		Status:          "Active",
		CreatedAt:       now,
	}
	if key.AccessKeyID == "" {
		if key.AccessKeyID, err = b.randomString("AKIA", upperBase32, 16); err != nil {
			return Result{}, err
		}
		if key.SecretAccessKey, err = b.randomString("", secretAlphabet, 40); err != nil {
			return Result{}, err
		}
	}
	return Result{Organization: org, Instance: inst, RootKey: key}, nil
}

// insert writes a world: organization, management account, instance, root key and the markers.
func insert(ctx context.Context, tx store.Tx, w Result) error {
	org, inst, key := w.Organization, w.Instance, w.RootKey
	if err := tx.CreateOrganization(ctx, org); err != nil {
		return fmt.Errorf("bootstrap: create organization: %w", err)
	}
	acct := store.Account{
		ID:           org.ManagementAccountID,
		ARN:          fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", org.ManagementAccountID, org.ID, org.ManagementAccountID),
		Name:         "management",
		Email:        org.ManagementEmail,
		Status:       "ACTIVE",
		JoinedMethod: "CREATED",
		JoinedAt:     org.CreatedAt,
	}
	if err := tx.CreateAccount(ctx, acct); err != nil {
		return fmt.Errorf("bootstrap: create management account: %w", err)
	}
	if err := tx.CreateInstance(ctx, inst); err != nil {
		return fmt.Errorf("bootstrap: create instance: %w", err)
	}
	if err := tx.CreateAccessKey(ctx, key); err != nil {
		return fmt.Errorf("bootstrap: create root access key: %w", err)
	}
	for _, m := range w.MemberAccounts {
		if err := tx.CreateAccount(ctx, m); err != nil {
			return fmt.Errorf("bootstrap: create member account %s: %w", m.ID, err)
		}
	}
	if err := tx.PutMeta(ctx, "bootstrap.root_access_key_id", key.AccessKeyID); err != nil {
		return fmt.Errorf("bootstrap: record root key: %w", err)
	}
	return tx.PutMeta(ctx, markerKey, inst.ARN)
}

// ensureMembers creates the declared member accounts that do not exist yet.
func (b *Bootstrapper) ensureMembers(ctx context.Context, tx store.Tx, members map[string]string, res *Result) error {
	ids := make([]string, 0, len(members))
	for id := range members {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	org := res.Organization
	for _, id := range ids {
		a, err := tx.GetAccount(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			a = store.Account{
				ID:           id,
				ARN:          fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", org.ManagementAccountID, org.ID, id),
				Name:         members[id],
				Email:        id + "@idcenter.local",
				Status:       "ACTIVE",
				JoinedMethod: "CREATED",
				JoinedAt:     b.Now().UTC().Truncate(time.Second),
			}
			err = tx.CreateAccount(ctx, a)
		}
		if err != nil {
			return fmt.Errorf("bootstrap: member account %s: %w", id, err)
		}
		res.MemberAccounts = append(res.MemberAccounts, a)
	}
	return nil
}

// Reset empties the store and writes world back, in one transaction: the
// state of a fresh start with the same ids and keys.
func (b *Bootstrapper) Reset(ctx context.Context, world Result) error {
	return b.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteEverything(ctx); err != nil {
			return fmt.Errorf("bootstrap: reset: %w", err)
		}
		return insert(ctx, tx, world)
	})
}

const (
	lowerAlnum     = "abcdefghijklmnopqrstuvwxyz0123456789"
	upperBase32    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func (b *Bootstrapper) hex(n int) (string, error) {
	buf := make([]byte, n)
	if _, err := io.ReadFull(b.Rand, buf); err != nil {
		return "", fmt.Errorf("bootstrap: randomness: %w", err)
	}
	return hex.EncodeToString(buf), nil
}

// randomString draws n characters uniformly from alphabet (len ≤ 256) by rejection sampling.
func (b *Bootstrapper) randomString(prefix, alphabet string, n int) (string, error) {
	out := make([]byte, 0, len(prefix)+n)
	out = append(out, prefix...)
	limit := 256 - 256%len(alphabet)
	var one [1]byte
	for len(out) < len(prefix)+n {
		if _, err := io.ReadFull(b.Rand, one[:]); err != nil {
			return "", fmt.Errorf("bootstrap: randomness: %w", err)
		}
		if int(one[0]) >= limit {
			continue
		}
		out = append(out, alphabet[int(one[0])%len(alphabet)])
	}
	return string(out), nil
}
