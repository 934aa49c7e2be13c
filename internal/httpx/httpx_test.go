package httpx

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestNewRequestIDShape(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		id := NewRequestID()
		if !re.MatchString(id) {
			t.Fatalf("id %q is not a v4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
}

func TestReadBody(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		limit   int64
		wantErr error
	}{
		{"empty", "", 10, nil},
		{"fits", "hello", 10, nil},
		{"exact", "0123456789", 10, nil},
		{"too large", "0123456789A", 10, ErrBodyTooLarge},
		{"large fits", strings.Repeat("x", 200000), 300000, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			got, err := ReadBody(r, tt.limit)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && string(got) != tt.body {
				t.Fatalf("body = %d bytes, want %d", len(got), len(tt.body))
			}
			// unknown length (chunked)
			r = httptest.NewRequest("POST", "/", io.MultiReader(strings.NewReader(tt.body)))
			r.ContentLength = -1
			got, err = ReadBody(r, tt.limit)
			if !errors.Is(err, tt.wantErr) || (err == nil && string(got) != tt.body) {
				t.Fatalf("chunked: err = %v, len = %d", err, len(got))
			}
		})
	}
}

func TestMiddlewareRecoversAndSetsID(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var gotID string
	h := Middleware(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotID = RequestID(r.Context())
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		w.WriteHeader(http.StatusTeapot)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/ok", nil))
	if rec.Code != http.StatusTeapot || gotID == "" {
		t.Fatalf("code %d id %q", rec.Code, gotID)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/panic", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("panic code %d", rec.Code)
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "status=418") {
		t.Fatalf("logs missing panic or status: %s", logs.String())
	}
}
