package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

func runConcurrency(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("SameUserName", func(t *testing.T) {
		s := fresh(t, open)
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				name := "alice"
				if i%2 == 1 {
					name = strings.ToUpper(name)
				}
				errs[i] = s.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, newUser(i+1, name)) })
			}(i)
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrAlreadyExists):
			default:
				t.Errorf("writer %d: %v (want nil or ErrAlreadyExists)", i, err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d writers succeeded, want exactly 1", ok)
		}
		view(t, s, func(tx store.Tx) error {
			if n, _ := tx.CountUsers(ctx, storeID); n != 1 {
				t.Fatalf("users = %d, want 1", n)
			}
			return nil
		})
	})

	t.Run("ReadersDuringWrites", func(t *testing.T) {
		s := fresh(t, open)
		const writes = 40
		const readers = 3
		var wg sync.WaitGroup
		writerErr := make(chan error, 1)
		done := make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done)
			for i := 1; i <= writes; i++ {
				err := s.Update(ctx, func(tx store.Tx) error {
					// Two writes per transaction: readers must see both or neither.
					if err := tx.CreateUser(ctx, newUser(i, fmt.Sprintf("u%03d", i))); err != nil {
						return err
					}
					return tx.CreateGroup(ctx, newGroup(i, fmt.Sprintf("g%03d", i)))
				})
				if err != nil {
					writerErr <- err
					return
				}
			}
		}()
		readErrs := make(chan error, readers)
		for r := 0; r < readers; r++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				last := 0
				for stop := false; !stop; {
					select {
					case <-done:
						stop = true // one last read after the writer finished
					default:
					}
					err := s.View(ctx, func(tx store.Tx) error {
						us, err := tx.ListUsers(ctx, storeID, store.UserFilter{}, store.Page{})
						if err != nil {
							return err
						}
						gn, err := tx.CountGroups(ctx, storeID)
						if err != nil {
							return err
						}
						if len(us) != gn {
							return fmt.Errorf("torn read: %d users but %d groups", len(us), gn)
						}
						if len(us) < last {
							return fmt.Errorf("went back in time: %d users after %d", len(us), last)
						}
						last = len(us)
						return nil
					})
					if err != nil {
						readErrs <- err
						return
					}
				}
				if last != writes {
					readErrs <- fmt.Errorf("final read saw %d users, want %d", last, writes)
				}
			}()
		}
		wg.Wait()
		close(writerErr)
		close(readErrs)
		if err := <-writerErr; err != nil {
			t.Fatalf("writer: %v", err)
		}
		for err := range readErrs {
			t.Errorf("reader: %v", err)
		}
	})
}
