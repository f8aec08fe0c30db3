package api

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/app"
)

// analyticsRoutes are the routes of analytics and of the person's own
// value and privacy: figures per calendar month, a figure computed from
// fewer than k people null and marked suppressed.
func (s *Server) analyticsRoutes() []Route {
	window := []string{"period", "since", "format"}
	return []Route{
		{Method: "GET", Path: "/api/v1/analytics", Auth: true,
			Summary:  "The spaces, business units and plan objectives whose analytics the caller may read",
			Response: "AnalyticsScopes", Status: 200, handle: s.analyticsScopes},
		{Method: "GET", Path: "/api/v1/spaces/{id}/analytics", Query: window, Auth: true,
			Summary:  "A space's activity per calendar month (since to period, at most 24 months; default: the 12 months up to the current one) beside its declared value and its objectives' KPI targets; a figure computed from fewer than k people is null and listed in suppressed_figures (format=csv for the CSV export): its stewards, the community manager, its sponsor; a team's manager",
			Response: "AnalyticsReport", Status: 200, handle: s.spaceAnalytics},
		{Method: "GET", Path: "/api/v1/units/{id}/analytics", Query: window, Auth: true,
			Summary:  "A business unit's analytics: the communities it sponsors and its teams' spaces, combined from the figures each space shows (the unit's head, the community manager)",
			Response: "AnalyticsReport", Status: 200, handle: s.unitAnalytics},
		{Method: "GET", Path: "/api/v1/plan/objectives/{id}/analytics", Query: window, Auth: true,
			Summary:  "A plan objective's analytics: the spaces aligned to it against its KPI targets (the community manager, the heads of the units sponsoring those spaces)",
			Response: "AnalyticsReport", Status: 200, handle: s.objectiveAnalytics},
		{Method: "GET", Path: "/api/v1/analytics/settings", Auth: true,
			Summary:  "The suppression threshold k: a figure computed from fewer than k distinct people is never shown",
			Response: "AnalyticsSettings", Status: 200, handle: s.analyticsSettings},
		{Method: "PUT", Path: "/api/v1/analytics/settings", Auth: true,
			Summary: "Set the suppression threshold k, 5 (never less) to 50 (the community manager)",
			Request: "AnalyticsSettingsRequest", Response: "AnalyticsSettings", Status: 200, handle: s.setAnalyticsSettings},
		{Method: "GET", Path: "/api/v1/spaces/{id}/leaderboard", Query: []string{"period"}, Auth: true,
			Summary:  "A space's leaderboard for a month: ranks, never figures, of the members who opted in themselves, once the space opted in (whoever reads the space)",
			Response: "Leaderboard", Status: 200, handle: s.leaderboard},
		{Method: "PUT", Path: "/api/v1/spaces/{id}/leaderboard", Auth: true,
			Summary: "Open or close a space's leaderboard (its internal stewards; a team's manager)",
			Request: "LeaderboardRequest", Response: "Leaderboard", Status: 200, handle: s.setLeaderboard},
		{Method: "GET", Path: "/api/v1/me/value", Query: []string{"period", "since"}, Auth: true,
			Summary:  "What Relais brings the caller, per month: threads answered, replies received, time saved, best practices reused; shown to them alone",
			Response: "MyValue", Status: 200, handle: s.myValue},
		{Method: "GET", Path: "/api/v1/me/privacy", Auth: true,
			Summary: "The caller's privacy settings: on leaderboards or not, who sees their profile", Response: "Privacy", Status: 200, handle: s.myPrivacy},
		{Method: "PUT", Path: "/api/v1/me/privacy", Auth: true,
			Summary: "Change the caller's privacy settings; fields left out keep their value", Request: "PrivacyRequest", Response: "Privacy", Status: 200, handle: s.setMyPrivacy},
		{Method: "GET", Path: "/api/v1/people/{id}", Auth: true,
			Summary:  "A person's profile, as they allow: to everyone the directory lets see them, or only to the members of their spaces (404 otherwise)",
			Response: "PersonProfile", Status: 200, handle: s.person},
	}
}

// analyticsWindow reads period and since (YYYY-MM each).
func analyticsWindow(r *http.Request) (relais.AnalyticsWindow, error) {
	q := r.URL.Query()
	return relais.ParseAnalyticsWindow(q.Get("period"), q.Get("since"), time.Now())
}

func analyticsFormat(r *http.Request) (string, error) {
	switch f := r.URL.Query().Get("format"); f {
	case "", "json":
		return "json", nil
	case "csv":
		return f, nil
	}
	return "", &relais.Error{Code: relais.EINVALID, Field: "format", Message: "The format is json or csv.", MessageFR: "Le format est json ou csv."}
}

func (s *Server) serveAnalytics(w http.ResponseWriter, r *http.Request, u *relais.User,
	load func(id int64, win relais.AnalyticsWindow) (*app.AnalyticsReport, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	format, err := analyticsFormat(r)
	if err != nil {
		return err
	}
	win, err := analyticsWindow(r)
	if err != nil {
		return err
	}
	rep, err := load(id, win)
	if err != nil {
		return err
	}
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Disposition", `attachment; filename="`+AnalyticsFilename(rep)+`"`)
		w.WriteHeader(http.StatusOK)
		WriteAnalyticsCSV(w, rep)
		return nil
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) spaceAnalytics(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.serveAnalytics(w, r, u, func(id int64, win relais.AnalyticsWindow) (*app.AnalyticsReport, error) {
		return s.App.SpaceAnalytics(r.Context(), u, id, win)
	})
}

func (s *Server) unitAnalytics(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.serveAnalytics(w, r, u, func(id int64, win relais.AnalyticsWindow) (*app.AnalyticsReport, error) {
		return s.App.UnitAnalytics(r.Context(), u, id, win)
	})
}

func (s *Server) objectiveAnalytics(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.serveAnalytics(w, r, u, func(id int64, win relais.AnalyticsWindow) (*app.AnalyticsReport, error) {
		return s.App.ObjectiveAnalytics(r.Context(), u, id, win)
	})
}

// AnalyticsFilename names the CSV export of a report.
func AnalyticsFilename(rep *app.AnalyticsReport) string {
	return "relais-analytics-" + string(rep.Scope) + "-" + strconv.FormatInt(rep.ID, 10) + "-" + rep.Since + "-" + rep.Period + ".csv"
}

// WriteAnalyticsCSV writes a report as CSV, one row per figure and month:
// scope, name, period, figure, value, suppressed. A suppressed figure has
// an empty value and suppressed true, as in the API. The web UI's export
// is the same.
func WriteAnalyticsCSV(w io.Writer, rep *app.AnalyticsReport) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"scope", "name", "period", "figure", "value", "suppressed"})
	row := func(period, figure, value string, suppressed bool) {
		cw.Write([]string{string(rep.Scope), cellText(rep.Name), period, figure, value, strconv.FormatBool(suppressed)})
	}
	for _, a := range rep.Trend {
		for _, f := range relais.ActivityFigures {
			row(a.Period, f, a.Value(f), a.Hidden(f))
		}
	}
	for _, m := range rep.Value.Months {
		for _, f := range m.Figures {
			row(m.Period, "value."+string(f.Kind)+"."+f.Unit, amountText(f.Amount), f.Suppressed)
		}
	}
	for _, f := range rep.Value.Total {
		row(rep.Since+".."+rep.Period, "value."+string(f.Kind)+"."+f.Unit, amountText(f.Amount), f.Suppressed)
	}
	for _, t := range rep.Targets {
		row(t.Due, "kpi."+strconv.FormatInt(t.TargetID, 10)+".target", t.Target.String(), false)
		row(rep.Period, "kpi."+strconv.FormatInt(t.TargetID, 10)+".actual", amountText(t.Actual), t.Suppressed)
	}
	cw.Flush()
}

func amountText(a *relais.Amount) string {
	if a == nil {
		return ""
	}
	return a.String()
}

func (s *Server) analyticsScopes(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	out, err := s.App.AnalyticsScopes(r.Context(), u)
	return writeResult(w, out, err)
}

func (s *Server) analyticsSettings(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	out, err := s.App.AnalyticsSettings(r.Context())
	return writeResult(w, out, err)
}

func (s *Server) setAnalyticsSettings(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		K *int `json:"k"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.K == nil {
		return required("k")
	}
	out, err := s.App.SetAnalyticsK(r.Context(), u, *in.K)
	return writeResult(w, out, err)
}

func (s *Server) leaderboard(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	win, err := relais.ParseAnalyticsWindow(r.URL.Query().Get("period"), "", time.Now())
	if err != nil {
		return err
	}
	out, err := s.App.SpaceLeaderboard(r.Context(), u, id, win.Last)
	return writeResult(w, out, err)
}

func (s *Server) setLeaderboard(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Enabled *bool `json:"enabled"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Enabled == nil {
		return required("enabled")
	}
	out, err := s.App.SetSpaceLeaderboard(r.Context(), u, id, *in.Enabled)
	return writeResult(w, out, err)
}

func (s *Server) myValue(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	win, err := analyticsWindow(r)
	if err != nil {
		return err
	}
	out, err := s.App.MyValue(r.Context(), u, win)
	return writeResult(w, out, err)
}

func (s *Server) myPrivacy(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	out, err := s.App.Privacy(r.Context(), u)
	return writeResult(w, out, err)
}

func (s *Server) setMyPrivacy(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		Leaderboard       *bool   `json:"leaderboard"`
		ProfileVisibility *string `json:"profile_visibility"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := s.App.Privacy(r.Context(), u)
	if err != nil {
		return err
	}
	if in.Leaderboard != nil {
		p.Leaderboard = *in.Leaderboard
	}
	if in.ProfileVisibility != nil {
		p.ProfileVisibility = relais.ProfileVisibility(strings.TrimSpace(*in.ProfileVisibility))
	}
	out, err := s.App.SetPrivacy(r.Context(), u, p)
	return writeResult(w, out, err)
}

func (s *Server) person(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	out, err := s.App.PersonProfile(r.Context(), u, id)
	return writeResult(w, out, err)
}

// The schemas of analytics join the document's.
func init() {
	queryParamSchema["since"] = map[string]any{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$",
		"description": "the first calendar month of the window, YYYY-MM (default: 11 months before period; at most 24 months in all)"}
	addSchemas(analyticsSchemas)
}

var (
	anNullInt    = map[string]any{"type": []string{"integer", "null"}, "minimum": 0}
	anNullShare  = map[string]any{"type": []string{"number", "null"}, "minimum": 0, "maximum": 1}
	anNullNumber = map[string]any{"type": []string{"number", "null"}}
	anMonth      = map[string]any{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}
	anKinds      = enum("time_saved", "cost_avoided", "revenue", "quality", "risk")
	anScopeSpace = obj([]string{"id", "name", "kind"}, map[string]any{"id": integer, "name": str, "kind": enum("community", "team")})
	anMyMonth    = map[string]any{"period": str, "threads_opened": integer, "threads_answered": integer, "replies_received": integer,
		"replies_written": integer, "first_responses_given": integer}
)

var analyticsSchemas = map[string]any{
	"Activity": obj([]string{"period", "members", "active_members", "posts", "replies", "median_first_response_seconds", "answer_rate",
		"retention", "suppressed", "suppressed_figures"}, map[string]any{
		"period": anMonth, "members": anNullInt, "active_members": anNullInt, "posts": anNullInt, "replies": anNullInt,
		"median_first_response_seconds": map[string]any{"type": []string{"integer", "null"}, "minimum": 0,
			"description": "median delay from a thread to its first reply by someone else, read from buckets 10 % wide"},
		"answer_rate": anNullShare, "retention": anNullShare, "suppressed": boolean,
		"suppressed_figures": map[string]any{"type": "array", "items": enum(relais.ActivityFigures...),
			"description": "the figures computed from fewer than k distinct people, null above"}}),
	"ValueFigure": obj([]string{"kind", "unit", "amount", "declarations", "suppressed"}, map[string]any{
		"kind": anKinds, "unit": enum("hours", "EUR", "count"), "amount": anNullNumber, "declarations": anNullInt, "suppressed": boolean}),
	"ValueMonth": obj([]string{"period", "figures", "suppressed"}, map[string]any{"period": anMonth, "figures": array(ref("ValueFigure")), "suppressed": boolean}),
	"KPIProgress": obj([]string{"target_id", "plan_objective_id", "objective", "horizon", "metric", "target", "unit", "due", "figure", "actual", "progress", "suppressed"},
		map[string]any{"target_id": integer, "plan_objective_id": integer, "objective": str, "horizon": enum("activity", "value"),
			"metric": str, "target": map[string]any{"type": "number"}, "unit": str, "due": str,
			"figure": map[string]any{"type": "string", "description": "the figure compared with the target; empty when Relais measures nothing matching"},
			"actual": anNullNumber, "progress": anNullNumber, "suppressed": boolean}),
	"ValueSource": obj([]string{"space_id", "title", "kinds", "last"}, map[string]any{"space_id": integer, "post_id": integer, "signal_id": integer,
		"title": str, "kinds": array(anKinds), "last": anMonth}),
	"ScopeSpace": anScopeSpace,
	"AnalyticsReport": obj([]string{"scope", "id", "name", "period", "since", "k", "current", "suppressed", "trend", "value", "targets", "sources",
		"spaces", "other_spaces", "generated_at"}, map[string]any{
		"scope": enum("space", "unit", "objective"), "id": integer, "name": str, "period": anMonth, "since": anMonth, "k": integer,
		"current": ref("Activity"), "suppressed": boolean, "trend": array(ref("Activity")),
		"value":   obj([]string{"months", "total", "partial"}, map[string]any{"months": array(ref("ValueMonth")), "total": array(ref("ValueFigure")), "partial": boolean}),
		"targets": array(ref("KPIProgress")), "sources": array(ref("ValueSource")), "spaces": array(ref("ScopeSpace")),
		"other_spaces": integer, "generated_at": instant}),
	"AnalyticsScopes": obj([]string{"k", "spaces", "units", "objectives"}, map[string]any{"k": integer, "spaces": array(ref("ScopeSpace")),
		"units":      array(obj([]string{"id", "name"}, map[string]any{"id": integer, "name": str, "head_id": integer})),
		"objectives": array(obj([]string{"id", "title"}, map[string]any{"id": integer, "title": str}))}),
	"AnalyticsSettings":        obj([]string{"k", "default", "min", "max"}, map[string]any{"k": integer, "default": integer, "min": integer, "max": integer}),
	"AnalyticsSettingsRequest": obj([]string{"k"}, map[string]any{"k": map[string]any{"type": "integer", "minimum": relais.MinK, "maximum": relais.MaxK}}),
	"Leaderboard": obj([]string{"space_id", "enabled", "period", "entries", "opted_in", "can_toggle"}, map[string]any{
		"space_id": integer, "enabled": boolean, "period": anMonth, "opted_in": boolean, "can_toggle": boolean,
		"entries": array(obj([]string{"rank", "user_id", "name"}, map[string]any{"rank": integer, "user_id": integer, "name": str}))}),
	"LeaderboardRequest": obj([]string{"enabled"}, map[string]any{"enabled": boolean}),
	"MyValue": obj([]string{"period", "since", "months", "totals", "spaces", "elsewhere", "time_saved_hours", "time_saved_days", "declared",
		"brought_to_others", "best_practices_reused", "k"}, map[string]any{
		"period": anMonth, "since": anMonth, "months": array(obj(nil, anMyMonth)), "totals": obj(nil, anMyMonth),
		"spaces": array(map[string]any{"type": "object"}), "elsewhere": obj(nil, anMyMonth),
		"time_saved_hours": map[string]any{"type": "number"}, "time_saved_days": map[string]any{"type": "number"},
		"declared":          array(map[string]any{"type": "object"}),
		"brought_to_others": array(ref("ValueFigure")),
		"best_practices_reused": array(obj([]string{"post_id", "space_id", "title", "author_name", "first_reused_at"}, map[string]any{
			"post_id": integer, "space_id": integer, "title": str, "author_name": str, "first_reused_at": instant})),
		"k": integer}),
	"Privacy":        obj([]string{"leaderboard", "profile_visibility"}, map[string]any{"leaderboard": boolean, "profile_visibility": enum("everyone", "spaces")}),
	"PrivacyRequest": obj(nil, map[string]any{"leaderboard": boolean, "profile_visibility": enum("everyone", "spaces")}),
	"PersonProfile": obj([]string{"id", "name", "shared_spaces"}, map[string]any{"id": integer, "name": str, "unit_name": str, "site": str,
		"job_family": str, "shared_spaces": array(ref("ScopeSpace")), "visibility": enum("everyone", "spaces")}),
}
