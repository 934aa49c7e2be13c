package fault

import (
	"errors"
	"fmt"
)

// Kind classifies a domain failure.
type Kind int

const (
	// NotFound: a named resource does not exist.
	NotFound Kind = iota + 1
	// Conflict: a uniqueness rule or a concurrent change prevents the operation.
	Conflict
	// Validation: the request is well-formed on the wire but breaks a domain rule.
	Validation
	// QuotaExceeded: a service limit would be exceeded.
	QuotaExceeded
	// AccessDenied: the caller may not do this.
	AccessDenied
)

func (k Kind) String() string {
	switch k {
	case NotFound:
		return "NotFound"
	case Conflict:
		return "Conflict"
	case Validation:
		return "Validation"
	case QuotaExceeded:
		return "QuotaExceeded"
	case AccessDenied:
		return "AccessDenied"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is a domain failure. ResourceType/ResourceID name the resource for
// NotFound (e.g. "USER", "<id>"); Reason is a machine-readable sub-code such as
// "UNIQUENESS_CONSTRAINT_VIOLATION".
type Error struct {
	Kind         Kind
	Message      string
	ResourceType string
	ResourceID   string
	Reason       string
	Err          error // optional cause
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// As returns the *Error in err's chain, or nil.
func As(err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}

// NotFoundf builds a NotFound error for a resource.
func NotFoundf(resourceType, resourceID, format string, args ...any) *Error {
	return &Error{Kind: NotFound, ResourceType: resourceType, ResourceID: resourceID, Message: fmt.Sprintf(format, args...)}
}

// Conflictf builds a Conflict error with a reason.
func Conflictf(reason, format string, args ...any) *Error {
	return &Error{Kind: Conflict, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Validationf builds a Validation error.
func Validationf(format string, args ...any) *Error {
	return &Error{Kind: Validation, Message: fmt.Sprintf(format, args...)}
}

// QuotaExceededf builds a QuotaExceeded error.
func QuotaExceededf(format string, args ...any) *Error {
	return &Error{Kind: QuotaExceeded, Message: fmt.Sprintf(format, args...)}
}

// AccessDeniedf builds an AccessDenied error.
func AccessDeniedf(format string, args ...any) *Error {
	return &Error{Kind: AccessDenied, Message: fmt.Sprintf(format, args...)}
}
