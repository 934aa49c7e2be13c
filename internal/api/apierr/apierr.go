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
	out := &awsproto.Error{Code: code, Message: fe.Message, Status: 400}
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
