package organizations

import (
	"context"
	"fmt"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/org"
	"github.com/idcenter/idcenter/internal/store"
)

// Adapter serves the Organizations API from the org core.
type Adapter struct {
	Core *org.Service
	// ManagementAccountID is used in resource ARNs.
	ManagementAccountID string
}

// Service builds the model-driven service for the router.
func (a *Adapter) Service(authz awsproto.Authorizer) *awsproto.Service {
	return &awsproto.Service{
		Model:      Model,
		IAMPrefix:  "organizations",
		Authorizer: authz,
		Handlers: map[string]awsproto.Handler{
			"DescribeOrganization": awsproto.Op(a.describeOrganization),
			"ListAccounts":         awsproto.Op(a.listAccounts),
			"DescribeAccount": awsproto.Op(a.describeAccount).WithResource(func(ctx context.Context, in *DescribeAccountRequest) string {
				return a.accountARN(ctx, in.AccountId)
			}),
		},
	}
}

func (a *Adapter) accountARN(ctx context.Context, id string) string {
	o, err := a.Core.DescribeOrganization(ctx)
	if err != nil {
		return "*"
	}
	return fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", o.ManagementAccountID, o.ID, id)
}

// mapErr turns core faults into Organizations' errors: which "not found"
// exception depends on the resource.
func mapErr(err error) error {
	fe := fault.As(err)
	if fe == nil {
		return err
	}
	switch fe.Kind {
	case fault.NotFound:
		switch fe.ResourceType {
		case "ORGANIZATION":
			return &awsproto.Error{Code: "AWSOrganizationsNotInUseException", Status: 400, Message: fe.Message}
		case "ACCOUNT":
			return &awsproto.Error{Code: "AccountNotFoundException", Status: 400, Message: fe.Message}
		}
		return &awsproto.Error{Code: "TargetNotFoundException", Status: 400, Message: fe.Message}
	case fault.Validation:
		return &awsproto.Error{Code: "InvalidInputException", Status: 400, Message: fe.Message, Fields: map[string]any{"Reason": "INVALID_INPUT"}}
	case fault.AccessDenied:
		return &awsproto.Error{Code: "AccessDeniedException", Status: 400, Message: fe.Message}
	case fault.Conflict:
		return &awsproto.Error{Code: "ConcurrentModificationException", Status: 400, Message: fe.Message}
	}
	return err
}

func (a *Adapter) describeOrganization(ctx context.Context, _ *struct{}) (*DescribeOrganizationResponse, error) {
	o, err := a.Core.DescribeOrganization(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return &DescribeOrganizationResponse{Organization: &Organization{
		Id:                   o.ID,
		Arn:                  o.ARN,
		FeatureSet:           o.FeatureSet,
		MasterAccountArn:     fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", o.ManagementAccountID, o.ID, o.ManagementAccountID),
		MasterAccountId:      o.ManagementAccountID,
		MasterAccountEmail:   o.ManagementEmail,
		AvailablePolicyTypes: []PolicyTypeSummary{{Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED"}},
	}}, nil
}

func (a *Adapter) listAccounts(ctx context.Context, in *ListAccountsRequest) (*ListAccountsResponse, error) {
	max := 0
	if in.MaxResults != nil {
		max = int(*in.MaxResults)
	}
	accts, next, err := a.Core.ListAccounts(ctx, max, in.NextToken)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ListAccountsResponse{NextToken: next}
	for _, acct := range accts {
		out.Accounts = append(out.Accounts, accountOut(acct))
	}
	return out, nil
}

func (a *Adapter) describeAccount(ctx context.Context, in *DescribeAccountRequest) (*DescribeAccountResponse, error) {
	acct, err := a.Core.DescribeAccount(ctx, in.AccountId)
	if err != nil {
		return nil, mapErr(err)
	}
	out := accountOut(acct)
	return &DescribeAccountResponse{Account: &out}, nil
}

func accountOut(a store.Account) Account {
	joined := awsproto.Time{Time: a.JoinedAt}
	return Account{
		Id:              a.ID,
		Arn:             a.ARN,
		Email:           a.Email,
		Name:            a.Name,
		Status:          a.Status,
		State:           a.Status,
		JoinedMethod:    a.JoinedMethod,
		JoinedTimestamp: &joined,
	}
}
