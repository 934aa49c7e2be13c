package org

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// maxTags is AWS's limit of tags per resource.
const maxTags = 50

func checkTags(tags []store.Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return invalid("INVALID_SYSTEM_TAGS_PARAMETER", "You provided a value that does not match the required pattern: tag keys can't start with aws:.")
		}
		if seen[t.Key] {
			return invalid("DUPLICATE_TAG_KEY", "You provided duplicate tag keys.")
		}
		seen[t.Key] = true
	}
	if len(tags) > maxTags {
		return constraint("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the maximum number of tags allowed on this resource.")
	}
	return nil
}

func sortTags(tags []store.Tag) []store.Tag {
	out := append([]store.Tag(nil), tags...)
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// requireTarget checks that id names the root, an OU, an account or (when
// policies is true) a policy, and returns its target type.
func requireTarget(ctx context.Context, tx store.Tx, w world, id string, policies bool) (string, error) {
	missing := notFound("TARGET", id, "We can't find a root, OU, account, or policy with the TargetId that you specified.")
	switch {
	case id == w.Root.ID:
		return store.OrgTargetRoot, nil
	case strings.HasPrefix(id, "ou-"):
		_, err := tx.GetOrgUnit(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return "", missing
		}
		return store.OrgTargetOU, err
	case strings.HasPrefix(id, "p-"):
		if !policies {
			return "", missing
		}
		_, err := tx.GetOrgPolicy(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return "", missing
		}
		return "POLICY", err
	case strings.HasPrefix(id, "rp-") && policies:
		p, err := tx.GetOrgResourcePolicy(ctx)
		if errors.Is(err, store.ErrNotFound) || err == nil && p.ID != id {
			return "", missing
		}
		return "RESOURCE_POLICY", err
	case strings.HasPrefix(id, "rt-") && policies:
		_, err := tx.GetOrgTransfer(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return "", missing
		}
		return "RESPONSIBILITY_TRANSFER", err
	}
	_, err := tx.GetAccount(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", missing
	}
	return store.OrgTargetAccount, err
}

// TagResource adds or overwrites tags of an account, OU, root, policy,
// resource policy or responsibility transfer.
func (s *Service) TagResource(ctx context.Context, id string, tags []store.Tag) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return s.update(ctx, "tag resource", func(tx store.Tx, w world) error {
		if _, err := requireTarget(ctx, tx, w, id, true); err != nil {
			return err
		}
		cur, err := tx.GetOrgTags(ctx, id)
		if err != nil {
			return err
		}
		byKey := map[string]string{}
		for _, t := range cur {
			byKey[t.Key] = t.Value
		}
		for _, t := range tags {
			byKey[t.Key] = t.Value
		}
		if len(byKey) > maxTags {
			return constraint("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the maximum number of tags allowed on this resource.")
		}
		merged := make([]store.Tag, 0, len(byKey))
		for k, v := range byKey {
			merged = append(merged, store.Tag{Key: k, Value: v})
		}
		return tx.PutOrgTags(ctx, id, sortTags(merged))
	})
}

// UntagResource removes tags by key (absent keys are ignored).
func (s *Service) UntagResource(ctx context.Context, id string, keys []string) error {
	return s.update(ctx, "untag resource", func(tx store.Tx, w world) error {
		if _, err := requireTarget(ctx, tx, w, id, true); err != nil {
			return err
		}
		cur, err := tx.GetOrgTags(ctx, id)
		if err != nil {
			return err
		}
		drop := map[string]bool{}
		for _, k := range keys {
			drop[k] = true
		}
		var keep []store.Tag
		for _, t := range cur {
			if !drop[t.Key] {
				keep = append(keep, t)
			}
		}
		return tx.PutOrgTags(ctx, id, keep)
	})
}

// ListTagsForResource pages through a resource's tags.
func (s *Service) ListTagsForResource(ctx context.Context, id, token string) ([]store.Tag, string, error) {
	var tags []store.Tag
	err := s.view(ctx, "list tags for resource", func(tx store.Tx, w world) error {
		if _, err := requireTarget(ctx, tx, w, id, true); err != nil {
			return err
		}
		var err error
		tags, err = tx.GetOrgTags(ctx, id)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(tags, func(t store.Tag) string { return t.Key }, token, 0, 100)
}
