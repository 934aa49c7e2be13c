package awsproto_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	ids "github.com/idcenter/idcenter/internal/api/identitystore"
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
