package awsproto

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxListIndex bounds list/map indexes in query forms (AWS lists are far smaller).
const maxListIndex = 10000

// form is a parsed query-protocol request: values plus sorted keys for prefix lookups.
type form struct {
	vals url.Values
	keys []string
}

func newForm(vals url.Values) *form {
	f := &form{vals: vals, keys: make([]string, 0, len(vals))}
	for k := range vals {
		f.keys = append(f.keys, k)
	}
	sort.Strings(f.keys)
	return f
}

// under returns the keys that start with prefix+".".
func (f *form) under(prefix string) []string {
	p := prefix + "."
	i := sort.SearchStrings(f.keys, p)
	j := i
	for j < len(f.keys) && strings.HasPrefix(f.keys[j], p) {
		j++
	}
	return f.keys[i:j]
}

func (f *form) get(key string) (string, bool) {
	v, ok := f.vals[key]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func malformed(msg string) *Error {
	return &Error{Code: "MalformedQueryString", Status: http.StatusBadRequest, Message: msg}
}

func (s *Service) decodeQuery(r *http.Request, body []byte, op *Operation, v reflect.Value) error {
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return malformed("The query string is malformed")
	}
	if r.Method == http.MethodPost && len(body) > 0 {
		if !utf8.Valid(body) {
			return malformed("The request body is not valid UTF-8")
		}
		bv, err := url.ParseQuery(string(body))
		if err != nil {
			return malformed("The request body is not a valid form")
		}
		for k, x := range bv {
			vals[k] = append(vals[k], x...)
		}
	}
	ver := vals.Get("Version")
	if ver == "" {
		return &Error{Code: "MissingParameter", Status: http.StatusBadRequest, Message: "The request must contain the parameter Version"}
	}
	if ver != s.Model.APIVersion {
		return &Error{Code: "InvalidAction", Status: http.StatusBadRequest, Message: fmt.Sprintf("Could not find operation %s for version %s", op.Name, ver)}
	}
	f := newForm(vals)
	return s.Model.decodeQueryStruct(f, "", v, op.Input, 0)
}

func joinKey(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func (m *Model) decodeQueryStruct(f *form, prefix string, v reflect.Value, si int, depth int) error {
	if depth > 32 {
		return malformed("Parameters are nested too deeply")
	}
	sh := &m.Shapes[si]
	for i := range sh.Members {
		mem := &sh.Members[i]
		if err := m.decodeQueryValue(f, joinKey(prefix, mem.WireName), v.Field(i), mem.Target, mem.Flattened, depth); err != nil {
			return err
		}
	}
	return nil
}

func (m *Model) decodeQueryValue(f *form, key string, fv reflect.Value, si int, flattened bool, depth int) error {
	sh := &m.Shapes[si]
	switch sh.Kind {
	case KindStructure:
		if len(f.under(key)) == 0 {
			return nil
		}
		return m.decodeQueryStruct(f, key, alloc(fv), si, depth+1)
	case KindList:
		base := key
		if !flattened && !sh.Flattened {
			name := sh.MemberName
			if name == "" {
				name = "member"
			}
			base = key + "." + name
		}
		idx, err := indexes(f, base)
		if err != nil {
			return err
		}
		if len(idx) == 0 {
			if _, present := f.vals[key]; present {
				fv.Set(reflect.MakeSlice(fv.Type(), 0, 0)) // "Key=" is an empty list
			}
			return nil
		}
		sl := reflect.MakeSlice(fv.Type(), len(idx), len(idx))
		for j, n := range idx {
			if err := m.decodeQueryValue(f, base+"."+strconv.Itoa(n), sl.Index(j), sh.Member, false, depth+1); err != nil {
				return err
			}
		}
		fv.Set(sl)
		return nil
	case KindMap:
		base := key
		if !flattened && !sh.Flattened {
			base = key + ".entry"
		}
		idx, err := indexes(f, base)
		if err != nil {
			return err
		}
		if len(idx) == 0 {
			return nil
		}
		kn, vn := sh.KeyName, sh.ValueName
		if kn == "" {
			kn = "key"
		}
		if vn == "" {
			vn = "value"
		}
		mp := reflect.MakeMapWithSize(fv.Type(), len(idx))
		for _, n := range idx {
			entry := base + "." + strconv.Itoa(n)
			k, ok := f.get(entry + "." + kn)
			if !ok {
				return malformed("Missing map key for " + entry)
			}
			ev := reflect.New(fv.Type().Elem()).Elem()
			if err := m.decodeQueryValue(f, entry+"."+vn, ev, sh.Value, false, depth+1); err != nil {
				return err
			}
			mp.SetMapIndex(reflect.ValueOf(k), ev)
		}
		fv.Set(mp)
		return nil
	case KindDocument:
		return nil
	}
	s, ok := f.get(key)
	if !ok {
		return nil
	}
	if err := setScalar(fv, sh, s, "query"); err != nil {
		return &Error{Code: "InvalidParameterValue", Status: http.StatusBadRequest, Message: fmt.Sprintf("Invalid value '%s' for parameter %s", truncate(s, 64), key)}
	}
	return nil
}

// indexes returns the sorted distinct 1-based indexes N of keys "base.N" / "base.N.…".
func indexes(f *form, base string) ([]int, error) {
	keys := f.under(base)
	if len(keys) == 0 {
		return nil, nil
	}
	seen := map[int]bool{}
	var out []int
	for _, k := range keys {
		rest := k[len(base)+1:]
		seg, _, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(seg)
		if err != nil || n < 1 || n > maxListIndex || strconv.Itoa(n) != seg {
			return nil, malformed(fmt.Sprintf("Invalid index '%s' in parameter %s", truncate(seg, 32), truncate(k, 128)))
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// encodeQueryResponse renders <OpResponse><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>.
func (m *Model) encodeQueryResponse(op *Operation, out any, id string) ([]byte, error) {
	var b strings.Builder
	b.Grow(512)
	b.WriteString("<")
	b.WriteString(op.Name)
	b.WriteString(`Response xmlns="`)
	xmlEscape(&b, m.XMLNamespace)
	b.WriteString(`">`)
	if op.Output != NoShape {
		wrapper := op.ResultWrapper
		if wrapper == "" {
			wrapper = op.Name + "Result"
		}
		b.WriteString("<" + wrapper + ">")
		if out != nil {
			v := reflect.ValueOf(out).Elem()
			if err := m.checkTypeCached(v.Type(), op.Output); err != nil {
				return nil, fmt.Errorf("handler output type for %s: %w", op.Name, err)
			}
			m.xmlStruct(&b, v, op.Output)
		}
		b.WriteString("</" + wrapper + ">")
	}
	b.WriteString("<ResponseMetadata><RequestId>")
	xmlEscape(&b, id)
	b.WriteString("</RequestId></ResponseMetadata></")
	b.WriteString(op.Name)
	b.WriteString("Response>")
	return []byte(b.String()), nil
}

func (m *Model) xmlStruct(b *strings.Builder, v reflect.Value, si int) {
	sh := &m.Shapes[si]
	for i := range sh.Members {
		mem := &sh.Members[i]
		m.xmlMember(b, mem.WireName, v.Field(i), mem.Target, mem.Flattened, mem.Required)
	}
}

func (m *Model) xmlMember(b *strings.Builder, name string, fv reflect.Value, si int, flattened, required bool) {
	sh := &m.Shapes[si]
	if fv.Kind() == reflect.Pointer {
		if fv.IsNil() {
			if required {
				switch sh.Kind {
				case KindBoolean:
					b.WriteString("<" + name + ">false</" + name + ">")
				case KindInteger, KindLong:
					b.WriteString("<" + name + ">0</" + name + ">")
				case KindDouble, KindFloat:
					b.WriteString("<" + name + ">0</" + name + ">")
				}
			}
			return
		}
		fv = fv.Elem()
	}
	switch sh.Kind {
	case KindStructure:
		b.WriteString("<" + name + ">")
		m.xmlStruct(b, fv, si)
		b.WriteString("</" + name + ">")
	case KindList:
		if fv.IsNil() && !required {
			return
		}
		if flattened || sh.Flattened {
			el := name
			if sh.MemberName != "" {
				el = sh.MemberName
			}
			for j := 0; j < fv.Len(); j++ {
				m.xmlMember(b, el, fv.Index(j), sh.Member, false, true)
			}
			return
		}
		el := sh.MemberName
		if el == "" {
			el = "member"
		}
		b.WriteString("<" + name + ">")
		for j := 0; j < fv.Len(); j++ {
			m.xmlMember(b, el, fv.Index(j), sh.Member, false, true)
		}
		b.WriteString("</" + name + ">")
	case KindMap:
		if fv.IsNil() && !required {
			return
		}
		kn, vn := sh.KeyName, sh.ValueName
		if kn == "" {
			kn = "key"
		}
		if vn == "" {
			vn = "value"
		}
		keys := fv.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		if !flattened && !sh.Flattened {
			b.WriteString("<" + name + ">")
		}
		for _, k := range keys {
			if flattened || sh.Flattened {
				b.WriteString("<" + name + ">")
			} else {
				b.WriteString("<entry>")
			}
			b.WriteString("<" + kn + ">")
			xmlEscape(b, k.String())
			b.WriteString("</" + kn + ">")
			m.xmlMember(b, vn, fv.MapIndex(k), sh.Value, false, true)
			if flattened || sh.Flattened {
				b.WriteString("</" + name + ">")
			} else {
				b.WriteString("</entry>")
			}
		}
		if !flattened && !sh.Flattened {
			b.WriteString("</" + name + ">")
		}
	case KindDocument:
		// Not used by query services.
	default:
		if sh.Kind == KindString && fv.String() == "" && !required {
			return
		}
		if sh.Kind == KindBlob && fv.IsNil() && !required {
			return
		}
		s, _ := scalarText(fv, sh, false)
		b.WriteString("<" + name + ">")
		xmlEscape(b, s)
		b.WriteString("</" + name + ">")
	}
}

// xmlEscape writes s with XML special characters escaped; invalid XML characters become U+FFFD.
func xmlEscape(b *strings.Builder, s string) {
	last := 0
	for i, r := range s {
		var esc string
		switch r {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		case '\r':
			esc = "&#xD;"
		case '\n', '\t':
			continue
		default:
			if r < 0x20 || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF || (r == utf8.RuneError && isInvalidAt(s, i)) {
				esc = "\uFFFD"
			} else {
				continue
			}
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		_, size := utf8.DecodeRuneInString(s[i:])
		last = i + size
	}
	b.WriteString(s[last:])
}

func isInvalidAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 1
}
