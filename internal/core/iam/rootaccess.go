package iam

import (
	"context"
	"errors"
	"slices"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Centralized root access for member accounts: the organization's management
// account (or IAM's delegated administrator, for reads) turns on the
// management of member accounts' root credentials and privileged root
// sessions (sts:AssumeRoot). Both need the organization in all-features mode
// and trusted access for IAM (iam.amazonaws.com) in Organizations.

// Centralized root access features, as ListOrganizationsFeatures names them.
const (
	FeatureRootCredentialsManagement = "RootCredentialsManagement"
	FeatureRootSessions              = "RootSessions"
)

// IAMServicePrincipal is IAM's service principal in Organizations.
const IAMServicePrincipal = "iam.amazonaws.com"

const orgFeatureSetting = "org-feature:" // + feature name, on the management account

// Root access management error codes (the model's shape names: these errors
// carry no code of their own).
const (
	CodeServiceAccessNotEnabled       = "ServiceAccessNotEnabledException"
	CodeOrganizationNotFound          = "OrganizationNotFoundException"
	CodeOrganizationNotInAllFeatures  = "OrganizationNotInAllFeaturesModeException"
	CodeNotManagementOrDelegatedAdmin = "AccountNotManagementOrDelegatedAdministratorException"
	CodeCallerIsNotManagementAccount  = "CallerIsNotManagementAccountException"
)

func orgFault(code, msg string) error {
	return &fault.Error{Kind: fault.Validation, Reason: code, Message: msg}
}

// orgForRootAccess checks the organization prerequisites for the caller:
// management only when write is set (the delegated administrator for IAM may read).
func orgForRootAccess(ctx context.Context, tx store.Tx, c Caller, write bool) (store.Organization, error) {
	o, err := tx.GetOrganization(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return o, orgFault(CodeOrganizationNotFound, "The request was rejected because no organization is associated with your account.")
	}
	if err != nil {
		return o, err
	}
	if _, err := tx.GetAccount(ctx, c.AccountID); errors.Is(err, store.ErrNotFound) {
		return o, orgFault(CodeOrganizationNotFound, "The request was rejected because no organization is associated with your account.")
	} else if err != nil {
		return o, err
	}
	if o.FeatureSet != "" && o.FeatureSet != "ALL" {
		return o, orgFault(CodeOrganizationNotInAllFeatures, "The request was rejected because your organization does not have All features enabled.")
	}
	if c.AccountID != o.ManagementAccountID {
		if write {
			return o, orgFault(CodeCallerIsNotManagementAccount, "The request was rejected because the account making the request is not the management account for the organization.")
		}
		admins, err := tx.ListOrgDelegatedAdmins(ctx)
		if err != nil {
			return o, err
		}
		if !slices.ContainsFunc(admins, func(d store.OrgDelegatedAdmin) bool {
			return d.AccountID == c.AccountID && d.ServicePrincipal == IAMServicePrincipal
		}) {
			return o, orgFault(CodeNotManagementOrDelegatedAdmin, "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.")
		}
	}
	enabled, err := iamTrustedAccess(ctx, tx)
	if err != nil {
		return o, err
	}
	if !enabled {
		return o, orgFault(CodeServiceAccessNotEnabled, "The request was rejected because trusted access is not enabled for IAM in Organizations.")
	}
	return o, nil
}

func iamTrustedAccess(ctx context.Context, tx store.Tx) (bool, error) {
	access, err := tx.ListOrgServiceAccess(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(access, func(a store.OrgServiceAccess) bool { return a.ServicePrincipal == IAMServicePrincipal }), nil
}

func enabledFeatures(ctx context.Context, tx store.Tx, mgmt string) ([]string, error) {
	out := []string{}
	for _, f := range []string{FeatureRootCredentialsManagement, FeatureRootSessions} {
		_, err := tx.GetIAMSetting(ctx, mgmt, orgFeatureSetting+f)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// SetOrganizationsFeature enables or disables a centralized root access
// feature; it returns the organization id and the features enabled afterwards.
// Enabling an enabled feature (or disabling a disabled one) is not an error.
func (s *Service) SetOrganizationsFeature(ctx context.Context, c Caller, feature string, enable bool) (string, []string, error) {
	var orgID string
	var features []string
	err := s.update(ctx, "set organizations feature", func(tx store.Tx) error {
		o, err := orgForRootAccess(ctx, tx, c, true)
		if err != nil {
			return err
		}
		orgID = o.ID
		if enable {
			err = tx.PutIAMSetting(ctx, o.ManagementAccountID, orgFeatureSetting+feature, s.now().Format("2006-01-02T15:04:05Z"))
		} else {
			err = tx.DeleteIAMSetting(ctx, o.ManagementAccountID, orgFeatureSetting+feature)
		}
		if err != nil {
			return err
		}
		features, err = enabledFeatures(ctx, tx, o.ManagementAccountID)
		return err
	})
	return orgID, features, err
}

// ListOrganizationsFeatures returns the organization id and its enabled
// centralized root access features.
func (s *Service) ListOrganizationsFeatures(ctx context.Context, c Caller) (string, []string, error) {
	var orgID string
	var features []string
	err := s.view(ctx, "list organizations features", func(tx store.Tx) error {
		o, err := orgForRootAccess(ctx, tx, c, false)
		if err != nil {
			return err
		}
		orgID = o.ID
		features, err = enabledFeatures(ctx, tx, o.ManagementAccountID)
		return err
	})
	return orgID, features, err
}

// RootSessionsEnabled reports whether privileged root sessions for member
// accounts (sts:AssumeRoot) are enabled: the organization exists, IAM has
// trusted access and the RootSessions feature is on.
func (s *Service) RootSessionsEnabled(ctx context.Context) (bool, error) {
	return s.featureEnabled(ctx, FeatureRootSessions)
}

// RootCredentialsManagementEnabled reports whether the management of member
// accounts' root credentials is enabled.
func (s *Service) RootCredentialsManagementEnabled(ctx context.Context) (bool, error) {
	return s.featureEnabled(ctx, FeatureRootCredentialsManagement)
}

func (s *Service) featureEnabled(ctx context.Context, feature string) (bool, error) {
	on := false
	err := s.view(ctx, "organizations feature", func(tx store.Tx) error {
		o, err := tx.GetOrganization(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if ok, err := iamTrustedAccess(ctx, tx); err != nil || !ok {
			return err
		}
		_, err = tx.GetIAMSetting(ctx, o.ManagementAccountID, orgFeatureSetting+feature)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		on = err == nil
		return err
	})
	return on, err
}
