package awsproto

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
)

// Handler is a typed operation handler made by Op.
type Handler interface {
	newInput() any // *In
	call(ctx context.Context, in any) (any, error)
	resourceOf(ctx context.Context, in any) string
	ioTypes() (in, out reflect.Type)
}

// TypedOp is a handler for one operation with generated input and output types.
type TypedOp[In, Out any] struct {
	fn       func(ctx context.Context, in *In) (*Out, error)
	resource func(ctx context.Context, in *In) string
	keys     func(ctx context.Context, in any) map[string][]string // request condition keys (keys.go)
	also     []alsoCheck                                           // actions required when tagged (refusals.go)
}

// Op wraps a typed handler.
func Op[In, Out any](fn func(ctx context.Context, in *In) (*Out, error)) *TypedOp[In, Out] {
	return &TypedOp[In, Out]{fn: fn}
}

// WithResource sets the function giving the resource ARN used to authorise this call (default "*").
func (o *TypedOp[In, Out]) WithResource(f func(ctx context.Context, in *In) string) *TypedOp[In, Out] {
	o.resource = f
	return o
}

func (o *TypedOp[In, Out]) newInput() any { return new(In) }

func (o *TypedOp[In, Out]) call(ctx context.Context, in any) (any, error) {
	out, err := o.fn(ctx, in.(*In))
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, nil
	}
	return out, nil
}

func (o *TypedOp[In, Out]) resourceOf(ctx context.Context, in any) string {
	if o.resource == nil {
		return "*"
	}
	return o.resource(ctx, in.(*In))
}

func (o *TypedOp[In, Out]) ioTypes() (reflect.Type, reflect.Type) {
	return reflect.TypeFor[In](), reflect.TypeFor[Out]()
}

// Authorizer decides whether the caller of ctx may perform action ("<iamPrefix>:<Operation>") on resource.
// It returns nil to allow, or an error (normally an *Error such as AccessDeniedException) to deny.
type Authorizer interface {
	Authorize(ctx context.Context, action, resource string) error
}

// Service binds a model to handlers and serves its protocol.
type Service struct {
	Model      *Model
	Handlers   map[string]Handler // by operation name
	IAMPrefix  string             // IAM action prefix: "identitystore", "sso", "sts", "iam", "organizations", "sso-oauth", …
	Authorizer Authorizer         // may be nil (no check); not called for operations modelled without auth
	// ValidationCode is the error code for constraint violations. Default: ValidationError (query),
	// ValidationException when modelled or for awsJson, else InvalidRequestException when modelled.
	ValidationCode string
	MaxBody        int64 // 0 = unlimited
	// Refused, when set, is told of every AccessDenied answer that nobody
	// logged already (refusals.go): the operation's action and first
	// resource and the answer's message.
	Refused func(ctx context.Context, action, resource, message string)
}

func (s *Service) validationCode() string {
	if s.ValidationCode != "" {
		return s.ValidationCode
	}
	switch {
	case s.Model.Protocol == ProtocolQuery:
		return "ValidationError"
	case s.hasError("ValidationException") || s.Model.Protocol == ProtocolJSON:
		return "ValidationException"
	case s.hasError("InvalidRequestException"):
		return "InvalidRequestException"
	}
	return "ValidationException"
}

// Missing lists modelled operations without a handler (sorted).
func (s *Service) Missing() []string {
	var out []string
	for _, op := range s.Model.Operations {
		if s.Handlers[op.Name] == nil {
			out = append(out, op.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Check verifies that every handler is for a modelled operation and that its input and output types are
// the generated types of that operation (same members in the same order).
func (s *Service) Check() error {
	var problems []string
	names := make([]string, 0, len(s.Handlers))
	for name := range s.Handlers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		op, ok := s.Model.OperationByName(name)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: not an operation of %s", name, s.Model.ServiceID))
			continue
		}
		in, out := s.Handlers[name].ioTypes()
		if err := s.Model.checkType(in, op.Input); err != nil {
			problems = append(problems, fmt.Sprintf("%s input: %v", name, err))
		}
		if err := s.Model.checkType(out, op.Output); err != nil {
			problems = append(problems, fmt.Sprintf("%s output: %v", name, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("awsproto: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Operation resolves which modelled operation a request is for (X-Amz-Target, form Action, or rest-json
// method+path). ok is false when it is not one of this service's operations.
func (s *Service) Operation(r *http.Request, body []byte) (string, bool) {
	op, _, ok := s.resolve(r, body)
	if !ok {
		return "", false
	}
	return op.Name, true
}

// resolve finds the operation; for rest-json it also returns the path labels.
func (s *Service) resolve(r *http.Request, body []byte) (*Operation, map[string]string, bool) {
	m := s.Model
	switch m.Protocol {
	case ProtocolJSON:
		prefix, name, ok := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
		if !ok || prefix != m.TargetPrefix {
			return nil, nil, false
		}
		op, ok := m.OperationByName(name)
		return op, nil, ok
	case ProtocolQuery:
		action := queryAction(r, body)
		op, ok := m.OperationByName(action)
		return op, nil, ok
	case ProtocolRestJSON:
		return m.matchRoute(r)
	}
	return nil, nil, false
}

func queryAction(r *http.Request, body []byte) string {
	if a := QueryParam(r.URL.RawQuery, "Action"); a != "" {
		return a
	}
	if r.Method != http.MethodPost {
		return ""
	}
	return QueryParam(string(body), "Action")
}

// QueryParam returns the first value of key in a URL-encoded query or form
// ("" when absent or badly escaped) without parsing the whole string into a
// map: routing looks at one or two parameters of every request.
func QueryParam(raw, key string) string {
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k != key {
			if strings.ContainsAny(k, "%+") {
				if uk, err := url.QueryUnescape(k); err == nil && uk == key {
					return unescapeValue(v)
				}
			}
			continue
		}
		return unescapeValue(v)
	}
	return ""
}

func unescapeValue(v string) string {
	if !strings.ContainsAny(v, "%+") {
		return v
	}
	u, err := url.QueryUnescape(v)
	if err != nil {
		return ""
	}
	return u
}

func (m *Model) matchRoute(r *http.Request) (*Operation, map[string]string, bool) {
	path := strings.Trim(r.URL.Path, "/")
	var segs []string
	if path != "" {
		segs = strings.Split(path, "/")
	}
	var q url.Values // parsed only when a route constrains the query
	best, bestScore := -1, -1
	var bestLabels map[string]string
	for _, rt := range m.runtime().routes {
		if rt.method != r.Method {
			continue
		}
		labels, ok := matchSegments(rt.segments, segs)
		if !ok {
			continue
		}
		okq := true
		if len(rt.query) > 0 && q == nil {
			q = r.URL.Query()
		}
		for k, v := range rt.query {
			if !q.Has(k) || (v != "" && q.Get(k) != v) {
				okq = false
			}
		}
		if !okq {
			continue
		}
		score := len(rt.query)*100 + len(rt.segments)
		if score > bestScore {
			best, bestScore, bestLabels = rt.op, score, labels
		}
	}
	if best < 0 {
		return nil, nil, false
	}
	return &m.Operations[best], bestLabels, true
}

func matchSegments(pattern, segs []string) (map[string]string, bool) {
	var labels map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			name := p[1 : len(p)-1]
			if labels == nil {
				labels = map[string]string{}
			}
			if greedy, ok := strings.CutSuffix(name, "+"); ok {
				if i >= len(segs) {
					return nil, false
				}
				labels[greedy] = strings.Join(segs[i:], "/")
				return labels, true
			}
			if i >= len(segs) || segs[i] == "" {
				return nil, false
			}
			v, err := url.PathUnescape(segs[i])
			if err != nil {
				return nil, false
			}
			labels[name] = v
			continue
		}
		if i >= len(segs) || segs[i] != p {
			return nil, false
		}
	}
	return labels, len(segs) == len(pattern)
}

// Serve decodes body (already read by the caller) into the operation's input, validates it against the
// model, authorises, calls the handler and encodes the output or the error, all in this service's protocol.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request, body []byte) {
	r, id := ensureRequestID(r)
	if s.MaxBody > 0 && int64(len(body)) > s.MaxBody {
		s.writeError(w, r, id, &Error{Code: "RequestEntityTooLarge", Status: http.StatusRequestEntityTooLarge, Message: "Request body is too large"})
		return
	}
	op, labels, ok := s.resolve(r, body)
	if !ok {
		s.writeError(w, r, id, s.unknownOperation(r, body))
		return
	}
	ctx := withRefusalNote(context.WithValue(r.Context(), operationKey, op.Name))
	r = r.WithContext(ctx)
	h := s.Handlers[op.Name]
	if h == nil {
		s.writeError(w, r, id, s.notImplemented(op.Name))
		return
	}
	in := h.newInput()
	if err := s.decode(r, body, op, labels, in); err != nil {
		s.writeError(w, r, id, err)
		return
	}
	if op.Input != NoShape {
		if msgs := s.Model.validate(reflect.ValueOf(in).Elem(), op.Input); len(msgs) > 0 {
			s.writeError(w, r, id, &Error{Code: s.validationCode(), Status: http.StatusBadRequest, Message: validationMessage(msgs)})
			return
		}
	}
	prefix := s.IAMPrefix
	if prefix == "" {
		prefix = s.Model.SigningName
	}
	action, first := prefix+":"+op.Name, "*"
	if s.Authorizer != nil && !op.AuthNone {
		actx := authorizeContext(ctx, h, in)
		for i, res := range resourcesOf(ctx, h, in) { // resources.go: every one must be allowed
			if i == 0 {
				first = res
			}
			if err := s.Authorizer.Authorize(actx, action, res); err != nil {
				s.refused(ctx, action, res, err)
				s.writeError(w, r, id, err)
				return
			}
		}
		for _, c := range alsoChecks(ctx, h, in, first) { // refusals.go: tagging on create
			if err := s.Authorizer.Authorize(actx, c[0], c[1]); err != nil {
				s.refused(ctx, c[0], c[1], err)
				s.writeError(w, r, id, err)
				return
			}
		}
	}
	out, err := h.call(ctx, in)
	if err != nil {
		s.refused(ctx, action, first, err)
		s.writeError(w, r, id, err)
		return
	}
	s.encode(w, r, id, op, out)
}

func (s *Service) unknownOperation(r *http.Request, body []byte) error {
	switch s.Model.Protocol {
	case ProtocolQuery:
		action := queryAction(r, body)
		if action == "" {
			return &Error{Code: "MissingAction", Status: http.StatusBadRequest, Message: "Missing Action"}
		}
		return &Error{Code: "InvalidAction", Status: http.StatusBadRequest, Message: fmt.Sprintf("Could not find operation %s for version %s", action, s.Model.APIVersion)}
	case ProtocolRestJSON:
		return &Error{Code: "UnknownOperationException", Status: http.StatusNotFound, Message: "Unknown operation " + r.Method + " " + r.URL.Path}
	}
	return &Error{Code: "UnknownOperationException", Status: http.StatusBadRequest}
}

func (s *Service) notImplemented(name string) error {
	if s.Model.Protocol == ProtocolQuery {
		return &Error{Code: "InvalidAction", Status: http.StatusBadRequest, Message: "The action " + name + " is not valid for this web service."}
	}
	return &Error{Code: "UnknownOperationException", Status: http.StatusBadRequest, Message: "Operation " + name + " is not implemented"}
}

func validationMessage(msgs []string) string {
	if len(msgs) == 1 {
		return "1 validation error detected: " + msgs[0]
	}
	return fmt.Sprintf("%d validation errors detected: %s", len(msgs), strings.Join(msgs, "; "))
}
