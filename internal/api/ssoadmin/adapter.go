package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/api/apierr"
	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/access"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Adapter serves the sso-admin API from the access core.
type Adapter struct {
	Core *access.Service
	errs apierr.Table
}

// errorCodes maps core faults to sso-admin's modelled errors.
var errorCodes = map[fault.Kind]string{
	fault.NotFound:      "ResourceNotFoundException",
	fault.Conflict:      "ConflictException",
	fault.Validation:    "ValidationException",
	fault.QuotaExceeded: "ServiceQuotaExceededException",
	fault.AccessDenied:  "AccessDeniedException",
}

// Service builds the model-driven service for the router.
func (a *Adapter) Service(authz awsproto.Authorizer) *awsproto.Service {
	a.errs = apierr.Table{Model: Model, Codes: errorCodes}
	return &awsproto.Service{
		Model:      Model,
		IAMPrefix:  "sso",
		Authorizer: authz,
		Handlers: map[string]awsproto.Handler{
			"ListInstances": awsproto.Op(a.listInstances).WithResource(func(context.Context, *ListInstancesRequest) string { return "arn:aws:sso:::instance/*" }),
			"DescribeInstance": awsproto.Op(a.describeInstance).WithResource(func(_ context.Context, in *DescribeInstanceRequest) string {
				return in.InstanceArn
			}),
		},
	}
}

func (a *Adapter) listInstances(ctx context.Context, in *ListInstancesRequest) (*ListInstancesResponse, error) {
	max := 0
	if in.MaxResults != nil {
		max = int(*in.MaxResults)
	}
	ins, next, err := a.Core.ListInstances(ctx, max, in.NextToken)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	out := &ListInstancesResponse{NextToken: next}
	for _, i := range ins {
		out.Instances = append(out.Instances, instanceOut(i))
	}
	return out, nil
}

func (a *Adapter) describeInstance(ctx context.Context, in *DescribeInstanceRequest) (*DescribeInstanceResponse, error) {
	i, err := a.Core.DescribeInstance(ctx, in.InstanceArn)
	if err != nil {
		return nil, a.errs.Map(err)
	}
	m := instanceOut(i)
	return &DescribeInstanceResponse{
		InstanceArn: m.InstanceArn, IdentityStoreId: m.IdentityStoreId, OwnerAccountId: m.OwnerAccountId,
		Name: m.Name, CreatedDate: m.CreatedDate, Status: m.Status,
		EncryptionConfigurationDetails: &EncryptionConfigurationDetails{KeyType: "AWS_OWNED_KMS_KEY", EncryptionStatus: "ENABLED"},
	}, nil
}

func instanceOut(i store.Instance) InstanceMetadata {
	created := awsproto.Time{Time: i.CreatedAt}
	return InstanceMetadata{
		InstanceArn:     i.ARN,
		IdentityStoreId: i.IdentityStoreID,
		OwnerAccountId:  i.OwnerAccountID,
		Name:            i.Name,
		CreatedDate:     &created,
		Status:          i.Status,
	}
}
