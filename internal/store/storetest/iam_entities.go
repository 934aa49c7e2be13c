package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// runIAMEntities checks store.IAMEntityRepo: instance profiles and their
// role, SSH public keys, signing certificates, server certificates and
// service-specific credentials.
func runIAMEntities(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	role := func(acct, id, name string) store.IAMRole {
		return store.IAMRole{AccountID: acct, RoleID: id, RoleName: name, Path: "/", ARN: "arn:aws:iam::" + acct + ":role/" + name,
			AssumeRolePolicy: "{}", MaxSessionDuration: 3600, CreatedAt: ts}
	}
	profile := func(acct, id, name, path string) store.IAMInstanceProfile {
		return store.IAMInstanceProfile{AccountID: acct, InstanceProfileID: id, InstanceProfileName: name, Path: path,
			ARN: "arn:aws:iam::" + acct + ":instance-profile" + path + name, Tags: []store.Tag{{Key: "k", Value: "v"}}, CreatedAt: ts}
	}

	t.Run("InstanceProfiles", func(t *testing.T) {
		s := fresh(t, open)
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateIAMRole(ctx, role(iamAcct, "AROAWEB", "Web")); err != nil {
				return err
			}
			for _, p := range []store.IAMInstanceProfile{profile(iamAcct, "AIPA1", "web", "/app/"), profile(iamAcct, "AIPA2", "Batch", "/"),
				profile(iamAcct, "AIPA3", "cache", "/app/"), profile(iamOther, "AIPA4", "web", "/")} {
				if err := tx.CreateIAMInstanceProfile(ctx, p); err != nil {
					return err
				}
			}
			return nil
		})
		for _, tt := range []struct {
			what string
			p    store.IAMInstanceProfile
		}{
			{"same name, other case", profile(iamAcct, "AIPA9", "WEB", "/")},
			{"same id", profile(iamAcct, "AIPA1", "other", "/")},
		} {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMInstanceProfile(ctx, tt.p) })
			wantErr(t, tt.what, err, store.ErrAlreadyExists)
		}
		update(t, s, func(tx store.Tx) error {
			p, err := tx.GetIAMInstanceProfile(ctx, iamAcct, "WeB")
			if err != nil {
				return err
			}
			p.RoleID = "AROAWEB"
			p.Tags = append(p.Tags, store.Tag{Key: "env", Value: "prod"})
			return tx.ReplaceIAMInstanceProfile(ctx, p)
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMInstanceProfile(ctx, iamAcct, "web")
			if err != nil {
				t.Fatalf("GetIAMInstanceProfile: %v", err)
			}
			want := profile(iamAcct, "AIPA1", "web", "/app/")
			want.RoleID, want.RoleName = "AROAWEB", "Web"
			want.Tags = append(want.Tags, store.Tag{Key: "env", Value: "prod"})
			same(t, "profile", got, want)
			_, err = tx.GetIAMInstanceProfile(ctx, iamOther, "cache")
			wantErr(t, "other account's profile", err, store.ErrNotFound)

			names := func(ps []store.IAMInstanceProfile) []string {
				var out []string
				for _, p := range ps {
					out = append(out, p.InstanceProfileName)
				}
				return out
			}
			all, err := tx.ListIAMInstanceProfiles(ctx, iamAcct, store.IAMListFilter{}, store.Page{})
			same(t, "list", names(all), []string{"Batch", "cache", "web"})
			app, err2 := tx.ListIAMInstanceProfiles(ctx, iamAcct, store.IAMListFilter{PathPrefix: "/app/"}, store.Page{After: "cache", Limit: 5})
			same(t, "list /app/ after cache", names(app), []string{"web"})
			forRole, err3 := tx.ListIAMInstanceProfilesForRole(ctx, "AROAWEB")
			same(t, "for role", names(forRole), []string{"web"})
			if err != nil || err2 != nil || err3 != nil {
				t.Fatalf("lists: %v %v %v", err, err2, err3)
			}
			return nil
		})
		err := s.Update(ctx, func(tx store.Tx) error {
			p := profile(iamAcct, "AIPA2", "Batch", "/")
			p.RoleID = "AROAMISSING"
			return tx.ReplaceIAMInstanceProfile(ctx, p)
		})
		wantErr(t, "role that does not exist", err, store.ErrNotFound)
		// Deleting the role empties the profile.
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMRole(ctx, iamAcct, "AROAWEB") })
		view(t, s, func(tx store.Tx) error {
			p, err := tx.GetIAMInstanceProfile(ctx, iamAcct, "web")
			if err != nil || p.RoleID != "" || p.RoleName != "" {
				t.Fatalf("profile after role deletion = %+v, %v", p, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMInstanceProfile(ctx, iamAcct, "AIPA1") })
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMInstanceProfile(ctx, iamAcct, "AIPA1") })
		wantErr(t, "delete twice", err, store.ErrNotFound)
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMInstanceProfile(ctx, iamAcct, "AIPA4") })
		wantErr(t, "delete another account's", err, store.ErrNotFound)
	})

	t.Run("UserCredentials", func(t *testing.T) {
		s := fresh(t, open)
		alice, bob := iamUser(iamAcct, "AIDAALICE", "alice", "/"), iamUser(iamAcct, "AIDABOB", "bob", "/")
		k1 := store.IAMSSHPublicKey{KeyID: "APKA1", AccountID: iamAcct, UserID: alice.UserID, Body: "ssh-rsa AAAA1", Fingerprint: "aa:bb",
			Status: "Active", UploadedAt: ts}
		k2 := k1
		k2.KeyID, k2.Body, k2.UploadedAt = "APKA2", "ssh-rsa AAAA2", ts.Add(time.Second)
		c1 := store.IAMSigningCertificate{CertificateID: "CERT1", AccountID: iamAcct, UserID: alice.UserID, Body: "pem1", Fingerprint: "f1",
			Status: "Active", UploadedAt: ts}
		sc1 := store.IAMServiceCredential{CredentialID: "ACCA1", AccountID: iamAcct, UserID: alice.UserID, ServiceName: "codecommit.amazonaws.com",
			ServiceUserName: "alice-at-" + iamAcct, PasswordHash: "h1", Status: "Active", CreatedAt: ts}
		update(t, s, func(tx store.Tx) error {
			for _, u := range []store.IAMUser{alice, bob} {
				if err := tx.CreateIAMUser(ctx, u); err != nil {
					return err
				}
			}
			for _, err := range []error{tx.CreateIAMSSHPublicKey(ctx, k2), tx.CreateIAMSSHPublicKey(ctx, k1),
				tx.CreateIAMSigningCertificate(ctx, c1), tx.CreateIAMServiceCredential(ctx, sc1)} {
				if err != nil {
					return err
				}
			}
			return nil
		})
		dupCert := c1
		dupCert.CertificateID, dupCert.UserID = "CERT2", bob.UserID
		orphan := k1
		orphan.KeyID, orphan.UserID = "APKA9", "AIDANOBODY"
		for _, tt := range []struct {
			what string
			fn   func(tx store.Tx) error
			want error
		}{
			{"duplicate key id", func(tx store.Tx) error { return tx.CreateIAMSSHPublicKey(ctx, k1) }, store.ErrAlreadyExists},
			{"same certificate in the account", func(tx store.Tx) error { return tx.CreateIAMSigningCertificate(ctx, dupCert) }, store.ErrAlreadyExists},
			{"key of a missing user", func(tx store.Tx) error { return tx.CreateIAMSSHPublicKey(ctx, orphan) }, store.ErrNotFound},
			{"missing key status", func(tx store.Tx) error { return tx.SetIAMSSHPublicKeyStatus(ctx, "APKA0", "Inactive") }, store.ErrNotFound},
			{"missing certificate", func(tx store.Tx) error { return tx.DeleteIAMSigningCertificate(ctx, "CERT0") }, store.ErrNotFound},
			{"missing credential", func(tx store.Tx) error {
				return tx.ReplaceIAMServiceCredential(ctx, store.IAMServiceCredential{CredentialID: "ACCA0"})
			}, store.ErrNotFound},
		} {
			err := s.Update(ctx, tt.fn)
			wantErr(t, tt.what, err, tt.want)
		}
		// The same certificate in another account is another record.
		other := c1
		other.CertificateID, other.AccountID = "CERT3", iamOther
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateIAMUser(ctx, iamUser(iamOther, "AIDACAROL", "carol", "/")); err != nil {
				return err
			}
			other.UserID = "AIDACAROL"
			return tx.CreateIAMSigningCertificate(ctx, other)
		})
		update(t, s, func(tx store.Tx) error {
			sc := sc1
			sc.PasswordHash, sc.Status, sc.ExpiresAt = "h2", "Inactive", ts.Add(time.Hour)
			return errorsJoin(tx.SetIAMSSHPublicKeyStatus(ctx, "APKA1", "Inactive"), tx.SetIAMSigningCertificateStatus(ctx, "CERT1", "Inactive"),
				tx.ReplaceIAMServiceCredential(ctx, sc))
		})
		view(t, s, func(tx store.Tx) error {
			keys, err := tx.ListIAMSSHPublicKeys(ctx, alice.UserID)
			if err != nil {
				t.Fatalf("ListIAMSSHPublicKeys: %v", err)
			}
			k1.Status = "Inactive"
			same(t, "keys, oldest first", keys, []store.IAMSSHPublicKey{k1, k2})
			got, err := tx.GetIAMSSHPublicKey(ctx, "APKA2")
			same(t, "key", got, k2)
			certs, err2 := tx.ListIAMSigningCertificates(ctx, alice.UserID)
			c1.Status = "Inactive"
			same(t, "certificates", certs, []store.IAMSigningCertificate{c1})
			cred, err3 := tx.GetIAMServiceCredential(ctx, "ACCA1")
			sc1.PasswordHash, sc1.Status, sc1.ExpiresAt = "h2", "Inactive", ts.Add(time.Hour)
			same(t, "credential", cred, sc1)
			none, err4 := tx.ListIAMServiceCredentials(ctx, bob.UserID)
			if err != nil || err2 != nil || err3 != nil || err4 != nil || len(none) != 0 {
				t.Fatalf("reads: %v %v %v %v %v", err, err2, err3, err4, none)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMSSHPublicKey(ctx, "APKA2") })
		err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMSSHPublicKey(ctx, "APKA2") })
		wantErr(t, "delete key twice", err, store.ErrNotFound)
		// A user's keys, certificates and credentials go with the user.
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMUser(ctx, iamAcct, alice.UserID) })
		view(t, s, func(tx store.Tx) error {
			_, err1 := tx.GetIAMSSHPublicKey(ctx, "APKA1")
			_, err2 := tx.GetIAMSigningCertificate(ctx, "CERT1")
			_, err3 := tx.GetIAMServiceCredential(ctx, "ACCA1")
			for _, err := range []error{err1, err2, err3} {
				wantErr(t, "record of a deleted user", err, store.ErrNotFound)
			}
			return nil
		})
	})

	t.Run("ServerCertificates", func(t *testing.T) {
		s := fresh(t, open)
		cert := func(acct, id, name, path string) store.IAMServerCertificate {
			return store.IAMServerCertificate{AccountID: acct, CertificateID: id, Name: name, Path: path,
				ARN: "arn:aws:iam::" + acct + ":server-certificate" + path + name, Body: "body-" + name, Chain: "chain", PrivateKey: "key",
				Expiration: ts.Add(24 * time.Hour), Tags: []store.Tag{{Key: "k", Value: "v"}}, UploadedAt: ts}
		}
		update(t, s, func(tx store.Tx) error {
			for _, c := range []store.IAMServerCertificate{cert(iamAcct, "ASCA1", "web", "/cf/"), cert(iamAcct, "ASCA2", "api", "/"),
				cert(iamOther, "ASCA3", "web", "/")} {
				if err := tx.CreateIAMServerCertificate(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMServerCertificate(ctx, cert(iamAcct, "ASCA9", "WEB", "/")) })
		wantErr(t, "same name, other case", err, store.ErrAlreadyExists)
		renamed := cert(iamAcct, "ASCA2", "API", "/v2/")
		renamed.Tags, renamed.Body = nil, "body-api" // the body stays
		update(t, s, func(tx store.Tx) error { return tx.ReplaceIAMServerCertificate(ctx, renamed) })
		taken := renamed
		taken.Name = "Web"
		err = s.Update(ctx, func(tx store.Tx) error { return tx.ReplaceIAMServerCertificate(ctx, taken) })
		wantErr(t, "rename to a taken name", err, store.ErrAlreadyExists)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMServerCertificate(ctx, iamAcct, "api")
			same(t, "renamed", got, renamed)
			all, err2 := tx.ListIAMServerCertificates(ctx, iamAcct, store.IAMListFilter{}, store.Page{})
			same(t, "list", all, []store.IAMServerCertificate{renamed, cert(iamAcct, "ASCA1", "web", "/cf/")})
			cf, err3 := tx.ListIAMServerCertificates(ctx, iamAcct, store.IAMListFilter{PathPrefix: "/cf/"}, store.Page{Limit: 1})
			same(t, "list /cf/", cf, []store.IAMServerCertificate{cert(iamAcct, "ASCA1", "web", "/cf/")})
			if err != nil || err2 != nil || err3 != nil {
				t.Fatalf("reads: %v %v %v", err, err2, err3)
			}
			return nil
		})
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMServerCertificate(ctx, iamAcct, "ASCA3") })
		wantErr(t, "delete another account's", err, store.ErrNotFound)
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMServerCertificate(ctx, iamAcct, "ASCA1") })
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetIAMServerCertificate(ctx, iamAcct, "web")
			wantErr(t, "deleted", err, store.ErrNotFound)
			return nil
		})
	})
}

// errorsJoin returns the first non-nil error.
func errorsJoin(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
