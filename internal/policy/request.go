package policy

import "strings"

// Request is what is being authorised.
type Request struct {
	Action   string // service:Action, e.g. "iam:CreateUser"
	Resource string // resource ARN, or "*"

	PrincipalARN     string // user, root, or assumed-role/federated-user session ARN; "" = anonymous
	PrincipalAccount string
	// RoleARN is, for an assumed-role session, the role's ARN (resource-based
	// policies may name the role rather than the session).
	RoleARN string
	// Service is set when the caller is an AWS service principal
	// (e.g. "ec2.amazonaws.com"); Federated when it is a federated web
	// identity or SAML provider.
	Service   string
	Federated string

	ResourceAccount string // "" = same as principal's

	// Context holds condition keys (aws:SourceIp, aws:PrincipalTag/team, ...).
	// Names are matched case-insensitively; lower-case names are found fastest.
	// aws:PrincipalArn (the role ARN for role sessions), aws:PrincipalAccount
	// and aws:ResourceAccount default to the fields above when absent.
	Context map[string][]string
}

// values is a read-only view of a context key's values without allocating.
type values struct {
	list   []string
	one    string
	single bool
}

func (v values) len() int {
	if v.single {
		return 1
	}
	return len(v.list)
}

func (v values) at(i int) string {
	if v.single {
		return v.one
	}
	return v.list[i]
}

// lookup finds a condition key: exact name, lower-case name, then any
// case-insensitive match, then the keys derived from the request fields.
func (r *Request) lookup(key, lower string) values {
	if r.Context != nil {
		if v, ok := r.Context[key]; ok {
			return values{list: v}
		}
		if v, ok := r.Context[lower]; ok {
			return values{list: v}
		}
		for k, v := range r.Context {
			if strings.EqualFold(k, key) {
				return values{list: v}
			}
		}
	}
	var s string
	switch lower {
	case "aws:principalarn":
		// For role sessions AWS reports the role's ARN, not the session's.
		s = r.PrincipalARN
		if r.RoleARN != "" {
			s = r.RoleARN
		}
	case "aws:principalaccount":
		s = r.PrincipalAccount
	case "aws:resourceaccount":
		s = r.resourceAccount()
	}
	if s == "" {
		return values{}
	}
	return values{one: s, single: true}
}

func (r *Request) resourceAccount() string {
	if r.ResourceAccount != "" {
		return r.ResourceAccount
	}
	return r.PrincipalAccount
}
