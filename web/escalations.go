package web

import (
	"net/http"
	"slices"
	"strconv"

	"relais"
	"relais/policy"
)

// registerEscalations adds the page of escalations and its resolve form.
func (s *Server) registerEscalations(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /escalations", s.signedIn(s.escalations))
	mux.Handle("POST /escalations/{id}/resolve", post(s.signedIn(s.resolveEscalation)))
}

// escalationOpen is the status of an escalation not resolved yet.
const escalationOpen = "open"

// mayResolve reports whether the policy lets the person resolve an
// escalation: its assignee, or the community manager.
func mayResolve(u *relais.User, e *relais.Escalation) bool {
	return policy.Decide(policy.ActorOf(u), policy.ResolveEscalation, policy.Target{Owner: e.AssigneeID == u.ID}).Allowed()
}

// escalationsPage lists the escalations: all of them to the community
// manager, to anyone else those they raised or were assigned.
type escalationsPage struct {
	Page
	Open     []escalationItem
	Resolved []escalationItem
	Oversees bool
	Notice   string
}

// escalationItem is an escalation with its resolve form, and the input of
// that form when it was refused.
type escalationItem struct {
	*relais.Escalation
	Resolve bool // the person may resolve it
	Typed   string
	Error   string
	Rule    string
	Field   string
	P       *Page // the page it is on, for its texts and forms
}

// SeverityClass returns the class of a severity's tag.
func (p *Page) SeverityClass(sv relais.Severity) string {
	switch sv {
	case relais.SeverityCritical:
		return "status-rejected"
	case relais.SeverityHigh:
		return "status-pending"
	}
	return ""
}

func (s *Server) loadEscalations(r *http.Request, v *visit) (*escalationsPage, error) {
	es, err := s.App.Escalations(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	ep := &escalationsPage{Page: v.page(r, text(v.Lang, "escalations.title")), Oversees: overseesEscalations(v.User)}
	ep.Path = "/escalations"
	for _, e := range es {
		it := escalationItem{Escalation: e, P: &ep.Page}
		if e.Status == escalationOpen {
			it.Resolve = mayResolve(v.User, e)
			ep.Open = append(ep.Open, it)
		} else {
			ep.Resolved = append(ep.Resolved, it)
		}
	}
	return ep, nil
}

func (s *Server) escalations(w http.ResponseWriter, r *http.Request, v *visit) {
	ep, err := s.loadEscalations(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if r.URL.Query().Get("done") == "resolved" {
		ep.Notice = ep.T("escalations.done.resolved")
	}
	s.render(w, r, http.StatusOK, "escalations", ep)
}

func (s *Server) resolveEscalation(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	resolution := r.PostForm.Get("resolution")
	if _, err := s.App.ResolveEscalation(r.Context(), v.User, id, resolution); err != nil {
		status, e, msg := s.message(r, v.Lang, err)
		ep, lerr := s.loadEscalations(r, v)
		i := -1
		if lerr == nil {
			i = slices.IndexFunc(ep.Open, func(it escalationItem) bool { return it.ID == id })
		}
		if i < 0 || status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		it := &ep.Open[i]
		it.Typed, it.Error, it.Rule, it.Field = resolution, msg, e.Rule, e.Field
		s.render(w, r, status, "escalations", ep)
		return
	}
	http.Redirect(w, r, "/escalations?done=resolved#escalation-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
