package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Kind is the type of a policy document; it decides which elements are
// required or prohibited.
type Kind uint8

const (
	// KindIdentity is an identity-based policy: user, group or role
	// policies, permissions boundaries and session policies. No Principal.
	KindIdentity Kind = iota
	// KindResource is a resource-based policy (bucket, queue, key policy):
	// Principal or NotPrincipal required.
	KindResource
	// KindTrust is a role trust policy: Principal required, Resource prohibited.
	KindTrust
	// KindSCP is an Organizations service control policy: no Principal,
	// Resource optional (absent = every resource).
	KindSCP
	// KindRCP is an Organizations resource control policy: Principal required.
	KindRCP
)

func (k Kind) String() string {
	switch k {
	case KindIdentity:
		return "identity"
	case KindResource:
		return "resource"
	case KindTrust:
		return "trust"
	case KindSCP:
		return "scp"
	case KindRCP:
		return "rcp"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Policy versions.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Policy is a compiled policy document. It is immutable and safe for
// concurrent use; use WithName to label a shared (cached) policy.
type Policy struct {
	// Name labels the policy in explanations (policy name or ARN).
	Name string
	// Version is the document's Version ("" when absent: 2008 semantics).
	Version string
	// ID is the document's Id element.
	ID string
	// Kind is the kind it was compiled as.
	Kind Kind

	length int
	stmts  []statement
}

// Len is the length of the source document in bytes (size limits are the
// caller's).
func (p *Policy) Len() int { return p.length }

// NumStatements is the number of statements.
func (p *Policy) NumStatements() int { return len(p.stmts) }

// Sid is the Sid of statement i ("" when absent).
func (p *Policy) Sid(i int) string { return p.stmts[i].sid }

// WithName returns a copy of p labelled name, sharing the compiled statements.
func (p *Policy) WithName(name string) *Policy {
	q := *p
	q.Name = name
	return &q
}

// RequireCurrentVersion returns AWS's error for documents that are not
// version 2012-10-17 (managed policies: CreatePolicy, CreatePolicyVersion).
func (p *Policy) RequireCurrentVersion() error {
	if p.Version != Version2012 {
		return malformed(MsgVersion2012, "Version is "+strconv.Quote(p.Version))
	}
	return nil
}

type statement struct {
	sid   string
	allow bool

	notAction bool
	actions   []matcher // ASCII case-insensitive

	resAll      bool // no Resource element (trust policies, SCPs)
	notResource bool
	resources   []resPattern

	principal    *principalSet // nil when the statement has none
	notPrincipal bool

	conds []condition
}

// resPattern is one Resource/NotResource entry.
type resPattern struct {
	m      matcher
	arn    bool // six-part ARN pattern: match part by part
	source string
	tmpl   tmpl
}

func (r *resPattern) match(req *Request) bool {
	if r.tmpl != nil {
		pat, ok := r.tmpl.resolve(req, true)
		if !ok {
			return false
		}
		if r.arn {
			return arnGlob(pat, req.Resource, true)
		}
		return glob(pat, req.Resource, false, true)
	}
	if r.arn {
		return arnGlob(r.source, req.Resource, false)
	}
	return r.m.match(req.Resource, false)
}

// Compile parses, validates and compiles a policy document. Errors are
// *Error with AWS's MalformedPolicyDocument message.
func Compile(doc string, kind Kind) (*Policy, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return nil, malformed(MsgSyntax, fmt.Sprintf("invalid JSON: %v", err))
	}
	if top == nil {
		return nil, malformed(MsgSyntax, "the document is not a JSON object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, malformed(MsgSyntax, "data after the JSON object")
	}
	p := &Policy{Kind: kind, length: len(doc)}
	var rawStmts any
	for k, v := range top {
		switch k {
		case "Version":
			s, ok := v.(string)
			if !ok || s != Version2012 && s != Version2008 {
				return nil, malformed(MsgSyntax, "Version must be 2012-10-17 or 2008-10-17")
			}
			p.Version = s
		case "Id":
			s, ok := v.(string)
			if !ok {
				return nil, malformed(MsgSyntax, "Id must be a string")
			}
			p.ID = s
		case "Statement":
			rawStmts = v
		default:
			return nil, malformed(MsgSyntax, "Unknown field "+k)
		}
	}
	var list []any
	switch s := rawStmts.(type) {
	case map[string]any:
		list = []any{s}
	case []any:
		list = s
	case nil:
		return nil, malformed(MsgSyntax, "Missing required field Statement")
	default:
		return nil, malformed(MsgSyntax, "Statement must be an object or an array")
	}
	if len(list) == 0 {
		return nil, malformed(MsgSyntax, "Statement is empty")
	}
	vars := p.Version == Version2012
	raws := make([]map[string]any, len(list))
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, malformed(MsgSyntax, fmt.Sprintf("statement %d is not an object", i))
		}
		if err := checkSyntax(m, i); err != nil {
			return nil, err
		}
		raws[i] = m
	}
	// The checks run in AWS's order: syntax for all statements, then legacy
	// parsing, SID uniqueness, actions, resources, principals.
	p.stmts = make([]statement, len(raws))
	for i, m := range raws {
		if err := compileLegacy(&p.stmts[i], m, i, vars); err != nil {
			return nil, err
		}
	}
	sids := make(map[string]bool, len(raws))
	for i := range p.stmts {
		if sid := p.stmts[i].sid; sid != "" {
			if sids[sid] {
				return nil, malformed(MsgDuplicateSid, "duplicate Sid "+strconv.Quote(sid))
			}
			sids[sid] = true
		}
	}
	for i, m := range raws {
		if err := compileStatement(&p.stmts[i], m, i, kind, vars); err != nil {
			return nil, err
		}
	}
	return p, nil
}

var statementFields = map[string]bool{
	"Sid": true, "Effect": true, "Action": true, "NotAction": true, "Resource": true,
	"NotResource": true, "Principal": true, "NotPrincipal": true, "Condition": true,
}

// checkSyntax is AWS's first pass: known fields of the right JSON types.
func checkSyntax(m map[string]any, i int) error {
	where := fmt.Sprintf("statement %d: ", i)
	for k := range m {
		if !statementFields[k] {
			return malformed(MsgSyntax, where+"Unknown field "+k)
		}
	}
	pairs := [][2]string{{"Action", "NotAction"}, {"Resource", "NotResource"}, {"Principal", "NotPrincipal"}}
	for _, pr := range pairs {
		_, a := m[pr[0]]
		_, b := m[pr[1]]
		if a && b {
			return malformed(MsgSyntax, where+pr[0]+" and "+pr[1]+" are exclusive")
		}
	}
	eff, ok := m["Effect"].(string)
	if !ok || !strings.EqualFold(eff, "Allow") && !strings.EqualFold(eff, "Deny") {
		return malformed(MsgSyntax, where+"Effect must be Allow or Deny")
	}
	if s, ok := m["Sid"]; ok {
		if _, ok := s.(string); !ok {
			return malformed(MsgSyntax, where+"Sid must be a string")
		}
	}
	for _, k := range []string{"Action", "NotAction", "Resource", "NotResource"} {
		if v, ok := m[k]; ok {
			if _, ok := stringList(v); !ok {
				return malformed(MsgSyntax, where+k+" must be a string or a list of strings")
			}
		}
	}
	for _, k := range []string{"Principal", "NotPrincipal"} {
		if v, ok := m[k]; ok {
			if _, err := parsePrincipal(v, false); err != nil {
				return malformed(MsgSyntax, where+k+": "+err.Error())
			}
		}
	}
	if c, ok := m["Condition"]; ok {
		cm, ok := c.(map[string]any)
		if !ok {
			return malformed(MsgSyntax, where+"Condition must be an object")
		}
		for op, block := range cm {
			bm, ok := block.(map[string]any)
			if !ok {
				return malformed(MsgSyntax, where+"condition "+op+" must be an object")
			}
			if _, _, _, ok := parseOperator(op); !ok && len(bm) > 0 {
				return malformed(MsgSyntax, where+"unknown condition operator "+op)
			}
			for key, v := range bm {
				if _, ok := scalarList(v); !ok {
					return malformed(MsgSyntax, where+"condition "+op+" "+key+": values must be strings, numbers or booleans")
				}
			}
		}
	}
	return nil
}

// compileLegacy is AWS's "legacy parsing": exact-case Effect, dates, and
// resource ARN shapes; it also fills sid, effect and conditions.
func compileLegacy(s *statement, m map[string]any, i int, vars bool) error {
	where := fmt.Sprintf("statement %d: ", i)
	eff := m["Effect"].(string)
	if eff != "Allow" && eff != "Deny" {
		return malformed(MsgLegacy, where+"Effect must be spelled Allow or Deny")
	}
	s.allow = eff == "Allow"
	s.sid, _ = m["Sid"].(string)
	if c, ok := m["Condition"].(map[string]any); ok {
		for op, block := range c {
			info, qual, ifExists, ok := parseOperator(op)
			if !ok {
				continue // empty block of an unknown operator
			}
			for key, v := range block.(map[string]any) {
				raw, _ := scalarList(v)
				cond := condition{op: info.kind, neg: info.neg, qual: qual, ifExists: ifExists, key: key, keyLower: strings.ToLower(key)}
				for _, r := range raw {
					cv, err := newCondValue(info.kind, r, vars)
					if err != nil {
						err.(*Error).Detail = where + op + " " + key + ": " + err.(*Error).Detail
						return err
					}
					cond.vals = append(cond.vals, cv)
				}
				s.conds = append(s.conds, cond)
			}
		}
	}
	for _, k := range []string{"Resource", "NotResource"} {
		v, ok := m[k]
		if !ok {
			continue
		}
		list, _ := stringList(v)
		for _, r := range list {
			if err := checkResource(r); err != nil {
				err.Detail = where + err.Detail
				return err
			}
		}
	}
	return nil
}

var partitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true}

func checkResource(r string) *Error {
	if r == "*" {
		return nil
	}
	if strings.HasPrefix(r, "${") && !strings.Contains(r, ":") {
		return nil // a whole-ARN variable such as ${aws:SourceArn}
	}
	rest, ok := strings.CutPrefix(r, "arn:")
	if !ok {
		if strings.IndexByte(r, ':') < 0 {
			return malformed(fmt.Sprintf("Resource %s must be in ARN format or \"*\".", r), "resource "+strconv.Quote(r))
		}
		return malformed(MsgLegacy, "resource "+strconv.Quote(r)+" does not start with arn:")
	}
	part, rest, _ := strings.Cut(rest, ":")
	if !partitions[part] && !strings.ContainsAny(part, "*?$") {
		return malformed(fmt.Sprintf("Partition \"%s\" is not valid for resource \"%s\".", part, r), "resource "+strconv.Quote(r))
	}
	service, rest, ok := strings.Cut(rest, ":")
	if !ok {
		return malformed(MsgLegacy, "resource "+strconv.Quote(r)+" has too few parts")
	}
	if service == "" || strings.ContainsAny(service, "*?") {
		return malformed(MsgResourceVendor, "resource "+strconv.Quote(r))
	}
	if strings.Count(rest, ":") < 2 {
		return malformed(MsgLegacy, "resource "+strconv.Quote(r)+" has too few parts")
	}
	region, _, _ := strings.Cut(rest, ":")
	switch {
	case service == "iam" && region != "":
		return malformed(fmt.Sprintf("IAM resource %s cannot contain region information.", r), "resource "+strconv.Quote(r))
	case service == "s3" && region != "":
		return malformed(fmt.Sprintf("Resource %s can not contain region information.", r), "resource "+strconv.Quote(r))
	}
	return nil
}

// compileStatement checks required and prohibited elements for the kind
// and compiles actions, resources and principals.
func compileStatement(s *statement, m map[string]any, i int, kind Kind, vars bool) error {
	where := fmt.Sprintf("statement %d: ", i)
	acts, hasAct := m["Action"]
	if !hasAct {
		acts, hasAct = m["NotAction"]
		s.notAction = true
	}
	list, _ := stringList(acts)
	if !hasAct || len(list) == 0 {
		return malformed(MsgNoActions, where+"no Action or NotAction")
	}
	for _, a := range list {
		if err := checkAction(a); err != nil {
			err.Detail = where + err.Detail
			return err
		}
		s.actions = append(s.actions, newMatcher(a))
	}

	res, hasRes := m["Resource"]
	if !hasRes {
		res, hasRes = m["NotResource"]
		s.notResource = hasRes
	}
	switch {
	case kind == KindTrust && hasRes:
		return malformed(MsgProhibitedRes, where+"trust policies have no Resource")
	case kind == KindTrust || kind == KindSCP && !hasRes:
		s.resAll = true
	default:
		list, _ := stringList(res)
		if !hasRes || len(list) == 0 {
			return malformed(MsgNoResources, where+"no Resource or NotResource")
		}
		for _, r := range list {
			rp := resPattern{m: newMatcher(r), source: r}
			if vars {
				rp.tmpl = parseTemplate(r)
			}
			if _, ok := splitARN(r); ok && r != "*" {
				rp.arn = true
			}
			s.resources = append(s.resources, rp)
		}
	}

	pv, hasP := m["Principal"]
	if !hasP {
		pv, hasP = m["NotPrincipal"]
		s.notPrincipal = hasP
	}
	switch kind {
	case KindIdentity:
		if hasP {
			return malformed(MsgNoPrincipal, where+"identity-based policies have no Principal")
		}
	case KindSCP:
		if hasP {
			return malformed(MsgProhibitedPrinc, where+"service control policies have no Principal")
		}
	default:
		if !hasP {
			return malformed(MsgMissingPrincipal, where+"no Principal or NotPrincipal")
		}
		ps, err := parsePrincipal(pv, true)
		if err != nil {
			var ip *invalidPrincipal
			if errors.As(err, &ip) {
				return malformed(fmt.Sprintf("%s: %q:%q", MsgInvalidPrincipal, ip.typ, ip.value), where+err.Error())
			}
			return malformed(MsgInvalidPrincipal, where+err.Error())
		}
		if kind == KindRCP && !ps.any {
			return malformed(MsgInvalidPrincipal, where+"resource control policies need Principal \"*\"")
		}
		s.principal = ps
	}
	return nil
}

func checkAction(a string) *Error {
	if a == "*" {
		return nil
	}
	vendor, name, ok := strings.Cut(a, ":")
	if !ok {
		return malformed(MsgVendorPrefix, "action "+strconv.Quote(a))
	}
	if strings.IndexByte(name, ':') >= 0 {
		return malformed(MsgOneColon, "action "+strconv.Quote(a))
	}
	for i := 0; i < len(vendor); i++ {
		c := vendor[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return malformed(fmt.Sprintf("Vendor %s is not valid", vendor), "action "+strconv.Quote(a))
		}
	}
	if vendor == "" {
		return malformed(fmt.Sprintf("Vendor %s is not valid", vendor), "action "+strconv.Quote(a))
	}
	return nil
}

// stringList reads a string or a list of strings.
func stringList(v any) ([]string, bool) {
	switch t := v.(type) {
	case string:
		return []string{t}, true
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// scalarList reads a condition value: a string, number or boolean, or a
// list of them, as strings.
func scalarList(v any) ([]string, bool) {
	one := func(e any) (string, bool) {
		switch t := e.(type) {
		case string:
			return t, true
		case json.Number:
			return t.String(), true
		case bool:
			return strconv.FormatBool(t), true
		}
		return "", false
	}
	if l, ok := v.([]any); ok {
		out := make([]string, 0, len(l))
		for _, e := range l {
			s, ok := one(e)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	s, ok := one(v)
	if !ok {
		return nil, false
	}
	return []string{s}, true
}

// principalSet is a compiled Principal or NotPrincipal element.
type principalSet struct {
	any       bool
	aws       []string // ARNs; account ids are normalised to ...:root
	accounts  []string // account ids named directly or as :root ARNs
	service   []string
	federated []string
	canonical []string
}

// invalidPrincipal is a well-formed principal entry that names nothing valid.
type invalidPrincipal struct{ typ, value string }

func (e *invalidPrincipal) Error() string {
	return fmt.Sprintf("invalid %s principal %q", e.typ, e.value)
}

// parsePrincipal reads a Principal element; without values it checks only
// its JSON shape.
func parsePrincipal(v any, values bool) (*principalSet, error) {
	ps := &principalSet{}
	switch t := v.(type) {
	case string:
		if t != "*" {
			return nil, fmt.Errorf("principal %q must be \"*\" or an object", t)
		}
		ps.any = true
		return ps, nil
	case map[string]any:
		if len(t) == 0 {
			return nil, fmt.Errorf("empty principal")
		}
		for k, e := range t {
			list, ok := stringList(e)
			if !ok || len(list) == 0 {
				return nil, fmt.Errorf("principal %s must be a string or a list of strings", k)
			}
			switch k {
			case "AWS":
				for _, a := range list {
					if !values {
						continue
					}
					if err := ps.addAWS(a); err != nil {
						return nil, err
					}
				}
			case "Service":
				ps.service = append(ps.service, list...)
			case "Federated":
				ps.federated = append(ps.federated, list...)
			case "CanonicalUser":
				ps.canonical = append(ps.canonical, list...)
			default:
				return nil, fmt.Errorf("unknown principal type %s", k)
			}
		}
		return ps, nil
	}
	return nil, fmt.Errorf("principal must be \"*\" or an object")
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (ps *principalSet) addAWS(a string) error {
	switch {
	case a == "*":
		ps.any = true
	case isAccountID(a):
		ps.accounts = append(ps.accounts, a)
	default:
		parts, ok := splitARN(a)
		if !ok || parts[0] != "arn" || parts[2] != "iam" && parts[2] != "sts" || !isAccountID(parts[4]) || strings.ContainsAny(a, "*?") {
			return &invalidPrincipal{"AWS", a}
		}
		if parts[2] == "iam" && parts[5] == "root" {
			ps.accounts = append(ps.accounts, parts[4])
			return nil
		}
		ps.aws = append(ps.aws, a)
	}
	return nil
}

// Principal match strengths, weakest first.
const (
	pNone    = iota
	pAccount // the principal's account: delegates to identity policies
	pRole    // the role of an assumed-role session
	pDirect  // the principal itself (user, session, root, service, "*")
)

func (ps *principalSet) match(req *Request) int {
	if ps.any {
		return pDirect
	}
	best := pNone
	if req.PrincipalARN != "" {
		for _, a := range ps.aws {
			if a == req.PrincipalARN {
				return pDirect
			}
			if req.RoleARN != "" && a == req.RoleARN {
				best = pRole
			}
		}
		if best == pNone && req.PrincipalAccount != "" {
			for _, acct := range ps.accounts {
				if acct == req.PrincipalAccount {
					if parts, ok := splitARN(req.PrincipalARN); ok && parts[5] == "root" && parts[4] == acct {
						return pDirect
					}
					best = pAccount
				}
			}
		}
	}
	if req.Service != "" {
		for _, s := range ps.service {
			if s == req.Service {
				return pDirect
			}
		}
	}
	if req.Federated != "" {
		for _, f := range ps.federated {
			if f == req.Federated {
				return pDirect
			}
		}
	}
	return best
}
