package policy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusCase is one request of testdata/*.json with its policies and the
// expected decision.
type corpusCase struct {
	Name    string `json:"name"`
	Source  string `json:"source"`
	Request struct {
		Action          string                     `json:"action"`
		Resource        string                     `json:"resource"`
		Principal       string                     `json:"principal"`
		Account         string                     `json:"account"`
		RoleARN         string                     `json:"roleArn"`
		Service         string                     `json:"service"`
		ResourceAccount string                     `json:"resourceAccount"`
		Context         map[string]json.RawMessage `json:"context"`
	} `json:"request"`
	Identity []json.RawMessage   `json:"identity"`
	Boundary []json.RawMessage   `json:"boundary"`
	Session  []json.RawMessage   `json:"session"`
	SCPs     [][]json.RawMessage `json:"scps"`
	RCPs     [][]json.RawMessage `json:"rcps"`
	Resource json.RawMessage     `json:"resource"`
	Kind     string              `json:"resourceKind"` // "trust" for trust policies
	Root     bool                `json:"root"`

	Expect  string `json:"expect"`  // Allow, ExplicitDeny, ImplicitDeny
	Reason  string `json:"reason"`  // policy type that decided a denial
	Sid     string `json:"sid"`     // Sid of the denying statement (or of one allowing statement)
	Message string `json:"message"` // DenialReason(action)
}

func loadCorpus(t testing.TB) []corpusCase {
	t.Helper()
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var all []corpusCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []corpusCase
		if err := json.Unmarshal(b, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i := range cases {
			cases[i].Name = strings.TrimSuffix(filepath.Base(f), ".json") + "/" + cases[i].Name
		}
		all = append(all, cases...)
	}
	return all
}

func compileList(t *testing.T, name string, kind Kind, docs []json.RawMessage) []*Policy {
	t.Helper()
	if docs == nil {
		return nil
	}
	out := make([]*Policy, 0, len(docs))
	for i, d := range docs {
		p, err := Compile(string(d), kind)
		if err != nil {
			t.Fatalf("%s[%d]: %v (%s)", name, i, err, err.(*Error).Detail)
		}
		out = append(out, p.WithName(fmt.Sprintf("%s[%d]", name, i)))
	}
	return out
}

func (c *corpusCase) build(t *testing.T) (*Request, *PolicySet) {
	req := &Request{
		Action: c.Request.Action, Resource: c.Request.Resource,
		PrincipalARN: c.Request.Principal, PrincipalAccount: c.Request.Account,
		RoleARN: c.Request.RoleARN, Service: c.Request.Service,
		ResourceAccount: c.Request.ResourceAccount,
	}
	if c.Request.Context != nil {
		req.Context = map[string][]string{}
		for k, raw := range c.Request.Context {
			var one string
			if json.Unmarshal(raw, &one) == nil {
				req.Context[k] = []string{one}
				continue
			}
			var many []string
			if err := json.Unmarshal(raw, &many); err != nil {
				t.Fatalf("context %s: %v", k, err)
			}
			req.Context[k] = many
		}
	}
	ps := &PolicySet{
		Identity: compileList(t, "identity", KindIdentity, c.Identity),
		Boundary: compileList(t, "boundary", KindIdentity, c.Boundary),
		Session:  compileList(t, "session", KindIdentity, c.Session),
		IsRoot:   c.Root,
	}
	for i, lvl := range c.SCPs {
		ps.SCPs = append(ps.SCPs, compileList(t, fmt.Sprintf("scp%d", i), KindSCP, lvl))
		if ps.SCPs[i] == nil {
			ps.SCPs[i] = []*Policy{}
		}
	}
	for i, lvl := range c.RCPs {
		ps.RCPs = append(ps.RCPs, compileList(t, fmt.Sprintf("rcp%d", i), KindRCP, lvl))
	}
	if len(c.Resource) > 0 {
		kind := KindResource
		if c.Kind == "trust" {
			kind = KindTrust
		}
		ps.Resource = compileList(t, "resource", kind, []json.RawMessage{c.Resource})[0]
	}
	return req, ps
}

func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 80 {
		t.Errorf("corpus has %d cases, want at least 80", len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.Name] {
			t.Errorf("duplicate case name %s", c.Name)
		}
		seen[c.Name] = true
		t.Run(c.Name, func(t *testing.T) {
			req, ps := c.build(t)
			d := Evaluate(req, ps)
			if d.Effect != c.Expect {
				t.Fatalf("effect = %s (reason %s, matched %+v), want %s", d.Effect, d.Reason, d.Matched, c.Expect)
			}
			if d.Allowed != (c.Expect == EffectAllow) {
				t.Errorf("Allowed = %v with effect %s", d.Allowed, d.Effect)
			}
			if c.Reason != "" && d.Reason.String() != c.Reason {
				t.Errorf("reason = %q, want %q", d.Reason, c.Reason)
			}
			if c.Sid != "" {
				found := false
				for _, m := range d.Matched {
					found = found || m.Sid == c.Sid
				}
				if !found {
					t.Errorf("matched %+v, want a statement with Sid %q", d.Matched, c.Sid)
				}
			}
			if c.Message != "" && d.DenialReason(req.Action) != c.Message {
				t.Errorf("DenialReason = %q, want %q", d.DenialReason(req.Action), c.Message)
			}
			if c.Expect == EffectExplicitDeny && (len(d.Matched) != 1 || d.Matched[0].Effect != "Deny") {
				t.Errorf("explicit deny matched %+v, want the one Deny statement", d.Matched)
			}
		})
	}
}
