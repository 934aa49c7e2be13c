package awsproto_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	oidcfx "github.com/idcenter/idcenter/internal/api/ssooidc"
	portal "github.com/idcenter/idcenter/internal/api/ssoportal"
)

func TestSSOPortalRestJSON(t *testing.T) {
	var logouts []string
	svc := &awsproto.Service{Model: portal.Model, IAMPrefix: "sso", Handlers: map[string]awsproto.Handler{
		"ListAccountRoles": awsproto.Op(func(ctx context.Context, in *portal.ListAccountRolesRequest) (*portal.ListAccountRolesResponse, error) {
			if in.AccessToken != "tok" {
				return nil, &awsproto.Error{Code: "UnauthorizedException", Message: "Session token not found or invalid"}
			}
			return &portal.ListAccountRolesResponse{
				NextToken: in.NextToken + "-next",
				RoleList:  []portal.RoleInfo{{RoleName: "Admin", AccountId: in.AccountId}, {RoleName: "ReadOnly", AccountId: in.AccountId}},
			}, nil
		}),
		"GetRoleCredentials": awsproto.Op(func(ctx context.Context, in *portal.GetRoleCredentialsRequest) (*portal.GetRoleCredentialsResponse, error) {
			return &portal.GetRoleCredentialsResponse{RoleCredentials: &portal.RoleCredentials{
				AccessKeyId: "ASIAX", SecretAccessKey: "secret", SessionToken: "session", Expiration: aws.Int64(1893456000000),
			}}, nil
		}),
		"Logout": awsproto.Op(func(ctx context.Context, in *portal.LogoutRequest) (*struct{}, error) {
			logouts = append(logouts, in.AccessToken)
			return nil, nil
		}),
	}}
	if err := svc.Check(); err != nil {
		t.Fatal(err)
	}
	srv := serve(svc)
	defer srv.Close()
	t.Setenv("AWS_CA_BUNDLE", "")
	c := sso.New(sso.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Retryer: aws.NopRetryer{}})
	ctx := context.Background()

	out, err := c.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: aws.String("tok"), AccountId: aws.String("123456789012"), MaxResults: aws.Int32(5), NextToken: aws.String("p1")})
	if err != nil {
		t.Fatalf("ListAccountRoles: %v", err)
	}
	if aws.ToString(out.NextToken) != "p1-next" || len(out.RoleList) != 2 || aws.ToString(out.RoleList[1].AccountId) != "123456789012" {
		t.Errorf("ListAccountRoles = %+v", out)
	}
	_, err = c.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: aws.String("bad"), AccountId: aws.String("123456789012")})
	var ue *ssotypes.UnauthorizedException
	if !errors.As(err, &ue) || aws.ToString(ue.Message) != "Session token not found or invalid" {
		t.Errorf("want UnauthorizedException, got %T %v", err, err)
	}
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() != 401 {
		t.Errorf("status: %v", err)
	}
	_, err = c.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: aws.String("tok"), AccountId: aws.String("1"), MaxResults: aws.Int32(0)})
	var ire *ssotypes.InvalidRequestException
	if !errors.As(err, &ire) || aws.ToString(ire.Message) != "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1" {
		t.Errorf("want InvalidRequestException, got %T %v", err, err)
	}

	creds, err := c.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: aws.String("tok"), AccountId: aws.String("123456789012"), RoleName: aws.String("Admin")})
	if err != nil || aws.ToString(creds.RoleCredentials.AccessKeyId) != "ASIAX" || creds.RoleCredentials.Expiration != 1893456000000 {
		t.Fatalf("GetRoleCredentials = %+v, %v", creds, err)
	}
	if _, err := c.Logout(ctx, &sso.LogoutInput{AccessToken: aws.String("tok")}); err != nil || len(logouts) != 1 || logouts[0] != "tok" {
		t.Errorf("Logout: %v %v", err, logouts)
	}
}

func TestSSOOIDCRestJSON(t *testing.T) {
	svc := &awsproto.Service{Model: oidcfx.Model, IAMPrefix: "sso-oauth", Handlers: map[string]awsproto.Handler{
		"RegisterClient": awsproto.Op(func(ctx context.Context, in *oidcfx.RegisterClientRequest) (*oidcfx.RegisterClientResponse, error) {
			return &oidcfx.RegisterClientResponse{ClientId: "cid-" + in.ClientName, ClientSecret: "sec", ClientIdIssuedAt: aws.Int64(1700000000), ClientSecretExpiresAt: aws.Int64(1800000000)}, nil
		}),
		"CreateToken": awsproto.Op(func(ctx context.Context, in *oidcfx.CreateTokenRequest) (*oidcfx.CreateTokenResponse, error) {
			return nil, &awsproto.Error{Code: "AuthorizationPendingException", Fields: map[string]any{"error": "authorization_pending", "error_description": "pending " + in.GrantType}}
		}),
	}}
	srv := serve(svc)
	defer srv.Close()
	t.Setenv("AWS_CA_BUNDLE", "")
	c := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Retryer: aws.NopRetryer{}})
	ctx := context.Background()
	rc, err := c.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("probe"), ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	if err != nil || aws.ToString(rc.ClientId) != "cid-probe" || rc.ClientSecretExpiresAt != 1800000000 {
		t.Fatalf("RegisterClient = %+v, %v", rc, err)
	}
	_, err = c.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: aws.String("c"), ClientSecret: aws.String("s"), GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"), DeviceCode: aws.String("d")})
	var ape *oidctypes.AuthorizationPendingException
	if !errors.As(err, &ape) || aws.ToString(ape.Error_) != "authorization_pending" || aws.ToString(ape.Error_description) != "pending urn:ietf:params:oauth:grant-type:device_code" {
		t.Errorf("want AuthorizationPendingException, got %T %v", err, err)
	}
}
