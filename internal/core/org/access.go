package org

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// anyAccountOps are the operations any account may call: the organization's
// description, leaving, the handshakes it received, its own effective
// policies and transfers it takes part in (the operations check the rest),
// and creating an organization.
var anyAccountOps = map[string]bool{
	"DescribeOrganization": true, "LeaveOrganization": true, "CreateOrganization": true,
	"AcceptHandshake": true, "DeclineHandshake": true, "DescribeHandshake": true, "ListHandshakesForAccount": true,
	"CancelHandshake": true, "DescribeEffectivePolicy": true,
	"DescribeResponsibilityTransfer": true, "ListInboundResponsibilityTransfers": true,
}

var allowAll = func() *policy.Policy {
	p, err := policy.Compile(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, policy.KindIdentity)
	if err != nil {
		panic(err)
	}
	return p
}()

// MayCall decides whether a principal of a member (or outside) account may
// call an Organizations operation at all, after IAM allowed it: most
// operations belong to the management account; any account may call the
// few in anyAccountOps; a delegated administrator (of any service) may call
// the read-only Describe*/List* operations; and the organization's resource
// policy can delegate more to other accounts' principals. The management
// account always may.
func (s *Service) MayCall(ctx context.Context, callerAccount, principalARN, roleARN, op, resource string) error {
	if anyAccountOps[op] {
		return nil
	}
	var ok bool
	err := s.Store.View(ctx, func(tx store.Tx) error {
		o, err := tx.GetOrganization(ctx)
		if err != nil {
			return err
		}
		if callerAccount == o.ManagementAccountID {
			ok = true
			return nil
		}
		if strings.HasPrefix(op, "Describe") || strings.HasPrefix(op, "List") {
			ds, err := tx.ListOrgDelegatedAdmins(ctx)
			if err != nil {
				return err
			}
			for _, d := range ds {
				if d.AccountID == callerAccount {
					ok = true
					return nil
				}
			}
		}
		rp, err := tx.GetOrgResourcePolicy(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		p, err := policy.Compile(rp.Content, policy.KindResource)
		if err != nil {
			return nil // stored documents were validated; a bad one delegates nothing
		}
		d := policy.Evaluate(&policy.Request{Action: "organizations:" + op, Resource: resource, PrincipalARN: principalARN,
			PrincipalAccount: callerAccount, RoleARN: roleARN, ResourceAccount: o.ManagementAccountID, Context: map[string][]string{}},
			&policy.PolicySet{Identity: []*policy.Policy{allowAll}, Resource: p})
		ok = d.Allowed
		return nil
	})
	if err != nil {
		return wrap("authorise", err)
	}
	if !ok {
		return accessDenied()
	}
	return nil
}
