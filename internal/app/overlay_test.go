package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/app"
)

func TestWriteEndpointOverlay(t *testing.T) {
	dir := t.TempDir()
	if err := app.WriteEndpointOverlay(dir, "http://127.0.0.1:7400"); err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"sso-oidc/2019-06-10", "sso/2019-06-10", "sts/2011-06-15", "iam/2010-05-08"} {
		b, err := os.ReadFile(filepath.Join(dir, svc, "endpoint-rule-set-1.json"))
		if err != nil {
			t.Fatal(err)
		}
		var rules struct {
			Rules []struct {
				Endpoint struct{ URL any } `json:"endpoint"`
			} `json:"rules"`
		}
		if err := json.Unmarshal(b, &rules); err != nil || len(rules.Rules) != 2 || rules.Rules[1].Endpoint.URL != "http://127.0.0.1:7400" {
			t.Fatalf("%s: %v %s", svc, err, b)
		}
	}
}

func TestMergeINI(t *testing.T) {
	p := app.SSOProfile{Profile: "my_profile", SSOSession: "my-sso", AccountID: "123456789012", RoleName: "DevOps",
		Region: "us-east-1", StartURL: "http://127.0.0.1:7400/start"}
	existing := "[default]\nregion = eu-west-1\n\n[profile my_profile]\nsso_role_name = Old\nregion = us-west-2\n\n[profile other]\noutput = json\n"
	got := app.MergeINI(existing, p.Sections())
	for _, want := range []string{
		"[default]\nregion = eu-west-1\n",
		"[profile my_profile]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = DevOps\nregion = us-east-1\n",
		"[profile other]\noutput = json\n",
		"[sso-session my-sso]\nsso_start_url = http://127.0.0.1:7400/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("merged config lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Old") || strings.Count(got, "[profile my_profile]") != 1 {
		t.Errorf("old section kept:\n%s", got)
	}
	// Merging again changes nothing.
	if again := app.MergeINI(got, p.Sections()); again != got {
		t.Errorf("not idempotent:\n%s\n---\n%s", got, again)
	}
}
