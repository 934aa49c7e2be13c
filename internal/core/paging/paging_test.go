package paging

import (
	"testing"

	"github.com/idcenter/idcenter/internal/core/fault"
)

func TestRoundTrip(t *testing.T) {
	for _, key := range []string{"a", "d-1234567890/abc", "ünïcode"} {
		got, err := Decode(Encode(key))
		if err != nil || got != key {
			t.Fatalf("Decode(Encode(%q)) = %q, %v", key, got, err)
		}
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	for _, tok := range []string{"!!!", "dGVzdA", Encode("x")[1:]} {
		_, err := Decode(tok)
		if fe := fault.As(err); fe == nil || fe.Kind != fault.Validation {
			t.Errorf("Decode(%q) err = %v, want Validation fault", tok, err)
		}
	}
}

func TestPageAndTrim(t *testing.T) {
	p, limit, err := Page("", 0, 3)
	if err != nil || limit != 3 || p.Limit != 4 || p.After != "" {
		t.Fatalf("Page = %+v, %d, %v", p, limit, err)
	}
	items, next := Trim([]string{"a", "b", "c", "d"}, limit, func(s string) string { return s })
	if len(items) != 3 || next == "" {
		t.Fatalf("Trim = %v, %q", items, next)
	}
	after, _ := Decode(next)
	if after != "c" {
		t.Fatalf("next resumes after %q, want c", after)
	}
	items, next = Trim([]string{"a"}, limit, func(s string) string { return s })
	if len(items) != 1 || next != "" {
		t.Fatalf("last page Trim = %v, %q", items, next)
	}
}
