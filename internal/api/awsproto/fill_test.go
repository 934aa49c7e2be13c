package awsproto_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	ids "github.com/idcenter/idcenter/internal/api/identitystore"
	"github.com/idcenter/idcenter/internal/api/ssoadmin"
)

// TestRequiredListsAreSentEmpty: a handler leaving a required list nil still
// answers "Users":[] (AWS always sends required lists), and optional members
// stay omitted.
func TestRequiredListsAreSentEmpty(t *testing.T) {
	svc := &awsproto.Service{Model: ids.Model, Handlers: map[string]awsproto.Handler{
		"ListUsers": awsproto.Op(func(context.Context, *ids.ListUsersRequest) (*ids.ListUsersResponse, error) {
			return &ids.ListUsersResponse{}, nil
		}),
		"IsMemberInGroups": awsproto.Op(func(context.Context, *ids.IsMemberInGroupsRequest) (*ids.IsMemberInGroupsResponse, error) {
			return &ids.IsMemberInGroupsResponse{}, nil
		}),
	}}
	srv := serve(svc)
	defer srv.Close()
	tests := []struct{ target, body, want string }{
		{"ListUsers", `{"IdentityStoreId":"d-1234567890"}`, `{"Users":[]}`},
		{"IsMemberInGroups", `{"IdentityStoreId":"d-1234567890","MemberId":{"UserId":"1234567890-00000000-0000-4000-8000-000000000000"},"GroupIds":["1234567890-00000000-0000-4000-8000-000000000001"]}`, `{"Results":[]}`},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(tt.body))
		req.Header.Set("X-Amz-Target", "AWSIdentityStore."+tt.target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != tt.want {
			t.Errorf("%s: %d %s, want %s", tt.target, resp.StatusCode, b, tt.want)
		}
	}
}

func TestQueryParam(t *testing.T) {
	tests := []struct{ raw, key, want string }{
		{"Action=GetCallerIdentity&Version=2011-06-15", "Action", "GetCallerIdentity"},
		{"Version=1&Action=List%55sers", "Action", "ListUsers"},
		{"X-Amz-Credential=AKIA%2F20261125%2Fus-east-1%2Fsts%2Faws4_request", "X-Amz-Credential", "AKIA/20261125/us-east-1/sts/aws4_request"},
		{"Act%69on=Encoded", "Action", "Encoded"},
		{"a=1&b=2", "Action", ""},
		{"Action=%zz", "Action", ""},
		{"Action", "Action", ""},
		{"", "Action", ""},
		{"Actions=x&Action=y", "Action", "y"},
		{"Action=a+b", "Action", "a b"},
	}
	for _, tt := range tests {
		if got := awsproto.QueryParam(tt.raw, tt.key); got != tt.want {
			t.Errorf("QueryParam(%q, %q) = %q, want %q", tt.raw, tt.key, got, tt.want)
		}
	}
}

// TestFillNestedWithRequiredScalars: required collections nested below list
// elements that also have required strings and structures (sso-admin's
// access-control attributes) are filled, and the scalars are left alone.
func TestFillNestedWithRequiredScalars(t *testing.T) {
	svc := &awsproto.Service{Model: ssoadmin.Model, Handlers: map[string]awsproto.Handler{
		"DescribeInstanceAccessControlAttributeConfiguration": awsproto.Op(func(context.Context, *ssoadmin.DescribeInstanceAccessControlAttributeConfigurationRequest) (*ssoadmin.DescribeInstanceAccessControlAttributeConfigurationResponse, error) {
			return &ssoadmin.DescribeInstanceAccessControlAttributeConfigurationResponse{Status: "ENABLED",
				InstanceAccessControlAttributeConfiguration: &ssoadmin.InstanceAccessControlAttributeConfiguration{
					AccessControlAttributes: []ssoadmin.AccessControlAttribute{{Key: "team", Value: &ssoadmin.AccessControlAttributeValue{}}},
				}}, nil
		}),
	}}
	srv := serve(svc)
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(`{"InstanceArn":"arn:aws:sso:::instance/ssoins-0123456789abcdef"}`))
	req.Header.Set("X-Amz-Target", "SWBExternalService.DescribeInstanceAccessControlAttributeConfiguration")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `{"Status":"ENABLED","InstanceAccessControlAttributeConfiguration":{"AccessControlAttributes":[{"Key":"team","Value":{"Source":[]}}]}}`
	if resp.StatusCode != 200 || string(b) != want {
		t.Fatalf("%d %s\nwant %s", resp.StatusCode, b, want)
	}
}
