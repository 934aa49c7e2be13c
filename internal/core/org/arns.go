package org

import (
	"context"

	"github.com/idcenter/idcenter/internal/store"
)

// ResourceARN returns the ARN of a handshake ("h-…"), a responsibility
// transfer ("rt-…") or the resource policy ("rp") for the authorisation
// point; "*" when it does not exist (the operation then answers not found).
func (s *Service) ResourceARN(ctx context.Context, id string) string {
	arn := ""
	_ = s.Store.View(ctx, func(tx store.Tx) error {
		switch {
		case id == "rp":
			if p, err := tx.GetOrgResourcePolicy(ctx); err == nil {
				arn = p.ARN
			}
		case len(id) > 3 && id[:3] == "rt-":
			if tr, err := tx.GetOrgTransfer(ctx, id); err == nil {
				arn = tr.ARN
			}
		case len(id) > 2 && id[:2] == "h-":
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
