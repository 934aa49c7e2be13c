package org

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Handshake actions, states and party types.
const (
	ActionInvite             = "INVITE"
	ActionEnableAllFeatures  = "ENABLE_ALL_FEATURES"
	ActionApproveAllFeatures = "APPROVE_ALL_FEATURES"
	ActionTransfer           = "TRANSFER_RESPONSIBILITY"

	HandshakeRequested = "REQUESTED"
	HandshakeOpen      = "OPEN"
	HandshakeCanceled  = "CANCELED"
	HandshakeAccepted  = "ACCEPTED"
	HandshakeDeclined  = "DECLINED"
	HandshakeExpired   = "EXPIRED"

	PartyAccount      = "ACCOUNT"
	PartyOrganization = "ORGANIZATION"
	PartyEmail        = "EMAIL"
)

// Lifetimes of handshakes: invitations (and transfers) 15 days, requests to
// enable all features 90 days, as AWS.
const (
	inviteLifetime      = 15 * 24 * time.Hour
	allFeaturesLifetime = 90 * 24 * time.Hour
	// invitesPerDay is AWS's quota of invitations sent in a day.
	invitesPerDay = 20
)

var (
	accountIDRe = regexp.MustCompile(`^\d{12}$`)
	emailRe     = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
)

const msgHandshakeNotFound = "We can't find a handshake with the HandshakeId that you specified."

// Party is a handshake's target as the caller gives it.
type Party struct{ ID, Type string }

// HandshakeFilter selects handshakes by action or by parent handshake.
type HandshakeFilter struct{ ActionType, ParentHandshakeID string }

func handshakeConstraint(reason, msg string) error {
	return &fault.Error{Kind: fault.QuotaExceeded, ResourceType: "HANDSHAKE", Reason: reason, Message: msg}
}

func (s *Service) newHandshake(w world, action string, lifetime time.Duration) (store.OrgHandshake, error) {
	suffix, err := s.random(lowerAlnum, 10)
	if err != nil {
		return store.OrgHandshake{}, err
	}
	id := "h-" + suffix
	now := s.now()
	return store.OrgHandshake{ID: id, Action: action, State: HandshakeOpen,
		ARN:         fmt.Sprintf("arn:aws:organizations::%s:handshake/%s/%s/%s", w.Org.ManagementAccountID, w.Org.ID, strings.ToLower(action), id),
		RequestedAt: now, ExpiresAt: now.Add(lifetime)}, nil
}

// orgResource describes the organization to a handshake's recipient.
func orgResource(ctx context.Context, tx store.Tx, w world) (store.OrgHandshakeResource, error) {
	name := ""
	if m, err := tx.GetAccount(ctx, w.Org.ManagementAccountID); err == nil {
		name = m.Name
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.OrgHandshakeResource{}, err
	}
	return store.OrgHandshakeResource{Type: "ORGANIZATION", Value: w.Org.ID, Resources: []store.OrgHandshakeResource{
		{Type: "MASTER_EMAIL", Value: w.Org.ManagementEmail},
		{Type: "MASTER_NAME", Value: name},
		{Type: "ORGANIZATION_FEATURE_SET", Value: w.Org.FeatureSet},
	}}, nil
}

// current reports the handshake's state at now: an open handshake past its
// expiration is EXPIRED.
func (s *Service) current(h store.OrgHandshake) store.OrgHandshake {
	if (h.State == HandshakeOpen || h.State == HandshakeRequested) && !h.ExpiresAt.IsZero() && !s.now().Before(h.ExpiresAt) {
		h.State = HandshakeExpired
	}
	return h
}

func active(h store.OrgHandshake) bool {
	return h.State == HandshakeOpen || h.State == HandshakeRequested
}

// retention is how long AWS shows a handshake after it ended.
const retention = 30 * 24 * time.Hour

// pruned: a CANCELED, ACCEPTED or DECLINED handshake 30 days after it
// entered that state, or an EXPIRED one 30 days after it expired, is gone.
func (s *Service) pruned(h store.OrgHandshake) bool {
	switch h.State {
	case HandshakeExpired:
		return !h.ExpiresAt.IsZero() && !s.now().Before(h.ExpiresAt.Add(retention))
	case HandshakeCanceled, HandshakeAccepted, HandshakeDeclined:
		return !h.StateChangedAt.IsZero() && !s.now().Before(h.StateChangedAt.Add(retention))
	}
	return false
}

func (s *Service) allHandshakes(ctx context.Context, tx store.Tx) ([]store.OrgHandshake, error) {
	hs, err := tx.ListOrgHandshakes(ctx)
	if err != nil {
		return nil, err
	}
	out := hs[:0]
	for _, h := range hs {
		if h = s.current(h); !s.pruned(h) {
			out = append(out, h)
		}
	}
	return out, nil
}

func (s *Service) getHandshake(ctx context.Context, tx store.Tx, id string) (store.OrgHandshake, error) {
	h, err := tx.GetOrgHandshake(ctx, id)
	if err == nil && s.pruned(s.current(h)) {
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		return h, notFound("HANDSHAKE", id, msgHandshakeNotFound)
	}
	return s.current(h), err
}

// party returns the handshake's party of a type other than ORGANIZATION (the recipient).
func recipientParty(h store.OrgHandshake) (store.OrgHandshakeParty, bool) {
	for _, p := range h.Parties {
		if p.Type != PartyOrganization {
			return p, true
		}
	}
	return store.OrgHandshakeParty{}, false
}

// knownEmail is the e-mail idcenter knows for an account (member or former), "" when none.
func knownEmail(ctx context.Context, tx store.Tx, accountID string) (string, error) {
	a, err := tx.GetAccount(ctx, accountID)
	if err == nil {
		return a.Email, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	a, err = tx.GetOrgFormerAccount(ctx, accountID)
	if err == nil {
		return a.Email, nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return "", err
}

// isRecipient reports whether caller's account receives h. An invitation by
// e-mail is for the account with that e-mail; an account idcenter knows
// nothing about (neither member nor former member) may accept it.
func isRecipient(ctx context.Context, tx store.Tx, w world, h store.OrgHandshake, caller string) (bool, error) {
	switch h.Action {
	case ActionApproveAllFeatures:
		return caller == w.Org.ManagementAccountID, nil
	case ActionEnableAllFeatures:
		if h.ParentID == "" {
			return caller == w.Org.ManagementAccountID, nil
		}
	}
	p, ok := recipientParty(h)
	if !ok {
		return false, nil
	}
	switch p.Type {
	case PartyAccount:
		return p.ID == caller, nil
	case PartyEmail:
		if caller == w.Org.ManagementAccountID {
			return strings.EqualFold(p.ID, w.Org.ManagementEmail), nil
		}
		email, err := knownEmail(ctx, tx, caller)
		if err != nil {
			return false, err
		}
		return email == "" || strings.EqualFold(email, p.ID), nil
	}
	return false, nil
}

// isOriginator: the organization sends every handshake but APPROVE_ALL_FEATURES.
func isOriginator(w world, h store.OrgHandshake, caller string) bool {
	return caller == w.Org.ManagementAccountID && h.Action != ActionApproveAllFeatures
}

// checkTarget validates a handshake target (ACCOUNT or EMAIL).
func checkTarget(t Party) error {
	switch t.Type {
	case PartyAccount:
		if !accountIDRe.MatchString(t.ID) {
			return invalid("INVALID_PARTY_TYPE_TARGET", "You specified the wrong type for the handshake's target: an ACCOUNT target is a 12-digit account ID.")
		}
	case PartyEmail:
		if !emailRe.MatchString(t.ID) {
			return invalid("INVALID_EMAIL_ADDRESS_TARGET", "You specified an invalid email address for the invited account owner.")
		}
	default:
		return invalid("INVALID_PARTY_TYPE_TARGET", "You specified the wrong type for the handshake's target: use ACCOUNT or EMAIL.")
	}
	return nil
}

// memberMatching returns the organization's account matching a target, if any.
func memberMatching(ctx context.Context, tx store.Tx, t Party) (bool, error) {
	if t.Type == PartyAccount {
		_, err := tx.GetAccount(ctx, t.ID)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	accts, err := tx.ListAccounts(ctx, store.Page{})
	if err != nil {
		return false, err
	}
	for _, a := range accts {
		if strings.EqualFold(a.Email, t.ID) {
			return true, nil
		}
	}
	return false, nil
}

func sameTarget(h store.OrgHandshake, t Party) bool {
	p, ok := recipientParty(h)
	return ok && p.Type == t.Type && strings.EqualFold(p.ID, t.ID)
}

// InviteAccount invites an account (by id or e-mail) to join the organization.
func (s *Service) InviteAccount(ctx context.Context, caller string, target Party, notes string, tags []store.Tag) (store.OrgHandshake, error) {
	if err := checkTarget(target); err != nil {
		return store.OrgHandshake{}, err
	}
	if err := checkTags(tags); err != nil {
		return store.OrgHandshake{}, err
	}
	var out store.OrgHandshake
	err := s.update(ctx, "invite account to organization", func(tx store.Tx, w world) error {
		if err := requireManagement(w, caller); err != nil {
			return err
		}
		in, err := memberMatching(ctx, tx, target)
		if err != nil {
			return err
		}
		if in {
			return handshakeConstraint("ALREADY_IN_AN_ORGANIZATION", "The handshake request is invalid because the invited account is already a member of an organization.")
		}
		hs, err := s.allHandshakes(ctx, tx)
		if err != nil {
			return err
		}
		sentToday := 0
		for _, h := range hs {
			if h.Action == ActionEnableAllFeatures && h.ParentID == "" && active(h) {
				return handshakeConstraint("INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES", "You can't issue new invitations to join an organization while it's in the process of enabling all features.")
			}
			if h.Action == ActionInvite && active(h) && sameTarget(h, target) {
				return conflict("DUPLICATE_HANDSHAKE", "A handshake with the same action and target already exists.")
			}
			if h.Action == ActionInvite && s.now().Sub(h.RequestedAt) < 24*time.Hour {
				sentToday++
			}
		}
		if sentToday >= invitesPerDay {
			return handshakeConstraint("HANDSHAKE_RATE_LIMIT_EXCEEDED", "You attempted to exceed the number of handshakes that you can send in one day.")
		}
		h, err := s.newHandshake(w, ActionInvite, inviteLifetime)
		if err != nil {
			return err
		}
		res, err := orgResource(ctx, tx, w)
		if err != nil {
			return err
		}
		h.Parties = []store.OrgHandshakeParty{{ID: w.Org.ID, Type: PartyOrganization}, {ID: target.ID, Type: target.Type}}
		h.Resources = []store.OrgHandshakeResource{res, {Type: target.Type, Value: target.ID}}
		if notes != "" {
			h.Resources = append(h.Resources, store.OrgHandshakeResource{Type: "NOTES", Value: notes})
		}
		if len(tags) > 0 {
			// Kept with the handshake; they go to the account when it joins.
			if err := tx.PutOrgTags(ctx, h.ID, sortTags(tags)); err != nil {
				return err
			}
		}
		out = h
		return tx.CreateOrgHandshake(ctx, h)
	})
	return out, err
}

// EnableAllFeatures starts moving a CONSOLIDATED_BILLING organization to all
// features: every invited member account receives an ENABLE_ALL_FEATURES
// handshake; when all have accepted (at once when there are none), the
// management account receives APPROVE_ALL_FEATURES, and accepting it (or the
// ENABLE_ALL_FEATURES handshake returned here, then OPEN) finalizes the change.
func (s *Service) EnableAllFeatures(ctx context.Context, caller string) (store.OrgHandshake, error) {
	var out store.OrgHandshake
	err := s.update(ctx, "enable all features", func(tx store.Tx, w world) error {
		if err := requireManagement(w, caller); err != nil {
			return err
		}
		if w.Org.FeatureSet == FeatureSetAll {
			return handshakeConstraint("ORGANIZATION_ALREADY_HAS_ALL_FEATURES", "The handshake request is invalid because the organization has already enabled all features.")
		}
		hs, err := s.allHandshakes(ctx, tx)
		if err != nil {
			return err
		}
		for _, h := range hs {
			if h.Action == ActionEnableAllFeatures && h.ParentID == "" && active(h) {
				return handshakeConstraint("ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION", "The handshake request is invalid because the organization has already started the process to enable all features.")
			}
		}
		parent, err := s.newHandshake(w, ActionEnableAllFeatures, allFeaturesLifetime)
		if err != nil {
			return err
		}
		parent.State = HandshakeRequested
		parent.Parties = []store.OrgHandshakeParty{{ID: w.Org.ID, Type: PartyOrganization}}
		parent.Resources = []store.OrgHandshakeResource{{Type: "ORGANIZATION", Value: w.Org.ID}}
		if err := tx.CreateOrgHandshake(ctx, parent); err != nil {
			return err
		}
		accts, err := tx.ListAccounts(ctx, store.Page{})
		if err != nil {
			return err
		}
		res, err := orgResource(ctx, tx, w)
		if err != nil {
			return err
		}
		for _, a := range accts {
			if a.ID == w.Org.ManagementAccountID || a.JoinedMethod != "INVITED" {
				continue
			}
			child, err := s.newHandshake(w, ActionEnableAllFeatures, allFeaturesLifetime)
			if err != nil {
				return err
			}
			child.ParentID = parent.ID
			child.Parties = []store.OrgHandshakeParty{{ID: w.Org.ID, Type: PartyOrganization}, {ID: a.ID, Type: PartyAccount}}
			child.Resources = []store.OrgHandshakeResource{res, {Type: "ACCOUNT", Value: a.ID}}
			if err := tx.CreateOrgHandshake(ctx, child); err != nil {
				return err
			}
		}
		if err := s.maybeApprove(ctx, tx, w, parent.ID); err != nil {
			return err
		}
		out, err = s.getHandshake(ctx, tx, parent.ID)
		return err
	})
	return out, err
}

// maybeApprove: when every ENABLE_ALL_FEATURES child of parent is accepted,
// the parent becomes OPEN and the management account gets APPROVE_ALL_FEATURES.
func (s *Service) maybeApprove(ctx context.Context, tx store.Tx, w world, parentID string) error {
	hs, err := s.allHandshakes(ctx, tx)
	if err != nil {
		return err
	}
	var parent store.OrgHandshake
	for _, h := range hs {
		switch {
		case h.ID == parentID:
			parent = h
		case h.ParentID == parentID && h.Action == ActionEnableAllFeatures && h.State != HandshakeAccepted:
			return nil
		case h.ParentID == parentID && h.Action == ActionApproveAllFeatures:
			return nil
		}
	}
	if parent.State != HandshakeRequested {
		return nil
	}
	parent.State, parent.StateChangedAt = HandshakeOpen, s.now()
	if err := tx.ReplaceOrgHandshake(ctx, parent); err != nil {
		return err
	}
	approve, err := s.newHandshake(w, ActionApproveAllFeatures, allFeaturesLifetime)
	if err != nil {
		return err
	}
	approve.ParentID = parentID
	approve.Parties = []store.OrgHandshakeParty{{ID: w.Org.ID, Type: PartyOrganization}, {ID: w.Org.ManagementAccountID, Type: PartyAccount}}
	approve.Resources = []store.OrgHandshakeResource{{Type: "ORGANIZATION", Value: w.Org.ID}}
	return tx.CreateOrgHandshake(ctx, approve)
}

// transition checks that h can move to state.
func transition(h store.OrgHandshake, state string) error {
	if h.State == state {
		return conflict("HANDSHAKE_ALREADY_IN_STATE", fmt.Sprintf("The specified handshake is already in the requested state: %s.", state))
	}
	if !active(h) {
		return conflict("INVALID_HANDSHAKE_TRANSITION", fmt.Sprintf("You can't perform the operation on the handshake in its current state (%s).", h.State))
	}
	return nil
}

// AcceptHandshake accepts a handshake the caller's account received.
func (s *Service) AcceptHandshake(ctx context.Context, caller, id string) (store.OrgHandshake, error) {
	var out store.OrgHandshake
	err := s.update(ctx, "accept handshake", func(tx store.Tx, w world) error {
		h, err := s.respondable(ctx, tx, w, caller, id)
		if err != nil {
			return err
		}
		if err := transition(h, HandshakeAccepted); err != nil {
			return err
		}
		switch h.Action {
		case ActionInvite:
			if err := s.join(ctx, tx, w, h, caller); err != nil {
				return err
			}
		case ActionEnableAllFeatures:
			if h.ParentID == "" {
				if h.State != HandshakeOpen {
					return conflict("INVALID_HANDSHAKE_TRANSITION", "You can't finalize enabling all features until every invited member account has approved the change.")
				}
				if err := s.finalizeAllFeatures(ctx, tx, w, h.ID); err != nil {
					return err
				}
				out, err = s.getHandshake(ctx, tx, h.ID)
				return err
			}
		case ActionApproveAllFeatures:
			if err := s.finalizeAllFeatures(ctx, tx, w, h.ParentID); err != nil {
				return err
			}
			out, err = s.getHandshake(ctx, tx, h.ID)
			return err
		case ActionTransfer:
			if err := s.setTransferStatus(ctx, tx, h.ID, TransferAccepted); err != nil {
				return err
			}
		}
		h.State, h.StateChangedAt = HandshakeAccepted, s.now()
		if err := tx.ReplaceOrgHandshake(ctx, h); err != nil {
			return err
		}
		if h.Action == ActionEnableAllFeatures && h.ParentID != "" {
			if err := s.maybeApprove(ctx, tx, w, h.ParentID); err != nil {
				return err
			}
		}
		out = h
		return nil
	})
	return out, err
}

// respondable returns a handshake the caller may accept or decline.
func (s *Service) respondable(ctx context.Context, tx store.Tx, w world, caller, id string) (store.OrgHandshake, error) {
	h, err := s.getHandshake(ctx, tx, id)
	if err != nil {
		return h, err
	}
	ok, err := isRecipient(ctx, tx, w, h, caller)
	if err != nil {
		return h, err
	}
	if !ok {
		if isOriginator(w, h, caller) {
			return h, accessDenied()
		}
		return h, notFound("HANDSHAKE", id, msgHandshakeNotFound)
	}
	return h, nil
}

// join makes the caller's account a member (an accepted invitation).
func (s *Service) join(ctx context.Context, tx store.Tx, w world, h store.OrgHandshake, caller string) error {
	if _, err := tx.GetAccount(ctx, caller); err == nil {
		return handshakeConstraint("ALREADY_IN_AN_ORGANIZATION", "The handshake request is invalid because the invited account is already a member of an organization.")
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	acct, err := tx.GetOrgFormerAccount(ctx, caller)
	former := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if !former {
		// An account idcenter did not know: named by its id, with the
		// invitation's e-mail (or a placeholder for an invitation by id).
		acct = store.Account{ID: caller, Name: caller, Email: caller + "@accounts.idcenter.invalid"}
	}
	if p, ok := recipientParty(h); ok && p.Type == PartyEmail {
		acct.Email = p.ID
	}
	acct.ARN, acct.Status, acct.JoinedMethod, acct.JoinedAt = w.accountARN(caller), StatusActive, "INVITED", s.now()
	if err := tx.CreateAccount(ctx, acct); errors.Is(err, store.ErrAlreadyExists) {
		return handshakeConstraint("ALREADY_IN_AN_ORGANIZATION", "An account with this e-mail address is already a member of the organization.")
	} else if err != nil {
		return err
	}
	if former {
		if err := tx.DeleteOrgFormerAccount(ctx, caller); err != nil {
			return err
		}
	}
	if w.scpEnabled() {
		if err := attachIgnoringDup(ctx, tx, fullAccess, caller, store.OrgTargetAccount); err != nil {
			return err
		}
	}
	tags, err := tx.GetOrgTags(ctx, h.ID)
	if err != nil {
		return err
	}
	if len(tags) > 0 {
		if err := tx.PutOrgTags(ctx, caller, tags); err != nil {
			return err
		}
		return tx.PutOrgTags(ctx, h.ID, nil)
	}
	return nil
}

// finalizeAllFeatures switches the organization to ALL features: SCPs are
// enabled in the root with FullAWSAccess attached everywhere, and the
// ENABLE_ALL_FEATURES family of handshakes is ACCEPTED.
func (s *Service) finalizeAllFeatures(ctx context.Context, tx store.Tx, w world, parentID string) error {
	o := w.Org
	o.FeatureSet = FeatureSetAll
	if err := tx.ReplaceOrganization(ctx, o); err != nil {
		return err
	}
	root := w.Root
	if !w.scpEnabled() {
		root.PolicyTypes = append(root.PolicyTypes, store.OrgPolicyType{Type: scpType, Status: "ENABLED"})
		if err := tx.ReplaceOrgRoot(ctx, root); err != nil {
			return err
		}
		if err := ensureFullAccess(ctx, tx); err != nil {
			return err
		}
		w.Root = root
		if err := forEachTarget(ctx, tx, w, func(id, targetType string) error {
			return attachIgnoringDup(ctx, tx, fullAccess, id, targetType)
		}); err != nil {
			return err
		}
	}
	hs, err := s.allHandshakes(ctx, tx)
	if err != nil {
		return err
	}
	for _, h := range hs {
		if (h.ID == parentID || h.ParentID == parentID) && active(h) {
			h.State, h.StateChangedAt = HandshakeAccepted, s.now()
			if err := tx.ReplaceOrgHandshake(ctx, h); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeclineHandshake declines a handshake the caller's account received.
func (s *Service) DeclineHandshake(ctx context.Context, caller, id string) (store.OrgHandshake, error) {
	var out store.OrgHandshake
	err := s.update(ctx, "decline handshake", func(tx store.Tx, w world) error {
		h, err := s.respondable(ctx, tx, w, caller, id)
		if err != nil {
			return err
		}
		if err := transition(h, HandshakeDeclined); err != nil {
			return err
		}
		if err := s.endFamily(ctx, tx, h, HandshakeDeclined); err != nil {
			return err
		}
		out, err = s.getHandshake(ctx, tx, id)
		return err
	})
	return out, err
}

// CancelHandshake cancels a handshake the organization sent (management account only).
func (s *Service) CancelHandshake(ctx context.Context, caller, id string) (store.OrgHandshake, error) {
	var out store.OrgHandshake
	err := s.update(ctx, "cancel handshake", func(tx store.Tx, w world) error {
		h, err := s.getHandshake(ctx, tx, id)
		if err != nil {
			return err
		}
		if !isOriginator(w, h, caller) {
			if ok, err := isRecipient(ctx, tx, w, h, caller); err != nil {
				return err
			} else if ok {
				return accessDenied()
			}
			return notFound("HANDSHAKE", id, msgHandshakeNotFound)
		}
		if err := transition(h, HandshakeCanceled); err != nil {
			return err
		}
		if err := s.endFamily(ctx, tx, h, HandshakeCanceled); err != nil {
			return err
		}
		out, err = s.getHandshake(ctx, tx, id)
		return err
	})
	return out, err
}

// endFamily moves h to state; for the all-features family (parent,
// children, approval) every open member ends with it, as the change can no
// longer complete. A transfer's handshake takes its transfer along.
func (s *Service) endFamily(ctx context.Context, tx store.Tx, h store.OrgHandshake, state string) error {
	if h.Action != ActionEnableAllFeatures && h.Action != ActionApproveAllFeatures {
		h.State, h.StateChangedAt = state, s.now()
		if err := tx.ReplaceOrgHandshake(ctx, h); err != nil {
			return err
		}
		if h.Action == ActionTransfer {
			return s.setTransferStatus(ctx, tx, h.ID, state)
		}
		return nil
	}
	root := h.ID
	if h.ParentID != "" {
		root = h.ParentID
	}
	hs, err := s.allHandshakes(ctx, tx)
	if err != nil {
		return err
	}
	for _, o := range hs {
		if (o.ID == root || o.ParentID == root) && active(o) {
			o.State, o.StateChangedAt = state, s.now()
			if err := tx.ReplaceOrgHandshake(ctx, o); err != nil {
				return err
			}
		}
	}
	return nil
}

// DescribeHandshake returns a handshake the caller's account sent or received.
func (s *Service) DescribeHandshake(ctx context.Context, caller, id string) (store.OrgHandshake, error) {
	var out store.OrgHandshake
	err := s.view(ctx, "describe handshake", func(tx store.Tx, w world) error {
		h, err := s.getHandshake(ctx, tx, id)
		if err != nil {
			return err
		}
		ok, err := isRecipient(ctx, tx, w, h, caller)
		if err != nil {
			return err
		}
		if !ok && !isOriginator(w, h, caller) {
			return notFound("HANDSHAKE", id, msgHandshakeNotFound)
		}
		out = h
		return nil
	})
	return out, err
}

func checkFilter(f HandshakeFilter) error {
	if f.ActionType != "" && f.ParentHandshakeID != "" {
		return invalid("MAX_LIMIT_EXCEEDED_FILTER", "You can specify only one filter parameter: ActionType or ParentHandshakeId.")
	}
	return nil
}

func (f HandshakeFilter) match(h store.OrgHandshake) bool {
	return (f.ActionType == "" || h.Action == f.ActionType) && (f.ParentHandshakeID == "" || h.ParentID == f.ParentHandshakeID)
}

// listHandshakes lists the handshakes that pass keep and the filter, paged by id.
func (s *Service) listHandshakes(ctx context.Context, op string, f HandshakeFilter, max int, token string, check func(world) error,
	keep func(tx store.Tx, w world, h store.OrgHandshake) (bool, error)) ([]store.OrgHandshake, string, error) {
	if err := checkFilter(f); err != nil {
		return nil, "", err
	}
	var out []store.OrgHandshake
	err := s.view(ctx, op, func(tx store.Tx, w world) error {
		if err := check(w); err != nil {
			return err
		}
		hs, err := s.allHandshakes(ctx, tx)
		if err != nil {
			return err
		}
		for _, h := range hs {
			if !f.match(h) {
				continue
			}
			ok, err := keep(tx, w, h)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, h)
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return pageSlice(out, func(h store.OrgHandshake) string { return h.ID }, token, max, 20)
}

// ListHandshakesForAccount lists the handshakes the caller's account received.
func (s *Service) ListHandshakesForAccount(ctx context.Context, caller string, f HandshakeFilter, max int, token string) ([]store.OrgHandshake, string, error) {
	return s.listHandshakes(ctx, "list handshakes for account", f, max, token, func(world) error { return nil }, func(tx store.Tx, w world, h store.OrgHandshake) (bool, error) {
		if h.Action == ActionEnableAllFeatures && h.ParentID == "" {
			return false, nil // the organization's own request, listed for the organization
		}
		return isRecipient(ctx, tx, w, h, caller)
	})
}

// ListHandshakesForOrganization lists every handshake of the organization (management account only).
func (s *Service) ListHandshakesForOrganization(ctx context.Context, caller string, f HandshakeFilter, max int, token string) ([]store.OrgHandshake, string, error) {
	return s.listHandshakes(ctx, "list handshakes for organization", f, max, token,
		func(w world) error { return requireManagement(w, caller) },
		func(store.Tx, world, store.OrgHandshake) (bool, error) { return true, nil })
}
