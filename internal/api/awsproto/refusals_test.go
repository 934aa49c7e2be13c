package awsproto_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	orgapi "github.com/idcenter/idcenter/internal/api/organizations"
)

// actionAuthorizer records "action resource" pairs and denies one action;
// logs says whether it logs (marks) its denials, as the server's does.
type actionAuthorizer struct {
	asked []string
	deny  string
	logs  bool
}

func (a *actionAuthorizer) Authorize(ctx context.Context, action, resource string) error {
	a.asked = append(a.asked, action+" "+resource)
	if action == a.deny {
		if a.logs {
			awsproto.RefusalLogged(ctx)
		}
		return &awsproto.Error{Code: "AccessDeniedException", Status: 403, Message: "denied " + action}
	}
	return nil
}

// TestRequireWhenTaggedAndRefusals: a create declared with
// RequireWhenTagged is also authorised for the tagging action, only when the
// request has tags; Service.Refused hears of every AccessDenied answer
// nobody marked as logged (a denial of the Authorizer that does not log, a
// handler's AccessDenied) and of nothing else.
func TestRequireWhenTaggedAndRefusals(t *testing.T) {
	tags := []orgtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}
	tests := []struct {
		name       string
		tags       []orgtypes.Tag
		deny       string
		logs       bool
		handlerErr error
		asked      []string
		called     bool
		refused    []string // "action resource message" told to Refused
		code       string
	}{
		{"no tags: the create's action only", nil, "", false, nil,
			[]string{"organizations:CreatePolicy *"}, true, nil, ""},
		{"tags: TagResource too", tags, "", false, nil,
			[]string{"organizations:CreatePolicy *", "organizations:TagResource *"}, true, nil, ""},
		{"tags, TagResource denied, not logged by the authorizer", tags, "organizations:TagResource", false, nil,
			[]string{"organizations:CreatePolicy *", "organizations:TagResource *"}, false,
			[]string{"organizations:TagResource * denied organizations:TagResource"}, "AccessDeniedException"},
		{"tags, TagResource denied and logged by the authorizer", tags, "organizations:TagResource", true, nil,
			[]string{"organizations:CreatePolicy *", "organizations:TagResource *"}, false, nil, "AccessDeniedException"},
		{"create denied: no TagResource asked", tags, "organizations:CreatePolicy", true, nil,
			[]string{"organizations:CreatePolicy *"}, false, nil, "AccessDeniedException"},
		{"the handler refuses", nil, "", false, &awsproto.Error{Code: "AccessDeniedException", Status: 403, Message: "not in the organization"},
			[]string{"organizations:CreatePolicy *"}, true, []string{"organizations:CreatePolicy * not in the organization"}, "AccessDeniedException"},
		{"another error is no refusal", nil, "", false, &awsproto.Error{Code: "InvalidInputException", Status: 400, Message: "bad"},
			[]string{"organizations:CreatePolicy *"}, true, nil, "InvalidInputException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			authz := &actionAuthorizer{deny: tt.deny, logs: tt.logs}
			called := false
			var refused []string
			h := map[string]awsproto.Handler{
				"CreatePolicy": awsproto.Op(func(context.Context, *orgapi.CreatePolicyRequest) (*orgapi.CreatePolicyResponse, error) {
					called = true
					if tt.handlerErr != nil {
						return nil, tt.handlerErr
					}
					return &orgapi.CreatePolicyResponse{}, nil
				}),
			}
			awsproto.RequireWhenTagged(h["CreatePolicy"], "organizations:TagResource", nil)
			svc := &awsproto.Service{Model: orgapi.Model, IAMPrefix: "organizations", Authorizer: authz, Handlers: h,
				Refused: func(_ context.Context, action, resource, message string) {
					refused = append(refused, action+" "+resource+" "+message)
				}}
			srv := serve(svc)
			defer srv.Close()
			t.Setenv("AWS_CA_BUNDLE", "")
			c := organizations.New(organizations.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
				Credentials: aws.AnonymousCredentials{}, Retryer: aws.NopRetryer{}})
			_, err := c.CreatePolicy(context.Background(), &organizations.CreatePolicyInput{Name: aws.String("p"), Description: aws.String("d"),
				Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`),
				Type:    orgtypes.PolicyTypeServiceControlPolicy, Tags: tt.tags})
			if !slices.Equal(authz.asked, tt.asked) {
				t.Errorf("asked %q, want %q", authz.asked, tt.asked)
			}
			if called != tt.called {
				t.Errorf("handler called = %v, want %v", called, tt.called)
			}
			if !slices.Equal(refused, tt.refused) {
				t.Errorf("Refused heard %q, want %q", refused, tt.refused)
			}
			var ae smithy.APIError
			switch {
			case tt.code == "" && err != nil:
				t.Errorf("err = %v", err)
			case tt.code != "" && (!errors.As(err, &ae) || ae.ErrorCode() != tt.code):
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
}

// TestRequireWhenTaggedPanicsOnForeignHandler: only handlers made by Op
// take the requirement; a nil handler is left alone.
func TestRequireWhenTaggedPanicsOnForeignHandler(t *testing.T) {
	awsproto.RequireWhenTagged(nil, "x:TagResource", nil) // no panic
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for a handler not made by Op")
		}
	}()
	awsproto.RequireWhenTagged(foreignHandler{}, "x:TagResource", nil)
}

type foreignHandler struct{ awsproto.Handler }
