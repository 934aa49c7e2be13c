package policy

import (
	"reflect"
	"testing"
)

func TestStatementSpans(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []Span
	}{
		{"array on several lines", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n    {\"Effect\": \"Deny\",\n     \"Action\": \"s3:DeleteBucket\", \"Resource\": \"*\"}\n  ]\n}",
			[]Span{{Position{4, 5}, Position{4, 59}}, {Position{5, 5}, Position{6, 51}}}},
		{"single object", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Version":"2012-10-17"}`,
			[]Span{{Position{1, 14}, Position{1, 60}}}},
		{"statement after other keys", `{"Version":"2012-10-17","Id":"x","Statement":[ {"Effect":"Allow","Action":"*","Resource":"*"} ]}`,
			[]Span{{Position{1, 48}, Position{1, 94}}}},
		{"not an object", `[]`, nil},
		{"no statement", `{"Version":"2012-10-17"}`, nil},
	}
	for _, tt := range tests {
		if got := StatementSpans(tt.doc); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: StatementSpans = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestContextKeys(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a","s3:prefix":"x"}}},
	 {"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"},"StringLike":{"AWS:PrincipalTag/Team":"b"}}},
	 {"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`
	p, err := Compile(doc, KindIdentity)
	if err != nil {
		t.Fatal(err)
	}
	all := p.ContextKeys()
	if len(all) != 3 {
		t.Fatalf("ContextKeys = %v, want 3 distinct keys", all)
	}
	want := map[string]bool{"aws:PrincipalTag/team": true, "s3:prefix": true, "aws:MultiFactorAuthPresent": true}
	for _, k := range all {
		if !want[k] {
			t.Errorf("unexpected key %q in %v", k, all)
		}
	}
	if got := p.ContextKeysFor(&Request{Action: "iam:CreateUser", Resource: "*"}); !reflect.DeepEqual(got, []string{"aws:MultiFactorAuthPresent", "AWS:PrincipalTag/Team"}) {
		t.Errorf("ContextKeysFor(iam) = %v", got)
	}
	if got := p.ContextKeysFor(&Request{Action: "ec2:RunInstances", Resource: "*"}); len(got) != 0 {
		t.Errorf("ContextKeysFor(ec2) = %v, want none", got)
	}
}

func TestAllowedServices(t *testing.T) {
	tests := []struct {
		doc  string
		want []string
	}{
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["IAM:List*","s3:GetObject","iam:GetUser"],"Resource":"*"},{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}`, []string{"iam", "s3"}},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, []string{"*"}},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`, []string{"*"}},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}`, []string{"s3"}},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`, []string{}},
	}
	for _, tt := range tests {
		p, err := Compile(tt.doc, KindIdentity)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.AllowedServices(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("AllowedServices(%s) = %v, want %v", tt.doc, got, tt.want)
		}
	}
}
