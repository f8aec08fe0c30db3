package api

import (
	"encoding/json"
	"net/http"

	"relais"
	"relais/app"
)

// cockpitRoutes are the community manager's cockpit beside the plan and
// the catalog: the social media managers' capacity, the governance
// health, the organization's names for the roles, and the rulebook's
// matrix.
func (s *Server) cockpitRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/capacity", Auth: true, Summary: "The social media managers' weeks: hours available, hours per space, over-allocation, communities stewarded without hours (community manager)", Response: "Capacity", Status: 200, handle: s.capacity},
		{Method: "PUT", Path: "/api/v1/capacity", Auth: true, Summary: "Set the hours per week a social media manager gives a community; 0 removes them (community manager)", Request: "AllocationRequest", Response: "SMMCapacity", Status: 200, handle: s.allocate},
		{Method: "PUT", Path: "/api/v1/capacity/{user_id}/weekly-hours", Auth: true, Summary: "Set the hours per week a social media manager has in all (community manager)", Request: "HoursRequest", Response: "SMMCapacity", Status: 200, handle: s.setWeeklyHours},
		{Method: "GET", Path: "/api/v1/governance/health", Auth: true, Summary: "What the governance health check finds, the most urgent first, each with a sentence in French and English and where to act (community manager)", Response: "Health", Status: 200, handle: s.governanceHealth},
		{Method: "GET", Path: "/api/v1/role-labels", Auth: true, Summary: "The organization's names for the roles, in French and English", Response: "RoleLabelList", Status: 200, handle: s.roleLabels},
		{Method: "PUT", Path: "/api/v1/role-labels", Auth: true, Summary: "Name a role in a language; an empty label restores the default (community manager, administrators)", Request: "RoleLabelRequest", Response: "RoleLabelList", Status: 200, handle: s.setRoleLabel},
		{Method: "GET", Path: "/api/v1/rulebook/matrix", Auth: true, Summary: "Who does what: the policy's decision for typical profiles and every action, on representative targets", Response: "RulebookMatrix", Status: 200, handle: s.rulebookMatrix},
	}
}

// hoursOf reads a number of hours sent as a JSON number: 7.5, 12, 0.25.
func hoursOf(raw json.RawMessage) (relais.Hours, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, required("hours")
	}
	if raw[0] == '"' || raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f' {
		return 0, &relais.Error{Code: relais.EINVALID, Field: "hours", Message: "The hours must be a JSON number, such as 7.5.",
			MessageFR: "Les heures doivent être un nombre JSON, comme 7.5."}
	}
	return relais.ParseHours(string(raw))
}

func (s *Server) capacity(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	c, err := s.App.Capacity(r.Context(), u)
	return writeResult(w, c, err)
}

func (s *Server) allocate(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		Login   *string         `json:"login"`
		SpaceID *int64          `json:"space_id"`
		Hours   json.RawMessage `json:"hours"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.Login == nil:
		return required("login")
	case in.SpaceID == nil:
		return required("space_id")
	case *in.SpaceID <= 0:
		return &relais.Error{Code: relais.EINVALID, Field: "space_id", Message: "The space_id is a positive integer.",
			MessageFR: "Le champ space_id est un entier positif."}
	}
	hours, err := hoursOf(in.Hours)
	if err != nil {
		return err
	}
	m, err := s.App.Allocate(r.Context(), u, app.Allocation{Login: *in.Login, SpaceID: *in.SpaceID, Hours: hours})
	return writeResult(w, m, err)
}

func (s *Server) setWeeklyHours(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	userID, err := pathInt(r, "user_id")
	if err != nil {
		return err
	}
	var in struct {
		Hours json.RawMessage `json:"hours"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	hours, err := hoursOf(in.Hours)
	if err != nil {
		return err
	}
	m, err := s.App.SetWeeklyHours(r.Context(), u, userID, hours)
	return writeResult(w, m, err)
}

func (s *Server) governanceHealth(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	h, err := s.App.GovernanceHealth(r.Context(), u)
	return writeResult(w, h, err)
}

func (s *Server) roleLabels(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	ls, err := s.App.RoleLabels(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"labels": ls})
	return nil
}

func (s *Server) setRoleLabel(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		Role  *string `json:"role"`
		Lang  *string `json:"lang"`
		Label *string `json:"label"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.Role == nil:
		return required("role")
	case in.Lang == nil:
		return required("lang")
	case in.Label == nil:
		return required("label")
	}
	ls, err := s.App.SetRoleLabel(r.Context(), u, relais.Role(*in.Role), *in.Lang, *in.Label)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"labels": ls})
	return nil
}

func (s *Server) rulebookMatrix(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	writeJSON(w, http.StatusOK, app.Matrix())
	return nil
}

// The cockpit's schemas join the OpenAPI document's from here, so that
// the groups of routes written side by side never edit the same lines.
func init() { addSchemas(cockpitSchemas) }

var (
	cockpitHours = map[string]any{"type": "number", "minimum": 0, "maximum": 168, "multipleOf": 0.01,
		"description": "hours per week, to the hundredth"}
	cockpitSpaceRef    = obj([]string{"id", "name", "kind"}, map[string]any{"id": integer, "name": str, "kind": enum("community", "team")})
	cockpitFindingKind = enum(string(relais.FindingNoObjective), string(relais.FindingNoSponsor), string(relais.FindingNoSteward),
		string(relais.FindingCharterStale), string(relais.FindingSignalStale), string(relais.FindingInactive),
		string(relais.FindingOverlap), string(relais.FindingOverAllocated), string(relais.FindingCoPilotOverdue))
	cockpitRole   = enum(string(relais.RoleAdministrator), string(relais.RoleCommunityManager), string(relais.RoleSocialMediaManager))
	cockpitEffect = enum("allow", "needs_approval", "deny")
)

var cockpitSchemas = map[string]any{
	"AllocationRequest": obj([]string{"login", "space_id", "hours"}, map[string]any{
		"login": map[string]any{"type": "string", "description": "the social media manager"}, "space_id": integer, "hours": cockpitHours}),
	"HoursRequest": obj([]string{"hours"}, map[string]any{"hours": cockpitHours}),
	"Allocation": obj([]string{"space_id", "space_name", "hours", "steward"}, map[string]any{"space_id": integer, "space_name": str,
		"hours": cockpitHours, "steward": map[string]any{"type": "boolean", "description": "false: allocated to a community they do not steward"},
		"updated_at": instant}),
	"SMMCapacity": obj([]string{"user_id", "login", "name", "available_hours", "allocated_hours", "over_allocated", "allocations", "unallocated"},
		map[string]any{"user_id": integer, "login": str, "name": str, "employment": enum("internal", "external"), "co_pilot": boolean,
			"available_hours": map[string]any{"type": "number", "minimum": 0, "maximum": 168},
			"allocated_hours": map[string]any{"type": "number", "minimum": 0},
			"over_allocated":  boolean,
			"allocations":     array(ref("Allocation")),
			"unallocated":     map[string]any{"type": "array", "items": cockpitSpaceRef, "description": "communities they steward without hours"}}),
	"Capacity": obj([]string{"smms", "unstaffed"}, map[string]any{"smms": array(ref("SMMCapacity")),
		"unstaffed": map[string]any{"type": "array", "items": cockpitSpaceRef, "description": "communities no social media manager gives hours to"}}),
	"Finding": obj([]string{"kind", "severity", "fr", "en", "api_path", "web_path"}, map[string]any{"kind": cockpitFindingKind,
		"severity": enum("high", "medium", "low"), "fr": str, "en": str,
		"api_path": str, "web_path": str, "space_id": integer, "space_name": str, "user_id": integer, "user_name": str,
		"signal_id": integer, "other_space_id": integer, "other_space_name": str, "since": instant}),
	"Health": obj([]string{"checked_at", "findings", "skipped"}, map[string]any{"checked_at": instant, "findings": array(ref("Finding")),
		"skipped": map[string]any{"type": "array", "items": cockpitFindingKind, "description": "kinds this check does not look for"}}),
	"RoleLabel": obj([]string{"role", "fr", "en", "default_fr", "default_en"}, map[string]any{"role": cockpitRole, "fr": str, "en": str,
		"default_fr": str, "default_en": str}),
	"RoleLabelList": obj([]string{"labels"}, map[string]any{"labels": array(ref("RoleLabel"))}),
	"RoleLabelRequest": obj([]string{"role", "lang", "label"}, map[string]any{"role": cockpitRole, "lang": enum("fr", "en"),
		"label": map[string]any{"type": "string", "maxLength": relais.MaxRoleLabel, "description": "empty: back to the default"}}),
	"MatrixCell": obj([]string{"action", "effect", "rule"}, map[string]any{"action": str, "effect": cockpitEffect, "rule": str}),
	"MatrixProfile": obj([]string{"id", "employment", "co_pilot", "space", "relation", "decisions"}, map[string]any{
		"id": enum(string(app.ProfileParticipant), string(app.ProfileCustomer), string(app.ProfileManager), string(app.ProfileSteward),
			string(app.ProfileCoPilot), string(app.ProfileCM), string(app.ProfileAdministrator)),
		"role": cockpitRole, "employment": enum("internal", "external"), "co_pilot": boolean,
		"space":     enum("community", "team"),
		"relation":  enum(app.RelationMember, app.RelationManager, app.RelationSteward, app.RelationNone),
		"decisions": map[string]any{"type": "array", "items": ref("MatrixCell"), "description": "one per action, in the order of actions"}}),
	"RulebookMatrix": obj([]string{"actions", "profiles"}, map[string]any{"actions": array(str), "profiles": array(ref("MatrixProfile"))}),
}
