package world

// The instance's identity source: the identity store, or an external SAML
// 2.0 identity provider.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/store"
)

// IdentitySource is where portal users sign in. With type EXTERNAL_SAML,
// Metadata is the IdP's SAML metadata XML; the service provider's key pair
// is made by the server (and kept across applies).
type IdentitySource struct {
	Type              string `yaml:"type"` // IDENTITY_STORE or EXTERNAL_SAML
	Metadata          string `yaml:"metadata,omitempty"`
	SPBaseURL         string `yaml:"spBaseUrl,omitempty"`
	AllowIdPInitiated bool   `yaml:"allowIdpInitiated,omitempty"`
	UserNameAttribute string `yaml:"userNameAttribute,omitempty"`
}

func (v *validator) identitySource() {
	s := v.w.IdentitySource
	if s == nil {
		return
	}
	for _, f := range []struct {
		n string
		p *string
	}{{"type", &s.Type}, {"metadata", &s.Metadata}, {"spBaseUrl", &s.SPBaseURL}, {"userNameAttribute", &s.UserNameAttribute}} {
		v.expand("identitySource."+f.n, f.p)
	}
	switch s.Type {
	case store.IdentitySourceIdentityStore:
		if s.Metadata != "" || s.SPBaseURL != "" || s.AllowIdPInitiated || s.UserNameAttribute != "" {
			v.add("identitySource", "metadata, spBaseUrl, allowIdpInitiated and userNameAttribute are for type EXTERNAL_SAML")
		}
	case store.IdentitySourceExternalSAML:
		if strings.TrimSpace(s.Metadata) == "" {
			v.add("identitySource.metadata", "is required for type EXTERNAL_SAML")
		}
		if s.SPBaseURL != "" {
			u, err := url.Parse(s.SPBaseURL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
				v.add("identitySource.spBaseUrl", "%q: want scheme://host[:port]", s.SPBaseURL)
			}
		}
		if len(s.UserNameAttribute) > federation.MaxAttributeNameLength {
			v.add("identitySource.userNameAttribute", "longer than %d characters", federation.MaxAttributeNameLength)
		}
	default:
		v.add("identitySource.type", "%q: want IDENTITY_STORE or EXTERNAL_SAML", s.Type)
	}
}

// applyIdentitySource switches the identity source when the stored one
// differs from the file's (the federation core checks the metadata).
func (t Target) applyIdentitySource(ctx context.Context, w *World) error {
	s := w.IdentitySource
	if s == nil {
		return nil
	}
	if t.Federation == nil {
		return w.Errorf("identitySource", "identity sources are not available")
	}
	var cur store.IdentitySource
	err := t.Store.View(ctx, func(tx store.Tx) error {
		var err error
		cur, err = tx.GetIdentitySource(ctx, t.InstanceARN)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		cur, err = store.IdentitySource{Type: store.IdentitySourceIdentityStore}, nil
	}
	if err != nil {
		return fmt.Errorf("%s: identity source: %w", w.file, err)
	}
	if s.Type == store.IdentitySourceIdentityStore {
		if cur.Type != s.Type {
			if _, err := t.Federation.SetIdentityStore(ctx); err != nil {
				return w.Errorf("identitySource", "%w", err)
			}
		}
		return nil
	}
	if cur.Type == s.Type && cur.IdPMetadata == s.Metadata && cur.SPBaseURL == strings.TrimRight(s.SPBaseURL, "/") &&
		cur.AllowIdPInitiated == s.AllowIdPInitiated && cur.UserNameAttribute == strings.TrimSpace(s.UserNameAttribute) {
		return nil
	}
	if _, err := t.Federation.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: []byte(s.Metadata), MetadataSource: w.file,
		SPBaseURL: s.SPBaseURL, AllowIdPInitiated: s.AllowIdPInitiated, UserNameAttribute: s.UserNameAttribute}); err != nil {
		if errors.Is(err, federation.ErrInvalidMetadata) {
			return w.Errorf("identitySource.metadata", "%w", err)
		}
		return w.Errorf("identitySource", "%w", err)
	}
	return nil
}

// identitySource exports an external identity source (none for the
// identity store, the default).
func (x exporter) identitySource(ctx context.Context, w *World, in store.Instance) error {
	s, err := x.tx.GetIdentitySource(ctx, in.ARN)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if s.Type == store.IdentitySourceExternalSAML {
		w.IdentitySource = &IdentitySource{Type: s.Type, Metadata: s.IdPMetadata, SPBaseURL: s.SPBaseURL,
			AllowIdPInitiated: s.AllowIdPInitiated, UserNameAttribute: s.UserNameAttribute}
	}
	return nil
}
