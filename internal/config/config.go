package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// Defaults.
const (
	DefaultListen    = "127.0.0.1:7400"
	DefaultDataDir   = "./idcenter-data"
	DefaultAccountID = "123456789012"
	DefaultRegion    = "us-east-1"
	// DefaultSCIMRateLimit is the average number of SCIM requests per second
	// one access token may make (bursts of twice that).
	DefaultSCIMRateLimit = 50
)

// Config is everything `idcenter serve` needs to start.
type Config struct {
	Listen  string // host:port of the one listener
	DataDir string // folder holding the database, credentials and config files
	// Store selects the database: empty (or "sqlite") for SQLite in the data
	// folder, a postgres:// or postgresql:// URL for PostgreSQL (several
	// replicas may share it).
	Store   string
	TLSCert string // optional PEM certificate; with TLSKey enables HTTPS
	TLSKey  string
	// TLSAuto serves HTTPS with certificates from idcenter's own CA (<data>/ca.pem).
	TLSAuto bool
	// Proxy makes the listener accept CONNECT for the AWS host names idcenter
	// serves (TLS terminated with the own CA); ProxyPassthrough lets CONNECTs to
	// other hosts through untouched instead of refusing them.
	Proxy, ProxyPassthrough bool
	AccountID               string // management account id, used on first start only
	Region                  string // region of the Identity Center instance, used on first start only

	// RootAccessKeyID / RootSecretAccessKey pin the management account's root key on
	// first start (IDCENTER_ROOT_ACCESS_KEY_ID / IDCENTER_ROOT_SECRET_ACCESS_KEY).
	RootAccessKeyID     string
	RootSecretAccessKey string

	LogLevel string // debug, info, warn, error

	// AcceptTestCredentials takes any syntactically valid access key that
	// idcenter does not know as the management account's root, without
	// verifying the signature (for suites written for other emulators).
	// Refused with a non-loopback Listen unless IKnow.
	AcceptTestCredentials bool
	IKnow                 bool

	// AllowReset enables POST /_idcenter/reset (test fixtures).
	AllowReset bool

	// World is a world file (YAML) applied at every start and after a reset.
	World string

	// SCIMRateLimit is the average number of SCIM requests per second per
	// access token (bursts of twice that); 0 turns the limit off.
	SCIMRateLimit float64

	// MemberAccounts are extra organization accounts ensured at every start,
	// as "ID" or "ID=Name" (Terraform code often hard-codes account ids).
	MemberAccounts []string

	// PublicURL is the address clients reach idcenter at when a reverse
	// proxy or load balancer sits in front (e.g. https://id.example.com):
	// every URL idcenter hands out is built from it instead of the listen
	// address. A runtime setting, stored nowhere (IDCENTER_PUBLIC_URL).
	PublicURL string
}

// FromEnv returns the defaults overridden by IDCENTER_* environment variables.
func FromEnv(getenv func(string) string) Config {
	c := Config{
		Listen:    DefaultListen,
		DataDir:   DefaultDataDir,
		AccountID: DefaultAccountID,
		Region:    DefaultRegion,
		LogLevel:  "info",

		SCIMRateLimit: DefaultSCIMRateLimit,
	}
	set := func(dst *string, key string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	set(&c.Listen, "IDCENTER_LISTEN")
	set(&c.DataDir, "IDCENTER_DATA")
	set(&c.Store, "IDCENTER_STORE")
	set(&c.TLSCert, "IDCENTER_TLS_CERT")
	set(&c.TLSKey, "IDCENTER_TLS_KEY")
	set(&c.AccountID, "IDCENTER_ACCOUNT_ID")
	set(&c.Region, "IDCENTER_REGION")
	set(&c.LogLevel, "IDCENTER_LOG_LEVEL")
	set(&c.World, "IDCENTER_WORLD")
	set(&c.PublicURL, "IDCENTER_PUBLIC_URL")
	c.TLSAuto = getenv("IDCENTER_TLS") == "true"
	c.AcceptTestCredentials = getenv("IDCENTER_ACCEPT_TEST_CREDENTIALS") == "true"
	c.AllowReset = getenv("IDCENTER_ALLOW_RESET") == "true"
	if v := getenv("IDCENTER_MEMBER_ACCOUNTS"); v != "" {
		for _, a := range strings.Split(v, ",") {
			if a = strings.TrimSpace(a); a != "" {
				c.MemberAccounts = append(c.MemberAccounts, a)
			}
		}
	}
	if v, err := strconv.ParseFloat(getenv("IDCENTER_SCIM_RATE_LIMIT"), 64); err == nil {
		c.SCIMRateLimit = v
	}
	c.Proxy = getenv("IDCENTER_PROXY") == "true"
	c.RootAccessKeyID = getenv("IDCENTER_ROOT_ACCESS_KEY_ID")
	c.RootSecretAccessKey = getenv("IDCENTER_ROOT_SECRET_ACCESS_KEY")
	return c
}

// BindData registers --data only (for commands that only read files of the data folder).
func (c *Config) BindData(fs *pflag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data folder (env IDCENTER_DATA)")
}

// BindStore registers --data and --store (for admin commands that open the database).
func (c *Config) BindStore(fs *pflag.FlagSet) {
	c.BindData(fs)
	fs.StringVar(&c.Store, "store", c.Store, "database: empty for SQLite in the data folder, or postgres://user:password@host:port/db for PostgreSQL (env IDCENTER_STORE)")
}

// BindPublicURL registers --public-url (for serve and the commands that print URLs).
func (c *Config) BindPublicURL(fs *pflag.FlagSet) {
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL,
		"URL clients reach idcenter at behind a reverse proxy, e.g. https://id.example.com; every URL idcenter hands out is built from it (env IDCENTER_PUBLIC_URL)")
}

// BindServe registers the flags of `idcenter serve`.
func (c *Config) BindServe(fs *pflag.FlagSet) {
	c.BindStore(fs)
	c.BindPublicURL(fs)
	fs.StringVar(&c.Listen, "listen", c.Listen, "listen address host:port (env IDCENTER_LISTEN)")
	fs.StringVar(&c.TLSCert, "tls-cert", c.TLSCert, "TLS certificate PEM file (enables HTTPS with --tls-key)")
	fs.StringVar(&c.TLSKey, "tls-key", c.TLSKey, "TLS private key PEM file")
	fs.BoolVar(&c.TLSAuto, "tls", c.TLSAuto, "serve HTTPS with certificates from idcenter's own CA, written to <data>/ca.pem (env IDCENTER_TLS=true)")
	fs.BoolVar(&c.Proxy, "proxy", c.Proxy, "also act as an HTTPS proxy (CONNECT) for the AWS host names idcenter serves (env IDCENTER_PROXY=true)")
	fs.BoolVar(&c.ProxyPassthrough, "proxy-passthrough", c.ProxyPassthrough, "with --proxy: let CONNECT to other hosts through untouched instead of refusing it")
	fs.StringVar(&c.AccountID, "account-id", c.AccountID, "management account id, used on first start (env IDCENTER_ACCOUNT_ID)")
	fs.StringVar(&c.Region, "region", c.Region, "region of the Identity Center instance, used on first start (env IDCENTER_REGION)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn, error (env IDCENTER_LOG_LEVEL)")
	fs.BoolVar(&c.AcceptTestCredentials, "accept-test-credentials", c.AcceptTestCredentials,
		"INSECURE: take any unknown access key (e.g. AWS_ACCESS_KEY_ID=test) as the management account's root, signature unverified (env IDCENTER_ACCEPT_TEST_CREDENTIALS=true)")
	fs.BoolVar(&c.IKnow, "i-know", c.IKnow, "allow --accept-test-credentials with a non-loopback --listen")
	fs.StringArrayVar(&c.MemberAccounts, "member-account", c.MemberAccounts,
		"ensure a member account of the organization exists: ID or ID=Name (repeatable; env IDCENTER_MEMBER_ACCOUNTS, comma-separated)")
	fs.StringVar(&c.World, "world", c.World, "world file (YAML: users, groups, permission sets, assignments) applied at start and on reset (env IDCENTER_WORLD)")
	fs.Float64Var(&c.SCIMRateLimit, "scim-rate-limit", c.SCIMRateLimit, "SCIM requests per second per access token on average, bursts of twice that; 0 turns the limit off (env IDCENTER_SCIM_RATE_LIMIT)")
	fs.BoolVar(&c.AllowReset, "allow-reset", c.AllowReset, "enable POST /_idcenter/reset, which returns the whole state to the bootstrapped world (env IDCENTER_ALLOW_RESET=true)")
}

var (
	accountIDRe = regexp.MustCompile(`^\d{12}$`)
	regionRe    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
	keyIDRe     = regexp.MustCompile(`^[A-Z0-9]{16,128}$`)
)

// Validate checks the settings and returns the first problem found.
func (c Config) Validate() error {
	if c.Listen == "" {
		return fmt.Errorf("config: --listen must not be empty")
	}
	if c.SCIMRateLimit < 0 {
		return fmt.Errorf("config: --scim-rate-limit must not be negative")
	}
	if c.DataDir == "" {
		return fmt.Errorf("config: --data must not be empty")
	}
	if c.Store != "" && !c.UsesPostgres() && c.Store != "sqlite" {
		return fmt.Errorf("config: --store %q: want empty, sqlite or a postgres:// URL", c.Store)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("config: --tls-cert and --tls-key must be given together")
	}
	if c.TLSAuto && c.TLSCert != "" {
		return fmt.Errorf("config: --tls (own CA) and --tls-cert/--tls-key exclude each other")
	}
	if c.AcceptTestCredentials && !c.IKnow && !loopback(c.Listen) {
		return fmt.Errorf("config: --accept-test-credentials is refused with the non-loopback --listen %q unless --i-know is given", c.Listen)
	}
	seen := map[string]bool{c.AccountID: true}
	for _, a := range c.MemberAccounts {
		id, name, _ := strings.Cut(a, "=")
		if !accountIDRe.MatchString(id) {
			return fmt.Errorf("config: --member-account %q: the id must be 12 digits", a)
		}
		if seen[id] {
			return fmt.Errorf("config: --member-account %q: account %s is given twice (or is the management account)", a, id)
		}
		seen[id] = true
		if len(name) > 50 {
			return fmt.Errorf("config: --member-account %q: the name must be at most 50 characters", a)
		}
	}
	if err := ValidatePublicURL(c.PublicURL); err != nil {
		return err
	}
	if c.ProxyPassthrough && !c.Proxy {
		return fmt.Errorf("config: --proxy-passthrough needs --proxy")
	}
	if !accountIDRe.MatchString(c.AccountID) {
		return fmt.Errorf("config: --account-id %q is not 12 digits", c.AccountID)
	}
	if !regionRe.MatchString(c.Region) {
		return fmt.Errorf("config: --region %q is not a region name like us-east-1", c.Region)
	}
	if (c.RootAccessKeyID == "") != (c.RootSecretAccessKey == "") {
		return fmt.Errorf("config: IDCENTER_ROOT_ACCESS_KEY_ID and IDCENTER_ROOT_SECRET_ACCESS_KEY must be set together")
	}
	if c.RootAccessKeyID != "" && !keyIDRe.MatchString(c.RootAccessKeyID) {
		return fmt.Errorf("config: IDCENTER_ROOT_ACCESS_KEY_ID must be 16-128 upper-case letters and digits")
	}
	if c.RootSecretAccessKey != "" && len(c.RootSecretAccessKey) < 16 {
		return fmt.Errorf("config: IDCENTER_ROOT_SECRET_ACCESS_KEY must be at least 16 characters")
	}
	return nil
}

// ValidatePublicURL checks a --public-url: empty, or an absolute http(s) URL
// with a host and without user info, query or fragment.
func ValidatePublicURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("config: --public-url %q: want an absolute http:// or https:// URL like https://id.example.com", s)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#") {
		return fmt.Errorf("config: --public-url %q: must not carry user info, a query or a fragment", s)
	}
	return nil
}

// BaseURL is the URL idcenter hands out: the public URL (without a trailing
// slash) when set, else scheme://listen with https when idcenter serves TLS.
func (c Config) BaseURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	if c.TLSCert != "" || c.TLSAuto {
		return "https://" + c.Listen
	}
	return "http://" + c.Listen
}

// SecureCookies reports whether browsers reach idcenter over HTTPS: the own
// listener serves TLS, or the public URL is https (TLS ended at a proxy).
func (c Config) SecureCookies() bool {
	return c.TLSAuto || c.TLSCert != "" || strings.HasPrefix(c.PublicURL, "https://")
}

// Members returns the declared member accounts as id → name (name defaulted).
func (c Config) Members() map[string]string {
	out := map[string]string{}
	for _, a := range c.MemberAccounts {
		id, name, _ := strings.Cut(a, "=")
		if name == "" {
			name = "account-" + id
		}
		out[id] = name
	}
	return out
}

// loopback reports whether a listen address only accepts local connections.
func loopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// UsesPostgres reports whether Store names a PostgreSQL database.
func (c Config) UsesPostgres() bool {
	return strings.HasPrefix(c.Store, "postgres://") || strings.HasPrefix(c.Store, "postgresql://")
}

// DatabasePath is the SQLite file inside the data folder.
func (c Config) DatabasePath() string { return filepath.Join(c.DataDir, "idcenter.db") }

// CredentialsPath is the shared-credentials file written on first start.
func (c Config) CredentialsPath() string { return filepath.Join(c.DataDir, "credentials") }

// AWSConfigPath is the shared-config file (profile region) written on first start.
func (c Config) AWSConfigPath() string { return filepath.Join(c.DataDir, "config") }

// CAPath is the certificate of idcenter's own CA (with --tls or --proxy).
func (c Config) CAPath() string { return filepath.Join(c.DataDir, "ca.pem") }

// EnsureDataDir creates the data folder (mode 0700) if needed.
func (c Config) EnsureDataDir() error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("config: create data folder: %w", err)
	}
	return nil
}
