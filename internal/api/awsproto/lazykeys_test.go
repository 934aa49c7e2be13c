package awsproto

import (
	"context"
	"reflect"
	"testing"
)

// TestLazyRequestKeys: a key declared with AddLazyKey is not computed when
// the call's context is made, only when its function is asked, and once per
// call however often it is asked; eager keys stay as they are; an operation
// without lazy keys carries none, nor does the handler's own context.
func TestLazyRequestKeys(t *testing.T) {
	ctx := context.Background()
	calls := 0
	h := Op(keyNop[keyTaggedInput])
	AddKeys(h, func(_ context.Context, in *keyTaggedInput) map[string][]string {
		return map[string][]string{"svc:Eager": {in.Name}}
	})
	AddLazyKey(h, "svc:Lazy", func(_ context.Context, in *keyTaggedInput) []string {
		calls++
		return []string{"lazy-" + in.Name}
	})
	actx := authorizeContext(ctx, h, &keyTaggedInput{Name: "a"})
	if calls != 0 {
		t.Fatalf("lazy key computed %d times before it was asked for", calls)
	}
	if got, want := RequestKeys(actx), map[string][]string{"svc:Eager": {"a"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("eager keys %v, want %v", got, want)
	}
	lazy := LazyRequestKeys(actx)
	if len(lazy) != 1 || lazy["svc:Lazy"] == nil {
		t.Fatalf("lazy keys %v, want svc:Lazy", lazy)
	}
	for i := 0; i < 2; i++ {
		if got := lazy["svc:Lazy"](); !reflect.DeepEqual(got, []string{"lazy-a"}) {
			t.Fatalf("lazy value %v", got)
		}
	}
	if calls != 1 {
		t.Fatalf("lazy key computed %d times, want once per call", calls)
	}
	// A second call computes its own value.
	if got := LazyRequestKeys(authorizeContext(ctx, h, &keyTaggedInput{Name: "b"}))["svc:Lazy"](); !reflect.DeepEqual(got, []string{"lazy-b"}) || calls != 2 {
		t.Fatalf("second call: %v after %d computations", got, calls)
	}
	if LazyRequestKeys(ctx) != nil {
		t.Fatal("lazy keys without authorizeContext")
	}
	if got := LazyRequestKeys(authorizeContext(ctx, Op(keyNop[keyTaggedInput]), &keyTaggedInput{Name: "c"})); got != nil {
		t.Fatalf("operation without lazy keys: %v", got)
	}
}
