package scim

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
)

// SCIM error types (RFC 7644 §3.12), carried in fault.Error.Reason.
const (
	ScimTypeInvalidFilter = "invalidFilter"
	ScimTypeInvalidSyntax = "invalidSyntax"
	ScimTypeInvalidPath   = "invalidPath"
	ScimTypeInvalidValue  = "invalidValue"
	ScimTypeNoTarget      = "noTarget"
	ScimTypeUniqueness    = "uniqueness"
	ScimTypeMutability    = "mutability"
	ScimTypeTooMany       = "tooMany"
)

// maxFilterLength bounds filter expressions.
const maxFilterLength = 4096

// Comparison is one `attrPath eq value` term. Attr is the attribute path as
// written (URN prefix removed); Value is a string, bool, float64 or nil.
type Comparison struct {
	Attr  string
	Value any
}

// Filter is a conjunction of comparisons (`a eq x and b eq y`).
type Filter []Comparison

func invalid(scimType, format string, args ...any) *fault.Error {
	e := fault.Validationf(format, args...)
	e.Reason = scimType
	return e
}

// otherOperators are RFC 7644 operators this server recognises but does not support.
var otherOperators = map[string]bool{"ne": true, "co": true, "sw": true, "ew": true, "pr": true,
	"gt": true, "ge": true, "lt": true, "le": true, "or": true, "not": true}

type token struct {
	text   string
	quoted bool // a string literal (text is decoded)
}

func tokenize(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '[' || c == ']' || c == '(' || c == ')':
			out = append(out, token{text: string(c)})
			i++
		case c == '"':
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == '\\' {
					j++
					continue
				}
				if s[j] == '"' {
					break
				}
			}
			if j >= len(s) {
				return nil, invalid(ScimTypeInvalidFilter, "Unterminated string in filter.")
			}
			var v string
			if err := json.Unmarshal([]byte(s[i:j+1]), &v); err != nil {
				return nil, invalid(ScimTypeInvalidFilter, "Invalid string literal in filter.")
			}
			out = append(out, token{text: v, quoted: true})
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r[]()\"", rune(s[j])) {
				j++
			}
			out = append(out, token{text: s[i:j]})
			i = j
		}
	}
	return out, nil
}

// ParseFilter parses a list filter: comparisons with `eq` joined by `and`.
// Other operators, `or`, `not`, grouping and value paths are answered with
// an invalidFilter fault.
func ParseFilter(s string) (Filter, error) {
	if len(s) > maxFilterLength {
		return nil, invalid(ScimTypeInvalidFilter, "Filter is too long.")
	}
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	f, rest, err := parseConjunction(toks)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, invalid(ScimTypeInvalidFilter, "Unexpected %q in filter.", rest[0].text)
	}
	return f, nil
}

// parseConjunction reads `cmp (and cmp)*` and returns the tokens after it
// (which start with "]" or are empty when well-formed).
func parseConjunction(toks []token) (Filter, []token, error) {
	var f Filter
	for {
		if len(toks) == 0 {
			return nil, nil, invalid(ScimTypeInvalidFilter, "Filter is empty or incomplete.")
		}
		if toks[0].quoted || strings.ContainsAny(toks[0].text, "[]()") {
			if toks[0].text == "(" || strings.EqualFold(toks[0].text, "not") {
				return nil, nil, invalid(ScimTypeInvalidFilter, "Grouping and 'not' are not supported; use 'eq' joined by 'and'.")
			}
			return nil, nil, invalid(ScimTypeInvalidFilter, "Expected an attribute name, got %q.", toks[0].text)
		}
		if strings.EqualFold(toks[0].text, "not") {
			return nil, nil, invalid(ScimTypeInvalidFilter, "Grouping and 'not' are not supported; use 'eq' joined by 'and'.")
		}
		attr, err := filterAttr(toks[0].text)
		if err != nil {
			return nil, nil, err
		}
		if len(toks) < 2 {
			return nil, nil, invalid(ScimTypeInvalidFilter, "Missing operator after %q.", attr)
		}
		if toks[1].text == "[" && !toks[1].quoted {
			return nil, nil, invalid(ScimTypeInvalidFilter, "Value paths (attr[filter]) are not supported in filters.")
		}
		op := strings.ToLower(toks[1].text)
		if toks[1].quoted || op != "eq" {
			if otherOperators[op] && !toks[1].quoted {
				return nil, nil, invalid(ScimTypeInvalidFilter, "Operator %q is not supported; only 'eq' joined by 'and' is.", toks[1].text)
			}
			return nil, nil, invalid(ScimTypeInvalidFilter, "Unknown operator %q.", toks[1].text)
		}
		if len(toks) < 3 {
			return nil, nil, invalid(ScimTypeInvalidFilter, "Missing value after %q eq.", attr)
		}
		v, err := literal(toks[2])
		if err != nil {
			return nil, nil, err
		}
		f = append(f, Comparison{Attr: attr, Value: v})
		toks = toks[3:]
		if len(toks) == 0 || toks[0].text == "]" && !toks[0].quoted {
			return f, toks, nil
		}
		switch w := strings.ToLower(toks[0].text); {
		case toks[0].quoted:
			return nil, nil, invalid(ScimTypeInvalidFilter, "Unexpected string %q in filter.", toks[0].text)
		case w == "and":
			toks = toks[1:]
		case w == "or":
			return nil, nil, invalid(ScimTypeInvalidFilter, "Operator 'or' is not supported; only 'eq' joined by 'and' is.")
		default:
			return nil, nil, invalid(ScimTypeInvalidFilter, "Unexpected %q in filter.", toks[0].text)
		}
	}
}

func literal(t token) (any, error) {
	if t.quoted {
		return t.text, nil
	}
	switch strings.ToLower(t.text) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if n, err := strconv.ParseFloat(t.text, 64); err == nil {
		return n, nil
	}
	return nil, invalid(ScimTypeInvalidFilter, "Invalid value %q in filter: strings must be quoted.", t.text)
}

// filterAttr validates an attribute path of a filter and removes a known
// schema URN prefix of the core schemas.
func filterAttr(s string) (string, error) {
	urn, rest := splitURN(s)
	if urn == enterpriseURN {
		rest = enterpriseURN + ":" + rest
	}
	if !validAttrPath(rest) && urn != enterpriseURN {
		return "", invalid(ScimTypeInvalidFilter, "Invalid attribute path %q in filter.", s)
	}
	return rest, nil
}

// validAttrPath: ATTRNAME ["." ATTRNAME], names of letters, digits, '_', '-', '$'.
func validAttrPath(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) > 2 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for i, r := range p {
			ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '$' || i > 0 && (r >= '0' && r <= '9' || r == '_' || r == '-')
			if !ok {
				return false
			}
		}
	}
	return true
}

// Schema URNs.
const (
	UserSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupSchema      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	enterpriseURN    = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	EnterpriseSchema = enterpriseURN
)

// splitURN removes a known schema URN prefix ("<urn>:attr") case-insensitively.
// urn is the canonical URN found (or "") and rest what follows its colon.
// A path that is exactly a URN returns (urn, "").
func splitURN(s string) (urn, rest string) {
	for _, u := range []string{enterpriseURN, UserSchema, GroupSchema} {
		if len(s) >= len(u) && strings.EqualFold(s[:len(u)], u) {
			if len(s) == len(u) {
				return u, ""
			}
			if s[len(u)] == ':' {
				return u, s[len(u)+1:]
			}
		}
	}
	return "", s
}

// Path is a PATCH operation path: [URN:]attr[.sub] or [URN:]attr[filter][.sub].
type Path struct {
	URN    string // enterpriseURN for extension attributes, else ""
	Attr   string // empty when the path is the extension URN itself
	Filter Filter // value filter of a multi-valued attribute
	Sub    string // sub-attribute
}

// ParsePath parses a PATCH path.
func ParsePath(s string) (Path, error) {
	bad := func() (Path, error) { return Path{}, invalid(ScimTypeInvalidPath, "Invalid path %q.", s) }
	if len(s) > maxFilterLength {
		return bad()
	}
	urn, rest := splitURN(strings.TrimSpace(s))
	p := Path{}
	if urn == enterpriseURN {
		p.URN = urn
		if rest == "" {
			return p, nil
		}
	} else if urn != "" && rest == "" {
		return bad()
	}
	attr, after, hasFilter := strings.Cut(rest, "[")
	if hasFilter {
		end := strings.LastIndex(after, "]")
		if end < 0 {
			return bad()
		}
		toks, err := tokenize(after[:end])
		if err != nil {
			return bad()
		}
		f, left, err := parseConjunction(toks)
		if err != nil {
			return Path{}, invalid(ScimTypeInvalidPath, "Invalid value filter in path %q: %s", s, fault.As(err).Message)
		}
		if len(left) > 0 {
			return bad()
		}
		p.Filter = f
		tail := after[end+1:]
		if tail != "" {
			sub, ok := strings.CutPrefix(tail, ".")
			if !ok || !validAttrPath(sub) || strings.Contains(sub, ".") {
				return bad()
			}
			p.Sub = sub
		}
		if !validAttrPath(attr) || strings.Contains(attr, ".") {
			return bad()
		}
		p.Attr = attr
		return p, nil
	}
	if !validAttrPath(rest) {
		return bad()
	}
	p.Attr, p.Sub, _ = strings.Cut(rest, ".")
	return p, nil
}
