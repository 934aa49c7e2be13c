package awsproto

import "sort"

// ActionMapping is how one handled operation reaches the authorisation
// point: its IAM action and whether it is authorised at all.
type ActionMapping struct {
	Operation string
	// Action is "<IAMPrefix>:<Operation>".
	Action string
	// Signed is false for operations modelled without authentication
	// (their callers present tokens or signed assertions the core checks).
	Signed bool
	// Authorized: a signed operation of a service with an Authorizer.
	Authorized bool
	// HasResource: the handler names the resource ARN it acts on (a
	// resource function was given; it may answer "*").
	HasResource bool
}

func (o *TypedOp[In, Out]) hasResource() bool { return o.resource != nil }

// ActionMappings lists the mapping of every handled operation, by name.
func (s *Service) ActionMappings() []ActionMapping {
	prefix := s.IAMPrefix
	if prefix == "" {
		prefix = s.Model.SigningName
	}
	var out []ActionMapping
	for _, op := range s.Model.Operations {
		h := s.Handlers[op.Name]
		if h == nil {
			continue
		}
		r, ok := h.(interface{ hasResource() bool })
		out = append(out, ActionMapping{Operation: op.Name, Action: prefix + ":" + op.Name, Signed: !op.AuthNone,
			Authorized: s.Authorizer != nil && !op.AuthNone, HasResource: ok && r.hasResource()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Operation < out[j].Operation })
	return out
}
