package policy

import "strings"

// tmpl is a string with policy variables: literal text and ${key} or
// ${key, 'default'} references. It is nil for strings without variables.
type tmpl []tpart

type tpart struct {
	lit      string // literal text (when key == "")
	key      string // variable name as written
	keyLower string
	def      string
	hasDef   bool
}

// parseTemplate splits s into literal parts and variables. ${*}, ${?} and
// ${$} become the literal characters. It returns nil if s has no "${".
func parseTemplate(s string) tmpl {
	if !strings.Contains(s, "${") {
		return nil
	}
	var t tmpl
	var lit strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			lit.WriteString(s)
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			lit.WriteString(s)
			break
		}
		lit.WriteString(s[:i])
		inner := strings.TrimSpace(s[i+2 : i+j])
		s = s[i+j+1:]
		switch inner {
		case "*", "?", "$":
			// An escaped character is literal even in a wildcard pattern;
			// it is marked for the escaping resolver by a NUL prefix.
			lit.WriteByte(0)
			lit.WriteString(inner)
			continue
		}
		if lit.Len() > 0 {
			t = append(t, tpart{lit: lit.String()})
			lit.Reset()
		}
		p := tpart{key: inner}
		if k, d, ok := strings.Cut(inner, ","); ok {
			d = strings.TrimSpace(d)
			if len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'' {
				p = tpart{key: strings.TrimSpace(k), def: d[1 : len(d)-1], hasDef: true}
			}
		}
		p.keyLower = strings.ToLower(p.key)
		t = append(t, p)
	}
	if lit.Len() > 0 {
		t = append(t, tpart{lit: lit.String()})
	}
	return t
}

// resolve substitutes the variables from the request. With pattern, the
// result is a glob pattern for glob(..., esc=true): wildcards in the policy
// text stay wildcards, variable values and escapes are literal. ok is false
// when a variable has no single value and no default.
func (t tmpl) resolve(req *Request, pattern bool) (string, bool) {
	var b strings.Builder
	for i := range t {
		p := &t[i]
		if p.key == "" {
			writeLit(&b, p.lit, pattern, true)
			continue
		}
		vs := req.lookup(p.key, p.keyLower)
		switch {
		case vs.len() == 1:
			writeLit(&b, vs.at(0), pattern, false)
		case p.hasDef:
			writeLit(&b, p.def, pattern, false)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// writeLit writes s; for patterns, policy text keeps its wildcards
// (policyText) except NUL-marked escapes, while values are fully escaped.
func writeLit(b *strings.Builder, s string, pattern, policyText bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0 && policyText && i+1 < len(s) {
			i++
			if pattern {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
			continue
		}
		if pattern && (c == '\\' || !policyText && (c == '*' || c == '?')) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
}
