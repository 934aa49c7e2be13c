package awsproto

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
)

// Refusals: every AccessDenied answer is explained once in the server's log.
// The authorisation point logs its own denials (with the deciding policy);
// refusals decided after it — the Organizations gate, sso-admin's delegated
// administrator rules, the credentials core — reach Serve as errors. Serve
// gives each request a note in its context; whoever logs a refusal marks it
// (RefusalLogged), and when the answer is an AccessDenied the note does not
// mark, Serve hands it to Service.Refused with the operation's action and
// resource. Nothing is logged twice.

type refusalNoteKey struct{}

type refusalNote struct{ logged atomic.Bool }

func withRefusalNote(ctx context.Context) context.Context {
	return context.WithValue(ctx, refusalNoteKey{}, &refusalNote{})
}

// RefusalLogged records that the refusal of the request of ctx has been
// logged (the authorisation point calls it when it logs a denial), so that
// Serve does not log it again. Outside Serve it does nothing.
func RefusalLogged(ctx context.Context) {
	if n, ok := ctx.Value(refusalNoteKey{}).(*refusalNote); ok {
		n.logged.Store(true)
	}
}

// IsAccessDenied reports whether err is answered as an access denial
// (AccessDenied, AccessDeniedException, AccessDeniedForDependencyException).
func IsAccessDenied(err error) bool {
	var e *Error
	return errors.As(err, &e) && e != nil && strings.HasPrefix(e.Code, "AccessDenied")
}

// refused calls s.Refused for an AccessDenied answer nobody logged.
func (s *Service) refused(ctx context.Context, action, resource string, err error) {
	if s.Refused == nil || !IsAccessDenied(err) {
		return
	}
	if n, ok := ctx.Value(refusalNoteKey{}).(*refusalNote); ok && n.logged.Load() {
		return
	}
	var e *Error
	errors.As(err, &e)
	s.Refused(ctx, action, resource, e.Message)
}

// Tag on create: AWS requires the tagging permission too when a create
// request includes tags ("If the request includes tags, then the requester
// must have the organizations:TagResource permission"; iam:CreateRole with
// Tags needs iam:TagRole; sso:CreatePermissionSet with Tags needs
// sso:TagResource). RequireWhenTagged declares that second action; Serve
// authorises it through the Authorizer, after the operation's own action and
// with the same request condition keys (aws:RequestTag/…, aws:TagKeys), only
// when the input's Tags list is not empty.

type alsoCheck struct {
	action   string
	resource func(ctx context.Context, in any) string // nil: the operation's first resource
}

// RequireWhenTagged makes handler h (made by Op, for an input with a Tags
// list) also authorise action when the request includes tags, on the
// resource resource gives (nil: the operation's own first resource). A nil
// handler is left alone; one not made by Op panics (the adapter's tests
// catch it).
func RequireWhenTagged(h Handler, action string, resource func(ctx context.Context, in any) string) {
	if h == nil {
		return
	}
	a, ok := h.(interface{ addAlso(alsoCheck) })
	if !ok {
		panic("awsproto: RequireWhenTagged on a handler not made by Op")
	}
	a.addAlso(alsoCheck{action: action, resource: resource})
}

func (o *TypedOp[In, Out]) addAlso(c alsoCheck) { o.also = append(o.also, c) }

func (o *TypedOp[In, Out]) alsoOf() []alsoCheck { return o.also }

// alsoChecks lists the (action, resource) pairs h requires besides its own
// action for input in; first is the operation's first resource.
func alsoChecks(ctx context.Context, h Handler, in any, first string) [][2]string {
	a, ok := h.(interface{ alsoOf() []alsoCheck })
	if !ok || len(a.alsoOf()) == 0 || !hasTags(in) {
		return nil
	}
	var out [][2]string
	for _, c := range a.alsoOf() {
		res := first
		if c.resource != nil {
			res = c.resource(ctx, in)
		}
		out = append(out, [2]string{c.action, res})
	}
	return out
}

// hasTags reports whether an input's Tags list (keys.go) is not empty.
func hasTags(in any) bool {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return false
	}
	v = v.Elem()
	f := fieldsOf(v.Type())
	return f.tags >= 0 && v.Field(f.tags).Len() > 0
}
