package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/scimtest"
)

// BenchmarkSCIMProvision10k pushes 10,000 users and 100 groups (members added
// in PATCH batches of 100) over SCIM the way Okta does — a filtered GET then a
// POST per user, the same per group, then member PATCHes — into a fresh
// server on SQLite with 4 requests in flight. Run it with -benchtime=1x; it
// reports the whole run's time and users per second.
//
//	go test ./internal/app -run '^$' -bench SCIMProvision10k -benchtime=1x
func BenchmarkSCIMProvision10k(b *testing.B) {
	const users, groups = 10000, 100
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		_, sc := startSCIM(b, 0)
		b.StartTimer()
		start := time.Now()
		if _, err := scimtest.Provision(context.Background(), sc, fmt.Sprintf("b%d", n), users, groups, 100, 4); err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.ReportMetric(el.Seconds(), "s/10k-users")
		b.ReportMetric(float64(users)/el.Seconds(), "users/s")
	}
}
