package app

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/idcenter/idcenter/internal/core/federation"
)

// samlMetadataFetcher reads IdP metadata from an http(s) URL with client
// (the federation service refreshes the identity source's metadata with it).
func samlMetadataFetcher(client *http.Client) func(ctx context.Context, url string) ([]byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	return func(ctx context.Context, url string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s", resp.Status)
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, federation.MaxMetadataSize+1))
		if err != nil {
			return nil, err
		}
		if len(b) > federation.MaxMetadataSize {
			return nil, fmt.Errorf("metadata larger than %d bytes", federation.MaxMetadataSize)
		}
		return b, nil
	}
}
