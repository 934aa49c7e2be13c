package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/store"
)

// OpenFederation opens the data folder's store and the identity source
// service of its instance for `idcenter admin identity-source` (the server
// may be running: it reads the setting at every sign-in). defaultBase is
// the SP base URL shown when the setting names none. The caller closes the
// store.
func OpenFederation(ctx context.Context, cfg config.Config, defaultBase string) (store.Store, *federation.Service, error) {
	st, ins, err := OpenAdmin(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return st, &federation.Service{Store: st, InstanceARN: ins.ARN, IdentityStoreID: ins.IdentityStoreID,
		BaseURL: func() string { return defaultBase }}, nil
}

// ReadSAMLMetadata reads an IdP's SAML metadata from a file or an http(s) URL.
func ReadSAMLMetadata(ctx context.Context, src string) ([]byte, error) {
	var r io.Reader
	if strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://") {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("read SAML metadata: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("read SAML metadata from %s: %s", src, resp.Status)
		}
		r = resp.Body
	} else {
		f, err := os.Open(src)
		if err != nil {
			return nil, fmt.Errorf("read SAML metadata: %w", err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, federation.MaxMetadataSize+1))
	if err != nil {
		return nil, fmt.Errorf("read SAML metadata: %w", err)
	}
	if len(b) > federation.MaxMetadataSize {
		return nil, fmt.Errorf("read SAML metadata: larger than %d bytes", federation.MaxMetadataSize)
	}
	return b, nil
}
