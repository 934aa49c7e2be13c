package awsproto

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Time is a model timestamp. In JSON protocols it is epoch seconds (a number, fractional allowed); in the
// query protocol it is ISO-8601. Decoding accepts either form.
type Time struct{ time.Time }

// NewTime returns a *Time for t (convenient for optional output members).
func NewTime(t time.Time) *Time { return &Time{t} }

const isoLayout = "2006-01-02T15:04:05Z"

// MarshalJSON encodes the time as epoch seconds with millisecond precision.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(t.epochString()), nil
}

func (t Time) epochString() string {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.FormatInt(ms/1000, 10)
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
}

// UnmarshalJSON accepts a JSON number (epoch seconds) or a string (ISO-8601 or epoch seconds).
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("timestamp: %w", err)
		}
		v, err := ParseTime(s)
		if err != nil {
			return err
		}
		*t = v
		return nil
	}
	v, err := parseEpoch(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

func parseEpoch(s string) (Time, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e13 {
		return Time{}, fmt.Errorf("invalid epoch timestamp %q", s)
	}
	sec, frac := math.Modf(f)
	return Time{time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC()}, nil
}

// ParseTime parses ISO-8601 / RFC 3339, RFC 1123 (http-date) or epoch seconds.
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", time.RFC1123, time.RFC1123Z} {
		if v, err := time.Parse(layout, s); err == nil {
			return Time{v.UTC()}, nil
		}
	}
	if v, err := parseEpoch(s); err == nil {
		return v, nil
	}
	return Time{}, fmt.Errorf("invalid timestamp %q", s)
}

// ISO8601 formats the time as AWS's query protocol does (UTC, second precision unless milliseconds are set).
func (t Time) ISO8601() string {
	u := t.UTC()
	if u.Nanosecond()/1e6 != 0 {
		return u.Format("2006-01-02T15:04:05.000Z")
	}
	return u.Format(isoLayout)
}

// Document is a raw JSON value (a Smithy document), passed through unchanged.
type Document json.RawMessage

// MarshalJSON returns the raw value (null when empty).
func (d Document) MarshalJSON() ([]byte, error) {
	if len(d) == 0 {
		return []byte("null"), nil
	}
	return d, nil
}

// UnmarshalJSON stores a copy of the raw value.
func (d *Document) UnmarshalJSON(b []byte) error {
	*d = append((*d)[:0], b...)
	return nil
}
