package e2e

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
)

// crashLoad runs a write load (CreateGroup with known names, the
// acknowledged ones recorded) against servers start starts on the same
// storage, kills each with SIGKILL in the middle of the load, and finally
// requires every acknowledged write to be present. Loopback only, bounded in
// rounds and time.
func crashLoad(t *testing.T, start func() *server) {
	t.Helper()
	const rounds, writers = 4, 4
	var (
		mu    sync.Mutex
		acked []string // group display names whose CreateGroup returned success
	)
	var storeID string
	for round := 0; round < rounds; round++ {
		s := start()
		storeID = s.IdentityStoreID
		c := identitystore.NewFromConfig(aws.Config{
			Region:       "us-east-1",
			Credentials:  credentials.NewStaticCredentialsProvider(rootKeyID, rootSecret, ""),
			BaseEndpoint: aws.String(s.Endpoint),
			HTTPClient:   &http.Client{Timeout: 5 * time.Second},
			Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
		})
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; ctx.Err() == nil && i < 5000; i++ {
					name := fmt.Sprintf("r%d-w%d-%d", round, w, i)
					_, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: aws.String(storeID), DisplayName: aws.String(name)})
					if err == nil {
						mu.Lock()
						acked = append(acked, name)
						mu.Unlock()
					}
				}
			}(w)
		}
		// Let some writes land, then kill the server mid-load.
		deadline := time.Now().Add(10 * time.Second)
		for {
			mu.Lock()
			n := len(acked)
			mu.Unlock()
			if n >= (round+1)*100 || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		s.kill() // SIGKILL
		cancel()
		wg.Wait()
	}

	s := start()
	c := identitystore.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(rootKeyID, rootSecret, ""),
		BaseEndpoint: aws.String(s.Endpoint),
		HTTPClient:   &http.Client{},
	})
	present := map[string]bool{}
	p := identitystore.NewListGroupsPaginator(c, &identitystore.ListGroupsInput{IdentityStoreId: aws.String(storeID)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range page.Groups {
			present[aws.ToString(g.DisplayName)] = true
		}
	}
	if len(acked) < rounds*50 {
		t.Fatalf("only %d writes acknowledged over %d rounds: the load did not run", len(acked), rounds)
	}
	var lost []string
	for _, name := range acked {
		if !present[name] {
			lost = append(lost, name)
		}
	}
	if len(lost) > 0 {
		t.Fatalf("%d of %d acknowledged writes lost after SIGKILLs, e.g. %v", len(lost), len(acked), lost[:min(5, len(lost))])
	}
	t.Logf("%d acknowledged writes over %d SIGKILLs, all present (%d groups stored)", len(acked), rounds, len(present))
}
