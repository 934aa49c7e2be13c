package iam

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/core/bootstrap"
	"github.com/idcenter/idcenter/internal/store"
)

// TestCredentialReportLifetime walks a report through its four hours:
// absent, generated (STARTED), kept (COMPLETE), expired, generated again.
func TestCredentialReportLifetime(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	now := clock
	s.Now = func() time.Time { return now }

	steps := []struct {
		name     string
		advance  time.Duration
		generate string // expected state, "" for no generation
		getCode  string // expected error reason of the read, "" for success
	}{
		{"before any", 0, "", CodeReportNotPresent},
		{"first generation", 0, ReportStarted, ""},
		{"within four hours", 3*time.Hour + 59*time.Minute, ReportComplete, ""},
		{"four hours after", time.Minute, "", CodeReportExpired},
		{"generated again", 0, ReportStarted, ""},
	}
	var last time.Time
	for _, st := range steps {
		now = now.Add(st.advance)
		if st.generate != "" {
			state, err := s.GenerateCredentialReport(ctx, root)
			if err != nil || state != st.generate {
				t.Fatalf("%s: GenerateCredentialReport = %q, %v; want %q", st.name, state, err, st.generate)
			}
		}
		r, err := s.GetCredentialReport(ctx, root)
		if got := reason(err); got != st.getCode {
			t.Fatalf("%s: GetCredentialReport error %q (%v), want %q", st.name, got, err, st.getCode)
		}
		if err == nil {
			if !strings.HasPrefix(string(r.Content), strings.Join(CredentialReportColumns, ",")+"\n") {
				t.Fatalf("%s: report header = %q", st.name, strings.SplitN(string(r.Content), "\n", 2)[0])
			}
			if st.generate == ReportStarted {
				last = now
			}
			if !r.Generated.Equal(last) {
				t.Errorf("%s: GeneratedTime = %v, want %v", st.name, r.Generated, last)
			}
		}
	}
}

// TestRootAccessNeedsAnOrganization checks the organization prerequisites of
// centralized root access on a store without one.
func TestRootAccessNeedsAnOrganization(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, _, err := s.ListOrganizationsFeatures(ctx, root); reason(err) != CodeOrganizationNotFound {
		t.Fatalf("ListOrganizationsFeatures without an organization: %v, want %s", err, CodeOrganizationNotFound)
	}
	if _, _, err := s.SetOrganizationsFeature(ctx, root, FeatureRootSessions, true); reason(err) != CodeOrganizationNotFound {
		t.Fatalf("enable without an organization: %v, want %s", err, CodeOrganizationNotFound)
	}
	if on, err := s.RootSessionsEnabled(ctx); err != nil || on {
		t.Fatalf("RootSessionsEnabled = %v, %v; want false", on, err)
	}
}

// TestRootAccessManagementAccountOnly checks who may change and read the
// centralized root access features: the management account; a member
// account neither, unless it is IAM's delegated administrator, which may read.
func TestRootAccessManagementAccountOnly(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, err := (&bootstrap.Bootstrapper{Store: s.Store, Now: s.Now, Rand: rand.Reader}).Run(ctx, bootstrap.Params{AccountID: root.AccountID,
		Region: "us-east-1", MemberAccounts: map[string]string{"210987654321": "member"}}); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	member := Caller{AccountID: "210987654321", ARN: "arn:aws:iam::210987654321:root", IsRoot: true}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		return tx.PutOrgServiceAccess(ctx, store.OrgServiceAccess{ServicePrincipal: IAMServicePrincipal, EnabledAt: clock})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SetOrganizationsFeature(ctx, root, FeatureRootSessions, true); err != nil {
		t.Fatalf("management account enables: %v", err)
	}
	if on, err := s.RootSessionsEnabled(ctx); err != nil || !on {
		t.Fatalf("RootSessionsEnabled = %v, %v; want true", on, err)
	}
	if _, _, err := s.SetOrganizationsFeature(ctx, member, FeatureRootSessions, false); reason(err) != CodeCallerIsNotManagementAccount {
		t.Fatalf("member disables: %v, want %s", err, CodeCallerIsNotManagementAccount)
	}
	if _, _, err := s.ListOrganizationsFeatures(ctx, member); reason(err) != CodeNotManagementOrDelegatedAdmin {
		t.Fatalf("member lists: %v, want %s", err, CodeNotManagementOrDelegatedAdmin)
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateOrgDelegatedAdmin(ctx, store.OrgDelegatedAdmin{AccountID: member.AccountID, ServicePrincipal: IAMServicePrincipal})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, features, err := s.ListOrganizationsFeatures(ctx, member); err != nil || strings.Join(features, ",") != FeatureRootSessions {
		t.Fatalf("delegated administrator lists: %v, %v", features, err)
	}
	// Trusted access withdrawn: the feature no longer applies.
	if err := s.Store.Update(ctx, func(tx store.Tx) error { return tx.DeleteOrgServiceAccess(ctx, IAMServicePrincipal) }); err != nil {
		t.Fatal(err)
	}
	if on, err := s.RootSessionsEnabled(ctx); err != nil || on {
		t.Fatalf("RootSessionsEnabled without trusted access = %v, %v; want false", on, err)
	}
}
