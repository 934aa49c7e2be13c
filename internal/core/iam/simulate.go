package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// The policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy
// evaluate actions with the engine the authorisation point uses, over the
// policies it would collect for the principal (authz.IAMPolicies), plus the
// policies given in the request, and — for a principal — the SCPs of its
// account; GetContextKeysFor… list the condition keys.

// ContextEntry is a condition key supplied to a simulation.
type ContextEntry struct {
	Name   string
	Type   string
	Values []string
}

// SimulationInput is a simulation request. PolicySourceARN is empty for a
// custom simulation.
type SimulationInput struct {
	PolicySourceARN string
	Policies        []string // PolicyInputList
	Boundaries      []string // PermissionsBoundaryPolicyInputList
	Actions         []string
	Resources       []string
	ResourcePolicy  string
	ResourceOwner   string
	CallerARN       string
	Context         []ContextEntry
	// ResourceHandling is ResourceHandlingOption: validated, see
	// ResourceHandlingOptions.
	ResourceHandling string
	Marker           string
	MaxItems         int
}

// Decisions of a simulation.
const (
	DecisionAllowed      = "allowed"
	DecisionExplicitDeny = "explicitDeny"
	DecisionImplicitDeny = "implicitDeny"
)

// MatchedStatement is a statement that decided a simulated request.
type MatchedStatement struct {
	SourcePolicyID   string
	SourcePolicyType string
	Start, End       policy.Position
}

// EvaluationResult is the simulated decision of one action on one resource.
type EvaluationResult struct {
	Action, Resource string
	Decision         string
	Matched          []MatchedStatement
	Missing          []string
	// BoundaryAllowed is set when a permissions boundary applies.
	BoundaryAllowed *bool
	// OrganizationsAllowed is set when SCPs apply to the principal's account.
	OrganizationsAllowed *bool
	// Details is EvalDecisionDetails (nil = not returned).
	Details map[string]string
	// PerResource is ResourceSpecificResults: set when a resource ARN (not
	// "*") is simulated; the missing context keys are then reported there.
	PerResource []ResourceResult
}

type simSource struct {
	authz.SourcedDocument
	compiled *policy.Policy
	spans    []policy.Span
}

func compileSim(d authz.SourcedDocument, kind policy.Kind) (simSource, error) {
	p, err := policy.Compile(d.Document, kind)
	if err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return simSource{}, invalidInput("%s: %s", d.ID, pe.Message)
		}
		return simSource{}, invalidInput("%s: the policy document is malformed.", d.ID)
	}
	return simSource{SourcedDocument: d, compiled: p.WithName(d.ID), spans: policy.StatementSpans(d.Document)}, nil
}

func inputDocs(prefix string, docs []string) []authz.SourcedDocument {
	out := make([]authz.SourcedDocument, 0, len(docs))
	for i, d := range docs {
		id := fmt.Sprintf("%s.%d", prefix, i+1)
		out = append(out, authz.SourcedDocument{NamedDocument: authz.NamedDocument{Name: id, Document: d}, ID: id, Type: "none"})
	}
	return out
}

// principalEntity resolves a PolicySourceArn of the caller's account: a user,
// group or role ARN.
func (s *Service) principalEntity(ctx context.Context, tx store.Tx, c Caller, arnStr string) (typ, id, name, boundary, principalARN string, err error) {
	bad := func() error {
		return invalidInput("Invalid ARN: %s", arnStr)
	}
	parts := strings.SplitN(arnStr, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" {
		return "", "", "", "", "", bad()
	}
	if parts[4] != c.AccountID {
		return "", "", "", "", "", noSuchEntity("The entity %s cannot be found in this account.", arnStr)
	}
	kind, rest, _ := strings.Cut(parts[5], "/")
	name = rest[strings.LastIndexByte(rest, '/')+1:]
	if name == "" {
		return "", "", "", "", "", bad()
	}
	switch kind {
	case "user":
		u, err := getUser(ctx, tx, c.AccountID, name)
		if err != nil {
			return "", "", "", "", "", err
		}
		return store.IAMEntityUser, u.UserID, u.UserName, u.PermissionsBoundary, u.ARN, nil
	case "group":
		g, err := tx.GetIAMGroup(ctx, c.AccountID, name)
		if err != nil {
			return "", "", "", "", "", notFoundAs(err, func() error { return noSuchEntity("The group with name %s cannot be found.", name) })
		}
		return store.IAMEntityGroup, g.GroupID, g.GroupName, "", g.ARN, nil
	case "role":
		r, err := tx.GetIAMRole(ctx, c.AccountID, name)
		if err != nil {
			return "", "", "", "", "", notFoundAs(err, func() error { return noSuchEntity("The role with name %s cannot be found.", name) })
		}
		return store.IAMEntityRole, r.RoleID, r.RoleName, r.PermissionsBoundary, r.ARN, nil
	}
	return "", "", "", "", "", bad()
}

func (s *Service) policySource() *authz.IAMPolicies {
	return &authz.IAMPolicies{Store: s.Store, AWSManaged: AWSManagedDocument}
}

// collect gathers the identity policies and boundary of a simulation.
func (s *Service) collectSim(ctx context.Context, c Caller, in SimulationInput) (identity, boundary []simSource, principalARN string, err error) {
	var docs []authz.SourcedDocument
	var bound *authz.SourcedDocument
	if in.PolicySourceARN != "" {
		err = s.view(ctx, "simulate principal policy", func(tx store.Tx) error {
			typ, id, name, b, arn, err := s.principalEntity(ctx, tx, c, in.PolicySourceARN)
			if err != nil {
				return err
			}
			principalARN = arn
			docs, bound, err = s.policySource().EntityPolicies(ctx, tx, typ, id, name, b)
			return err
		})
		if err != nil {
			return nil, nil, "", err
		}
	}
	docs = append(docs, inputDocs("PolicyInputList", in.Policies)...)
	for _, d := range docs {
		p, err := compileSim(d, policy.KindIdentity)
		if err != nil {
			return nil, nil, "", err
		}
		identity = append(identity, p)
	}
	bdocs := inputDocs("PermissionsBoundaryPolicyInputList", in.Boundaries)
	if len(bdocs) == 0 && bound != nil {
		bdocs = []authz.SourcedDocument{*bound}
	}
	for _, d := range bdocs {
		p, err := compileSim(d, policy.KindIdentity)
		if err != nil {
			return nil, nil, "", err
		}
		boundary = append(boundary, p)
	}
	return identity, boundary, principalARN, nil
}

func compiled(src []simSource) []*policy.Policy {
	out := make([]*policy.Policy, len(src))
	for i, s := range src {
		out[i] = s.compiled
	}
	return out
}

// Simulate evaluates every action on every resource ("*" when none is given).
func (s *Service) Simulate(ctx context.Context, c Caller, in SimulationInput) (Page[EvaluationResult], error) {
	if in.PolicySourceARN == "" && len(in.Policies) == 0 {
		return Page[EvaluationResult]{}, invalidInput("PolicyInputList must contain at least one policy.")
	}
	if err := validateSimInputs(in); err != nil {
		return Page[EvaluationResult]{}, err
	}
	identity, boundary, principalARN, err := s.collectSim(ctx, c, in)
	if err != nil {
		return Page[EvaluationResult]{}, err
	}
	var resPol *simSource
	if in.ResourcePolicy != "" {
		p, err := compileSim(authz.SourcedDocument{NamedDocument: authz.NamedDocument{Name: "ResourcePolicy", Document: in.ResourcePolicy},
			ID: "ResourcePolicy", Type: "resource"}, policy.KindResource)
		if err != nil {
			return Page[EvaluationResult]{}, err
		}
		resPol = &p
	}
	// The simulated caller: CallerArn, else the principal when it is a user;
	// a resource policy needs one to match its Principal element.
	caller := in.CallerARN
	if caller == "" && strings.Contains(principalARN, ":user/") {
		caller = principalARN
	}
	if caller == "" && resPol != nil {
		return Page[EvaluationResult]{}, invalidInput("CallerArn is required when a ResourcePolicy is included and the policy source is not an IAM user.")
	}
	if caller == "" {
		caller = principalARN
	}
	if caller == "" {
		caller = c.ARN
	}
	principalAccount := principalAccountOf(caller, c.AccountID)
	reqCtx := map[string][]string{}
	provided := map[string]bool{}
	for _, e := range in.Context {
		k := strings.ToLower(e.Name)
		reqCtx[k] = e.Values
		provided[k] = true
	}
	// The owner of resources whose ARN names no account (and of the
	// resource policy): ResourceOwner, else the caller's account.
	resourceOwner := principalAccount
	if in.ResourceOwner != "" {
		resourceOwner = accountOfARN(in.ResourceOwner)
	}
	resources := in.Resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	ps := &policy.PolicySet{Identity: compiled(identity)}
	if len(boundary) > 0 {
		ps.Boundary = compiled(boundary)
	}
	// A principal's simulation includes the SCPs of its account, as the
	// authorisation point applies them.
	if in.PolicySourceARN != "" && s.SCPs != nil {
		levels, err := s.SCPs(ctx, c.AccountID)
		if err != nil {
			return Page[EvaluationResult]{}, fmt.Errorf("iam: SCPs of %s: %w", c.AccountID, err)
		}
		for _, lvl := range levels {
			compiledLevel := make([]*policy.Policy, 0, len(lvl))
			for _, d := range lvl {
				p, err := policy.Compile(d.Document, policy.KindSCP)
				if err != nil {
					return Page[EvaluationResult]{}, fmt.Errorf("iam: stored SCP %s does not compile: %w", d.Name, err)
				}
				compiledLevel = append(compiledLevel, p.WithName(d.Name))
			}
			ps.SCPs = append(ps.SCPs, compiledLevel)
		}
	}
	if resPol != nil {
		ps.Resource = resPol.compiled
	}
	var results []EvaluationResult
	for _, action := range in.Actions {
		for _, res := range resources {
			req := &policy.Request{Action: action, Resource: res, PrincipalARN: caller, PrincipalAccount: principalAccount,
				ResourceAccount: resourceAccountOf(res, resourceOwner), Context: reqCtx}
			d := policy.Evaluate(req, ps)
			r := EvaluationResult{Action: action, Resource: res, Decision: decisionName(d)}
			for _, m := range d.Matched {
				if ms, ok := matchedStatement(m, identity, boundary, resPol); ok {
					r.Matched = append(r.Matched, ms)
				}
			}
			// The boundary and the SCPs are judged on their own, as in the
			// caller's account.
			own := *req
			own.ResourceAccount = req.PrincipalAccount
			if len(boundary) > 0 {
				bd := policy.Evaluate(&own, &policy.PolicySet{Identity: ps.Boundary})
				r.BoundaryAllowed = &bd.Allowed
			}
			if ps.SCPs != nil {
				od := policy.Evaluate(&own, &policy.PolicySet{SCPs: ps.SCPs, IsRoot: true})
				r.OrganizationsAllowed = &od.Allowed
			}
			r.Missing = missingKeys(req, provided, identity, boundary, resPol)
			scpDenied := r.OrganizationsAllowed != nil && !*r.OrganizationsAllowed
			r.Details = decisionDetails(req, ps, res, scpDenied)
			if res != "*" {
				// AWS reports a named resource's result, and its missing
				// context keys, under ResourceSpecificResults.
				r.PerResource = []ResourceResult{{Resource: res, Decision: r.Decision, Matched: r.Matched,
					Missing: r.Missing, Details: r.Details, BoundaryAllowed: r.BoundaryAllowed}}
				r.Missing = nil
			}
			results = append(results, r)
		}
	}
	type indexed struct {
		key string
		r   EvaluationResult
	}
	keyed := make([]indexed, len(results))
	for i, r := range results {
		keyed[i] = indexed{fmt.Sprintf("%08d", i), r}
	}
	p, err := pageSlice(keyed, in.Marker, in.MaxItems, func(x indexed) string { return x.key })
	if err != nil {
		return Page[EvaluationResult]{}, err
	}
	return Page[EvaluationResult]{Items: mapItems(p.Items, func(x indexed) EvaluationResult { return x.r }), Marker: p.Marker}, nil
}

func mapItems[A, B any](in []A, f func(A) B) []B {
	out := make([]B, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}

func decisionName(d policy.Decision) string {
	switch d.Effect {
	case policy.EffectAllow:
		return DecisionAllowed
	case policy.EffectExplicitDeny:
		return DecisionExplicitDeny
	}
	return DecisionImplicitDeny
}

func matchedStatement(m policy.Match, identity, boundary []simSource, resPol *simSource) (MatchedStatement, bool) {
	var src *simSource
	switch m.Type {
	case policy.TypeIdentity:
		if m.Index < len(identity) {
			src = &identity[m.Index]
		}
	case policy.TypeBoundary:
		if m.Index < len(boundary) {
			src = &boundary[m.Index]
		}
	case policy.TypeResource:
		src = resPol
	}
	if src == nil {
		return MatchedStatement{}, false
	}
	out := MatchedStatement{SourcePolicyID: src.ID, SourcePolicyType: src.Type}
	if m.Statement < len(src.spans) {
		out.Start, out.End = src.spans[m.Statement].Start, src.spans[m.Statement].End
	}
	return out, true
}

// missingKeys are the condition keys the statements matching req use that
// the request did not supply.
func missingKeys(req *policy.Request, provided map[string]bool, identity, boundary []simSource, resPol *simSource) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p *policy.Policy) {
		for _, k := range p.ContextKeysFor(req) {
			l := strings.ToLower(k)
			if !provided[l] && !seen[l] {
				seen[l] = true
				out = append(out, k)
			}
		}
	}
	for _, s := range identity {
		add(s.compiled)
	}
	for _, s := range boundary {
		add(s.compiled)
	}
	if resPol != nil {
		add(resPol.compiled)
	}
	return out
}

// ContextKeys lists the condition keys of the policies of a principal (when
// policySourceARN is set) and of the given documents.
func (s *Service) ContextKeys(ctx context.Context, c Caller, policySourceARN string, docs []string) ([]string, error) {
	identity, boundary, _, err := s.collectSim(ctx, c, SimulationInput{PolicySourceARN: policySourceARN, Policies: docs})
	if err != nil {
		return nil, err
	}
	out := []string{}
	seen := map[string]bool{}
	for _, src := range append(identity, boundary...) {
		for _, k := range src.compiled.ContextKeys() {
			if l := strings.ToLower(k); !seen[l] {
				seen[l] = true
				out = append(out, k)
			}
		}
	}
	return out, nil
}
