package main

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedUpToDate regenerates every service in memory and compares it with the checked-in files,
// so a model or generator change without `go generate` fails here.
func TestGeneratedUpToDate(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range services {
		t.Run(s.pkg, func(t *testing.T) {
			m, err := loadModel(filepath.Join(root, "tools", "apigen", "models", s.model+".json.gz"))
			if err != nil {
				t.Fatal(err)
			}
			for name, gen := range map[string]func(*gen) []byte{
				"zz_generated_types.go": (*gen).types,
				"zz_generated_model.go": (*gen).model,
			} {
				a, err := format.Source(gen(newGen(m, s)))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				b, _ := format.Source(gen(newGen(m, s)))
				if !bytes.Equal(a, b) {
					t.Errorf("%s: output is not deterministic", name)
				}
				have, err := os.ReadFile(filepath.Join(root, "internal", "api", s.pkg, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(have, a) {
					t.Errorf("internal/api/%s/%s is stale: run go generate ./internal/api/%s", s.pkg, name, s.pkg)
				}
			}
		})
	}
}

func TestExported(t *testing.T) {
	tests := []struct{ in, want string }{
		{"userListType", "UserListType"},
		{"User", "User"},
		{"error_description", "Error_description"},
		{"1st", "X1st"},
		{"a-b", "A_b"},
	}
	for _, tt := range tests {
		if got := exported(tt.in); got != tt.want {
			t.Errorf("exported(%q) = %q want %q", tt.in, got, tt.want)
		}
	}
}
