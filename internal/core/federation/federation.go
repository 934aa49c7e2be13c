package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/idcenter/idcenter/internal/store"
)

// Limits and lifetimes.
const (
	// MaxMetadataSize bounds an IdP metadata document.
	MaxMetadataSize = 1 << 20
	// MaxResponseSize bounds a base64 SAMLResponse.
	MaxResponseSize = 256 << 10
	// RequestTTL is how long an SP-initiated sign-in waits for the IdP.
	RequestTTL = 15 * time.Minute
	// spCertValidity is the SP certificate's lifetime.
	spCertValidity = 10 * 365 * 24 * time.Hour
)

// Paths of the SP endpoints, below the base URL.
const (
	MetadataPath = "/saml/metadata"
	ACSPath      = "/saml/acs"
	LoginPath    = "/saml/login"
)

// Errors. ErrInvalidResponse wraps the library's reason, which is for the
// log only (it may describe the response); users see a short message.
var (
	ErrNotExternal      = errors.New("federation: the identity source is the identity store; SAML sign-in is not configured")
	ErrInvalidMetadata  = errors.New("federation: invalid IdP metadata")
	ErrInvalidResponse  = errors.New("federation: the SAML response was refused")
	ErrUnsolicited      = errors.New("federation: unsolicited SAML response (IdP-initiated sign-in is not allowed) or the sign-in expired")
	ErrUnknownUser      = errors.New("federation: no identity store user has the NameID as user name")
	ErrInvalidParameter = errors.New("federation: invalid parameter")
)

// Source is the identity source setting as administrators see it.
type Source struct {
	Type              string // store.IdentitySourceIdentityStore or store.IdentitySourceExternalSAML
	MetadataSource    string
	IdPEntityID       string
	IdPSSOURL         string // the IdP's sign-in URL (HTTP-Redirect binding)
	AllowIdPInitiated bool
	UserNameAttribute string // the assertion attribute matched to the user name ("" = the NameID)
	SPBaseURL         string // as set ("" = the server's own URL)
	UpdatedAt         time.Time
}

// SP are the service provider's URLs an IdP administrator enters.
type SP struct {
	EntityID    string // also the audience
	ACSURL      string
	MetadataURL string
	SignInURL   string // starts an SP-initiated sign-in
	SLOURL      string // single logout service (HTTP-Redirect and HTTP-POST)
}

// ExternalSAML sets an external IdP as the identity source.
type ExternalSAML struct {
	Metadata          []byte // the IdP's SAML metadata XML
	MetadataSource    string // a file name or URL, for the record
	SPBaseURL         string // idcenter's external URL (scheme://host[:port]); "" = the server's own
	AllowIdPInitiated bool
	// UserNameAttribute names the assertion attribute (Name or FriendlyName)
	// whose value is the identity store user name, for IdPs whose NameID is
	// not (a persistent or transient id); "" = the NameID.
	UserNameAttribute string
}

// MaxAttributeNameLength bounds ExternalSAML.UserNameAttribute.
const MaxAttributeNameLength = 256

// Service reads and changes the identity source of one instance and runs
// the SP side of SAML sign-ins.
type Service struct {
	Store           store.Store
	InstanceARN     string
	IdentityStoreID string
	// BaseURL is the server's own URL (scheme://host:port), used when the
	// setting names none; nil or "" then means the SP URLs are unknown.
	BaseURL func() string
	Now     func() time.Time // time.Now when nil
	Rand    io.Reader        // crypto/rand when nil
	// FetchMetadata reads IdP metadata from an http(s) URL (the composition
	// root gives it an HTTP client); nil: metadata is never refreshed.
	FetchMetadata func(ctx context.Context, url string) ([]byte, error)
	// OnRefreshError is told of a failed metadata refresh (for the log).
	OnRefreshError func(error)

	refresh refresher
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

func (s *Service) get(ctx context.Context, tx store.Tx) (store.IdentitySource, error) {
	src, err := tx.GetIdentitySource(ctx, s.InstanceARN)
	if errors.Is(err, store.ErrNotFound) {
		return store.IdentitySource{InstanceARN: s.InstanceARN, Type: store.IdentitySourceIdentityStore}, nil
	}
	if err != nil {
		return src, fmt.Errorf("federation: identity source: %w", err)
	}
	return src, nil
}

func (s *Service) load(ctx context.Context) (store.IdentitySource, error) {
	var out store.IdentitySource
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		out, err = s.get(ctx, tx)
		return err
	})
	return out, err
}

func describe(src store.IdentitySource) Source {
	out := Source{Type: src.Type, MetadataSource: src.MetadataSource, AllowIdPInitiated: src.AllowIdPInitiated, UserNameAttribute: src.UserNameAttribute,
		SPBaseURL: src.SPBaseURL, UpdatedAt: src.UpdatedAt}
	if src.Type == store.IdentitySourceExternalSAML {
		if md, err := samlsp.ParseMetadata([]byte(src.IdPMetadata)); err == nil {
			out.IdPEntityID = md.EntityID
			out.IdPSSOURL = ssoURL(md)
		}
	}
	return out
}

// Get returns the identity source (the identity store when never set).
func (s *Service) Get(ctx context.Context) (Source, error) {
	src, err := s.load(ctx)
	if err != nil {
		return Source{}, err
	}
	return describe(src), nil
}

// External reports whether users sign in at an external IdP.
func (s *Service) External(ctx context.Context) (bool, error) {
	src, err := s.load(ctx)
	return src.Type == store.IdentitySourceExternalSAML, err
}

// SPURLs returns the SP's URLs for a setting: from its SPBaseURL, else the
// server's own URL, else relative ones.
func (s *Service) SPURLs(src Source) SP {
	return spURLs(s.base(src.SPBaseURL))
}

func (s *Service) base(spBase string) string {
	if spBase != "" {
		return strings.TrimRight(spBase, "/")
	}
	if s.BaseURL != nil {
		return strings.TrimRight(s.BaseURL(), "/")
	}
	return ""
}

func spURLs(base string) SP {
	return SP{EntityID: base + MetadataPath, ACSURL: base + ACSPath, MetadataURL: base + MetadataPath, SignInURL: base + LoginPath, SLOURL: base + SLOPath}
}

// ssoURL is the IdP's HTTP-Redirect sign-in URL ("" when it has none).
func ssoURL(md *saml.EntityDescriptor) string {
	for _, d := range md.IDPSSODescriptors {
		for _, e := range d.SingleSignOnServices {
			if e.Binding == saml.HTTPRedirectBinding {
				return e.Location
			}
		}
	}
	return ""
}

// parseMetadata checks that data is the metadata of a usable IdP: an
// IDPSSODescriptor with an HTTP-Redirect sign-in URL and a signing key.
func parseMetadata(data []byte) (*saml.EntityDescriptor, error) {
	if len(data) == 0 || len(data) > MaxMetadataSize {
		return nil, fmt.Errorf("%w: %d bytes (want 1 to %d)", ErrInvalidMetadata, len(data), MaxMetadataSize)
	}
	md, err := samlsp.ParseMetadata(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMetadata, err)
	}
	if len(md.IDPSSODescriptors) == 0 {
		return nil, fmt.Errorf("%w: no IDPSSODescriptor (is this an identity provider's metadata?)", ErrInvalidMetadata)
	}
	if ssoURL(md) == "" {
		return nil, fmt.Errorf("%w: no SingleSignOnService with the HTTP-Redirect binding", ErrInvalidMetadata)
	}
	hasKey := false
	for _, d := range md.IDPSSODescriptors {
		for _, k := range d.KeyDescriptors {
			if (k.Use == "" || k.Use == "signing") && len(k.KeyInfo.X509Data.X509Certificates) > 0 {
				hasKey = true
			}
		}
	}
	if !hasKey {
		return nil, fmt.Errorf("%w: no signing certificate (KeyDescriptor)", ErrInvalidMetadata)
	}
	return md, nil
}

// SetExternalSAML makes the external IdP of in the identity source. The
// SP key pair is made on the first switch and kept afterwards. Every portal
// session of the identity store ends (they were signed in another way).
func (s *Service) SetExternalSAML(ctx context.Context, in ExternalSAML) (Source, error) {
	if _, err := parseMetadata(in.Metadata); err != nil {
		return Source{}, err
	}
	if in.SPBaseURL != "" {
		u, err := url.Parse(in.SPBaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return Source{}, fmt.Errorf("%w: SP base URL %q: want scheme://host[:port]", ErrInvalidParameter, in.SPBaseURL)
		}
	}
	in.UserNameAttribute = strings.TrimSpace(in.UserNameAttribute)
	if len(in.UserNameAttribute) > MaxAttributeNameLength {
		return Source{}, fmt.Errorf("%w: user name attribute longer than %d characters", ErrInvalidParameter, MaxAttributeNameLength)
	}
	cur, err := s.load(ctx)
	if err != nil {
		return Source{}, err
	}
	key, cert := cur.SPKey, cur.SPCertificate
	if key == "" || cert == "" {
		if key, cert, err = s.newKeyPair(); err != nil {
			return Source{}, err
		}
	}
	src := store.IdentitySource{InstanceARN: s.InstanceARN, Type: store.IdentitySourceExternalSAML, IdPMetadata: string(in.Metadata),
		MetadataSource: in.MetadataSource, SPBaseURL: strings.TrimRight(in.SPBaseURL, "/"), AllowIdPInitiated: in.AllowIdPInitiated, UserNameAttribute: in.UserNameAttribute,
		SPKey: key, SPCertificate: cert, UpdatedAt: s.now()}
	if err := s.put(ctx, src); err != nil {
		return Source{}, err
	}
	return describe(src), nil
}

// SetIdentityStore makes the identity store the identity source again
// (users sign in with their identity store passwords). The SP key pair is
// kept for a later switch back.
func (s *Service) SetIdentityStore(ctx context.Context) (Source, error) {
	cur, err := s.load(ctx)
	if err != nil {
		return Source{}, err
	}
	src := store.IdentitySource{InstanceARN: s.InstanceARN, Type: store.IdentitySourceIdentityStore,
		SPKey: cur.SPKey, SPCertificate: cur.SPCertificate, UpdatedAt: s.now()}
	if err := s.put(ctx, src); err != nil {
		return Source{}, err
	}
	return describe(src), nil
}

func (s *Service) put(ctx context.Context, src store.IdentitySource) error {
	return s.Store.Update(ctx, func(tx store.Tx) error {
		cur, err := s.get(ctx, tx)
		if err != nil {
			return err
		}
		if err := tx.PutIdentitySource(ctx, src); err != nil {
			return fmt.Errorf("federation: set identity source: %w", err)
		}
		if cur.Type != src.Type {
			if _, err := tx.DeleteStoreWebSessions(ctx, s.IdentityStoreID); err != nil {
				return fmt.Errorf("federation: end portal sessions: %w", err)
			}
		}
		return nil
	})
}

// newKeyPair makes the SP's RSA key and a self-signed certificate (PEM).
func (s *Service) newKeyPair() (string, string, error) {
	key, err := rsa.GenerateKey(s.rand(), 2048)
	if err != nil {
		return "", "", fmt.Errorf("federation: SP key: %w", err)
	}
	serial, err := rand.Int(s.rand(), new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return "", "", fmt.Errorf("federation: SP certificate serial: %w", err)
	}
	now := s.now()
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "idcenter SAML service provider"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(spCertValidity),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment}
	der, err := x509.CreateCertificate(s.rand(), tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", fmt.Errorf("federation: SP certificate: %w", err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", fmt.Errorf("federation: SP key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})),
		string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), nil
}

// sp builds the library's service provider for an external setting.
func (s *Service) sp(ctx context.Context, src store.IdentitySource) (*saml.ServiceProvider, SP, error) {
	if src.Type != store.IdentitySourceExternalSAML {
		return nil, SP{}, ErrNotExternal
	}
	md, err := parseMetadata([]byte(src.IdPMetadata))
	if err != nil {
		return nil, SP{}, err
	}
	kb, _ := pem.Decode([]byte(src.SPKey))
	cb, _ := pem.Decode([]byte(src.SPCertificate))
	if kb == nil || cb == nil {
		return nil, SP{}, errors.New("federation: the stored SP key pair is unreadable")
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, SP{}, fmt.Errorf("federation: SP key: %w", err)
	}
	key, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, SP{}, errors.New("federation: the SP key is not an RSA key")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, SP{}, fmt.Errorf("federation: SP certificate: %w", err)
	}
	urls := spURLs(s.base(src.SPBaseURL))
	mdURL, err := url.Parse(urls.MetadataURL)
	if err != nil {
		return nil, SP{}, err
	}
	acsURL, err := url.Parse(urls.ACSURL)
	if err != nil {
		return nil, SP{}, err
	}
	sloURL, err := url.Parse(urls.SLOURL)
	if err != nil {
		return nil, SP{}, err
	}
	now := s.now()
	sigMethod := ""
	if wantsSignedRequests(md) {
		sigMethod = dsig.RSASHA256SignatureMethod
	}
	return &saml.ServiceProvider{
		SignatureMethod:                  sigMethod,
		EntityID:                         urls.EntityID,
		Key:                              key,
		Certificate:                      cert,
		MetadataURL:                      *mdURL,
		AcsURL:                           *acsURL,
		IDPMetadata:                      md,
		AuthnNameIDFormat:                saml.UnspecifiedNameIDFormat,
		AllowIDPInitiated:                src.AllowIdPInitiated,
		AssertionConsumerServiceBindings: []string{saml.HTTPPostBinding},
		SloURL:                           *sloURL,
		LogoutBindings:                   []string{saml.HTTPRedirectBinding, saml.HTTPPostBinding},
		LogoutSignatureMethod:            dsig.RSASHA256SignatureMethod, // LogoutRequests and LogoutResponses are always signed
		Clock:                            dsig.NewFakeClockAt(now),
		ReplayCache:                      &replayCache{ctx: context.WithoutCancel(ctx), s: s},
	}, urls, nil
}

// wantsSignedRequests reports whether the IdP's metadata asks for signed
// AuthnRequests (WantAuthnRequestsSigned="true"). idcenter signs them then
// (RSA-SHA256; with the HTTP-Redirect binding the query string is signed,
// SAML bindings §3.4.4.1) and its SP metadata says AuthnRequestsSigned="true".
// Otherwise they are not signed: Okta and Entra ID accept unsigned requests
// unless their administrator turned request verification on, and then
// their metadata says so.
func wantsSignedRequests(md *saml.EntityDescriptor) bool {
	for _, d := range md.IDPSSODescriptors {
		if d.WantAuthnRequestsSigned != nil && *d.WantAuthnRequestsSigned {
			return true
		}
	}
	return false
}

// SPMetadata returns idcenter's SP metadata (XML) for the IdP.
func (s *Service) SPMetadata(ctx context.Context) ([]byte, error) {
	src, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	sp, _, err := s.sp(ctx, src)
	if err != nil {
		return nil, err
	}
	out, err := xml.MarshalIndent(sp.Metadata(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("federation: SP metadata: %w", err)
	}
	return append([]byte(xml.Header), out...), nil
}

func hashRelay(v string) []byte {
	h := sha256.Sum256([]byte(v))
	return h[:]
}

// StartSignIn begins an SP-initiated sign-in: it returns the IdP URL
// (HTTP-Redirect binding; the AuthnRequest is signed when the IdP's metadata
// wants it, see wantsSignedRequests) to send the browser to.
// next is the local page to return to after the sign-in.
func (s *Service) StartSignIn(ctx context.Context, next string) (string, error) {
	s.refreshQuietly(ctx, false)
	src, err := s.load(ctx)
	if err != nil {
		return "", err
	}
	sp, _, err := s.sp(ctx, src)
	if err != nil {
		return "", err
	}
	req, err := sp.MakeAuthenticationRequest(sp.GetSSOBindingLocation(saml.HTTPRedirectBinding), saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return "", fmt.Errorf("federation: authn request: %w", err)
	}
	b := make([]byte, 24)
	if _, err := io.ReadFull(s.rand(), b); err != nil {
		return "", fmt.Errorf("federation: relay state: %w", err)
	}
	relay := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteExpiredSAML(ctx, now); err != nil {
			return err
		}
		return tx.CreateSAMLRequest(ctx, store.SAMLRequest{RelayStateHash: hashRelay(relay), RequestID: req.ID, Next: next,
			ExpiresAt: now.Add(RequestTTL)})
	})
	if err != nil {
		return "", fmt.Errorf("federation: record request: %w", err)
	}
	u, err := req.Redirect(relay, sp)
	if err != nil {
		return "", fmt.Errorf("federation: redirect: %w", err)
	}
	return u.String(), nil
}

// Result is a verified SAML sign-in.
type Result struct {
	UserName string // the assertion's NameID: an identity store UserName
	Next     string // where to send the browser (a local path, unchecked)
}

// Consume verifies a SAMLResponse posted to the ACS (HTTP-POST binding,
// base64) with its RelayState. It answers the pending SP-initiated request
// the RelayState names, or — when the setting allows it — is an
// unsolicited IdP-initiated response (its RelayState, if any, is the page
// to go to). The NameID must be the UserName of an identity store user.
func (s *Service) Consume(ctx context.Context, samlResponse, relayState string) (Result, error) {
	if samlResponse == "" || len(samlResponse) > MaxResponseSize {
		return Result{}, fmt.Errorf("%w: missing or oversized SAMLResponse", ErrInvalidResponse)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(samlResponse))
	if err != nil {
		return Result{}, fmt.Errorf("%w: base64: %v", ErrInvalidResponse, err)
	}
	s.refreshQuietly(ctx, false)
	src, err := s.load(ctx)
	if err != nil {
		return Result{}, err
	}
	if src.Type != store.IdentitySourceExternalSAML {
		return Result{}, ErrNotExternal
	}
	now := s.now()
	var ids []string
	next := ""
	if relayState != "" {
		var req store.SAMLRequest
		err := s.Store.Update(ctx, func(tx store.Tx) error {
			var err error
			req, err = tx.TakeSAMLRequest(ctx, hashRelay(relayState))
			return err
		})
		switch {
		case err == nil && req.Next != sloNext && now.Before(req.ExpiresAt):
			ids, next = []string{req.RequestID}, req.Next
		case err == nil, errors.Is(err, store.ErrNotFound):
			if strings.HasPrefix(relayState, "/") {
				next = relayState // IdP-initiated with a target page
			}
		default:
			return Result{}, fmt.Errorf("federation: pending request: %w", err)
		}
	}
	if len(ids) == 0 && !src.AllowIdPInitiated {
		return Result{}, ErrUnsolicited
	}
	a, err := s.verify(ctx, src, raw, ids)
	if errors.Is(err, ErrInvalidResponse) && s.refreshQuietly(ctx, true) {
		// The IdP may have rolled its key over: verify with its new metadata.
		if src, err2 := s.load(ctx); err2 == nil {
			a, err = s.verify(ctx, src, raw, ids)
		}
	}
	if err != nil {
		return Result{}, err
	}
	name, err := userName(a, src.UserNameAttribute)
	if err != nil {
		return Result{}, err
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		id, err := tx.FindUserID(ctx, s.IdentityStoreID, store.UserLookup{UserName: name})
		if err != nil {
			return err
		}
		return tx.PutSAMLSubject(ctx, subject(a, s.IdentityStoreID, id, now))
	})
	if errors.Is(err, store.ErrNotFound) {
		return Result{UserName: name}, fmt.Errorf("%w: %q", ErrUnknownUser, name)
	}
	if err != nil {
		return Result{}, fmt.Errorf("federation: find user: %w", err)
	}
	return Result{UserName: name, Next: next}, nil
}

// SubjectTTL is how long the IdP's subject of a sign-in is kept for single
// logout (longer than any portal session).
const SubjectTTL = 30 * 24 * time.Hour

// subject is the IdP's name of a signed-in user, for single logout.
func subject(a *saml.Assertion, storeID, userID string, now time.Time) store.SAMLSubject {
	sub := store.SAMLSubject{IdentityStoreID: storeID, UserID: userID, ExpiresAt: now.Add(SubjectTTL)}
	if a.Subject != nil && a.Subject.NameID != nil {
		sub.NameID, sub.NameIDFormat = strings.TrimSpace(a.Subject.NameID.Value), a.Subject.NameID.Format
	}
	for _, st := range a.AuthnStatements {
		if st.SessionIndex != "" {
			sub.SessionIndex = st.SessionIndex
			break
		}
	}
	return sub
}

// userName is the identity store user name an assertion names: the value
// of the attribute attr (by Name or FriendlyName) when set, else the
// NameID, whatever its format (emailAddress, unspecified, persistent…).
func userName(a *saml.Assertion, attr string) (string, error) {
	if attr != "" {
		for _, st := range a.AttributeStatements {
			for _, at := range st.Attributes {
				if at.Name != attr && at.FriendlyName != attr {
					continue
				}
				for _, v := range at.Values {
					if n := strings.TrimSpace(v.Value); n != "" {
						return n, nil
					}
				}
			}
		}
		return "", fmt.Errorf("%w: the assertion has no value of the attribute %q (the user name)", ErrInvalidResponse, attr)
	}
	if a.Subject == nil || a.Subject.NameID == nil || strings.TrimSpace(a.Subject.NameID.Value) == "" {
		return "", fmt.Errorf("%w: the assertion has no NameID", ErrInvalidResponse)
	}
	return strings.TrimSpace(a.Subject.NameID.Value), nil
}

// verify checks a response with the library against the setting src.
func (s *Service) verify(ctx context.Context, src store.IdentitySource, raw []byte, ids []string) (*saml.Assertion, error) {
	sp, urls, err := s.sp(ctx, src)
	if err != nil {
		return nil, err
	}
	acs, _ := url.Parse(urls.ACSURL)
	a, err := sp.ParseXMLResponse(raw, ids, *acs)
	if err != nil {
		var ire *saml.InvalidResponseError
		if errors.As(err, &ire) && ire.PrivateErr != nil {
			err = ire.PrivateErr
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalidResponse, err)
	}
	return a, nil
}

// replayCache records consumed assertion ids in the store.
type replayCache struct {
	ctx context.Context
	s   *Service
}

func (r *replayCache) Consume(id string, expiresAt time.Time) error {
	now := r.s.now()
	err := r.s.Store.Update(r.ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteExpiredSAML(r.ctx, now); err != nil {
			return err
		}
		return tx.ConsumeSAMLAssertion(r.ctx, id, expiresAt)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return saml.ErrAssertionReplayed
	}
	return err
}
