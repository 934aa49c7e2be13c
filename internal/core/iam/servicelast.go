package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/core/authz"
	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// Service last accessed details: for an IAM user, group, role or managed
// policy, the services its policies allow and when an entity it covers (the
// user; the role's sessions; the group's members; the policy's users, roles
// and groups' members) was last authenticated to each, from the uses the
// UsageRecorder keeps. A job is computed when it is generated and read back
// by its id. ACTION_LEVEL jobs report the last action called per service.

// Granularities and job status.
const (
	GranularityService = "SERVICE_LEVEL"
	GranularityAction  = "ACTION_LEVEL"
	JobCompleted       = "COMPLETED"
)

const (
	jobKindServiceLastAccessed = "service-last-accessed"
	jobKindOrganizations       = "organizations-access"
)

// servedNamespaces are the services idcenter itself answers: what a wildcard
// action ("*") allows, besides the services seen in use.
var servedNamespaces = []string{"iam", "identitystore", "organizations", "sso", "sso-oauth", "sts"}

var serviceNames = map[string]string{
	"iam":            "AWS Identity and Access Management",
	"sts":            "AWS Security Token Service",
	"sso":            "AWS IAM Identity Center (successor to AWS Single Sign-On)",
	"sso-oauth":      "AWS IAM Identity Center OIDC",
	"identitystore":  "AWS Identity Store",
	"organizations":  "AWS Organizations",
	"s3":             "Amazon S3",
	"ec2":            "Amazon EC2",
	"lambda":         "AWS Lambda",
	"dynamodb":       "Amazon DynamoDB",
	"cloudwatch":     "Amazon CloudWatch",
	"logs":           "Amazon CloudWatch Logs",
	"kms":            "AWS Key Management Service",
	"secretsmanager": "AWS Secrets Manager",
	"sns":            "Amazon SNS",
	"sqs":            "Amazon SQS",
}

// ServiceName is the display name of a service namespace (the namespace
// itself when unknown).
func ServiceName(ns string) string {
	if n, ok := serviceNames[ns]; ok {
		return n
	}
	return ns
}

// TrackedAction is the last action called on a service (ACTION_LEVEL).
type TrackedAction struct {
	Action, Entity, Region string
	At                     time.Time
}

// ServiceAccess is one service of a service last accessed report.
type ServiceAccess struct {
	Namespace, Name   string
	LastAuthenticated time.Time
	LastEntity        string
	LastRegion        string
	TotalEntities     int
	Actions           []TrackedAction
}

// EntityAccess is one entity's last access to a service.
type EntityAccess struct {
	ARN, Name, Type, ID, Path string
	LastAuthenticated         time.Time
}

// AccessJob is a generated report's header.
type AccessJob struct {
	JobID       string
	Granularity string
	Status      string
	Created     time.Time
	Completed   time.Time
}

type serviceReport struct {
	ARN         string
	Granularity string
	Completed   time.Time
	Services    []ServiceAccess
	Entities    map[string][]EntityAccess
}

// coveredEntity is a user or role whose use counts for a report, and how to
// recognise its calls.
type coveredEntity struct {
	info  EntityAccess
	match func(principalARN string) bool
}

func userEntity(u store.IAMUser) coveredEntity {
	return coveredEntity{info: EntityAccess{ARN: u.ARN, Name: u.UserName, Type: "USER", ID: u.UserID, Path: u.Path},
		match: func(p string) bool { return p == u.ARN }}
}

func roleEntity(r store.IAMRole) coveredEntity {
	prefix := "arn:aws:sts::" + r.AccountID + ":assumed-role/" + r.RoleName + "/"
	return coveredEntity{info: EntityAccess{ARN: r.ARN, Name: r.RoleName, Type: "ROLE", ID: r.RoleID, Path: r.Path},
		match: func(p string) bool { return strings.HasPrefix(p, prefix) }}
}

func (s *Service) newJobID() (string, error) {
	h, err := s.random("", "0123456789abcdef", 32)
	if err != nil {
		return "", err
	}
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], nil
}

// reportScope finds the policies and the entities an ARN covers.
func (s *Service) reportScope(ctx context.Context, tx store.Tx, c Caller, arnStr string) ([]authz.SourcedDocument, []coveredEntity, error) {
	src := s.policySource()
	parts := strings.SplitN(arnStr, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" {
		return nil, nil, invalidInput("Invalid ARN: %s", arnStr)
	}
	kind, _, _ := strings.Cut(parts[5], "/")
	if kind == "policy" {
		doc, err := src.ManagedDocument(ctx, tx, arnStr)
		if err != nil {
			if parts[4] == "aws" {
				return nil, nil, noSuchEntity("Policy %s does not exist or is not attachable.", arnStr)
			}
			if _, gerr := tx.GetIAMPolicy(ctx, arnStr); errors.Is(gerr, store.ErrNotFound) {
				return nil, nil, noSuchEntity("Policy %s does not exist or is not attachable.", arnStr)
			}
			return nil, nil, err
		}
		docs := []authz.SourcedDocument{{NamedDocument: authz.NamedDocument{Name: arnStr, Document: doc}}}
		atts, err := tx.ListIAMPolicyAttachments(ctx, c.AccountID, arnStr)
		if err != nil {
			return nil, nil, err
		}
		var ents []coveredEntity
		for _, a := range atts {
			e, err := s.entitiesOf(ctx, tx, c.AccountID, a.EntityType, a.EntityName)
			if err != nil {
				return nil, nil, err
			}
			ents = append(ents, e...)
		}
		return docs, dedupeEntities(ents), nil
	}
	typ, id, name, boundary, _, err := s.principalEntity(ctx, tx, c, arnStr)
	if err != nil {
		return nil, nil, err
	}
	docs, _, err := src.EntityPolicies(ctx, tx, typ, id, name, boundary)
	if err != nil {
		return nil, nil, err
	}
	ents, err := s.entitiesOf(ctx, tx, c.AccountID, typ, name)
	return docs, ents, err
}

// entitiesOf is a user, a role, or a group's members.
func (s *Service) entitiesOf(ctx context.Context, tx store.Tx, acct, typ, name string) ([]coveredEntity, error) {
	switch typ {
	case store.IAMEntityUser:
		u, err := tx.GetIAMUser(ctx, acct, name)
		if err != nil {
			return nil, err
		}
		return []coveredEntity{userEntity(u)}, nil
	case store.IAMEntityRole:
		r, err := tx.GetIAMRole(ctx, acct, name)
		if err != nil {
			return nil, err
		}
		return []coveredEntity{roleEntity(r)}, nil
	case store.IAMEntityGroup:
		g, err := tx.GetIAMGroup(ctx, acct, name)
		if err != nil {
			return nil, err
		}
		members, err := tx.ListIAMGroupMembers(ctx, g.GroupID)
		if err != nil {
			return nil, err
		}
		out := make([]coveredEntity, 0, len(members))
		for _, u := range members {
			out = append(out, userEntity(u))
		}
		return out, nil
	}
	return nil, nil
}

func dedupeEntities(in []coveredEntity) []coveredEntity {
	seen := map[string]bool{}
	var out []coveredEntity
	for _, e := range in {
		if !seen[e.info.ARN] {
			seen[e.info.ARN] = true
			out = append(out, e)
		}
	}
	return out
}

// allowedNamespaces are the services the documents allow ("*" expanded to
// the served services and those in use).
func allowedNamespaces(docs []authz.SourcedDocument, uses []store.IAMServiceUse) ([]string, error) {
	set := map[string]bool{}
	for _, d := range docs {
		p, err := policy.Compile(d.Document, policy.KindIdentity)
		if err != nil {
			return nil, err
		}
		for _, ns := range p.AllowedServices() {
			if ns == "*" {
				for _, n := range servedNamespaces {
					set[n] = true
				}
				for _, u := range uses {
					set[u.ServiceNamespace] = true
				}
				continue
			}
			set[ns] = true
		}
	}
	out := make([]string, 0, len(set))
	for ns := range set {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out, nil
}

// GenerateServiceLastAccessedDetails computes the report for an IAM user,
// group, role or managed policy and returns its job id.
func (s *Service) GenerateServiceLastAccessedDetails(ctx context.Context, c Caller, arnStr, granularity string) (string, error) {
	if granularity == "" {
		granularity = GranularityService
	}
	if err := s.flushUsage(ctx); err != nil {
		return "", err
	}
	jobID, err := s.newJobID()
	if err != nil {
		return "", err
	}
	now := s.now()
	err = s.update(ctx, "generate service last accessed details", func(tx store.Tx) error {
		docs, ents, err := s.reportScope(ctx, tx, c, arnStr)
		if err != nil {
			return err
		}
		uses, err := tx.ListIAMServiceUse(ctx, c.AccountID)
		if err != nil {
			return err
		}
		namespaces, err := allowedNamespaces(docs, uses)
		if err != nil {
			return err
		}
		rep := serviceReport{ARN: arnStr, Granularity: granularity, Completed: now, Entities: map[string][]EntityAccess{}}
		for _, ns := range namespaces {
			sa := ServiceAccess{Namespace: ns, Name: ServiceName(ns)}
			var list []EntityAccess
			for _, e := range ents {
				info := e.info
				for _, u := range uses {
					if u.ServiceNamespace != ns || !e.match(u.PrincipalARN) || !u.LastUsed.After(info.LastAuthenticated) {
						continue
					}
					info.LastAuthenticated = u.LastUsed
					if u.LastUsed.After(sa.LastAuthenticated) {
						sa.LastAuthenticated, sa.LastEntity, sa.LastRegion = u.LastUsed, e.info.ARN, u.Region
						if granularity == GranularityAction && u.Action != "" {
							sa.Actions = []TrackedAction{{Action: u.Action, Entity: e.info.ARN, Region: u.Region, At: u.LastUsed}}
						}
					}
				}
				if !info.LastAuthenticated.IsZero() {
					sa.TotalEntities++
				}
				list = append(list, info)
			}
			sort.SliceStable(list, func(i, j int) bool { return list[i].LastAuthenticated.After(list[j].LastAuthenticated) })
			rep.Services = append(rep.Services, sa)
			rep.Entities[ns] = list
		}
		body, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		return tx.CreateIAMReportJob(ctx, store.IAMReportJob{JobID: jobID, AccountID: c.AccountID, Kind: jobKindServiceLastAccessed,
			Params: string(body), CreatedAt: now})
	})
	return jobID, err
}

func (s *Service) serviceJob(ctx context.Context, c Caller, jobID string) (AccessJob, serviceReport, error) {
	var rep serviceReport
	var job AccessJob
	err := s.view(ctx, "get service last accessed details", func(tx store.Tx) error {
		j, err := tx.GetIAMReportJob(ctx, jobID)
		if errors.Is(err, store.ErrNotFound) || err == nil && (j.AccountID != c.AccountID || j.Kind != jobKindServiceLastAccessed) {
			return noSuchEntity("The job with id %s cannot be found.", jobID)
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(j.Params), &rep); err != nil {
			return err
		}
		job = AccessJob{JobID: j.JobID, Granularity: rep.Granularity, Status: JobCompleted, Created: j.CreatedAt, Completed: rep.Completed}
		return nil
	})
	return job, rep, err
}

// ServiceLastAccessedDetails pages a report's services.
func (s *Service) ServiceLastAccessedDetails(ctx context.Context, c Caller, jobID, marker string, max int) (AccessJob, Page[ServiceAccess], error) {
	job, rep, err := s.serviceJob(ctx, c, jobID)
	if err != nil {
		return job, Page[ServiceAccess]{}, err
	}
	p, err := pageSlice(rep.Services, marker, max, func(x ServiceAccess) string { return x.Namespace })
	return job, p, err
}

// ServiceLastAccessedEntities pages the entities of one service of a report.
func (s *Service) ServiceLastAccessedEntities(ctx context.Context, c Caller, jobID, namespace, marker string, max int) (AccessJob, Page[EntityAccess], error) {
	job, rep, err := s.serviceJob(ctx, c, jobID)
	if err != nil {
		return job, Page[EntityAccess]{}, err
	}
	list, ok := rep.Entities[namespace]
	if !ok {
		return job, Page[EntityAccess]{}, invalidInput("The service namespace %s is not in the report of job %s.", namespace, jobID)
	}
	type keyed struct {
		k string
		e EntityAccess
	}
	ks := make([]keyed, len(list))
	for i, e := range list {
		ks[i] = keyed{k: fmt.Sprintf("%08d", i), e: e}
	}
	p, err := pageSlice(ks, marker, max, func(x keyed) string { return x.k })
	if err != nil {
		return job, Page[EntityAccess]{}, err
	}
	return job, Page[EntityAccess]{Items: mapItems(p.Items, func(x keyed) EntityAccess { return x.e }), Marker: p.Marker}, nil
}

// PolicyGrant is a policy that allows a service to an entity.
type PolicyGrant struct {
	PolicyName string
	PolicyType string // INLINE, MANAGED
	PolicyARN  string // managed policies
	EntityType string // USER, GROUP, ROLE (inline policies)
	EntityName string
}

// ServiceGrants are the policies that allow one service.
type ServiceGrants struct {
	Namespace string
	Policies  []PolicyGrant
}

// PoliciesGrantingServiceAccess lists, per service namespace, the policies of
// an IAM user (its own and its groups'), group or role that allow it.
func (s *Service) PoliciesGrantingServiceAccess(ctx context.Context, c Caller, arnStr string, namespaces []string) ([]ServiceGrants, error) {
	var out []ServiceGrants
	err := s.view(ctx, "list policies granting service access", func(tx store.Tx) error {
		typ, id, name, _, _, err := s.principalEntity(ctx, tx, c, arnStr)
		if err != nil {
			return err
		}
		docs, _, err := s.policySource().EntityPolicies(ctx, tx, typ, id, name, "")
		if err != nil {
			return err
		}
		allowed := make([][]string, len(docs))
		for i, d := range docs {
			p, err := policy.Compile(d.Document, policy.KindIdentity)
			if err != nil {
				return err
			}
			allowed[i] = p.AllowedServices()
		}
		for _, ns := range namespaces {
			g := ServiceGrants{Namespace: ns, Policies: []PolicyGrant{}}
			for i, d := range docs {
				if !containsAny(allowed[i], strings.ToLower(ns), "*") {
					continue
				}
				pg := PolicyGrant{PolicyName: d.ID}
				if d.Type == "aws-managed" || d.Type == "user-managed" {
					pg.PolicyType, pg.PolicyARN = "MANAGED", d.Name
				} else {
					pg.PolicyType, pg.EntityType, pg.EntityName = "INLINE", strings.ToUpper(d.OwnerType), d.OwnerName
				}
				g.Policies = append(g.Policies, pg)
			}
			out = append(out, g)
		}
		return nil
	})
	return out, err
}

func containsAny(list []string, vals ...string) bool {
	for _, v := range list {
		for _, w := range vals {
			if v == w {
				return true
			}
		}
	}
	return false
}

// RoleLastUsed returns when and in which region a session of the role last
// made an authenticated call (zero time when never).
func (s *Service) RoleLastUsed(ctx context.Context, c Caller, r store.IAMRole) (time.Time, string, error) {
	if err := s.flushUsage(ctx); err != nil {
		return time.Time{}, "", err
	}
	var at time.Time
	var region string
	e := roleEntity(r)
	err := s.view(ctx, "role last used", func(tx store.Tx) error {
		uses, err := tx.ListIAMServiceUse(ctx, r.AccountID)
		if err != nil {
			return err
		}
		for _, u := range uses {
			if e.match(u.PrincipalARN) && u.LastUsed.After(at) {
				at, region = u.LastUsed, u.Region
			}
		}
		return nil
	})
	return at, region, err
}
