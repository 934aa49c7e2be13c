package awsproto_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	iamfx "github.com/idcenter/idcenter/internal/api/iam"
	stsfx "github.com/idcenter/idcenter/internal/api/sts"
)

func iamService(seen *iamfx.CreateUserRequest) *awsproto.Service {
	return &awsproto.Service{
		Model:     iamfx.Model,
		IAMPrefix: "iam",
		Handlers: map[string]awsproto.Handler{
			"ListUsers": awsproto.Op(func(ctx context.Context, in *iamfx.ListUsersRequest) (*iamfx.ListUsersResponse, error) {
				if in.PathPrefix != "/eng/" || aws.ToInt32(in.MaxItems) != 10 {
					return nil, &awsproto.Error{Code: "InvalidInput", Message: "unexpected input"}
				}
				return &iamfx.ListUsersResponse{
					Users: []iamfx.User{
						{Path: "/eng/", UserName: "alice", UserId: "AIDAEXAMPLE1", Arn: "arn:aws:iam::123456789012:user/eng/alice", CreateDate: awsproto.NewTime(created),
							Tags: []iamfx.Tag{{Key: "team", Value: "a&b <c>"}}},
						{Path: "/eng/", UserName: "bob", UserId: "AIDAEXAMPLE2", Arn: "arn:aws:iam::123456789012:user/eng/bob", CreateDate: awsproto.NewTime(created)},
					},
					IsTruncated: aws.Bool(false),
				}, nil
			}),
			"CreateUser": awsproto.Op(func(ctx context.Context, in *iamfx.CreateUserRequest) (*iamfx.CreateUserResponse, error) {
				*seen = *in
				return &iamfx.CreateUserResponse{User: &iamfx.User{Path: "/", UserName: in.UserName, UserId: "AIDAX", Arn: "arn:aws:iam::123456789012:user/" + in.UserName, CreateDate: awsproto.NewTime(created)}}, nil
			}),
			"GetUser": awsproto.Op(func(ctx context.Context, in *iamfx.GetUserRequest) (*iamfx.GetUserResponse, error) {
				return nil, &awsproto.Error{Code: "NoSuchEntityException", Message: "The user with name " + in.UserName + " cannot be found."}
			}),
			"ListPolicies": awsproto.Op(func(ctx context.Context, in *iamfx.ListPoliciesRequest) (*iamfx.ListPoliciesResponse, error) {
				return &iamfx.ListPoliciesResponse{}, nil
			}),
			"DeleteUser": awsproto.Op(func(ctx context.Context, in *iamfx.DeleteUserRequest) (*struct{}, error) {
				return nil, &awsproto.Error{Code: "DeleteConflict", Message: "must detach policies first"}
			}),
		},
	}
}

func iamClient(t *testing.T, url string) *iam.Client {
	t.Setenv("AWS_CA_BUNDLE", "")
	return iam.New(iam.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Credentials: aws.AnonymousCredentials{}, Retryer: aws.NopRetryer{}})
}

func TestIAMQueryRoundTrip(t *testing.T) {
	var seen iamfx.CreateUserRequest
	srv := serve(iamService(&seen))
	defer srv.Close()
	c := iamClient(t, srv.URL)
	ctx := context.Background()

	out, err := c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/eng/"), MaxItems: aws.Int32(10)})
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	if len(out.Users) != 2 || aws.ToString(out.Users[0].UserName) != "alice" || out.IsTruncated {
		t.Fatalf("ListUsers = %+v", out)
	}
	if !out.Users[1].CreateDate.Equal(created) {
		t.Errorf("CreateDate = %v", out.Users[1].CreateDate)
	}
	if len(out.Users[0].Tags) != 1 || aws.ToString(out.Users[0].Tags[0].Value) != "a&b <c>" {
		t.Errorf("Tags = %+v", out.Users[0].Tags)
	}

	cu, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol"), Tags: []iamtypes.Tag{
		{Key: aws.String("k1"), Value: aws.String("v1")}, {Key: aws.String("k2"), Value: aws.String("")},
	}})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if aws.ToString(cu.User.UserName) != "carol" || seen.UserName != "carol" || len(seen.Tags) != 2 || seen.Tags[1].Key != "k2" {
		t.Errorf("CreateUser out=%+v seen=%+v", cu.User, seen)
	}

	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	var nse *iamtypes.NoSuchEntityException
	if !errors.As(err, &nse) || !strings.Contains(aws.ToString(nse.Message), "nobody") {
		t.Errorf("GetUser: want NoSuchEntityException, got %T %v", err, err)
	}
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() != 404 {
		t.Errorf("GetUser status from model: %v", err)
	}

	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("carol")})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "DeleteConflict" || api.ErrorFault() != smithy.FaultClient {
		t.Errorf("DeleteUser: %T %v", err, err)
	}
	if !errors.As(err, &re) || re.HTTPStatusCode() != 409 {
		t.Errorf("DeleteUser status: %v", err)
	}

	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(strings.Repeat("u", 65))})
	if !errors.As(err, &api) || api.ErrorCode() != "ValidationError" ||
		api.ErrorMessage() != "1 validation error detected: Value '"+strings.Repeat("u", 65)+"' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64" {
		t.Errorf("CreateUser validation: %v", err)
	}
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(0)})
	if !errors.As(err, &api) || api.ErrorCode() != "ValidationError" || !strings.Contains(api.ErrorMessage(), "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1") {
		t.Errorf("ListUsers validation: %v", err)
	}
}

func TestSTSQuery(t *testing.T) {
	svc := &awsproto.Service{Model: stsfx.Model, IAMPrefix: "sts", Handlers: map[string]awsproto.Handler{
		"GetCallerIdentity": awsproto.Op(func(ctx context.Context, in *stsfx.GetCallerIdentityRequest) (*stsfx.GetCallerIdentityResponse, error) {
			return &stsfx.GetCallerIdentityResponse{UserId: "AIDAX", Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/alice"}, nil
		}),
		"AssumeRole": awsproto.Op(func(ctx context.Context, in *stsfx.AssumeRoleRequest) (*stsfx.AssumeRoleResponse, error) {
			exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
			return &stsfx.AssumeRoleResponse{
				Credentials:      &stsfx.Credentials{AccessKeyId: "ASIAX", SecretAccessKey: "s", SessionToken: "t", Expiration: awsproto.NewTime(exp)},
				AssumedRoleUser:  &stsfx.AssumedRoleUser{AssumedRoleId: "AROAX:" + in.RoleSessionName, Arn: "arn:aws:sts::123456789012:assumed-role/r/" + in.RoleSessionName},
				PackedPolicySize: aws.Int32(int32(aws.ToInt32(in.DurationSeconds) / 100)),
			}, nil
		}),
	}}
	srv := serve(svc)
	defer srv.Close()
	t.Setenv("AWS_CA_BUNDLE", "")
	c := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{}, Retryer: aws.NopRetryer{}})
	ctx := context.Background()
	id, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Account) != "123456789012" {
		t.Fatalf("GetCallerIdentity = %+v, %v", id, err)
	}
	ar, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), RoleSessionName: aws.String("sess"), DurationSeconds: aws.Int32(3600)})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	if aws.ToString(ar.AssumedRoleUser.AssumedRoleId) != "AROAX:sess" || !ar.Credentials.Expiration.Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) || aws.ToInt32(ar.PackedPolicySize) != 36 {
		t.Errorf("AssumeRole = %+v %+v", ar.AssumedRoleUser, ar.Credentials)
	}
	_, err = c.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "InvalidAction" {
		t.Errorf("unhandled op: %v", err)
	}
}
