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
	var b strings.Builder
	fmt.Fprintf(&b, "export AWS_SHARED_CREDENTIALS_FILE=%s\n", abs(cfg.CredentialsPath()))
	fmt.Fprintf(&b, "export AWS_CONFIG_FILE=%s\n", abs(cfg.AWSConfigPath()))
	fmt.Fprintf(&b, "export AWS_PROFILE=idcenter\n")
	if proxy {
		b.WriteString(ProxyLines(cfg))
		return b.String()
	}
	fmt.Fprintf(&b, "export AWS_ENDPOINT_URL=%s\n", cfg.BaseURL()) // --public-url when set
	return b.String()
}

// ProxyLines are the lines that route AWS tools through `serve --proxy` and
// make them trust idcenter's CA (AWS_CA_BUNDLE for the AWS CLI and boto3,
// SSL_CERT_FILE for Go tools).
func ProxyLines(cfg config.Config) string {
	ca := cfg.CAPath()
	if a, err := filepath.Abs(ca); err == nil {
		ca = a
	}
	return fmt.Sprintf("export HTTPS_PROXY=http://%s\nexport AWS_CA_BUNDLE=%s\nexport SSL_CERT_FILE=%s\n", cfg.Listen, ca, ca)
}
