package awsproto

import (
	"context"
	"reflect"
	"testing"
)

type keyTag struct{ Key, Value string }

type keyTaggedInput struct {
	Name string
	Tags []keyTag
}

type keyUntagInput struct {
	Name    string
	TagKeys []string
}

type keyOut struct{}

func keyNop[In any](context.Context, *In) (*keyOut, error) { return nil, nil }

// TestRequestKeys: the keys an operation's input gives the authoriser —
// aws:RequestTag/… and aws:TagKeys from Tags, aws:TagKeys from TagKeys, the
// handler's own keys merged on top — and none for an input without them.
func TestRequestKeys(t *testing.T) {
	ctx := context.Background()
	boundary := func(_ context.Context, in *keyTaggedInput) map[string][]string {
		return map[string][]string{"iam:PermissionsBoundary": {"arn:" + in.Name}}
	}
	withKeys := Op(keyNop[keyTaggedInput]).WithKeys(boundary)
	added := Op(keyNop[keyTaggedInput])
	AddKeys(added, boundary)
	AddKeys(added, func(_ context.Context, in *keyTaggedInput) map[string][]string {
		return map[string][]string{"iam:PolicyARN": {"p"}}
	})
	cases := []struct {
		name string
		h    Handler
		in   any
		want map[string][]string
	}{
		{"tags", Op(keyNop[keyTaggedInput]), &keyTaggedInput{Tags: []keyTag{{"team", "ops"}, {"Owner", "me"}}},
			map[string][]string{"aws:RequestTag/team": {"ops"}, "aws:RequestTag/Owner": {"me"}, "aws:TagKeys": {"team", "Owner"}}},
		{"no tags", Op(keyNop[keyTaggedInput]), &keyTaggedInput{Name: "x"}, nil},
		{"tag keys", Op(keyNop[keyUntagInput]), &keyUntagInput{TagKeys: []string{"a", "b"}}, map[string][]string{"aws:TagKeys": {"a", "b"}}},
		{"WithKeys and tags", withKeys, &keyTaggedInput{Name: "b", Tags: []keyTag{{"k", "v"}}},
			map[string][]string{"aws:RequestTag/k": {"v"}, "aws:TagKeys": {"k"}, "iam:PermissionsBoundary": {"arn:b"}}},
		{"AddKeys twice", added, &keyTaggedInput{Name: "c"}, map[string][]string{"iam:PermissionsBoundary": {"arn:c"}, "iam:PolicyARN": {"p"}}},
		{"struct input without tags", Op(keyNop[keyOut]), &keyOut{}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := RequestKeys(authorizeContext(ctx, c.h, c.in))
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("keys = %v, want %v", got, c.want)
			}
		})
	}
	// The handler's context does not carry them; WithRequestKeys replaces them.
	if RequestKeys(ctx) != nil {
		t.Fatal("keys without authorizeContext")
	}
	k := WithRequestKeys(authorizeContext(ctx, withKeys, &keyTaggedInput{Name: "z"}), map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}})
	if got := RequestKeys(k); len(got) != 1 || got["iam:PassedToService"][0] != "ec2.amazonaws.com" {
		t.Fatalf("WithRequestKeys: %v", got)
	}
}

// TestAddKeysWrongInput: keys for another input type are a programming
// error found when the service is built, not a silent no-op; a missing
// handler is left alone.
func TestAddKeysWrongInput(t *testing.T) {
	AddKeys[keyUntagInput](nil, func(context.Context, *keyUntagInput) map[string][]string { return nil })
	defer func() {
		if recover() == nil {
			t.Fatal("AddKeys with the wrong input type did not panic")
		}
	}()
	AddKeys(Op(keyNop[keyTaggedInput]), func(context.Context, *keyUntagInput) map[string][]string { return nil })
}

// BenchmarkRequestKeys: what computing the request condition keys adds to
// an authorised call — an input without tags (most calls) and one with two.
func BenchmarkRequestKeys(b *testing.B) {
	ctx := context.Background()
	h := Op(keyNop[keyTaggedInput])
	for _, c := range []struct {
		name string
		in   *keyTaggedInput
	}{
		{"untagged", &keyTaggedInput{Name: "x"}},
		{"two-tags", &keyTaggedInput{Name: "x", Tags: []keyTag{{"team", "ops"}, {"owner", "me"}}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = authorizeContext(ctx, h, c.in)
			}
		})
	}
}
