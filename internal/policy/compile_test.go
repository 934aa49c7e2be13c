package policy

import (
	"errors"
	"strings"
	"testing"
)

func TestCompileErrors(t *testing.T) {
	const v = `"Version":"2012-10-17",`
	tests := []struct {
		name string
		kind Kind
		doc  string
		want string // Message; "" = valid
	}{
		{"valid identity", KindIdentity, `{` + v + `"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, ""},
		{"not JSON", KindIdentity, `{"Version":`, MsgSyntax},
		{"JSON array", KindIdentity, `[]`, MsgSyntax},
		{"JSON null", KindIdentity, `null`, MsgSyntax},
		{"trailing data", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}} x`, MsgSyntax},
		{"unknown top-level field", KindIdentity, `{` + v + `"Foo":1,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, MsgSyntax},
		{"field names are case-sensitive", KindIdentity, `{` + v + `"statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, MsgSyntax},
		{"bad version", KindIdentity, `{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, MsgSyntax},
		{"version not a string", KindIdentity, `{"Version":2012,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, MsgSyntax},
		{"no version is 2008", KindIdentity, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, ""},
		{"2008 version", KindIdentity, `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, ""},
		{"Id must be a string", KindIdentity, `{` + v + `"Id":1,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, MsgSyntax},
		{"missing Statement", KindIdentity, `{` + v[:len(v)-1] + `}`, MsgSyntax},
		{"empty Statement", KindIdentity, `{` + v + `"Statement":[]}`, MsgSyntax},
		{"Statement is a string", KindIdentity, `{` + v + `"Statement":"x"}`, MsgSyntax},
		{"statement not an object", KindIdentity, `{` + v + `"Statement":["x"]}`, MsgSyntax},
		{"unknown statement field", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Foo":"x"}}`, MsgSyntax},
		{"missing Effect", KindIdentity, `{` + v + `"Statement":{"Action":"*","Resource":"*"}}`, MsgSyntax},
		{"bad Effect", KindIdentity, `{` + v + `"Statement":{"Effect":"Permit","Action":"*","Resource":"*"}}`, MsgSyntax},
		{"lower-case Effect fails legacy parsing", KindIdentity, `{` + v + `"Statement":{"Effect":"allow","Action":"*","Resource":"*"}}`, MsgLegacy},
		{"Action and NotAction", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"Resource and NotResource", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}`, MsgSyntax},
		{"Action number", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":1,"Resource":"*"}}`, MsgSyntax},
		{"Action list with a number", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":["s3:*",1],"Resource":"*"}}`, MsgSyntax},
		{"Sid number", KindIdentity, `{` + v + `"Statement":{"Sid":1,"Effect":"Allow","Action":"*","Resource":"*"}}`, MsgSyntax},
		{"missing Action", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Resource":"*"}}`, MsgNoActions},
		{"empty Action list", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, MsgNoActions},
		{"missing Resource", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*"}}`, MsgNoResources},
		{"empty Resource list", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":[]}}`, MsgNoResources},
		{"action without vendor", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}`, MsgVendorPrefix},
		{"action with two colons", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}}`, MsgOneColon},
		{"bad vendor", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"s 3:GetObject","Resource":"*"}}`, "Vendor s 3 is not valid"},
		{"resource not an ARN", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"bucket"}}`, `Resource bucket must be in ARN format or "*".`},
		{"bad partition", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:foo:s3:::b"}}`, `Partition "foo" is not valid for resource "arn:foo:s3:::b".`},
		{"resource vendor wildcard", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:*:::b"}}`, MsgResourceVendor},
		{"resource too short", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3"}}`, MsgLegacy},
		{"IAM resource with region", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam:us-east-1:111122223333:user/a"}}`, "IAM resource arn:aws:iam:us-east-1:111122223333:user/a cannot contain region information."},
		{"duplicate Sid", KindIdentity, `{` + v + `"Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}]}`, MsgDuplicateSid},
		{"empty Sids are not duplicates", KindIdentity, `{` + v + `"Statement":[{"Sid":"","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"","Effect":"Deny","Action":"*","Resource":"*"}]}`, ""},
		{"identity policy with Principal", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, MsgNoPrincipal},
		{"SCP with Principal", KindSCP, `{` + v + `"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, MsgProhibitedPrinc},
		{"SCP without Resource", KindSCP, `{` + v + `"Statement":{"Effect":"Allow","Action":"*"}}`, ""},
		{"resource policy without Principal", KindResource, `{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, MsgMissingPrincipal},
		{"resource policy with NotPrincipal", KindResource, `{` + v + `"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`, ""},
		{"Principal and NotPrincipal", KindResource, `{` + v + `"Statement":{"Effect":"Deny","Principal":"*","NotPrincipal":"*","Action":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"principal string other than *", KindResource, `{` + v + `"Statement":{"Effect":"Allow","Principal":"bob","Action":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"unknown principal type", KindResource, `{` + v + `"Statement":{"Effect":"Allow","Principal":{"Bogus":"x"},"Action":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"invalid AWS principal", KindResource, `{` + v + `"Statement":{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"s3:*","Resource":"*"}}`, `Invalid principal in policy: "AWS":"bob"`},
		{"wildcard in a principal ARN", KindTrust, `{` + v + `"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/*"},"Action":"sts:AssumeRole"}}`, `Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:user/*"`},
		{"principal values must be strings", KindResource, `{` + v + `"Statement":{"Effect":"Allow","Principal":{"AWS":[1]},"Action":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"all principal types", KindResource, `{` + v + `"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/r"],"Service":"ec2.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:*","Resource":"*"}}`, ""},
		{"trust policy", KindTrust, `{` + v + `"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`, ""},
		{"trust policy with Resource", KindTrust, `{` + v + `"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}`, MsgProhibitedRes},
		{"trust policy without Principal", KindTrust, `{` + v + `"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, MsgMissingPrincipal},
		{"RCP principal must be *", KindRCP, `{` + v + `"Statement":{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`, MsgInvalidPrincipal},
		{"condition not an object", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":"x"}}`, MsgSyntax},
		{"condition block not an object", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":"x"}}}`, MsgSyntax},
		{"unknown operator", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringIs":{"a:b":"x"}}}}`, MsgSyntax},
		{"NullIfExists is not an operator", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"a:b":"true"}}}}`, MsgSyntax},
		{"condition value object", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a:b":{"c":1}}}}}`, MsgSyntax},
		{"condition values of all scalar types", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a:b":["x",1,true]}}}}`, ""},
		{"qualified IfExists operator", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringLikeIfExists":{"a:b":"x*"}}}}`, ""},
		{"invalid date fails legacy parsing", KindIdentity, `{` + v + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"yesterday"}}}}`, MsgLegacy},
		{"syntax errors come before legacy errors", KindIdentity, `{` + v + `"Statement":[{"Effect":"allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*","X":1}]}`, MsgSyntax},
		{"legacy errors come before missing actions", KindIdentity, `{` + v + `"Statement":[{"Effect":"Allow","Resource":"*"},{"Effect":"deny","Action":"*","Resource":"*"}]}`, MsgLegacy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.doc, tt.kind)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Compile: %v (%s)", err, err.(*Error).Detail)
				}
				if p.Len() != len(tt.doc) {
					t.Errorf("Len = %d, want %d", p.Len(), len(tt.doc))
				}
				return
			}
			if err == nil {
				t.Fatalf("Compile succeeded, want %q", tt.want)
			}
			var pe *Error
			if !errors.As(err, &pe) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %T %v is not a *Error matching ErrMalformed", err, err)
			}
			if pe.Message != tt.want {
				t.Errorf("message = %q (%s), want %q", pe.Message, pe.Detail, tt.want)
			}
		})
	}
}

func TestRequireCurrentVersion(t *testing.T) {
	for _, tt := range []struct {
		version string
		ok      bool
	}{{`"Version":"2012-10-17",`, true}, {`"Version":"2008-10-17",`, false}, {"", false}} {
		p, err := Compile(`{`+tt.version+`"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, KindIdentity)
		if err != nil {
			t.Fatal(err)
		}
		err = p.RequireCurrentVersion()
		if (err == nil) != tt.ok {
			t.Errorf("%q: RequireCurrentVersion = %v", tt.version, err)
		}
		if err != nil && err.Error() != MsgVersion2012 {
			t.Errorf("message = %q", err)
		}
	}
}

func TestPolicyAccessors(t *testing.T) {
	doc := `{"Version":"2012-10-17","Id":"doc1","Statement":[{"Sid":"One","Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`
	p, err := Compile(doc, KindIdentity)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "doc1" || p.Version != Version2012 || p.NumStatements() != 2 || p.Sid(0) != "One" || p.Sid(1) != "" {
		t.Errorf("accessors: id %q version %q n %d sids %q %q", p.ID, p.Version, p.NumStatements(), p.Sid(0), p.Sid(1))
	}
	q := p.WithName("inline/x")
	if q.Name != "inline/x" || p.Name != "" || q.NumStatements() != 2 {
		t.Errorf("WithName changed the original or lost statements")
	}
	if KindTrust.String() != "trust" || !strings.HasPrefix(Kind(99).String(), "kind(") {
		t.Errorf("Kind.String")
	}
}

func FuzzCompile(f *testing.F) {
	seeds := []string{
		`{"Version":"2012-10-17","Statement":[{"Action":["ecr:*","eks:*","lambda:*","s3:*","sqs:*"],"Effect":"Allow","Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*",1,true]},"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/r"]},"Action":"sts:AssumeRole"}}`,
		`{"Version":"2012-10-17","Statement":[]}`,
		`[1,2]`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::${a, 'b'}${*}${?}${$}"}}`,
	}
	for _, s := range seeds {
		for k := KindIdentity; k <= KindRCP; k++ {
			f.Add(s, uint8(k))
		}
	}
	f.Fuzz(func(t *testing.T, doc string, kind uint8) {
		p, err := Compile(doc, Kind(kind%5))
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Message == "" {
				t.Fatalf("error %v is not a *Error with a message", err)
			}
			return
		}
		// A compiled policy must evaluate without panicking.
		req := &Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", PrincipalARN: "arn:aws:iam::111122223333:user/a", PrincipalAccount: "111122223333",
			Context: map[string][]string{"aws:username": {"a"}, "aws:TagKeys": {"a", "b"}, "aws:SourceIp": {"10.1.2.3"}, "aws:CurrentTime": {"2026-01-01T00:00:00Z"}}}
		ps := &PolicySet{Identity: []*Policy{p}, Boundary: []*Policy{p}, Session: []*Policy{p}, SCPs: [][]*Policy{{p}}, RCPs: [][]*Policy{{p}}, Resource: p}
		d := Evaluate(req, ps)
		if d.Allowed != (d.Effect == EffectAllow) {
			t.Fatalf("Allowed %v with effect %s", d.Allowed, d.Effect)
		}
	})
}
