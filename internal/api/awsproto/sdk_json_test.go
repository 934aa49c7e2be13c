package awsproto_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	ids "github.com/idcenter/idcenter/internal/api/identitystore"
)

const storeID = "d-1234567890"

type recordingAuthorizer struct {
	calls []string
	deny  string // action to deny
}

func (a *recordingAuthorizer) Authorize(_ context.Context, action, resource string) error {
	a.calls = append(a.calls, action+" "+resource)
	if action == a.deny {
		return &awsproto.Error{Code: "AccessDeniedException", Status: 403, Message: "not authorized to perform: " + action}
	}
	return nil
}

var created = time.Date(2024, 1, 2, 3, 4, 5, 500_000_000, time.UTC)

func identityStoreService(authz *recordingAuthorizer) *awsproto.Service {
	svc := &awsproto.Service{
		Model:     ids.Model,
		IAMPrefix: "identitystore",
		Handlers: map[string]awsproto.Handler{
			"DescribeUser": awsproto.Op(func(ctx context.Context, in *ids.DescribeUserRequest) (*ids.DescribeUserResponse, error) {
				if in.UserId == "99999999-9999-9999-9999-999999999999" {
					return nil, &awsproto.Error{Code: "ResourceNotFoundException", Status: 404, Message: "User not found",
						Fields: map[string]any{"ResourceType": "USER", "ResourceId": in.UserId}}
				}
				if in.UserId == "00000000-0000-0000-0000-000000000500" {
					return nil, errors.New("database exploded: secret internals")
				}
				return &ids.DescribeUserResponse{
					IdentityStoreId: in.IdentityStoreId,
					UserId:          in.UserId,
					UserName:        "alice",
					Name:            &ids.Name{GivenName: "Alice", FamilyName: "Liddell"},
					Emails:          []ids.Email{{Value: "alice@example.com", Type: "work", Primary: aws.Bool(true)}},
					ExternalIds:     []ids.ExternalId{{Issuer: "scim", Id: "ext-1"}},
					UserStatus:      "ENABLED",
					CreatedAt:       awsproto.NewTime(created),
					Extensions:      map[string]awsproto.Document{"aws:identitystore:enterprise": awsproto.Document(`{"employeeNumber":"42"}`)},
				}, nil
			}).WithResource(func(_ context.Context, in *ids.DescribeUserRequest) string {
				return "arn:aws:identitystore::123456789012:identitystore/" + in.IdentityStoreId
			}),
			"CreateUser": awsproto.Op(func(ctx context.Context, in *ids.CreateUserRequest) (*ids.CreateUserResponse, error) {
				return &ids.CreateUserResponse{IdentityStoreId: in.IdentityStoreId, UserId: "11111111-1111-1111-1111-111111111111"}, nil
			}),
			"GetUserId": awsproto.Op(func(ctx context.Context, in *ids.GetUserIdRequest) (*ids.GetUserIdResponse, error) {
				ua := in.AlternateIdentifier.UniqueAttribute
				if ua == nil || ua.AttributePath != "userName" || string(ua.AttributeValue) != `"alice"` {
					return nil, &awsproto.Error{Code: "ResourceNotFoundException", Message: "no match"}
				}
				return &ids.GetUserIdResponse{IdentityStoreId: in.IdentityStoreId, UserId: "22222222-2222-2222-2222-222222222222"}, nil
			}),
		},
	}
	if authz != nil {
		svc.Authorizer = authz
	}
	return svc
}

func serve(svc *awsproto.Service) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 0, 512)
		buf := make([]byte, 4096)
		for {
			n, err := r.Body.Read(buf)
			body = append(body, buf[:n]...)
			if err != nil {
				break
			}
		}
		svc.Serve(w, r, body)
	}))
}

func identityClient(t *testing.T, url string) *identitystore.Client {
	t.Helper()
	t.Setenv("AWS_CA_BUNDLE", "")
	return identitystore.New(identitystore.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials:  aws.AnonymousCredentials{},
		Retryer:      aws.NopRetryer{},
	})
}

func TestIdentityStoreRoundTrip(t *testing.T) {
	authz := &recordingAuthorizer{}
	srv := serve(identityStoreService(authz))
	defer srv.Close()
	c := identityClient(t, srv.URL)
	ctx := context.Background()

	out, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String("12345678-1234-1234-1234-123456789012")})
	if err != nil {
		t.Fatalf("DescribeUser: %v", err)
	}
	if aws.ToString(out.UserName) != "alice" || aws.ToString(out.Name.GivenName) != "Alice" || len(out.Emails) != 1 ||
		aws.ToString(out.Emails[0].Value) != "alice@example.com" || !out.Emails[0].Primary || out.UserStatus != types.UserStatusEnabled {
		t.Errorf("unexpected user: %+v", out)
	}
	if out.CreatedAt == nil || !out.CreatedAt.Equal(created) {
		t.Errorf("CreatedAt = %v, want %v", out.CreatedAt, created)
	}
	ext, ok := out.Extensions["aws:identitystore:enterprise"]
	if !ok {
		t.Fatalf("extension missing: %+v", out.Extensions)
	}
	var got map[string]string
	if err := ext.UnmarshalSmithyDocument(&got); err != nil || got["employeeNumber"] != "42" {
		t.Errorf("extension = %v (%v)", got, err)
	}
	if len(authz.calls) != 1 || authz.calls[0] != "identitystore:DescribeUser arn:aws:identitystore::123456789012:identitystore/"+storeID {
		t.Errorf("authorizer calls = %q", authz.calls)
	}

	// Union + document input.
	gid, err := c.GetUserId(ctx, &identitystore.GetUserIdInput{
		IdentityStoreId: aws.String(storeID),
		AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{Value: types.UniqueAttribute{
			AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("alice"),
		}},
	})
	if err != nil || aws.ToString(gid.UserId) != "22222222-2222-2222-2222-222222222222" {
		t.Fatalf("GetUserId = %+v, %v", gid, err)
	}
}

func TestIdentityStoreErrors(t *testing.T) {
	authz := &recordingAuthorizer{deny: "identitystore:CreateUser"}
	srv := serve(identityStoreService(authz))
	defer srv.Close()
	c := identityClient(t, srv.URL)
	ctx := context.Background()

	_, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String("99999999-9999-9999-9999-999999999999")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("want ResourceNotFoundException, got %T %v", err, err)
	}
	if nf.ResourceType != types.ResourceTypeUser || aws.ToString(nf.ResourceId) != "99999999-9999-9999-9999-999999999999" ||
		aws.ToString(nf.Message) != "User not found" || aws.ToString(nf.RequestId) == "" {
		t.Errorf("ResourceNotFoundException = %+v", nf)
	}

	tests := []struct {
		name string
		in   *identitystore.DescribeUserInput
		want string
	}{
		{"too long and bad pattern", &identitystore.DescribeUserInput{IdentityStoreId: aws.String("d-" + strings.Repeat("a", 40)), UserId: aws.String("12345678-1234-1234-1234-123456789012")},
			"2 validation errors detected: Value 'd-" + strings.Repeat("a", 40) + "' at 'identityStoreId' failed to satisfy constraint: Member must have length less than or equal to 36; Value 'd-" + strings.Repeat("a", 40) + "' at 'identityStoreId' failed to satisfy constraint: Member must satisfy regular expression pattern: d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"},
		{"bad user id", &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String("nope")},
			"1 validation error detected: Value 'nope' at 'userId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.DescribeUser(ctx, tt.in)
			var ve *types.ValidationException
			if !errors.As(err, &ve) {
				t.Fatalf("want ValidationException, got %T %v", err, err)
			}
			if aws.ToString(ve.Message) != tt.want {
				t.Errorf("message\n got %q\nwant %q", aws.ToString(ve.Message), tt.want)
			}
		})
	}

	// Sensitive members do not echo their value; nested list paths.
	_, err = c.CreateUser(ctx, &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(storeID),
		UserName:        aws.String(strings.Repeat("x", 129)),
		Emails:          []types.Email{{Value: aws.String("")}, {Value: aws.String("b@example.com")}},
	})
	var ve *types.ValidationException
	if !errors.As(err, &ve) {
		t.Fatalf("CreateUser: want ValidationException, got %T %v", err, err)
	}
	for _, want := range []string{
		"Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 128",
		"at 'emails' failed to satisfy constraint: Member must have length less than or equal to 1",
	} {
		if !strings.Contains(aws.ToString(ve.Message), want) {
			t.Errorf("message %q lacks %q", aws.ToString(ve.Message), want)
		}
	}

	// Denied by the authorizer (after validation).
	_, err = c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(storeID), UserName: aws.String("bob")})
	var ad *types.AccessDeniedException
	if !errors.As(err, &ad) || !strings.Contains(aws.ToString(ad.Message), "identitystore:CreateUser") {
		t.Errorf("want AccessDeniedException, got %T %v", err, err)
	}

	// A plain error is an internal failure without the cause.
	_, err = c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(storeID), UserId: aws.String("00000000-0000-0000-0000-000000000500")})
	var ie *types.InternalServerException
	if !errors.As(err, &ie) || strings.Contains(err.Error(), "exploded") {
		t.Errorf("want InternalServerException without internals, got %T %v", err, err)
	}
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() != 500 {
		t.Errorf("status: %v", err)
	}
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "InternalServerException" {
		t.Errorf("code: %v", err)
	}
}

func TestMissing(t *testing.T) {
	svc := identityStoreService(nil)
	missing := svc.Missing()
	if len(missing) != len(ids.Model.Operations)-3 {
		t.Errorf("Missing() = %v", missing)
	}
	for _, m := range missing {
		if m == "DescribeUser" || m == "CreateUser" || m == "GetUserId" {
			t.Errorf("Missing() lists handled op %s", m)
		}
	}
	if err := svc.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	bad := &awsproto.Service{Model: ids.Model, Handlers: map[string]awsproto.Handler{
		"DescribeUser": awsproto.Op(func(context.Context, *ids.CreateUserRequest) (*ids.DescribeUserResponse, error) { return nil, nil }),
		"NoSuchOp":     awsproto.Op(func(context.Context, *struct{}) (*struct{}, error) { return nil, nil }),
	}}
	if err := bad.Check(); err == nil || !strings.Contains(err.Error(), "DescribeUser input") || !strings.Contains(err.Error(), "NoSuchOp") {
		t.Errorf("Check on bad service = %v", err)
	}
}

func TestTimeJSON(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		out  string
	}{
		{`1700000000`, time.Unix(1700000000, 0), `1700000000`},
		{`1700000000.25`, time.Unix(1700000000, 250_000_000), `1700000000.25`},
		{`"2024-01-02T03:04:05Z"`, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), `1704164645`},
	}
	for _, tt := range tests {
		var tm awsproto.Time
		if err := json.Unmarshal([]byte(tt.in), &tm); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if !tm.Equal(tt.want) {
			t.Errorf("%s: got %v want %v", tt.in, tm.Time, tt.want)
		}
		b, _ := json.Marshal(tm)
		if string(b) != tt.out {
			t.Errorf("%s: marshal %s want %s", tt.in, b, tt.out)
		}
	}
	var tm awsproto.Time
	if err := json.Unmarshal([]byte(`"yesterday"`), &tm); err == nil {
		t.Error("bad timestamp accepted")
	}
}
