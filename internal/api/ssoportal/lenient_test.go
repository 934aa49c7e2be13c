package ssoportal

import (
	"reflect"
	"testing"
)

// lenientModel must stay Model with only MaxResultType's upper bound dropped:
// a field added to awsproto.Model and not copied fails here.
func TestLenientModelDiffersOnlyInMaxResult(t *testing.T) {
	a, b := reflect.ValueOf(Model).Elem(), reflect.ValueOf(lenientModel).Elem()
	for i := 0; i < a.NumField(); i++ {
		f := a.Type().Field(i)
		if !f.IsExported() || f.Name == "Shapes" {
			continue
		}
		if !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
			t.Errorf("lenientModel.%s differs from Model", f.Name)
		}
	}
	if len(Model.Shapes) != len(lenientModel.Shapes) {
		t.Fatalf("shape tables differ in length")
	}
	for i, s := range Model.Shapes {
		l := lenientModel.Shapes[i]
		if s.Name == "MaxResultType" {
			if !s.HasMax || l.HasMax || !l.HasMin || l.Min != 1 {
				t.Errorf("MaxResultType: model %+v, lenient %+v", s, l)
			}
			l.HasMax = s.HasMax
		}
		if !reflect.DeepEqual(s, l) {
			t.Errorf("shape %d (%s) differs", i, s.Name)
		}
	}
	if m := max(ptrTo(int32(1000))); m != maxPage {
		t.Errorf("max(1000) = %d", m)
	}
}

func ptrTo[T any](v T) *T { return &v }
