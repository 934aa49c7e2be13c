package policy

import "strings"

// UsesKeyPrefix reports whether a condition of any statement tests a key
// starting with prefix (lower case, e.g. "aws:resourcetag/"): the authoriser
// looks up what such keys need only when a policy tests them.
func (p *Policy) UsesKeyPrefix(prefix string) bool {
	if p == nil {
		return false
	}
	for i := range p.stmts {
		for _, c := range p.stmts[i].conds {
			if strings.HasPrefix(c.keyLower, prefix) {
				return true
			}
		}
	}
	return false
}

// UsesKeyPrefix reports whether any policy of the set tests a key starting
// with prefix (lower case).
func (ps *PolicySet) UsesKeyPrefix(prefix string) bool {
	for _, list := range [][]*Policy{ps.Identity, ps.Boundary, ps.Session} {
		for _, p := range list {
			if p.UsesKeyPrefix(prefix) {
				return true
			}
		}
	}
	for _, levels := range [][][]*Policy{ps.SCPs, ps.RCPs} {
		for _, lvl := range levels {
			for _, p := range lvl {
				if p.UsesKeyPrefix(prefix) {
					return true
				}
			}
		}
	}
	return ps.Resource.UsesKeyPrefix(prefix)
}
