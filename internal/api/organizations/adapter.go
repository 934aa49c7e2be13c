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
	h := a.handlers()
	for op, handler := range a.lifecycleHandlers() { // adapter_handshakes.go
		h[op] = handler
	}
	for op, handler := range a.resourceHandlers() { // adapter_resources.go: the resources AWS authorises on
		h[op] = handler
	}
	h["DescribeOrganization"] = awsproto.Op(a.describeOrganization)
	h["ListAccounts"] = awsproto.Op(a.listAccounts)
	h["DescribeAccount"] = awsproto.Op(a.describeAccount).WithResource(func(ctx context.Context, in *DescribeAccountRequest) string {
		return a.own(ctx, a.accountARN(ctx, in.AccountId)) // delegated administrators may describe accounts too
	})
	a.addConditionKeys(h) // conditionkeys.go: organizations:PolicyType, organizations:ServicePrincipal
	requireTagging(h)     // tagoncreate.go: organizations:TagResource when a create includes tags
	if authz != nil {
		authz = &gate{next: authz, a: a} // adapter_handshakes.go: management-account operations
	}
	// Organizations reports model constraint violations (patterns, enums,
	// lengths) as InvalidInputException, as AWS does.
	return &awsproto.Service{Model: Model, IAMPrefix: "organizations", Authorizer: authz, Handlers: h, ValidationCode: "InvalidInputException"}
}

func (a *Adapter) accountARN(ctx context.Context, id string) string {
	o, err := a.Core.DescribeOrganization(ctx)
	if err != nil {
		return "*"
	}
	return fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", o.ManagementAccountID, o.ID, id)
}

// notFoundCodes maps a core fault's ResourceType to the "not found" exception.
var notFoundCodes = map[string]string{
	"ORGANIZATION":            "AWSOrganizationsNotInUseException",
	"ACCOUNT":                 "AccountNotFoundException",
	"ORGANIZATIONAL_UNIT":     "OrganizationalUnitNotFoundException",
	"PARENT":                  "ParentNotFoundException",
	"CHILD":                   "ChildNotFoundException",
	"SOURCE_PARENT":           "SourceParentNotFoundException",
	"DESTINATION_PARENT":      "DestinationParentNotFoundException",
	"CREATE_ACCOUNT_STATUS":   "CreateAccountStatusNotFoundException",
	"POLICY":                  "PolicyNotFoundException",
	"TARGET":                  "TargetNotFoundException",
	"ROOT":                    "RootNotFoundException",
	"POLICY_ATTACHMENT":       "PolicyNotAttachedException",
	"POLICY_TYPE":             "PolicyTypeNotEnabledException",
	"DELEGATED_ADMINISTRATOR": "AccountNotRegisteredException",
}

// conflictCodes maps a core conflict's Reason to its exception.
var conflictCodes = map[string]string{
	"DUPLICATE_OU":              "DuplicateOrganizationalUnitException",
	"DUPLICATE_ACCOUNT":         "DuplicateAccountException",
	"DUPLICATE_POLICY":          "DuplicatePolicyException",
	"DUPLICATE_ATTACHMENT":      "DuplicatePolicyAttachmentException",
	"OU_NOT_EMPTY":              "OrganizationalUnitNotEmptyException",
	"POLICY_IN_USE":             "PolicyInUseException",
	"POLICY_TYPE_ENABLED":       "PolicyTypeAlreadyEnabledException",
	"POLICY_TYPE_NOT_AVAILABLE": "PolicyTypeNotAvailableForOrganizationException",
	"ACCOUNT_REGISTERED":        "AccountAlreadyRegisteredException",
}

// mapErr turns core faults into Organizations' errors: the exception depends
// on the resource (not found) or the reason (conflicts); constraint
// violations and invalid input carry their Reason.
func mapErr(err error) error {
	fe := fault.As(err)
	if fe == nil {
		return err
	}
	e := func(code string) error { return &awsproto.Error{Code: code, Status: 400, Message: fe.Message} }
	switch fe.Kind {
	case fault.NotFound:
		if code, ok := notFoundCodes[fe.ResourceType]; ok {
			return e(code)
		}
		return e("TargetNotFoundException")
	case fault.Validation:
		if fe.Reason == "MALFORMED_POLICY" {
			return e("MalformedPolicyDocumentException")
		}
		reason := fe.Reason
		if reason == "" {
			reason = "INVALID_INPUT"
		}
		return &awsproto.Error{Code: "InvalidInputException", Status: 400, Message: fe.Message, Fields: map[string]any{"Reason": reason}}
	case fault.QuotaExceeded:
		return &awsproto.Error{Code: "ConstraintViolationException", Status: 400, Message: fe.Message, Fields: map[string]any{"Reason": fe.Reason}}
	case fault.AccessDenied:
		return e("AccessDeniedException")
	case fault.Conflict:
		if code, ok := conflictCodes[fe.Reason]; ok {
			return e(code)
		}
		return e("ConcurrentModificationException")
	}
	return err
}

func (a *Adapter) describeOrganization(ctx context.Context, _ *struct{}) (*DescribeOrganizationResponse, error) {
	o, err := a.Core.DescribeOrganizationFull(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	return &DescribeOrganizationResponse{Organization: organizationOut(o)}, nil
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
