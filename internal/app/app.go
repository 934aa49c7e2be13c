package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	apiiam "github.com/idcenter/idcenter/internal/api/iam"
	apiidentitystore "github.com/idcenter/idcenter/internal/api/identitystore"
	apiorganizations "github.com/idcenter/idcenter/internal/api/organizations"
	"github.com/idcenter/idcenter/internal/api/router"
	apiscim "github.com/idcenter/idcenter/internal/api/scim"
	apissoadmin "github.com/idcenter/idcenter/internal/api/ssoadmin"
	apissooidc "github.com/idcenter/idcenter/internal/api/ssooidc"
	apissoportal "github.com/idcenter/idcenter/internal/api/ssoportal"
	apists "github.com/idcenter/idcenter/internal/api/sts"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/bootstrap"
	"github.com/idcenter/idcenter/internal/core/credentials"
	"github.com/idcenter/idcenter/internal/core/federation"
	coreiam "github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/core/identity"
	"github.com/idcenter/idcenter/internal/core/oidc"
	"github.com/idcenter/idcenter/internal/core/org"
	"github.com/idcenter/idcenter/internal/core/portal"
	corescim "github.com/idcenter/idcenter/internal/core/scim"
	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/httpx"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/sigv4"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/web"
	"github.com/idcenter/idcenter/internal/world"
)

// version is set at build time with -ldflags "-X github.com/idcenter/idcenter/internal/app.version=v1.2.3".
var version = ""

// Version reports the build's version: the ldflags value, else the module version, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Server is an opened idcenter: store, bootstrapped world and the HTTP handler.
type Server struct {
	Config  config.Config
	Log     *slog.Logger
	Store   store.Store
	World   bootstrap.Result
	Handler http.Handler
	// OIDC and Portal are the sign-in cores the web portal drives.
	OIDC   *oidc.Service
	Portal *portal.Service

	boot   *bootstrap.Bootstrapper
	rt     *router.Router // the AWS services (APIServices)
	authn  *authn.Authenticator
	worker *access.Worker         // processes sso-admin's asynchronous requests
	usage  *coreiam.UsageRecorder // last use of access keys and services
	owners *authz.OwnerCache      // owners of Identity Center resources, for 1 s

	// worldFile is the parsed --world file (nil without one), applied at
	// start and after every reset through the access and identity cores.
	worldFile   *world.World
	accessSvc   *access.Service
	identitySvc *identity.Service
	resetTo     *store.Snapshot // the state Reset restores (with --allow-reset)

	// SignIn signs identity store users in to the web access portal.
	SignIn *signin.Service
	// Federation is the instance's identity source (identity store or an
	// external SAML 2.0 IdP) and the SAML service provider under /saml/.
	Federation *federation.Service
}

// Options are the injectable parts of Open (tests pass a fixed clock).
type Options struct {
	Now  func() time.Time
	Rand io.Reader
	// NoWorker leaves sso-admin's asynchronous requests IN_PROGRESS (tests
	// of a restart mid-request).
	NoWorker bool
	// HTTPClient fetches OIDC providers' keys (tests trust their own TLS
	// servers with it); nil means a default client.
	HTTPClient *http.Client
}

// Open opens the store in cfg.DataDir, bootstraps on first start, writes the
// credentials files and builds the handler. Close releases the store.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, opt Options) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Rand == nil {
		opt.Rand = rand.Reader
	}
	if err := cfg.EnsureDataDir(); err != nil {
		return nil, err
	}
	// The world file is read and validated before anything is opened.
	var wf *world.World
	if cfg.World != "" {
		var err error
		if wf, err = world.Load(cfg.World); err != nil {
			return nil, err
		}
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	boot := &bootstrap.Bootstrapper{Store: st, Now: opt.Now, Rand: opt.Rand}
	world, err := boot.Run(ctx, bootstrap.Params{
		AccountID:           cfg.AccountID,
		Region:              cfg.Region,
		RootAccessKeyID:     cfg.RootAccessKeyID,
		RootSecretAccessKey: cfg.RootSecretAccessKey,
		MemberAccounts:      cfg.Members(),
		OrganizationID:      wf.OrganizationID(),
	})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("app: bootstrap: %w", err)
	}
	if !world.Created && cfg.RootAccessKeyID != "" && cfg.RootAccessKeyID != world.RootKey.AccessKeyID {
		log.Warn("IDCENTER_ROOT_ACCESS_KEY_ID is ignored: the data folder was bootstrapped with another root key",
			"root_access_key_id", world.RootKey.AccessKeyID)
	}
	if err := writeCredentialFiles(cfg.CredentialsPath(), cfg.AWSConfigPath(), world.Instance.Region, world.RootKey); err != nil {
		st.Close()
		return nil, err
	}
	if cfg.AcceptTestCredentials {
		log.Warn("INSECURE: --accept-test-credentials is on: any unknown access key is taken as the management account's root and its signature is NOT verified; use only for local tests",
			"listen", cfg.Listen)
	}
	s := &Server{Config: cfg, Log: log, Store: st, World: world, worldFile: wf}
	s.boot = boot
	var h http.Handler = s.router(opt)
	if err := s.applyWorld(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if cfg.AllowReset {
		log.Warn("--allow-reset: POST /_idcenter/reset erases every change since start (test fixtures only)")
		h = s.withReset(h)
	}
	s.Handler = httpx.Middleware(log, s.withHealth(h))
	if !opt.NoWorker {
		s.worker.Start(context.WithoutCancel(ctx))
	}
	return s, nil
}

// router wires core services, adapters and the authorisation point.
func (s *Server) router(opt Options) *router.Router {
	mgmt := s.World.Organization.ManagementAccountID
	orgSvc := &org.Service{Store: s.Store, Now: opt.Now, Rand: opt.Rand}
	decider := &authz.Authorizer{ManagementAccountID: mgmt, Cache: policy.NewCache(4096), Now: opt.Now,
		Policies: &authz.IAMPolicies{Store: s.Store, AWSManaged: coreiam.AWSManagedDocument},
		SCPs:     scpSource(orgSvc)}
	decider.ImplicitAllow = authz.PasswordSelfService(s.Store) // users change their own password when the policy allows
	// aws:ResourceTag/… of tagged resources; every denial logged with its reason (denylog.go).
	decider.ResourceTags, decider.OnDeny = &authz.StoreResourceTags{Store: s.Store}, s.logDenial
	decider.SSOPrimaryRegion = s.World.Instance.Region // sso:PrimaryRegion
	decider.LazyKeys = awsproto.LazyRequestKeys        // store-backed keys, read only when a policy tests them
	// Every authenticated call is a use of its access key and of its service
	// (GetAccessKeyLastUsed, credential report, service last accessed),
	// recorded in memory and written in batches.
	s.usage = &coreiam.UsageRecorder{Store: s.Store, Now: opt.Now,
		OnError: func(err error) { s.Log.Warn("iam: access key and service use not recorded", "err", err) }}
	decide := func(ctx context.Context, p *authn.Principal, action, resource string) error {
		if p.AccountID != mgmt {
			// A closed account's principals can no longer call (org/lifecycle.go).
			if err := orgSvc.CheckAccountOpen(ctx, p.AccountID); err != nil {
				return s.logRefusal(ctx, p.ARN, action, resource, err) // denylog.go
			}
		}
		s.usage.Record(coreiam.Usage{AccountID: p.AccountID, PrincipalARN: p.ARN, AccessKeyID: p.AccessKeyID, Action: action, Region: p.Region})
		return decider.AuthorizeRequest(ctx, authz.Caller{
			AccountID: p.AccountID, ARN: p.ARN, Type: p.Type, UserID: p.UserID, UserName: p.UserName, AccessKeyID: p.AccessKeyID,
			SourceIP: p.SourceIP, MFAPresent: p.MFAPresent, MFAAuthTime: p.MFAAuthTime, Region: p.Region,
			IdentityStoreUserID: p.IdentityStoreUserID, IdentityStoreARN: p.IdentityStoreARN,
		}, action, resource, awsproto.RequestKeys(ctx)) // request condition keys of the decoded input (awsproto/keys.go)
	}
	jsonDenied := func(msg string) *awsproto.Error {
		return &awsproto.Error{Code: "AccessDeniedException", Status: http.StatusForbidden, Message: msg}
	}
	queryDenied := func(msg string) *awsproto.Error {
		return &awsproto.Error{Code: "AccessDenied", Status: http.StatusForbidden, Message: msg}
	}
	jsonAuthz := &router.Authorizer{Decide: decide, Protocol: awsproto.ProtocolJSON, Denied: jsonDenied}
	queryAuthz := &router.Authorizer{Decide: decide, Protocol: awsproto.ProtocolQuery, Denied: queryDenied}

	accessSvc := &access.Service{Store: s.Store, Now: opt.Now, Rand: opt.Rand, Log: s.Log}
	s.worker = &access.Worker{Service: accessSvc, Log: s.Log}
	accessSvc.Notify = s.worker.Notify
	// Account instances belong to member accounts; the delegated administrator
	// administers the organization instance. Owners are remembered for a
	// second (they never change while a resource exists; authz/ownercache.go).
	s.owners = &authz.OwnerCache{Lookup: accessSvc.ResourceOwner, TTL: time.Second, Now: opt.Now}
	decider.ResourceOwner, decider.DelegatedAdmin = s.owners.ResourceOwner, accessSvc.IsDelegatedAdmin
	// A deleted user or group loses its assignments through the access core.
	identitySvc := &identity.Service{Store: s.Store, Now: opt.Now, Rand: opt.Rand, Cleanup: accessSvc}
	s.accessSvc, s.identitySvc = accessSvc, identitySvc
	// Access keys are cached for a second: a key's deactivation takes effect
	// within that (IAM changes are eventually consistent on AWS too).
	authenticator := &authn.Authenticator{Store: s.Store, Verifier: &sigv4.Verifier{}, Now: opt.Now, KeyTTL: time.Second}
	s.authn = authenticator
	stsCore := &credentials.Service{Store: s.Store, Authz: decider, Now: opt.Now, Rand: opt.Rand}
	wireSTS(stsCore, decider, s.Store, opt) // sts_wiring.go: federation, MFA
	authenticator.Sessions = stsCore
	s.OIDC = &oidc.Service{Store: s.Store, Issuer: issuerURL(s.Config), Now: opt.Now, Rand: opt.Rand, Fetch: httpFetch,
		InstanceARN: s.World.Instance.ARN}
	s.Portal = &portal.Service{Store: s.Store, InstanceARN: s.World.Instance.ARN, IdentityStoreID: s.World.Instance.IdentityStoreID,
		Credentials: stsCore, Tokens: s.OIDC}
	if s.Config.AcceptTestCredentials {
		root := s.World.RootKey
		authenticator.AcceptUnknownKeysAs = func(id string) *authn.Principal {
			return &authn.Principal{AccountID: root.AccountID, ARN: root.PrincipalARN, UserID: root.AccountID, Type: authn.TypeAccount, AccessKeyID: id}
		}
	}
	rt := router.New(s.Log, authenticator,
		(&apiidentitystore.Adapter{Core: identitySvc, AccountID: s.World.Instance.OwnerAccountID, StoreOwner: accessSvc.IdentityStoreOwner}).Service(jsonAuthz),
		(&apissoadmin.Adapter{Core: accessSvc}).Service(jsonAuthz),
		(&apiorganizations.Adapter{Core: orgSvc, ManagementAccountID: mgmt}).Service(jsonAuthz),
		(&apists.Adapter{Core: stsCore}).Service(queryAuthz),
		(&apiiam.Adapter{Core: &coreiam.Service{Store: s.Store, Now: opt.Now, Rand: opt.Rand, Usage: s.usage, SCPs: scpSource(orgSvc)}}).Service(queryAuthz),
		// sso-oidc and the portal authenticate their own callers (OAuth clients,
		// bearer tokens); sso-oidc's CreateTokenWithIAM is SigV4-signed and authorised.
		(&apissooidc.Adapter{Core: s.OIDC}).Service(jsonAuthz),
		(&apissoportal.Adapter{Core: s.Portal}).Service(nil),
	)
	rt.OnRefusal(s.logUnloggedRefusal) // every AccessDenied answer logged once (denylog.go)
	// SCIM (/scim/v2/, /<identity store id>/scim/v2/) authenticates with its own bearer tokens.
	scimSvc := &corescim.Service{Store: s.Store, Now: opt.Now, Rand: opt.Rand, Identity: identitySvc}
	// The outbound web identity issuer's discovery document and keys (GetWebIdentityToken).
	rt.Handle(apists.IsWellKnownPath, apists.WellKnown{Core: stsCore})
	rt.Handle(apiscim.IsPath, &apiscim.Handler{Core: scimSvc, Log: s.Log, Limiter: apiscim.NewTokenLimiter(s.Config.SCIMRateLimit, nil),
		PublicURL: s.Config.PublicURL}) // wall clock: throughput, not business time
	// The web access portal (/start, /authorize) signs users in with its own sessions.
	s.SignIn = &signin.Service{Store: s.Store, IdentityStoreID: s.World.Instance.IdentityStoreID,
		InstanceARN: s.World.Instance.ARN, Now: opt.Now, Rand: opt.Rand, PublicURL: issuerURL(s.Config)}
	s.Federation = &federation.Service{Store: s.Store, InstanceARN: s.World.Instance.ARN, IdentityStoreID: s.World.Instance.IdentityStoreID,
		Now: opt.Now, Rand: opt.Rand, BaseURL: func() string { return s.OIDC.Issuer },
		FetchMetadata:  samlMetadataFetcher(opt.HTTPClient), // saml_refresh.go
		OnRefreshError: func(err error) { s.Log.Warn("saml: IdP metadata not refreshed; the old metadata stays", "err", err) }}
	portalWeb, err := web.New(web.Deps{SignIn: s.SignIn, OIDC: webOIDC{s.OIDC}, Portal: webPortal{s.Portal}, Log: s.Log, Rand: opt.Rand,
		Secure: s.Config.SecureCookies(), Region: s.World.Instance.Region, SAML: s.Federation})
	if err != nil {
		s.Log.Error("web access portal disabled", "err", err)
	} else {
		rt.Handle(web.IsPath, portalWeb)
	}
	s.rt = rt
	return rt
}

// issuerURL is the base URL of this server for sso-oidc's endpoints: the
// --public-url when set, else derived from the listen address.
func issuerURL(c config.Config) string { return c.BaseURL() }

// SetBaseURL tells the server the URL clients reach it at (scheme://host:port),
// once the listener is known: sso-oidc's verification and authorization URLs
// are built from it. Call it before serving. A configured --public-url wins
// over the listener's URL.
func (s *Server) SetBaseURL(u string) {
	if s.Config.PublicURL != "" {
		u = s.Config.BaseURL()
	}
	if s.OIDC != nil {
		s.OIDC.Issuer = u
	}
	if s.SignIn != nil {
		s.SignIn.PublicURL = u // WebAuthn's relying party
	}
}

// Close stops the request worker and releases the store.
func (s *Server) Close() error {
	if s.worker != nil {
		s.worker.Stop()
	}
	if err := s.usage.Close(context.Background()); err != nil {
		s.Log.Warn("iam: access key and service use not recorded", "err", err)
	}
	return s.Store.Close()
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// scpSource adapts the organization's SCPs to the authorisation point.
func scpSource(o *org.Service) func(ctx context.Context, accountID string) ([][]authz.NamedDocument, error) {
	return func(ctx context.Context, accountID string) ([][]authz.NamedDocument, error) {
		levels, err := o.SCPsForAccount(ctx, accountID)
		if err != nil {
			return nil, err
		}
		out := make([][]authz.NamedDocument, len(levels))
		for i, l := range levels {
			for j, d := range l.Documents {
				out[i] = append(out[i], authz.NamedDocument{Name: fmt.Sprintf("%s SCP %d", l.TargetID, j+1), Document: d})
			}
		}
		return out, nil
	}
}
