package iam

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// TestUsageRecorderKeepsTheLatestUse checks that uses are batched in memory,
// written on Flush, that the latest use wins, that session keys have no
// key record, and that nothing is written before a flush.
func TestUsageRecorderKeepsTheLatestUse(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	now := clock
	r := &UsageRecorder{Store: s.Store, Now: func() time.Time { return now }, Interval: time.Hour}
	t.Cleanup(func() { _ = r.Close(ctx) })
	alice := "arn:aws:iam::123456789012:user/alice"
	r.Record(Usage{AccountID: "123456789012", PrincipalARN: alice, AccessKeyID: "AKIAALICE", Action: "sts:GetCallerIdentity", Region: "us-east-1"})
	now = now.Add(time.Second)
	r.Record(Usage{AccountID: "123456789012", PrincipalARN: alice, AccessKeyID: "AKIAALICE", Action: "iam:ListUsers", Region: "eu-west-1"})
	r.Record(Usage{AccountID: "123456789012", PrincipalARN: "arn:aws:sts::123456789012:assumed-role/r/s", AccessKeyID: "ASIASESSION", Action: "iam:GetUser", Region: "us-east-1"})
	r.Record(Usage{AccountID: "123456789012", PrincipalARN: alice, Action: "bad"}) // no service prefix: ignored

	err := s.Store.View(ctx, func(tx store.Tx) error { _, err := tx.GetIAMKeyUsage(ctx, "AKIAALICE"); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("before Flush: GetIAMKeyUsage err = %v, want ErrNotFound (nothing written yet)", err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	_ = s.Store.View(ctx, func(tx store.Tx) error {
		u, err := tx.GetIAMKeyUsage(ctx, "AKIAALICE")
		if err != nil || u.ServiceName != "iam" || u.Region != "eu-west-1" || !u.UsedAt.Equal(clock.Add(time.Second)) {
			t.Errorf("key usage = %+v, %v; want the latest use (iam, eu-west-1)", u, err)
		}
		if _, err := tx.GetIAMKeyUsage(ctx, "ASIASESSION"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session key usage err = %v, want ErrNotFound", err)
		}
		uses, err := tx.ListIAMServiceUse(ctx, "123456789012")
		if err != nil || len(uses) != 3 {
			t.Fatalf("service uses = %+v, %v; want 3", uses, err)
		}
		return nil
	})
}

// BenchmarkUsageRecorderRecord is the cost Record adds to every
// authenticated request (memory only; the writes are batched).
func BenchmarkUsageRecorderRecord(b *testing.B) {
	r := &UsageRecorder{Interval: time.Hour} // no store write happens within the benchmark
	u := Usage{AccountID: "123456789012", PrincipalARN: "arn:aws:iam::123456789012:user/alice", AccessKeyID: "AKIAALICE",
		Action: "iam:ListUsers", Region: "us-east-1"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Record(u)
		}
	})
	r.mu.Lock()
	if r.timer != nil {
		r.timer.Stop()
	}
	r.mu.Unlock()
}
