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
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	d, err := s.App.DecideMembership(r.Context(), u, id, true, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) refuseJoin(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Reason *string `json:"reason"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Reason == nil {
		return required("reason")
	}
	d, err := s.App.DecideMembership(r.Context(), u, id, false, *in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
