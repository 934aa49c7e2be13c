package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// Delegation requests (IAM temporary delegation): a partner account creates
// a request for permissions (a policy template and its parameters); the
// customer associates it with an identity of its account (ASSIGNED), may add
// notes (PENDING_APPROVAL), accepts or rejects it, and sends the delegation
// token (FINALIZED): SendDelegationToken issues the trade-in token that STS
// GetDelegatedAccessToken exchanges (delegation_token.go).

// Delegation request states.
const (
	DelegationUnassigned      = "UNASSIGNED"
	DelegationAssigned        = "ASSIGNED"
	DelegationPendingApproval = "PENDING_APPROVAL"
	DelegationAccepted        = "ACCEPTED"
	DelegationRejected        = "REJECTED"
	DelegationFinalized       = "FINALIZED"
	DelegationExpired         = "EXPIRED"
)

// DelegationTTL is how long a request stays open.
const DelegationTTL = 7 * 24 * time.Hour

// DelegationParameter is a policy template parameter.
type DelegationParameter struct {
	Name   string
	Values []string
	Type   string
}

// DelegationRequest is a delegation request's fields.
type DelegationRequest struct {
	ID                  string
	OwnerAccountID      string
	OwnerID             string
	Description         string
	RequestMessage      string
	PolicyTemplateARN   string
	Parameters          []DelegationParameter
	RequestorID         string // the creating account
	RequestorName       string // the creating principal's ARN
	RequestorWorkflowID string
	RedirectURL         string
	NotificationChannel string
	SessionDuration     int
	OnlySendByOwner     bool
	ApproverID          string
	Notes               string
	RejectionReason     string
	State               string
	Created             time.Time
	Updated             time.Time
	Expires             time.Time
	// SessionPolicy is the template resolved at acceptance (or
	// SessionPolicyError why it could not be); Token the trade-in token
	// issued by SendDelegationToken (delegation_token.go).
	SessionPolicy      string           `json:",omitempty"`
	SessionPolicyError string           `json:",omitempty"`
	Token              *DelegationToken `json:",omitempty"`
}

func (d DelegationRequest) record() (store.IAMDelegationRequest, error) {
	body, err := json.Marshal(d)
	return store.IAMDelegationRequest{RequestID: d.ID, AccountID: d.RequestorID, OwnerAccountID: d.OwnerAccountID, State: d.State,
		Body: string(body), CreatedAt: d.Created, UpdatedAt: d.Updated}, err
}

func delegationFrom(r store.IAMDelegationRequest) (DelegationRequest, error) {
	var d DelegationRequest
	err := json.Unmarshal([]byte(r.Body), &d)
	return d, err
}

func delegationNotFound(id string) error {
	return noSuchEntity("Delegation request %s cannot be found.", id)
}

// DelegationInput is CreateDelegationRequest's input.
type DelegationInput struct {
	OwnerAccountID      string
	Description         string
	RequestMessage      string
	PolicyTemplateARN   string
	Parameters          []DelegationParameter
	RequestorWorkflowID string
	RedirectURL         string
	NotificationChannel string
	SessionDuration     int
	OnlySendByOwner     bool
}

// CreateDelegationRequest creates a request from the caller's (partner) account.
func (s *Service) CreateDelegationRequest(ctx context.Context, c Caller, in DelegationInput) (DelegationRequest, error) {
	if in.PolicyTemplateARN == "" {
		return DelegationRequest{}, invalidInput("Permissions must name a PolicyTemplateArn.")
	}
	if !strings.HasPrefix(in.NotificationChannel, "arn:aws:sns:") {
		return DelegationRequest{}, invalidInput("NotificationChannel must be an SNS topic ARN.")
	}
	id, err := s.newJobID()
	if err != nil {
		return DelegationRequest{}, err
	}
	now := s.now()
	d := DelegationRequest{ID: id, OwnerAccountID: in.OwnerAccountID, Description: in.Description, RequestMessage: in.RequestMessage,
		PolicyTemplateARN: in.PolicyTemplateARN, Parameters: in.Parameters, RequestorID: c.AccountID, RequestorName: c.ARN,
		RequestorWorkflowID: in.RequestorWorkflowID, RedirectURL: in.RedirectURL, NotificationChannel: in.NotificationChannel,
		SessionDuration: in.SessionDuration, OnlySendByOwner: in.OnlySendByOwner, State: DelegationUnassigned,
		Created: now, Updated: now, Expires: now.Add(DelegationTTL)}
	err = s.update(ctx, "create delegation request", func(tx store.Tx) error {
		existing, err := tx.ListIAMDelegationRequests(ctx, c.AccountID)
		if err != nil {
			return err
		}
		for _, r := range existing {
			e, err := delegationFrom(r)
			if err != nil {
				return err
			}
			if e.RequestorID == c.AccountID && e.RequestorWorkflowID == in.RequestorWorkflowID {
				return alreadyExists("A delegation request with workflow id %s already exists.", in.RequestorWorkflowID)
			}
		}
		rec, err := d.record()
		if err != nil {
			return err
		}
		return tx.CreateIAMDelegationRequest(ctx, rec)
	})
	return d, err
}

// visible applies the read rules: the requestor, anyone while the request
// has no owner account, then only the owner account.
func (d DelegationRequest) visible(c Caller) bool {
	return d.RequestorID == c.AccountID || d.OwnerAccountID == "" || d.OwnerAccountID == c.AccountID
}

func (s *Service) loadDelegation(ctx context.Context, tx store.Tx, c Caller, id string) (DelegationRequest, error) {
	r, err := tx.GetIAMDelegationRequest(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return DelegationRequest{}, delegationNotFound(id)
	}
	if err != nil {
		return DelegationRequest{}, err
	}
	d, err := delegationFrom(r)
	if err != nil {
		return DelegationRequest{}, err
	}
	if !d.visible(c) {
		return DelegationRequest{}, delegationNotFound(id)
	}
	if d.State != DelegationFinalized && d.State != DelegationExpired && !d.Expires.IsZero() && !s.now().Before(d.Expires) {
		d.State = DelegationExpired
	}
	return d, nil
}

// GetDelegationRequest returns a request the caller may see.
func (s *Service) GetDelegationRequest(ctx context.Context, c Caller, id string) (DelegationRequest, error) {
	var d DelegationRequest
	err := s.view(ctx, "get delegation request", func(tx store.Tx) error {
		var err error
		d, err = s.loadDelegation(ctx, tx, c, id)
		return err
	})
	return d, err
}

// ListDelegationRequests lists the requests the caller's account made or
// owns (with an owner), optionally only those of one owner.
func (s *Service) ListDelegationRequests(ctx context.Context, c Caller, ownerID, marker string, max int) (Page[DelegationRequest], error) {
	var all []DelegationRequest
	err := s.view(ctx, "list delegation requests", func(tx store.Tx) error {
		recs, err := tx.ListIAMDelegationRequests(ctx, c.AccountID)
		if err != nil {
			return err
		}
		for _, r := range recs {
			d, err := s.loadDelegation(ctx, tx, c, r.RequestID)
			if err != nil {
				return err
			}
			if d.RequestorID != c.AccountID && d.OwnerID == "" {
				continue
			}
			if ownerID != "" && d.OwnerID != ownerID {
				continue
			}
			all = append(all, d)
		}
		return nil
	})
	if err != nil {
		return Page[DelegationRequest]{}, err
	}
	return pageSlice(all, marker, max, func(d DelegationRequest) string { return d.ID })
}

// delegationStep changes a request in one transaction after checking the
// caller and its state.
func (s *Service) delegationStep(ctx context.Context, c Caller, op, id string, step func(d *DelegationRequest) error) error {
	return s.update(ctx, op, func(tx store.Tx) error {
		d, err := s.loadDelegation(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if d.State == DelegationExpired {
			return invalidInput("Delegation request %s has expired.", id)
		}
		if err := step(&d); err != nil {
			return err
		}
		d.Updated = s.now()
		rec, err := d.record()
		if err != nil {
			return err
		}
		return tx.ReplaceIAMDelegationRequest(ctx, rec)
	})
}

func wrongState(d *DelegationRequest) error {
	return invalidInput("Delegation request %s is in state %s.", d.ID, d.State)
}

func (d *DelegationRequest) requireOwner(c Caller) error {
	if d.OwnerID == "" {
		return invalidInput("Delegation request %s is not associated with an identity; call AssociateDelegationRequest first.", d.ID)
	}
	if d.OwnerAccountID != c.AccountID {
		return delegationNotFound(d.ID)
	}
	return nil
}

// AssociateDelegationRequest makes the caller the request's owner.
func (s *Service) AssociateDelegationRequest(ctx context.Context, c Caller, id string) error {
	return s.delegationStep(ctx, c, "associate delegation request", id, func(d *DelegationRequest) error {
		if d.State != DelegationUnassigned && d.State != DelegationAssigned {
			return wrongState(d)
		}
		if d.OwnerAccountID != "" && d.OwnerAccountID != c.AccountID {
			return delegationNotFound(id)
		}
		d.OwnerAccountID, d.OwnerID, d.State = c.AccountID, c.ARN, DelegationAssigned
		return nil
	})
}

// UpdateDelegationRequest adds the owner's notes (PENDING_APPROVAL).
func (s *Service) UpdateDelegationRequest(ctx context.Context, c Caller, id, notes string) error {
	return s.delegationStep(ctx, c, "update delegation request", id, func(d *DelegationRequest) error {
		if err := d.requireOwner(c); err != nil {
			return err
		}
		if d.State != DelegationAssigned && d.State != DelegationPendingApproval {
			return wrongState(d)
		}
		d.Notes, d.State = notes, DelegationPendingApproval
		return nil
	})
}

// AcceptDelegationRequest accepts a request, recording the approver and
// freezing the session policy its template resolves to.
func (s *Service) AcceptDelegationRequest(ctx context.Context, c Caller, id string) error {
	doc, reason, err := s.freezeDelegationPolicy(ctx, id) // delegation_token.go
	if err != nil {
		return err
	}
	return s.delegationStep(ctx, c, "accept delegation request", id, func(d *DelegationRequest) error {
		if err := d.requireOwner(c); err != nil {
			return err
		}
		if d.State != DelegationAssigned && d.State != DelegationPendingApproval {
			return wrongState(d)
		}
		d.ApproverID, d.State = c.ARN, DelegationAccepted
		d.SessionPolicy, d.SessionPolicyError = doc, reason
		return nil
	})
}

// RejectDelegationRequest rejects a request that is not finalized.
func (s *Service) RejectDelegationRequest(ctx context.Context, c Caller, id, notes string) error {
	return s.delegationStep(ctx, c, "reject delegation request", id, func(d *DelegationRequest) error {
		if d.OwnerAccountID != c.AccountID {
			return delegationNotFound(id)
		}
		switch d.State {
		case DelegationFinalized, DelegationRejected:
			return wrongState(d)
		}
		d.RejectionReason, d.State = notes, DelegationRejected
		return nil
	})
}

// SendDelegationToken finalizes an accepted request and issues its trade-in
// token into the outbox (delegation_token.go).
func (s *Service) SendDelegationToken(ctx context.Context, c Caller, id string) error {
	aead, err := s.outboxAEAD(ctx)
	if err != nil {
		return err
	}
	return s.delegationStep(ctx, c, "send delegation token", id, func(d *DelegationRequest) error {
		if err := d.requireOwner(c); err != nil {
			return err
		}
		if d.State != DelegationAccepted {
			return wrongState(d)
		}
		if d.OnlySendByOwner && c.ARN != d.OwnerID {
			return invalidInput("Only the owner of delegation request %s may send its token.", id)
		}
		d.State = DelegationFinalized
		return s.issueDelegationToken(d, aead)
	})
}

// DelegationSummary is GetHumanReadableSummary's answer.
type DelegationSummary struct {
	Content, Locale, State string
}

// HumanReadableSummary describes a delegation request in plain words (from
// its fields; no language model). The only entity type is delegation-request:
// arn:aws:iam::<account>:delegation-request/<id>.
func (s *Service) HumanReadableSummary(ctx context.Context, c Caller, entityARN, locale string) (DelegationSummary, error) {
	_, id, ok := strings.Cut(entityARN, ":delegation-request/")
	if !ok || !strings.HasPrefix(entityARN, "arn:") || id == "" {
		return DelegationSummary{}, invalidInput("Unsupported entity %s: only delegation-request entities have summaries.", entityARN)
	}
	if locale == "" {
		locale = "en"
	}
	d, err := s.GetDelegationRequest(ctx, c, id)
	if err != nil {
		return DelegationSummary{}, err
	}
	if !strings.HasPrefix(strings.ToLower(locale), "en") {
		return DelegationSummary{Locale: locale, State: "NOT_SUPPORTED"}, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Account %s requests temporary access", d.RequestorID)
	if d.OwnerAccountID != "" {
		fmt.Fprintf(&b, " to account %s", d.OwnerAccountID)
	}
	fmt.Fprintf(&b, " with the permissions of policy template %s", d.PolicyTemplateARN)
	if len(d.Parameters) > 0 {
		var ps []string
		for _, p := range d.Parameters {
			ps = append(ps, p.Name+"="+strings.Join(p.Values, ","))
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(ps, "; "))
	}
	fmt.Fprintf(&b, ", for sessions of up to %d seconds. ", d.SessionDuration)
	if d.Description != "" {
		fmt.Fprintf(&b, "Purpose: %s. ", d.Description)
	}
	fmt.Fprintf(&b, "The request is %s.", strings.ToLower(strings.ReplaceAll(d.State, "_", " ")))
	return DelegationSummary{Content: b.String(), Locale: locale, State: "AVAILABLE"}, nil
}
