package api

import (
	"net/http"

	"relais"
	"relais/app"
)

// offeringRoutes are the routes of the catalog of value propositions and
// of space requests: employees read the catalog and ask for communities;
// the community manager edits the catalog and decides.
func (s *Server) offeringRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/offerings", Auth: true, Summary: "The catalog of value propositions, by title (employees)", Response: "OfferingList", Status: 200, handle: s.offerings},
		{Method: "POST", Path: "/api/v1/offerings", Auth: true, Summary: "Add a value proposition to the catalog (the community manager)", Request: "NewOffering", Response: "Offering", Status: 201, handle: s.createOffering},
		{Method: "GET", Path: "/api/v1/offerings/{id}", Auth: true, Summary: "One value proposition with its co-authors and templates (employees)", Response: "Offering", Status: 200, handle: s.offering},
		{Method: "PUT", Path: "/api/v1/offerings/{id}", Auth: true, Summary: "Replace a value proposition of the catalog (the community manager)", Request: "NewOffering", Response: "Offering", Status: 200, handle: s.updateOffering},
		{Method: "GET", Path: "/api/v1/space-requests", Auth: true, Summary: "Every space request for the community manager; for another employee, their own; newest first", Response: "SpaceRequestList", Status: 200, handle: s.spaceRequests},
		{Method: "POST", Path: "/api/v1/space-requests", Auth: true, Summary: "Ask for a new community (employees); the answer shows the closest existing communities", Request: "NewSpaceRequest", Response: "SpaceRequest", Status: 201, handle: s.requestSpace},
		{Method: "GET", Path: "/api/v1/space-requests/{id}", Auth: true, Summary: "One space request with the closest existing communities (its requester, the community manager)", Response: "SpaceRequest", Status: 200, handle: s.spaceRequest},
		{Method: "POST", Path: "/api/v1/space-requests/{id}/approve", Auth: true, Summary: "Create the community of a pending request with its steward and plan objectives (the community manager)", Request: "SpaceRequestApproval", Response: "SpaceRequest", Status: 200, handle: s.approveSpaceRequest},
		{Method: "POST", Path: "/api/v1/space-requests/{id}/refuse", Auth: true, Summary: "Refuse a pending space request with a reason its requester reads (the community manager)", Request: "RejectRequest", Response: "SpaceRequest", Status: 200, handle: s.refuseSpaceRequest},
	}
}

// offeringBody is the JSON of a value proposition, created or replaced.
type offeringBody struct {
	Title            *string                 `json:"title"`
	UnitID           int64                   `json:"unit_id"`
	CoAuthors        []string                `json:"co_authors"`
	UseCase          *string                 `json:"use_case"`
	ExpectedValue    *string                 `json:"expected_value"`
	Charter          *relais.OfferingCharter `json:"charter_template"`
	RoutineTemplates string                  `json:"routine_templates"`
}

func readOffering(w http.ResponseWriter, r *http.Request) (relais.NewOffering, error) {
	var in offeringBody
	if err := decode(w, r, &in); err != nil {
		return relais.NewOffering{}, err
	}
	switch {
	case in.Title == nil:
		return relais.NewOffering{}, required("title")
	case in.UseCase == nil:
		return relais.NewOffering{}, required("use_case")
	case in.ExpectedValue == nil:
		return relais.NewOffering{}, required("expected_value")
	}
	o := relais.NewOffering{Title: *in.Title, UnitID: in.UnitID, CoAuthors: in.CoAuthors, UseCase: *in.UseCase,
		ExpectedValue: *in.ExpectedValue, RoutineTemplates: in.RoutineTemplates}
	if in.Charter != nil {
		o.Charter = *in.Charter
	}
	return o, nil
}

func (s *Server) offerings(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	offs, err := s.App.Offerings(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"offerings": offs})
	return nil
}

func (s *Server) offering(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := s.App.Offering(r.Context(), u, id)
	return writeResult(w, o, err)
}

func (s *Server) createOffering(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	in, err := readOffering(w, r)
	if err != nil {
		return err
	}
	o, err := s.App.CreateOffering(r.Context(), u, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, o)
	return nil
}

func (s *Server) updateOffering(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, err := readOffering(w, r)
	if err != nil {
		return err
	}
	o, err := s.App.UpdateOffering(r.Context(), u, id, in)
	return writeResult(w, o, err)
}

func (s *Server) spaceRequests(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	rs, err := s.App.SpaceRequests(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": rs})
	return nil
}

func (s *Server) requestSpace(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		OfferingID int64   `json:"offering_id"`
		UnitID     int64   `json:"unit_id"`
		Name       *string `json:"name"`
		Purpose    *string `json:"purpose"`
		Audience   string  `json:"audience"`
		JoinPolicy string  `json:"join_policy"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.Name == nil:
		return required("name")
	case in.Purpose == nil:
		return required("purpose")
	}
	sr, err := s.App.RequestSpace(r.Context(), u, relais.NewSpaceRequest{OfferingID: in.OfferingID, UnitID: in.UnitID, Name: *in.Name,
		Purpose: *in.Purpose, Audience: relais.Audience(in.Audience), JoinPolicy: relais.JoinPolicy(in.JoinPolicy)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, withClosest(sr))
	return nil
}

// spaceRequestView is one space request with its closest communities,
// always listed (empty when none is close).
type spaceRequestView struct {
	*relais.SpaceRequest
	Closest []relais.SpaceMatch `json:"closest"`
}

func withClosest(sr *relais.SpaceRequest) spaceRequestView {
	v := spaceRequestView{SpaceRequest: sr, Closest: sr.Closest}
	if v.Closest == nil {
		v.Closest = []relais.SpaceMatch{}
	}
	return v
}

// writeRequest answers with one space request and its closest
// communities.
func writeRequest(w http.ResponseWriter, sr *relais.SpaceRequest, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, withClosest(sr))
	return nil
}

func (s *Server) spaceRequest(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sr, err := s.App.SpaceRequest(r.Context(), u, id)
	return writeRequest(w, sr, err)
}

func (s *Server) approveSpaceRequest(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		StewardLogin  *string `json:"steward_login"`
		ObjectiveIDs  []int64 `json:"plan_objective_ids"`
		SponsorUnitID int64   `json:"sponsor_unit_id"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.StewardLogin == nil {
		return required("steward_login")
	}
	sr, err := s.App.ApproveSpaceRequest(r.Context(), u, id, app.SpaceApproval{StewardLogin: *in.StewardLogin,
		ObjectiveIDs: in.ObjectiveIDs, SponsorUnitID: in.SponsorUnitID})
	return writeRequest(w, sr, err)
}

func (s *Server) refuseSpaceRequest(w http.ResponseWriter, r *http.Request, u *relais.User) error {
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
	sr, err := s.App.RefuseSpaceRequest(r.Context(), u, id, *in.Reason)
	return writeRequest(w, sr, err)
}

// The schemas of the catalog and of space requests join the document's
// (openapi.go) at start-up.
func init() { addSchemas(offeringSchemas) }

var offeringCharterSchema = obj(nil, map[string]any{
	"objective":        map[string]any{"type": "string", "maxLength": 5000},
	"rules":            map[string]any{"type": "string", "maxLength": 5000},
	"autonomy":         map[string]any{"type": "string", "maxLength": 5000},
	"expected_actions": map[string]any{"type": "string", "maxLength": 5000}})

var offeringSchemas = map[string]any{
	"OfferingCharter": offeringCharterSchema,
	"OfferingAuthor":  obj([]string{"id", "login", "name"}, map[string]any{"id": integer, "login": str, "name": str}),
	"NewOffering": obj([]string{"title", "use_case", "expected_value"}, map[string]any{
		"title":          map[string]any{"type": "string", "minLength": 1, "maxLength": 200, "description": "unique in the catalog, whatever its case"},
		"unit_id":        map[string]any{"type": "integer", "description": "the business unit it was co-built with"},
		"co_authors":     map[string]any{"type": "array", "maxItems": 20, "items": str, "description": "logins of employees"},
		"use_case":       map[string]any{"type": "string", "minLength": 1, "maxLength": 5000},
		"expected_value": map[string]any{"type": "string", "minLength": 1, "maxLength": 5000},
		"charter_template": map[string]any{"allOf": []any{ref("OfferingCharter")},
			"description": "the first charter of a community created from the offering; an empty part takes the default"},
		"routine_templates": map[string]any{"type": "string", "maxLength": 5000, "description": "the routines (usage scenarios) it suggests, in free text"}}),
	"Offering": obj([]string{"id", "title", "use_case", "expected_value", "charter_template", "routine_templates", "co_authors"}, map[string]any{
		"id": integer, "title": str, "unit_id": integer, "unit_name": str, "use_case": str, "expected_value": str,
		"charter_template": ref("OfferingCharter"), "routine_templates": str, "co_authors": array(ref("OfferingAuthor")),
		"created_by": integer, "created_by_name": str, "created_at": instant, "updated_at": instant}),
	"OfferingList": obj([]string{"offerings"}, map[string]any{"offerings": array(ref("Offering"))}),
	"NewSpaceRequest": obj([]string{"name", "purpose"}, map[string]any{
		"offering_id": map[string]any{"type": "integer", "description": "the value proposition it starts from (none: from scratch)"},
		"unit_id":     map[string]any{"type": "integer", "description": "the business unit asking (default: the requester's)"},
		"name":        map[string]any{"type": "string", "minLength": 1, "maxLength": 120, "description": "held by no space and no pending request"},
		"purpose":     map[string]any{"type": "string", "minLength": 1, "maxLength": 5000},
		"audience":    map[string]any{"type": "string", "enum": []string{"internal", "external", "mixed"}, "default": "internal"},
		"join_policy": map[string]any{"type": "string", "enum": []string{"open", "criteria", "request"}, "default": "open"}}),
	"SpaceRequestMatch": obj([]string{"space_id", "name", "text_score", "member_score", "score", "shared_words"}, map[string]any{
		"space_id": integer, "name": str,
		"text_score": map[string]any{"type": "number", "minimum": 0, "maximum": 1,
			"description": "cosine of TF-IDF vectors of French and English stems: the request's purpose and its offering's charter template against the community's description and current charter (objective, rules, expected actions)"},
		"member_score": map[string]any{"type": []string{"number", "null"}, "minimum": 0, "maximum": 1,
			"description": "share of the request's likely members (the people of its unit) who already belong to the community; null when withheld (fewer than 5 people measured, and the caller cannot read the community's members)"},
		"score": map[string]any{"type": "number", "minimum": 0, "maximum": 1,
			"description": "0.7 × text_score + 0.3 × member_score; text_score when member_score is null"},
		"shared_words": map[string]any{"type": "array", "items": str, "description": "the request's words the community shares, the weightiest first"}}),
	"SpaceRequest": obj([]string{"id", "requested_by", "name", "purpose", "audience", "join_policy", "status", "created_at"}, map[string]any{
		"id": integer, "offering_id": integer, "offering_title": str, "unit_id": integer, "unit_name": str,
		"requested_by": integer, "requester_name": str, "name": str, "purpose": str,
		"audience": enum("internal", "external", "mixed"), "join_policy": enum("open", "criteria", "request"),
		"status": enum("pending", "approved", "refused"), "reason": str,
		"space_id": map[string]any{"type": "integer", "description": "the community created on approval"}, "space_name": str,
		"decided_by": integer, "decider_name": str, "decided_at": instant, "created_at": instant,
		"plan_objective_ids": array(integer),
		"closest": map[string]any{"type": "array", "items": ref("SpaceRequestMatch"), "maxItems": 5,
			"description": "the existing communities sharing some purpose with the request (text_score above 0), by score, best first; team spaces are never compared; in the answers about one request"},
		"likely_members": map[string]any{"type": "integer", "description": "the people the member overlap is measured on"}}),
	"SpaceRequestList": obj([]string{"requests"}, map[string]any{"requests": array(ref("SpaceRequest"))}),
	"SpaceRequestApproval": obj([]string{"steward_login"}, map[string]any{
		"steward_login":      map[string]any{"type": "string", "description": "a social media manager (an internal one for an internal audience)"},
		"plan_objective_ids": map[string]any{"type": "array", "maxItems": 50, "items": integer, "description": "the plan objectives the community serves"},
		"sponsor_unit_id":    map[string]any{"type": "integer", "description": "default: the request's unit"}}),
}
