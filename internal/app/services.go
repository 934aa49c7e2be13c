package app

import "github.com/idcenter/idcenter/internal/api/awsproto"

// APIServices lists the AWS services the server answers, as wired (with
// their authorisers): tests check that every operation reaches the
// authorisation point with an action and a resource.
func (s *Server) APIServices() []*awsproto.Service {
	if s.rt == nil {
		return nil
	}
	return s.rt.Services()
}
