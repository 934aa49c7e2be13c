package awsproto

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// validate checks the decoded input struct v against structure shape si and returns AWS-worded violations.
func (m *Model) validate(v reflect.Value, si int) []string {
	var out []string
	m.validateStruct(v, si, "", &out, 0)
	return out
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r >= 'A' && r <= 'Z' {
		return string(r+('a'-'A')) + s[size:]
	}
	return s
}

func isNull(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	case reflect.String:
		return v.Len() == 0
	}
	return false
}

func (m *Model) validateStruct(v reflect.Value, si int, path string, out *[]string, depth int) {
	if depth > 64 {
		return
	}
	sh := &m.Shapes[si]
	set := 0
	for i := range sh.Members {
		mem := &sh.Members[i]
		fv := v.Field(i)
		p := lowerFirst(mem.Name)
		if path != "" {
			p = path + "." + p
		}
		target := &m.Shapes[mem.Target]
		// An empty string is a value when the shape explicitly allows length 0 (e.g. IAM tag values);
		// otherwise it cannot be told apart from an absent member.
		emptyOK := fv.Kind() == reflect.String && target.HasMin && target.Min == 0
		if emptyOK && !mem.Required && fv.String() == "" && target.Pattern != "" {
			// An optional member whose own pattern refuses "" (sso-admin
			// CreateInstance's Name) is absent, not empty, when it reads "".
			if re := m.regexpFor(mem.Target); re != nil && !re.MatchString("") {
				emptyOK = false
			}
		}
		if (isNull(fv) && !emptyOK) || (target.Kind == KindDocument && string(fv.Bytes()) == "null") {
			if mem.Required && !mem.IdempotencyToken {
				*out = append(*out, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", p))
			}
			continue
		}
		set++
		m.validateValue(fv, mem.Target, p, out, depth+1)
	}
	if sh.Union && set != 1 {
		name := path
		if name == "" {
			name = lowerFirst(sh.Name)
		}
		*out = append(*out, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have exactly one member set (found %d)", name, set))
	}
}

func (m *Model) violation(sh *Shape, shown string, path, constraint string) string {
	if sh.Sensitive {
		return fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", path, constraint)
	}
	return fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", shown, path, constraint)
}

func quoteValue(s string) string { return "'" + s + "'" }

// javaLen is String.length(): the number of UTF-16 code units.
func javaLen(s string) int64 {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return int64(n)
}

func (m *Model) lengthChecks(sh *Shape, n int64, shown, path string, out *[]string) {
	if sh.HasMin && n < sh.Min {
		*out = append(*out, m.violation(sh, shown, path, fmt.Sprintf("Member must have length greater than or equal to %d", sh.Min)))
	}
	if sh.HasMax && n > sh.Max {
		*out = append(*out, m.violation(sh, shown, path, fmt.Sprintf("Member must have length less than or equal to %d", sh.Max)))
	}
}

func (m *Model) validateValue(v reflect.Value, si int, path string, out *[]string, depth int) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	sh := &m.Shapes[si]
	switch sh.Kind {
	case KindString:
		s := v.String()
		shown := quoteValue(s)
		m.lengthChecks(sh, javaLen(s), shown, path, out)
		if sh.Pattern != "" {
			if re := m.regexpFor(si); re != nil && !re.MatchString(s) {
				*out = append(*out, m.violation(sh, shown, path, "Member must satisfy regular expression pattern: "+sh.Pattern))
			}
		}
		if len(sh.Enum) > 0 && !contains(sh.Enum, s) {
			*out = append(*out, m.violation(sh, shown, path, "Member must satisfy enum value set: ["+strings.Join(sh.Enum, ", ")+"]"))
		}
	case KindInteger, KindLong:
		n := v.Int()
		shown := quoteValue(strconv.FormatInt(n, 10))
		if sh.HasMin && n < sh.Min {
			*out = append(*out, m.violation(sh, shown, path, fmt.Sprintf("Member must have value greater than or equal to %d", sh.Min)))
		}
		if sh.HasMax && n > sh.Max {
			*out = append(*out, m.violation(sh, shown, path, fmt.Sprintf("Member must have value less than or equal to %d", sh.Max)))
		}
	case KindDouble, KindFloat:
		f := v.Float()
		shown := quoteValue(strconv.FormatFloat(f, 'f', -1, 64))
		if sh.HasMin && f < float64(sh.Min) {
			*out = append(*out, m.violation(sh, shown, path, fmt.Sprintf("Member must have value greater than or equal to %d", sh.Min)))
		}
		if sh.HasMax && f > float64(sh.Max) {
			*out = append(*out, m.violation(sh, shown, path, fmt.Sprintf("Member must have value less than or equal to %d", sh.Max)))
		}
	case KindBlob:
		m.lengthChecks(sh, int64(v.Len()), "'<binary>'", path, out)
	case KindList:
		m.lengthChecks(sh, int64(v.Len()), m.showList(v, sh), path, out)
		for i := 0; i < v.Len(); i++ {
			ev := v.Index(i)
			if isNull(ev) {
				continue
			}
			m.validateValue(ev, sh.Member, path+"."+strconv.Itoa(i+1)+".member", out, depth+1)
		}
	case KindMap:
		m.lengthChecks(sh, int64(v.Len()), "'{...}'", path, out)
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			m.validateValue(k, sh.Key, path+".key", out, depth+1)
			if ev := v.MapIndex(k); !isNull(ev) {
				m.validateValue(ev, sh.Value, path+"."+k.String()+".value", out, depth+1)
			}
		}
	case KindStructure:
		m.validateStruct(v, si, path, out, depth+1)
	}
}

// showList renders a list value like Java's List.toString for scalar elements.
func (m *Model) showList(v reflect.Value, sh *Shape) string {
	if m.Shapes[sh.Member].Kind != KindString || m.Shapes[sh.Member].Sensitive {
		return "'[...]'"
	}
	parts := make([]string, 0, v.Len())
	for i := 0; i < v.Len() && i < 20; i++ {
		parts = append(parts, v.Index(i).String())
	}
	if v.Len() > 20 {
		parts = append(parts, "...")
	}
	return "'[" + strings.Join(parts, ", ") + "]'"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// compileJavaPattern translates a Java regular expression (as used in AWS models) to RE2 and compiles it
// for whole-string matching (Java's Matcher.matches). It returns nil when the pattern cannot be translated
// (lookarounds, backreferences, possessive quantifiers, …): such patterns are not enforced.
func compileJavaPattern(p string) *regexp.Regexp {
	if p == "" {
		return nil
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '\\' || i+1 >= len(p) {
			b.WriteByte(c)
			continue
		}
		n := p[i+1]
		switch {
		case n == 'u' && i+6 <= len(p) && isHex(p[i+2:i+6]):
			b.WriteString(`\x{` + p[i+2:i+6] + `}`)
			i += 5
		case n == 'Z' || n == 'z':
			b.WriteString(`\z`)
			i++
		default:
			b.WriteByte(c)
			b.WriteByte(n)
			i++
		}
	}
	re, err := regexp.Compile(`^(?:` + b.String() + `)$`)
	if err != nil {
		return nil
	}
	return re
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
