package router

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/authn"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/httpx"
)

// DefaultMaxBody bounds request bodies (IAM policy documents are the largest
// legitimate inputs, far below this).
const DefaultMaxBody = 8 << 20

// Router dispatches requests to services.
type Router struct {
	log      *slog.Logger
	authn    *authn.Authenticator
	maxBody  int64
	byTarget map[string]*awsproto.Service // X-Amz-Target prefix
	bySign   map[string]*awsproto.Service // SigV4 signing name / endpoint prefix (query services)
	rest     []*awsproto.Service          // rest-json services, tried in order
	query    []*awsproto.Service          // query services, tried in order
	mounts   []mount                      // non-AWS handlers, tried first
}

// mount is a handler for the requests whose path match accepts.
type mount struct {
	match   func(path string) bool
	handler http.Handler
}

// Handle sends the requests whose URL path match accepts to h, before any
// AWS service is considered (SCIM's /scim/v2/). h reads the body itself.
func (rt *Router) Handle(match func(path string) bool, h http.Handler) {
	rt.mounts = append(rt.mounts, mount{match: match, handler: h})
}

// New builds a router over services. Authn verifies SigV4 for operations that are not modelled as unauthenticated.
func New(log *slog.Logger, a *authn.Authenticator, services ...*awsproto.Service) *Router {
	rt := &Router{log: log, authn: a, maxBody: DefaultMaxBody,
		byTarget: map[string]*awsproto.Service{}, bySign: map[string]*awsproto.Service{}}
	for _, s := range services {
		switch s.Model.Protocol {
		case awsproto.ProtocolJSON:
			rt.byTarget[s.Model.TargetPrefix] = s
		case awsproto.ProtocolQuery:
			rt.bySign[s.Model.SigningName] = s
			rt.bySign[s.Model.EndpointPrefix] = s
			rt.query = append(rt.query, s)
		case awsproto.ProtocolRestJSON:
			rt.rest = append(rt.rest, s)
		}
	}
	return rt
}

// OnRefusal has every service report to f the AccessDenied answers the
// authorisation point did not log itself (awsproto.Service.Refused).
func (rt *Router) OnRefusal(f func(ctx context.Context, action, resource, message string)) {
	seen := map[*awsproto.Service]bool{}
	all := append(append([]*awsproto.Service(nil), rt.rest...), rt.query...)
	for _, s := range rt.byTarget {
		all = append(all, s)
	}
	for _, s := range all {
		if !seen[s] {
			seen[s] = true
			s.Refused = f
		}
	}
}

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for _, m := range rt.mounts {
		if m.match(r.URL.Path) {
			m.handler.ServeHTTP(w, r)
			return
		}
	}
	ctx := awsproto.WithRequestID(r.Context(), httpx.RequestID(r.Context()))
	r = r.WithContext(ctx)
	body, err := httpx.ReadBody(r, rt.maxBody)
	svc, op := rt.pick(r, body)
	if svc == nil {
		writeUnknown(w, r)
		return
	}
	if err != nil {
		if errors.Is(err, httpx.ErrBodyTooLarge) {
			svc.WriteError(w, r, &awsproto.Error{Code: "RequestEntityTooLargeException", Status: http.StatusRequestEntityTooLarge, Message: "Request body too large"})
			return
		}
		svc.WriteError(w, r, &awsproto.Error{Code: "InternalFailure", Status: http.StatusInternalServerError, Message: "We encountered an internal error. Please try again."})
		return
	}
	if op == nil || !op.AuthNone {
		p, err := rt.authenticate(r, body, svc)
		if err != nil {
			svc.WriteError(w, r, err)
			return
		}
		r = r.WithContext(authn.WithPrincipal(r.Context(), p))
	}
	svc.Serve(w, r, body)
}

// authenticate verifies SigV4 and that the scope names this service.
func (rt *Router) authenticate(r *http.Request, body []byte, svc *awsproto.Service) (*authn.Principal, error) {
	p, err := rt.authn.AuthenticateSigV4(r.Context(), r, body)
	if err != nil {
		var ae *authn.Error
		if errors.As(err, &ae) {
			code, status := authn.CodeFor(ae.Kind, svc.Model.Protocol)
			return nil, &awsproto.Error{Code: code, Status: status, Message: ae.Message}
		}
		rt.log.Error("authentication failed unexpectedly", "err", err, "request_id", httpx.RequestID(r.Context()))
		return nil, &awsproto.Error{Code: "InternalFailure", Status: http.StatusInternalServerError, Message: "We encountered an internal error. Please try again."}
	}
	if p.Service != svc.Model.SigningName {
		code, status := authn.CodeFor(authn.KindSignatureMismatch, svc.Model.Protocol)
		return nil, &awsproto.Error{Code: code, Status: status,
			Message: "Credential should be scoped to correct service: '" + svc.Model.SigningName + "'. "}
	}
	return p, nil
}

// pick chooses the service (and, when known, the operation) for a request.
func (rt *Router) pick(r *http.Request, body []byte) (*awsproto.Service, *awsproto.Operation) {
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		prefix, _, _ := strings.Cut(target, ".")
		if s := rt.byTarget[prefix]; s != nil {
			return s, rt.operation(s, r, body)
		}
		return nil, nil
	}
	for _, s := range rt.rest {
		if name, ok := s.Operation(r, body); ok {
			op, _ := s.Model.OperationByName(name)
			return s, op
		}
	}
	if len(rt.query) == 0 {
		return nil, nil
	}
	if !isQueryRequest(r) {
		return nil, nil
	}
	// Query protocol: the SigV4 scope's service, then the Host, then whoever models the Action.
	if s := rt.bySign[scopeService(r)]; s != nil {
		return s, rt.operation(s, r, body)
	}
	host := strings.ToLower(r.Host)
	for _, s := range rt.query {
		if strings.HasPrefix(host, s.Model.EndpointPrefix+".") || strings.HasPrefix(host, s.Model.EndpointPrefix+"-fips.") {
			return s, rt.operation(s, r, body)
		}
	}
	for _, s := range rt.query {
		if _, ok := s.Operation(r, body); ok {
			return s, rt.operation(s, r, body)
		}
	}
	return rt.query[0], nil
}

func (rt *Router) operation(s *awsproto.Service, r *http.Request, body []byte) *awsproto.Operation {
	name, ok := s.Operation(r, body)
	if !ok {
		return nil
	}
	op, _ := s.Model.OperationByName(name)
	return op
}

func isQueryRequest(r *http.Request) bool {
	if r.Method == http.MethodGet {
		return awsproto.QueryParam(r.URL.RawQuery, "Action") != ""
	}
	ct := r.Header.Get("Content-Type")
	return r.Method == http.MethodPost && strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded")
}

// scopeService returns the service of the SigV4 credential scope, from the
// Authorization header or the presigned X-Amz-Credential parameter.
func scopeService(r *http.Request) string {
	cred := ""
	if h := r.Header.Get("Authorization"); h != "" {
		if i := strings.Index(h, "Credential="); i >= 0 {
			cred = h[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
		}
	} else {
		cred = awsproto.QueryParam(r.URL.RawQuery, "X-Amz-Credential")
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return ""
	}
	return parts[3]
}

func writeUnknown(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", "UnknownOperationException")
	w.Header().Set("x-amzn-RequestId", httpx.RequestID(r.Context()))
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte(`{"__type":"UnknownOperationException","message":"The requested operation is not recognized by any idcenter service."}`))
}

// Authorizer adapts the core authoriser to the codecs' Authorizer interface for one protocol.
type Authorizer struct {
	Decide   func(ctx context.Context, p *authn.Principal, action, resource string) error
	Protocol string
	// Denied maps a denial to this service's error.
	Denied func(msg string) *awsproto.Error
}

// Authorize implements awsproto.Authorizer.
func (a *Authorizer) Authorize(ctx context.Context, action, resource string) error {
	p, ok := authn.PrincipalFrom(ctx)
	if !ok {
		// Operations modelled without authentication never reach here with a
		// resource to protect; a missing principal on a signed operation is a bug.
		return a.Denied("Request is missing Authentication Token")
	}
	if err := a.Decide(ctx, p, action, resource); err != nil {
		if fe := fault.As(err); fe != nil && fe.Kind == fault.AccessDenied {
			return a.Denied(fe.Message)
		}
		return err // an internal failure: the codec answers 500 and logs it
	}
	return nil
}
