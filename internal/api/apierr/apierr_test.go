package apierr

import (
	"errors"
	"testing"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/fault"
)

func TestMap(t *testing.T) {
	// A model with the identitystore error shapes' members (statuses come from the kind).
	model := &awsproto.Model{Shapes: []awsproto.Shape{
		{Name: "String", Kind: awsproto.KindString},
		{Name: "ResourceNotFoundException", Kind: awsproto.KindStructure, Exception: true, Members: []awsproto.Member{
			{Name: "Message", WireName: "Message"}, {Name: "ResourceType", WireName: "ResourceType"}, {Name: "ResourceId", WireName: "ResourceId"}}},
		{Name: "ConflictException", Kind: awsproto.KindStructure, Exception: true, Members: []awsproto.Member{
			{Name: "Message", WireName: "Message"}, {Name: "Reason", WireName: "Reason"}}},
	}}
	tab := Table{Model: model, Codes: map[fault.Kind]string{
		fault.NotFound: "ResourceNotFoundException",
		fault.Conflict: "ConflictException",
	}}
	plain := errors.New("disk on fire")
	tests := []struct {
		name   string
		in     error
		code   string
		status int
		fields map[string]any
	}{
		{"not found carries resource", fault.NotFoundf("USER", "u-1", "no user"), "ResourceNotFoundException", 404,
			map[string]any{"ResourceType": "USER", "ResourceId": "u-1"}},
		{"conflict carries reason", fault.Conflictf("UNIQUENESS_CONSTRAINT_VIOLATION", "dup"), "ConflictException", 409,
			map[string]any{"Reason": "UNIQUENESS_CONSTRAINT_VIOLATION"}},
		{"protocol error passes", &awsproto.Error{Code: "X", Status: 418}, "X", 418, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pe *awsproto.Error
			if !errors.As(tab.Map(tt.in), &pe) {
				t.Fatalf("not a protocol error")
			}
			if pe.Code != tt.code || pe.Status != tt.status || len(pe.Fields) != len(tt.fields) {
				t.Fatalf("got %+v", pe)
			}
			for k, v := range tt.fields {
				if pe.Fields[k] != v {
					t.Fatalf("field %s = %v, want %v", k, pe.Fields[k], v)
				}
			}
		})
	}
	if got := tab.Map(plain); got != plain {
		t.Fatalf("plain error changed: %v", got)
	}
	if got := tab.Map(fault.Validationf("unmapped kind")); fault.As(got) == nil {
		t.Fatalf("unmapped kind should pass through, got %v", got)
	}
}
