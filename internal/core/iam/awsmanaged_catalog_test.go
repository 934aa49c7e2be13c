package iam

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/idcenter/idcenter/internal/policy"
)

// wantAWSManaged are the policies the catalog must hold (issue 3, item 4).
var wantAWSManaged = []struct {
	arn, name, path string
}{
	{"arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess", "/"},
	{"arn:aws:iam::aws:policy/PowerUserAccess", "PowerUserAccess", "/"},
	{"arn:aws:iam::aws:policy/ReadOnlyAccess", "ReadOnlyAccess", "/"},
	{"arn:aws:iam::aws:policy/SecurityAudit", "SecurityAudit", "/"},
	{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "ViewOnlyAccess", "/job-function/"},
	{"arn:aws:iam::aws:policy/job-function/Billing", "Billing", "/job-function/"},
	{"arn:aws:iam::aws:policy/job-function/DatabaseAdministrator", "DatabaseAdministrator", "/job-function/"},
	{"arn:aws:iam::aws:policy/job-function/DataScientist", "DataScientist", "/job-function/"},
	{"arn:aws:iam::aws:policy/job-function/NetworkAdministrator", "NetworkAdministrator", "/job-function/"},
	{"arn:aws:iam::aws:policy/job-function/SupportUser", "SupportUser", "/job-function/"},
	{"arn:aws:iam::aws:policy/job-function/SystemAdministrator", "SystemAdministrator", "/job-function/"},
}

func TestAWSManagedCatalog(t *testing.T) {
	for _, tt := range wantAWSManaged {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := lookupAWSManaged(tt.arn)
			if !ok {
				t.Fatalf("%s is not in the catalog", tt.arn)
			}
			p := m.Policy
			if p.ARN != tt.arn || p.PolicyName != tt.name || p.Path != tt.path || p.AccountID != "aws" {
				t.Errorf("policy = %+v, want ARN %s name %s path %s", p, tt.arn, tt.name, tt.path)
			}
			if len(p.PolicyID) != 21 || !strings.HasPrefix(p.PolicyID, "ANPA") {
				t.Errorf("PolicyId = %q, want ANPA + 17 characters", p.PolicyID)
			}
			if p.Description == "" || p.CreatedAt.IsZero() || p.UpdatedAt.Before(p.CreatedAt) {
				t.Errorf("metadata = %q %v %v", p.Description, p.CreatedAt, p.UpdatedAt)
			}
			if !IsAWSManaged(tt.arn) {
				t.Errorf("IsAWSManaged(%s) = false", tt.arn)
			}
			doc, ok := AWSManagedDocument(tt.arn)
			if !ok || doc != m.Document {
				t.Fatalf("AWSManagedDocument(%s) = %t", tt.arn, ok)
			}
			if _, err := policy.Compile(doc, policy.KindIdentity); err != nil {
				t.Errorf("document does not compile: %v", err)
			}
		})
	}
}

// TestAWSManagedDocumentsCompile checks every bundled file, not only the
// required ones.
func TestAWSManagedDocumentsCompile(t *testing.T) {
	arns := AWSManagedARNs()
	if len(arns) < len(wantAWSManaged) {
		t.Fatalf("catalog has %d policies, want at least %d", len(arns), len(wantAWSManaged))
	}
	ids := map[string]string{}
	for _, arn := range arns {
		m, _ := lookupAWSManaged(arn)
		if _, err := policy.Compile(m.Document, policy.KindIdentity); err != nil {
			t.Errorf("%s: %v", arn, err)
		}
		if other, dup := ids[m.Policy.PolicyID]; dup {
			t.Errorf("%s and %s share PolicyId %s", arn, other, m.Policy.PolicyID)
		}
		ids[m.Policy.PolicyID] = arn
	}
}

func TestAWSManagedUnknown(t *testing.T) {
	tests := []struct {
		arn  string
		want bool
	}{
		{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", true},
		{"arn:aws-cn:iam::aws:policy/ReadOnlyAccess", true},
		{"arn:aws-us-gov:iam::aws:policy/job-function/Billing", true},
		{"arn:aws:iam::aws:policy/ViewOnlyAccess", false}, // wrong path
		{"arn:aws:iam::aws:policy/NoSuchPolicy", false},
		{"arn:aws:iam::123456789012:policy/ReadOnlyAccess", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsAWSManaged(tt.arn); got != tt.want {
			t.Errorf("IsAWSManaged(%q) = %t, want %t", tt.arn, got, tt.want)
		}
	}
	if _, ok := AWSManagedDocument("arn:aws:iam::aws:policy/NoSuchPolicy"); ok {
		t.Error("AWSManagedDocument found an unknown policy")
	}
}

func TestPowerUserAccessEvaluation(t *testing.T) {
	doc, ok := AWSManagedDocument("arn:aws:iam::aws:policy/PowerUserAccess")
	if !ok {
		t.Fatal("PowerUserAccess missing")
	}
	p, err := policy.Compile(doc, policy.KindIdentity)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		action, resource string
		allowed          bool
	}{
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:queue", true},
		{"s3:GetObject", "arn:aws:s3:::bucket/key", true},
		{"iam:CreateUser", "arn:aws:iam::123456789012:user/bob", false},
		{"organizations:CreateAccount", "*", false},
		{"iam:ListRoles", "*", true},
		{"organizations:DescribeOrganization", "*", true},
	}
	for _, tt := range tests {
		req := &policy.Request{Action: tt.action, Resource: tt.resource,
			PrincipalARN: "arn:aws:iam::123456789012:user/alice", PrincipalAccount: "123456789012"}
		d := policy.Evaluate(req, &policy.PolicySet{Identity: []*policy.Policy{p}})
		if d.Allowed != tt.allowed {
			t.Errorf("%s: allowed = %t (%s), want %t", tt.action, d.Allowed, d, tt.allowed)
		}
	}
}

func TestLoadAWSManagedRejects(t *testing.T) {
	good := `{"PolicyName":"X","Path":"/","PolicyId":"ANPAAAAAAAAAAAAAAAAAA","DefaultVersionId":"v2","CreateDate":"2020-01-01T00:00:00Z","UpdateDate":"2021-01-01T00:00:00Z","Description":"d","Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}}`
	tests := []struct {
		name, file string
		ok         bool
	}{
		{"good", good, true},
		{"bad document", strings.Replace(good, `"Effect":"Allow"`, `"Effect":"Maybe"`, 1), false},
		{"bad version", strings.Replace(good, `"v2"`, `"2"`, 1), false},
		{"bad path", strings.Replace(good, `"Path":"/"`, `"Path":"x"`, 1), false},
		{"bad id", strings.Replace(good, `ANPAAAAAAAAAAAAAAAAAA`, `AIDAAAAAAAAAAAAAAAAAA`, 1), false},
		{"unknown field", strings.Replace(good, `"Description"`, `"Descr"`, 1), false},
		{"not json", `{`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := loadAWSManaged(fstest.MapFS{"awsmanaged/X.json": {Data: []byte(tt.file)}})
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %t", err, tt.ok)
			}
			if tt.ok && m["arn:aws:iam::aws:policy/X"].Policy.LastVersion != 2 {
				t.Errorf("catalog = %+v", m)
			}
		})
	}
}

func TestIAMShowsAWSManaged(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	for _, tt := range wantAWSManaged {
		p, err := s.GetPolicy(ctx, root, tt.arn)
		if err != nil {
			t.Fatalf("GetPolicy(%s): %v", tt.arn, err)
		}
		if !p.AWSManaged || p.PolicyName != tt.name || p.Path != tt.path {
			t.Errorf("GetPolicy(%s) = %+v", tt.arn, p)
		}
		v, err := s.GetPolicyVersion(ctx, root, tt.arn, p.DefaultVersionID)
		if err != nil || !v.IsDefault || v.Document == "" {
			t.Errorf("GetPolicyVersion(%s, %s) = %+v, %v", tt.arn, p.DefaultVersionID, v, err)
		}
		vs, err := s.ListPolicyVersions(ctx, root, tt.arn, "", 0)
		if err != nil || len(vs.Items) != 1 || vs.Items[0].VersionID != p.DefaultVersionID {
			t.Errorf("ListPolicyVersions(%s) = %+v, %v", tt.arn, vs, err)
		}
	}
	if _, err := s.GetPolicy(ctx, root, "arn:aws:iam::aws:policy/NoSuchPolicy"); reason(err) != CodeNoSuchEntity {
		t.Errorf("GetPolicy(unknown) = %v, want NoSuchEntity", err)
	}

	tests := []struct {
		name string
		in   ListPoliciesInput
		want []string // ARNs that must be listed
		not  []string // ARNs that must not
	}{
		{"aws scope", ListPoliciesInput{Scope: "AWS"}, []string{wantAWSManaged[0].arn, wantAWSManaged[4].arn, wantAWSManaged[10].arn}, nil},
		{"job-function prefix", ListPoliciesInput{Scope: "AWS", PathPrefix: "/job-function/"}, []string{wantAWSManaged[4].arn}, []string{wantAWSManaged[0].arn}},
		{"local scope", ListPoliciesInput{Scope: "Local"}, nil, []string{wantAWSManaged[0].arn}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := s.ListPolicies(ctx, root, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, p := range page.Items {
				got[p.ARN] = true
			}
			for _, a := range tt.want {
				if !got[a] {
					t.Errorf("%s not listed", a)
				}
			}
			for _, a := range tt.not {
				if got[a] {
					t.Errorf("%s listed", a)
				}
			}
		})
	}
}
