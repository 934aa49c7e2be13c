package awsproto

import (
	"regexp"
	"strings"
	"sync"
)

// Protocol names as they appear in botocore service models.
const (
	ProtocolJSON     = "json"
	ProtocolQuery    = "query"
	ProtocolRestJSON = "rest-json"
)

// Kind is the type of a model shape.
type Kind uint8

// Shape kinds.
const (
	KindStructure Kind = iota + 1
	KindList
	KindMap
	KindString
	KindBoolean
	KindInteger
	KindLong
	KindDouble
	KindFloat
	KindTimestamp
	KindBlob
	KindDocument
)

// NoShape marks an absent input or output shape.
const NoShape = -1

// Model is the generated, documentation-free description of one AWS service: metadata, operations and a
// shape table. Shapes reference each other by index into Shapes.
type Model struct {
	ServiceID      string
	Protocol       string
	APIVersion     string
	TargetPrefix   string
	JSONVersion    string
	SigningName    string
	EndpointPrefix string
	XMLNamespace   string
	Operations     []Operation // sorted by name
	Shapes         []Shape

	once sync.Once
	rt   *runtime
}

// Operation describes one modelled operation.
type Operation struct {
	Name          string
	Input         int // index into Model.Shapes or NoShape
	Output        int // index into Model.Shapes or NoShape
	Method        string
	RequestURI    string
	ResultWrapper string
	Errors        []string // error shape names
	AuthNone      bool     // authtype "none" / smithy.api#noAuth
}

// Shape is one entry of the shape table.
type Shape struct {
	Name            string
	Kind            Kind
	Members         []Member // structures; Go struct field i is member i
	Member          int      // list element shape
	Key, Value      int      // map key/value shapes
	KeyName         string   // map key locationName (query), default "key"
	ValueName       string   // map value locationName (query), default "value"
	MemberName      string   // list member locationName (query), default "member"
	HasMin, HasMax  bool
	Min, Max        int64
	Pattern         string
	Enum            []string
	TimestampFormat string
	Flattened       bool
	Union           bool
	Sensitive       bool
	Exception       bool
	Fault           bool
	ErrorCode       string // query error code (error.code); empty = shape name
	HTTPStatus      int
	SenderFault     bool
}

// Member is one structure member.
type Member struct {
	Name     string // model member name
	WireName string // JSON key / query key / XML element / header / querystring / uri label
	Location string // "", "uri", "querystring", "header", "headers", "statusCode"
	Target   int    // index into Model.Shapes
	Required bool
	// Flattened is the member-level flattened trait (query/XML).
	Flattened bool
	// IdempotencyToken marks members that clients fill automatically.
	IdempotencyToken bool
}

// runtime holds derived, lazily built lookup tables of a Model.
type runtime struct {
	ops       map[string]int
	errShapes map[string]int // error shape name and error code -> shape index
	routes    []route
	regexps   sync.Map // shape index -> *regexp.Regexp (nil if untranslatable)
	plans     sync.Map // planKey -> error (nil when the Go type matches)
	fill      []bool   // shape index -> has required collections to fill (see fill.go)
}

type route struct {
	op       int
	method   string
	segments []string // literal or "{label}" / "{label+}"
	query    map[string]string
}

func (m *Model) runtime() *runtime {
	m.once.Do(func() {
		rt := &runtime{ops: make(map[string]int, len(m.Operations)), errShapes: map[string]int{}}
		for i, op := range m.Operations {
			rt.ops[op.Name] = i
			if m.Protocol == ProtocolRestJSON {
				rt.routes = append(rt.routes, parseRoute(i, op.Method, op.RequestURI))
			}
		}
		for i := range m.Shapes {
			sh := &m.Shapes[i]
			if !sh.Exception {
				continue
			}
			rt.errShapes[sh.Name] = i
			if sh.ErrorCode != "" {
				if _, dup := rt.errShapes[sh.ErrorCode]; !dup {
					rt.errShapes[sh.ErrorCode] = i
				}
			}
		}
		rt.fill = needsFill(m)
		m.rt = rt
	})
	return m.rt
}

func parseRoute(op int, method, uri string) route {
	r := route{op: op, method: method}
	path, q, _ := strings.Cut(uri, "?")
	if q != "" {
		r.query = map[string]string{}
		for _, kv := range strings.Split(q, "&") {
			k, v, _ := strings.Cut(kv, "=")
			r.query[k] = v
		}
	}
	path = strings.Trim(path, "/")
	if path != "" {
		r.segments = strings.Split(path, "/")
	}
	return r
}

// OperationByName returns the named operation.
func (m *Model) OperationByName(name string) (*Operation, bool) {
	i, ok := m.runtime().ops[name]
	if !ok {
		return nil, false
	}
	return &m.Operations[i], true
}

// ErrorShape returns the exception shape with this shape name or query error code.
func (m *Model) ErrorShape(code string) (*Shape, bool) {
	i, ok := m.runtime().errShapes[code]
	if !ok {
		return nil, false
	}
	return &m.Shapes[i], true
}

// regexpFor compiles (once) the Java pattern of shape i; nil when it cannot be translated to RE2.
func (m *Model) regexpFor(i int) *regexp.Regexp {
	rt := m.runtime()
	if v, ok := rt.regexps.Load(i); ok {
		re, _ := v.(*regexp.Regexp)
		return re
	}
	re := compileJavaPattern(m.Shapes[i].Pattern)
	rt.regexps.Store(i, re)
	return re
}
