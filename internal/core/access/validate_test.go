package access

import (
	"testing"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

func TestValidateManagedARN(t *testing.T) {
	tests := []struct {
		arn  string
		want fault.Kind
	}{
		{"arn:aws:iam::aws:policy/AdministratorAccess", 0},
		{"arn:aws:iam::aws:policy/PowerUserAccess", 0},
		{"arn:aws:iam::aws:policy/ReadOnlyAccess", 0},
		{"arn:aws:iam::aws:policy/SecurityAudit", 0},
		{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", 0},
		{"arn:aws:iam::aws:policy/job-function/Billing", 0},
		{"arn:aws:iam::aws:policy/job-function/SupportUser", 0},
		{"arn:aws-us-gov:iam::aws:policy/job-function/SystemAdministrator", 0},
		{"arn:aws:iam::aws:policy/NoSuchPolicy", fault.Validation},
		{"arn:aws:iam::aws:policy/ViewOnlyAccess", fault.Validation}, // job-function path missing
		{"arn:aws:iam::123456789012:policy/Mine", fault.Validation},
		{"not an arn", fault.Validation},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			wantKind(t, tt.arn, validateManagedARN(tt.arn), tt.want)
		})
	}
}

func TestPermissionSetAWSManagedPolicies(t *testing.T) {
	e := newEnv(t)
	ps, err := e.svc.CreatePermissionSet(e.ctx, inst, NewPermissionSet{Name: "Viewers"})
	if err != nil {
		t.Fatalf("CreatePermissionSet: %v", err)
	}
	const unknown = "arn:aws:iam::aws:policy/NoSuchPolicy"
	tests := []struct {
		name string
		op   func() error
		want fault.Kind
	}{
		{"attach job-function", func() error {
			return e.svc.AttachManagedPolicy(e.ctx, inst, ps.ARN, "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
		}, 0},
		{"attach unknown", func() error { return e.svc.AttachManagedPolicy(e.ctx, inst, ps.ARN, unknown) }, fault.Validation},
		{"boundary unknown", func() error {
			return e.svc.PutPermissionsBoundary(e.ctx, inst, ps.ARN, store.PermissionsBoundary{ManagedPolicyARN: unknown})
		}, fault.Validation},
		{"boundary known", func() error {
			return e.svc.PutPermissionsBoundary(e.ctx, inst, ps.ARN, store.PermissionsBoundary{ManagedPolicyARN: "arn:aws:iam::aws:policy/SecurityAudit"})
		}, 0},
	}
	for _, tt := range tests {
		wantKind(t, tt.name, tt.op(), tt.want)
	}
	got, _, err := e.svc.ListManagedPolicies(e.ctx, inst, ps.ARN, 0, "")
	if err != nil {
		t.Fatalf("ListManagedPolicies: %v", err)
	}
	if len(got) != 1 || got[0].ARN != "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess" {
		t.Errorf("attached = %+v, want only ViewOnlyAccess", got)
	}
	b, err := e.svc.GetPermissionsBoundary(e.ctx, inst, ps.ARN)
	if err != nil || b.ManagedPolicyARN != "arn:aws:iam::aws:policy/SecurityAudit" {
		t.Errorf("boundary = %+v, %v", b, err)
	}
}
