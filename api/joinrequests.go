package api

import (
	"net/http"

	"relais"
)

func (s *Server) joinRequests(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rs, err := s.App.MembershipRequests(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": rs})
	return nil
}

func (s *Server) myJoinRequests(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	rs, err := s.App.MyMembershipRequests(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": rs})
	return nil
}

func (s *Server) approveJoin(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.decision(w, r, true, func(id int64, reason string) (any, error) {
		return s.App.DecideMembership(r.Context(), u, id, true, reason)
	})
}

func (s *Server) refuseJoin(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.decision(w, r, false, func(id int64, reason string) (any, error) {
		return s.App.DecideMembership(r.Context(), u, id, false, reason)
	})
}
