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
	return s.decision(w, r, true, func(id int64, reason string) (any, error) {
		return s.App.DecideApproval(r.Context(), u, id, true, reason)
	})
}

func (s *Server) reject(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.decision(w, r, false, func(id int64, reason string) (any, error) {
		return s.App.DecideApproval(r.Context(), u, id, false, reason)
	})
}

// decision reads the {id} and the body of an approving call (none, or an
// empty object) or a refusing one ({"reason"}), and renders what decide
// returns.
func (s *Server) decision(w http.ResponseWriter, r *http.Request, approve bool, decide func(id int64, reason string) (any, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var reason string
	if approve {
		if err := noBody(w, r); err != nil {
			return err
		}
	} else {
		var in struct {
			Reason *string `json:"reason"`
		}
		if err := decode(w, r, &in); err != nil {
			return err
		}
		if in.Reason == nil {
			return required("reason")
		}
		reason = *in.Reason
	}
	out, err := decide(id, reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
