package iam

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"github.com/idcenter/idcenter/internal/policy"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// IAM error codes, carried as fault.Error.Reason.
const (
	CodeNoSuchEntity            = "NoSuchEntity"
	CodeEntityAlreadyExists     = "EntityAlreadyExists"
	CodeDeleteConflict          = "DeleteConflict"
	CodeLimitExceeded           = "LimitExceeded"
	CodeMalformedPolicyDocument = "MalformedPolicyDocument"
	CodeInvalidInput            = "InvalidInput"
	CodeConcurrentModification  = "ConcurrentModification"
)

// Quotas (IAM and AWS STS quotas page, defaults).
const (
	MaxAccessKeysPerUser   = 2
	MaxGroupsPerUser       = 10
	MaxManagedPerEntity    = 10
	MaxPolicyVersions      = 5
	MaxTagsPerResource     = 50
	MaxManagedPolicySize   = 6144
	MaxUserInlineSize      = 2048
	MaxGroupInlineSize     = 5120
	MaxRoleInlineSize      = 10240
	MaxTrustPolicySize     = 2048
	DefaultMaxItems        = 100
	DefaultSessionDuration = 3600
	MinSessionDuration     = 3600
	MaxSessionDuration     = 43200
)

// Caller is who makes a call: the account whose IAM records are used, and the
// IAM user name when the caller is an IAM user (empty for root and roles).
type Caller struct {
	AccountID string
	ARN       string
	UserName  string
	IsRoot    bool
}

// Service implements the IAM operations.
type Service struct {
	Store store.Store
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand is the source of ids and secrets; crypto/rand when nil.
	Rand io.Reader
	// Usage records access key and service use (usage.go); nil records nothing.
	Usage *UsageRecorder
	// SCPs returns the service control policies of an account, level by
	// level, as the authorisation point applies them (nil: none apply); the
	// policy simulator uses it. nil means no SCPs.
	SCPs func(ctx context.Context, accountID string) ([][]authz.NamedDocument, error)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

const (
	idAlphabet     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	keyAlphabet    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func (s *Service) random(prefix, alphabet string, n int) (string, error) {
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	out := make([]byte, 0, len(prefix)+n)
	out = append(out, prefix...)
	limit := 256 - 256%len(alphabet)
	var one [1]byte
	for len(out) < len(prefix)+n {
		if _, err := io.ReadFull(r, one[:]); err != nil {
			return "", fmt.Errorf("iam: randomness: %w", err)
		}
		if int(one[0]) >= limit {
			continue
		}
		out = append(out, alphabet[int(one[0])%len(alphabet)])
	}
	return string(out), nil
}

// uniqueID makes a 21-character unique id with an AWS prefix (AIDA, AGPA, …).
func (s *Service) uniqueID(prefix string) (string, error) {
	return s.random(prefix, idAlphabet, 21-len(prefix))
}

func (s *Service) update(ctx context.Context, op string, fn func(store.Tx) error) error {
	return mapErr(op, s.Store.Update(ctx, fn))
}

func (s *Service) view(ctx context.Context, op string, fn func(store.Tx) error) error {
	return mapErr(op, s.Store.View(ctx, fn))
}

func mapErr(op string, err error) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	if errors.Is(err, store.ErrConflict) {
		return &fault.Error{Kind: fault.Conflict, Reason: CodeConcurrentModification,
			Message: "The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.", Err: err}
	}
	return fmt.Errorf("iam: %s: %w", op, err)
}

// ---- faults ----

func noSuchEntity(format string, args ...any) error {
	return &fault.Error{Kind: fault.NotFound, Reason: CodeNoSuchEntity, Message: fmt.Sprintf(format, args...)}
}

func alreadyExists(format string, args ...any) error {
	return &fault.Error{Kind: fault.Conflict, Reason: CodeEntityAlreadyExists, Message: fmt.Sprintf(format, args...)}
}

func deleteConflict(format string, args ...any) error {
	return &fault.Error{Kind: fault.Conflict, Reason: CodeDeleteConflict, Message: fmt.Sprintf(format, args...)}
}

func limitExceeded(format string, args ...any) error {
	return &fault.Error{Kind: fault.QuotaExceeded, Reason: CodeLimitExceeded, Message: fmt.Sprintf(format, args...)}
}

func malformed(format string, args ...any) error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeMalformedPolicyDocument, Message: fmt.Sprintf(format, args...)}
}

func invalidInput(format string, args ...any) error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeInvalidInput, Message: fmt.Sprintf(format, args...)}
}

// notFoundAs turns store.ErrNotFound into f's fault.
func notFoundAs(err error, f func() error) error {
	if errors.Is(err, store.ErrNotFound) {
		return f()
	}
	return err
}

// existsAs turns store.ErrAlreadyExists into f's fault.
func existsAs(err error, f func() error) error {
	if errors.Is(err, store.ErrAlreadyExists) {
		return f()
	}
	return err
}

// ---- validation ----

var (
	namePattern = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathPattern = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
)

func checkName(what, name string, max int) error {
	if name == "" || len(name) > max || !namePattern.MatchString(name) {
		return invalidInput("The specified value for %s is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_- and be 1 to %d characters long.", what, max)
	}
	return nil
}

// normPath defaults an empty path to "/" and checks its form.
func normPath(p string) (string, error) {
	if p == "" {
		return "/", nil
	}
	if len(p) > 512 || !pathPattern.MatchString(p) {
		return "", invalidInput("The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	}
	return p, nil
}

// policySize counts a document's characters excluding white space, as IAM's
// size quotas do.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// checkDocument validates a policy document with the policy engine, so that
// every stored document is one the authorisation point can evaluate; errors
// carry AWS's MalformedPolicyDocument messages.
func checkDocument(doc string, kind policy.Kind) error {
	if _, err := policy.Compile(doc, kind); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return malformed("%s", pe.Message)
		}
		return malformed("Syntax errors in policy.")
	}
	return nil
}

// ---- tags ----

// mergeTags adds or replaces tags (keys compare case-insensitively).
func mergeTags(have, add []store.Tag) ([]store.Tag, error) {
	seen := map[string]bool{}
	for _, t := range add {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return nil, invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	out := make([]store.Tag, 0, len(have)+len(add))
	for _, t := range have {
		if !seen[strings.ToLower(t.Key)] {
			out = append(out, t)
		}
	}
	out = append(out, add...)
	if len(out) > MaxTagsPerResource {
		return nil, limitExceeded("The number of tags has reached the maximum limit.")
	}
	return out, nil
}

func removeTags(have []store.Tag, keys []string) []store.Tag {
	drop := map[string]bool{}
	for _, k := range keys {
		drop[strings.ToLower(k)] = true
	}
	var out []store.Tag
	for _, t := range have {
		if !drop[strings.ToLower(t.Key)] {
			out = append(out, t)
		}
	}
	return out
}

// ---- paging ----

// Page is one page of a list: Marker is empty on the last page.
type Page[T any] struct {
	Items  []T
	Marker string
}

// IsTruncated reports whether more items follow.
func (p Page[T]) IsTruncated() bool { return p.Marker != "" }

func maxItems(n int) int {
	if n <= 0 {
		return DefaultMaxItems
	}
	return n
}

// pageSlice pages a sorted in-memory list by key.
func pageSlice[T any](items []T, marker string, max int, key func(T) string) (Page[T], error) {
	after, err := paging.Decode(marker)
	if err != nil {
		return Page[T]{}, invalidInput("Invalid Marker.")
	}
	start := 0
	if after != "" {
		for start < len(items) && key(items[start]) <= after {
			start++
		}
	}
	items = items[start:]
	out, next := paging.Trim(items, maxItems(max), key)
	return Page[T]{Items: out, Marker: next}, nil
}

// storePage builds the store page for a Marker/MaxItems request.
func storePage(marker string, max int) (store.Page, int, error) {
	p, limit, err := paging.Page(marker, max, DefaultMaxItems)
	if err != nil {
		return p, 0, invalidInput("Invalid Marker.")
	}
	return p, limit, nil
}

func arn(acct, kind, path, name string) string {
	return "arn:aws:iam::" + acct + ":" + kind + path + name
}
