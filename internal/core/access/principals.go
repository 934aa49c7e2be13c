package access

import (
	"context"
	"errors"
	"fmt"

	"github.com/idcenter/idcenter/internal/store"
)

// RemovePrincipalAssignments removes the account and application assignments
// of a user or group that the identity store is deleting, inside the
// deleting transaction tx (so a crash cannot leave a deleted principal with
// assignments, nor remove the assignments of a principal that stays).
//
// Account assignments go the way DeleteAccountAssignment takes them: the
// assignment records are removed at once (ListAccountAssignments and
// ListAccountAssignmentsForPrincipal stop showing them with the principal)
// and one DELETE_ASSIGNMENT request per assignment is queued IN_PROGRESS, so
// the Worker removes the AWSReservedSSO_ role from an account when the last
// assignment of the set there is gone, and the requests are listed by
// ListAccountAssignmentDeletionStatus. Call Wake after tx commits.
// Application assignments (synchronous in AWS) are deleted.
//
// AWS itself leaves a deleted principal's assignments in place (they keep
// naming an id that no longer resolves); idcenter's one directory removes
// them, as a deletion by an identity provider means the access is over.
func (s *Service) RemovePrincipalAssignments(ctx context.Context, tx store.Tx, storeID, principalType, principalID string) error {
	in, err := tx.GetInstanceByIdentityStore(ctx, storeID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("access: instance of %s: %w", storeID, err)
	}
	var as []store.AccountAssignment
	f := store.AssignmentFilter{PrincipalType: principalType, PrincipalID: principalID}
	for p := (store.Page{Limit: 100}); ; {
		page, err := tx.ListAccountAssignments(ctx, in.ARN, f, p)
		if err != nil {
			return fmt.Errorf("access: assignments of %s %s: %w", principalType, principalID, err)
		}
		as = append(as, page...)
		if len(page) < p.Limit {
			break
		}
		p.After = page[len(page)-1].Key()
	}
	for _, a := range as {
		if err := tx.DeleteAccountAssignment(ctx, a); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("access: delete assignment: %w", err)
		}
		id, err := s.newUUID()
		if err != nil {
			return err
		}
		err = tx.CreateSSORequest(ctx, store.SSORequest{RequestID: id, Kind: store.SSORequestDeleteAssignment, InstanceARN: in.ARN,
			Status: StatusInProgress, TargetID: a.AccountID, TargetType: TargetAWSAccount, PermissionSetARN: a.PermissionSetARN,
			PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID, CreatedAt: s.now()})
		if err != nil {
			return fmt.Errorf("access: queue assignment deletion: %w", err)
		}
	}
	var apps []store.ApplicationAssignment
	af := store.ApplicationAssignmentFilter{PrincipalType: principalType, PrincipalID: principalID}
	for p := (store.Page{Limit: 100}); ; {
		page, err := tx.ListApplicationAssignments(ctx, in.ARN, af, p)
		if err != nil {
			return fmt.Errorf("access: application assignments of %s %s: %w", principalType, principalID, err)
		}
		apps = append(apps, page...)
		if len(page) < p.Limit {
			break
		}
		p.After = page[len(page)-1].Key()
	}
	for _, a := range apps {
		if err := tx.DeleteApplicationAssignment(ctx, a); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("access: delete application assignment: %w", err)
		}
	}
	return nil
}

// Wake tells the Worker that requests were queued by a committed
// transaction (RemovePrincipalAssignments).
func (s *Service) Wake() {
	if s.Notify != nil {
		s.Notify()
	}
}
