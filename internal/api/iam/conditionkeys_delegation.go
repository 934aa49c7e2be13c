package iam

import (
	"context"
	"strconv"

	"github.com/idcenter/idcenter/internal/api/awsproto"
)

// addDelegationKeys sets the request condition keys the Service
// Authorization Reference lists for IAM's delegation requests:
//
//   - CreateDelegationRequest: iam:TemplateArn (Permissions.PolicyTemplateArn),
//     iam:NotificationChannel and iam:DelegationDuration (SessionDuration, in
//     seconds);
//   - ListDelegationRequests: iam:DelegationRequestOwner (OwnerId, when given).
//
// The reference also lists iam:DelegationRequestOwner on
// CreateDelegationRequest without saying which value it carries there (the
// request names no owner ARN, only OwnerAccountId); it is left absent.
func (a *Adapter) addDelegationKeys(h map[string]awsproto.Handler) {
	awsproto.AddKeys(h["CreateDelegationRequest"], func(_ context.Context, in *CreateDelegationRequestRequest) map[string][]string {
		k := map[string][]string{}
		if in.Permissions != nil && in.Permissions.PolicyTemplateArn != "" {
			k["iam:TemplateArn"] = []string{in.Permissions.PolicyTemplateArn}
		}
		if in.NotificationChannel != "" {
			k["iam:NotificationChannel"] = []string{in.NotificationChannel}
		}
		if in.SessionDuration != nil {
			k["iam:DelegationDuration"] = []string{strconv.Itoa(int(*in.SessionDuration))}
		}
		return k
	})
	awsproto.AddKeys(h["ListDelegationRequests"], func(_ context.Context, in *ListDelegationRequestsRequest) map[string][]string {
		if in.OwnerId == "" {
			return nil
		}
		return map[string][]string{"iam:DelegationRequestOwner": {in.OwnerId}}
	})
}
