package world

// The organization's trusted services and delegated administrators.

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Delegation makes a member account the delegated administrator of
// services (their trusted access is enabled when it is not).
type Delegation struct {
	Account  string   `yaml:"account"`
	Services []string `yaml:"services"`
}

var servicePrincipalRe = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)

// delegations validates the trusted services and the delegated
// administrators (their accounts are checked against the store by Apply).
func (v *validator) delegations(o *Organization) {
	seen := map[string]bool{}
	for i := range o.TrustedServices {
		p := fmt.Sprintf("organization.trustedServices[%d]", i)
		v.expand(p, &o.TrustedServices[i])
		s := o.TrustedServices[i]
		if !servicePrincipalRe.MatchString(s) {
			v.add(p, "%q is not a service principal (sso.amazonaws.com)", s)
		} else if seen[s] {
			v.add(p, "%s is listed twice", s)
		}
		seen[s] = true
	}
	byAccount := map[string]bool{}
	for i := range o.DelegatedAdmins {
		d := &o.DelegatedAdmins[i]
		p := fmt.Sprintf("organization.delegatedAdministrators[%d]", i)
		v.expand(p+".account", &d.Account)
		switch {
		case !accountIDRe.MatchString(d.Account):
			v.add(p+".account", "%q is not a 12-digit account id", d.Account)
		case byAccount[d.Account]:
			v.add(p+".account", "account %s is listed twice", d.Account)
		}
		byAccount[d.Account] = true
		if len(d.Services) == 0 {
			v.add(p+".services", "is required")
		}
		services := map[string]bool{}
		for j := range d.Services {
			sp := fmt.Sprintf("%s.services[%d]", p, j)
			v.expand(sp, &d.Services[j])
			s := d.Services[j]
			if !servicePrincipalRe.MatchString(s) {
				v.add(sp, "%q is not a service principal (sso.amazonaws.com)", s)
			} else if services[s] {
				v.add(sp, "%s is listed twice", s)
			}
			services[s] = true
		}
	}
}

// applyDelegations enables the trusted services and registers the delegated
// administrators (after the accounts exist).
func (t Target) applyDelegations(ctx context.Context, w *World) error {
	o := w.Organization
	if o == nil || t.Org == nil || len(o.TrustedServices)+len(o.DelegatedAdmins) == 0 {
		return nil
	}
	enabled := map[string]bool{}
	have, _, err := t.Org.ListServiceAccess(ctx, 1000, "")
	if err != nil {
		return fmt.Errorf("%s: trusted services: %w", w.file, err)
	}
	for _, a := range have {
		enabled[a.ServicePrincipal] = true
	}
	enable := func(p, s string) error {
		if enabled[s] {
			return nil
		}
		if err := t.Org.EnableServiceAccess(ctx, s); err != nil {
			return w.Errorf(p, "%w", err)
		}
		enabled[s] = true
		return nil
	}
	for i, s := range o.TrustedServices {
		if err := enable(fmt.Sprintf("organization.trustedServices[%d]", i), s); err != nil {
			return err
		}
	}
	for i, d := range o.DelegatedAdmins {
		p := fmt.Sprintf("organization.delegatedAdministrators[%d]", i)
		for j, s := range d.Services {
			sp := fmt.Sprintf("%s.services[%d]", p, j)
			registered, err := t.Org.IsDelegatedAdmin(ctx, d.Account, s)
			if err != nil {
				return w.Errorf(sp, "%w", err)
			}
			if registered {
				continue
			}
			if err := enable(sp, s); err != nil {
				return err
			}
			if err := t.Org.RegisterDelegatedAdmin(ctx, d.Account, s); err != nil {
				return w.Errorf(sp, "%w", err)
			}
		}
	}
	return nil
}

// delegations exports the trusted services and delegated administrators.
func (x exporter) delegations(ctx context.Context, out *Organization) error {
	access, err := x.tx.ListOrgServiceAccess(ctx)
	if err != nil {
		return err
	}
	for _, a := range access {
		out.TrustedServices = append(out.TrustedServices, a.ServicePrincipal)
	}
	sort.Strings(out.TrustedServices)
	ds, err := x.tx.ListOrgDelegatedAdmins(ctx)
	if err != nil {
		return err
	}
	byAccount := map[string]int{} // account id -> index in DelegatedAdmins
	for _, d := range ds {
		i, ok := byAccount[d.AccountID]
		if !ok {
			i = len(out.DelegatedAdmins)
			byAccount[d.AccountID] = i
			out.DelegatedAdmins = append(out.DelegatedAdmins, Delegation{Account: d.AccountID})
		}
		out.DelegatedAdmins[i].Services = append(out.DelegatedAdmins[i].Services, d.ServicePrincipal)
	}
	for i := range out.DelegatedAdmins {
		sort.Strings(out.DelegatedAdmins[i].Services)
	}
	sort.Slice(out.DelegatedAdmins, func(i, j int) bool {
		return strings.Compare(out.DelegatedAdmins[i].Account, out.DelegatedAdmins[j].Account) < 0
	})
	return nil
}
