package web

import (
	"net/http"
	"net/url"
	"strconv"

	"relais"
	"relais/api"
)

// joinItem is a pending request to join on a space's page, with the input
// of its refuse form when it was refused.
type joinItem struct {
	*relais.MembershipRequest
	Error string // why the refuse form was refused
	Typed string // the reason typed, kept when refused
}

func (s *Server) approveJoin(w http.ResponseWriter, r *http.Request, v *visit) {
	s.decideJoin(w, r, v, true)
}

func (s *Server) refuseJoin(w http.ResponseWriter, r *http.Request, v *visit) {
	s.decideJoin(w, r, v, false)
}

// decideJoin approves or refuses a request to join, then goes back to the
// space, which says what the decision did. A refused decision shows the
// space again with the reason, at the status of the refusal.
func (s *Server) decideJoin(w http.ResponseWriter, r *http.Request, v *visit, approve bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	var reason string
	if !approve {
		reason = r.PostForm.Get("reason")
	}
	d, err := s.App.DecideMembership(r.Context(), v.User, id, approve, reason)
	if err != nil {
		s.refuseJoinDecision(w, r, v, id, reason, err)
		return
	}
	outcome := "approved"
	switch {
	case d.Status == "pending_approval":
		outcome = "pending_approval"
	case !approve:
		outcome = "refused"
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(d.Request.SpaceID, 10)+"?"+url.Values{"decided": {outcome}}.Encode()+"#requests-h", http.StatusSeeOther)
}

// refuseJoinDecision shows the space of the request with the error of a
// decision: beside the refuse form when the reason was refused, above the
// list otherwise. When the request or its space cannot be shown, the error
// page says why.
func (s *Server) refuseJoinDecision(w http.ResponseWriter, r *http.Request, v *visit, id int64, reason string, err error) {
	var spaceID int64
	if api.StatusOf(relais.AsError(err).Code) != http.StatusInternalServerError {
		if req, rerr := s.App.Store.MembershipRequestByID(r.Context(), id); rerr == nil {
			spaceID = req.SpaceID
		}
	}
	if spaceID == 0 {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	s.refuseOnSpace(w, r, v, spaceID, err, func(sp *spacePage, msg string, e *relais.Error) {
		if e.Field == "reason" {
			for i := range sp.Requests {
				if sp.Requests[i].ID == id {
					sp.Requests[i].Error, sp.Requests[i].Typed = msg, reason
					return
				}
			}
		}
		sp.RequestsErr, sp.RequestsRule = msg, e.Rule
	})
}
