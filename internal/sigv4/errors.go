package sigv4

import "errors"

// Kind classifies a SigV4 failure.
type Kind int

const (
	// KindMissing: the request carries no AWS authentication at all.
	KindMissing Kind = iota + 1
	// KindIncomplete: the authentication is present but malformed
	// (missing Credential/Signature/SignedHeaders, bad scope, bad date...).
	KindIncomplete
	// KindSignatureMismatch: the recomputed signature differs, or the
	// credential scope contradicts the request.
	KindSignatureMismatch
	// KindExpired: the signing time is too far in the past or future, or a
	// presigned request has expired.
	KindExpired
	// KindPayloadHash: x-amz-content-sha256 does not match the body.
	KindPayloadHash
)

func (k Kind) String() string {
	switch k {
	case KindMissing:
		return "Missing"
	case KindIncomplete:
		return "Incomplete"
	case KindSignatureMismatch:
		return "SignatureMismatch"
	case KindExpired:
		return "Expired"
	case KindPayloadHash:
		return "PayloadHash"
	}
	return "Unknown"
}

// Error is a SigV4 failure; Message is worded as AWS words it.
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return "sigv4: " + e.Kind.String() + ": " + e.Message }

// KindOf returns the Kind of a *Error in err's chain, or 0.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// AWS messages.
const (
	msgMissing           = "Request is missing Authentication Token"
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgPresignExpired    = "Request has expired."
	msgPayloadHash       = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgHostNotSigned     = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
)

func newErr(k Kind, msg string) *Error { return &Error{Kind: k, Message: msg} }
