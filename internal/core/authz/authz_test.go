package authz

import (
	"context"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/core/fault"
)

func TestGetCallerIdentityAlwaysAllowed(t *testing.T) {
	a := &Authorizer{ManagementAccountID: "123456789012"}
	c := Caller{AccountID: "210987654321", ARN: "arn:aws:iam::210987654321:user/x", Type: "User"}
	if err := a.Authorize(context.Background(), c, "sts:GetCallerIdentity", "*"); err != nil {
		t.Fatalf("GetCallerIdentity denied: %v", err)
	}
	if err := a.Authorize(context.Background(), c, "sts:GetSessionToken", "*"); err == nil {
		t.Fatal("GetSessionToken allowed for a caller without permissions")
	}
}

func TestAuthorize(t *testing.T) {
	a := &Authorizer{ManagementAccountID: "123456789012"}
	tests := []struct {
		name   string
		caller Caller
		allow  bool
	}{
		{"management root", Caller{AccountID: "123456789012", ARN: "arn:aws:iam::123456789012:root", Type: "Account"}, true},
		{"other account root", Caller{AccountID: "210987654321", ARN: "arn:aws:iam::210987654321:root", Type: "Account"}, false},
		{"iam user of management", Caller{AccountID: "123456789012", ARN: "arn:aws:iam::123456789012:user/bob", Type: "User"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := a.Authorize(context.Background(), tt.caller, "identitystore:CreateUser", "arn:aws:identitystore::123456789012:identitystore/d-1234567890")
			if tt.allow {
				if err != nil {
					t.Fatalf("want allow, got %v", err)
				}
				return
			}
			fe := fault.As(err)
			if fe == nil || fe.Kind != fault.AccessDenied {
				t.Fatalf("want AccessDenied fault, got %v", err)
			}
			want := "User: " + tt.caller.ARN + " is not authorized to perform: identitystore:CreateUser on resource: arn:aws:identitystore::123456789012:identitystore/d-1234567890"
			if !strings.HasPrefix(fe.Message, want) {
				t.Fatalf("message %q does not start with %q", fe.Message, want)
			}
		})
	}
}
