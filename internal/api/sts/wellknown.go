package sts

import (
	"encoding/json"
	"net/http"

	"github.com/idcenter/idcenter/internal/core/credentials"
)

// Outbound web identity federation: the issuer's OpenID discovery document
// and JSON Web Key Set, with which external services verify the tokens of
// GetWebIdentityToken. The keys are public; the discovery document names
// the host it was asked on as the issuer (AWS's issuers are
// https://<id>.tokens.sts.global.api.aws, reachable through DNS or the proxy).

const (
	wellKnownConfig = "/.well-known/openid-configuration"
	wellKnownJWKS   = "/.well-known/jwks.json"
)

// IsWellKnownPath reports whether WellKnown serves path.
func IsWellKnownPath(path string) bool { return path == wellKnownConfig || path == wellKnownJWKS }

// WellKnown serves the discovery document and the key set.
type WellKnown struct {
	Core *credentials.Service
}

func (h WellKnown) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var body any
	switch r.URL.Path {
	case wellKnownConfig:
		issuer := "https://" + r.Host
		body = map[string]any{
			"issuer": issuer, "jwks_uri": issuer + wellKnownJWKS,
			"id_token_signing_alg_values_supported": []string{"RS256", "ES384"},
			"response_types_supported":              []string{"id_token"},
			"subject_types_supported":               []string{"public"},
		}
	default:
		keys, err := h.Core.WebIdentityKeys(r.Context())
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		body = keys
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "max-age=300")
	_ = json.NewEncoder(w).Encode(body)
}
