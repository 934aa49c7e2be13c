package app

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/idcenter/idcenter/internal/config"
)

// CLIConfig returns shell lines that point AWS tools at a server run with cfg.
// Without proxy they name the endpoint (for tools that honour
// AWS_ENDPOINT_URL); with proxy they route the AWS host names through
// idcenter's --proxy listener and trust its CA, for tools that ignore
// endpoint settings.
func CLIConfig(cfg config.Config, proxy bool) string {
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	scheme := "http"
	if cfg.TLSAuto || cfg.TLSCert != "" {
		scheme = "https"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "export AWS_SHARED_CREDENTIALS_FILE=%s\n", abs(cfg.CredentialsPath()))
	fmt.Fprintf(&b, "export AWS_CONFIG_FILE=%s\n", abs(cfg.AWSConfigPath()))
	fmt.Fprintf(&b, "export AWS_PROFILE=idcenter\n")
	if proxy {
		ca := abs(cfg.CAPath())
		fmt.Fprintf(&b, "export HTTPS_PROXY=http://%s\n", cfg.Listen)
		fmt.Fprintf(&b, "export AWS_CA_BUNDLE=%s\n", ca)
		fmt.Fprintf(&b, "export SSL_CERT_FILE=%s\n", ca)
		return b.String()
	}
	fmt.Fprintf(&b, "export AWS_ENDPOINT_URL=%s://%s\n", scheme, cfg.Listen)
	return b.String()
}
