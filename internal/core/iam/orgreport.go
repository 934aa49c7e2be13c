package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// The Organizations access report: for an organization entity path
// (o-…/r-…[/ou-…]*[/account]), the services accessed by principals of the
// accounts under it, when last and from which account; with an SCP id, only
// the services that SCP allows. Only the management account may generate one.

// OrgAccessDetail is one service of an Organizations access report.
type OrgAccessDetail struct {
	Namespace, Name   string
	Region            string
	EntityPath        string
	LastAuthenticated time.Time
	TotalEntities     int
}

type orgReport struct {
	Completed time.Time
	Details   []OrgAccessDetail
}

// OrgAccessReport is a read page of an Organizations access report.
type OrgAccessReport struct {
	Job         AccessJob
	Accessible  int
	NotAccessed int
	Details     Page[OrgAccessDetail]
}

var entityPathPattern = regexp.MustCompile(`^o-[a-z0-9]{10,32}/r-[0-9a-z]{4,32}(/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*(/[0-9]{12})?$`)

type accountPath struct{ id, path string }

// accountsUnder lists the accounts under parent with their entity paths.
func accountsUnder(ctx context.Context, tx store.Tx, parent, path string) ([]accountPath, error) {
	accts, err := tx.ListAccountsForParent(ctx, parent, store.Page{})
	if err != nil {
		return nil, err
	}
	var out []accountPath
	for _, a := range accts {
		out = append(out, accountPath{a.ID, path + "/" + a.ID})
	}
	ous, err := tx.ListOrgUnits(ctx, parent, store.Page{})
	if err != nil {
		return nil, err
	}
	for _, ou := range ous {
		more, err := accountsUnder(ctx, tx, ou.ID, path+"/"+ou.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// GenerateOrganizationsAccessReport computes the report and returns its job id.
func (s *Service) GenerateOrganizationsAccessReport(ctx context.Context, c Caller, entityPath, policyID string) (string, error) {
	if !entityPathPattern.MatchString(entityPath) {
		return "", invalidInput("Invalid entity path: %s", entityPath)
	}
	if err := s.flushUsage(ctx); err != nil {
		return "", err
	}
	jobID, err := s.newJobID()
	if err != nil {
		return "", err
	}
	now := s.now()
	err = s.update(ctx, "generate organizations access report", func(tx store.Tx) error {
		o, err := tx.GetOrganization(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return orgFault(CodeOrganizationNotFound, "The request was rejected because no organization is associated with your account.")
		}
		if err != nil {
			return err
		}
		if c.AccountID != o.ManagementAccountID {
			return orgFault(CodeCallerIsNotManagementAccount, "The request was rejected because the account making the request is not the management account for the organization.")
		}
		segs := strings.Split(entityPath, "/")
		if segs[0] != o.ID {
			return invalidInput("Invalid entity path: %s is not in organization %s", entityPath, o.ID)
		}
		last := segs[len(segs)-1]
		var accounts []accountPath
		if len(last) == 12 && !strings.HasPrefix(last, "ou-") && !strings.HasPrefix(last, "r-") {
			parent, err := tx.GetAccountParent(ctx, last)
			if err != nil || parent != segs[len(segs)-2] {
				return invalidInput("Invalid entity path: %s", entityPath)
			}
			accounts = []accountPath{{last, entityPath}}
		} else {
			if len(segs) > 2 {
				ou, err := tx.GetOrgUnit(ctx, last)
				if err != nil || ou.ParentID != segs[len(segs)-2] {
					return invalidInput("Invalid entity path: %s", entityPath)
				}
			} else if r, err := tx.GetOrgRoot(ctx); err != nil || r.ID != last {
				return invalidInput("Invalid entity path: %s", entityPath)
			}
			if accounts, err = accountsUnder(ctx, tx, last, entityPath); err != nil {
				return err
			}
		}
		var uses []store.IAMServiceUse
		pathOf := map[string]string{}
		for _, a := range accounts {
			pathOf[a.id] = a.path
			u, err := tx.ListIAMServiceUse(ctx, a.id)
			if err != nil {
				return err
			}
			uses = append(uses, u...)
		}
		set := map[string]bool{}
		if policyID != "" {
			pol, err := tx.GetOrgPolicy(ctx, policyID)
			if errors.Is(err, store.ErrNotFound) {
				return noSuchEntity("The policy %s cannot be found.", policyID)
			}
			if err != nil {
				return err
			}
			p, err := policy.Compile(pol.Content, policy.KindSCP)
			if err != nil {
				return err
			}
			for _, ns := range p.AllowedServices() {
				set[ns] = true
			}
		} else {
			set["*"] = true
		}
		if set["*"] {
			delete(set, "*")
			for _, ns := range servedNamespaces {
				set[ns] = true
			}
			for _, u := range uses {
				set[u.ServiceNamespace] = true
			}
		}
		rep := orgReport{Completed: now}
		for ns := range set {
			d := OrgAccessDetail{Namespace: ns, Name: ServiceName(ns)}
			accessed := map[string]bool{}
			for _, u := range uses {
				if u.ServiceNamespace != ns {
					continue
				}
				accessed[u.AccountID] = true
				if u.LastUsed.After(d.LastAuthenticated) {
					d.LastAuthenticated, d.Region, d.EntityPath = u.LastUsed, u.Region, pathOf[u.AccountID]
				}
			}
			d.TotalEntities = len(accessed)
			rep.Details = append(rep.Details, d)
		}
		sort.Slice(rep.Details, func(i, j int) bool { return rep.Details[i].Namespace < rep.Details[j].Namespace })
		body, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		return tx.CreateIAMReportJob(ctx, store.IAMReportJob{JobID: jobID, AccountID: c.AccountID, Kind: jobKindOrganizations,
			Params: string(body), CreatedAt: now})
	})
	return jobID, err
}

// OrganizationsAccessReport reads a report, sorted by sortKey
// (SERVICE_NAMESPACE_ASCENDING by default).
func (s *Service) OrganizationsAccessReport(ctx context.Context, c Caller, jobID, sortKey, marker string, max int) (OrgAccessReport, error) {
	var out OrgAccessReport
	var rep orgReport
	err := s.view(ctx, "get organizations access report", func(tx store.Tx) error {
		j, err := tx.GetIAMReportJob(ctx, jobID)
		if errors.Is(err, store.ErrNotFound) || err == nil && (j.AccountID != c.AccountID || j.Kind != jobKindOrganizations) {
			return noSuchEntity("The job with id %s cannot be found.", jobID)
		}
		if err != nil {
			return err
		}
		out.Job = AccessJob{JobID: jobID, Status: JobCompleted, Created: j.CreatedAt}
		return json.Unmarshal([]byte(j.Params), &rep)
	})
	if err != nil {
		return out, err
	}
	out.Job.Completed = rep.Completed
	details := rep.Details
	for _, d := range details {
		if d.LastAuthenticated.IsZero() {
			out.NotAccessed++
		}
	}
	out.Accessible = len(details)
	less := func(i, j int) bool { return details[i].Namespace < details[j].Namespace }
	switch sortKey {
	case "SERVICE_NAMESPACE_DESCENDING":
		less = func(i, j int) bool { return details[i].Namespace > details[j].Namespace }
	case "LAST_AUTHENTICATED_TIME_ASCENDING":
		less = func(i, j int) bool { return details[i].LastAuthenticated.Before(details[j].LastAuthenticated) }
	case "LAST_AUTHENTICATED_TIME_DESCENDING":
		less = func(i, j int) bool { return details[i].LastAuthenticated.After(details[j].LastAuthenticated) }
	}
	sort.SliceStable(details, less)
	type keyed struct {
		k string
		d OrgAccessDetail
	}
	ks := make([]keyed, len(details))
	for i, d := range details {
		ks[i] = keyed{k: fmt.Sprintf("%08d", i), d: d}
	}
	p, err := pageSlice(ks, marker, max, func(x keyed) string { return x.k })
	if err != nil {
		return out, err
	}
	out.Details = Page[OrgAccessDetail]{Items: mapItems(p.Items, func(x keyed) OrgAccessDetail { return x.d }), Marker: p.Marker}
	return out, nil
}
