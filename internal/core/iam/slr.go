package iam

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// Service-linked roles: roles a service owns, named AWSServiceRoleFor<Service>
// under /aws-service-role/<service principal>/, trusted by that service. They
// are not modified or deleted with the ordinary role operations
// (UnmodifiableEntity) but with DeleteServiceLinkedRole, whose deletion task
// is done at once (SUCCEEDED).

// SLRPathPrefix is the path prefix of every service-linked role.
const SLRPathPrefix = "/aws-service-role/"

// linkedService is a service that creates service-linked roles.
type linkedService struct {
	role         string // the role name after AWSServiceRoleFor
	customSuffix bool   // whether CustomSuffix is accepted
}

// linkedServices are the service principals with a service-linked role, as
// AWS names their roles.
var linkedServices = map[string]linkedService{
	"sso.amazonaws.com":                              {"SSO", false},
	"organizations.amazonaws.com":                    {"Organizations", false},
	"access-analyzer.amazonaws.com":                  {"AccessAnalyzer", false},
	"autoscaling.amazonaws.com":                      {"AutoScaling", true},
	"elasticloadbalancing.amazonaws.com":             {"ElasticLoadBalancing", false},
	"ecs.amazonaws.com":                              {"ECS", false},
	"eks.amazonaws.com":                              {"AmazonEKS", false},
	"rds.amazonaws.com":                              {"RDS", false},
	"spot.amazonaws.com":                             {"EC2Spot", false},
	"config.amazonaws.com":                           {"Config", false},
	"cloudtrail.amazonaws.com":                       {"CloudTrail", false},
	"guardduty.amazonaws.com":                        {"AmazonGuardDuty", false},
	"securityhub.amazonaws.com":                      {"SecurityHub", false},
	"support.amazonaws.com":                          {"Support", false},
	"trustedadvisor.amazonaws.com":                   {"TrustedAdvisor", false},
	"elasticbeanstalk.amazonaws.com":                 {"ElasticBeanstalk", true},
	"elasticache.amazonaws.com":                      {"ElastiCache", false},
	"es.amazonaws.com":                               {"AmazonElasticsearchService", false},
	"opensearchservice.amazonaws.com":                {"AmazonOpenSearchService", false},
	"dynamodb.application-autoscaling.amazonaws.com": {"ApplicationAutoScaling_DynamoDBTable", false},
	"ssm.amazonaws.com":                              {"AmazonSSM", false},
	"cloudformation.stacksets.amazonaws.com":         {"CloudFormationStackSetsOrgAdmin", false},
	"identity-sync.amazonaws.com":                    {"IdentitySync", false},
	"controltower.amazonaws.com":                     {"AWSControlTower", false},
	"inspector2.amazonaws.com":                       {"AmazonInspector2", false},
	"macie.amazonaws.com":                            {"AmazonMacie", false},
	"fms.amazonaws.com":                              {"FMS", false},
	"ram.amazonaws.com":                              {"ResourceAccessManager", false},
	"account.amazonaws.com":                          {"AWSAccount", false},
	"compute-optimizer.amazonaws.com":                {"ComputeOptimizer", false},
}

// IsServiceLinked reports whether a role is a service-linked role.
func IsServiceLinked(r store.IAMRole) bool { return strings.HasPrefix(r.Path, SLRPathPrefix) }

// checkModifiable refuses ordinary changes to a service-linked role or an
// Identity Center role (UnmodifiableEntity).
func checkModifiable(r store.IAMRole) error {
	return checkModifiableRole(r) // service-linked and Identity Center's AWSReservedSSO_ roles (instanceprofiles.go)
}

// roleModifiable is checkModifiable by role name (attachments, inline
// policies); a missing role is left to the caller's own lookup.
func roleModifiable(ctx context.Context, tx store.Tx, acct, typ, name string) error {
	if typ != store.IAMEntityRole {
		return nil
	}
	r, err := tx.GetIAMRole(ctx, acct, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return checkModifiable(r)
}

// CreateServiceLinkedRole creates the service-linked role of a service.
func (s *Service) CreateServiceLinkedRole(ctx context.Context, c Caller, service, description, suffix string) (store.IAMRole, error) {
	ls, ok := linkedServices[service]
	if !ok {
		return store.IAMRole{}, invalidInput("Invalid ServiceName: %s. Service-linked roles are not supported for this service.", service)
	}
	name := "AWSServiceRoleFor" + ls.role
	if suffix != "" {
		if !ls.customSuffix {
			return store.IAMRole{}, invalidInput("Custom suffix is not allowed for %s", service)
		}
		if err := checkName("customSuffix", suffix, 64-len(name)-1); err != nil {
			return store.IAMRole{}, err
		}
		name += "_" + suffix
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":"sts:AssumeRole"}]}`
	id, err := s.uniqueID("AROA")
	if err != nil {
		return store.IAMRole{}, err
	}
	path := SLRPathPrefix + service + "/"
	r := store.IAMRole{AccountID: c.AccountID, RoleID: id, RoleName: name, Path: path, ARN: RoleARN(c.AccountID, path, name),
		AssumeRolePolicy: trust, Description: description, MaxSessionDuration: DefaultSessionDuration, CreatedAt: s.now()}
	err = s.update(ctx, "create service-linked role", func(tx store.Tx) error {
		return existsAs(tx.CreateIAMRole(ctx, r), func() error {
			return invalidInput("Service role name %s has been taken in this account, please try a different suffix.", name)
		})
	})
	return r, err
}

// DeleteServiceLinkedRole deletes a service-linked role with its policies and
// returns the deletion task's id. A task for a role already deleted is not
// found again: the role is gone (NoSuchEntity).
func (s *Service) DeleteServiceLinkedRole(ctx context.Context, c Caller, name string) (string, error) {
	var taskID string
	suffix, err := s.random("", "0123456789abcdef", 32)
	if err != nil {
		return "", err
	}
	uuid := suffix[0:8] + "-" + suffix[8:12] + "-" + suffix[12:16] + "-" + suffix[16:20] + "-" + suffix[20:32]
	err = s.update(ctx, "delete service-linked role", func(tx store.Tx) error {
		r, err := getRole(ctx, tx, c.AccountID, name)
		if err != nil {
			return err
		}
		if !IsServiceLinked(r) {
			return invalidInput("Role %s is not a service-linked role.", name)
		}
		inline, err := tx.ListIAMInlinePolicies(ctx, r.RoleID)
		if err != nil {
			return err
		}
		for _, p := range inline {
			if err := tx.DeleteIAMInlinePolicy(ctx, r.RoleID, p.PolicyName); err != nil {
				return err
			}
		}
		arns, err := tx.ListIAMAttachedPolicies(ctx, r.RoleID)
		if err != nil {
			return err
		}
		for _, a := range arns {
			if err := tx.DetachIAMPolicy(ctx, r.RoleID, a); err != nil {
				return err
			}
		}
		if err := tx.DeleteIAMRole(ctx, c.AccountID, r.RoleID); err != nil {
			return err
		}
		taskID = "task" + r.Path + r.RoleName + "/" + uuid
		return tx.CreateIAMDeletionTask(ctx, store.IAMDeletionTask{TaskID: taskID, AccountID: c.AccountID, RoleName: r.RoleName,
			Status: "SUCCEEDED", CreatedAt: s.now()})
	})
	return taskID, err
}

// ServiceLinkedRoleDeletionStatus returns a deletion task's status and failure reason.
func (s *Service) ServiceLinkedRoleDeletionStatus(ctx context.Context, c Caller, taskID string) (store.IAMDeletionTask, error) {
	if !strings.HasPrefix(taskID, "task/") {
		return store.IAMDeletionTask{}, invalidInput("Invalid deletion task id: %s", taskID)
	}
	var t store.IAMDeletionTask
	err := s.view(ctx, "get service-linked role deletion status", func(tx store.Tx) error {
		var err error
		t, err = tx.GetIAMDeletionTask(ctx, taskID)
		if errors.Is(err, store.ErrNotFound) || err == nil && t.AccountID != c.AccountID {
			return noSuchEntity("Deletion task %s cannot be found.", taskID)
		}
		return err
	})
	return t, err
}
