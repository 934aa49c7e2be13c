package organizations

import (
	"context"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/org"
	"github.com/idcenter/idcenter/internal/store"
)

// lifecycleHandlers are the organization's life (create, delete, all
// features, leaving, removal, closure), handshakes, the resource policy,
// effective policies and responsibility transfers.
func (a *Adapter) lifecycleHandlers() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"CreateOrganization":    awsproto.Op(a.createOrganization),
		"DeleteOrganization":    awsproto.Op(a.deleteOrganization),
		"EnableAllFeatures":     awsproto.Op(a.enableAllFeatures),
		"LeaveOrganization":     awsproto.Op(a.leaveOrganization),
		"CreateGovCloudAccount": awsproto.Op(a.createGovCloudAccount),
		"RemoveAccountFromOrganization": awsproto.Op(a.removeAccount).WithResource(func(ctx context.Context, in *RemoveAccountFromOrganizationRequest) string {
			return a.own(ctx, a.accountARN(ctx, in.AccountId))
		}),
		"CloseAccount": awsproto.Op(a.closeAccount).WithResource(func(ctx context.Context, in *CloseAccountRequest) string {
			return a.own(ctx, a.accountARN(ctx, in.AccountId))
		}),

		"InviteAccountToOrganization": awsproto.Op(a.inviteAccount),
		"AcceptHandshake": awsproto.Op(a.acceptHandshake).WithResource(func(ctx context.Context, in *AcceptHandshakeRequest) string {
			return a.own(ctx, a.Core.ResourceARN(ctx, in.HandshakeId))
		}),
		"DeclineHandshake": awsproto.Op(a.declineHandshake).WithResource(func(ctx context.Context, in *DeclineHandshakeRequest) string {
			return a.own(ctx, a.Core.ResourceARN(ctx, in.HandshakeId))
		}),
		"CancelHandshake": awsproto.Op(a.cancelHandshake).WithResource(func(ctx context.Context, in *CancelHandshakeRequest) string {
			return a.own(ctx, a.Core.ResourceARN(ctx, in.HandshakeId))
		}),
		"DescribeHandshake": awsproto.Op(a.describeHandshake).WithResource(func(ctx context.Context, in *DescribeHandshakeRequest) string {
			return a.own(ctx, a.Core.ResourceARN(ctx, in.HandshakeId))
		}),
		"ListHandshakesForAccount":      awsproto.Op(a.listHandshakesForAccount),
		"ListHandshakesForOrganization": awsproto.Op(a.listHandshakesForOrganization),

		"PutResourcePolicy": awsproto.Op(a.putResourcePolicy),
		"DescribeResourcePolicy": awsproto.Op(a.describeResourcePolicy).WithResource(func(ctx context.Context, _ *struct{}) string {
			return a.own(ctx, a.Core.ResourceARN(ctx, "rp"))
		}),
		"DeleteResourcePolicy": awsproto.Op(a.deleteResourcePolicy).WithResource(func(ctx context.Context, _ *struct{}) string {
			return a.own(ctx, a.Core.ResourceARN(ctx, "rp"))
		}),

		"DescribeEffectivePolicy": awsproto.Op(a.describeEffectivePolicy).WithResource(func(ctx context.Context, in *DescribeEffectivePolicyRequest) string {
			if in.TargetId == "" {
				return "*"
			}
			return a.own(ctx, a.accountARN(ctx, in.TargetId))
		}),
		"ListAccountsWithInvalidEffectivePolicy": awsproto.Op(a.listAccountsWithInvalidEffectivePolicy),
		"ListEffectivePolicyValidationErrors": awsproto.Op(a.listEffectivePolicyValidationErrors).WithResource(func(ctx context.Context, in *ListEffectivePolicyValidationErrorsRequest) string {
			return a.own(ctx, a.accountARN(ctx, in.AccountId))
		}),

		"InviteOrganizationToTransferResponsibility": awsproto.Op(a.inviteTransfer),
		"DescribeResponsibilityTransfer": awsproto.Op(a.describeTransfer).WithResource(func(ctx context.Context, in *DescribeResponsibilityTransferRequest) string {
			return a.own(ctx, a.Core.ResourceARN(ctx, in.Id))
		}),
		"ListInboundResponsibilityTransfers":  awsproto.Op(a.listInboundTransfers),
		"ListOutboundResponsibilityTransfers": awsproto.Op(a.listOutboundTransfers),
		"TerminateResponsibilityTransfer": awsproto.Op(a.terminateTransfer).WithResource(func(ctx context.Context, in *TerminateResponsibilityTransferRequest) string {
			return a.own(ctx, a.Core.ResourceARN(ctx, in.Id))
		}),
		"UpdateResponsibilityTransfer": awsproto.Op(a.updateTransfer).WithResource(func(ctx context.Context, in *UpdateResponsibilityTransferRequest) string {
			return a.own(ctx, a.Core.ResourceARN(ctx, in.Id))
		}),
	}
}

// caller is the account of the request's principal.
func caller(ctx context.Context) string {
	if p, ok := authn.PrincipalFrom(ctx); ok {
		return p.AccountID
	}
	return ""
}

// own is the resource ARN a call is authorised on ("*" when there is none).
// Every principal is authorised on it, other accounts' principals too —
// recipients of handshakes, members asking about their own effective policy,
// delegated administrators: their identity policies must allow the action on
// the management account's resource (the authorisation point evaluates
// Organizations ARNs on the caller's identity side only), and the gate
// (org.Service.MayCall) decides whether the organization lets them in.
func (a *Adapter) own(_ context.Context, arn string) string {
	if arn == "" {
		return "*"
	}
	return arn
}

// handshake-family faults: not-found resources and conflict reasons.
var lifecycleNotFound = map[string]string{
	"HANDSHAKE":               "HandshakeNotFoundException",
	"RESOURCE_POLICY":         "ResourcePolicyNotFoundException",
	"EFFECTIVE_POLICY":        "EffectivePolicyNotFoundException",
	"RESPONSIBILITY_TRANSFER": "ResponsibilityTransferNotFoundException",
}

var lifecycleConflicts = map[string]string{
	"ALREADY_IN_ORGANIZATION":      "AlreadyInOrganizationException",
	"ORG_NOT_EMPTY":                "OrganizationNotEmptyException",
	"MASTER_CANNOT_LEAVE":          "MasterCannotLeaveOrganizationException",
	"ACCOUNT_ALREADY_CLOSED":       "AccountAlreadyClosedException",
	"HANDSHAKE_ALREADY_IN_STATE":   "HandshakeAlreadyInStateException",
	"INVALID_HANDSHAKE_TRANSITION": "InvalidHandshakeTransitionException",
	"DUPLICATE_HANDSHAKE":          "DuplicateHandshakeException",
	"TRANSFER_ALREADY_IN_STATUS":   "ResponsibilityTransferAlreadyInStatusException",
	"INVALID_TRANSFER_TRANSITION":  "InvalidResponsibilityTransferTransitionException",
}

// lifecycleErr maps the faults of these operations, then falls back to mapErr.
func lifecycleErr(err error) error {
	fe := fault.As(err)
	if fe == nil {
		return err
	}
	switch {
	case fe.Kind == fault.NotFound && lifecycleNotFound[fe.ResourceType] != "":
		return &awsproto.Error{Code: lifecycleNotFound[fe.ResourceType], Status: 400, Message: fe.Message}
	case fe.Kind == fault.Conflict && lifecycleConflicts[fe.Reason] != "":
		return &awsproto.Error{Code: lifecycleConflicts[fe.Reason], Status: 400, Message: fe.Message}
	case fe.Kind == fault.QuotaExceeded && fe.ResourceType == "HANDSHAKE":
		return &awsproto.Error{Code: "HandshakeConstraintViolationException", Status: 400, Message: fe.Message,
			Fields: map[string]any{"Reason": fe.Reason}}
	}
	return mapErr(err)
}

// ---- conversions ----

func handshakeResourcesOut(rs []store.OrgHandshakeResource) []HandshakeResource {
	var out []HandshakeResource
	for _, r := range rs {
		out = append(out, HandshakeResource{Type: r.Type, Value: r.Value, Resources: handshakeResourcesOut(r.Resources)})
	}
	return out
}

func handshakeOut(h store.OrgHandshake) *Handshake {
	out := &Handshake{Id: h.ID, Arn: h.ARN, State: h.State, Action: h.Action,
		RequestedTimestamp: ts(h.RequestedAt), ExpirationTimestamp: ts(h.ExpiresAt), Resources: handshakeResourcesOut(h.Resources)}
	for _, p := range h.Parties {
		out.Parties = append(out.Parties, HandshakeParty{Id: p.ID, Type: p.Type})
	}
	return out
}

func handshakesOut(hs []store.OrgHandshake) []Handshake {
	out := []Handshake{}
	for _, h := range hs {
		out = append(out, *handshakeOut(h))
	}
	return out
}

func organizationOut(o org.Organization) *Organization {
	out := &Organization{Id: o.ID, Arn: o.ARN, FeatureSet: o.FeatureSet, MasterAccountId: o.ManagementAccountID,
		MasterAccountEmail: o.ManagementEmail, AvailablePolicyTypes: []PolicyTypeSummary{},
		MasterAccountArn: "arn:aws:organizations::" + o.ManagementAccountID + ":account/" + o.ID + "/" + o.ManagementAccountID}
	for _, pt := range o.AvailablePolicyTypes {
		out.AvailablePolicyTypes = append(out.AvailablePolicyTypes, PolicyTypeSummary{Type: pt.Type, Status: pt.Status})
	}
	return out
}

func transferOut(tr store.OrgTransfer) *ResponsibilityTransfer {
	out := &ResponsibilityTransfer{Arn: tr.ARN, Name: tr.Name, Id: tr.ID, Type: tr.Type, Status: tr.Status,
		Source:         &TransferParticipant{ManagementAccountId: tr.SourceAccountID, ManagementAccountEmail: tr.SourceEmail},
		Target:         &TransferParticipant{ManagementAccountId: tr.TargetAccountID, ManagementAccountEmail: tr.TargetEmail},
		StartTimestamp: ts(tr.StartAt), EndTimestamp: ts(tr.EndAt), ActiveHandshakeId: tr.HandshakeID}
	return out
}

func filterIn(f *HandshakeFilter) org.HandshakeFilter {
	if f == nil {
		return org.HandshakeFilter{}
	}
	return org.HandshakeFilter{ActionType: f.ActionType, ParentHandshakeID: f.ParentHandshakeId}
}

func partyIn(p *HandshakeParty) org.Party {
	if p == nil {
		return org.Party{}
	}
	return org.Party{ID: p.Id, Type: p.Type}
}

// ---- the organization's life ----

func (a *Adapter) createOrganization(ctx context.Context, in *CreateOrganizationRequest) (*CreateOrganizationResponse, error) {
	o, err := a.Core.CreateOrganization(ctx, caller(ctx), in.FeatureSet)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &CreateOrganizationResponse{Organization: organizationOut(o)}, nil
}

func (a *Adapter) deleteOrganization(ctx context.Context, _ *struct{}) (*struct{}, error) {
	return nil, lifecycleErr(a.Core.DeleteOrganization(ctx, caller(ctx)))
}

func (a *Adapter) enableAllFeatures(ctx context.Context, _ *EnableAllFeaturesRequest) (*EnableAllFeaturesResponse, error) {
	h, err := a.Core.EnableAllFeatures(ctx, caller(ctx))
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &EnableAllFeaturesResponse{Handshake: handshakeOut(h)}, nil
}

func (a *Adapter) leaveOrganization(ctx context.Context, _ *struct{}) (*struct{}, error) {
	return nil, lifecycleErr(a.Core.LeaveOrganization(ctx, caller(ctx)))
}

func (a *Adapter) removeAccount(ctx context.Context, in *RemoveAccountFromOrganizationRequest) (*struct{}, error) {
	return nil, lifecycleErr(a.Core.RemoveAccount(ctx, caller(ctx), in.AccountId))
}

func (a *Adapter) closeAccount(ctx context.Context, in *CloseAccountRequest) (*struct{}, error) {
	return nil, lifecycleErr(a.Core.CloseAccount(ctx, caller(ctx), in.AccountId))
}

func (a *Adapter) createGovCloudAccount(ctx context.Context, _ *CreateGovCloudAccountRequest) (*CreateGovCloudAccountResponse, error) {
	return nil, lifecycleErr(a.Core.CreateGovCloudAccount(ctx, caller(ctx)))
}

// ---- handshakes ----

func (a *Adapter) inviteAccount(ctx context.Context, in *InviteAccountToOrganizationRequest) (*InviteAccountToOrganizationResponse, error) {
	h, err := a.Core.InviteAccount(ctx, caller(ctx), partyIn(in.Target), in.Notes, tagsIn(in.Tags))
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &InviteAccountToOrganizationResponse{Handshake: handshakeOut(h)}, nil
}

func (a *Adapter) acceptHandshake(ctx context.Context, in *AcceptHandshakeRequest) (*AcceptHandshakeResponse, error) {
	h, err := a.Core.AcceptHandshake(ctx, caller(ctx), in.HandshakeId)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &AcceptHandshakeResponse{Handshake: handshakeOut(h)}, nil
}

func (a *Adapter) declineHandshake(ctx context.Context, in *DeclineHandshakeRequest) (*DeclineHandshakeResponse, error) {
	h, err := a.Core.DeclineHandshake(ctx, caller(ctx), in.HandshakeId)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &DeclineHandshakeResponse{Handshake: handshakeOut(h)}, nil
}

func (a *Adapter) cancelHandshake(ctx context.Context, in *CancelHandshakeRequest) (*CancelHandshakeResponse, error) {
	h, err := a.Core.CancelHandshake(ctx, caller(ctx), in.HandshakeId)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &CancelHandshakeResponse{Handshake: handshakeOut(h)}, nil
}

func (a *Adapter) describeHandshake(ctx context.Context, in *DescribeHandshakeRequest) (*DescribeHandshakeResponse, error) {
	h, err := a.Core.DescribeHandshake(ctx, caller(ctx), in.HandshakeId)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &DescribeHandshakeResponse{Handshake: handshakeOut(h)}, nil
}

func (a *Adapter) listHandshakesForAccount(ctx context.Context, in *ListHandshakesForAccountRequest) (*ListHandshakesForAccountResponse, error) {
	hs, next, err := a.Core.ListHandshakesForAccount(ctx, caller(ctx), filterIn(in.Filter), maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &ListHandshakesForAccountResponse{Handshakes: handshakesOut(hs), NextToken: next}, nil
}

func (a *Adapter) listHandshakesForOrganization(ctx context.Context, in *ListHandshakesForOrganizationRequest) (*ListHandshakesForOrganizationResponse, error) {
	hs, next, err := a.Core.ListHandshakesForOrganization(ctx, caller(ctx), filterIn(in.Filter), maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &ListHandshakesForOrganizationResponse{Handshakes: handshakesOut(hs), NextToken: next}, nil
}

// ---- resource policy ----

func resourcePolicyOut(p store.OrgResourcePolicy) *ResourcePolicy {
	return &ResourcePolicy{ResourcePolicySummary: &ResourcePolicySummary{Id: p.ID, Arn: p.ARN}, Content: p.Content}
}

func (a *Adapter) putResourcePolicy(ctx context.Context, in *PutResourcePolicyRequest) (*PutResourcePolicyResponse, error) {
	p, err := a.Core.PutResourcePolicy(ctx, caller(ctx), in.Content, tagsIn(in.Tags))
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &PutResourcePolicyResponse{ResourcePolicy: resourcePolicyOut(p)}, nil
}

func (a *Adapter) describeResourcePolicy(ctx context.Context, _ *struct{}) (*DescribeResourcePolicyResponse, error) {
	p, err := a.Core.DescribeResourcePolicy(ctx, caller(ctx))
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &DescribeResourcePolicyResponse{ResourcePolicy: resourcePolicyOut(p)}, nil
}

func (a *Adapter) deleteResourcePolicy(ctx context.Context, _ *struct{}) (*struct{}, error) {
	return nil, lifecycleErr(a.Core.DeleteResourcePolicy(ctx, caller(ctx)))
}

// ---- effective policies ----

func (a *Adapter) describeEffectivePolicy(ctx context.Context, in *DescribeEffectivePolicyRequest) (*DescribeEffectivePolicyResponse, error) {
	e, err := a.Core.DescribeEffectivePolicy(ctx, caller(ctx), in.PolicyType, in.TargetId)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &DescribeEffectivePolicyResponse{EffectivePolicy: &EffectivePolicy{PolicyContent: e.Content,
		LastUpdatedTimestamp: ts(e.EvaluatedAt), TargetId: e.TargetID, PolicyType: e.PolicyType}}, nil
}

func (a *Adapter) listAccountsWithInvalidEffectivePolicy(ctx context.Context, in *ListAccountsWithInvalidEffectivePolicyRequest) (*ListAccountsWithInvalidEffectivePolicyResponse, error) {
	accts, next, err := a.Core.ListAccountsWithInvalidEffectivePolicy(ctx, caller(ctx), in.PolicyType, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	out := &ListAccountsWithInvalidEffectivePolicyResponse{Accounts: []Account{}, PolicyType: in.PolicyType, NextToken: next}
	for _, acct := range accts {
		out.Accounts = append(out.Accounts, accountOut(acct))
	}
	return out, nil
}

func (a *Adapter) listEffectivePolicyValidationErrors(ctx context.Context, in *ListEffectivePolicyValidationErrorsRequest) (*ListEffectivePolicyValidationErrorsResponse, error) {
	e, next, err := a.Core.ListEffectivePolicyValidationErrors(ctx, caller(ctx), in.AccountId, in.PolicyType, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	out := &ListEffectivePolicyValidationErrorsResponse{AccountId: in.AccountId, PolicyType: in.PolicyType, Path: e.Path,
		EvaluationTimestamp: ts(e.EvaluatedAt), NextToken: next, EffectivePolicyValidationErrors: []EffectivePolicyValidationError{}}
	for _, v := range e.Errors {
		out.EffectivePolicyValidationErrors = append(out.EffectivePolicyValidationErrors, EffectivePolicyValidationError{
			ErrorCode: v.Code, ErrorMessage: v.Message, PathToError: v.Path, ContributingPolicies: v.ContributingPolicies})
	}
	return out, nil
}

// ---- responsibility transfers ----

func timeIn(t *awsproto.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time
}

func (a *Adapter) inviteTransfer(ctx context.Context, in *InviteOrganizationToTransferResponsibilityRequest) (*InviteOrganizationToTransferResponsibilityResponse, error) {
	h, err := a.Core.InviteTransfer(ctx, caller(ctx), org.TransferInput{Type: in.Type, Target: partyIn(in.Target), Notes: in.Notes,
		Start: timeIn(in.StartTimestamp), SourceName: in.SourceName, Tags: tagsIn(in.Tags)})
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &InviteOrganizationToTransferResponsibilityResponse{Handshake: handshakeOut(h)}, nil
}

func (a *Adapter) describeTransfer(ctx context.Context, in *DescribeResponsibilityTransferRequest) (*DescribeResponsibilityTransferResponse, error) {
	tr, err := a.Core.DescribeTransfer(ctx, caller(ctx), in.Id)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &DescribeResponsibilityTransferResponse{ResponsibilityTransfer: transferOut(tr)}, nil
}

func transfersOut(trs []store.OrgTransfer) []ResponsibilityTransfer {
	out := []ResponsibilityTransfer{}
	for _, tr := range trs {
		out = append(out, *transferOut(tr))
	}
	return out
}

func (a *Adapter) listInboundTransfers(ctx context.Context, in *ListInboundResponsibilityTransfersRequest) (*ListInboundResponsibilityTransfersResponse, error) {
	trs, next, err := a.Core.ListTransfers(ctx, caller(ctx), true, in.Type, in.Id, maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &ListInboundResponsibilityTransfersResponse{ResponsibilityTransfers: transfersOut(trs), NextToken: next}, nil
}

func (a *Adapter) listOutboundTransfers(ctx context.Context, in *ListOutboundResponsibilityTransfersRequest) (*ListOutboundResponsibilityTransfersResponse, error) {
	trs, next, err := a.Core.ListTransfers(ctx, caller(ctx), false, in.Type, "", maxOf(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &ListOutboundResponsibilityTransfersResponse{ResponsibilityTransfers: transfersOut(trs), NextToken: next}, nil
}

func (a *Adapter) terminateTransfer(ctx context.Context, in *TerminateResponsibilityTransferRequest) (*TerminateResponsibilityTransferResponse, error) {
	tr, err := a.Core.TerminateTransfer(ctx, caller(ctx), in.Id, timeIn(in.EndTimestamp))
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &TerminateResponsibilityTransferResponse{ResponsibilityTransfer: transferOut(tr)}, nil
}

func (a *Adapter) updateTransfer(ctx context.Context, in *UpdateResponsibilityTransferRequest) (*UpdateResponsibilityTransferResponse, error) {
	tr, err := a.Core.UpdateTransfer(ctx, caller(ctx), in.Id, in.Name)
	if err != nil {
		return nil, lifecycleErr(err)
	}
	return &UpdateResponsibilityTransferResponse{ResponsibilityTransfer: transferOut(tr)}, nil
}

// gate is the Organizations part of the authorisation point: after IAM
// allowed the call, a principal outside the management account must also be
// let in by the organization (org.Service.MayCall: member operations,
// delegated administrators' read-only access, the resource policy).
type gate struct {
	next awsproto.Authorizer
	a    *Adapter
}

func (g *gate) Authorize(ctx context.Context, action, resource string) error {
	if err := g.next.Authorize(ctx, action, resource); err != nil {
		return err
	}
	p, ok := authn.PrincipalFrom(ctx)
	if !ok || p.AccountID == g.a.ManagementAccountID {
		return nil
	}
	op := strings.TrimPrefix(action, "organizations:")
	return mapErr(g.a.Core.MayCall(ctx, p.AccountID, p.ARN, roleOf(p.ARN), op, resource))
}

// roleOf is the role ARN of an assumed-role session ARN ("" otherwise).
func roleOf(arn string) string {
	rest, ok := strings.CutPrefix(arn, "arn:aws:sts::")
	if !ok {
		return ""
	}
	acct, res, ok := strings.Cut(rest, ":")
	if !ok {
		return ""
	}
	role, ok := strings.CutPrefix(res, "assumed-role/")
	if !ok {
		return ""
	}
	role, _, _ = strings.Cut(role, "/")
	return "arn:aws:iam::" + acct + ":role/" + role
}
