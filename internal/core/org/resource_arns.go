package org

import (
	"context"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// ARNOf returns the ARN the authorisation point checks an Organizations call
// against for the entity id names, in the formats of AWS's Service
// Authorization Reference: an account (12 digits, …:account/o-…/<id>), a root
// (r-…, …:root/o-…/r-…), an OU (ou-…, …:ou/o-…/ou-…), a policy (p-…, its
// stored ARN: …:policy/o-…/<type>/p-…, or arn:aws:organizations::aws:policy/…
// for AWS-managed ones), the resource policy (rp, rp-…), a handshake (h-…) or
// a responsibility transfer (rt-…). Accounts, roots and OUs are named by their
// ID whether or not they exist (the operation then answers not found, as AWS
// does after authorising); "*" when there is no organization, or when a
// policy, handshake, transfer or resource policy does not exist.
func (s *Service) ARNOf(ctx context.Context, id string) string {
	arn := ""
	_ = s.Store.View(ctx, func(tx store.Tx) error {
		o, err := tx.GetOrganization(ctx)
		if err != nil {
			return nil
		}
		base := fmt.Sprintf("arn:aws:organizations::%s:", o.ManagementAccountID)
		switch {
		case isAccountID(id):
			arn = base + "account/" + o.ID + "/" + id
		case strings.HasPrefix(id, "r-"):
			arn = base + "root/" + o.ID + "/" + id
		case strings.HasPrefix(id, "ou-"):
			arn = base + "ou/" + o.ID + "/" + id
		case strings.HasPrefix(id, "p-"):
			if p, err := tx.GetOrgPolicy(ctx, id); err == nil {
				arn = p.ARN
			}
		case id == "rp" || strings.HasPrefix(id, "rp-"):
			if p, err := tx.GetOrgResourcePolicy(ctx); err == nil && (id == "rp" || p.ID == id) {
				arn = p.ARN
			}
		case strings.HasPrefix(id, "rt-"):
			if tr, err := tx.GetOrgTransfer(ctx, id); err == nil {
				arn = tr.ARN
			}
		case strings.HasPrefix(id, "h-"):
			if h, err := tx.GetOrgHandshake(ctx, id); err == nil {
				arn = h.ARN
			}
		}
		return nil
	})
	if arn == "" {
		return "*"
	}
	return arn
}

// ARNsOf is ARNOf for several IDs, in order, skipping empty ones.
func (s *Service) ARNsOf(ctx context.Context, ids ...string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			out = append(out, s.ARNOf(ctx, id))
		}
	}
	return out
}

func isAccountID(id string) bool {
	if len(id) != 12 {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
