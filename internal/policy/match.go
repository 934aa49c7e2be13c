package policy

import (
	"strings"
	"unicode/utf8"
)

// lowerASCII folds an ASCII letter to lower case.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// glob reports whether s matches pattern p, where '*' matches any run of
// characters (possibly empty) and '?' exactly one. With fold, ASCII letters
// compare case-insensitively. With esc, a backslash makes the next byte
// literal (used for patterns built from policy variables, whose values and
// the ${*} ${?} escapes are literal).
func glob(p, s string, fold, esc bool) bool {
	px, sx := 0, 0
	starP, starS := -1, 0
	for px < len(p) || sx < len(s) {
		if px < len(p) {
			c := p[px]
			switch {
			case c == '*':
				starP, starS = px, sx
				px++
				continue
			case c == '?':
				if sx < len(s) {
					_, w := utf8.DecodeRuneInString(s[sx:])
					px++
					sx += w
					continue
				}
			default:
				w := 1
				if esc && c == '\\' && px+1 < len(p) {
					c = p[px+1]
					w = 2
				}
				if sx < len(s) && (c == s[sx] || fold && lowerASCII(c) == lowerASCII(s[sx])) {
					px += w
					sx++
					continue
				}
			}
		}
		if starP >= 0 && starS < len(s) {
			_, w := utf8.DecodeRuneInString(s[starS:])
			starS += w
			px, sx = starP+1, starS
			continue
		}
		return false
	}
	return true
}

// hasPrefixFold is strings.HasPrefix with ASCII case folding.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// matcher is a compiled wildcard pattern without variables.
type matcher struct {
	kind uint8 // mAny, mExact, mPrefix, mGlob
	lit  string
}

const (
	mAny uint8 = iota
	mExact
	mPrefix
	mGlob
)

func newMatcher(p string) matcher {
	switch i := strings.IndexAny(p, "*?"); {
	case p == "*":
		return matcher{kind: mAny}
	case i < 0:
		return matcher{kind: mExact, lit: p}
	case i == len(p)-1 && p[i] == '*':
		return matcher{kind: mPrefix, lit: p[:i]}
	default:
		return matcher{kind: mGlob, lit: p}
	}
}

func (m *matcher) match(s string, fold bool) bool {
	switch m.kind {
	case mAny:
		return true
	case mExact:
		if fold {
			return strings.EqualFold(m.lit, s)
		}
		return m.lit == s
	case mPrefix:
		if fold {
			return hasPrefixFold(s, m.lit)
		}
		return strings.HasPrefix(s, m.lit)
	default:
		return glob(m.lit, s, fold, false)
	}
}

// splitARN splits an ARN into its six colon-separated parts: arn, partition,
// service, region, account and resource (which may contain colons).
func splitARN(s string) (parts [6]string, ok bool) {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return parts, false
		}
		parts[i] = s[:j]
		s = s[j+1:]
	}
	parts[5] = s
	return parts, true
}

// arnGlob matches an ARN against an ARN pattern part by part, so that a
// wildcard never spans a colon in the first five parts.
func arnGlob(pattern, s string, esc bool) bool {
	pp, ok := splitARN(pattern)
	if !ok {
		return glob(pattern, s, false, esc)
	}
	sp, ok := splitARN(s)
	if !ok {
		return false
	}
	for i := range pp {
		if pp[i] == "*" {
			continue
		}
		if !glob(pp[i], sp[i], false, esc) {
			return false
		}
	}
	return true
}
