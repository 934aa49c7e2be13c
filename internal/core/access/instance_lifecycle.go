package access

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/paging"
	"github.com/idcenter/idcenter/internal/store"
)

// SSOServicePrincipal is the service principal of IAM Identity Center in
// Organizations (trusted access, delegated administrators).
const SSOServicePrincipal = "sso.amazonaws.com"

// NewInstance is the input of CreateInstance.
type NewInstance struct {
	// OwnerAccountID is the calling account, which will own the instance.
	OwnerAccountID string
	// Region is the region the call was made in: the instance's home region.
	Region string
	Name   string
	Tags   []store.Tag
	// ClientToken makes the call idempotent: a retry with the same token and
	// parameters returns the instance the first call created.
	ClientToken string
}

// fingerprint identifies the parameters of a CreateInstance call.
func (in NewInstance) fingerprint() string {
	tags := append([]store.Tag(nil), in.Tags...)
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	b, _ := json.Marshal(struct {
		Name string
		Tags []store.Tag
	}{in.Name, tags})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

var instanceNamePattern = regexp.MustCompile(`^[\w+=,.@-]+$`)

// InstanceARNOf names the instance an Identity Center resource ARN belongs
// to (an instance, permission set, application or trusted token issuer).
func InstanceARNOf(resourceARN string) (string, bool) { return instanceOf(resourceARN) }

// managementAccount is the organization's management account, "" for a
// standalone account (no organization).
func managementAccount(ctx context.Context, tx store.Tx) (string, error) {
	o, err := tx.GetOrganization(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return o.ManagementAccountID, err
}

// CreateInstance creates an account instance of IAM Identity Center, with its
// own identity store, in the calling account, as sso-admin CreateInstance: it
// is CREATE_IN_PROGRESS until the worker activates it. AWS rejects the call in
// the organization's management account (whose instance is the organization
// instance) and in an account that already has an instance (ConflictException).
func (s *Service) CreateInstance(ctx context.Context, in NewInstance) (store.Instance, error) {
	var out store.Instance
	if in.OwnerAccountID == "" {
		return out, fault.AccessDeniedf("CreateInstance needs a calling account.")
	}
	if in.Name != "" && (len(in.Name) > 255 || !instanceNamePattern.MatchString(in.Name)) {
		return out, fault.Validationf("The instance name must be 1-255 characters of letters, digits and +=,.@_-.")
	}
	if err := validateTags(in.Tags); err != nil {
		return out, err
	}
	if len(in.Tags) > maxTagsPerResource {
		return out, fault.QuotaExceededf("A resource can have at most %d tags.", maxTagsPerResource)
	}
	insHex, err := s.randomHex(8)
	if err != nil {
		return out, err
	}
	storeHex, err := s.randomHex(5)
	if err != nil {
		return out, err
	}
	region := in.Region
	if region == "" {
		region = "us-east-1"
	}
	out = store.Instance{
		ARN: "arn:aws:sso:::instance/ssoins-" + insHex, IdentityStoreID: "d-" + storeHex,
		OwnerAccountID: in.OwnerAccountID, Name: in.Name, Status: store.InstanceCreateInProgress,
		Region: region, CreatedAt: s.now(),
	}
	tokenKey := ""
	if in.ClientToken != "" {
		tokenKey = "sso.create_instance." + in.OwnerAccountID + "." + in.ClientToken
	}
	created := out
	err = mapErr("create instance", s.Store.Update(ctx, func(tx store.Tx) error {
		out = created
		if tokenKey != "" {
			v, err := tx.GetMeta(ctx, tokenKey)
			switch {
			case errors.Is(err, store.ErrNotFound):
			case err != nil:
				return err
			default:
				arn, fp, _ := strings.Cut(v, " ")
				if fp != in.fingerprint() {
					return fault.Conflictf("", "The ClientToken %s was already used with different parameters.", in.ClientToken)
				}
				prev, err := tx.GetInstance(ctx, arn)
				if err == nil {
					out = prev // a retry: the instance the first call created
					return nil
				}
				if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
		}
		mgmt, err := managementAccount(ctx, tx)
		if err != nil {
			return err
		}
		all, err := tx.ListInstances(ctx, store.Page{})
		if err != nil {
			return err
		}
		for _, i := range all {
			if i.OwnerAccountID == in.OwnerAccountID {
				return fault.Conflictf("", "An instance of IAM Identity Center already exists in account %s: %s.", in.OwnerAccountID, i.ARN)
			}
		}
		if in.OwnerAccountID == mgmt {
			return fault.Validationf("CreateInstance cannot create an account instance in the organization's management account.")
		}
		if err := tx.CreateInstance(ctx, out); err != nil {
			return err
		}
		if tokenKey != "" {
			if err := tx.PutMeta(ctx, tokenKey, out.ARN+" "+in.fingerprint()); err != nil {
				return err
			}
		}
		if len(in.Tags) > 0 {
			return tx.PutTags(ctx, out.ARN, out.ARN, in.Tags)
		}
		return nil
	}))
	if err != nil {
		return store.Instance{}, err
	}
	if s.Notify != nil {
		s.Notify()
	}
	return out, nil
}

// DeleteInstance starts the deletion of an instance by its owner account: it
// is DELETE_IN_PROGRESS until the worker removes it with its permission sets,
// assignments, applications, identity store data and the roles provisioned
// in accounts. As in AWS only the owner may delete an instance: neither a
// delegated administrator nor a member account can delete the organization
// instance (AccessDeniedException).
func (s *Service) DeleteInstance(ctx context.Context, callerAccountID, instanceARN string) error {
	err := mapErr("delete instance", s.Store.Update(ctx, func(tx store.Tx) error {
		in, err := tx.GetInstance(ctx, instanceARN)
		if errors.Is(err, store.ErrNotFound) {
			return instanceNotFound(instanceARN)
		}
		if err != nil {
			return err
		}
		if callerAccountID != in.OwnerAccountID {
			return fault.AccessDeniedf("Only the account that owns the instance (%s) can delete it.", in.OwnerAccountID)
		}
		if in.Status == store.InstanceDeleteInProgress {
			return fault.Conflictf("", "The instance %s is already being deleted.", instanceARN)
		}
		return tx.SetInstanceStatus(ctx, instanceARN, store.InstanceDeleteInProgress)
	}))
	if err != nil {
		return err
	}
	if s.Notify != nil {
		s.Notify()
	}
	return nil
}

// ProcessInstances activates the instances being created and removes those
// being deleted (each in one transaction); it returns how many it changed.
func (s *Service) ProcessInstances(ctx context.Context) (int, error) {
	var pending []store.Instance
	err := s.Store.View(ctx, func(tx store.Tx) error {
		all, err := tx.ListInstances(ctx, store.Page{})
		for _, i := range all {
			if i.Status == store.InstanceCreateInProgress || i.Status == store.InstanceDeleteInProgress {
				pending = append(pending, i)
			}
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("access: pending instances: %w", err)
	}
	for n, i := range pending {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		err := s.Store.Update(ctx, func(tx store.Tx) error {
			cur, err := tx.GetInstance(ctx, i.ARN)
			if err != nil {
				return ignoreNotFound(err)
			}
			switch cur.Status {
			case store.InstanceCreateInProgress:
				return tx.SetInstanceStatus(ctx, i.ARN, store.InstanceActive)
			case store.InstanceDeleteInProgress:
				return removeInstance(ctx, tx, cur)
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("access: process instance %s: %w", i.ARN, err)
		}
	}
	return len(pending), nil
}

// removeInstance removes the roles the instance provisioned in accounts, then
// the instance with everything it holds.
func removeInstance(ctx context.Context, tx store.Tx, in store.Instance) error {
	prs, err := tx.ListProvisioned(ctx, in.ARN, store.ProvisionedFilter{}, store.Page{})
	if err != nil {
		return err
	}
	for _, p := range prs {
		if err := deprovision(ctx, tx, in.ARN, p.PermissionSetARN, p.AccountID); err != nil {
			return err
		}
	}
	return tx.DeleteInstance(ctx, in.ARN)
}

// ListInstancesFor pages through the instances the calling account may see:
// its own (an account instance, or the organization instance for the
// management account) and, for the delegated administrator of IAM Identity
// Center, the organization instance.
func (s *Service) ListInstancesFor(ctx context.Context, callerAccountID string, maxResults int, nextToken string) ([]store.Instance, string, error) {
	p, limit, err := paging.Page(nextToken, maxResults, 100)
	if err != nil {
		return nil, "", err
	}
	var out []store.Instance
	err = s.Store.View(ctx, func(tx store.Tx) error {
		mgmt, err := managementAccount(ctx, tx)
		if err != nil {
			return err
		}
		delegated, err := isDelegatedAdmin(ctx, tx, callerAccountID)
		if err != nil {
			return err
		}
		// Few instances exist (at most one per account): filter them all.
		all, err := tx.ListInstances(ctx, store.Page{After: p.After})
		for _, i := range all {
			if i.OwnerAccountID == callerAccountID || (delegated && i.OwnerAccountID == mgmt) {
				out = append(out, i)
			}
		}
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("access: list instances: %w", err)
	}
	out, next := paging.Trim(out, limit, func(i store.Instance) string { return i.ARN })
	return out, next, nil
}

// isDelegatedAdmin reports whether account is registered as delegated
// administrator of IAM Identity Center in the organization.
func isDelegatedAdmin(ctx context.Context, tx store.Tx, accountID string) (bool, error) {
	if accountID == "" {
		return false, nil
	}
	das, err := tx.ListOrgDelegatedAdmins(ctx)
	if err != nil {
		return false, err
	}
	for _, d := range das {
		if d.AccountID == accountID && d.ServicePrincipal == SSOServicePrincipal {
			return true, nil
		}
	}
	return false, nil
}

// IsDelegatedAdmin reports whether account is the delegated administrator of
// IAM Identity Center (for the authorisation point).
func (s *Service) IsDelegatedAdmin(ctx context.Context, accountID string) (bool, error) {
	var ok bool
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		ok, err = isDelegatedAdmin(ctx, tx, accountID)
		return err
	})
	return ok, err
}

// CheckDelegatedAdministration refuses what a delegated administrator may not
// do on the organization instance, as AWS refuses it: managing a permission
// set provisioned to the management account, and creating or deleting
// account assignments in the management account (AccessDenied faults whose
// ResourceID is the refused resource: the set, or arn:aws:sso:::account/<id>).
// callerAccountID is the
// account of the caller; the owner of the instance passes unchecked.
// permissionSetARN and targetAccountID may be empty.
func (s *Service) CheckDelegatedAdministration(ctx context.Context, callerAccountID, instanceARN, permissionSetARN, targetAccountID string) error {
	if callerAccountID == "" || instanceARN == "" {
		return nil
	}
	return mapErr("check delegated administration", s.Store.View(ctx, func(tx store.Tx) error {
		in, err := tx.GetInstance(ctx, instanceARN)
		if err != nil {
			return ignoreNotFound(err) // the operation reports it
		}
		if in.OwnerAccountID == callerAccountID {
			return nil
		}
		if targetAccountID == in.OwnerAccountID {
			return &fault.Error{Kind: fault.AccessDenied, ResourceID: "arn:aws:sso:::account/" + in.OwnerAccountID,
				Message: fmt.Sprintf("A delegated administrator cannot manage account assignments in the management account %s.", in.OwnerAccountID)}
		}
		if permissionSetARN == "" {
			return nil
		}
		prs, err := tx.ListProvisioned(ctx, instanceARN, store.ProvisionedFilter{PermissionSetARN: permissionSetARN, AccountID: in.OwnerAccountID}, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		if len(prs) > 0 {
			return &fault.Error{Kind: fault.AccessDenied, ResourceID: permissionSetARN,
				Message: fmt.Sprintf("A delegated administrator cannot manage the permission set %s: it is provisioned to the management account %s.", permissionSetARN, in.OwnerAccountID)}
		}
		return nil
	}))
}

// ResourceOwner names the account owning an Identity Center resource whose
// ARN carries no account, for the authorisation point: the owner of the
// instance of an instance, permission set, application or trusted token
// issuer ARN, and of the identity store holding an identity store user,
// group or membership; "" when it cannot tell (an unknown resource).
func (s *Service) ResourceOwner(ctx context.Context, resource string) (string, error) {
	var owner string
	err := s.Store.View(ctx, func(tx store.Tx) error {
		if arn, ok := instanceOf(resource); ok {
			in, err := tx.GetInstance(ctx, arn)
			if err == nil {
				owner = in.OwnerAccountID
			}
			return ignoreNotFound(err)
		}
		kind, id, ok := strings.Cut(strings.TrimPrefix(resource, "arn:aws:identitystore:::"), "/")
		if !ok || !strings.HasPrefix(resource, "arn:aws:identitystore:::") {
			return nil
		}
		all, err := tx.ListInstances(ctx, store.Page{})
		if err != nil {
			return err
		}
		for _, in := range all {
			var err error
			switch kind {
			case "user":
				_, err = tx.GetUser(ctx, in.IdentityStoreID, id)
			case "group":
				_, err = tx.GetGroup(ctx, in.IdentityStoreID, id)
			case "membership":
				_, err = tx.GetMembership(ctx, in.IdentityStoreID, id)
			default:
				return nil
			}
			if err == nil {
				owner = in.OwnerAccountID
				return nil
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return nil
	})
	return owner, err
}

// IdentityStoreOwner names the account owning an identity store (its
// instance's owner), "" when there is no such store.
func (s *Service) IdentityStoreOwner(ctx context.Context, storeID string) string {
	var owner string
	_ = s.Store.View(ctx, func(tx store.Tx) error {
		in, err := tx.GetInstanceByIdentityStore(ctx, storeID)
		if err == nil {
			owner = in.OwnerAccountID
		}
		return nil
	})
	return owner
}

// CheckOrganizationInstance refuses permission sets on an account instance:
// as in AWS, permission sets and AWS account access need the organization
// instance (an account instance must not create roles in other accounts).
func (s *Service) CheckOrganizationInstance(ctx context.Context, instanceARN string) error {
	return mapErr("check organization instance", s.Store.View(ctx, func(tx store.Tx) error {
		in, err := tx.GetInstance(ctx, instanceARN)
		if err != nil {
			return ignoreNotFound(err) // the operation reports it
		}
		mgmt, err := managementAccount(ctx, tx)
		if err != nil {
			return err
		}
		if mgmt != "" && in.OwnerAccountID != mgmt {
			return fault.Validationf("Permission sets are supported only by the organization instance of IAM Identity Center; %s is an account instance.", instanceARN)
		}
		return nil
	}))
}
