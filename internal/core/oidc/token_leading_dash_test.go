package oidc

import (
	"bytes"
	"strings"
	"testing"
)

// TestTokenNeverStartsWithDash: a draw whose encoding starts with "-" (the
// first byte's top six bits are 62) is replaced by the next draw, so the
// value can be passed as a command-line argument.
func TestTokenNeverStartsWithDash(t *testing.T) {
	dash := bytes.Repeat([]byte{0xF8}, 16) // encodes as "-…"
	ok := bytes.Repeat([]byte{0x00}, 16)   // encodes as "AAA…"
	s := &Service{Rand: bytes.NewReader(append(dash, ok...))}
	got, err := s.token("", 16)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(got, "-") || !strings.HasPrefix(got, "AAAA") {
		t.Fatalf("token = %q, want the second draw", got)
	}
}
