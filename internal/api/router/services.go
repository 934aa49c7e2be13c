package router

import (
	"sort"

	"github.com/idcenter/idcenter/internal/api/awsproto"
)

// Services lists the AWS services the router serves, by service id (for
// tests that check every operation's mapping to the authorisation point).
func (rt *Router) Services() []*awsproto.Service {
	seen := map[*awsproto.Service]bool{}
	var out []*awsproto.Service
	add := func(s *awsproto.Service) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range rt.byTarget {
		add(s)
	}
	for _, s := range rt.rest {
		add(s)
	}
	for _, s := range rt.query {
		add(s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Model.ServiceID < out[j].Model.ServiceID })
	return out
}
