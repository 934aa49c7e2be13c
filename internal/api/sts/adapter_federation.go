package sts

import (
	"context"
	"regexp"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/credentials"
)

// federationHandlers are the handlers of this file, added to Service's
// table. AssumeRoleWithSAML and AssumeRoleWithWebIdentity are unsigned
// (modelled without authentication): the identity provider's signature and
// the role's trust policy decide, in the core.
func (a *Adapter) federationHandlers() map[string]awsproto.Handler {
	role := func(arn string) string { return arn }
	return map[string]awsproto.Handler{
		"AssumeRoleWithSAML": awsproto.Op(a.assumeRoleWithSAML).WithResource(func(_ context.Context, in *AssumeRoleWithSAMLRequest) string {
			return role(in.RoleArn)
		}),
		"AssumeRoot":                 awsproto.Op(a.assumeRoot).WithResource(rootResource),
		"DecodeAuthorizationMessage": awsproto.Op(a.decodeAuthorizationMessage).WithResource(anyResource[DecodeAuthorizationMessageRequest]),
		"GetWebIdentityToken":        awsproto.Op(a.getWebIdentityToken).WithResource(anyResource[GetWebIdentityTokenRequest]),
		"AssumeRoleWithWebIdentity": awsproto.Op(a.assumeRoleWithWebIdentity).WithResource(func(_ context.Context, in *AssumeRoleWithWebIdentityRequest) string {
			return role(in.RoleArn)
		}),
	}
}

func (a *Adapter) assumeRoleWithSAML(ctx context.Context, in *AssumeRoleWithSAMLRequest) (*AssumeRoleWithSAMLResponse, error) {
	out, err := a.Core.AssumeRoleWithSAML(ctx, credentials.SAMLInput{RoleARN: in.RoleArn, PrincipalARN: in.PrincipalArn,
		Assertion: in.SAMLAssertion, DurationSeconds: seconds(in.DurationSeconds),
		SessionPolicies: credentials.SessionPolicies{Policy: in.Policy, PolicyARNs: policyARNs(in.PolicyArns)}})
	if err != nil {
		return nil, mapErr(err)
	}
	return &AssumeRoleWithSAMLResponse{
		Credentials:      credentialsOut(out.Credentials),
		AssumedRoleUser:  &AssumedRoleUser{Arn: out.ARN, AssumedRoleId: out.ID},
		PackedPolicySize: packedSize(out.PackedPolicySize),
		Subject:          out.Subject, SubjectType: out.SubjectType, Issuer: out.Issuer, Audience: out.Audience,
		NameQualifier: out.NameQualifier, SourceIdentity: out.SourceIdentity,
	}, nil
}

func (a *Adapter) assumeRoleWithWebIdentity(ctx context.Context, in *AssumeRoleWithWebIdentityRequest) (*AssumeRoleWithWebIdentityResponse, error) {
	out, err := a.Core.AssumeRoleWithWebIdentity(ctx, credentials.WebIdentityInput{RoleARN: in.RoleArn, RoleSessionName: in.RoleSessionName,
		Token: in.WebIdentityToken, ProviderID: in.ProviderId, DurationSeconds: seconds(in.DurationSeconds),
		SessionPolicies: credentials.SessionPolicies{Policy: in.Policy, PolicyARNs: policyARNs(in.PolicyArns)}})
	if err != nil {
		return nil, mapErr(err)
	}
	return &AssumeRoleWithWebIdentityResponse{
		Credentials:                 credentialsOut(out.Credentials),
		SubjectFromWebIdentityToken: out.Subject,
		AssumedRoleUser:             &AssumedRoleUser{Arn: out.ARN, AssumedRoleId: out.ID},
		PackedPolicySize:            packedSize(out.PackedPolicySize),
		Provider:                    out.Issuer, Audience: out.Audience, SourceIdentity: out.SourceIdentity,
	}, nil
}

// anyResource is the resource of operations the Service Authorization
// Reference lists without a resource type ("*").
func anyResource[In any](context.Context, *In) string { return "*" }

// assumeRoot: sts:AssumeRoot is decided in the core, which evaluates the
// caller's policies on the member account's root with sts:TaskPolicyArn.
func (a *Adapter) assumeRoot(ctx context.Context, in *AssumeRootRequest) (*AssumeRootResponse, error) {
	c, ok := caller(ctx)
	if !ok {
		return nil, missingAuth()
	}
	task := ""
	if in.TaskPolicyArn != nil {
		task = in.TaskPolicyArn.Arn
	}
	out, err := a.Core.AssumeRoot(ctx, c, in.TargetPrincipal, task, seconds(in.DurationSeconds))
	if err != nil {
		return nil, mapErr(err)
	}
	return &AssumeRootResponse{Credentials: credentialsOut(out.Credentials), SourceIdentity: out.SourceIdentity}, nil
}

func rootResource(_ context.Context, in *AssumeRootRequest) string {
	if m := targetRE.FindStringSubmatch(in.TargetPrincipal); m != nil {
		return "arn:aws:iam::" + m[1] + ":root"
	}
	return "*"
}

var targetRE = regexp.MustCompile(`^(?:arn:aws:iam::)?(\d{12})(?::root)?$`)

func (a *Adapter) decodeAuthorizationMessage(ctx context.Context, in *DecodeAuthorizationMessageRequest) (*DecodeAuthorizationMessageResponse, error) {
	msg, err := a.Core.DecodeAuthorizationMessage(ctx, in.EncodedMessage)
	if err != nil {
		return nil, mapErr(err)
	}
	return &DecodeAuthorizationMessageResponse{DecodedMessage: msg}, nil
}

// getWebIdentityToken: sts:GetWebIdentityToken is decided in the core, with
// the audience, algorithm and duration condition keys.
func (a *Adapter) getWebIdentityToken(ctx context.Context, in *GetWebIdentityTokenRequest) (*GetWebIdentityTokenResponse, error) {
	c, ok := caller(ctx)
	if !ok {
		return nil, missingAuth()
	}
	t, err := a.Core.GetWebIdentityToken(ctx, c, in.Audience, seconds(in.DurationSeconds), in.SigningAlgorithm, tags(in.Tags))
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetWebIdentityTokenResponse{WebIdentityToken: t.Token, Expiration: awsproto.NewTime(t.Expiration)}, nil
}
