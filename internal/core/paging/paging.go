package paging

import (
	"encoding/base64"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// tokenPrefix versions the token format so a later change can tell old tokens apart.
const tokenPrefix = "v1:"

// Encode makes an opaque token that resumes after key.
func Encode(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(tokenPrefix + key))
}

// Decode turns a token back into the key to resume after; "" means the first page.
func Decode(token string) (string, error) {
	if token == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || !strings.HasPrefix(string(raw), tokenPrefix) {
		return "", fault.Validationf("The pagination token is invalid.")
	}
	return strings.TrimPrefix(string(raw), tokenPrefix), nil
}

// Page builds the store page for a request: limit defaults to def when max <= 0.
// One more record than asked for is fetched so the caller can tell whether a
// next page exists (see Trim).
func Page(token string, max, def int) (store.Page, int, error) {
	after, err := Decode(token)
	if err != nil {
		return store.Page{}, 0, err
	}
	if max <= 0 {
		max = def
	}
	return store.Page{After: after, Limit: max + 1}, max, nil
}

// Trim cuts items to limit and returns the next token (empty on the last page).
func Trim[T any](items []T, limit int, key func(T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, Encode(key(items[len(items)-1]))
}
