package config

import (
	"strings"
	"testing"
)

func TestFromEnv(t *testing.T) {
	env := map[string]string{
		"IDCENTER_LISTEN":                 "0.0.0.0:9000",
		"IDCENTER_DATA":                   "/var/lib/idcenter",
		"IDCENTER_ACCOUNT_ID":             "210987654321",
		"IDCENTER_REGION":                 "eu-west-1",
		"IDCENTER_ROOT_ACCESS_KEY_ID":     "AKIAEXAMPLEEXAMPLE01",
		"IDCENTER_ROOT_SECRET_ACCESS_KEY": "secretsecretsecret",
	}
	c := FromEnv(func(k string) string { return env[k] })
	if c.Listen != "0.0.0.0:9000" || c.DataDir != "/var/lib/idcenter" || c.AccountID != "210987654321" || c.Region != "eu-west-1" ||
		c.RootAccessKeyID != "AKIAEXAMPLEEXAMPLE01" || c.RootSecretAccessKey != "secretsecretsecret" {
		t.Fatalf("FromEnv = %+v", c)
	}
	d := FromEnv(func(string) string { return "" })
	if d.Listen != DefaultListen || d.DataDir != DefaultDataDir || d.AccountID != DefaultAccountID || d.Region != DefaultRegion {
		t.Fatalf("defaults = %+v", d)
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string // substring of the error; "" = valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"bad account", func(c *Config) { c.AccountID = "12345" }, "--account-id"},
		{"bad region", func(c *Config) { c.Region = "mars" }, "--region"},
		{"cert without key", func(c *Config) { c.TLSCert = "c.pem" }, "--tls-cert and --tls-key"},
		{"key id without secret", func(c *Config) { c.RootAccessKeyID = "AKIAEXAMPLEEXAMPLE01" }, "set together"},
		{"lower-case key id", func(c *Config) {
			c.RootAccessKeyID, c.RootSecretAccessKey = "akiaexampleexample01", "secretsecretsecret"
		}, "upper-case"},
		{"short secret", func(c *Config) { c.RootAccessKeyID, c.RootSecretAccessKey = "AKIAEXAMPLEEXAMPLE01", "short" }, "at least 16"},
		{"pinned key", func(c *Config) {
			c.RootAccessKeyID, c.RootSecretAccessKey = "AKIAEXAMPLEEXAMPLE01", "secretsecretsecret"
		}, ""},
		{"empty listen", func(c *Config) { c.Listen = "" }, "--listen"},
		{"own CA and own cert", func(c *Config) { c.TLSAuto, c.TLSCert, c.TLSKey = true, "c.pem", "k.pem" }, "exclude each other"},
		{"passthrough without proxy", func(c *Config) { c.ProxyPassthrough = true }, "needs --proxy"},
		{"proxy with passthrough", func(c *Config) { c.Proxy, c.ProxyPassthrough = true, true }, ""},
		{"member accounts", func(c *Config) { c.MemberAccounts = []string{"111111111111", "222222222222=dev"} }, ""},
		{"member account bad id", func(c *Config) { c.MemberAccounts = []string{"1111=dev"} }, "12 digits"},
		{"member account twice", func(c *Config) { c.MemberAccounts = []string{"111111111111", "111111111111=x"} }, "given twice"},
		{"member account is management", func(c *Config) { c.MemberAccounts = []string{"123456789012"} }, "given twice"},
		{"test credentials on loopback", func(c *Config) { c.AcceptTestCredentials = true }, ""},
		{"test credentials on localhost", func(c *Config) { c.AcceptTestCredentials, c.Listen = true, "localhost:7400" }, ""},
		{"test credentials on [::1]", func(c *Config) { c.AcceptTestCredentials, c.Listen = true, "[::1]:7400" }, ""},
		{"test credentials on all interfaces", func(c *Config) { c.AcceptTestCredentials, c.Listen = true, "0.0.0.0:7400" }, "unless --i-know"},
		{"test credentials on all interfaces, i know", func(c *Config) { c.AcceptTestCredentials, c.Listen, c.IKnow = true, "0.0.0.0:7400", true }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := FromEnv(func(string) string { return "" })
			tt.mutate(&c)
			err := c.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want error containing %q, got %v", tt.want, err)
			}
		})
	}
}

func TestMembers(t *testing.T) {
	c := FromEnv(func(k string) string {
		if k == "IDCENTER_MEMBER_ACCOUNTS" {
			return "111111111111=dev, 222222222222"
		}
		return ""
	})
	m := c.Members()
	if len(m) != 2 || m["111111111111"] != "dev" || m["222222222222"] != "account-222222222222" {
		t.Fatalf("Members() = %v", m)
	}
}
