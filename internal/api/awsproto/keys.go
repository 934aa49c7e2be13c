package awsproto

import (
	"context"
	"reflect"
	"sync"
)

// Request condition keys: what a call asks for, beyond its action and
// resource, that policies may test (aws:RequestTag/${TagKey}, aws:TagKeys,
// iam:PermissionsBoundary, organizations:PolicyType, …). Serve computes them
// from the decoded input and hands them to the Authorizer in the context of
// the one authorisation call (RequestKeys); the handler's own context does not
// carry them.
//
// Every operation whose input has a list of Tags (Key, Value) sets
// aws:RequestTag/<key> for each tag and aws:TagKeys to their keys; one whose
// input has TagKeys (Untag…) sets aws:TagKeys. Service-specific keys come from
// the function given with WithKeys or AddKeys.

type requestKeysKey struct{}

// WithRequestKeys returns ctx carrying the request condition keys of one
// authorisation (replacing any already there). Adapters use it when a handler
// authorises a second action itself (iam:PassRole with iam:PassedToService).
func WithRequestKeys(ctx context.Context, keys map[string][]string) context.Context {
	return context.WithValue(ctx, requestKeysKey{}, keys)
}

// RequestKeys returns the request condition keys of the call being
// authorised (nil when there are none).
func RequestKeys(ctx context.Context) map[string][]string {
	k, _ := ctx.Value(requestKeysKey{}).(map[string][]string)
	return k
}

// WithKeys sets the function giving this operation's service-specific request
// condition keys from its input (nil or empty: none). It may read the store
// through the adapter's core, for keys that describe the existing resource.
func (o *TypedOp[In, Out]) WithKeys(f func(ctx context.Context, in *In) map[string][]string) *TypedOp[In, Out] {
	prev := o.keys
	o.keys = func(ctx context.Context, in any) map[string][]string {
		return mergeKeys(callKeys(prev, ctx, in), f(ctx, in.(*In)))
	}
	return o
}

// AddKeys adds a request condition key function to a handler made by Op for
// input type In. A nil handler (an operation without one) is left alone; a
// handler of another input type panics, which the adapter's tests catch.
func AddKeys[In any](h Handler, f func(ctx context.Context, in *In) map[string][]string) {
	if h == nil {
		return
	}
	k, ok := h.(interface {
		addKeys(reflect.Type, func(ctx context.Context, in any) map[string][]string)
	})
	if !ok {
		panic("awsproto: AddKeys on a handler not made by Op")
	}
	k.addKeys(reflect.TypeFor[In](), func(ctx context.Context, in any) map[string][]string { return f(ctx, in.(*In)) })
}

func (o *TypedOp[In, Out]) addKeys(t reflect.Type, f func(ctx context.Context, in any) map[string][]string) {
	if t != reflect.TypeFor[In]() {
		panic("awsproto: AddKeys with input " + t.String() + " on an operation taking " + reflect.TypeFor[In]().String())
	}
	prev := o.keys
	o.keys = func(ctx context.Context, in any) map[string][]string {
		return mergeKeys(callKeys(prev, ctx, in), f(ctx, in))
	}
}

func (o *TypedOp[In, Out]) keysOf(ctx context.Context, in any) map[string][]string {
	return mergeKeys(tagKeys(in), callKeys(o.keys, ctx, in))
}

func callKeys(f func(context.Context, any) map[string][]string, ctx context.Context, in any) map[string][]string {
	if f == nil {
		return nil
	}
	return f(ctx, in)
}

// authorizeContext is ctx with the request keys of handler h for input in.
func authorizeContext(ctx context.Context, h Handler, in any) context.Context {
	k, ok := h.(interface {
		keysOf(context.Context, any) map[string][]string
	})
	if !ok {
		return ctx
	}
	// Key functions declared with AddLazyKey register themselves in set
	// (lazykeys.go); the authoriser computes them only when a policy tests them.
	var keys map[string][]string
	if _, lazy := lazyHandlers.Load(h); lazy {
		set := &lazySet{}
		keys = k.keysOf(context.WithValue(ctx, lazyKeysKey{}, set), in)
		if len(set.keys) > 0 {
			ctx = context.WithValue(ctx, lazyKeysKey{}, set)
		}
	} else {
		keys = k.keysOf(ctx, in)
	}
	if len(keys) == 0 {
		return ctx
	}
	return WithRequestKeys(ctx, keys)
}

// mergeKeys returns a's keys with b's over them, leaving both maps as they
// are (a key function may return a map it keeps).
func mergeKeys(a, b map[string][]string) map[string][]string {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make(map[string][]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// tagFields locates, per input type, a Tags field (slice of struct with string
// Key and Value) and a TagKeys field ([]string); -1 when absent.
type tagFields struct{ tags, tagKeys int }

var tagFieldCache sync.Map // reflect.Type → tagFields

func fieldsOf(t reflect.Type) tagFields {
	if f, ok := tagFieldCache.Load(t); ok {
		return f.(tagFields)
	}
	f := tagFields{tags: -1, tagKeys: -1}
	if t.Kind() == reflect.Struct {
		if sf, ok := t.FieldByName("Tags"); ok && len(sf.Index) == 1 && sf.Type.Kind() == reflect.Slice {
			e := sf.Type.Elem()
			if e.Kind() == reflect.Struct {
				k, kok := e.FieldByName("Key")
				v, vok := e.FieldByName("Value")
				if kok && vok && k.Type.Kind() == reflect.String && v.Type.Kind() == reflect.String {
					f.tags = sf.Index[0]
				}
			}
		}
		if sf, ok := t.FieldByName("TagKeys"); ok && len(sf.Index) == 1 && sf.Type == reflect.TypeFor[[]string]() {
			f.tagKeys = sf.Index[0]
		}
	}
	tagFieldCache.Store(t, f)
	return f
}

// tagKeys computes aws:RequestTag/<key> and aws:TagKeys from an input's Tags
// or TagKeys (nil when it has neither or they are empty).
func tagKeys(in any) map[string][]string {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	v = v.Elem()
	f := fieldsOf(v.Type())
	var out map[string][]string
	if f.tags >= 0 {
		tags := v.Field(f.tags)
		if n := tags.Len(); n > 0 {
			out = make(map[string][]string, n+1)
			keys := make([]string, 0, n)
			for i := range n {
				t := tags.Index(i)
				k, val := t.FieldByName("Key").String(), t.FieldByName("Value").String()
				out["aws:RequestTag/"+k] = []string{val}
				keys = append(keys, k)
			}
			out["aws:TagKeys"] = keys
		}
	}
	if f.tagKeys >= 0 {
		if keys := v.Field(f.tagKeys).Interface().([]string); len(keys) > 0 {
			if out == nil {
				out = map[string][]string{}
			}
			out["aws:TagKeys"] = append([]string(nil), keys...)
		}
	}
	return out
}
