package api

import (
	"encoding/json"
	"net/http"

	"relais"
)

// coachingRoutes are the routes of the team's coaching, of mentions and of
// contribution agreements.
func (s *Server) coachingRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/coaching", Auth: true, Summary: "Ask the community manager or an internal social media manager for coaching: a private thread (a team's manager)", Request: "NewCoaching", Response: "Coaching", Status: 201, handle: s.requestCoaching},
		{Method: "GET", Path: "/api/v1/coaching", Auth: true, Summary: "The coachings the caller is a party to, as manager or coach", Response: "CoachingList", Status: 200, handle: s.coachings},
		{Method: "GET", Path: "/api/v1/coaching/{id}", Auth: true, Summary: "A coaching thread with its messages and, while open, the team space's aggregate figures (its two parties only)", Response: "CoachingThread", Status: 200, handle: s.coaching},
		{Method: "POST", Path: "/api/v1/coaching/{id}/messages", Auth: true, Summary: "Write in an open coaching thread; the other party is told", Request: "NewCoachingMessage", Response: "CoachingMessage", Status: 201, handle: s.writeCoaching},
		{Method: "POST", Path: "/api/v1/coaching/{id}/close", Auth: true, Summary: "Close a coaching (either party): the coach no longer sees the team's figures", Response: "Coaching", Status: 200, handle: s.closeCoaching},
		{Method: "GET", Path: "/api/v1/spaces/{id}/mentionable", Query: []string{"q"}, Auth: true, Summary: "The people one may mention (@login) in a space: those listed in it who may read it, whose login or name starts with q; never a coach", Response: "MentionableList", Status: 200, handle: s.mentionable},
		{Method: "POST", Path: "/api/v1/spaces/{id}/agreements", Auth: true, Summary: "Propose the time one gives a community (0.5 to 40 hours a week); one's manager decides", Request: "NewAgreement", Response: "Agreement", Status: 201, handle: s.proposeAgreement},
		{Method: "GET", Path: "/api/v1/agreements", Auth: true, Summary: "The caller's contribution agreements, those waiting for their decision as manager, and their people's decided ones", Response: "AgreementLists", Status: 200, handle: s.agreements},
		{Method: "POST", Path: "/api/v1/agreements/{id}/approve", Auth: true, Summary: "Approve a proposed contribution agreement (the person's manager)", Response: "Agreement", Status: 200, handle: s.approveAgreement},
		{Method: "POST", Path: "/api/v1/agreements/{id}/decline", Auth: true, Summary: "Decline a proposed contribution agreement with a reason the person reads (the person's manager)", Request: "RejectRequest", Response: "Agreement", Status: 200, handle: s.declineAgreement},
		{Method: "POST", Path: "/api/v1/agreements/{id}/withdraw", Auth: true, Summary: "Withdraw one's own proposed or approved agreement", Response: "Agreement", Status: 200, handle: s.withdrawAgreement},
	}
}

func (s *Server) requestCoaching(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		CoachLogin *string `json:"coach_login"`
		Topic      string  `json:"topic"`
		TeamID     int64   `json:"team_id"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.CoachLogin == nil {
		return required("coach_login")
	}
	c, err := s.App.RequestCoaching(r.Context(), u, relais.NewCoaching{CoachLogin: *in.CoachLogin, Topic: in.Topic, TeamID: in.TeamID})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) coachings(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	cs, err := s.App.Coachings(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"coachings": cs})
	return nil
}

func (s *Server) coaching(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	th, err := s.App.Coaching(r.Context(), u, id)
	return writeResult(w, th, err)
}

func (s *Server) writeCoaching(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Body *string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Body == nil {
		return required("body")
	}
	m, err := s.App.WriteCoaching(r.Context(), u, id, *in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}

func (s *Server) closeCoaching(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	c, err := s.App.CloseCoaching(r.Context(), u, id)
	return writeResult(w, c, err)
}

func (s *Server) mentionable(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ps, err := s.App.Mentionable(r.Context(), u, id, r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"people": ps})
	return nil
}

func (s *Server) proposeAgreement(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Hours json.RawMessage `json:"hours_per_week"`
		Role  string          `json:"role"`
		Note  string          `json:"note"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if len(in.Hours) == 0 || string(in.Hours) == "null" {
		return required("hours_per_week")
	}
	hours, err := hoursOf(in.Hours)
	if err != nil {
		if e, ok := err.(*relais.Error); ok {
			e.Field = "hours_per_week"
		}
		return err
	}
	a, err := s.App.ProposeAgreement(r.Context(), u, id, relais.NewAgreement{Hours: hours, Role: in.Role, Note: in.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) agreements(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	l, err := s.App.Agreements(r.Context(), u)
	return writeResult(w, l, err)
}

func (s *Server) approveAgreement(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	a, err := s.App.DecideAgreement(r.Context(), u, id, true, "")
	return writeResult(w, a, err)
}

func (s *Server) declineAgreement(w http.ResponseWriter, r *http.Request, u *relais.User) error {
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
	a, err := s.App.DecideAgreement(r.Context(), u, id, false, *in.Reason)
	return writeResult(w, a, err)
}

func (s *Server) withdrawAgreement(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	a, err := s.App.WithdrawAgreement(r.Context(), u, id)
	return writeResult(w, a, err)
}

// The schemas of coaching, mentions and agreements join the document here;
// the approved agreements are documented in the capacity too.
func init() {
	addSchemas(coachingSchemas)
	if c, ok := cockpitSchemas["Capacity"].(map[string]any); ok {
		if props, ok := c["properties"].(map[string]any); ok {
			props["agreements"] = map[string]any{"type": "array", "items": ref("SpaceAgreements"),
				"description": "approved contribution agreements per community, with their totals beside the social media managers' hours; never activity"}
		}
	}
}

var (
	coachingHours = map[string]any{"type": "number", "minimum": 0.5, "maximum": 40, "multipleOf": 0.01,
		"description": "hours per week, 0.5 to 40, to the hundredth"}
	coachingStatus  = enum(string(relais.CoachingOpen), string(relais.CoachingClosed))
	agreementStatus = enum(string(relais.AgreementProposed), string(relais.AgreementApproved),
		string(relais.AgreementDeclined), string(relais.AgreementWithdrawn))
)

var coachingSchemas = map[string]any{
	"NewCoaching": obj([]string{"coach_login"}, map[string]any{
		"coach_login": map[string]any{"type": "string", "description": "the community manager or an internal social media manager outside co-pilot"},
		"topic":       map[string]any{"type": "string", "maxLength": relais.MaxCoachingTopic},
		"team_id":     map[string]any{"type": "integer", "description": "the team, when the caller leads several"}}),
	"Coaching": obj([]string{"id", "team_id", "team_name", "manager_id", "manager_name", "coach_id", "coach_login", "coach_name", "topic", "status", "messages", "created_at"},
		map[string]any{"id": integer, "team_id": integer, "team_name": str, "manager_id": integer, "manager_name": str,
			"coach_id": integer, "coach_login": str, "coach_name": str, "topic": str, "status": coachingStatus,
			"messages": integer, "created_at": instant, "closed_at": instant}),
	"CoachingList": obj([]string{"coachings"}, map[string]any{"coachings": array(ref("Coaching"))}),
	"CoachingMessage": obj([]string{"id", "coaching_id", "author_id", "author_name", "body", "created_at"}, map[string]any{
		"id": integer, "coaching_id": integer, "author_id": integer, "author_name": str, "body": str, "created_at": instant}),
	"NewCoachingMessage": obj([]string{"body"}, map[string]any{"body": map[string]any{"type": "string", "minLength": 1, "maxLength": relais.MaxCoachingMessage}}),
	"CoachingThread": obj([]string{"coaching", "messages", "figures", "can_write"}, map[string]any{
		"coaching": ref("Coaching"), "messages": array(ref("CoachingMessage")), "space_id": integer,
		"figures": map[string]any{"anyOf": []any{ref("AnalyticsReport"), map[string]any{"type": "null"}},
			"description": "the team space's aggregate, k-anonymous figures while the coaching is open; null once closed"},
		"can_write": boolean}),
	"Mentionable":     obj([]string{"login", "name"}, map[string]any{"login": str, "name": str}),
	"MentionableList": obj([]string{"people"}, map[string]any{"people": array(ref("Mentionable"))}),
	"NewAgreement": obj([]string{"hours_per_week"}, map[string]any{"hours_per_week": coachingHours,
		"role": map[string]any{"type": "string", "maxLength": relais.MaxAgreementRole, "default": "contributor", "description": "such as expert, mentor, contributor"},
		"note": map[string]any{"type": "string", "maxLength": relais.MaxAgreementNote}}),
	"Agreement": obj([]string{"id", "user_id", "user_login", "user_name", "space_id", "space_name", "manager_id", "manager_name",
		"hours_per_week", "role", "note", "status", "created_at"}, map[string]any{
		"id": integer, "user_id": integer, "user_login": str, "user_name": str, "space_id": integer, "space_name": str,
		"manager_id": integer, "manager_name": str, "hours_per_week": coachingHours, "role": str, "note": str,
		"status": agreementStatus, "reason": str, "created_at": instant, "decided_at": instant, "decided_by": integer, "decider_name": str}),
	"AgreementLists": obj([]string{"mine", "to_decide", "team"}, map[string]any{"mine": array(ref("Agreement")),
		"to_decide": array(ref("Agreement")), "team": array(ref("Agreement"))}),
	"AgreedTime": obj([]string{"agreement_id", "user_id", "name", "hours_per_week", "role"}, map[string]any{
		"agreement_id": integer, "user_id": integer, "name": str, "hours_per_week": coachingHours, "role": str}),
	"SpaceAgreements": obj([]string{"space_id", "space_name", "hours_per_week", "smm_hours", "agreements"}, map[string]any{
		"space_id": integer, "space_name": str,
		"hours_per_week": map[string]any{"type": "number", "minimum": 0, "description": "the sum of the agreements"},
		"smm_hours":      map[string]any{"type": "number", "minimum": 0, "description": "the hours active social media managers give the space"},
		"agreements":     array(ref("AgreedTime"))}),
}
