package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runIAMReports checks store.IAMReportsRepo: key and service use (newer uses
// win), settings, report jobs, deletion tasks and delegation requests.
func runIAMReports(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("KeyUsage", func(t *testing.T) {
		s := fresh(t, open)
		first := store.IAMKeyUsage{AccessKeyID: "AKIAUSED", AccountID: iamAcct, UsedAt: ts, ServiceName: "iam", Region: "us-east-1"}
		update(t, s, func(tx store.Tx) error { return tx.PutIAMKeyUsage(ctx, []store.IAMKeyUsage{first}) })
		later := first
		later.UsedAt, later.ServiceName, later.Region = ts.Add(time.Minute), "sts", "eu-west-1"
		update(t, s, func(tx store.Tx) error { return tx.PutIAMKeyUsage(ctx, []store.IAMKeyUsage{later}) })
		older := first
		older.UsedAt, older.ServiceName = ts.Add(-time.Hour), "sso"
		update(t, s, func(tx store.Tx) error { return tx.PutIAMKeyUsage(ctx, []store.IAMKeyUsage{older}) }) // ignored
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMKeyUsage(ctx, "AKIAUSED")
			if err != nil {
				t.Fatalf("GetIAMKeyUsage: %v", err)
			}
			same(t, "key usage", got, later)
			_, err = tx.GetIAMKeyUsage(ctx, "AKIANEVER")
			wantErr(t, "never used", err, store.ErrNotFound)
			return nil
		})
	})

	t.Run("RootAccessKeys", func(t *testing.T) {
		s := fresh(t, open)
		root := "arn:aws:iam::" + iamAcct + ":root"
		k1 := store.AccessKey{AccessKeyID: "AKIAROOT1", SecretAccessKey: "s1", AccountID: iamAcct, PrincipalARN: root, Status: "Active", CreatedAt: ts}
		k2 := store.AccessKey{AccessKeyID: "AKIAROOT0", SecretAccessKey: "s2", AccountID: iamAcct, PrincipalARN: root, Status: "Inactive", CreatedAt: ts.Add(time.Hour)}
		other := store.AccessKey{AccessKeyID: "AKIAOTHER", SecretAccessKey: "s3", AccountID: iamOther, PrincipalARN: "arn:aws:iam::" + iamOther + ":root", Status: "Active", CreatedAt: ts}
		for _, k := range []store.AccessKey{k2, k1, other} {
			update(t, s, func(tx store.Tx) error { return tx.CreateAccessKey(ctx, k) })
		}
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ListRootAccessKeys(ctx, iamAcct)
			if err != nil {
				t.Fatalf("ListRootAccessKeys: %v", err)
			}
			same(t, "root keys", got, []store.AccessKey{k1, k2})
			return nil
		})
	})

	t.Run("ServiceUse", func(t *testing.T) {
		s := fresh(t, open)
		alice := "arn:aws:iam::" + iamAcct + ":user/alice"
		uses := []store.IAMServiceUse{
			{AccountID: iamAcct, PrincipalARN: alice, ServiceNamespace: "sts", Action: "GetCallerIdentity", Region: "us-east-1", LastUsed: ts},
			{AccountID: iamAcct, PrincipalARN: alice, ServiceNamespace: "iam", Action: "ListUsers", Region: "us-east-1", LastUsed: ts},
			{AccountID: iamOther, PrincipalARN: "arn:aws:iam::" + iamOther + ":root", ServiceNamespace: "iam", Action: "ListUsers", Region: "us-east-1", LastUsed: ts},
		}
		update(t, s, func(tx store.Tx) error { return tx.PutIAMServiceUse(ctx, uses) })
		newer := uses[0]
		newer.Action, newer.LastUsed = "GetSessionToken", ts.Add(time.Second)
		stale := uses[1]
		stale.Action, stale.LastUsed = "GetUser", ts.Add(-time.Second)
		update(t, s, func(tx store.Tx) error { return tx.PutIAMServiceUse(ctx, []store.IAMServiceUse{newer, stale}) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ListIAMServiceUse(ctx, iamAcct)
			if err != nil {
				t.Fatalf("ListIAMServiceUse: %v", err)
			}
			same(t, "service use", got, []store.IAMServiceUse{uses[1], newer})
			return nil
		})
	})

	t.Run("Settings", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error { return tx.PutIAMSetting(ctx, iamAcct, "a", "1") })
		update(t, s, func(tx store.Tx) error { return tx.PutIAMSetting(ctx, iamAcct, "a", "2") })
		view(t, s, func(tx store.Tx) error {
			v, err := tx.GetIAMSetting(ctx, iamAcct, "a")
			if err != nil || v != "2" {
				t.Fatalf("GetIAMSetting = %q, %v", v, err)
			}
			_, err = tx.GetIAMSetting(ctx, iamOther, "a")
			wantErr(t, "other account", err, store.ErrNotFound)
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMSetting(ctx, iamAcct, "a") })
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMSetting(ctx, iamAcct, "a") }) // absent: no error
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetIAMSetting(ctx, iamAcct, "a")
			wantErr(t, "deleted", err, store.ErrNotFound)
			return nil
		})
	})

	t.Run("JobsAndTasks", func(t *testing.T) {
		s := fresh(t, open)
		j := store.IAMReportJob{JobID: "job-1", AccountID: iamAcct, Kind: "service", Params: `{"arn":"x"}`, CreatedAt: ts}
		d := store.IAMDeletionTask{TaskID: "task/aws-service-role/x/1", AccountID: iamAcct, RoleName: "AWSServiceRoleForX", Status: "SUCCEEDED", CreatedAt: ts}
		update(t, s, func(tx store.Tx) error { return tx.CreateIAMReportJob(ctx, j) })
		update(t, s, func(tx store.Tx) error { return tx.CreateIAMDeletionTask(ctx, d) })
		wantErr(t, "duplicate job", s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMReportJob(ctx, j) }), store.ErrAlreadyExists)
		wantErr(t, "duplicate task", s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMDeletionTask(ctx, d) }), store.ErrAlreadyExists)
		view(t, s, func(tx store.Tx) error {
			gj, err := tx.GetIAMReportJob(ctx, "job-1")
			if err != nil {
				t.Fatalf("GetIAMReportJob: %v", err)
			}
			same(t, "job", gj, j)
			gd, err := tx.GetIAMDeletionTask(ctx, d.TaskID)
			if err != nil {
				t.Fatalf("GetIAMDeletionTask: %v", err)
			}
			same(t, "task", gd, d)
			_, err = tx.GetIAMReportJob(ctx, "job-2")
			wantErr(t, "no job", err, store.ErrNotFound)
			_, err = tx.GetIAMDeletionTask(ctx, "task-2")
			wantErr(t, "no task", err, store.ErrNotFound)
			return nil
		})
	})

	t.Run("DelegationRequests", func(t *testing.T) {
		s := fresh(t, open)
		r1 := store.IAMDelegationRequest{RequestID: "dr-1", AccountID: iamAcct, State: "UNASSIGNED", Body: `{}`, CreatedAt: ts, UpdatedAt: ts}
		r2 := store.IAMDelegationRequest{RequestID: "dr-2", AccountID: iamOther, OwnerAccountID: iamAcct, State: "ASSIGNED", Body: `{}`, CreatedAt: ts, UpdatedAt: ts}
		r3 := store.IAMDelegationRequest{RequestID: "dr-3", AccountID: iamOther, State: "UNASSIGNED", Body: `{}`, CreatedAt: ts, UpdatedAt: ts}
		for _, r := range []store.IAMDelegationRequest{r1, r2, r3} {
			update(t, s, func(tx store.Tx) error { return tx.CreateIAMDelegationRequest(ctx, r) })
		}
		wantErr(t, "duplicate", s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMDelegationRequest(ctx, r1) }), store.ErrAlreadyExists)
		r1.State, r1.OwnerAccountID, r1.Body, r1.UpdatedAt = "ACCEPTED", iamOther, `{"Notes":"ok"}`, ts.Add(time.Hour)
		update(t, s, func(tx store.Tx) error { return tx.ReplaceIAMDelegationRequest(ctx, r1) })
		missing := r1
		missing.RequestID = "dr-9"
		wantErr(t, "replace missing", s.Update(ctx, func(tx store.Tx) error { return tx.ReplaceIAMDelegationRequest(ctx, missing) }), store.ErrNotFound)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMDelegationRequest(ctx, "dr-1")
			if err != nil {
				t.Fatalf("GetIAMDelegationRequest: %v", err)
			}
			same(t, "request", got, r1)
			list, err := tx.ListIAMDelegationRequests(ctx, iamAcct)
			if err != nil {
				t.Fatalf("ListIAMDelegationRequests: %v", err)
			}
			same(t, "list", list, []store.IAMDelegationRequest{r1, r2})
			_, err = tx.GetIAMDelegationRequest(ctx, "dr-9")
			wantErr(t, "absent", err, store.ErrNotFound)
			return nil
		})
	})
}
