package policy

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// Introspection for IAM's policy simulator: the condition keys a policy uses
// and where its statements are in the source document.

// ContextKeys lists the condition keys of every statement, as written, in
// order of first use (a key written in different cases is listed once).
func (p *Policy) ContextKeys() []string {
	return p.contextKeys(nil)
}

// ContextKeysFor lists the condition keys of the statements whose action and
// resource match req (whatever their conditions), as written, in order of
// first use: the keys an evaluation of req may need.
func (p *Policy) ContextKeysFor(req *Request) []string {
	return p.contextKeys(req)
}

func (p *Policy) contextKeys(req *Request) []string {
	var out []string
	seen := map[string]bool{}
	for i := range p.stmts {
		st := &p.stmts[i]
		if req != nil && !st.matchesActionResource(req) {
			continue
		}
		for _, c := range st.conds {
			if !seen[c.keyLower] {
				seen[c.keyLower] = true
				out = append(out, c.key)
			}
		}
	}
	return out
}

// matchesActionResource is applies without the principal and conditions.
func (s *statement) matchesActionResource(req *Request) bool {
	found := false
	for i := range s.actions {
		if s.actions[i].match(req.Action, true) {
			found = true
			break
		}
	}
	if found == s.notAction {
		return false
	}
	if s.resAll {
		return true
	}
	found = false
	for i := range s.resources {
		if s.resources[i].match(req) {
			found = true
			break
		}
	}
	return found != s.notResource
}

// Position is a place in a document: 1-based line and column (in bytes).
type Position struct{ Line, Column int }

// Span is where one statement is in a document: Start is its first
// character, End the one after its last.
type Span struct{ Start, End Position }

// StatementSpans locates the statements of a policy document, in order: the
// objects of the Statement array, or the single Statement object. It returns
// nil when the document is not a JSON object with a Statement.
func StatementSpans(doc string) []Span {
	src := []byte(doc)
	dec := json.NewDecoder(bytes.NewReader(src))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := t.(string)
		if key != "Statement" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil
			}
			continue
		}
		start := skipSpace(src, int(dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil
		}
		if len(raw) == 0 || raw[0] != '[' {
			return []Span{spanOf(src, start, start+len(raw))}
		}
		// The array: decode it again element by element for the offsets.
		inner := json.NewDecoder(bytes.NewReader(raw))
		if _, err := inner.Token(); err != nil {
			return nil
		}
		var spans []Span
		for inner.More() {
			s := skipSpace(raw, int(inner.InputOffset()))
			var el json.RawMessage
			if err := inner.Decode(&el); err != nil {
				return nil
			}
			s = skipSpace(raw, s)
			spans = append(spans, spanOf(src, start+s, start+s+len(el)))
		}
		return spans
	}
	return nil
}

// skipSpace skips white space and a separating comma or colon.
func skipSpace(b []byte, i int) int {
	for i < len(b) && strings.IndexByte(" \t\r\n,:", b[i]) >= 0 {
		i++
	}
	return i
}

func spanOf(src []byte, start, end int) Span {
	return Span{Start: positionAt(src, start), End: positionAt(src, end)}
}

func positionAt(src []byte, off int) Position {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := off + 1
	if i := bytes.LastIndexByte(src[:off], '\n'); i >= 0 {
		col = off - i
	}
	return Position{Line: line, Column: col}
}

// AllowedServices lists the service prefixes (lower case, sorted, distinct)
// of the actions the policy's Allow statements name; "*" stands for actions
// of any service (Action "*", a wildcard before the colon, or NotAction).
func (p *Policy) AllowedServices() []string {
	seen := map[string]bool{}
	for i := range p.stmts {
		st := &p.stmts[i]
		if !st.allow {
			continue
		}
		if st.notAction {
			seen["*"] = true
			continue
		}
		for _, m := range st.actions {
			prefix, _, ok := strings.Cut(m.lit, ":")
			if m.kind == mAny || !ok || strings.ContainsAny(prefix, "*?") {
				seen["*"] = true
				continue
			}
			seen[strings.ToLower(prefix)] = true
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
