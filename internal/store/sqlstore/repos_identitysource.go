package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// ---- identity source and SAML sign-in state ----

const identitySourceCols = `instance_arn, source_type, idp_metadata, metadata_source, sp_base_url, allow_idp_initiated, sp_key, sp_certificate, updated_at, user_name_attribute`

func scanIdentitySource(sc scanner) (store.IdentitySource, error) {
	var s store.IdentitySource
	var allow int
	var uat sql.NullInt64
	err := sc.Scan(&s.InstanceARN, &s.Type, &s.IdPMetadata, &s.MetadataSource, &s.SPBaseURL, &allow, &s.SPKey, &s.SPCertificate, &uat, &s.UserNameAttribute)
	s.AllowIdPInitiated, s.UpdatedAt = allow != 0, fromDB(uat)
	return s, err
}

func (t *tx) GetIdentitySource(ctx context.Context, instanceARN string) (store.IdentitySource, error) {
	return collectOne(ctx, t, "store: get identity source of "+instanceARN,
		`SELECT `+identitySourceCols+` FROM identity_sources WHERE instance_arn = ?`, []any{instanceARN}, scanIdentitySource)
}

func (t *tx) PutIdentitySource(ctx context.Context, s store.IdentitySource) error {
	_, err := t.exec(ctx, "store: put identity source of "+s.InstanceARN,
		`INSERT INTO identity_sources (`+identitySourceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (instance_arn) DO UPDATE SET source_type = excluded.source_type, idp_metadata = excluded.idp_metadata,
		 metadata_source = excluded.metadata_source, sp_base_url = excluded.sp_base_url,
		 allow_idp_initiated = excluded.allow_idp_initiated, sp_key = excluded.sp_key,
		 sp_certificate = excluded.sp_certificate, updated_at = excluded.updated_at,
		 user_name_attribute = excluded.user_name_attribute`,
		s.InstanceARN, s.Type, s.IdPMetadata, s.MetadataSource, s.SPBaseURL, boolInt(s.AllowIdPInitiated), s.SPKey,
		s.SPCertificate, toDB(s.UpdatedAt), s.UserNameAttribute)
	return err
}

func (t *tx) CreateSAMLRequest(ctx context.Context, r store.SAMLRequest) error {
	_, err := t.exec(ctx, "store: create saml request",
		`INSERT INTO saml_requests (relay_state_hash, request_id, next_path, expires_at) VALUES (?, ?, ?, ?)`,
		r.RelayStateHash, r.RequestID, r.Next, r.ExpiresAt.UTC().UnixNano())
	return err
}

func (t *tx) TakeSAMLRequest(ctx context.Context, relayStateHash []byte) (store.SAMLRequest, error) {
	const op = "store: take saml request"
	r, err := collectOne(ctx, t, op,
		`SELECT relay_state_hash, request_id, next_path, expires_at FROM saml_requests WHERE relay_state_hash = ?`,
		[]any{relayStateHash}, func(sc scanner) (store.SAMLRequest, error) {
			var r store.SAMLRequest
			var exp int64
			err := sc.Scan(&r.RelayStateHash, &r.RequestID, &r.Next, &exp)
			r.ExpiresAt = time.Unix(0, exp).UTC()
			return r, err
		})
	if err != nil {
		return store.SAMLRequest{}, err
	}
	if err := t.execAffect(ctx, op, `DELETE FROM saml_requests WHERE relay_state_hash = ?`, relayStateHash); err != nil {
		return store.SAMLRequest{}, err
	}
	return r, nil
}

func (t *tx) ConsumeSAMLAssertion(ctx context.Context, assertionID string, expiresAt time.Time) error {
	_, err := t.exec(ctx, "store: consume saml assertion",
		`INSERT INTO saml_assertions (assertion_id, expires_at) VALUES (?, ?)`, assertionID, expiresAt.UTC().UnixNano())
	return err
}

func (t *tx) DeleteExpiredSAML(ctx context.Context, at time.Time) (int, error) {
	const op = "store: delete expired saml state"
	cut := at.UTC().UnixNano()
	n1, err := t.signinExecCount(ctx, op, `DELETE FROM saml_requests WHERE expires_at <= ?`, cut)
	if err != nil {
		return 0, err
	}
	n2, err := t.signinExecCount(ctx, op, `DELETE FROM saml_assertions WHERE expires_at <= ?`, cut)
	if err != nil {
		return 0, err
	}
	n3, err := t.signinExecCount(ctx, op, `DELETE FROM saml_subjects WHERE expires_at <= ?`, cut)
	return n1 + n2 + n3, err
}

const samlSubjectCols = `identity_store_id, user_id, name_id, name_id_format, session_index, expires_at`

func scanSAMLSubject(sc scanner) (store.SAMLSubject, error) {
	var s store.SAMLSubject
	var exp int64
	err := sc.Scan(&s.IdentityStoreID, &s.UserID, &s.NameID, &s.NameIDFormat, &s.SessionIndex, &exp)
	s.ExpiresAt = time.Unix(0, exp).UTC()
	return s, err
}

func (t *tx) PutSAMLSubject(ctx context.Context, s store.SAMLSubject) error {
	_, err := t.exec(ctx, "store: put saml subject of "+s.UserID,
		`INSERT INTO saml_subjects (`+samlSubjectCols+`) VALUES (?, ?, ?, ?, ?, ?)
		 ON CONFLICT (identity_store_id, user_id) DO UPDATE SET name_id = excluded.name_id,
		 name_id_format = excluded.name_id_format, session_index = excluded.session_index, expires_at = excluded.expires_at`,
		s.IdentityStoreID, s.UserID, s.NameID, s.NameIDFormat, s.SessionIndex, s.ExpiresAt.UTC().UnixNano())
	return err
}

func (t *tx) GetSAMLSubject(ctx context.Context, storeID, userID string) (store.SAMLSubject, error) {
	return collectOne(ctx, t, "store: get saml subject of "+userID,
		`SELECT `+samlSubjectCols+` FROM saml_subjects WHERE identity_store_id = ? AND user_id = ?`, []any{storeID, userID}, scanSAMLSubject)
}

func (t *tx) FindSAMLSubjects(ctx context.Context, storeID, nameID string) ([]store.SAMLSubject, error) {
	return collect(ctx, t, "store: find saml subjects",
		`SELECT `+samlSubjectCols+` FROM saml_subjects WHERE identity_store_id = ? AND name_id = ? ORDER BY user_id`, []any{storeID, nameID}, scanSAMLSubject)
}

func (t *tx) DeleteStoreWebSessions(ctx context.Context, storeID string) (int, error) {
	return t.signinExecCount(ctx, "store: delete web sessions of "+storeID,
		`DELETE FROM signin_web_sessions WHERE identity_store_id = ?`, storeID)
}
