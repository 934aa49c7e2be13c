package ssoadmin

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/core/fault"
)

// instanceHandlers serves CreateInstance and DeleteInstance. CreateInstance's
// resource is the instance wildcard of the calling account (the instance does
// not exist yet); DeleteInstance's is the instance.
func (a *Adapter) instanceHandlers() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"CreateInstance": awsproto.Op(a.createInstance).WithResource(func(context.Context, *CreateInstanceRequest) string {
			return "arn:aws:sso:::instance/*"
		}),
		"DeleteInstance": awsproto.Op(a.deleteInstance).WithResource(func(_ context.Context, in *DeleteInstanceRequest) string {
			return in.InstanceArn
		}),
	}
}

// caller is the authenticated principal's account and SigV4 region.
func caller(ctx context.Context) (account, region string) {
	if p, ok := authn.PrincipalFrom(ctx); ok {
		return p.AccountID, p.Region
	}
	return "", ""
}

func (a *Adapter) createInstance(ctx context.Context, in *CreateInstanceRequest) (*CreateInstanceResponse, error) {
	acct, region := caller(ctx)
	i, err := a.Core.CreateInstance(ctx, access.NewInstance{OwnerAccountID: acct, Region: region, Name: in.Name, Tags: tagsIn(in.Tags), ClientToken: in.ClientToken})
	if err != nil {
		return nil, a.errs.Map(err)
	}
	return &CreateInstanceResponse{InstanceArn: i.ARN}, nil
}

func (a *Adapter) deleteInstance(ctx context.Context, in *DeleteInstanceRequest) (*DeleteInstanceResponse, error) {
	acct, _ := caller(ctx)
	if err := a.Core.DeleteInstance(ctx, acct, in.InstanceArn); err != nil {
		return nil, a.errs.Map(err)
	}
	return &DeleteInstanceResponse{}, nil
}

// guarded runs the delegated-administrator check of the access core before
// h: a caller from another account than the instance's owner (which the
// authorisation point let through as the delegated administrator) may not
// manage permission sets provisioned to the management account nor account
// assignments in it. The instance, permission set and target account are the
// input's InstanceArn, PermissionSetArn (or a permission set ResourceArn) and
// TargetId.
func guarded[In, Out any](a *Adapter, h func(context.Context, *In) (*Out, error)) func(context.Context, *In) (*Out, error) {
	return func(ctx context.Context, in *In) (*Out, error) {
		acct, _ := caller(ctx)
		v := reflect.ValueOf(in).Elem()
		field := func(name string) string {
			if f := v.FieldByName(name); f.IsValid() && f.Kind() == reflect.String {
				return f.String()
			}
			return ""
		}
		ps := field("PermissionSetArn")
		if r := field("ResourceArn"); ps == "" && strings.Contains(r, ":permissionSet/") {
			ps = r
		}
		if err := a.Core.CheckDelegatedAdministration(ctx, acct, field("InstanceArn"), ps, field("TargetId")); err != nil {
			if fe := fault.As(err); fe != nil && fe.Kind == fault.AccessDenied && fe.ResourceID != "" {
				// AWS words it as any denial of the action on that resource.
				if p, ok := authn.PrincipalFrom(ctx); ok {
					err = &fault.Error{Kind: fault.AccessDenied, Message: fmt.Sprintf("User: %s is not authorized to perform: sso:%s on resource: %s",
						p.ARN, awsproto.OperationName(ctx), fe.ResourceID)}
				}
			}
			return nil, a.errs.Map(err)
		}
		return h(ctx, in)
	}
}

// orgInstanceOnly runs the access core's organization-instance check before h
// (CreatePermissionSet: account instances have no permission sets).
func orgInstanceOnly[In, Out any](a *Adapter, h func(context.Context, *In) (*Out, error), instance func(*In) string) func(context.Context, *In) (*Out, error) {
	return func(ctx context.Context, in *In) (*Out, error) {
		if err := a.Core.CheckOrganizationInstance(ctx, instance(in)); err != nil {
			return nil, a.errs.Map(err)
		}
		return h(ctx, in)
	}
}
