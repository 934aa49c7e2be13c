package iam

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// IAM SAML 2.0 and OpenID Connect identity providers.

// Quotas of identity providers (IAM quotas page).
const (
	MaxSAMLProviders       = 100
	MaxOIDCProviders       = 100
	MaxOIDCClientIDs       = 100
	MaxOIDCThumbprints     = 5
	MaxSAMLPrivateKeys     = 2
	samlDefaultValidYears  = 100
	samlProviderUUIDLength = 26
)

// SAMLProviderARN is the ARN of a SAML provider.
func SAMLProviderARN(acct, name string) string {
	return "arn:aws:iam::" + acct + ":saml-provider/" + name
}

// OIDCProviderARN is the ARN of an OIDC provider whose URL (without
// https://) is host.
func OIDCProviderARN(acct, host string) string {
	return "arn:aws:iam::" + acct + ":oidc-provider/" + host
}

// SAMLMetadata is what a SAML metadata document says about an IdP.
type SAMLMetadata struct {
	EntityID string
	// Certificates sign the IdP's responses (the IDPSSODescriptor's signing keys).
	Certificates []*x509.Certificate
	// ValidUntil is the document's validUntil (zero without one).
	ValidUntil time.Time
}

type mdKeyDescriptor struct {
	Use   string   `xml:"use,attr"`
	Certs []string `xml:"KeyInfo>X509Data>X509Certificate"`
}

type mdEntityDescriptor struct {
	XMLName    xml.Name
	EntityID   string `xml:"entityID,attr"`
	ValidUntil string `xml:"validUntil,attr"`
	IDPSSO     []struct {
		ValidUntil string            `xml:"validUntil,attr"`
		Keys       []mdKeyDescriptor `xml:"KeyDescriptor"`
	} `xml:"IDPSSODescriptor"`
}

const samlMetadataNS = "urn:oasis:names:tc:SAML:2.0:metadata"

func badMetadata() error {
	return invalidInput("Could not parse metadata")
}

// ParseSAMLMetadata reads an IdP's SAML 2.0 metadata: an EntityDescriptor
// with an IDPSSODescriptor and at least one signing certificate.
func ParseSAMLMetadata(doc string) (SAMLMetadata, error) {
	var ed mdEntityDescriptor
	if err := xml.Unmarshal([]byte(doc), &ed); err != nil {
		return SAMLMetadata{}, badMetadata()
	}
	if ed.XMLName.Local != "EntityDescriptor" || ed.XMLName.Space != samlMetadataNS || ed.EntityID == "" || len(ed.IDPSSO) == 0 {
		return SAMLMetadata{}, badMetadata()
	}
	md := SAMLMetadata{EntityID: ed.EntityID}
	validUntil := ed.ValidUntil
	for _, sso := range ed.IDPSSO {
		if validUntil == "" {
			validUntil = sso.ValidUntil
		}
		for _, k := range sso.Keys {
			if k.Use != "" && k.Use != "signing" {
				continue
			}
			for _, c := range k.Certs {
				der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(c), ""))
				if err != nil {
					return SAMLMetadata{}, badMetadata()
				}
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					return SAMLMetadata{}, badMetadata()
				}
				md.Certificates = append(md.Certificates, cert)
			}
		}
	}
	if len(md.Certificates) == 0 {
		return SAMLMetadata{}, badMetadata()
	}
	if validUntil != "" {
		t, err := time.Parse(time.RFC3339, validUntil)
		if err != nil {
			return SAMLMetadata{}, badMetadata()
		}
		md.ValidUntil = t.UTC()
	}
	return md, nil
}

// SAMLProviderInput is what CreateSAMLProvider and UpdateSAMLProvider take.
type SAMLProviderInput struct {
	Name                    string
	MetadataDocument        string
	AssertionEncryptionMode string
	AddPrivateKey           string
	RemovePrivateKey        string
	Tags                    []store.Tag
}

func samlNotFound(arn string) error {
	return noSuchEntity("Manifest not found for arn %s", arn)
}

func oidcNotFound(arn string) error {
	return noSuchEntity("OpenIDConnect Provider not found for arn %s", arn)
}

// providerOf checks that arn names a provider of kind in the caller's account.
func providerOf(c Caller, arn, kind string, notFound func(string) error) error {
	if !strings.HasPrefix(arn, "arn:aws:iam::"+c.AccountID+":"+kind+"/") {
		if strings.HasPrefix(arn, "arn:aws:iam::") && strings.Contains(arn, ":"+kind+"/") {
			return notFound(arn)
		}
		return invalidInput("ARN %s is not valid.", arn)
	}
	return nil
}

func (s *Service) privateKey(pemText string) (store.IAMSAMLPrivateKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return store.IAMSAMLPrivateKey{}, invalidInput("The private key is not valid.")
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
		if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
			if _, err := x509.ParseECPrivateKey(block.Bytes); err != nil {
				return store.IAMSAMLPrivateKey{}, invalidInput("The private key is not valid.")
			}
		}
	}
	id, err := s.random("", idAlphabet, samlProviderUUIDLength)
	if err != nil {
		return store.IAMSAMLPrivateKey{}, err
	}
	return store.IAMSAMLPrivateKey{KeyID: id, PEM: pemText, Timestamp: s.now()}, nil
}

func checkEncryptionMode(p *store.IAMSAMLProvider) error {
	if p.AssertionEncryptionMode == "Required" && len(p.PrivateKeys) == 0 {
		return invalidInput("A private key is required when AssertionEncryptionMode is Required.")
	}
	return nil
}

func (s *Service) validUntil(md SAMLMetadata) time.Time {
	if !md.ValidUntil.IsZero() {
		return md.ValidUntil
	}
	return s.now().AddDate(samlDefaultValidYears, 0, 0)
}

// CreateSAMLProvider registers a SAML IdP from its metadata.
func (s *Service) CreateSAMLProvider(ctx context.Context, c Caller, in SAMLProviderInput) (store.IAMSAMLProvider, error) {
	if err := checkName("name", in.Name, 128); err != nil {
		return store.IAMSAMLProvider{}, err
	}
	md, err := ParseSAMLMetadata(in.MetadataDocument)
	if err != nil {
		return store.IAMSAMLProvider{}, err
	}
	tags, err := mergeTags(nil, in.Tags)
	if err != nil {
		return store.IAMSAMLProvider{}, err
	}
	uuid, err := s.random("", idAlphabet, samlProviderUUIDLength)
	if err != nil {
		return store.IAMSAMLProvider{}, err
	}
	p := store.IAMSAMLProvider{ARN: SAMLProviderARN(c.AccountID, in.Name), AccountID: c.AccountID, Name: in.Name, UUID: uuid,
		MetadataDocument: in.MetadataDocument, ValidUntil: s.validUntil(md), AssertionEncryptionMode: in.AssertionEncryptionMode,
		Tags: tags, CreatedAt: s.now()}
	if in.AddPrivateKey != "" {
		k, err := s.privateKey(in.AddPrivateKey)
		if err != nil {
			return store.IAMSAMLProvider{}, err
		}
		p.PrivateKeys = []store.IAMSAMLPrivateKey{k}
	}
	if err := checkEncryptionMode(&p); err != nil {
		return store.IAMSAMLProvider{}, err
	}
	err = s.update(ctx, "create saml provider", func(tx store.Tx) error {
		all, err := tx.ListIAMSAMLProviders(ctx, c.AccountID)
		if err != nil {
			return err
		}
		if len(all) >= MaxSAMLProviders {
			return limitExceeded("Cannot exceed quota for IdentityProvidersPerAccount: %d", MaxSAMLProviders)
		}
		return existsAs(tx.CreateIAMSAMLProvider(ctx, p), func() error {
			return alreadyExists("SAMLProvider %s already exists.", in.Name)
		})
	})
	return p, err
}

func getSAML(ctx context.Context, tx store.Tx, c Caller, arn string) (store.IAMSAMLProvider, error) {
	if err := providerOf(c, arn, "saml-provider", samlNotFound); err != nil {
		return store.IAMSAMLProvider{}, err
	}
	p, err := tx.GetIAMSAMLProvider(ctx, arn)
	return p, notFoundAs(err, func() error { return samlNotFound(arn) })
}

// GetSAMLProvider returns a SAML provider of the caller's account.
func (s *Service) GetSAMLProvider(ctx context.Context, c Caller, arn string) (store.IAMSAMLProvider, error) {
	var p store.IAMSAMLProvider
	err := s.view(ctx, "get saml provider", func(tx store.Tx) error {
		var err error
		p, err = getSAML(ctx, tx, c, arn)
		return err
	})
	return p, err
}

// UpdateSAMLProvider replaces the metadata, the encryption mode and adds or
// removes a private key.
func (s *Service) UpdateSAMLProvider(ctx context.Context, c Caller, arn string, in SAMLProviderInput) error {
	var md *SAMLMetadata
	if in.MetadataDocument != "" {
		m, err := ParseSAMLMetadata(in.MetadataDocument)
		if err != nil {
			return err
		}
		md = &m
	}
	var add *store.IAMSAMLPrivateKey
	if in.AddPrivateKey != "" {
		k, err := s.privateKey(in.AddPrivateKey)
		if err != nil {
			return err
		}
		add = &k
	}
	if md == nil && add == nil && in.RemovePrivateKey == "" && in.AssertionEncryptionMode == "" {
		return invalidInput("At least one of SAMLMetadataDocument, AssertionEncryptionMode, AddPrivateKey or RemovePrivateKey must be given.")
	}
	return s.update(ctx, "update saml provider", func(tx store.Tx) error {
		p, err := getSAML(ctx, tx, c, arn)
		if err != nil {
			return err
		}
		if md != nil {
			p.MetadataDocument, p.ValidUntil = in.MetadataDocument, s.validUntil(*md)
		}
		if in.AssertionEncryptionMode != "" {
			p.AssertionEncryptionMode = in.AssertionEncryptionMode
		}
		if in.RemovePrivateKey != "" {
			i := slices.IndexFunc(p.PrivateKeys, func(k store.IAMSAMLPrivateKey) bool { return k.KeyID == in.RemovePrivateKey })
			if i < 0 {
				return invalidInput("The private key %s does not exist for this SAML provider.", in.RemovePrivateKey)
			}
			p.PrivateKeys = slices.Delete(slices.Clone(p.PrivateKeys), i, i+1)
		}
		if add != nil {
			if len(p.PrivateKeys) >= MaxSAMLPrivateKeys {
				return limitExceeded("Cannot exceed quota for PrivateKeysPerSAMLProvider: %d", MaxSAMLPrivateKeys)
			}
			p.PrivateKeys = append(p.PrivateKeys, *add)
		}
		if err := checkEncryptionMode(&p); err != nil {
			return err
		}
		return tx.ReplaceIAMSAMLProvider(ctx, p)
	})
}

// DeleteSAMLProvider deletes a SAML provider.
func (s *Service) DeleteSAMLProvider(ctx context.Context, c Caller, arn string) error {
	return s.update(ctx, "delete saml provider", func(tx store.Tx) error {
		if _, err := getSAML(ctx, tx, c, arn); err != nil {
			return err
		}
		return tx.DeleteIAMSAMLProvider(ctx, arn)
	})
}

// ListSAMLProviders lists the account's SAML providers.
func (s *Service) ListSAMLProviders(ctx context.Context, c Caller) ([]store.IAMSAMLProvider, error) {
	var ps []store.IAMSAMLProvider
	err := s.view(ctx, "list saml providers", func(tx store.Tx) error {
		var err error
		ps, err = tx.ListIAMSAMLProviders(ctx, c.AccountID)
		return err
	})
	return ps, err
}

// TagSAMLProvider adds or replaces tags.
func (s *Service) TagSAMLProvider(ctx context.Context, c Caller, arn string, tags []store.Tag) error {
	return s.update(ctx, "tag saml provider", func(tx store.Tx) error {
		p, err := getSAML(ctx, tx, c, arn)
		if err != nil {
			return err
		}
		if p.Tags, err = mergeTags(p.Tags, tags); err != nil {
			return err
		}
		return tx.ReplaceIAMSAMLProvider(ctx, p)
	})
}

// UntagSAMLProvider removes tag keys.
func (s *Service) UntagSAMLProvider(ctx context.Context, c Caller, arn string, keys []string) error {
	return s.update(ctx, "untag saml provider", func(tx store.Tx) error {
		p, err := getSAML(ctx, tx, c, arn)
		if err != nil {
			return err
		}
		p.Tags = removeTags(p.Tags, keys)
		return tx.ReplaceIAMSAMLProvider(ctx, p)
	})
}

// ListSAMLProviderTags pages a SAML provider's tags.
func (s *Service) ListSAMLProviderTags(ctx context.Context, c Caller, arn, marker string, max int) (Page[store.Tag], error) {
	p, err := s.GetSAMLProvider(ctx, c, arn)
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageTags(p.Tags, marker, max)
}

// ---- OpenID Connect ----

var thumbprintRE = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// oidcHost checks an issuer URL (https, no query or fragment) and returns it
// without its scheme, as IAM keeps it.
func oidcHost(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || len(raw) > 255 {
		return "", invalidInput("Invalid Openid Connect Provider URL")
	}
	host := strings.ToLower(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/")
	return host, nil
}

func checkThumbprints(ts []string) error {
	if len(ts) > MaxOIDCThumbprints {
		return limitExceeded("Thumbprint list must contain at most %d entries.", MaxOIDCThumbprints)
	}
	for _, t := range ts {
		if !thumbprintRE.MatchString(t) {
			return invalidInput("Thumbprint must be a 40-character hex string: %s", t)
		}
	}
	return nil
}

func checkClientIDs(ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		if id == "" || len(id) > 255 {
			return nil, invalidInput("Client ID must be 1 to 255 characters.")
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > MaxOIDCClientIDs {
		return nil, limitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", MaxOIDCClientIDs)
	}
	return out, nil
}

// CreateOpenIDConnectProvider registers an OIDC IdP; thumbprints are optional.
func (s *Service) CreateOpenIDConnectProvider(ctx context.Context, c Caller, rawURL string, clientIDs, thumbprints []string, tags []store.Tag) (store.IAMOIDCProvider, error) {
	host, err := oidcHost(rawURL)
	if err != nil {
		return store.IAMOIDCProvider{}, err
	}
	if clientIDs, err = checkClientIDs(clientIDs); err != nil {
		return store.IAMOIDCProvider{}, err
	}
	if err := checkThumbprints(thumbprints); err != nil {
		return store.IAMOIDCProvider{}, err
	}
	if tags, err = mergeTags(nil, tags); err != nil {
		return store.IAMOIDCProvider{}, err
	}
	p := store.IAMOIDCProvider{ARN: OIDCProviderARN(c.AccountID, host), AccountID: c.AccountID, URL: host,
		ClientIDs: clientIDs, Thumbprints: thumbprints, Tags: tags, CreatedAt: s.now()}
	err = s.update(ctx, "create oidc provider", func(tx store.Tx) error {
		all, err := tx.ListIAMOIDCProviders(ctx, c.AccountID)
		if err != nil {
			return err
		}
		if len(all) >= MaxOIDCProviders {
			return limitExceeded("Cannot exceed quota for OpenIdConnectProvidersPerAccount: %d", MaxOIDCProviders)
		}
		return existsAs(tx.CreateIAMOIDCProvider(ctx, p), func() error {
			return alreadyExists("Provider with url https://%s already exists.", host)
		})
	})
	return p, err
}

func getOIDC(ctx context.Context, tx store.Tx, c Caller, arn string) (store.IAMOIDCProvider, error) {
	if err := providerOf(c, arn, "oidc-provider", oidcNotFound); err != nil {
		return store.IAMOIDCProvider{}, err
	}
	p, err := tx.GetIAMOIDCProvider(ctx, arn)
	return p, notFoundAs(err, func() error { return oidcNotFound(arn) })
}

// GetOpenIDConnectProvider returns an OIDC provider of the caller's account.
func (s *Service) GetOpenIDConnectProvider(ctx context.Context, c Caller, arn string) (store.IAMOIDCProvider, error) {
	var p store.IAMOIDCProvider
	err := s.view(ctx, "get oidc provider", func(tx store.Tx) error {
		var err error
		p, err = getOIDC(ctx, tx, c, arn)
		return err
	})
	return p, err
}

// changeOIDC reads, changes and writes an OIDC provider in one transaction.
func (s *Service) changeOIDC(ctx context.Context, c Caller, op, arn string, f func(*store.IAMOIDCProvider) error) error {
	return s.update(ctx, op, func(tx store.Tx) error {
		p, err := getOIDC(ctx, tx, c, arn)
		if err != nil {
			return err
		}
		if err := f(&p); err != nil {
			return err
		}
		return tx.ReplaceIAMOIDCProvider(ctx, p)
	})
}

// DeleteOpenIDConnectProvider deletes an OIDC provider.
func (s *Service) DeleteOpenIDConnectProvider(ctx context.Context, c Caller, arn string) error {
	return s.update(ctx, "delete oidc provider", func(tx store.Tx) error {
		if _, err := getOIDC(ctx, tx, c, arn); err != nil {
			return err
		}
		return tx.DeleteIAMOIDCProvider(ctx, arn)
	})
}

// ListOpenIDConnectProviders lists the account's OIDC providers.
func (s *Service) ListOpenIDConnectProviders(ctx context.Context, c Caller) ([]store.IAMOIDCProvider, error) {
	var ps []store.IAMOIDCProvider
	err := s.view(ctx, "list oidc providers", func(tx store.Tx) error {
		var err error
		ps, err = tx.ListIAMOIDCProviders(ctx, c.AccountID)
		return err
	})
	return ps, err
}

// AddClientIDToOpenIDConnectProvider adds a client id (no-op when present).
func (s *Service) AddClientIDToOpenIDConnectProvider(ctx context.Context, c Caller, arn, clientID string) error {
	return s.changeOIDC(ctx, c, "add client id", arn, func(p *store.IAMOIDCProvider) error {
		ids, err := checkClientIDs(append(slices.Clone(p.ClientIDs), clientID))
		p.ClientIDs = ids
		return err
	})
}

// RemoveClientIDFromOpenIDConnectProvider removes a client id (no-op when absent).
func (s *Service) RemoveClientIDFromOpenIDConnectProvider(ctx context.Context, c Caller, arn, clientID string) error {
	return s.changeOIDC(ctx, c, "remove client id", arn, func(p *store.IAMOIDCProvider) error {
		p.ClientIDs = slices.DeleteFunc(slices.Clone(p.ClientIDs), func(id string) bool { return id == clientID })
		return nil
	})
}

// UpdateOpenIDConnectProviderThumbprint replaces the thumbprint list.
func (s *Service) UpdateOpenIDConnectProviderThumbprint(ctx context.Context, c Caller, arn string, thumbprints []string) error {
	if err := checkThumbprints(thumbprints); err != nil {
		return err
	}
	return s.changeOIDC(ctx, c, "update thumbprints", arn, func(p *store.IAMOIDCProvider) error {
		p.Thumbprints = thumbprints
		return nil
	})
}

// TagOpenIDConnectProvider adds or replaces tags.
func (s *Service) TagOpenIDConnectProvider(ctx context.Context, c Caller, arn string, tags []store.Tag) error {
	return s.changeOIDC(ctx, c, "tag oidc provider", arn, func(p *store.IAMOIDCProvider) error {
		var err error
		p.Tags, err = mergeTags(p.Tags, tags)
		return err
	})
}

// UntagOpenIDConnectProvider removes tag keys.
func (s *Service) UntagOpenIDConnectProvider(ctx context.Context, c Caller, arn string, keys []string) error {
	return s.changeOIDC(ctx, c, "untag oidc provider", arn, func(p *store.IAMOIDCProvider) error {
		p.Tags = removeTags(p.Tags, keys)
		return nil
	})
}

// ListOpenIDConnectProviderTags pages an OIDC provider's tags.
func (s *Service) ListOpenIDConnectProviderTags(ctx context.Context, c Caller, arn, marker string, max int) (Page[store.Tag], error) {
	p, err := s.GetOpenIDConnectProvider(ctx, c, arn)
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageTags(p.Tags, marker, max)
}
