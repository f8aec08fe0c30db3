package api

import (
	"net/http"
	"time"

	"relais"
	"relais/app"
)

// signalRoutes are the routes from conversation to decision: signals,
// suggestions and escalations.
func (s *Server) signalRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/signals", Auth: true, Summary: "Route a post to whoever decides: a person (owner_login) or a unit (unit_id) (stewards, a team's manager)", Request: "NewSignal", Response: "Signal", Status: 201, Pending: true, handle: s.raiseSignal},
		{Method: "GET", Path: "/api/v1/signals", Auth: true, Summary: "The signals the caller owns and raised; for the community manager, the stale ones too", Response: "SignalLists", Status: 200, handle: s.signals},
		{Method: "GET", Path: "/api/v1/signals/{id}", Auth: true, Summary: "One signal with its history", Response: "Signal", Status: 200, handle: s.signal},
		{Method: "POST", Path: "/api/v1/signals/{id}/decision", Auth: true, Summary: "Acknowledge, accept, reject, plan or close a signal one owns; the decision is shown in the thread", Request: "SignalDecision", Response: "Signal", Status: 200, handle: s.decideSignal},
		{Method: "POST", Path: "/api/v1/posts/{id}/signal-suggestions", Auth: true, Summary: "Suggest to the stewards that a post be routed to whoever decides (participants)", Request: "NewSuggestion", Response: "SignalSuggestion", Status: 201, handle: s.suggestSignal},
		{Method: "GET", Path: "/api/v1/spaces/{id}/signal-suggestions", Auth: true, Summary: "The open suggestions of a space (stewards, a team's manager)", Response: "SignalSuggestionList", Status: 200, handle: s.signalSuggestions},
		{Method: "POST", Path: "/api/v1/spaces/{id}/signal-suggestions/{suggestion_id}/dismiss", Auth: true, Summary: "Close a suggestion without raising a signal", Status: 204, Pending: true, handle: s.dismissSuggestion},
		{Method: "GET", Path: "/api/v1/spaces/{id}/signal-deadline", Auth: true, Summary: "The days owners have to answer the signals of a space (default 14)", Response: "SignalDeadline", Status: 200, handle: s.signalDeadline},
		{Method: "PUT", Path: "/api/v1/spaces/{id}/signal-deadline", Auth: true, Summary: "Set the days owners have to answer the signals of a space, 1 to 90 (the community manager)", Request: "SignalDeadline", Response: "SignalDeadline", Status: 200, handle: s.setSignalDeadline},
		{Method: "POST", Path: "/api/v1/escalations", Auth: true, Summary: "Escalate a difficult situation to the community manager or a named responsible person (stewards, a team's manager)", Request: "NewEscalation", Response: "Escalation", Status: 201, Pending: true, handle: s.escalate},
		{Method: "GET", Path: "/api/v1/escalations", Auth: true, Summary: "Every escalation for the community manager; for others, those they raised or were assigned", Response: "EscalationList", Status: 200, handle: s.escalations},
		{Method: "GET", Path: "/api/v1/escalations/{id}", Auth: true, Summary: "One escalation", Response: "Escalation", Status: 200, handle: s.escalation},
		{Method: "POST", Path: "/api/v1/escalations/{id}/resolve", Auth: true, Summary: "Resolve an escalation (its assignee, the community manager)", Request: "Resolution", Response: "Escalation", Status: 200, handle: s.resolveEscalation},
	}
}

func (s *Server) raiseSignal(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		PostID       *int64  `json:"post_id"`
		OwnerLogin   string  `json:"owner_login"`
		UnitID       int64   `json:"unit_id"`
		Summary      *string `json:"summary"`
		SuggestionID int64   `json:"suggestion_id"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.PostID == nil:
		return required("post_id")
	case in.Summary == nil:
		return required("summary")
	case *in.PostID <= 0 || in.UnitID < 0 || in.SuggestionID < 0:
		return &relais.Error{Code: relais.EINVALID, Message: "Ids are positive integers.", MessageFR: "Les identifiants sont des entiers positifs."}
	}
	g, res, err := s.App.RaiseSignal(r.Context(), u, app.NewSignal{PostID: *in.PostID, OwnerLogin: in.OwnerLogin, UnitID: in.UnitID,
		Summary: *in.Summary, SuggestionID: in.SuggestionID})
	if err != nil {
		return err
	}
	if pending(w, res) {
		return nil
	}
	writeJSON(w, http.StatusCreated, g)
	return nil
}

// pending answers 202 with the result of an action that waits for the
// mentor of a steward in co-pilot, and reports whether it did.
func pending(w http.ResponseWriter, res *app.ActionResult) bool {
	if res == nil || res.Status != "pending_approval" {
		return false
	}
	writeJSON(w, http.StatusAccepted, res)
	return true
}

func (s *Server) signals(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	ls, err := s.App.Signals(r.Context(), u)
	if err != nil {
		return err
	}
	// "signals" is every signal of the caller, owned or raised, once.
	all, seen := []*relais.Signal{}, map[int64]bool{}
	for _, list := range [][]*relais.Signal{ls.Owned, ls.Raised} {
		for _, g := range list {
			if !seen[g.ID] {
				seen[g.ID] = true
				all = append(all, g)
			}
		}
	}
	stale := ls.Stale
	if stale == nil {
		stale = []*relais.Signal{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"signals": all, "owned": ls.Owned, "raised": ls.Raised, "stale": stale})
	return nil
}

func (s *Server) signal(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := s.App.Signal(r.Context(), u, id)
	return writeResult(w, g, err)
}

func (s *Server) decideSignal(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Status   *string `json:"status"`
		Decision string  `json:"decision"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Status == nil {
		return required("status")
	}
	g, err := s.App.DecideSignal(r.Context(), u, id, relais.SignalStatus(*in.Status), in.Decision)
	return writeResult(w, g, err)
}

func (s *Server) suggestSignal(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Note *string `json:"note"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Note == nil {
		return required("note")
	}
	g, err := s.App.SuggestSignal(r.Context(), u, id, *in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, g)
	return nil
}

func (s *Server) signalSuggestions(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	gs, err := s.App.SignalSuggestions(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"suggestions": gs})
	return nil
}

func (s *Server) dismissSuggestion(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sid, err := pathInt(r, "suggestion_id")
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	res, err := s.App.DismissSuggestion(r.Context(), u, id, sid)
	if err != nil {
		return err
	}
	if pending(w, res) {
		return nil
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) escalate(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		SpaceID       *int64  `json:"space_id"`
		PostID        int64   `json:"post_id"`
		AssigneeLogin *string `json:"assignee_login"`
		Severity      *string `json:"severity"`
		Summary       *string `json:"summary"`
		Deadline      string  `json:"deadline"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.SpaceID == nil:
		return required("space_id")
	case in.AssigneeLogin == nil:
		return required("assignee_login")
	case in.Severity == nil:
		return required("severity")
	case in.Summary == nil:
		return required("summary")
	case *in.SpaceID <= 0 || in.PostID < 0:
		return &relais.Error{Code: relais.EINVALID, Message: "Ids are positive integers.", MessageFR: "Les identifiants sont des entiers positifs."}
	}
	var deadline time.Time
	if in.Deadline != "" {
		var err error
		if deadline, err = time.Parse(time.RFC3339, in.Deadline); err != nil {
			return &relais.Error{Code: relais.EINVALID, Field: "deadline", Message: "deadline must be an RFC 3339 date and time, e.g. 2026-12-01T18:00:00+01:00.",
				MessageFR: "deadline doit être une date et une heure RFC 3339, par ex. 2026-12-01T18:00:00+01:00."}
		}
	}
	e, res, err := s.App.Escalate(r.Context(), u, app.NewEscalation{SpaceID: *in.SpaceID, PostID: in.PostID, AssigneeLogin: *in.AssigneeLogin,
		Severity: relais.Severity(*in.Severity), Summary: *in.Summary, Deadline: deadline})
	if err != nil {
		return err
	}
	if pending(w, res) {
		return nil
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) escalations(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	es, err := s.App.Escalations(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"escalations": es})
	return nil
}

func (s *Server) escalation(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := s.App.Escalation(r.Context(), u, id)
	return writeResult(w, e, err)
}

func (s *Server) resolveEscalation(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Resolution *string `json:"resolution"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Resolution == nil {
		return required("resolution")
	}
	e, err := s.App.ResolveEscalation(r.Context(), u, id, *in.Resolution)
	return writeResult(w, e, err)
}

func (s *Server) signalDeadline(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	days, err := s.App.SignalDeadline(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"days": days})
	return nil
}

func (s *Server) setSignalDeadline(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Days *int `json:"days"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Days == nil {
		return required("days")
	}
	days, err := s.App.SetSignalDeadline(r.Context(), u, id, *in.Days)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"days": days})
	return nil
}
