package policy

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

type opKind uint8

const (
	opStringEquals opKind = iota
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArnLike
	opNull
)

type opInfo struct {
	kind opKind
	neg  bool
}

// operators is the read-only table of condition operators (without the
// ForAllValues:/ForAnyValue: qualifier and the IfExists suffix).
var operators = map[string]opInfo{
	"StringEquals":              {opStringEquals, false},
	"StringNotEquals":           {opStringEquals, true},
	"StringEqualsIgnoreCase":    {opStringEqualsIgnoreCase, false},
	"StringNotEqualsIgnoreCase": {opStringEqualsIgnoreCase, true},
	"StringLike":                {opStringLike, false},
	"StringNotLike":             {opStringLike, true},
	"NumericEquals":             {opNumericEquals, false},
	"NumericNotEquals":          {opNumericEquals, true},
	"NumericLessThan":           {opNumericLessThan, false},
	"NumericLessThanEquals":     {opNumericLessThanEquals, false},
	"NumericGreaterThan":        {opNumericGreaterThan, false},
	"NumericGreaterThanEquals":  {opNumericGreaterThanEquals, false},
	"DateEquals":                {opDateEquals, false},
	"DateNotEquals":             {opDateEquals, true},
	"DateLessThan":              {opDateLessThan, false},
	"DateLessThanEquals":        {opDateLessThanEquals, false},
	"DateGreaterThan":           {opDateGreaterThan, false},
	"DateGreaterThanEquals":     {opDateGreaterThanEquals, false},
	"Bool":                      {opBool, false},
	"BinaryEquals":              {opBinaryEquals, false},
	"IpAddress":                 {opIPAddress, false},
	"NotIpAddress":              {opIPAddress, true},
	"ArnEquals":                 {opArnLike, false},
	"ArnLike":                   {opArnLike, false},
	"ArnNotEquals":              {opArnLike, true},
	"ArnNotLike":                {opArnLike, true},
	"Null":                      {opNull, false},
}

const (
	qualNone uint8 = iota
	qualAny
	qualAll
)

type condition struct {
	op       opKind
	neg      bool
	qual     uint8
	ifExists bool
	key      string
	keyLower string
	vals     []condValue
}

type condValue struct {
	raw  string
	tmpl tmpl // non-nil when raw has policy variables (2012-10-17 only)
	m    matcher
	num  float64
	t    time.Time
	ip   netip.Prefix
	ok   bool // num/t/ip parsed
}

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts.
func parseOperator(name string) (info opInfo, qual uint8, ifExists bool, ok bool) {
	switch {
	case strings.HasPrefix(name, "ForAnyValue:"):
		qual, name = qualAny, name[len("ForAnyValue:"):]
	case strings.HasPrefix(name, "ForAllValues:"):
		qual, name = qualAll, name[len("ForAllValues:"):]
	}
	if info, ok = operators[name]; ok {
		return info, qual, false, true
	}
	if base, found := strings.CutSuffix(name, "IfExists"); found {
		if info, ok = operators[base]; ok && info.kind != opNull {
			return info, qual, true, true
		}
	}
	return opInfo{}, 0, false, false
}

func newCondValue(op opKind, raw string, vars bool) (condValue, error) {
	v := condValue{raw: raw}
	if vars {
		switch op {
		case opStringEquals, opStringEqualsIgnoreCase, opStringLike, opArnLike:
			v.tmpl = parseTemplate(raw)
		}
	}
	switch op {
	case opStringLike:
		v.m = newMatcher(raw)
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		f, err := strconv.ParseFloat(raw, 64)
		v.num, v.ok = f, err == nil
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(raw)
		if !ok {
			return v, malformed(MsgLegacy, "invalid date "+strconv.Quote(raw))
		}
		v.t, v.ok = t, true
	case opIPAddress:
		v.ip, v.ok = parseIP(raw)
	}
	return v, nil
}

// parseDate reads ISO 8601 (W3C profiles) or epoch seconds.
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return time.Time{}, false
		}
		if n > math.MaxInt64/1000 {
			return time.Time{}, false
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var dateLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-01",
	"2006",
}

func parseIP(s string) (netip.Prefix, bool) {
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// eval applies the condition to the request.
func (c *condition) eval(req *Request) bool {
	vs := req.lookup(c.key, c.keyLower)
	n := vs.len()
	if c.op == opNull {
		// "true": the key must be absent; "false": present. OR over values.
		for i := range c.vals {
			want := strings.EqualFold(c.vals[i].raw, "true")
			if want == (n == 0) {
				return true
			}
		}
		return false
	}
	if n == 0 {
		switch {
		case c.ifExists:
			return true
		case c.qual == qualAll:
			return true
		case c.qual == qualAny:
			return false
		default:
			return c.neg
		}
	}
	switch c.qual {
	case qualAny:
		for i := 0; i < n; i++ {
			if c.anyValueMatches(vs.at(i), req) != c.neg {
				return true
			}
		}
		return false
	case qualAll:
		for i := 0; i < n; i++ {
			if c.anyValueMatches(vs.at(i), req) == c.neg {
				return false
			}
		}
		return true
	default:
		// Positive: some request value matches some policy value (OR);
		// negated: no request value matches any policy value (NOR).
		for i := 0; i < n; i++ {
			if c.anyValueMatches(vs.at(i), req) {
				return !c.neg
			}
		}
		return c.neg
	}
}

// anyValueMatches reports whether the request value s matches one of the
// condition's policy values under the positive form of the operator.
func (c *condition) anyValueMatches(s string, req *Request) bool {
	var num float64
	var t time.Time
	var ip netip.Prefix
	parsed := false
	for i := range c.vals {
		v := &c.vals[i]
		switch c.op {
		case opStringEquals, opStringEqualsIgnoreCase, opStringLike, opArnLike:
			if v.tmpl != nil {
				pat, ok := v.tmpl.resolve(req, c.op == opStringLike || c.op == opArnLike)
				if !ok {
					continue
				}
				if matchString(c.op, pat, s, true) {
					return true
				}
				continue
			}
			if c.op == opStringLike {
				if v.m.match(s, false) {
					return true
				}
				continue
			}
			if matchString(c.op, v.raw, s, false) {
				return true
			}
		case opBool:
			if strings.EqualFold(v.raw, s) {
				return true
			}
		case opBinaryEquals:
			if v.raw == s {
				return true
			}
		case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
			if !parsed {
				f, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return false
				}
				num, parsed = f, true
			}
			if v.ok && compareNum(c.op, num, v.num) {
				return true
			}
		case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
			if !parsed {
				var ok bool
				if t, ok = parseDate(s); !ok {
					return false
				}
				parsed = true
			}
			if v.ok && compareDate(c.op, t, v.t) {
				return true
			}
		case opIPAddress:
			if !parsed {
				p, ok := parseIP(s)
				if !ok {
					return false
				}
				ip, parsed = p, true
			}
			if v.ok && v.ip.Contains(ip.Addr()) {
				return true
			}
		}
	}
	return false
}

func matchString(op opKind, pat, s string, esc bool) bool {
	switch op {
	case opStringEquals:
		return pat == s
	case opStringEqualsIgnoreCase:
		return strings.EqualFold(pat, s)
	case opStringLike:
		return glob(pat, s, false, esc)
	default: // opArnLike
		return arnGlob(pat, s, esc)
	}
}

func compareNum(op opKind, a, b float64) bool {
	switch op {
	case opNumericEquals:
		return a == b
	case opNumericLessThan:
		return a < b
	case opNumericLessThanEquals:
		return a <= b
	case opNumericGreaterThan:
		return a > b
	default:
		return a >= b
	}
}

func compareDate(op opKind, a, b time.Time) bool {
	switch op {
	case opDateEquals:
		return a.Equal(b)
	case opDateLessThan:
		return a.Before(b)
	case opDateLessThanEquals:
		return !a.After(b)
	case opDateGreaterThan:
		return a.After(b)
	default:
		return !a.Before(b)
	}
}
