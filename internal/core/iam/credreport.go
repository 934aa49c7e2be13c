package iam

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strconv"
	"time"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// The credential report: one CSV row per IAM user of the account and one for
// the root user (<root_account>), with AWS's columns and placeholder values
// (N/A, not_supported, no_information). A report is generated at once and is
// valid for four hours; GenerateCredentialReport within that time keeps it.

// CredentialReportColumns are the report's columns, in AWS's order.
var CredentialReportColumns = []string{"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
	"password_last_changed", "password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated"}

// CredentialReportTTL is how long a report can be read after it was generated.
const CredentialReportTTL = 4 * time.Hour

// Credential report error codes.
const (
	CodeReportNotPresent = "ReportNotPresent"
	CodeReportExpired    = "ReportExpired"
	CodeReportInProgress = "ReportInProgress"
)

const (
	settingReportTime = "credential-report-time"
	settingReport     = "credential-report"
)

// Report states of GenerateCredentialReport.
const (
	ReportStarted  = "STARTED"
	ReportComplete = "COMPLETE"
)

// CredentialReport is a generated report.
type CredentialReport struct {
	Content   []byte
	Generated time.Time
}

func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// GenerateCredentialReport generates the account's report unless one younger
// than four hours exists: STARTED when it made a new one, COMPLETE otherwise.
func (s *Service) GenerateCredentialReport(ctx context.Context, c Caller) (string, error) {
	if err := s.flushUsage(ctx); err != nil {
		return "", err
	}
	now := s.now()
	state := ReportComplete
	err := s.update(ctx, "generate credential report", func(tx store.Tx) error {
		state = ReportComplete
		at, err := tx.GetIAMSetting(ctx, c.AccountID, settingReportTime)
		if err == nil {
			if t, perr := time.Parse(time.RFC3339Nano, at); perr == nil && now.Sub(t) < CredentialReportTTL {
				return nil
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		content, err := s.buildCredentialReport(ctx, tx, c.AccountID, now)
		if err != nil {
			return err
		}
		if err := tx.PutIAMSetting(ctx, c.AccountID, settingReport, string(content)); err != nil {
			return err
		}
		state = ReportStarted
		return tx.PutIAMSetting(ctx, c.AccountID, settingReportTime, now.Format(time.RFC3339Nano))
	})
	return state, err
}

// GetCredentialReport returns the account's last report: ReportNotPresent
// when none was generated, ReportExpired when it is older than four hours.
func (s *Service) GetCredentialReport(ctx context.Context, c Caller) (CredentialReport, error) {
	var out CredentialReport
	err := s.view(ctx, "get credential report", func(tx store.Tx) error {
		at, err := tx.GetIAMSetting(ctx, c.AccountID, settingReportTime)
		if errors.Is(err, store.ErrNotFound) {
			return &fault.Error{Kind: fault.NotFound, Reason: CodeReportNotPresent,
				Message: "Credential report does not exist. Use GenerateCredentialReport to generate a report."}
		}
		if err != nil {
			return err
		}
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return err
		}
		if s.now().Sub(t) >= CredentialReportTTL {
			return &fault.Error{Kind: fault.NotFound, Reason: CodeReportExpired,
				Message: "The credential report has expired. Use GenerateCredentialReport to generate a new report."}
		}
		content, err := tx.GetIAMSetting(ctx, c.AccountID, settingReport)
		if err != nil {
			return err
		}
		out = CredentialReport{Content: []byte(content), Generated: t}
		return nil
	})
	return out, err
}

func (s *Service) buildCredentialReport(ctx context.Context, tx store.Tx, acct string, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(CredentialReportColumns); err != nil {
		return nil, err
	}
	maxAge := 0
	if pp, err := tx.GetIAMPasswordPolicy(ctx, acct); err == nil {
		maxAge = pp.MaxPasswordAge
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}

	// The root user.
	rootCreated := time.Time{}
	if a, err := tx.GetAccount(ctx, acct); err == nil {
		rootCreated = a.JoinedAt
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	rootKeys, err := tx.ListRootAccessKeys(ctx, acct)
	if err != nil {
		return nil, err
	}
	rootMFA, err := rootMFAActive(ctx, tx, acct) // root_mfa.go
	if err != nil {
		return nil, err
	}
	row := []string{"<root_account>", "arn:aws:iam::" + acct + ":root", dateOr(rootCreated, "N/A"), "not_supported", "no_information",
		"not_supported", "not_supported", strconv.FormatBool(rootMFA)}
	keyCols, err := keyColumns(ctx, tx, rootKeys)
	if err != nil {
		return nil, err
	}
	row = append(append(row, keyCols...), "false", "N/A", "false", "N/A")
	if err := w.Write(row); err != nil {
		return nil, err
	}

	users, err := tx.ListIAMUsers(ctx, acct, store.IAMListFilter{}, store.Page{})
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		pwEnabled, pwLastUsed, pwChanged, pwNext := "false", "N/A", "N/A", "N/A"
		lp, err := tx.GetIAMLoginProfile(ctx, u.UserID)
		switch {
		case err == nil:
			pwEnabled, pwLastUsed = "true", "no_information"
			changed := lp.PasswordChangedAt
			if changed.IsZero() {
				changed = lp.CreatedAt
			}
			pwChanged = dateOr(changed, "N/A")
			if maxAge > 0 && !changed.IsZero() {
				pwNext = reportTime(changed.AddDate(0, 0, maxAge))
			}
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		mfa, err := tx.ListIAMMFADevicesForUser(ctx, u.UserID)
		if err != nil {
			return nil, err
		}
		keys, err := tx.ListUserAccessKeys(ctx, acct, u.UserName)
		if err != nil {
			return nil, err
		}
		row := []string{u.UserName, u.ARN, dateOr(u.CreatedAt, "N/A"), pwEnabled, pwLastUsed, pwChanged, pwNext,
			strconv.FormatBool(len(mfa) > 0)}
		keyCols, err := keyColumns(ctx, tx, keys)
		if err != nil {
			return nil, err
		}
		certs, err := tx.ListIAMSigningCertificates(ctx, u.UserID)
		if err != nil {
			return nil, err
		}
		row = append(append(row, keyCols...), certColumns(certs)...)
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// keyColumns are the access_key_1_* and access_key_2_* columns.
func keyColumns(ctx context.Context, tx store.Tx, keys []store.AccessKey) ([]string, error) {
	var out []string
	for i := 0; i < 2; i++ {
		if i >= len(keys) {
			out = append(out, "false", "N/A", "N/A", "N/A", "N/A")
			continue
		}
		k := keys[i]
		lastUsed, region, service := "N/A", "N/A", "N/A"
		u, err := tx.GetIAMKeyUsage(ctx, k.AccessKeyID)
		if err == nil {
			lastUsed, region, service = reportTime(u.UsedAt), u.Region, u.ServiceName
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		out = append(out, strconv.FormatBool(k.Status == "Active"), dateOr(k.CreatedAt, "N/A"), lastUsed, region, service)
	}
	return out, nil
}

// certColumns are the cert_1_* and cert_2_* columns.
func certColumns(certs []store.IAMSigningCertificate) []string {
	var out []string
	for i := 0; i < 2; i++ {
		if i >= len(certs) {
			out = append(out, "false", "N/A")
			continue
		}
		out = append(out, strconv.FormatBool(certs[i].Status == "Active"), dateOr(certs[i].UploadedAt, "N/A"))
	}
	return out
}

func dateOr(t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return reportTime(t)
}
