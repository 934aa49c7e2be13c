package policy

import (
	"fmt"
	"sync"
	"testing"
)

const devOps = `{"Version":"2012-10-17","Statement":[{"Action":["ecr:*","eks:*","lambda:*","s3:*","sqs:*"],"Effect":"Allow","Resource":"*"}]}`

func mustCompile(t testing.TB, doc string, kind Kind) *Policy {
	t.Helper()
	p, err := Compile(doc, kind)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return p
}

func TestGlob(t *testing.T) {
	tests := []struct {
		p, s      string
		fold, esc bool
		want      bool
	}{
		{"*", "", false, false, true},
		{"*", "anything", false, false, true},
		{"a*c", "abbbc", false, false, true},
		{"a*c", "abbbd", false, false, false},
		{"a?c", "abc", false, false, true},
		{"a?c", "ac", false, false, false},
		{"a?c", "aéc", false, false, true},
		{"*a*b", "xaxxb", false, false, true},
		{"*a*b", "xaxxbc", false, false, false},
		{"ABC", "abc", true, false, true},
		{"ABC", "abc", false, false, false},
		{`a\*`, "a*", false, true, true},
		{`a\*`, "ab", false, true, false},
		{`a\\`, `a\`, false, true, true},
		{"", "", false, false, true},
		{"", "a", false, false, false},
		{"**", "a", false, false, true},
	}
	for _, tt := range tests {
		if got := glob(tt.p, tt.s, tt.fold, tt.esc); got != tt.want {
			t.Errorf("glob(%q, %q, fold=%v, esc=%v) = %v, want %v", tt.p, tt.s, tt.fold, tt.esc, got, tt.want)
		}
	}
}

func TestMatcherKinds(t *testing.T) {
	tests := []struct {
		p, s string
		kind uint8
		want bool
	}{
		{"*", "x", mAny, true},
		{"s3:GetObject", "S3:GETOBJECT", mExact, true},
		{"s3:*", "S3:PutObject", mPrefix, true},
		{"s3:*", "s3control:X", mPrefix, false},
		{"s3:*Object", "s3:putobject", mGlob, true},
	}
	for _, tt := range tests {
		m := newMatcher(tt.p)
		if m.kind != tt.kind || m.match(tt.s, true) != tt.want {
			t.Errorf("matcher %q: kind %d match(%q) = %v, want kind %d %v", tt.p, m.kind, tt.s, m.match(tt.s, true), tt.kind, tt.want)
		}
	}
}

func TestTemplateResolve(t *testing.T) {
	req := &Request{Context: map[string][]string{"aws:username": {"a*b"}, "aws:principaltag/team": {"dev"}, "multi": {"x", "y"}}}
	tests := []struct {
		in         string
		pattern    bool
		want       string
		ok, isTmpl bool
	}{
		{"plain", false, "", true, false},
		{"home/${aws:username}/*", true, `home/a\*b/*`, true, true},
		{"home/${aws:username}/*", false, "home/a*b/*", true, true},
		{"${aws:PrincipalTag/team}", false, "dev", true, true},
		{"${ aws:PrincipalTag/Team }", false, "dev", true, true},
		{"${aws:PrincipalTag/x, 'dflt'}", false, "dflt", true, true},
		{"${aws:PrincipalTag/x}", false, "", false, true},
		{"${multi}", false, "", false, true},
		{"a${*}b${?}c${$}", true, `a\*b\?c\$`, true, true},
		{"a${*}b${?}c${$}", false, "a*b?c$", true, true},
		{"unterminated ${aws:username", false, "unterminated ${aws:username", true, true},
	}
	for _, tt := range tests {
		tm := parseTemplate(tt.in)
		if (tm != nil) != tt.isTmpl {
			t.Errorf("parseTemplate(%q) = %v, want template %v", tt.in, tm, tt.isTmpl)
			continue
		}
		if tm == nil {
			continue
		}
		got, ok := tm.resolve(req, tt.pattern)
		if ok != tt.ok || got != tt.want {
			t.Errorf("resolve(%q, pattern=%v) = %q, %v; want %q, %v", tt.in, tt.pattern, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDenialReason(t *testing.T) {
	tests := []struct {
		d    Decision
		want string
	}{
		{Decision{Allowed: true, Effect: EffectAllow}, ""},
		{Decision{Effect: EffectImplicitDeny, Reason: TypeIdentity}, " because no identity-based policy allows the iam:CreateUser action"},
		{Decision{Effect: EffectImplicitDeny, Reason: TypeSCP}, " because no service control policy allows the iam:CreateUser action"},
		{Decision{Effect: EffectImplicitDeny, Reason: TypeBoundary}, " because no permissions boundary allows the iam:CreateUser action"},
		{Decision{Effect: EffectImplicitDeny, Reason: TypeSession}, " because no session policy allows the iam:CreateUser action"},
		{Decision{Effect: EffectImplicitDeny, Reason: TypeResource}, " because no resource-based policy allows the iam:CreateUser action"},
		{Decision{Effect: EffectExplicitDeny, Reason: TypeIdentity}, " with an explicit deny in an identity-based policy"},
		{Decision{Effect: EffectExplicitDeny, Reason: TypeSCP}, " with an explicit deny in a service control policy"},
		{Decision{Effect: EffectExplicitDeny, Reason: TypeRCP}, " with an explicit deny in a resource control policy"},
		{Decision{Effect: EffectExplicitDeny, Reason: TypeResource}, " with an explicit deny in a resource-based policy"},
		{Decision{Effect: EffectExplicitDeny, Reason: TypeBoundary}, " with an explicit deny in a permissions boundary"},
		{Decision{Effect: EffectExplicitDeny, Reason: TypeSession}, " with an explicit deny in a session policy"},
	}
	for _, tt := range tests {
		if got := tt.d.DenialReason("iam:CreateUser"); got != tt.want {
			t.Errorf("%s/%s: DenialReason = %q, want %q", tt.d.Effect, tt.d.Reason, got, tt.want)
		}
	}
}

func TestExplanationNamesPolicyAndStatement(t *testing.T) {
	allowP := mustCompile(t, devOps, KindIdentity).WithName("DevOps")
	denyP := mustCompile(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Keep","Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Sid":"NoQueues","Effect":"Deny","Action":"sqs:Delete*","Resource":"*"}]}`, KindIdentity).WithName("Guard")
	req := &Request{Action: "sqs:DeleteQueue", Resource: "arn:aws:sqs:us-east-1:111122223333:q", PrincipalARN: "arn:aws:iam::111122223333:user/a", PrincipalAccount: "111122223333"}
	d := Evaluate(req, &PolicySet{Identity: []*Policy{allowP, denyP}})
	want := Match{Type: TypeIdentity, Index: 1, Policy: "Guard", Statement: 1, Sid: "NoQueues", Effect: "Deny"}
	if d.Effect != EffectExplicitDeny || len(d.Matched) != 1 || d.Matched[0] != want {
		t.Fatalf("decision %+v, want explicit deny by %+v", d, want)
	}
	if got, want := d.String(), "ExplicitDeny by identity-based policy Guard statement 1 (Sid NoQueues)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	req.Action = "sqs:SendMessage"
	d = Evaluate(req, &PolicySet{Identity: []*Policy{allowP, denyP}})
	want = Match{Type: TypeIdentity, Index: 0, Policy: "DevOps", Statement: 0, Effect: "Allow"}
	if !d.Allowed || len(d.Matched) != 1 || d.Matched[0] != want {
		t.Fatalf("decision %+v, want allow by %+v", d, want)
	}
	if got, want := d.String(), "Allow by identity-based policy DevOps statement 0"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	req.Action = "iam:CreateUser"
	d = Evaluate(req, &PolicySet{Identity: []*Policy{allowP, denyP}, Boundary: []*Policy{}})
	if got, want := d.String(), "ImplicitDeny: no identity-based policy allows"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestCache(t *testing.T) {
	c := NewCache(2)
	docs := []string{devOps, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`}
	p0, err := c.Compile(docs[0], KindIdentity)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := c.Compile(docs[0], KindIdentity); again != p0 {
		t.Errorf("second Compile did not hit the cache")
	}
	if _, err := c.Compile(docs[0], KindResource); err == nil {
		t.Errorf("the kind is part of the key: resource compile of an identity policy must fail")
	}
	if _, err := c.Compile(docs[1], KindIdentity); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compile(docs[2], KindIdentity); err != nil {
		t.Fatal(err)
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	if again, _ := c.Compile(docs[0], KindIdentity); again == p0 {
		t.Errorf("least recently used entry was not evicted")
	}
	if _, err := c.Compile(`{`, KindIdentity); err == nil || c.Len() != 2 {
		t.Errorf("errors must not be cached: err %v len %d", err, c.Len())
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache(8)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Sid":"S%d","Effect":"Allow","Action":"s3:*","Resource":"*"}}`, (g+i)%12)
				p, err := c.Compile(doc, KindIdentity)
				if err != nil {
					errs <- err
					return
				}
				d := Evaluate(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, &PolicySet{Identity: []*Policy{p}})
				if !d.Allowed {
					errs <- fmt.Errorf("decision %+v", d)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c.Len() > 8 {
		t.Errorf("Len = %d, above the bound", c.Len())
	}
}

func BenchmarkEvaluateDevOps(b *testing.B) {
	p := mustCompile(b, devOps, KindIdentity).WithName("DevOps")
	ps := &PolicySet{Identity: []*Policy{p}}
	req := &Request{
		Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111122223333:orders",
		PrincipalARN: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DevOps_0123456789abcdef/alice", PrincipalAccount: "111122223333",
	}
	b.ReportAllocs()
	for b.Loop() {
		if d := Evaluate(req, ps); !d.Allowed {
			b.Fatal("denied")
		}
	}
}

func BenchmarkEvaluateDevOpsDenied(b *testing.B) {
	p := mustCompile(b, devOps, KindIdentity).WithName("DevOps")
	ps := &PolicySet{Identity: []*Policy{p}}
	req := &Request{Action: "iam:CreateUser", Resource: "arn:aws:iam::111122223333:user/bob", PrincipalARN: "arn:aws:iam::111122223333:user/alice", PrincipalAccount: "111122223333"}
	b.ReportAllocs()
	for b.Loop() {
		if d := Evaluate(req, ps); d.Allowed {
			b.Fatal("allowed")
		}
	}
}

// BenchmarkEvaluateConditions is an ABAC-style request: a home-folder
// resource with ${aws:username}, a tag comparison with a variable, an IP
// range, MFA via BoolIfExists in a deny, an SCP region lock and a boundary.
func BenchmarkEvaluateConditions(b *testing.B) {
	id := mustCompile(b, `{"Version":"2012-10-17","Statement":[
		{"Sid":"Home","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::home/${aws:username}/*",
		 "Condition":{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}","aws:PrincipalTag/team":["dev","ops"]},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}},
		{"Sid":"NoMFA","Effect":"Deny","Action":"s3:Delete*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`, KindIdentity)
	bound := mustCompile(b, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/*"}}`, KindIdentity)
	scp := mustCompile(b, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}]}`, KindSCP)
	ps := &PolicySet{Identity: []*Policy{id}, Boundary: []*Policy{bound}, SCPs: [][]*Policy{{scp}}}
	req := &Request{
		Action: "s3:PutObject", Resource: "arn:aws:s3:::home/alice/notes.txt",
		PrincipalARN: "arn:aws:iam::111122223333:user/alice", PrincipalAccount: "111122223333",
		Context: map[string][]string{
			"aws:username": {"alice"}, "aws:resourcetag/owner": {"alice"}, "aws:principaltag/team": {"dev"},
			"aws:sourceip": {"10.1.2.3"}, "aws:multifactorauthpresent": {"true"}, "aws:requestedregion": {"eu-west-1"},
		},
	}
	if d := Evaluate(req, ps); !d.Allowed {
		b.Fatalf("denied: %+v", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(req, ps)
	}
}

func BenchmarkCompileDevOps(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(devOps, KindIdentity); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCacheCompileDevOps(b *testing.B) {
	c := NewCache(16)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Compile(devOps, KindIdentity); err != nil {
			b.Fatal(err)
		}
	}
}
