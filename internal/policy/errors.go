package policy

import "errors"

// ErrMalformed is matched (errors.Is) by every *Error: the document is not a
// valid policy. The wire error code is MalformedPolicyDocument.
var ErrMalformed = errors.New("MalformedPolicyDocument")

// AWS's MalformedPolicyDocument messages.
const (
	MsgSyntax           = "Syntax errors in policy."
	MsgLegacy           = "The policy failed legacy parsing"
	MsgNoPrincipal      = "Policy document should not specify a principal."
	MsgProhibitedPrinc  = "Has prohibited field Principal"
	MsgMissingPrincipal = "Missing required field Principal"
	MsgProhibitedRes    = "Has prohibited field Resource"
	MsgNoActions        = "Policy statement must contain actions."
	MsgNoResources      = "Policy statement must contain resources."
	MsgDuplicateSid     = "Statement IDs (SID) in a single policy must be unique."
	MsgVendorPrefix     = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	MsgOneColon         = "Actions/Condition can contain only one colon."
	MsgVersion2012      = "Policy document must be version 2012-10-17 or greater."
	MsgResourceVendor   = "Resource vendor must be fully qualified and cannot contain regexes."
	MsgInvalidPrincipal = "Invalid principal in policy"
)

// Error is a MalformedPolicyDocument error. Message is AWS's wording and what
// Error returns; Detail says, for logs and humans, where the problem is.
type Error struct {
	Message string
	Detail  string
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is(err, ErrMalformed) true.
func (e *Error) Is(target error) bool { return target == ErrMalformed }

func malformed(msg, detail string) *Error { return &Error{Message: msg, Detail: detail} }
