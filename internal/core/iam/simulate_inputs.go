package iam

import (
	"strings"

	"github.com/idcenter/idcenter/internal/policy"
)

// The simulator's optional inputs (ResourceHandlingOption, ResourceOwner,
// CallerArn, PermissionsBoundaryPolicyInputList) and its per-policy-type
// outputs (EvalDecisionDetails, ResourceSpecificResults).

// ResourceHandlingOptions are the EC2 scenario names AWS documents for
// ResourceHandlingOption. They are validated; the simulation itself applies
// the default semantics (every action evaluated on every resource), without
// enforcing the scenario's required resource set.
var ResourceHandlingOptions = []string{
	"EC2-VPC-InstanceStore",
	"EC2-VPC-InstanceStore-Subnet",
	"EC2-VPC-EBS",
	"EC2-VPC-EBS-Subnet",
}

// Keys of EvalDecisionDetails: the policy types of a cross-account
// simulation, each with the decision that type alone reaches.
const (
	DetailIAMPolicy      = "IAM Policy"
	DetailBoundaryPolicy = "Permissions Boundary Policy"
	DetailResourcePolicy = "Resource Policy"
)

// ResourceResult is the decision of one action on one named resource
// (ResourceSpecificResult).
type ResourceResult struct {
	Resource        string
	Decision        string
	Matched         []MatchedStatement
	Missing         []string
	Details         map[string]string
	BoundaryAllowed *bool
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// validateSimInputs checks the optional inputs AWS validates.
func validateSimInputs(in SimulationInput) error {
	if in.ResourceHandling != "" {
		ok := false
		for _, o := range ResourceHandlingOptions {
			if in.ResourceHandling == o {
				ok = true
			}
		}
		if !ok {
			return invalidInput("Invalid ResourceHandlingOption %s: must be one of %s.", in.ResourceHandling, strings.Join(ResourceHandlingOptions, ", "))
		}
	}
	if len(in.Boundaries) > 1 {
		return invalidInput("PermissionsBoundaryPolicyInputList can contain only one permissions boundary policy.")
	}
	if in.CallerARN != "" {
		parts := strings.SplitN(in.CallerARN, ":", 6)
		if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !isAccountID(parts[4]) ||
			!strings.HasPrefix(parts[5], "user/") || len(parts[5]) == len("user/") {
			return invalidInput("Invalid CallerArn %s: only the ARN of an IAM user can be the simulated caller.", in.CallerARN)
		}
	}
	if in.ResourceOwner != "" {
		if accountOfARN(in.ResourceOwner) == "" {
			return invalidInput("Invalid ResourceOwner %s: expected an account ARN such as arn:aws:iam::123456789012:root.", in.ResourceOwner)
		}
	}
	return nil
}

// accountOfARN is the account of an account ARN (arn:aws:iam::ID:root), or
// "" when s is not one.
func accountOfARN(s string) string {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !isAccountID(parts[4]) || parts[5] != "root" {
		return ""
	}
	return parts[4]
}

// principalAccountOf is the account of a principal ARN, or def.
func principalAccountOf(arn, def string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && isAccountID(parts[4]) {
		return parts[4]
	}
	return def
}

// resourceAccountOf is the owner of a simulated resource: the account in its
// ARN when it names one, else ResourceOwner's, else the caller's.
func resourceAccountOf(resource, owner string) string {
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) == 6 && isAccountID(parts[4]) {
		return parts[4]
	}
	return owner
}

var allowAll = func() *policy.Policy {
	p, err := policy.Compile(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, policy.KindIdentity)
	if err != nil {
		panic(err)
	}
	return p
}()

// decisionDetails is EvalDecisionDetails: nil when not returned (same account
// on "*", or denied by an SCP), empty when same account on a named resource,
// and otherwise the decision of each policy type that took part.
func decisionDetails(req *policy.Request, ps *policy.PolicySet, resource string, scpDenied bool) map[string]string {
	if scpDenied {
		return nil
	}
	cross := req.ResourceAccount != "" && req.ResourceAccount != req.PrincipalAccount
	if !cross {
		if resource == "*" {
			return nil
		}
		return map[string]string{}
	}
	// Each side is evaluated as in its own account.
	same := *req
	same.ResourceAccount = req.PrincipalAccount
	out := map[string]string{
		DetailIAMPolicy: decisionName(policy.Evaluate(&same, &policy.PolicySet{Identity: ps.Identity})),
	}
	if ps.Boundary != nil {
		out[DetailBoundaryPolicy] = decisionName(policy.Evaluate(&same, &policy.PolicySet{Identity: ps.Boundary}))
	}
	// The resource policy's own decision: whether it grants the (other
	// account's) caller, given an identity side that allows everything.
	rd := DecisionImplicitDeny
	if ps.Resource != nil {
		rd = decisionName(policy.Evaluate(req, &policy.PolicySet{Resource: ps.Resource, Identity: []*policy.Policy{allowAll}}))
	}
	out[DetailResourcePolicy] = rd
	return out
}
