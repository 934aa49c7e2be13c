package awsproto

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

type planKey struct {
	t     reflect.Type
	shape int
}

// checkType reports whether t is the generated Go type of structure shape si (NoShape: an empty struct).
func (m *Model) checkType(t reflect.Type, si int) error {
	if t.Kind() != reflect.Struct {
		return fmt.Errorf("%v is not a struct", t)
	}
	if si == NoShape {
		if t.NumField() != 0 {
			return fmt.Errorf("%v: operation has no modelled shape, want an empty struct", t)
		}
		return nil
	}
	sh := &m.Shapes[si]
	if t.NumField() != len(sh.Members) {
		return fmt.Errorf("%v has %d fields, shape %s has %d members", t, t.NumField(), sh.Name, len(sh.Members))
	}
	for i := range sh.Members {
		f := t.Field(i)
		if strings.TrimRight(f.Name, "_") != GoName(sh.Members[i].Name) {
			return fmt.Errorf("%v field %d is %s, shape %s member is %s", t, i, f.Name, sh.Name, sh.Members[i].Name)
		}
	}
	return nil
}

func (m *Model) checkTypeCached(t reflect.Type, si int) error {
	rt := m.runtime()
	k := planKey{t, si}
	if v, ok := rt.plans.Load(k); ok {
		err, _ := v.(error)
		return err
	}
	err := m.checkType(t, si)
	rt.plans.Store(k, err)
	return err
}

// GoName turns a model name into the exported Go identifier tools/apigen
// generates for it (first letter upper-cased, other invalid runes as '_');
// the codec uses it to check handler types against the model.
func GoName(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case i == 0 && unicode.IsLetter(r):
			b.WriteRune(unicode.ToUpper(r))
		case i == 0:
			b.WriteString("X")
			if unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	return strings.TrimRight(b.String(), "_")
}

func serializationError(msg string) *Error {
	return &Error{Code: "SerializationException", Status: http.StatusBadRequest, Message: msg}
}

func jsonDecodeError(err error) *Error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			return serializationError("Expected a JSON object as the request body")
		}
		return serializationError(fmt.Sprintf("Unexpected value type (%s) for member '%s'", te.Value, field))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return serializationError(fmt.Sprintf("Malformed JSON at offset %d", se.Offset))
	}
	return serializationError("Could not parse the request body")
}

func (s *Service) decode(r *http.Request, body []byte, op *Operation, labels map[string]string, in any) error {
	m := s.Model
	if op.Input == NoShape {
		return nil
	}
	v := reflect.ValueOf(in).Elem()
	if err := m.checkTypeCached(v.Type(), op.Input); err != nil {
		return fmt.Errorf("handler input type for %s: %w", op.Name, err)
	}
	switch m.Protocol {
	case ProtocolJSON:
		if len(bytes.TrimSpace(body)) == 0 {
			return nil
		}
		if err := json.Unmarshal(body, in); err != nil {
			return jsonDecodeError(err)
		}
		return nil
	case ProtocolRestJSON:
		if len(bytes.TrimSpace(body)) > 0 && m.hasBodyMembers(op.Input) {
			if err := json.Unmarshal(body, in); err != nil {
				return jsonDecodeError(err)
			}
		}
		return m.bindHTTP(r, labels, v, op.Input)
	case ProtocolQuery:
		return s.decodeQuery(r, body, op, v)
	}
	return fmt.Errorf("unsupported protocol %q", m.Protocol)
}

func (m *Model) hasBodyMembers(si int) bool {
	for _, mem := range m.Shapes[si].Members {
		if mem.Location == "" {
			return true
		}
	}
	return false
}

// bindHTTP sets the members bound to the URI, query string and headers.
func (m *Model) bindHTTP(r *http.Request, labels map[string]string, v reflect.Value, si int) error {
	var q map[string][]string
	for i := range m.Shapes[si].Members {
		mem := &m.Shapes[si].Members[i]
		var vals []string
		switch mem.Location {
		case "uri":
			if l, ok := labels[mem.WireName]; ok {
				vals = []string{l}
			}
		case "querystring":
			if q == nil {
				q = r.URL.Query()
			}
			vals = q[mem.WireName]
		case "header":
			if h := r.Header.Get(mem.WireName); h != "" {
				vals = []string{h}
			}
		default:
			continue
		}
		if len(vals) == 0 {
			continue
		}
		fv := v.Field(i)
		target := &m.Shapes[mem.Target]
		if target.Kind == KindList {
			el := &m.Shapes[target.Member]
			if mem.Location == "header" {
				vals = splitHeaderList(vals[0])
			}
			sl := reflect.MakeSlice(fv.Type(), len(vals), len(vals))
			for j, s := range vals {
				if err := setScalar(sl.Index(j), el, s, mem.Location); err != nil {
					return bindError(mem.Name, s)
				}
			}
			fv.Set(sl)
			continue
		}
		if err := setScalar(fv, target, vals[0], mem.Location); err != nil {
			return bindError(mem.Name, vals[0])
		}
	}
	return nil
}

func splitHeaderList(h string) []string {
	parts := strings.Split(h, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func bindError(member, value string) *Error {
	return serializationError(fmt.Sprintf("Invalid value '%s' for member '%s'", value, member))
}

// alloc returns the addressable value behind fv, allocating a pointer if needed.
func alloc(fv reflect.Value) reflect.Value {
	if fv.Kind() == reflect.Pointer {
		if fv.IsNil() {
			fv.Set(reflect.New(fv.Type().Elem()))
		}
		return fv.Elem()
	}
	return fv
}

var timeType = reflect.TypeFor[Time]()

// setScalar parses s into fv according to the shape kind.
func setScalar(fv reflect.Value, sh *Shape, s string, location string) error {
	switch sh.Kind {
	case KindString:
		alloc(fv).SetString(s)
	case KindBoolean:
		b, err := strconv.ParseBool(s)
		if err != nil || (s != "true" && s != "false") {
			return fmt.Errorf("invalid boolean %q", s)
		}
		alloc(fv).SetBool(b)
	case KindInteger, KindLong:
		bits := 64
		if sh.Kind == KindInteger {
			bits = 32
		}
		n, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			return fmt.Errorf("invalid integer %q: %w", s, err)
		}
		alloc(fv).SetInt(n)
	case KindDouble, KindFloat:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("invalid number %q: %w", s, err)
		}
		alloc(fv).SetFloat(f)
	case KindTimestamp:
		t, err := ParseTime(s)
		if err != nil {
			return err
		}
		alloc(fv).Set(reflect.ValueOf(t))
	case KindBlob:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return fmt.Errorf("invalid base64: %w", err)
		}
		fv.SetBytes(b)
	default:
		return fmt.Errorf("cannot bind %s from %s", sh.Name, location)
	}
	return nil
}

// encode writes a successful response.
func (s *Service) encode(w http.ResponseWriter, r *http.Request, id string, op *Operation, out any) {
	m := s.Model
	h := w.Header()
	switch m.Protocol {
	case ProtocolQuery:
		buf, err := m.encodeQueryResponse(op, out, id)
		if err != nil {
			s.writeError(w, r, id, err)
			return
		}
		h.Set("x-amzn-RequestId", id)
		h.Set("Content-Type", "text/xml")
		h.Set("Content-Length", strconv.Itoa(len(buf)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf)
		return
	case ProtocolRestJSON:
		h.Set("x-amzn-RequestId", id)
		if op.Output == NoShape {
			h.Set("Content-Length", "0")
			w.WriteHeader(http.StatusOK)
			return
		}
		if out != nil {
			if err := m.checkTypeCached(reflect.TypeOf(out).Elem(), op.Output); err != nil {
				s.writeError(w, r, id, fmt.Errorf("handler output type for %s: %w", op.Name, err))
				return
			}
			m.setOutputHeaders(h, reflect.ValueOf(out).Elem(), op.Output)
		}
		h.Set("Content-Type", "application/json")
	default:
		h.Set("x-amzn-RequestId", id)
		h.Set("Content-Type", "application/x-amz-json-1.1")
	}
	buf := []byte("{}")
	if out != nil {
		m.fillRequired(reflect.ValueOf(out), op.Output)
		b, err := json.Marshal(out)
		if err != nil {
			s.writeError(w, r, id, fmt.Errorf("encode %s output: %w", op.Name, err))
			return
		}
		buf = b
	}
	h.Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf)
}

func (m *Model) setOutputHeaders(h http.Header, v reflect.Value, si int) {
	for i := range m.Shapes[si].Members {
		mem := &m.Shapes[si].Members[i]
		if mem.Location != "header" {
			continue
		}
		fv := v.Field(i)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		if s, ok := scalarText(fv, &m.Shapes[mem.Target], true); ok && s != "" {
			h.Set(mem.WireName, s)
		}
	}
}

// scalarText formats a scalar value as text (XML / headers).
func scalarText(v reflect.Value, sh *Shape, httpDate bool) (string, bool) {
	switch sh.Kind {
	case KindString:
		return v.String(), true
	case KindBoolean:
		return strconv.FormatBool(v.Bool()), true
	case KindInteger, KindLong:
		return strconv.FormatInt(v.Int(), 10), true
	case KindDouble, KindFloat:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64), true
	case KindTimestamp:
		t, _ := v.Interface().(Time)
		if httpDate && sh.TimestampFormat != "iso8601" {
			return t.UTC().Format(http.TimeFormat), true
		}
		return t.ISO8601(), true
	case KindBlob:
		return base64.StdEncoding.EncodeToString(v.Bytes()), true
	}
	return "", false
}
