package sqlstore

import (
	"context"
	"database/sql"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- access key and service use ----

func (t *tx) PutIAMKeyUsage(ctx context.Context, uses []store.IAMKeyUsage) error {
	for _, u := range uses {
		if _, err := t.exec(ctx, "store: put key usage of "+u.AccessKeyID,
			`INSERT INTO iam_key_usage (access_key_id, account_id, used_at, service_name, region) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (access_key_id) DO UPDATE SET used_at = excluded.used_at, service_name = excluded.service_name,
			 region = excluded.region WHERE iam_key_usage.used_at < excluded.used_at`,
			u.AccessKeyID, u.AccountID, u.UsedAt.UTC().UnixNano(), u.ServiceName, u.Region); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) GetIAMKeyUsage(ctx context.Context, accessKeyID string) (store.IAMKeyUsage, error) {
	return collectOne(ctx, t, "store: get key usage of "+accessKeyID,
		`SELECT access_key_id, account_id, used_at, service_name, region FROM iam_key_usage WHERE access_key_id = ?`,
		[]any{accessKeyID}, func(sc scanner) (store.IAMKeyUsage, error) {
			var u store.IAMKeyUsage
			var at sql.NullInt64
			err := sc.Scan(&u.AccessKeyID, &u.AccountID, &at, &u.ServiceName, &u.Region)
			u.UsedAt = fromDB(at)
			return u, err
		})
}

func (t *tx) PutIAMServiceUse(ctx context.Context, uses []store.IAMServiceUse) error {
	for _, u := range uses {
		if _, err := t.exec(ctx, "store: put service use of "+u.PrincipalARN,
			`INSERT INTO iam_service_use (account_id, principal_arn, service_namespace, action, region, last_used) VALUES (?, ?, ?, ?, ?, ?)
			 ON CONFLICT (principal_arn, service_namespace) DO UPDATE SET action = excluded.action, region = excluded.region,
			 last_used = excluded.last_used WHERE iam_service_use.last_used < excluded.last_used`,
			u.AccountID, u.PrincipalARN, u.ServiceNamespace, u.Action, u.Region, u.LastUsed.UTC().UnixNano()); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) ListIAMServiceUse(ctx context.Context, accountID string) ([]store.IAMServiceUse, error) {
	return collect(ctx, t, "store: list service use of "+accountID,
		`SELECT account_id, principal_arn, service_namespace, action, region, last_used FROM iam_service_use
		 WHERE account_id = ? ORDER BY principal_arn, service_namespace`, []any{accountID},
		func(sc scanner) (store.IAMServiceUse, error) {
			var u store.IAMServiceUse
			var at sql.NullInt64
			err := sc.Scan(&u.AccountID, &u.PrincipalARN, &u.ServiceNamespace, &u.Action, &u.Region, &at)
			u.LastUsed = fromDB(at)
			return u, err
		})
}

func (t *tx) ListRootAccessKeys(ctx context.Context, accountID string) ([]store.AccessKey, error) {
	return collect(ctx, t, "store: list root access keys of "+accountID,
		`SELECT access_key_id, secret_access_key, account_id, principal_arn, user_name, status, created_at
		 FROM access_keys WHERE account_id = ? AND principal_arn = ? ORDER BY created_at, access_key_id`,
		[]any{accountID, "arn:aws:iam::" + accountID + ":root"},
		func(sc scanner) (store.AccessKey, error) {
			var k store.AccessKey
			var at sql.NullInt64
			err := sc.Scan(&k.AccessKeyID, &k.SecretAccessKey, &k.AccountID, &k.PrincipalARN, &k.UserName, &k.Status, &at)
			k.CreatedAt = fromDB(at)
			return k, err
		})
}

// ---- settings ----

func (t *tx) PutIAMSetting(ctx context.Context, accountID, name, value string) error {
	_, err := t.exec(ctx, "store: put IAM setting "+name,
		`INSERT INTO iam_settings (account_id, name, value) VALUES (?, ?, ?)
		 ON CONFLICT (account_id, name) DO UPDATE SET value = excluded.value`, accountID, name, value)
	return err
}

func (t *tx) GetIAMSetting(ctx context.Context, accountID, name string) (string, error) {
	return collectOne(ctx, t, "store: get IAM setting "+name,
		`SELECT value FROM iam_settings WHERE account_id = ? AND name = ?`, []any{accountID, name},
		func(sc scanner) (string, error) {
			var v string
			err := sc.Scan(&v)
			return v, err
		})
}

func (t *tx) DeleteIAMSetting(ctx context.Context, accountID, name string) error {
	_, err := t.exec(ctx, "store: delete IAM setting "+name,
		`DELETE FROM iam_settings WHERE account_id = ? AND name = ?`, accountID, name)
	return err
}

// ---- report jobs ----

func (t *tx) CreateIAMReportJob(ctx context.Context, j store.IAMReportJob) error {
	_, err := t.exec(ctx, "store: create report job "+j.JobID,
		`INSERT INTO iam_report_jobs (job_id, account_id, kind, params, created_at) VALUES (?, ?, ?, ?, ?)`,
		j.JobID, j.AccountID, j.Kind, j.Params, toDB(j.CreatedAt))
	return err
}

func (t *tx) GetIAMReportJob(ctx context.Context, jobID string) (store.IAMReportJob, error) {
	return collectOne(ctx, t, "store: get report job "+jobID,
		`SELECT job_id, account_id, kind, params, created_at FROM iam_report_jobs WHERE job_id = ?`, []any{jobID},
		func(sc scanner) (store.IAMReportJob, error) {
			var j store.IAMReportJob
			var at sql.NullInt64
			err := sc.Scan(&j.JobID, &j.AccountID, &j.Kind, &j.Params, &at)
			j.CreatedAt = fromDB(at)
			return j, err
		})
}

// ---- service-linked role deletions ----

func (t *tx) CreateIAMDeletionTask(ctx context.Context, d store.IAMDeletionTask) error {
	_, err := t.exec(ctx, "store: create deletion task "+d.TaskID,
		`INSERT INTO iam_deletion_tasks (task_id, account_id, role_name, status, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		d.TaskID, d.AccountID, d.RoleName, d.Status, d.Reason, toDB(d.CreatedAt))
	return err
}

func (t *tx) GetIAMDeletionTask(ctx context.Context, taskID string) (store.IAMDeletionTask, error) {
	return collectOne(ctx, t, "store: get deletion task "+taskID,
		`SELECT task_id, account_id, role_name, status, reason, created_at FROM iam_deletion_tasks WHERE task_id = ?`, []any{taskID},
		func(sc scanner) (store.IAMDeletionTask, error) {
			var d store.IAMDeletionTask
			var at sql.NullInt64
			err := sc.Scan(&d.TaskID, &d.AccountID, &d.RoleName, &d.Status, &d.Reason, &at)
			d.CreatedAt = fromDB(at)
			return d, err
		})
}

// ---- delegation requests ----

const delegationCols = `request_id, account_id, owner_account_id, state, body, created_at, updated_at`

func scanDelegation(sc scanner) (store.IAMDelegationRequest, error) {
	var r store.IAMDelegationRequest
	var cat, uat sql.NullInt64
	err := sc.Scan(&r.RequestID, &r.AccountID, &r.OwnerAccountID, &r.State, &r.Body, &cat, &uat)
	r.CreatedAt, r.UpdatedAt = fromDB(cat), fromDB(uat)
	return r, err
}

func (t *tx) CreateIAMDelegationRequest(ctx context.Context, r store.IAMDelegationRequest) error {
	_, err := t.exec(ctx, "store: create delegation request "+r.RequestID,
		`INSERT INTO iam_delegation_requests (`+delegationCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.RequestID, r.AccountID, r.OwnerAccountID, r.State, r.Body, toDB(r.CreatedAt), toDB(r.UpdatedAt))
	return err
}

func (t *tx) GetIAMDelegationRequest(ctx context.Context, requestID string) (store.IAMDelegationRequest, error) {
	return collectOne(ctx, t, "store: get delegation request "+requestID,
		`SELECT `+delegationCols+` FROM iam_delegation_requests WHERE request_id = ?`, []any{requestID}, scanDelegation)
}

func (t *tx) ReplaceIAMDelegationRequest(ctx context.Context, r store.IAMDelegationRequest) error {
	return t.execAffect(ctx, "store: replace delegation request "+r.RequestID,
		`UPDATE iam_delegation_requests SET owner_account_id = ?, state = ?, body = ?, updated_at = ? WHERE request_id = ?`,
		r.OwnerAccountID, r.State, r.Body, toDB(r.UpdatedAt), r.RequestID)
}

func (t *tx) ListIAMDelegationRequests(ctx context.Context, accountID string) ([]store.IAMDelegationRequest, error) {
	return collect(ctx, t, "store: list delegation requests of "+accountID,
		`SELECT `+delegationCols+` FROM iam_delegation_requests WHERE account_id = ? OR owner_account_id = ? ORDER BY request_id`,
		[]any{accountID, accountID}, scanDelegation)
}
