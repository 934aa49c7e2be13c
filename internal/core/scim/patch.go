package scim

import (
	"math"
	"sort"
	"strings"
)

// PatchOpSchema is the schema URN of a PATCH request.
const PatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

// maxOperations bounds the operations of one PATCH request.
const maxOperations = 1000

// Operation is one PATCH operation; Op is "add", "replace" or "remove".
type Operation struct {
	Op    string
	Path  string
	Value any
}

// ParsePatch reads a PatchOp message: {"schemas": [...], "Operations": [...]}.
// op is matched case-insensitively ("Replace" from Entra ID); the paths are
// checked here so that a bad one fails before anything is applied.
func ParsePatch(d map[string]any) ([]Operation, error) {
	r := newReader(d, "")
	v, ok := r.take("Operations")
	if !ok {
		return nil, invalid(ScimTypeInvalidSyntax, "PATCH request requires Operations.")
	}
	r.take("schemas")
	if err := r.rest(nil); err != nil {
		return nil, err
	}
	list, isList := v.([]any)
	if !isList || len(list) == 0 {
		return nil, invalid(ScimTypeInvalidSyntax, "Operations must be a non-empty list.")
	}
	if len(list) > maxOperations {
		return nil, invalid(ScimTypeTooMany, "Operations must contain at most %d items.", maxOperations)
	}
	ops := make([]Operation, 0, len(list))
	for _, e := range list {
		m, isObj := e.(map[string]any)
		if !isObj {
			return nil, invalid(ScimTypeInvalidSyntax, "Each operation must be an object.")
		}
		or := newReader(m, "Operations")
		opName, err := or.str("op")
		if err != nil {
			return nil, err
		}
		path, err := or.str("path")
		if err != nil {
			return nil, err
		}
		val, hasValue := or.take("value")
		if err := or.rest(nil); err != nil {
			return nil, err
		}
		op := Operation{Op: strings.ToLower(opName), Path: strings.TrimSpace(path), Value: val}
		switch op.Op {
		case "add", "replace":
			if !hasValue {
				return nil, invalid(ScimTypeInvalidValue, "Operation %s requires a value.", opName)
			}
		case "remove":
			if op.Path == "" {
				return nil, invalid(ScimTypeNoTarget, "Operation remove requires a path.")
			}
		default:
			return nil, invalid(ScimTypeInvalidSyntax, "Unknown operation %q; use add, replace or remove.", opName)
		}
		if op.Path != "" {
			if _, err := ParsePath(op.Path); err != nil {
				return nil, err
			}
		} else if _, isObj := op.Value.(map[string]any); !isObj {
			return nil, invalid(ScimTypeInvalidValue, "Operation %s without a path requires an object value.", opName)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// applyOp applies one operation to a resource document.
func applyOp(d map[string]any, op Operation) error {
	if op.Path == "" {
		m := op.Value.(map[string]any) // checked by ParsePatch
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p, err := ParsePath(k)
			if err != nil {
				return invalid(ScimTypeInvalidPath, "Invalid attribute %q in operation value.", k)
			}
			if p.URN != "" && p.Attr == "" {
				// {"urn:…:enterprise:2.0:User": {"department": …}}: merge.
				sub, isObj := m[k].(map[string]any)
				if !isObj {
					return invalid(ScimTypeInvalidValue, "Attribute %s must be an object.", k)
				}
				for sk, sv := range sub {
					sp, err := ParsePath(p.URN + ":" + sk)
					if err != nil {
						return err
					}
					if err := apply(d, op.Op, sp, sv); err != nil {
						return err
					}
				}
				continue
			}
			if err := apply(d, op.Op, p, m[k]); err != nil {
				return err
			}
		}
		return nil
	}
	p, err := ParsePath(op.Path)
	if err != nil {
		return err
	}
	return apply(d, op.Op, p, op.Value)
}

// child returns m[name] as an object, creating it when create is set.
func child(m map[string]any, name string, create bool) map[string]any {
	k, v, ok := lookup(m, name)
	if ok {
		if c, isObj := v.(map[string]any); isObj {
			return c
		}
	}
	if !create {
		return nil
	}
	if !ok {
		k = name
	}
	c := map[string]any{}
	m[k] = c
	return c
}

// keyOf is the key under which name is (or will be) stored in m.
func keyOf(m map[string]any, name string) string {
	if k, _, ok := lookup(m, name); ok {
		return k
	}
	return name
}

func setIn(m map[string]any, name string, v any) { m[keyOf(m, name)] = v }

func deleteIn(m map[string]any, name string) {
	for k := range m {
		if strings.EqualFold(k, name) {
			delete(m, k)
		}
	}
}

func merge(dst, src map[string]any) {
	for k, v := range src {
		setIn(dst, k, v)
	}
}

func apply(d map[string]any, op string, p Path, v any) error {
	c := d
	if p.URN != "" {
		c = child(d, p.URN, op != "remove")
		if c == nil {
			return nil
		}
		if p.Attr == "" {
			switch op {
			case "remove":
				deleteIn(d, p.URN)
			case "add":
				m, isObj := v.(map[string]any)
				if !isObj {
					return invalid(ScimTypeInvalidValue, "Attribute %s must be an object.", p.URN)
				}
				merge(c, m)
			default:
				setIn(d, p.URN, v)
			}
			return nil
		}
	}
	key := keyOf(c, p.Attr)
	cur := c[key]
	if p.Filter == nil {
		if p.Sub == "" {
			switch op {
			case "remove":
				if l, isList := cur.([]any); isList && v != nil {
					c[key] = removeValues(l, v)
					return nil
				}
				delete(c, key)
			case "add":
				switch x := cur.(type) {
				case []any:
					if vl, isList := v.([]any); isList {
						c[key] = append(x, vl...)
					} else {
						c[key] = append(x, v)
					}
				case map[string]any:
					if vm, isObj := v.(map[string]any); isObj {
						merge(x, vm)
					} else {
						c[key] = v
					}
				default:
					c[key] = v
				}
			default:
				c[key] = v
			}
			return nil
		}
		switch x := cur.(type) {
		case nil:
			if op != "remove" {
				c[key] = map[string]any{p.Sub: v}
			}
		case map[string]any:
			if op == "remove" {
				deleteIn(x, p.Sub)
			} else {
				setIn(x, p.Sub, v)
			}
		case []any:
			// "emails.value" on a multi-valued attribute: every value.
			if len(x) == 0 && op != "remove" {
				c[key] = []any{map[string]any{p.Sub: v}}
			}
			for _, e := range x {
				if em, isObj := e.(map[string]any); isObj {
					if op == "remove" {
						deleteIn(em, p.Sub)
					} else {
						setIn(em, p.Sub, v)
					}
				}
			}
		default:
			return invalid(ScimTypeInvalidPath, "Attribute %s has no sub-attribute %s.", p.Attr, p.Sub)
		}
		return nil
	}
	var list []any
	switch x := cur.(type) {
	case nil:
	case []any:
		list = x
	case map[string]any:
		list = []any{x}
	default:
		return invalid(ScimTypeInvalidPath, "Attribute %s is not multi-valued.", p.Attr)
	}
	var out []any
	matched := false
	for _, e := range list {
		em, isObj := e.(map[string]any)
		if !isObj || !matches(em, p.Filter) {
			out = append(out, e)
			continue
		}
		matched = true
		switch {
		case op == "remove" && p.Sub == "":
			continue // drop the element
		case op == "remove":
			deleteIn(em, p.Sub)
		case p.Sub != "":
			setIn(em, p.Sub, v)
		default:
			vm, isObj := v.(map[string]any)
			if !isObj {
				return invalid(ScimTypeInvalidValue, "Value for %s must be an object.", p.Attr)
			}
			if op == "replace" {
				em = map[string]any{}
				for _, cmp := range p.Filter {
					if !strings.Contains(cmp.Attr, ".") {
						em[cmp.Attr] = cmp.Value
					}
				}
			}
			merge(em, vm)
		}
		out = append(out, em)
	}
	if !matched && op != "remove" {
		// Entra ID replaces emails[type eq "work"].value on users that have
		// no work address yet: create the element the filter describes.
		em := map[string]any{}
		for _, cmp := range p.Filter {
			if !strings.Contains(cmp.Attr, ".") {
				em[cmp.Attr] = cmp.Value
			}
		}
		if p.Sub != "" {
			em[p.Sub] = v
		} else if vm, isObj := v.(map[string]any); isObj {
			merge(em, vm)
		} else {
			return invalid(ScimTypeInvalidValue, "Value for %s must be an object.", p.Attr)
		}
		out = append(out, em)
	}
	c[key] = out
	return nil
}

// removeValues drops from l the elements whose "value" is one of v's
// (Entra ID's {"op":"Remove","path":"members","value":[{"value":id}]}).
func removeValues(l []any, v any) []any {
	objs, err := asObjects("value", v)
	if err != nil {
		return l
	}
	drop := map[string]bool{}
	for _, o := range objs {
		if _, x, ok := lookup(o, "value"); ok {
			if s, isStr := x.(string); isStr {
				drop[s] = true
			}
		}
	}
	var out []any
	for _, e := range l {
		if em, isObj := e.(map[string]any); isObj {
			if _, x, ok := lookup(em, "value"); ok {
				if s, isStr := x.(string); isStr && drop[s] {
					continue
				}
			}
		}
		out = append(out, e)
	}
	return out
}

// matches reports whether every comparison of f holds on the object m.
func matches(m map[string]any, f Filter) bool {
	for _, c := range f {
		if !anyEqual(values(m, c.Attr), c.Value) {
			return false
		}
	}
	return true
}

// values resolves an attribute path ("a", "a.b", "<urn>:a.b") in m; a
// multi-valued attribute contributes each of its elements.
func values(m map[string]any, path string) []any {
	urn, rest := splitURN(path)
	if urn == enterpriseURN {
		m = child(m, urn, false)
		if m == nil {
			return nil
		}
	}
	attr, sub, hasSub := strings.Cut(rest, ".")
	_, v, ok := lookup(m, attr)
	if !ok {
		return nil
	}
	var vs []any
	if l, isList := v.([]any); isList {
		vs = l
	} else {
		vs = []any{v}
	}
	if !hasSub {
		// "emails eq x" compares the elements' value sub-attribute.
		var out []any
		for _, e := range vs {
			if em, isObj := e.(map[string]any); isObj {
				if _, x, ok := lookup(em, "value"); ok {
					out = append(out, x)
				}
				continue
			}
			out = append(out, e)
		}
		return out
	}
	var out []any
	for _, e := range vs {
		if em, isObj := e.(map[string]any); isObj {
			if _, x, ok := lookup(em, sub); ok {
				out = append(out, x)
			}
		}
	}
	return out
}

func anyEqual(vs []any, want any) bool {
	if want == nil {
		return len(vs) == 0
	}
	for _, v := range vs {
		if equalValue(v, want) {
			return true
		}
	}
	return false
}

func equalValue(v, want any) bool {
	switch w := want.(type) {
	case string:
		s, ok := v.(string)
		return ok && strings.EqualFold(s, w)
	case bool:
		b, err := asBool("", v)
		return err == nil && b == w
	case float64:
		switch x := v.(type) {
		case float64:
			return x == w
		case int:
			return float64(x) == w
		case interface{ Float64() (float64, error) }:
			f, err := x.Float64()
			return err == nil && math.Abs(f-w) == 0
		}
	}
	return false
}
