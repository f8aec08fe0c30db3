package api

import (
	"net/http"

	"relais"
)

func (s *Server) approvals(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	as, err := s.App.Approvals(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"approvals": as})
	return nil
}

func (s *Server) myApprovals(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	as, err := s.App.MyRequests(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"approvals": as})
	return nil
}

func (s *Server) approval(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.App.Approval(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	a, err := s.App.DecideApproval(r.Context(), u, id, true, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) reject(w http.ResponseWriter, r *http.Request, u *relais.User) error {
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
	a, err := s.App.DecideApproval(r.Context(), u, id, false, *in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}
