package app

import (
	"context"
	"fmt"
	"net/http"
)

// ResetPath is the test-fixture endpoint enabled by --allow-reset.
const ResetPath = "/_idcenter/reset"

// Reset returns the whole state, in one transaction, to the bootstrapped
// world (same organization, instance, identity store and root key) with the
// --world file (if any) applied: with --allow-reset, the snapshot kept at
// start is restored (the exact state the server started in when its data
// folder was new: same ids), otherwise the file is applied again. It forgets
// cached access keys so that keys created since start stop working at once.
func (s *Server) Reset(ctx context.Context) error {
	// Uses recorded so far belong to the state being erased: written now,
	// they are erased with it rather than written into the new state later.
	if err := s.usage.Flush(ctx); err != nil {
		s.Log.Warn("iam: access key and service use not recorded", "err", err)
	}
	err := s.resetState(ctx)
	s.authn.ForgetKeys()
	s.owners.Forget()
	if err != nil {
		return fmt.Errorf("app: reset: %w", err)
	}
	return nil
}

// withReset answers POST /_idcenter/reset and passes everything else on.
func (s *Server) withReset(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != ResetPath {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "use POST", http.StatusMethodNotAllowed)
			return
		}
		if err := s.Reset(r.Context()); err != nil {
			s.Log.Error("reset failed", "err", err)
			http.Error(w, "reset failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"reset"}` + "\n"))
	})
}
