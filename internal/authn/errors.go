package authn

import (
	"errors"
	"net/http"
)

// Kind classifies an authentication failure.
type Kind int

const (
	// KindMissing: no authentication at all.
	KindMissing Kind = iota + 1
	// KindIncomplete: malformed SigV4 (missing parts, bad scope or date).
	KindIncomplete
	// KindUnknownKey: the access key does not exist or is inactive.
	KindUnknownKey
	// KindSignatureMismatch: the signature (or payload hash, or scope) is wrong.
	KindSignatureMismatch
	// KindExpired: the signature's time is outside the allowed window.
	KindExpired
	// KindInvalidToken: a session token is missing, unexpected or unknown.
	KindInvalidToken
	// KindExpiredToken: the session token has expired.
	KindExpiredToken
)

func (k Kind) String() string {
	switch k {
	case KindMissing:
		return "Missing"
	case KindIncomplete:
		return "Incomplete"
	case KindUnknownKey:
		return "UnknownKey"
	case KindSignatureMismatch:
		return "SignatureMismatch"
	case KindExpired:
		return "Expired"
	case KindInvalidToken:
		return "InvalidToken"
	case KindExpiredToken:
		return "ExpiredToken"
	}
	return "Unknown"
}

// Error is an authentication failure; Message is worded as AWS words it.
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return "authn: " + e.Kind.String() + ": " + e.Message }

// KindOf returns the Kind of an *Error in err's chain, or 0.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// AWS messages.
const (
	MsgInvalidToken = "The security token included in the request is invalid."
	MsgExpiredToken = "The security token included in the request is expired"
)

// Protocol names, as in botocore service models (and internal/api/awsproto).
const (
	ProtocolJSON     = "json"      // awsJson1_1: sso-admin, identitystore, organizations
	ProtocolQuery    = "query"     // awsQuery: IAM, STS
	ProtocolRestJSON = "rest-json" // restJson1: sso portal, sso-oidc
)

type codeStatus struct {
	code   string
	status int
}

// codes is the per-protocol error table. Sources (observed AWS responses):
//
//   - awsQuery (IAM, STS): InvalidClientTokenId 403 and SignatureDoesNotMatch 403
//     are the standard auth errors (notes/protocols.md; boto3#756 shows an STS
//     SignatureDoesNotMatch); "Signature expired: ... (... - 15 min.)" comes back
//     as SignatureDoesNotMatch (aws-cli#6676 GetCallerIdentity, STS AssumeRole);
//     ExpiredToken is 403 Sender from IAM (cfn-sphere#55); IncompleteSignature
//     is 400 (amazonka#316, an awsQuery service); MissingAuthenticationToken 403.
//   - awsJson1_1 (coral services): UnrecognizedClientException 400 (cognito-idp,
//     ECS, DynamoDB reports), InvalidSignatureException 400 incl. "Signature
//     expired" (aws-sdk-js#254), IncompleteSignatureException 400
//     (cloud9-sync#10), ExpiredTokenException 400 (aws-sdk-php#1307, DynamoDB),
//     MissingAuthenticationTokenException: 400 by analogy (VERIFY).
//   - restJson1: the same exception names with 403 (Lambda answers
//     UnrecognizedClientException 403, iamlive#58); IncompleteSignature and
//     ExpiredToken 403 likewise (VERIFY).
var codes = map[string]map[Kind]codeStatus{
	ProtocolQuery: {
		KindMissing:           {"MissingAuthenticationToken", http.StatusForbidden},
		KindIncomplete:        {"IncompleteSignature", http.StatusBadRequest},
		KindUnknownKey:        {"InvalidClientTokenId", http.StatusForbidden},
		KindSignatureMismatch: {"SignatureDoesNotMatch", http.StatusForbidden},
		KindExpired:           {"SignatureDoesNotMatch", http.StatusForbidden},
		KindInvalidToken:      {"InvalidClientTokenId", http.StatusForbidden},
		KindExpiredToken:      {"ExpiredToken", http.StatusForbidden},
	},
	ProtocolJSON: {
		KindMissing:           {"MissingAuthenticationTokenException", http.StatusBadRequest},
		KindIncomplete:        {"IncompleteSignatureException", http.StatusBadRequest},
		KindUnknownKey:        {"UnrecognizedClientException", http.StatusBadRequest},
		KindSignatureMismatch: {"InvalidSignatureException", http.StatusBadRequest},
		KindExpired:           {"InvalidSignatureException", http.StatusBadRequest},
		KindInvalidToken:      {"UnrecognizedClientException", http.StatusBadRequest},
		KindExpiredToken:      {"ExpiredTokenException", http.StatusBadRequest},
	},
	ProtocolRestJSON: {
		KindMissing:           {"MissingAuthenticationTokenException", http.StatusForbidden},
		KindIncomplete:        {"IncompleteSignatureException", http.StatusForbidden},
		KindUnknownKey:        {"UnrecognizedClientException", http.StatusForbidden},
		KindSignatureMismatch: {"InvalidSignatureException", http.StatusForbidden},
		KindExpired:           {"InvalidSignatureException", http.StatusForbidden},
		KindInvalidToken:      {"UnrecognizedClientException", http.StatusForbidden},
		KindExpiredToken:      {"ExpiredTokenException", http.StatusForbidden},
	},
}

// CodeFor says which error code and HTTP status AWS returns for this failure
// in a protocol ("json", "query" or "rest-json"). An unknown protocol is
// treated as "json"; an unknown kind yields InternalFailure 500.
func CodeFor(k Kind, protocol string) (code string, status int) {
	t, ok := codes[protocol]
	if !ok {
		t = codes[ProtocolJSON]
	}
	if cs, ok := t[k]; ok {
		return cs.code, cs.status
	}
	return "InternalFailure", http.StatusInternalServerError
}
