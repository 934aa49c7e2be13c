package app

import (
	"net/http"

	"github.com/idcenter/idcenter/internal/store"
)

// Health and readiness endpoints, for load balancers and orchestrators.
const (
	HealthPath = "/_idcenter/health"
	ReadyPath  = "/_idcenter/ready"
)

// withHealth answers the health (the process serves) and readiness (the
// store answers, the bootstrapped instance is in it and the --world file's
// apply, provisioning included, has committed) probes and passes every other
// request on.
func (s *Server) withHealth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case HealthPath:
			writeProbe(w, http.StatusOK, "ok")
		case ReadyPath:
			err := s.Store.View(r.Context(), func(tx store.Tx) error {
				if _, err := tx.GetInstance(r.Context(), s.World.Instance.ARN); err != nil {
					return err
				}
				return s.worldApplied(r.Context(), tx)
			})
			if err != nil {
				s.Log.Warn("not ready", "err", err)
				writeProbe(w, http.StatusServiceUnavailable, "not ready")
				return
			}
			writeProbe(w, http.StatusOK, "ready")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func writeProbe(w http.ResponseWriter, code int, status string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(`{"status":"` + status + `"}` + "\n"))
}
