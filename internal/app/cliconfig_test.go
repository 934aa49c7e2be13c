package app_test

import (
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

func TestCLIConfig(t *testing.T) {
	cfg := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = "/srv/idc"
	tests := []struct {
		proxy   bool
		want    []string
		notWant string
	}{
		{false, []string{"export AWS_SHARED_CREDENTIALS_FILE=/srv/idc/credentials", "export AWS_CONFIG_FILE=/srv/idc/config",
			"export AWS_PROFILE=idcenter", "export AWS_ENDPOINT_URL=http://127.0.0.1:7400"}, "HTTPS_PROXY"},
		{true, []string{"export HTTPS_PROXY=http://127.0.0.1:7400", "export AWS_CA_BUNDLE=/srv/idc/ca.pem",
			"export SSL_CERT_FILE=/srv/idc/ca.pem", "export AWS_PROFILE=idcenter"}, "AWS_ENDPOINT_URL"},
	}
	for _, tt := range tests {
		got := app.CLIConfig(cfg, tt.proxy)
		for _, w := range tt.want {
			if !strings.Contains(got, w+"\n") {
				t.Errorf("proxy=%v: missing %q in\n%s", tt.proxy, w, got)
			}
		}
		if strings.Contains(got, tt.notWant) {
			t.Errorf("proxy=%v: unexpected %q in\n%s", tt.proxy, tt.notWant, got)
		}
	}
}
