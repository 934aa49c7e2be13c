package storetest

import (
	"context"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

const iamAcct = "111111111111"
const iamOther = "222222222222"

func iamUser(acct, id, name, path string) store.IAMUser {
	return store.IAMUser{AccountID: acct, UserID: id, UserName: name, Path: path,
		ARN: "arn:aws:iam::" + acct + ":user" + path + name, Tags: []store.Tag{{Key: "k", Value: "v"}}, CreatedAt: ts}
}

// runIAM checks store.IAMRepo.
func runIAM(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("Users", func(t *testing.T) {
		s := fresh(t, open)
		alice := iamUser(iamAcct, "AIDAALICE", "Alice", "/eng/")
		update(t, s, func(tx store.Tx) error {
			for _, u := range []store.IAMUser{alice, iamUser(iamAcct, "AIDABOB", "bob", "/"),
				iamUser(iamAcct, "AIDACAROL", "carol", "/eng/x/"), iamUser(iamOther, "AIDAOTHER", "alice", "/")} {
				if err := tx.CreateIAMUser(ctx, u); err != nil {
					return err
				}
			}
			return nil
		})
		tests := []struct {
			name string
			u    store.IAMUser
		}{
			{"same name other case", iamUser(iamAcct, "AIDAX", "ALICE", "/")},
			{"same id", iamUser(iamAcct, "AIDABOB", "dave", "/")},
		}
		for _, tt := range tests {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateIAMUser(ctx, tt.u) })
			wantErr(t, tt.name, err, store.ErrAlreadyExists)
		}
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMUser(ctx, iamAcct, "alice")
			if err != nil {
				t.Fatalf("GetIAMUser: %v", err)
			}
			same(t, "user", got, alice)
			_, err = tx.GetIAMUser(ctx, iamAcct, "nobody")
			wantErr(t, "GetIAMUser unknown", err, store.ErrNotFound)
			all, err := tx.ListIAMUsers(ctx, iamAcct, store.IAMListFilter{}, store.Page{})
			if err != nil || len(all) != 3 || all[0].UserName != "Alice" || all[2].UserName != "carol" {
				t.Fatalf("ListIAMUsers = %+v, %v", all, err)
			}
			eng, err := tx.ListIAMUsers(ctx, iamAcct, store.IAMListFilter{PathPrefix: "/eng/"}, store.Page{})
			if err != nil || len(eng) != 2 {
				t.Fatalf("ListIAMUsers /eng/ = %+v, %v", eng, err)
			}
			page, err := tx.ListIAMUsers(ctx, iamAcct, store.IAMListFilter{}, store.Page{After: "alice", Limit: 1})
			if err != nil || len(page) != 1 || page[0].UserName != "bob" {
				t.Fatalf("ListIAMUsers page = %+v, %v", page, err)
			}
			return nil
		})
		// Rename rewrites the user's access keys.
		key := store.AccessKey{AccessKeyID: "AKIAUSERKEY000000001", SecretAccessKey: "s", AccountID: iamAcct,
			PrincipalARN: alice.ARN, UserName: "Alice", Status: "Active", CreatedAt: ts}
		update(t, s, func(tx store.Tx) error { return tx.CreateAccessKey(ctx, key) })
		renamed := alice
		renamed.UserName, renamed.Path, renamed.ARN = "Alicia", "/", "arn:aws:iam::"+iamAcct+":user/Alicia"
		update(t, s, func(tx store.Tx) error { return tx.ReplaceIAMUser(ctx, renamed) })
		view(t, s, func(tx store.Tx) error {
			keys, err := tx.ListUserAccessKeys(ctx, iamAcct, "Alicia")
			if err != nil || len(keys) != 1 || keys[0].PrincipalARN != renamed.ARN {
				t.Fatalf("keys after rename = %+v, %v", keys, err)
			}
			if old, _ := tx.ListUserAccessKeys(ctx, iamAcct, "Alice"); len(old) != 0 {
				t.Fatalf("keys under the old name: %+v", old)
			}
			return nil
		})
		err := s.Update(ctx, func(tx store.Tx) error {
			dup := renamed
			dup.UserName = "BOB"
			return tx.ReplaceIAMUser(ctx, dup)
		})
		wantErr(t, "rename onto existing", err, store.ErrAlreadyExists)
		update(t, s, func(tx store.Tx) error { return tx.DeleteAccessKey(ctx, key.AccessKeyID) })
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteAccessKey(ctx, key.AccessKeyID) })
		wantErr(t, "DeleteAccessKey twice", err, store.ErrNotFound)
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMUser(ctx, iamAcct, "AIDAALICE") })
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMUser(ctx, iamAcct, "AIDAALICE") })
		wantErr(t, "DeleteIAMUser twice", err, store.ErrNotFound)
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIAMUser(ctx, iamAcct, "AIDAOTHER") })
		wantErr(t, "DeleteIAMUser of another account", err, store.ErrNotFound)
	})

	t.Run("GroupsAndMembers", func(t *testing.T) {
		s := fresh(t, open)
		g := store.IAMGroup{AccountID: iamAcct, GroupID: "AGPAG1", GroupName: "Admins", Path: "/",
			ARN: "arn:aws:iam::" + iamAcct + ":group/Admins", CreatedAt: ts}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateIAMGroup(ctx, g); err != nil {
				return err
			}
			if err := tx.CreateIAMUser(ctx, iamUser(iamAcct, "AIDAU1", "u1", "/")); err != nil {
				return err
			}
			return tx.AddIAMGroupMember(ctx, g.GroupID, "AIDAU1")
		})
		err := s.Update(ctx, func(tx store.Tx) error { return tx.AddIAMGroupMember(ctx, g.GroupID, "AIDAU1") })
		wantErr(t, "member twice", err, store.ErrAlreadyExists)
		err = s.Update(ctx, func(tx store.Tx) error { return tx.AddIAMGroupMember(ctx, g.GroupID, "AIDANOPE") })
		wantErr(t, "unknown user", err, store.ErrNotFound)
		err = s.Update(ctx, func(tx store.Tx) error {
			g2 := g
			g2.GroupID = "AGPAG2"
			g2.GroupName = "admins"
			return tx.CreateIAMGroup(ctx, g2)
		})
		wantErr(t, "group name other case", err, store.ErrAlreadyExists)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMGroup(ctx, iamAcct, "ADMINS")
			if err != nil {
				t.Fatalf("GetIAMGroup: %v", err)
			}
			same(t, "group", got, g)
			ms, err := tx.ListIAMGroupMembers(ctx, g.GroupID)
			if err != nil || len(ms) != 1 || ms[0].UserName != "u1" {
				t.Fatalf("members = %+v, %v", ms, err)
			}
			gs, err := tx.ListIAMGroupsForUser(ctx, "AIDAU1")
			if err != nil || len(gs) != 1 || gs[0].GroupName != "Admins" {
				t.Fatalf("groups for user = %+v, %v", gs, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.RemoveIAMGroupMember(ctx, g.GroupID, "AIDAU1") })
		err = s.Update(ctx, func(tx store.Tx) error { return tx.RemoveIAMGroupMember(ctx, g.GroupID, "AIDAU1") })
		wantErr(t, "remove twice", err, store.ErrNotFound)
		update(t, s, func(tx store.Tx) error { return tx.DeleteIAMGroup(ctx, iamAcct, g.GroupID) })
		view(t, s, func(tx store.Tx) error {
			_, err := tx.GetIAMGroup(ctx, iamAcct, "Admins")
			wantErr(t, "deleted group", err, store.ErrNotFound)
			return nil
		})
	})

	t.Run("RolesPoliciesAttachments", func(t *testing.T) {
		s := fresh(t, open)
		r := store.IAMRole{AccountID: iamAcct, RoleID: "AROAR1", RoleName: "Deployer", Path: "/ci/",
			ARN: "arn:aws:iam::" + iamAcct + ":role/ci/Deployer", AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[]}`,
			Description: "d", MaxSessionDuration: 3600, PermissionsBoundary: "arn:aws:iam::aws:policy/AdministratorAccess",
			Tags: []store.Tag{{Key: "a", Value: "b"}}, CreatedAt: ts}
		pol := store.IAMPolicy{AccountID: iamAcct, PolicyID: "ANPAP1", PolicyName: "Read", Path: "/",
			ARN: "arn:aws:iam::" + iamAcct + ":policy/Read", DefaultVersionID: "v1", LastVersion: 1, CreatedAt: ts, UpdatedAt: ts}
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateIAMRole(ctx, r); err != nil {
				return err
			}
			if err := tx.CreateIAMPolicy(ctx, pol); err != nil {
				return err
			}
			for _, v := range []string{"v1", "v2", "v10"} {
				if err := tx.CreateIAMPolicyVersion(ctx, store.IAMPolicyVersion{PolicyARN: pol.ARN, VersionID: v, Document: "{}" + v, CreatedAt: ts}); err != nil {
					return err
				}
			}
			if err := tx.AttachIAMPolicy(ctx, store.IAMAttachment{AccountID: iamAcct, EntityType: store.IAMEntityRole, EntityID: r.RoleID, PolicyARN: pol.ARN}); err != nil {
				return err
			}
			return tx.PutIAMInlinePolicy(ctx, store.IAMInlinePolicy{EntityType: store.IAMEntityRole, EntityID: r.RoleID, PolicyName: "P", Document: "1"})
		})
		err := s.Update(ctx, func(tx store.Tx) error {
			return tx.AttachIAMPolicy(ctx, store.IAMAttachment{AccountID: iamAcct, EntityType: store.IAMEntityRole, EntityID: r.RoleID, PolicyARN: pol.ARN})
		})
		wantErr(t, "attach twice", err, store.ErrAlreadyExists)
		err = s.Update(ctx, func(tx store.Tx) error {
			return tx.CreateIAMPolicyVersion(ctx, store.IAMPolicyVersion{PolicyARN: "arn:nope", VersionID: "v1"})
		})
		wantErr(t, "version of unknown policy", err, store.ErrNotFound)
		update(t, s, func(tx store.Tx) error {
			return tx.PutIAMInlinePolicy(ctx, store.IAMInlinePolicy{EntityType: store.IAMEntityRole, EntityID: r.RoleID, PolicyName: "p", Document: "2"})
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.GetIAMRole(ctx, iamAcct, "deployer")
			if err != nil {
				t.Fatalf("GetIAMRole: %v", err)
			}
			same(t, "role", got, r)
			gp, err := tx.GetIAMPolicy(ctx, pol.ARN)
			if err != nil {
				t.Fatalf("GetIAMPolicy: %v", err)
			}
			same(t, "policy", gp, pol)
			vs, err := tx.ListIAMPolicyVersions(ctx, pol.ARN)
			if err != nil || len(vs) != 3 || vs[0].VersionID != "v10" || vs[2].VersionID != "v1" {
				t.Fatalf("versions = %+v, %v", vs, err)
			}
			as, err := tx.ListIAMPolicyAttachments(ctx, iamAcct, pol.ARN)
			if err != nil || len(as) != 1 || as[0].EntityName != "Deployer" || as[0].EntityType != store.IAMEntityRole {
				t.Fatalf("attachments = %+v, %v", as, err)
			}
			arns, err := tx.ListIAMAttachedPolicies(ctx, r.RoleID)
			if err != nil || len(arns) != 1 || arns[0] != pol.ARN {
				t.Fatalf("attached = %v, %v", arns, err)
			}
			in, err := tx.ListIAMInlinePolicies(ctx, r.RoleID)
			if err != nil || len(in) != 1 || in[0].Document != "2" || in[0].PolicyName != "p" {
				t.Fatalf("inline = %+v, %v", in, err)
			}
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			if err := tx.DetachIAMPolicy(ctx, r.RoleID, pol.ARN); err != nil {
				return err
			}
			if err := tx.DeleteIAMInlinePolicy(ctx, r.RoleID, "P"); err != nil {
				return err
			}
			if err := tx.DeleteIAMPolicyVersion(ctx, pol.ARN, "v2"); err != nil {
				return err
			}
			return tx.DeleteIAMPolicy(ctx, pol.ARN)
		})
		err = s.Update(ctx, func(tx store.Tx) error { return tx.DetachIAMPolicy(ctx, r.RoleID, pol.ARN) })
		wantErr(t, "detach twice", err, store.ErrNotFound)
		view(t, s, func(tx store.Tx) error {
			vs, err := tx.ListIAMPolicyVersions(ctx, pol.ARN)
			if err != nil || len(vs) != 0 {
				t.Fatalf("versions after DeleteIAMPolicy = %+v, %v", vs, err)
			}
			_, err = tx.GetIAMInlinePolicy(ctx, r.RoleID, "p")
			wantErr(t, "deleted inline", err, store.ErrNotFound)
			return nil
		})
	})
}
