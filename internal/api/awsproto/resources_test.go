package awsproto_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	ids "github.com/idcenter/idcenter/internal/api/identitystore"
)

// resourceAuthorizer records the resources asked about and denies one.
type resourceAuthorizer struct {
	asked []string
	deny  string
}

func (a *resourceAuthorizer) Authorize(_ context.Context, _, resource string) error {
	a.asked = append(a.asked, resource)
	if resource == a.deny {
		return &awsproto.Error{Code: "AccessDeniedException", Status: 403, Message: "denied on " + resource}
	}
	return nil
}

// TestWithResourcesEveryResourceAllowed: an operation named with several
// resources is authorised on each, in order; the first denial answers and
// the handler is not called.
func TestWithResourcesEveryResourceAllowed(t *testing.T) {
	const first, second = "arn:aws:x::1:a/1", "arn:aws:x::1:b/2"
	tests := []struct {
		name      string
		resources []string
		deny      string
		asked     []string
		called    bool
	}{
		{"all allowed", []string{first, second}, "", []string{first, second}, true},
		{"second denied", []string{first, second}, second, []string{first, second}, false},
		{"first denied", []string{first, second}, first, []string{first}, false},
		{"none named: *", nil, "", []string{"*"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			authz := &resourceAuthorizer{deny: tt.deny}
			called := false
			svc := &awsproto.Service{Model: ids.Model, IAMPrefix: "identitystore", Authorizer: authz, Handlers: map[string]awsproto.Handler{
				"DescribeUser": awsproto.Op(func(context.Context, *ids.DescribeUserRequest) (*ids.DescribeUserResponse, error) {
					called = true
					return &ids.DescribeUserResponse{IdentityStoreId: storeID, UserId: "12345678-1234-1234-1234-123456789012", UserName: "u"}, nil
				}).WithResources(func(context.Context, *ids.DescribeUserRequest) []string { return tt.resources }).
					WithKeys(func(context.Context, *ids.DescribeUserRequest) map[string][]string { return nil }),
			}}
			srv := serve(svc)
			defer srv.Close()
			_, err := identityClient(t, srv.URL).DescribeUser(context.Background(), &identitystore.DescribeUserInput{
				IdentityStoreId: aws.String(storeID), UserId: aws.String("12345678-1234-1234-1234-123456789012")})
			if !slices.Equal(authz.asked, tt.asked) {
				t.Errorf("asked about %q, want %q", authz.asked, tt.asked)
			}
			if called != tt.called {
				t.Errorf("handler called = %v, want %v", called, tt.called)
			}
			var ae smithy.APIError
			switch {
			case tt.deny == "" && err != nil:
				t.Errorf("err = %v", err)
			case tt.deny != "" && (!errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" || ae.ErrorMessage() != "denied on "+tt.deny):
				t.Errorf("err = %v, want AccessDeniedException on %s", err, tt.deny)
			}
			for _, m := range svc.ActionMappings() {
				if m.Operation == "DescribeUser" && !m.HasResource {
					t.Errorf("DescribeUser mapping has no resource")
				}
			}
		})
	}
}
