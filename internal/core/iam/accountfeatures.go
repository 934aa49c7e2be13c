package iam

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// Account-level features: the STS global endpoint token version
// (SetSecurityTokenServicePreferences, reported by GetAccountSummary) and
// outbound web identity federation (an issuer URL per account, on or off).

const (
	settingTokenVersion     = "sts-global-endpoint-token-version"
	settingOutboundIssuer   = "outbound-federation-issuer"
	settingOutboundDisabled = "outbound-federation-disabled"
)

// Outbound federation error codes.
const (
	CodeFeatureEnabled  = "FeatureEnabled"
	CodeFeatureDisabled = "FeatureDisabled"
)

// SetSecurityTokenServicePreferences sets the version of session tokens the
// global STS endpoint issues: v1Token or v2Token.
func (s *Service) SetSecurityTokenServicePreferences(ctx context.Context, c Caller, version string) error {
	if version != "v1Token" && version != "v2Token" {
		return invalidInput("GlobalEndpointTokenVersion must be v1Token or v2Token.")
	}
	return s.update(ctx, "set security token service preferences", func(tx store.Tx) error {
		return tx.PutIAMSetting(ctx, c.AccountID, settingTokenVersion, version)
	})
}

// globalEndpointTokenVersion is GetAccountSummary's GlobalEndpointTokenVersion: 1 or 2.
func globalEndpointTokenVersion(ctx context.Context, tx store.Tx, acct string) (int, error) {
	v, err := tx.GetIAMSetting(ctx, acct, settingTokenVersion)
	if errors.Is(err, store.ErrNotFound) {
		return 1, nil
	}
	if err != nil {
		return 0, err
	}
	if v == "v2Token" {
		return 2, nil
	}
	return 1, nil
}

// OutboundFederation is the account's outbound web identity federation.
type OutboundFederation struct {
	IssuerIdentifier string
	Enabled          bool
}

// EnableOutboundWebIdentityFederation turns the feature on, giving the
// account its issuer URL on first use; FeatureEnabled when it is on.
func (s *Service) EnableOutboundWebIdentityFederation(ctx context.Context, c Caller) (string, error) {
	var issuer string
	id, err := s.newJobID()
	if err != nil {
		return "", err
	}
	err = s.update(ctx, "enable outbound web identity federation", func(tx store.Tx) error {
		f, err := outbound(ctx, tx, c.AccountID)
		if err != nil {
			return err
		}
		if f.Enabled {
			return &fault.Error{Kind: fault.Conflict, Reason: CodeFeatureEnabled,
				Message: "Outbound identity federation is already enabled for this account."}
		}
		issuer = f.IssuerIdentifier
		if issuer == "" {
			issuer = "https://" + strings.ToLower(id) + ".tokens.sts.global.api.aws"
			if err := tx.PutIAMSetting(ctx, c.AccountID, settingOutboundIssuer, issuer); err != nil {
				return err
			}
		}
		return tx.DeleteIAMSetting(ctx, c.AccountID, settingOutboundDisabled)
	})
	return issuer, err
}

// DisableOutboundWebIdentityFederation turns the feature off (the issuer is
// kept); FeatureDisabled when it is off.
func (s *Service) DisableOutboundWebIdentityFederation(ctx context.Context, c Caller) error {
	return s.update(ctx, "disable outbound web identity federation", func(tx store.Tx) error {
		f, err := outbound(ctx, tx, c.AccountID)
		if err != nil {
			return err
		}
		if !f.Enabled {
			return featureDisabled()
		}
		return tx.PutIAMSetting(ctx, c.AccountID, settingOutboundDisabled, "true")
	})
}

// GetOutboundWebIdentityFederationInfo returns the issuer and whether the
// feature is on; FeatureDisabled when it was never enabled.
func (s *Service) GetOutboundWebIdentityFederationInfo(ctx context.Context, c Caller) (OutboundFederation, error) {
	var f OutboundFederation
	err := s.view(ctx, "get outbound web identity federation info", func(tx store.Tx) error {
		var err error
		f, err = outbound(ctx, tx, c.AccountID)
		if err == nil && f.IssuerIdentifier == "" {
			return featureDisabled()
		}
		return err
	})
	return f, err
}

func featureDisabled() error {
	return &fault.Error{Kind: fault.NotFound, Reason: CodeFeatureDisabled,
		Message: "Outbound identity federation is disabled for this account."}
}

func outbound(ctx context.Context, tx store.Tx, acct string) (OutboundFederation, error) {
	issuer, err := tx.GetIAMSetting(ctx, acct, settingOutboundIssuer)
	if errors.Is(err, store.ErrNotFound) {
		return OutboundFederation{}, nil
	}
	if err != nil {
		return OutboundFederation{}, err
	}
	_, err = tx.GetIAMSetting(ctx, acct, settingOutboundDisabled)
	if errors.Is(err, store.ErrNotFound) {
		return OutboundFederation{IssuerIdentifier: issuer, Enabled: true}, nil
	}
	return OutboundFederation{IssuerIdentifier: issuer}, err
}
