package org

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// Responsibility-transfer statuses and types.
const (
	TransferRequested = "REQUESTED"
	TransferDeclined  = "DECLINED"
	TransferCanceled  = "CANCELED"
	TransferExpired   = "EXPIRED"
	TransferAccepted  = "ACCEPTED"
	TransferWithdrawn = "WITHDRAWN"
	TransferBilling   = "BILLING"
)

const msgTransferNotFound = "We can't find a transfer that you specified."

// TransferInput is what InviteOrganizationToTransferResponsibility takes.
type TransferInput struct {
	Type       string
	Target     Party
	Notes      string
	Start      time.Time
	SourceName string
	Tags       []store.Tag
}

func (w world) transferARN(tr store.OrgTransfer, direction string) string {
	return fmt.Sprintf("arn:aws:organizations::%s:transfer/%s/%s/%s/%s", w.Org.ManagementAccountID, w.Org.ID,
		strings.ToLower(tr.Type), direction, tr.ID)
}

func beginningOfMonth(t time.Time) bool {
	t = t.UTC()
	return t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// InviteTransfer invites another organization's management account to take
// over responsibilities (billing) for this organization. idcenter hosts one
// organization: the target is an account outside it, and the transfer stays
// REQUESTED until it is withdrawn (TerminateResponsibilityTransfer), the
// handshake is canceled, or it expires after 15 days.
func (s *Service) InviteTransfer(ctx context.Context, caller string, in TransferInput) (store.OrgHandshake, error) {
	if in.Type != TransferBilling {
		return store.OrgHandshake{}, invalid("INVALID_ENUM", "Only BILLING responsibility transfers are supported.")
	}
	if err := checkTarget(in.Target); err != nil {
		return store.OrgHandshake{}, err
	}
	if err := checkTags(in.Tags); err != nil {
		return store.OrgHandshake{}, err
	}
	var out store.OrgHandshake
	err := s.update(ctx, "invite organization to transfer responsibility", func(tx store.Tx, w world) error {
		if err := requireManagement(w, caller); err != nil {
			return err
		}
		if !beginningOfMonth(in.Start) {
			return invalid("START_DATE_NOT_BEGINNING_OF_MONTH", "The start date must be the beginning of a month (00:00:00 UTC on the first day).")
		}
		if in.Start.Before(s.now()) {
			return invalid("START_DATE_TOO_EARLY", "The start date can't be in the past.")
		}
		if in.Start.After(s.now().AddDate(1, 0, 0)) {
			return invalid("START_DATE_TOO_LATE", "The start date can't be more than a year from now.")
		}
		if (in.Target.Type == PartyAccount && in.Target.ID == w.Org.ManagementAccountID) ||
			(in.Target.Type == PartyEmail && strings.EqualFold(in.Target.ID, w.Org.ManagementEmail)) {
			return handshakeConstraint("SOURCE_AND_TARGET_CANNOT_MATCH", "An account can't be both the sender and the recipient of a transfer invitation.")
		}
		member, err := memberMatching(ctx, tx, in.Target)
		if err != nil {
			return err
		}
		if member {
			return handshakeConstraint("SOURCE_AND_TARGET_CANNOT_MATCH", "The recipient of a transfer must be the management account of another organization, not a member of this one.")
		}
		trs, err := s.allTransfers(ctx, tx)
		if err != nil {
			return err
		}
		for _, tr := range trs {
			if tr.Type == in.Type && (tr.Status == TransferRequested || tr.Status == TransferAccepted) &&
				(tr.TargetAccountID != "" && tr.TargetAccountID == in.Target.ID || tr.TargetEmail != "" && strings.EqualFold(tr.TargetEmail, in.Target.ID)) {
				return handshakeConstraint("RESPONSIBILITY_TRANSFER_ALREADY_EXISTS", "A transfer of this type to this recipient already exists.")
			}
		}
		h, err := s.newHandshake(w, ActionTransfer, inviteLifetime)
		if err != nil {
			return err
		}
		suffix, err := s.random(lowerAlnum, 16)
		if err != nil {
			return err
		}
		tr := store.OrgTransfer{ID: "rt-" + suffix, Name: in.SourceName, Type: in.Type, Status: TransferRequested,
			SourceAccountID: w.Org.ManagementAccountID, SourceEmail: w.Org.ManagementEmail, StartAt: in.Start.UTC(), HandshakeID: h.ID}
		if in.Target.Type == PartyAccount {
			tr.TargetAccountID = in.Target.ID
		} else {
			tr.TargetEmail = in.Target.ID
		}
		tr.ARN = w.transferARN(tr, "outbound")
		mgmtName := ""
		if m, err := tx.GetAccount(ctx, w.Org.ManagementAccountID); err == nil {
			mgmtName = m.Name
		}
		h.Parties = []store.OrgHandshakeParty{{ID: w.Org.ID, Type: PartyOrganization}, {ID: in.Target.ID, Type: in.Target.Type}}
		h.Resources = []store.OrgHandshakeResource{
			{Type: "RESPONSIBILITY_TRANSFER", Value: tr.ID},
			{Type: "TRANSFER_TYPE", Value: tr.Type},
			{Type: "TRANSFER_START_TIMESTAMP", Value: tr.StartAt.Format(time.RFC3339)},
			{Type: "MANAGEMENT_ACCOUNT", Value: w.Org.ManagementAccountID},
			{Type: "MANAGEMENT_EMAIL", Value: w.Org.ManagementEmail},
			{Type: "MANAGEMENT_NAME", Value: mgmtName},
		}
		if in.Notes != "" {
			h.Resources = append(h.Resources, store.OrgHandshakeResource{Type: "NOTES", Value: in.Notes})
		}
		if err := tx.CreateOrgHandshake(ctx, h); err != nil {
			return err
		}
		if err := tx.CreateOrgTransfer(ctx, tr); err != nil {
			return err
		}
		if len(in.Tags) > 0 {
			if err := tx.PutOrgTags(ctx, tr.ID, sortTags(in.Tags)); err != nil {
				return err
			}
		}
		out = h
		return nil
	})
	return out, err
}

// currentTransfer: a REQUESTED transfer whose handshake expired is EXPIRED.
func (s *Service) currentTransfer(ctx context.Context, tx store.Tx, tr store.OrgTransfer) (store.OrgTransfer, error) {
	if tr.Status != TransferRequested {
		return tr, nil
	}
	h, err := tx.GetOrgHandshake(ctx, tr.HandshakeID)
	if errors.Is(err, store.ErrNotFound) {
		return tr, nil
	}
	if err != nil {
		return tr, err
	}
	if s.current(h).State == HandshakeExpired {
		tr.Status = TransferExpired
	}
	return tr, nil
}

func (s *Service) allTransfers(ctx context.Context, tx store.Tx) ([]store.OrgTransfer, error) {
	trs, err := tx.ListOrgTransfers(ctx)
	if err != nil {
		return nil, err
	}
	for i := range trs {
		if trs[i], err = s.currentTransfer(ctx, tx, trs[i]); err != nil {
			return nil, err
		}
	}
	return trs, nil
}

// setTransferStatus follows a transfer handshake's new state.
func (s *Service) setTransferStatus(ctx context.Context, tx store.Tx, handshakeID, state string) error {
	trs, err := tx.ListOrgTransfers(ctx)
	if err != nil {
		return err
	}
	for _, tr := range trs {
		if tr.HandshakeID == handshakeID {
			tr.Status = state
			return tx.ReplaceOrgTransfer(ctx, tr)
		}
	}
	return nil
}

// transferFor returns a transfer the caller's account is part of.
func (s *Service) transferFor(ctx context.Context, tx store.Tx, caller, id string) (store.OrgTransfer, error) {
	tr, err := tx.GetOrgTransfer(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return tr, notFound("RESPONSIBILITY_TRANSFER", id, msgTransferNotFound)
	}
	if err != nil {
		return tr, err
	}
	if tr.SourceAccountID != caller && tr.TargetAccountID != caller {
		return tr, notFound("RESPONSIBILITY_TRANSFER", id, msgTransferNotFound)
	}
	return s.currentTransfer(ctx, tx, tr)
}

// DescribeTransfer returns a transfer the caller's account sent or received.
func (s *Service) DescribeTransfer(ctx context.Context, caller, id string) (store.OrgTransfer, error) {
	var out store.OrgTransfer
	err := s.view(ctx, "describe responsibility transfer", func(tx store.Tx, _ world) error {
		var err error
		out, err = s.transferFor(ctx, tx, caller, id)
		return err
	})
	return out, err
}

// ListTransfers lists the caller's inbound (it is the target) or outbound
// (it is the source) transfers of a type; id narrows to one transfer.
func (s *Service) ListTransfers(ctx context.Context, caller string, inbound bool, typ, id string, max int, token string) ([]store.OrgTransfer, string, error) {
	if typ != TransferBilling {
		return nil, "", invalid("INVALID_ENUM", "Only BILLING responsibility transfers are supported.")
	}
	var out []store.OrgTransfer
	err := s.view(ctx, "list responsibility transfers", func(tx store.Tx, w world) error {
		if !inbound {
			if err := requireManagement(w, caller); err != nil {
				return err
			}
		}
		trs, err := s.allTransfers(ctx, tx)
		if err != nil {
			return err
		}
		for _, tr := range trs {
			mine := tr.SourceAccountID == caller
			if inbound {
				mine = tr.TargetAccountID == caller
			}
			if mine && tr.Type == typ && (id == "" || tr.ID == id) {
				out = append(out, tr)
			}
		}
		if id != "" && len(out) == 0 {
			return notFound("RESPONSIBILITY_TRANSFER", id, msgTransferNotFound)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return pageSlice(out, func(tr store.OrgTransfer) string { return tr.ID }, token, max, 20)
}

func endOfMonth(t time.Time) bool {
	t = t.UTC()
	next := t.Add(time.Second)
	return next.Day() == 1 && t.Hour() == 23 && t.Minute() == 59 && t.Second() == 59
}

// TerminateTransfer ends a transfer the caller's organization sent: a
// REQUESTED invitation is withdrawn (its handshake canceled); an ACCEPTED
// transfer ends at endAt (the end of a month, the end of this month when zero).
func (s *Service) TerminateTransfer(ctx context.Context, caller, id string, endAt time.Time) (store.OrgTransfer, error) {
	var out store.OrgTransfer
	err := s.update(ctx, "terminate responsibility transfer", func(tx store.Tx, w world) error {
		tr, err := s.transferFor(ctx, tx, caller, id)
		if err != nil {
			return err
		}
		switch tr.Status {
		case TransferWithdrawn:
			return conflict("TRANSFER_ALREADY_IN_STATUS", "The responsibility transfer is already in the status that you specified (WITHDRAWN).")
		case TransferRequested, TransferAccepted:
		default:
			return conflict("INVALID_TRANSFER_TRANSITION", fmt.Sprintf("You can't terminate a responsibility transfer in status %s.", tr.Status))
		}
		if !endAt.IsZero() {
			if !endOfMonth(endAt) {
				return invalid("END_DATE_NOT_END_OF_MONTH", "The end date must be the end of a month (23:59:59 UTC on its last day).")
			}
			if endAt.Before(s.now()) || (!tr.StartAt.IsZero() && endAt.Before(tr.StartAt)) {
				return invalid("END_DATE_TOO_EARLY", "The end date can't be in the past or before the transfer starts.")
			}
		} else {
			n := s.now()
			endAt = time.Date(n.Year(), n.Month()+1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Second)
		}
		if tr.Status == TransferRequested {
			h, err := tx.GetOrgHandshake(ctx, tr.HandshakeID)
			if err == nil && active(s.current(h)) {
				h.State, h.StateChangedAt = HandshakeCanceled, s.now()
				if err := tx.ReplaceOrgHandshake(ctx, h); err != nil {
					return err
				}
			} else if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		tr.Status, tr.EndAt = TransferWithdrawn, endAt
		if err := tx.ReplaceOrgTransfer(ctx, tr); err != nil {
			return err
		}
		out = tr
		return nil
	})
	return out, err
}

// UpdateTransfer renames a transfer the caller's organization sent.
func (s *Service) UpdateTransfer(ctx context.Context, caller, id, name string) (store.OrgTransfer, error) {
	var out store.OrgTransfer
	err := s.update(ctx, "update responsibility transfer", func(tx store.Tx, w world) error {
		tr, err := s.transferFor(ctx, tx, caller, id)
		if err != nil {
			return err
		}
		if tr.SourceAccountID != caller {
			return accessDenied()
		}
		stored, err := tx.GetOrgTransfer(ctx, id)
		if err != nil {
			return err
		}
		stored.Name = name
		if err := tx.ReplaceOrgTransfer(ctx, stored); err != nil {
			return err
		}
		tr.Name = name
		out = tr
		return nil
	})
	return out, err
}
