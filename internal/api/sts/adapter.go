package sts

import (
	"context"
	"net/http"

	"github.com/idcenter/idcenter/internal/api/apierr"
	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/credentials"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Adapter serves the STS API.
type Adapter struct {
	Core *credentials.Service
}

// Service builds the model-driven service for the router. sts:AssumeRole is
// decided by the core, which evaluates the role's trust policy (a resource
// policy the generic authorisation point does not know) together with the
// caller's policies through the same authorizer.
func (a *Adapter) Service(az awsproto.Authorizer) *awsproto.Service {
	var decider awsproto.Authorizer
	if az != nil {
		decider = trustDecidesAssumeRole{az}
	}
	svc := &awsproto.Service{
		Model:      Model,
		IAMPrefix:  "sts",
		Authorizer: decider,
		Handlers: map[string]awsproto.Handler{
			"GetCallerIdentity":  awsproto.Op(a.getCallerIdentity).WithResource(anyResource[GetCallerIdentityRequest]),
			"AssumeRole":         awsproto.Op(a.assumeRole).WithResource(func(_ context.Context, in *AssumeRoleRequest) string { return in.RoleArn }),
			"GetSessionToken":    awsproto.Op(a.getSessionToken).WithResource(anyResource[GetSessionTokenRequest]),
			"GetFederationToken": awsproto.Op(a.getFederationToken).WithResource(federatedUserARN),
			"GetAccessKeyInfo":   awsproto.Op(a.getAccessKeyInfo).WithResource(anyResource[GetAccessKeyInfoRequest]),
		},
	}
	for name, h := range a.federationHandlers() { // adapter_federation.go
		svc.Handlers[name] = h
	}
	for name, h := range a.delegatedHandlers() { // adapter_delegated.go
		svc.Handlers[name] = h
	}
	return svc
}

// trustDecidesAssumeRole passes every decision to the authorizer but
// sts:AssumeRole's (the trust policy), sts:AssumeRoot's (the member's root
// and the task policy) and sts:GetWebIdentityToken's (its condition keys),
// which the core makes through the same authorizer.
type trustDecidesAssumeRole struct{ next awsproto.Authorizer }

func (t trustDecidesAssumeRole) Authorize(ctx context.Context, action, resource string) error {
	switch action {
	case "sts:AssumeRole", "sts:AssumeRoot", "sts:GetWebIdentityToken": // decided in the core (adapter_federation.go)
		return nil
	}
	return t.next.Authorize(ctx, action, resource)
}

func federatedUserARN(ctx context.Context, in *GetFederationTokenRequest) string {
	p, ok := authn.PrincipalFrom(ctx)
	if !ok {
		return "*"
	}
	return "arn:aws:sts::" + p.AccountID + ":federated-user/" + in.Name
}

// errorCodes maps fault kinds to STS's query error codes when the fault
// carries no Reason of its own.
var errorCodes = map[fault.Kind]string{
	fault.Validation:   "ValidationError",
	fault.AccessDenied: "AccessDenied",
	fault.NotFound:     "AccessDenied",
}

func mapErr(err error) error {
	if err == nil {
		return nil
	}
	codes := errorCodes
	if fe := fault.As(err); fe != nil && fe.Reason != "" {
		codes = map[fault.Kind]string{fe.Kind: fe.Reason}
	}
	return apierr.Table{Model: Model, Codes: codes}.Map(err)
}

func missingAuth() error {
	return &awsproto.Error{Code: "MissingAuthenticationToken", Status: http.StatusForbidden, Message: "Request is missing Authentication Token"}
}

// caller is the authorisation view of the request's principal.
func caller(ctx context.Context) (authz.Caller, bool) {
	p, ok := authn.PrincipalFrom(ctx)
	if !ok {
		return authz.Caller{}, false
	}
	return authz.Caller{AccountID: p.AccountID, ARN: p.ARN, Type: p.Type, UserID: p.UserID, UserName: p.UserName,
		AccessKeyID: p.AccessKeyID, SourceIP: p.SourceIP, MFAPresent: p.MFAPresent, MFAAuthTime: p.MFAAuthTime, Region: p.Region}, true
}

func (a *Adapter) getCallerIdentity(ctx context.Context, _ *GetCallerIdentityRequest) (*GetCallerIdentityResponse, error) {
	p, ok := authn.PrincipalFrom(ctx)
	if !ok {
		return nil, missingAuth()
	}
	return &GetCallerIdentityResponse{UserId: p.UserID, Account: p.AccountID, Arn: p.ARN}, nil
}

func policyARNs(in []PolicyDescriptorType) []string {
	var out []string
	for _, p := range in {
		out = append(out, p.Arn)
	}
	return out
}

func tags(in []Tag) []store.Tag {
	var out []store.Tag
	for _, t := range in {
		out = append(out, store.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func seconds(d *int32) int {
	if d == nil {
		return 0
	}
	return int(*d)
}

func credentialsOut(c credentials.Credentials) *Credentials {
	return &Credentials{AccessKeyId: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Expiration: awsproto.NewTime(c.Expiration)}
}

func packedSize(n int) *int32 {
	if n < 0 {
		return nil
	}
	v := int32(n)
	return &v
}

func (a *Adapter) assumeRole(ctx context.Context, in *AssumeRoleRequest) (*AssumeRoleResponse, error) {
	c, ok := caller(ctx)
	if !ok {
		return nil, missingAuth()
	}
	out, err := a.Core.AssumeRole(ctx, c, credentials.AssumeRoleInput{
		RoleARN: in.RoleArn, RoleSessionName: in.RoleSessionName, DurationSeconds: seconds(in.DurationSeconds),
		ExternalID: in.ExternalId, SessionPolicies: credentials.SessionPolicies{Policy: in.Policy, PolicyARNs: policyARNs(in.PolicyArns)},
		Tags: tags(in.Tags), TransitiveTagKeys: in.TransitiveTagKeys, SourceIdentity: in.SourceIdentity,
		SerialNumber: in.SerialNumber, TokenCode: in.TokenCode,
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return &AssumeRoleResponse{
		Credentials:      credentialsOut(out.Credentials),
		AssumedRoleUser:  &AssumedRoleUser{Arn: out.ARN, AssumedRoleId: out.ID},
		PackedPolicySize: packedSize(out.PackedPolicySize),
		SourceIdentity:   out.SourceIdentity,
	}, nil
}

func (a *Adapter) getSessionToken(ctx context.Context, in *GetSessionTokenRequest) (*GetSessionTokenResponse, error) {
	c, ok := caller(ctx)
	if !ok {
		return nil, missingAuth()
	}
	creds, err := a.Core.GetSessionToken(ctx, c, seconds(in.DurationSeconds), in.SerialNumber, in.TokenCode)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetSessionTokenResponse{Credentials: credentialsOut(creds)}, nil
}

func (a *Adapter) getFederationToken(ctx context.Context, in *GetFederationTokenRequest) (*GetFederationTokenResponse, error) {
	c, ok := caller(ctx)
	if !ok {
		return nil, missingAuth()
	}
	out, err := a.Core.GetFederationToken(ctx, c, in.Name, seconds(in.DurationSeconds),
		credentials.SessionPolicies{Policy: in.Policy, PolicyARNs: policyARNs(in.PolicyArns)}, tags(in.Tags))
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetFederationTokenResponse{
		Credentials:      credentialsOut(out.Credentials),
		FederatedUser:    &FederatedUser{Arn: out.ARN, FederatedUserId: out.ID},
		PackedPolicySize: packedSize(out.PackedPolicySize),
	}, nil
}

func (a *Adapter) getAccessKeyInfo(ctx context.Context, in *GetAccessKeyInfoRequest) (*GetAccessKeyInfoResponse, error) {
	acct, err := a.Core.GetAccessKeyInfo(ctx, in.AccessKeyId)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetAccessKeyInfoResponse{Account: acct}, nil
}
