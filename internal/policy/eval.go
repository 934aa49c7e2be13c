package policy

import (
	"strconv"
	"strings"
)

// PolicyType is the role a policy plays in an evaluation.
type PolicyType uint8

// Policy types.
const (
	TypeNone PolicyType = iota
	TypeIdentity
	TypeBoundary
	TypeSession
	TypeSCP
	TypeRCP
	TypeResource
)

// String is AWS's name for the policy type, as used in denial messages.
func (t PolicyType) String() string {
	switch t {
	case TypeIdentity:
		return "identity-based policy"
	case TypeBoundary:
		return "permissions boundary"
	case TypeSession:
		return "session policy"
	case TypeSCP:
		return "service control policy"
	case TypeRCP:
		return "resource control policy"
	case TypeResource:
		return "resource-based policy"
	}
	return "none"
}

func (t PolicyType) article() string {
	if t == TypeIdentity {
		return "an "
	}
	return "a "
}

// Decision effects.
const (
	EffectAllow        = "Allow"
	EffectExplicitDeny = "ExplicitDeny"
	EffectImplicitDeny = "ImplicitDeny"
)

// PolicySet is every policy that applies to a request.
type PolicySet struct {
	Identity []*Policy   // user + group policies, or role policies
	Boundary []*Policy   // permissions boundary (nil = none)
	Session  []*Policy   // session policies (nil = none)
	SCPs     [][]*Policy // one level per root/OU/account; each must allow (nil = not in an org, or management account)
	RCPs     [][]*Policy // same, for resource control policies
	Resource *Policy     // resource-based policy (nil = none)
	IsRoot   bool        // the account's root user: allowed unless an SCP/RCP or explicit deny says otherwise
}

// Match names one statement that took part in a decision.
type Match struct {
	Type      PolicyType
	Index     int    // index in the PolicySet slice (the level for SCPs and RCPs)
	Policy    string // the policy's Name
	Statement int    // index of the statement in the policy
	Sid       string
	Effect    string // "Allow" or "Deny"
}

// Decision is the result of Evaluate.
type Decision struct {
	Allowed bool
	Effect  string // EffectAllow, EffectExplicitDeny or EffectImplicitDeny
	// Reason is, for a denial, the policy type that denied explicitly or
	// lacked an allow (TypeNone when allowed). Level is the SCP/RCP level.
	Reason PolicyType
	Level  int
	// Matched holds the denying statement, or the allowing statements.
	Matched []Match
}

// DenialReason is the end of AWS's AccessDenied message after
// "User: ARN is not authorized to perform: ACTION on resource: ARN":
// " with an explicit deny in a service control policy" or
// " because no identity-based policy allows the ACTION action".
// It is "" for an allowed decision.
func (d Decision) DenialReason(action string) string {
	switch d.Effect {
	case EffectExplicitDeny:
		return " with an explicit deny in " + d.Reason.article() + d.Reason.String()
	case EffectImplicitDeny:
		return " because no " + d.Reason.String() + " allows the " + action + " action"
	}
	return ""
}

// hit locates a statement: p is nil when there is none.
type hit struct {
	p     *Policy
	stmt  int
	index int
}

func (h hit) match(t PolicyType) Match {
	st := &h.p.stmts[h.stmt]
	eff := "Deny"
	if st.allow {
		eff = "Allow"
	}
	return Match{Type: t, Index: h.index, Policy: h.p.Name, Statement: h.stmt, Sid: st.sid, Effect: eff}
}

// applies reports whether the statement applies to the request and, for
// statements with a Principal, how strongly the principal matched.
func (s *statement) applies(req *Request) (bool, int) {
	found := false
	for i := range s.actions {
		if s.actions[i].match(req.Action, true) {
			found = true
			break
		}
	}
	if found == s.notAction {
		return false, pNone
	}
	if !s.resAll {
		found = false
		for i := range s.resources {
			if s.resources[i].match(req) {
				found = true
				break
			}
		}
		if found == s.notResource {
			return false, pNone
		}
	}
	level := pDirect
	if s.principal != nil {
		level = s.principal.match(req)
		if s.notPrincipal {
			if level != pNone {
				return false, pNone
			}
			level = pDirect
		} else if level == pNone {
			return false, pNone
		}
	}
	for i := range s.conds {
		if !s.conds[i].eval(req) {
			return false, pNone
		}
	}
	return true, level
}

// evalPolicy finds the first applicable Deny statement (deny >= 0) or the
// first applicable Allow and the strongest principal match among Allows.
func evalPolicy(p *Policy, req *Request) (deny, allow, level int) {
	deny, allow, level = -1, -1, pNone
	for i := range p.stmts {
		st := &p.stmts[i]
		ok, l := st.applies(req)
		if !ok {
			continue
		}
		if !st.allow {
			return i, -1, pNone
		}
		if allow < 0 {
			allow = i
		}
		if l > level {
			level = l
		}
	}
	return deny, allow, level
}

func scanList(pols []*Policy, req *Request) (deny, allow hit) {
	for i, p := range pols {
		if p == nil {
			continue
		}
		d, a, _ := evalPolicy(p, req)
		if d >= 0 {
			return hit{p, d, i}, hit{}
		}
		if a >= 0 && allow.p == nil {
			allow = hit{p, a, i}
		}
	}
	return hit{}, allow
}

func explicitDeny(t PolicyType, h hit) Decision {
	return Decision{Effect: EffectExplicitDeny, Reason: t, Level: h.index, Matched: []Match{h.match(t)}}
}

func implicitDeny(t PolicyType, level int) Decision {
	return Decision{Effect: EffectImplicitDeny, Reason: t, Level: level}
}

// Evaluate decides a request with AWS's policy evaluation logic: an explicit
// deny in any policy wins; every SCP and RCP level must allow; then a
// same-account resource-based policy naming the principal allows on its own;
// otherwise an identity-based allow (or, cross-account, both an identity-based
// and a resource-based allow) is needed, limited by the permissions boundary
// and session policies when present. The root user needs no identity allow.
func Evaluate(req *Request, ps *PolicySet) Decision {
	scpMissing, rcpMissing := -1, -1
	var scpAllows, rcpAllows [8]hit
	for lvl, pols := range ps.SCPs {
		deny, allow := scanList(pols, req)
		if deny.p != nil {
			return explicitDeny(TypeSCP, deny)
		}
		if allow.p == nil && scpMissing < 0 {
			scpMissing = lvl
		}
		if lvl < len(scpAllows) {
			scpAllows[lvl] = allow
		}
	}
	for lvl, pols := range ps.RCPs {
		deny, allow := scanList(pols, req)
		if deny.p != nil {
			return explicitDeny(TypeRCP, deny)
		}
		if allow.p == nil && rcpMissing < 0 {
			rcpMissing = lvl
		}
		if lvl < len(rcpAllows) {
			rcpAllows[lvl] = allow
		}
	}
	var resAllow hit
	resLevel := pNone
	if ps.Resource != nil {
		d, a, l := evalPolicy(ps.Resource, req)
		if d >= 0 {
			return explicitDeny(TypeResource, hit{ps.Resource, d, 0})
		}
		if a >= 0 {
			resAllow, resLevel = hit{ps.Resource, a, 0}, l
		}
	}
	deny, idAllow := scanList(ps.Identity, req)
	if deny.p != nil {
		return explicitDeny(TypeIdentity, deny)
	}
	deny, bAllow := scanList(ps.Boundary, req)
	if deny.p != nil {
		return explicitDeny(TypeBoundary, deny)
	}
	deny, sAllow := scanList(ps.Session, req)
	if deny.p != nil {
		return explicitDeny(TypeSession, deny)
	}

	if rcpMissing >= 0 {
		return implicitDeny(TypeRCP, rcpMissing)
	}
	if scpMissing >= 0 {
		return implicitDeny(TypeSCP, scpMissing)
	}
	sameAccount := req.ResourceAccount == "" || req.ResourceAccount == req.PrincipalAccount
	allowed := func(hits ...hit) Decision {
		d := Decision{Allowed: true, Effect: EffectAllow}
		n := 0
		for i := range hits {
			if hits[i].p != nil {
				n++
			}
		}
		d.Matched = make([]Match, 0, n+len(ps.SCPs)+len(ps.RCPs))
		for lvl := range ps.SCPs {
			if lvl < len(scpAllows) {
				d.Matched = append(d.Matched, scpAllows[lvl].match(TypeSCP))
			}
		}
		for lvl := range ps.RCPs {
			if lvl < len(rcpAllows) {
				d.Matched = append(d.Matched, rcpAllows[lvl].match(TypeRCP))
			}
		}
		types := [...]PolicyType{TypeResource, TypeIdentity, TypeBoundary, TypeSession}
		for i := range hits {
			if hits[i].p != nil {
				d.Matched = append(d.Matched, hits[i].match(types[i]))
			}
		}
		return d
	}
	switch {
	case ps.IsRoot && sameAccount:
		return allowed(resAllow)
	case ps.IsRoot:
		if resLevel == pNone {
			return implicitDeny(TypeResource, 0)
		}
		return allowed(resAllow)
	case resLevel == pDirect && (sameAccount || req.PrincipalAccount == ""):
		// Same-account principal named directly, or an anonymous or service
		// caller, which has no identity-based policies.
		return allowed(resAllow)
	}
	if idAllow.p == nil && !(sameAccount && resLevel == pRole) {
		return implicitDeny(TypeIdentity, 0)
	}
	if !sameAccount && resLevel == pNone {
		return implicitDeny(TypeResource, 0)
	}
	if ps.Boundary != nil && bAllow.p == nil {
		return implicitDeny(TypeBoundary, 0)
	}
	if ps.Session != nil && sAllow.p == nil {
		return implicitDeny(TypeSession, 0)
	}
	if sameAccount && resLevel != pRole {
		resAllow = hit{}
	}
	return allowed(resAllow, idAllow, bAllow, sAllow)
}

// String explains the decision for logs, e.g. "ExplicitDeny by
// identity-based policy Guard statement 1 (Sid NoQueues)" or
// "ImplicitDeny: no permissions boundary allows".
func (d Decision) String() string {
	var b strings.Builder
	b.WriteString(d.Effect)
	if d.Effect == EffectImplicitDeny {
		b.WriteString(": no ")
		b.WriteString(d.Reason.String())
		b.WriteString(" allows")
		return b.String()
	}
	for i, m := range d.Matched {
		if i == 0 {
			b.WriteString(" by ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(m.Type.String())
		if m.Policy != "" {
			b.WriteString(" ")
			b.WriteString(m.Policy)
		}
		b.WriteString(" statement ")
		b.WriteString(strconv.Itoa(m.Statement))
		if m.Sid != "" {
			b.WriteString(" (Sid ")
			b.WriteString(m.Sid)
			b.WriteString(")")
		}
	}
	return b.String()
}
