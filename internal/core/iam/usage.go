package iam

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// Usage is one authenticated call, as the authorisation point sees it.
type Usage struct {
	AccountID    string
	PrincipalARN string
	// AccessKeyID is the key that signed the call; only long-term (AKIA…)
	// keys have a last-used record.
	AccessKeyID string
	// Action is "<service prefix>:<Operation>".
	Action string
	Region string
}

// UsageRecorder remembers the last use of each access key and of each
// service by each principal, for GetAccessKeyLastUsed, the credential report
// and the service last accessed reports. Record only updates memory; the
// records are written in one transaction at most once per Interval (and
// before every read through Flush), so a key used a thousand times a minute
// costs one write a minute.
type UsageRecorder struct {
	Store store.Store
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Interval between background writes; one minute when zero.
	Interval time.Duration
	// OnError is told about a failed background write (the records are kept
	// for the next attempt); nil ignores it.
	OnError func(error)

	mu       sync.Mutex
	keys     map[string]store.IAMKeyUsage
	services map[[2]string]store.IAMServiceUse
	timer    *time.Timer
	closed   bool
	writeMu  sync.Mutex // one write at a time
}

func (r *UsageRecorder) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func (r *UsageRecorder) interval() time.Duration {
	if r.Interval > 0 {
		return r.Interval
	}
	return time.Minute
}

// Record notes a use. It never blocks on the store.
func (r *UsageRecorder) Record(u Usage) {
	if r == nil || u.AccountID == "" || u.PrincipalARN == "" {
		return
	}
	service, op, ok := strings.Cut(u.Action, ":")
	if !ok || service == "" || op == "" {
		return
	}
	at := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	if r.keys == nil {
		r.keys = map[string]store.IAMKeyUsage{}
		r.services = map[[2]string]store.IAMServiceUse{}
	}
	if strings.HasPrefix(u.AccessKeyID, "AKIA") {
		r.keys[u.AccessKeyID] = store.IAMKeyUsage{AccessKeyID: u.AccessKeyID, AccountID: u.AccountID, UsedAt: at,
			ServiceName: service, Region: u.Region}
	}
	r.services[[2]string{u.PrincipalARN, service}] = store.IAMServiceUse{AccountID: u.AccountID, PrincipalARN: u.PrincipalARN,
		ServiceNamespace: service, Action: op, Region: u.Region, LastUsed: at}
	if r.timer == nil {
		r.timer = time.AfterFunc(r.interval(), r.background)
	}
}

func (r *UsageRecorder) background() {
	r.mu.Lock()
	r.timer = nil
	r.mu.Unlock()
	if err := r.Flush(context.Background()); err != nil && r.OnError != nil {
		r.OnError(err)
	}
}

// Flush writes what was recorded since the last write.
func (r *UsageRecorder) Flush(ctx context.Context) error {
	if r == nil {
		return nil
	}
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	r.mu.Lock()
	keys, services := r.keys, r.services
	r.keys, r.services = nil, nil
	r.mu.Unlock()
	if len(keys) == 0 && len(services) == 0 {
		return nil
	}
	ku := make([]store.IAMKeyUsage, 0, len(keys))
	for _, k := range keys {
		ku = append(ku, k)
	}
	su := make([]store.IAMServiceUse, 0, len(services))
	for _, s := range services {
		su = append(su, s)
	}
	err := r.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutIAMKeyUsage(ctx, ku); err != nil {
			return err
		}
		return tx.PutIAMServiceUse(ctx, su)
	})
	if err != nil {
		// Keep them for the next write (newer records recorded meanwhile win).
		r.mu.Lock()
		if r.keys == nil {
			r.keys = map[string]store.IAMKeyUsage{}
			r.services = map[[2]string]store.IAMServiceUse{}
		}
		for id, k := range keys {
			if _, ok := r.keys[id]; !ok {
				r.keys[id] = k
			}
		}
		for id, s := range services {
			if _, ok := r.services[id]; !ok {
				r.services[id] = s
			}
		}
		if r.timer == nil && !r.closed {
			r.timer = time.AfterFunc(r.interval(), r.background)
		}
		r.mu.Unlock()
	}
	return err
}

// Close stops the background writes and writes what is left.
func (r *UsageRecorder) Close(ctx context.Context) error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	r.mu.Unlock()
	return r.Flush(ctx)
}

// flushUsage writes pending usage before a read of it.
func (s *Service) flushUsage(ctx context.Context) error {
	if s.Usage == nil {
		return nil
	}
	return s.Usage.Flush(ctx)
}

// KeyLastUsed is GetAccessKeyLastUsed's answer: the key and its last use
// (Used is false for a key never used).
type KeyLastUsed struct {
	Key  store.AccessKey
	Use  store.IAMKeyUsage
	Used bool
}

// AccessKeyLastUsed returns when, where and with what service a key of the
// caller's account was last used.
func (s *Service) AccessKeyLastUsed(ctx context.Context, c Caller, id string) (KeyLastUsed, error) {
	var out KeyLastUsed
	if err := s.flushUsage(ctx); err != nil {
		return out, err
	}
	k, err := s.GetAccessKeyLastUsed(ctx, c, id)
	if err != nil {
		return out, err
	}
	out.Key = k
	err = s.view(ctx, "access key last used", func(tx store.Tx) error {
		u, err := tx.GetIAMKeyUsage(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		out.Use, out.Used = u, err == nil
		return err
	})
	return out, err
}
