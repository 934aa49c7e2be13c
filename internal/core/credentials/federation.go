package credentials

import (
	"context"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml/xmlenc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// Federation: AssumeRoleWithSAML and AssumeRoleWithWebIdentity. The caller is
// not an AWS principal but whoever presents an identity provider's signed
// statement; the role's trust policy alone decides, with the provider's
// condition keys.

// FederationDecider decides federated role assumption with the trust policy
// (authz.Authorizer.AuthorizeFederated).
type FederationDecider interface {
	AuthorizeFederated(ctx context.Context, federated, action, roleARN string, trust authz.NamedDocument, extra map[string][]string) error
}

// MFAVerifier checks and consumes an IAM user's MFA code (iam.Service.UseMFACode).
type MFAVerifier interface {
	UseMFACode(ctx context.Context, accountID, userName, serial, code string) error
}

// Fetcher reads a URL over HTTPS (an OIDC provider's discovery document and
// keys); the composition root gives it an HTTP client. thumbprints are the
// provider's: when the server's certificate chain does not verify with the
// trusted roots, it is accepted if the SHA-1 of its last certificate is one
// of them (as IAM does for IdPs whose CA it does not trust).
type Fetcher interface {
	Fetch(ctx context.Context, url string, thumbprints []string) ([]byte, error)
}

// Wire codes of the federation errors.
const (
	CodeInvalidIdentityToken = "InvalidIdentityToken"
	CodeExpiredToken         = "ExpiredTokenException"
	CodeIDPRejectedClaim     = "IDPRejectedClaim"
	CodeIDPCommunication     = "IDPCommunicationError"
)

// SAML attribute names and audiences AWS knows.
const (
	samlRoleAttr        = "https://aws.amazon.com/SAML/Attributes/Role"
	samlSessionNameAttr = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	samlDurationAttr    = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
	samlSourceIDAttr    = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
	samlTagAttrPrefix   = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
	samlTransitiveAttr  = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys"
	// SAMLAudience is the audience (and recipient) of assertions for AWS.
	SAMLAudience = "https://signin.aws.amazon.com/saml"
	// samlSkew is the clock skew allowed around an assertion's time bounds.
	samlSkew = 5 * time.Minute
	// samlRedeemWithin is how long after its IssueInstant an assertion is taken.
	samlRedeemWithin = 5 * time.Minute
)

var (
	regionalAudience = regexp.MustCompile(`^https://[a-z0-9-]+\.signin\.aws\.amazon\.com/saml$`)
	samlProviderRE   = regexp.MustCompile(`^arn:aws:iam::(\d{12}):saml-provider/([\w._-]+)$`)
)

func invalidToken(format string, args ...any) error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeInvalidIdentityToken, Message: fmt.Sprintf(format, args...)}
}

func expiredToken(format string, args ...any) error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeExpiredToken, Message: fmt.Sprintf(format, args...)}
}

func validAudience(a string) bool {
	return a == SAMLAudience || a == "urn:amazon:webservices" || regionalAudience.MatchString(a)
}

// SAMLInput is an AssumeRoleWithSAML request.
type SAMLInput struct {
	RoleARN, PrincipalARN, Assertion string
	DurationSeconds                  int
	SessionPolicies
}

// FederatedIssued is what a federated role assumption returns.
type FederatedIssued struct {
	Issued
	// SAML: Subject, SubjectType, Issuer, Audience (the recipient) and NameQualifier.
	// Web identity: Subject (sub), Issuer (the provider), Audience (the client id).
	Subject, SubjectType, Issuer, Audience, NameQualifier string
}

// samlAssertion is what a verified assertion says.
type samlAssertion struct {
	issuer, subject, subjectType, recipient string
	attrs                                   map[string][]string
}

func childNS(el *etree.Element, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == tag {
			out = append(out, c)
		}
	}
	return out
}

func firstChild(el *etree.Element, tag string) *etree.Element {
	if el == nil {
		return nil
	}
	if cs := childNS(el, tag); len(cs) > 0 {
		return cs[0]
	}
	return nil
}

// verifySAML checks the signature of a base64 SAML Response against the
// provider's certificates and reads its one assertion.
func (s *Service) verifySAML(raw string, md iam.SAMLMetadata, prov store.IAMSAMLProvider, now time.Time) (samlAssertion, error) {
	var a samlAssertion
	xmlBytes, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(raw), ""))
	if err != nil {
		return a, invalidToken("The SAML assertion is not valid base64.")
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(xmlBytes); err != nil || doc.Root() == nil {
		return a, invalidToken("The SAML response is not valid XML.")
	}
	root := doc.Root()
	if root.Tag != "Response" || root.NamespaceURI() != "urn:oasis:names:tc:SAML:2.0:protocol" {
		return a, invalidToken("The SAML response is not a SAML 2.0 Response.")
	}
	if st := firstChild(firstChild(root, "Status"), "StatusCode"); st == nil || st.SelectAttrValue("Value", "") != "urn:oasis:names:tc:SAML:2.0:status:Success" {
		return a, &fault.Error{Kind: fault.AccessDenied, Reason: CodeIDPRejectedClaim, Message: "The identity provider did not report a successful authentication."}
	}
	vctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: md.Certificates})
	vctx.Clock = dsig.NewFakeClockAt(now)
	// the one assertion of a response, decrypted with the provider's
	// private keys when it is an EncryptedAssertion (which the provider's
	// AssertionEncryptionMode Required demands).
	theAssertion := func(resp *etree.Element) (*etree.Element, error) {
		plain, enc := childNS(resp, "Assertion"), childNS(resp, "EncryptedAssertion")
		if len(plain)+len(enc) != 1 {
			return nil, invalidToken("The SAML response must hold exactly one assertion.")
		}
		if len(plain) == 1 {
			if prov.AssertionEncryptionMode == "Required" {
				return nil, invalidToken("The SAML provider requires encrypted assertions.")
			}
			return plain[0], nil
		}
		return decryptAssertion(enc[0], prov.PrivateKeys)
	}
	var assertion *etree.Element
	if firstChild(root, "Signature") != nil {
		validated, err := vctx.Validate(root)
		if err != nil {
			return a, invalidToken("Response signature invalid")
		}
		if assertion, err = theAssertion(validated); err != nil {
			return a, err
		}
	} else {
		as, err := theAssertion(root)
		if err != nil {
			return a, err
		}
		if firstChild(as, "Signature") == nil {
			return a, invalidToken("The SAML assertion is not signed.")
		}
		validated, err := vctx.Validate(as)
		if err != nil {
			return a, invalidToken("Response signature invalid")
		}
		assertion = validated
	}

	// Everything below is read from the verified element only.
	if iss := firstChild(assertion, "Issuer"); iss == nil || strings.TrimSpace(iss.Text()) != md.EntityID {
		return a, invalidToken("The issuer of the SAML assertion is not the identity provider of the SAML provider.")
	}
	a.issuer = md.EntityID
	// AWS takes an assertion only within 5 minutes of its issue.
	if v := assertion.SelectAttrValue("IssueInstant", ""); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return a, invalidToken("Invalid IssueInstant in the SAML assertion.")
		}
		if now.Sub(t) > samlRedeemWithin+samlSkew {
			return a, expiredToken("Token must be redeemed within 5 minutes of issuance")
		}
	}
	within := func(el *etree.Element) error {
		if el == nil {
			return nil
		}
		if v := el.SelectAttrValue("NotBefore", ""); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return invalidToken("Invalid NotBefore in the SAML assertion.")
			}
			if now.Add(samlSkew).Before(t) {
				return invalidToken("The SAML assertion is not yet valid.")
			}
		}
		if v := el.SelectAttrValue("NotOnOrAfter", ""); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return invalidToken("Invalid NotOnOrAfter in the SAML assertion.")
			}
			if !now.Add(-samlSkew).Before(t) {
				return expiredToken("Response has expired")
			}
		}
		return nil
	}
	cond := firstChild(assertion, "Conditions")
	if err := within(cond); err != nil {
		return a, err
	}
	audOK := false
	for _, ar := range childNS(cond, "AudienceRestriction") {
		for _, au := range childNS(ar, "Audience") {
			audOK = audOK || validAudience(strings.TrimSpace(au.Text()))
		}
	}
	if cond == nil || !audOK {
		return a, invalidToken("The audience of the SAML assertion is not %s.", SAMLAudience)
	}
	subj := firstChild(assertion, "Subject")
	nid := firstChild(subj, "NameID")
	if nid == nil {
		return a, invalidToken("The SAML assertion has no Subject NameID.")
	}
	a.subject = strings.TrimSpace(nid.Text())
	a.subjectType = strings.TrimPrefix(nid.SelectAttrValue("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"),
		"urn:oasis:names:tc:SAML:2.0:nameid-format:")
	for _, sc := range childNS(subj, "SubjectConfirmation") {
		scd := firstChild(sc, "SubjectConfirmationData")
		if scd == nil {
			continue
		}
		if err := within(scd); err != nil {
			return a, err
		}
		if r := scd.SelectAttrValue("Recipient", ""); r != "" {
			if !validAudience(r) {
				return a, invalidToken("The recipient of the SAML assertion is not %s.", SAMLAudience)
			}
			a.recipient = r
		}
	}
	if a.recipient == "" {
		return a, invalidToken("The SAML assertion has no subject confirmation for %s.", SAMLAudience)
	}
	a.attrs = map[string][]string{}
	for _, st := range childNS(assertion, "AttributeStatement") {
		for _, at := range childNS(st, "Attribute") {
			name := at.SelectAttrValue("Name", "")
			for _, v := range childNS(at, "AttributeValue") {
				a.attrs[name] = append(a.attrs[name], strings.TrimSpace(v.Text()))
			}
		}
	}
	return a, nil
}

// AssumeRoleWithSAML issues credentials for a role session from an
// identity provider's signed SAML response.
func (s *Service) AssumeRoleWithSAML(ctx context.Context, in SAMLInput) (FederatedIssued, error) {
	const action = "sts:AssumeRoleWithSAML"
	notAuthorized := denied("Not authorized to perform %s", action)
	packed, err := checkSessionPolicies(in.SessionPolicies, nil)
	if err != nil {
		return FederatedIssued{}, err
	}
	m := roleARNRE.FindStringSubmatch(in.RoleARN)
	if m == nil {
		return FederatedIssued{}, validation("%s is invalid", in.RoleARN)
	}
	pm := samlProviderRE.FindStringSubmatch(in.PrincipalARN)
	if pm == nil {
		return FederatedIssued{}, validation("%s is invalid", in.PrincipalARN)
	}
	var prov store.IAMSAMLProvider
	var role store.IAMRole
	err = s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		prov, err = tx.GetIAMSAMLProvider(ctx, in.PrincipalARN)
		if errors.Is(err, store.ErrNotFound) {
			return invalidToken("The SAML provider %s does not exist.", in.PrincipalARN)
		}
		if err != nil {
			return err
		}
		role, err = tx.GetIAMRole(ctx, m[1], m[2])
		if errors.Is(err, store.ErrNotFound) || err == nil && role.ARN != in.RoleARN {
			return notAuthorized
		}
		return err
	})
	if err != nil {
		return FederatedIssued{}, mapErr("assume role with saml", err)
	}
	now := s.now()
	if !prov.ValidUntil.IsZero() && !now.Before(prov.ValidUntil) {
		return FederatedIssued{}, invalidToken("The metadata of the SAML provider %s expired on %s.", in.PrincipalARN, prov.ValidUntil.Format(time.RFC3339))
	}
	md, err := iam.ParseSAMLMetadata(prov.MetadataDocument)
	if err != nil {
		return FederatedIssued{}, invalidToken("The metadata of the SAML provider %s cannot be read.", in.PrincipalARN)
	}
	a, err := s.verifySAML(in.Assertion, md, prov, now)
	if err != nil {
		return FederatedIssued{}, err
	}

	roles, ok := a.attrs[samlRoleAttr]
	if !ok {
		return FederatedIssued{}, invalidToken("The SAML assertion has no %s attribute.", samlRoleAttr)
	}
	paired := false
	for _, v := range roles {
		parts := strings.Split(v, ",")
		if len(parts) != 2 {
			continue
		}
		r, p := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
		paired = paired || (r == in.RoleARN && p == in.PrincipalARN) || (p == in.RoleARN && r == in.PrincipalARN)
	}
	if !paired {
		return FederatedIssued{}, notAuthorized
	}
	names := a.attrs[samlSessionNameAttr]
	if len(names) == 0 {
		return FederatedIssued{}, invalidToken("RoleSessionName is required in AuthnResponse")
	}
	sessionName := names[0]
	if !sessionNameRE.MatchString(sessionName) {
		return FederatedIssued{}, invalidToken("The RoleSessionName %q of the SAML assertion is not valid.", sessionName)
	}
	duration := in.DurationSeconds
	if d := a.attrs[samlDurationAttr]; len(d) > 0 {
		n, err := strconv.Atoi(d[0])
		if err != nil || n < MinDuration || n > 43200 {
			return FederatedIssued{}, invalidToken("The SessionDuration of the SAML assertion is not valid.")
		}
		if duration == 0 || n < duration {
			duration = n
		}
	}
	var tags []store.Tag
	var transitive []string
	for name, vs := range a.attrs {
		if k, ok := strings.CutPrefix(name, samlTagAttrPrefix); ok && len(vs) > 0 {
			tags = append(tags, store.Tag{Key: k, Value: vs[0]})
		}
	}
	for _, v := range a.attrs[samlTransitiveAttr] {
		found := false
		for _, t := range tags {
			found = found || strings.EqualFold(t.Key, v)
		}
		if !found {
			return FederatedIssued{}, invalidToken("The transitive tag key %s is not a PrincipalTag attribute of the SAML assertion.", v)
		}
		transitive = append(transitive, v)
	}
	sourceIdentity := ""
	if v := a.attrs[samlSourceIDAttr]; len(v) > 0 {
		sourceIdentity = v[0]
	}
	nameQualifier := samlNameQualifier(a.issuer, role.AccountID, prov.Name)
	extra := map[string][]string{
		"saml:aud": {a.recipient}, "saml:iss": {a.issuer}, "saml:sub": {a.subject}, "saml:sub_type": {a.subjectType},
		"saml:namequalifier": {nameQualifier}, "saml:doc": {role.AccountID + "/" + prov.Name},
		"aws:federatedprovider": {prov.ARN},
	}
	for name, vs := range a.attrs {
		if key, ok := samlAttributeKeys[name]; ok {
			extra["saml:"+strings.ToLower(key)] = vs
		}
	}
	issued, err := s.federatedSession(ctx, prov.ARN, action, role, sessionName, duration, in.SessionPolicies, tags, transitive, sourceIdentity, extra)
	if err != nil {
		return FederatedIssued{}, err
	}
	issued.PackedPolicySize = packed
	return FederatedIssued{Issued: issued, Subject: a.subject, SubjectType: a.subjectType, Issuer: a.issuer,
		Audience: a.recipient, NameQualifier: nameQualifier}, nil
}

// samlNameQualifier is AWS's saml:namequalifier: base64 of the SHA-1 of the
// issuer, the account id and "/" plus the provider's name.
func samlNameQualifier(issuer, account, provider string) string {
	h := sha1.Sum([]byte(issuer + account + "/" + provider))
	return base64.StdEncoding.EncodeToString(h[:])
}

// federatedSession authorises with the trust policy and issues the session.
func (s *Service) federatedSession(ctx context.Context, federated, action string, role store.IAMRole, sessionName string, duration int,
	p SessionPolicies, tags []store.Tag, transitive []string, sourceIdentity string, extra map[string][]string) (Issued, error) {
	if duration == 0 {
		duration = DefaultRoleDuration
	}
	if duration < MinDuration {
		return Issued{}, validation("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to %d", duration, MinDuration)
	}
	maxDur := role.MaxSessionDuration
	if maxDur == 0 {
		maxDur = DefaultRoleDuration
	}
	if duration > maxDur {
		return Issued{}, validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	if _, err := checkSessionPolicies(SessionPolicies{}, tags); err != nil {
		return Issued{}, err
	}
	extra["sts:rolesessionname"] = []string{sessionName}
	if len(tags) > 0 {
		keys := make([]string, 0, len(tags))
		for _, t := range tags {
			extra["aws:requesttag/"+strings.ToLower(t.Key)] = []string{t.Value}
			keys = append(keys, t.Key)
		}
		extra["aws:tagkeys"] = keys
	}
	if sourceIdentity != "" {
		extra["sts:sourceidentity"] = []string{sourceIdentity}
	}
	actions := []string{action}
	if len(tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if sourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	if s.Federation == nil {
		return Issued{}, denied("Not authorized to perform %s", action)
	}
	trust := authz.NamedDocument{Name: "trust policy of " + role.ARN, Document: role.AssumeRolePolicy}
	for _, act := range actions {
		if err := s.Federation.AuthorizeFederated(ctx, federated, act, role.ARN, trust, extra); err != nil {
			if fe := fault.As(err); fe != nil && fe.Kind == fault.AccessDenied {
				return Issued{}, denied("Not authorized to perform %s", act)
			}
			return Issued{}, mapErr("federation: authorise", err)
		}
	}
	now := s.now()
	creds, hash, err := s.newCredentials(now.Add(time.Duration(duration) * time.Second))
	if err != nil {
		return Issued{}, err
	}
	sess := store.Session{
		AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, TokenHash: hash,
		Type: store.SessionAssumedRole, AccountID: role.AccountID,
		PrincipalARN: "arn:aws:sts::" + role.AccountID + ":assumed-role/" + role.RoleName + "/" + sessionName,
		UserID:       role.RoleID + ":" + sessionName,
		RoleARN:      role.ARN, RoleID: role.RoleID, RoleName: role.RoleName, SessionName: sessionName,
		Tags: tags, TransitiveTagKeys: transitive, SourceIdentity: sourceIdentity,
		PolicyARNs: p.PolicyARNs, Expiration: creds.Expiration, CreatedAt: now,
	}
	if p.Policy != "" {
		sess.Policies = []string{p.Policy}
	}
	if err := s.create(ctx, sess); err != nil {
		return Issued{}, err
	}
	return Issued{Credentials: creds, ARN: sess.PrincipalARN, ID: sess.UserID, PackedPolicySize: -1, SourceIdentity: sourceIdentity}, nil
}

// ---- web identity (OIDC) ----

// WebIdentityInput is an AssumeRoleWithWebIdentity request.
type WebIdentityInput struct {
	RoleARN, RoleSessionName, Token, ProviderID string
	DurationSeconds                             int
	SessionPolicies
}

// jwksTTL is how long an OIDC provider's keys are kept.
const jwksTTL = 5 * time.Minute

type jwksEntry struct {
	keys    jose.JSONWebKeySet
	fetched time.Time
}

type jwksCache struct {
	mu      sync.Mutex
	entries map[string]jwksEntry
}

func idpUnreachable() error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeIDPCommunication,
		Message: "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"}
}

// keys returns the issuer's JSON Web Key Set (discovery document, then
// jwks_uri), from the cache unless refresh.
func (s *Service) keys(ctx context.Context, issuer string, thumbprints []string, refresh bool) (jose.JSONWebKeySet, error) {
	now := s.now()
	s.jwks.mu.Lock()
	e, ok := s.jwks.entries[issuer]
	s.jwks.mu.Unlock()
	if ok && !refresh && now.Sub(e.fetched) < jwksTTL {
		return e.keys, nil
	}
	if s.Fetch == nil {
		return jose.JSONWebKeySet{}, idpUnreachable()
	}
	body, err := s.Fetch.Fetch(ctx, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", thumbprints)
	if err != nil {
		return jose.JSONWebKeySet{}, idpUnreachable()
	}
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &disc); err != nil || disc.JWKSURI == "" {
		return jose.JSONWebKeySet{}, idpUnreachable()
	}
	if u, err := url.Parse(disc.JWKSURI); err != nil || u.Scheme != "https" {
		return jose.JSONWebKeySet{}, idpUnreachable()
	}
	body, err = s.Fetch.Fetch(ctx, disc.JWKSURI, thumbprints)
	if err != nil {
		return jose.JSONWebKeySet{}, idpUnreachable()
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil || len(set.Keys) == 0 {
		return jose.JSONWebKeySet{}, idpUnreachable()
	}
	s.jwks.mu.Lock()
	if s.jwks.entries == nil {
		s.jwks.entries = map[string]jwksEntry{}
	}
	s.jwks.entries[issuer] = jwksEntry{keys: set, fetched: now}
	s.jwks.mu.Unlock()
	return set, nil
}

var jwtAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512, jose.PS256, jose.PS384, jose.PS512}

// AssumeRoleWithWebIdentity issues credentials for a role session from an
// OIDC ID token of an IAM OIDC provider of the role's account.
func (s *Service) AssumeRoleWithWebIdentity(ctx context.Context, in WebIdentityInput) (FederatedIssued, error) {
	const action = "sts:AssumeRoleWithWebIdentity"
	if !sessionNameRE.MatchString(in.RoleSessionName) {
		return FederatedIssued{}, validation("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", in.RoleSessionName)
	}
	if in.ProviderID != "" {
		return FederatedIssued{}, invalidToken("OAuth 2.0 access tokens (ProviderId %s) are not supported; pass an OpenID Connect ID token.", in.ProviderID)
	}
	packed, err := checkSessionPolicies(in.SessionPolicies, nil)
	if err != nil {
		return FederatedIssued{}, err
	}
	m := roleARNRE.FindStringSubmatch(in.RoleARN)
	if m == nil {
		return FederatedIssued{}, validation("%s is invalid", in.RoleARN)
	}
	tok, err := jwt.ParseSigned(in.Token, jwtAlgorithms)
	if err != nil {
		return FederatedIssued{}, invalidToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	}
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return FederatedIssued{}, invalidToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	}
	iu, err := url.Parse(unverified.Issuer)
	if err != nil || iu.Scheme != "https" || iu.Host == "" {
		return FederatedIssued{}, invalidToken("No OpenIDConnect provider found in your account for %s", unverified.Issuer)
	}
	host := strings.ToLower(iu.Host) + strings.TrimSuffix(iu.EscapedPath(), "/")
	provARN := iam.OIDCProviderARN(m[1], host)
	var prov store.IAMOIDCProvider
	var role store.IAMRole
	err = s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		prov, err = tx.GetIAMOIDCProvider(ctx, provARN)
		if errors.Is(err, store.ErrNotFound) {
			return invalidToken("No OpenIDConnect provider found in your account for %s", unverified.Issuer)
		}
		if err != nil {
			return err
		}
		role, err = tx.GetIAMRole(ctx, m[1], m[2])
		if errors.Is(err, store.ErrNotFound) || err == nil && role.ARN != in.RoleARN {
			return denied("Not authorized to perform %s", action)
		}
		return err
	})
	if err != nil {
		return FederatedIssued{}, mapErr("assume role with web identity", err)
	}
	keys, err := s.keys(ctx, unverified.Issuer, prov.Thumbprints, false)
	if err != nil {
		return FederatedIssued{}, err
	}
	var claims jwt.Claims
	var raw map[string]any
	if err := tok.Claims(keys, &claims, &raw); err != nil {
		// The provider may have rotated its keys: fetch them once more.
		if keys, err = s.keys(ctx, unverified.Issuer, prov.Thumbprints, true); err != nil {
			return FederatedIssued{}, err
		}
		if err := tok.Claims(keys, &claims, &raw); err != nil {
			return FederatedIssued{}, invalidToken("The signature of the web identity token could not be verified with the keys of %s.", unverified.Issuer)
		}
	}
	now := s.now()
	if claims.Expiry == nil {
		return FederatedIssued{}, invalidToken("The web identity token has no expiration (exp).")
	}
	if exp := claims.Expiry.Time(); !now.Before(exp) {
		return FederatedIssued{}, expiredToken("Token expired: current date/time %d must be before the expiration date/time%d", now.Unix(), exp.Unix())
	}
	if claims.NotBefore != nil && now.Before(claims.NotBefore.Time().Add(-time.Minute)) {
		return FederatedIssued{}, invalidToken("The web identity token is not valid yet (nbf).")
	}
	audience := ""
	for _, a := range claims.Audience {
		for _, id := range prov.ClientIDs {
			if a == id && audience == "" {
				audience = a
			}
		}
	}
	if azp, _ := raw["azp"].(string); audience == "" && azp != "" {
		for _, id := range prov.ClientIDs {
			if azp == id {
				audience = azp
			}
		}
	}
	if audience == "" {
		return FederatedIssued{}, invalidToken("Incorrect token audience")
	}
	if claims.Subject == "" {
		return FederatedIssued{}, invalidToken("The web identity token has no subject (sub).")
	}
	extra := map[string][]string{
		host + ":aud": {audience}, host + ":sub": {claims.Subject}, "aws:federatedprovider": {prov.ARN},
	}
	if azp, _ := raw["azp"].(string); azp != "" {
		extra[host+":azp"] = []string{azp}
	}
	if len(claims.Audience) > 0 {
		extra[host+":oaud"] = claims.Audience
	}
	issued, err := s.federatedSession(ctx, prov.ARN, action, role, in.RoleSessionName, in.DurationSeconds, in.SessionPolicies, nil, nil, "", extra)
	if err != nil {
		return FederatedIssued{}, err
	}
	issued.PackedPolicySize = packed
	return FederatedIssued{Issued: issued, Subject: claims.Subject, Issuer: unverified.Issuer, Audience: audience}, nil
}

// decryptAssertion opens an EncryptedAssertion with one of the provider's
// private keys. Every failure is the same error, so that a modified
// ciphertext teaches nothing about the plaintext.
func decryptAssertion(enc *etree.Element, keys []store.IAMSAMLPrivateKey) (*etree.Element, error) {
	failed := invalidToken("The encrypted SAML assertion cannot be decrypted with the SAML provider's private keys.")
	data := firstChild(enc, "EncryptedData")
	if data == nil {
		return nil, failed
	}
	for _, k := range keys {
		key, err := samlPrivateKey(k.PEM)
		if err != nil {
			continue
		}
		plain, err := xmlenc.Decrypt(key, data)
		if err != nil {
			continue
		}
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(plain); err != nil || doc.Root() == nil || doc.Root().Tag != "Assertion" {
			return nil, failed
		}
		return doc.Root(), nil
	}
	return nil, failed
}

func samlPrivateKey(pemText string) (any, error) {
	b, _ := pem.Decode([]byte(pemText))
	if b == nil {
		return nil, errors.New("credentials: SAML private key is not PEM")
	}
	if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	return x509.ParseECPrivateKey(b.Bytes)
}

// samlAttributeKeys maps the SAML attributes AWS makes condition keys of
// (by their OID names) to the keys' names after "saml:".
var samlAttributeKeys = map[string]string{
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.1":   "edupersonaffiliation",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.2":   "edupersonnickname",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.3":   "edupersonorgdn",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.4":   "edupersonorgunitdn",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.5":   "edupersonprimaryaffiliation",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.6":   "edupersonprincipalname",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.7":   "edupersonentitlement",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.8":   "edupersonprimaryorgunitdn",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.9":   "edupersonscopedaffiliation",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.10":  "edupersontargetedid",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.11":  "edupersonassurance",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.2":   "eduorghomepageuri",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.3":   "eduorgidentityauthnpolicyuri",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.4":   "eduorglegalname",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.5":   "eduorgsuperioruri",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.6":   "eduorgwhitepagesuri",
	"urn:oid:2.5.4.3":                    "cn",
	"urn:oid:2.5.4.4":                    "surname",
	"urn:oid:2.5.4.41":                   "name",
	"urn:oid:2.5.4.42":                   "givenName",
	"urn:oid:2.5.4.45":                   "x500UniqueIdentifier",
	"urn:oid:0.9.2342.19200300.100.1.1":  "uid",
	"urn:oid:0.9.2342.19200300.100.1.3":  "mail",
	"urn:oid:0.9.2342.19200300.100.1.45": "organizationStatus",
}
