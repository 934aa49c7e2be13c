package awsproto

import "reflect"

// needsFill computes, for every shape, whether it or anything below it has a
// required list or map member: those are sent as [] / {} even when the handler
// left them nil (AWS always sends them; clients such as the AWS CLI and
// Terraform rely on it). Fixed point over the shape graph, so recursive shapes
// are fine.
func needsFill(m *Model) []bool {
	need := make([]bool, len(m.Shapes))
	for changed := true; changed; {
		changed = false
		for i := range m.Shapes {
			if need[i] {
				continue
			}
			sh := &m.Shapes[i]
			v := false
			switch sh.Kind {
			case KindStructure:
				for _, mem := range sh.Members {
					k := m.Shapes[mem.Target].Kind
					if (mem.Required && (k == KindList || k == KindMap)) || need[mem.Target] {
						v = true
						break
					}
				}
			case KindList:
				v = need[sh.Member]
			}
			if v {
				need[i] = true
				changed = true
			}
		}
	}
	return need
}

// fillRequired replaces nil required lists and maps below v (a value of shape
// si, possibly a pointer) with empty ones. Map values are not addressable and
// are left alone; no modelled output needs them.
func (m *Model) fillRequired(v reflect.Value, si int) {
	need := m.runtime().fill
	if !need[si] {
		return
	}
	sh := &m.Shapes[si]
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch sh.Kind {
	case KindStructure:
		if v.Kind() != reflect.Struct || v.NumField() != len(sh.Members) {
			return
		}
		for i, mem := range sh.Members {
			f := v.Field(i)
			target := &m.Shapes[mem.Target]
			if mem.Required && f.CanSet() && (f.Kind() == reflect.Slice || f.Kind() == reflect.Map) && f.IsNil() {
				switch {
				case target.Kind == KindList && f.Kind() == reflect.Slice:
					f.Set(reflect.MakeSlice(f.Type(), 0, 0))
				case target.Kind == KindMap && f.Kind() == reflect.Map:
					f.Set(reflect.MakeMap(f.Type()))
				}
			}
			m.fillRequired(f, mem.Target)
		}
	case KindList:
		if v.Kind() != reflect.Slice {
			return
		}
		for j := 0; j < v.Len(); j++ {
			m.fillRequired(v.Index(j), sh.Member)
		}
	}
}
