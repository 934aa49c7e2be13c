package apierr

import (
	"errors"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/fault"
)

// Table maps fault kinds to one service's error codes.
type Table struct {
	Model *awsproto.Model
	Codes map[fault.Kind]string
}

// defaultStatus is the HTTP status of each kind where the service model gives
// none: botocore's awsJson models carry no statuses, so these are the Smithy
// models' @httpError values for the identitystore/sso-admin error shapes.
var defaultStatus = map[fault.Kind]int{
	fault.NotFound:      404,
	fault.Conflict:      409,
	fault.Validation:    400,
	fault.QuotaExceeded: 402,
	fault.AccessDenied:  403,
}

// Map converts err for the wire: *awsproto.Error passes through, a *fault.Error
// becomes the service's modelled error, anything else is returned unchanged (the
// codec answers it as an internal error without leaking it).
func (t Table) Map(err error) error {
	if err == nil {
		return nil
	}
	var pe *awsproto.Error
	if errors.As(err, &pe) {
		return pe
	}
	fe := fault.As(err)
	if fe == nil {
		return err
	}
	code, ok := t.Codes[fe.Kind]
	if !ok {
		return err
	}
	out := &awsproto.Error{Code: code, Message: fe.Message, Status: defaultStatus[fe.Kind]}
	if sh, ok := t.Model.ErrorShape(code); ok {
		if sh.HTTPStatus != 0 {
			out.Status = sh.HTTPStatus
		}
		for _, m := range sh.Members {
			var v string
			switch m.Name {
			case "ResourceType":
				v = fe.ResourceType
			case "ResourceId":
				v = fe.ResourceID
			case "Reason":
				v = fe.Reason
			}
			if v != "" {
				if out.Fields == nil {
					out.Fields = map[string]any{}
				}
				out.Fields[m.WireName] = v
			}
		}
	}
	return out
}
