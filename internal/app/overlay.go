package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// overlayServices are the botocore model folders (service/api-version) whose
// endpoint rules the overlay replaces.
var overlayServices = []string{
	"sso-oidc/2019-06-10", "sso/2019-06-10", "sso-admin/2020-07-20", "identitystore/2020-06-15",
	"sts/2011-06-15", "iam/2010-05-08", "organizations/2016-11-28",
}

// WriteEndpointOverlay writes, under dir, an endpoint-rule-set-1.json for each
// service that sends every request to endpoint unless an explicit endpoint is
// configured. Pointing AWS_DATA_PATH at dir makes AWS CLI versions without
// endpoint settings (the Debian awscli 2.9, botocore 1.29) reach idcenter,
// including `aws sso login` and SSO credentials (notes: real-clients recipe ii).
func WriteEndpointOverlay(dir, endpoint string) error {
	rules := map[string]any{
		"version": "1.0",
		"parameters": map[string]any{
			"Region":       map[string]any{"builtIn": "AWS::Region", "required": false, "documentation": "", "type": "String"},
			"UseDualStack": map[string]any{"builtIn": "AWS::UseDualStack", "required": true, "documentation": "", "type": "Boolean", "default": false},
			"UseFIPS":      map[string]any{"builtIn": "AWS::UseFIPS", "required": true, "documentation": "", "type": "Boolean", "default": false},
			"Endpoint":     map[string]any{"builtIn": "SDK::Endpoint", "required": false, "documentation": "", "type": "String"},
		},
		"rules": []any{
			map[string]any{
				"conditions": []any{map[string]any{"fn": "isSet", "argv": []any{map[string]any{"ref": "Endpoint"}}}},
				"endpoint":   map[string]any{"url": map[string]any{"ref": "Endpoint"}, "properties": map[string]any{}, "headers": map[string]any{}},
				"type":       "endpoint",
			},
			map[string]any{
				"conditions": []any{},
				"endpoint":   map[string]any{"url": endpoint, "properties": map[string]any{}, "headers": map[string]any{}},
				"type":       "endpoint",
			},
		},
	}
	body, err := json.MarshalIndent(rules, "", "  ")
	if err != nil {
		return fmt.Errorf("app: endpoint overlay: %w", err)
	}
	for _, svc := range overlayServices {
		d := filepath.Join(dir, filepath.FromSlash(svc))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("app: endpoint overlay: %w", err)
		}
		if err := writeFileAtomic(filepath.Join(d, "endpoint-rule-set-1.json"), body, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// SSOProfile is an AWS CLI profile that signs in through idcenter's portal.
type SSOProfile struct {
	Profile, SSOSession, AccountID, RoleName, Region, StartURL string
}

// Sections returns the profile's ~/.aws/config sections, header → body lines,
// as the seed shows them.
func (p SSOProfile) Sections() map[string][]string {
	return map[string][]string{
		"profile " + p.Profile: {
			"sso_session = " + p.SSOSession,
			"sso_account_id = " + p.AccountID,
			"sso_role_name = " + p.RoleName,
			"region = " + p.Region,
		},
		"sso-session " + p.SSOSession: {
			"sso_start_url = " + p.StartURL,
			"sso_region = " + p.Region,
			"sso_registration_scopes = sso:account:access",
		},
	}
}

// MergeINI replaces (or appends) the given sections in an AWS config file's
// text, keeping every other section and line as it was.
func MergeINI(existing string, sections map[string][]string) string {
	var out []string
	skip := false
	done := map[string]bool{}
	for _, line := range strings.Split(strings.TrimRight(existing, "\n"), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			name := strings.TrimSpace(t[1 : len(t)-1])
			if body, ok := sections[name]; ok {
				out = append(out, "["+name+"]")
				out = append(out, body...)
				done[name] = true
				skip = true
				continue
			}
			skip = false
		}
		if !skip && !(len(out) == 0 && t == "") {
			out = append(out, line)
		}
	}
	names := make([]string, 0, len(sections))
	for name := range sections {
		if !done[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if len(out) > 0 && strings.TrimSpace(out[len(out)-1]) != "" {
			out = append(out, "")
		}
		out = append(out, "["+name+"]")
		out = append(out, sections[name]...)
	}
	return strings.Join(out, "\n") + "\n"
}
