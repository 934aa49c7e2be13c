package scimtest

import (
	"context"
	"fmt"
	"sync"
)

// Population is a provisioned set of users and groups: ids by index.
type Population struct {
	Prefix   string
	Users    []User
	UserIDs  []string
	Groups   []string // display names
	GroupIDs []string
	// Members[g] are the user indexes in group g (user i is in group i % len(Groups)).
	Members [][]int
}

// UserAt describes user i of a population named prefix.
func UserAt(prefix string, i int) User {
	return User{
		UserName:   fmt.Sprintf("%s-user-%05d", prefix, i),
		GivenName:  fmt.Sprintf("Given%05d", i),
		FamilyName: prefix,
		Email:      fmt.Sprintf("%s-user-%05d@example.com", prefix, i),
		ExternalID: fmt.Sprintf("00u%s%05d", prefix, i),
		Title:      "Engineer",
	}
}

// Provision pushes users and groups as Okta does — each user looked up and
// created, each group looked up and created empty, then members added in
// PATCH batches of batch — with workers requests in flight.
func Provision(ctx context.Context, c *Client, prefix string, users, groups, batch, workers int) (*Population, error) {
	p := &Population{Prefix: prefix, Users: make([]User, users), UserIDs: make([]string, users),
		Groups: make([]string, groups), GroupIDs: make([]string, groups), Members: make([][]int, groups)}
	for i := range p.Users {
		p.Users[i] = UserAt(prefix, i)
	}
	for g := range p.Groups {
		p.Groups[g] = fmt.Sprintf("%s-group-%03d", prefix, g)
	}
	if err := parallel(ctx, users, workers, func(i int) (err error) {
		p.UserIDs[i], err = c.CreateUser(ctx, p.Users[i])
		return err
	}); err != nil {
		return nil, err
	}
	if groups == 0 {
		return p, nil
	}
	if err := parallel(ctx, groups, workers, func(g int) (err error) {
		p.GroupIDs[g], err = c.CreateGroup(ctx, p.Groups[g])
		return err
	}); err != nil {
		return nil, err
	}
	for i := range p.Users {
		g := i % groups
		p.Members[g] = append(p.Members[g], i)
	}
	if batch < 1 {
		batch = 1
	}
	return p, parallel(ctx, groups, workers, func(g int) error {
		ids := make([]string, 0, len(p.Members[g]))
		for _, i := range p.Members[g] {
			ids = append(ids, p.UserIDs[i])
		}
		for len(ids) > 0 {
			n := min(batch, len(ids))
			if err := c.AddMembers(ctx, p.GroupIDs[g], ids[:n]); err != nil {
				return err
			}
			ids = ids[n:]
		}
		return nil
	})
}

// Each runs fn for the users at indexes, with workers in flight.
func (p *Population) Each(ctx context.Context, indexes []int, workers int, fn func(i int) error) error {
	return parallel(ctx, len(indexes), workers, func(k int) error { return fn(indexes[k]) })
}

// parallel runs fn(0..n-1) on workers goroutines and returns the first error.
func parallel(ctx context.Context, n, workers int, fn func(int) error) error {
	if workers < 1 {
		workers = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			i = n
		}
	}
	close(next)
	wg.Wait()
	return first
}
