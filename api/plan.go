package api

import (
	"bytes"
	"encoding/json"
	"net/http"

	"relais"
	"relais/app"
)

// planRoutes are the routes of the strategic plan: every employee reads
// it, the community manager edits it.
func (s *Server) planRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/plan", Auth: true, Summary: "The whole strategic plan: company objectives, plan objectives with their workstreams, totals and KPI targets (activity, value), and the alignment matrix of the spaces the caller may see (employees)", Response: "Plan", Status: 200, handle: s.plan},
		{Method: "GET", Path: "/api/v1/plan/company-objectives", Auth: true, Summary: "The company objectives the plan serves (employees)", Response: "CompanyObjectiveList", Status: 200, handle: s.companyObjectives},
		{Method: "POST", Path: "/api/v1/plan/company-objectives", Auth: true, Summary: "Add a company objective (community manager); a title already taken is a 409", Request: "NewCompanyObjective", Response: "CompanyObjective", Status: 201, handle: s.createCompanyObjective},
		{Method: "PUT", Path: "/api/v1/plan/company-objectives/{id}", Auth: true, Summary: "Change a company objective; fields left out keep their value (community manager)", Request: "CompanyObjectiveChange", Response: "CompanyObjective", Status: 200, handle: s.updateCompanyObjective},
		{Method: "DELETE", Path: "/api/v1/plan/company-objectives/{id}", Auth: true, Summary: "Remove a company objective; 409 while a plan objective serves it (community manager)", Status: 204, handle: s.deleteCompanyObjective},
		{Method: "GET", Path: "/api/v1/plan/objectives", Auth: true, Summary: "The plan objectives, each linked to a company objective (employees)", Response: "PlanObjectiveList", Status: 200, handle: s.planObjectives},
		{Method: "POST", Path: "/api/v1/plan/objectives", Auth: true, Summary: "Add a plan objective linked to a company objective (community manager); a title already taken is a 409", Request: "NewPlanObjective", Response: "PlanObjective", Status: 201, handle: s.createPlanObjective},
		{Method: "PUT", Path: "/api/v1/plan/objectives/{id}", Auth: true, Summary: "Change a plan objective, or link it to another company objective; fields left out keep their value (community manager)", Request: "PlanObjectiveChange", Response: "PlanObjective", Status: 200, handle: s.updatePlanObjective},
		{Method: "DELETE", Path: "/api/v1/plan/objectives/{id}", Auth: true, Summary: "Remove a plan objective; 409 while it has workstreams, KPI targets or aligned spaces (community manager)", Status: 204, handle: s.deletePlanObjective},
		{Method: "POST", Path: "/api/v1/plan/objectives/{id}/workstreams", Auth: true, Summary: "Add a workstream to a plan objective: tools, integrations, SMM hours, contributors, budget (community manager)", Request: "NewWorkstream", Response: "Workstream", Status: 201, handle: s.createWorkstream},
		{Method: "PUT", Path: "/api/v1/plan/workstreams/{id}", Auth: true, Summary: "Change a workstream; fields left out keep their value (community manager)", Request: "WorkstreamChange", Response: "Workstream", Status: 200, handle: s.updateWorkstream},
		{Method: "DELETE", Path: "/api/v1/plan/workstreams/{id}", Auth: true, Summary: "Remove a workstream (community manager)", Status: 204, handle: s.deleteWorkstream},
		{Method: "POST", Path: "/api/v1/plan/objectives/{id}/kpis", Auth: true, Summary: "Add a KPI target to a plan objective: medium-term activity or long-term value (community manager)", Request: "NewKPITarget", Response: "KPITarget", Status: 201, handle: s.createKPITarget},
		{Method: "PUT", Path: "/api/v1/plan/kpis/{id}", Auth: true, Summary: "Change a KPI target; fields left out keep their value (community manager)", Request: "KPITargetChange", Response: "KPITarget", Status: 200, handle: s.updateKPITarget},
		{Method: "DELETE", Path: "/api/v1/plan/kpis/{id}", Auth: true, Summary: "Remove a KPI target (community manager)", Status: 204, handle: s.deleteKPITarget},
		{Method: "PUT", Path: "/api/v1/plan/alignment", Auth: true, Summary: "Say whether a space the caller may see serves a plan objective: a cell of the alignment matrix (community manager)", Request: "AlignmentRequest", Response: "AlignmentResult", Status: 200, handle: s.setAlignment},
	}
}

// planView is the plan with what the caller may do with it.
type planView struct {
	*relais.Plan
	Permissions map[string]decisionView `json:"permissions"`
}

func (s *Server) plan(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	p, err := s.App.Plan(r.Context(), u)
	if err != nil {
		return err
	}
	acc := s.App.PlanAccess(u)
	writeJSON(w, http.StatusOK, planView{Plan: p, Permissions: map[string]decisionView{"edit": newDecisionView(acc.Edit, langOf(r))}})
	return nil
}

func (s *Server) companyObjectives(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	cs, err := s.App.CompanyObjectives(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"company_objectives": cs})
	return nil
}

// companyObjectiveBody is the body of a company objective: absent fields
// are nil.
type companyObjectiveBody struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
}

func (s *Server) createCompanyObjective(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in companyObjectiveBody
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.CreateCompanyObjective(r.Context(), u, relais.CompanyObjectiveInput{Title: planDeref(in.Title), Description: planDeref(in.Description)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) updateCompanyObjective(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in companyObjectiveBody
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.UpdateCompanyObjective(r.Context(), u, id, app.CompanyObjectiveChange{Title: in.Title, Description: in.Description})
	return writeResult(w, c, err)
}

func (s *Server) deleteCompanyObjective(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	if err := s.App.DeleteCompanyObjective(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) planObjectives(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	objs, err := s.App.PlanObjectives(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"objectives": objs})
	return nil
}

// planObjectiveBody is the body of a plan objective: absent fields are nil.
type planObjectiveBody struct {
	CompanyObjectiveID *int64  `json:"company_objective_id"`
	Title              *string `json:"title"`
	Description        *string `json:"description"`
}

func (s *Server) createPlanObjective(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in planObjectiveBody
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var company int64
	if in.CompanyObjectiveID != nil {
		company = *in.CompanyObjectiveID
	}
	o, err := s.App.CreatePlanObjective(r.Context(), u, relais.PlanObjectiveInput{CompanyObjectiveID: company, Title: planDeref(in.Title),
		Description: planDeref(in.Description)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, o)
	return nil
}

func (s *Server) updatePlanObjective(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in planObjectiveBody
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := s.App.UpdatePlanObjective(r.Context(), u, id, app.PlanObjectiveChange{CompanyObjectiveID: in.CompanyObjectiveID,
		Title: in.Title, Description: in.Description})
	return writeResult(w, o, err)
}

func (s *Server) deletePlanObjective(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	if err := s.App.DeletePlanObjective(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// workstreamBody is the body of a workstream. Figures are JSON numbers, or
// strings holding one (a decimal comma allowed); absent or null figures
// are nil.
type workstreamBody struct {
	Title           *string         `json:"title"`
	Tools           *string         `json:"tools"`
	Integrations    *string         `json:"integrations"`
	SMMHours        json.RawMessage `json:"smm_hours"`
	Contributors    json.RawMessage `json:"contributors"`
	BudgetPlanned   json.RawMessage `json:"budget_planned"`
	BudgetCommitted json.RawMessage `json:"budget_committed"`
	BudgetSpent     json.RawMessage `json:"budget_spent"`
}

// change reads the figures of the body.
func (b workstreamBody) change() (app.WorkstreamChange, error) {
	ch := app.WorkstreamChange{Title: b.Title, Tools: b.Tools, Integrations: b.Integrations}
	for _, f := range []struct {
		field string
		raw   json.RawMessage
		to    **string
	}{
		{"smm_hours", b.SMMHours, &ch.SMMHours}, {"contributors", b.Contributors, &ch.Contributors},
		{"budget_planned", b.BudgetPlanned, &ch.BudgetPlanned}, {"budget_committed", b.BudgetCommitted, &ch.BudgetCommitted},
		{"budget_spent", b.BudgetSpent, &ch.BudgetSpent},
	} {
		v, err := planFigureOf(f.field, f.raw)
		if err != nil {
			return ch, err
		}
		*f.to = v
	}
	return ch, nil
}

// planFigureOf reads a figure sent as a JSON number or a string; nil when absent
// or null.
func planFigureOf(field string, raw json.RawMessage) (*string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var text string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return nil, planNotANumber(field)
		}
		return &text, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, planNotANumber(field)
	}
	text = n.String()
	return &text, nil
}

func planNotANumber(field string) error {
	return &relais.Error{Code: relais.EINVALID, Field: field, Message: "The field " + field + " must be a number, such as 12 or 1500.50.",
		MessageFR: "Le champ " + field + " doit être un nombre, par exemple 12 ou 1500,50."}
}

func (s *Server) createWorkstream(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in workstreamBody
	if err := decode(w, r, &in); err != nil {
		return err
	}
	ch, err := in.change()
	if err != nil {
		return err
	}
	ws, err := s.App.CreateWorkstream(r.Context(), u, id, relais.WorkstreamInput{Title: planDeref(ch.Title), Tools: planDeref(ch.Tools),
		Integrations: planDeref(ch.Integrations), SMMHours: planDeref(ch.SMMHours), Contributors: planDeref(ch.Contributors),
		BudgetPlanned: planDeref(ch.BudgetPlanned), BudgetCommitted: planDeref(ch.BudgetCommitted), BudgetSpent: planDeref(ch.BudgetSpent)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ws)
	return nil
}

func (s *Server) updateWorkstream(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in workstreamBody
	if err := decode(w, r, &in); err != nil {
		return err
	}
	ch, err := in.change()
	if err != nil {
		return err
	}
	ws, err := s.App.UpdateWorkstream(r.Context(), u, id, ch)
	return writeResult(w, ws, err)
}

func (s *Server) deleteWorkstream(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	if err := s.App.DeleteWorkstream(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// kpiBody is the body of a KPI target: absent fields are nil.
type kpiBody struct {
	Horizon *string         `json:"horizon"`
	Metric  *string         `json:"metric"`
	Target  json.RawMessage `json:"target"`
	Unit    *string         `json:"unit"`
	Due     *string         `json:"due"`
}

func (b kpiBody) change() (app.KPITargetChange, error) {
	target, err := planFigureOf("target", b.Target)
	return app.KPITargetChange{Horizon: b.Horizon, Metric: b.Metric, Target: target, Unit: b.Unit, Due: b.Due}, err
}

func (s *Server) createKPITarget(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in kpiBody
	if err := decode(w, r, &in); err != nil {
		return err
	}
	ch, err := in.change()
	if err != nil {
		return err
	}
	k, err := s.App.CreateKPITarget(r.Context(), u, id, relais.KPITargetInput{Horizon: planDeref(ch.Horizon), Metric: planDeref(ch.Metric),
		Target: planDeref(ch.Target), Unit: planDeref(ch.Unit), Due: planDeref(ch.Due)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, k)
	return nil
}

func (s *Server) updateKPITarget(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in kpiBody
	if err := decode(w, r, &in); err != nil {
		return err
	}
	ch, err := in.change()
	if err != nil {
		return err
	}
	k, err := s.App.UpdateKPITarget(r.Context(), u, id, ch)
	return writeResult(w, k, err)
}

func (s *Server) deleteKPITarget(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	if err := s.App.DeleteKPITarget(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) setAlignment(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		SpaceID         *int64 `json:"space_id"`
		PlanObjectiveID *int64 `json:"plan_objective_id"`
		Aligned         *bool  `json:"aligned"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.SpaceID == nil:
		return required("space_id")
	case in.PlanObjectiveID == nil:
		return required("plan_objective_id")
	case in.Aligned == nil:
		return required("aligned")
	case *in.SpaceID <= 0 || *in.PlanObjectiveID <= 0:
		return &relais.Error{Code: relais.EINVALID, Message: "Ids are positive integers.", MessageFR: "Les identifiants sont des entiers positifs."}
	}
	res, err := s.App.SetAlignment(r.Context(), u, *in.SpaceID, *in.PlanObjectiveID, *in.Aligned)
	return writeResult(w, res, err)
}

// planDeref returns *p, or "" for nil.
func planDeref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// The plan's schemas join the document's.
func init() {
	addSchemas(planSchemas)
}

var (
	planFigure = map[string]any{"type": []string{"number", "string"}, "minimum": 0, "maximum": 1000000000,
		"description": "at least 0, at most two decimals; a string may hold the number with a decimal comma (\"1500,50\"); absent: 0 on creation, unchanged on a change"}
	planAmount   = map[string]any{"type": "number", "minimum": 0}
	planTitle    = map[string]any{"type": "string", "minLength": 1, "maxLength": 200}
	planText     = map[string]any{"type": "string", "maxLength": 5000}
	planWarnings = map[string]any{"type": "array", "items": enum("committed_over_planned", "spent_over_planned"),
		"description": "accepted, and flagged: a budget committed or spent beyond what was planned"}
	planKPIHorizons = enum("activity", "value")
	planDate        = map[string]any{"type": "string", "format": "date", "description": "YYYY-MM-DD"}
)

var planSchemas = map[string]any{
	"CompanyObjective": obj([]string{"id", "title", "description", "created_at"}, map[string]any{"id": integer, "title": str,
		"description": str, "created_at": instant}),
	"CompanyObjectiveList":   obj([]string{"company_objectives"}, map[string]any{"company_objectives": array(ref("CompanyObjective"))}),
	"NewCompanyObjective":    obj([]string{"title"}, map[string]any{"title": planTitle, "description": planText}),
	"CompanyObjectiveChange": obj(nil, map[string]any{"title": planTitle, "description": planText}),
	"PlanObjective": obj([]string{"id", "company_objective_id", "title", "description", "created_at"}, map[string]any{"id": integer,
		"company_objective_id": integer, "title": str, "description": str, "created_at": instant}),
	"PlanObjectiveList": obj([]string{"objectives"}, map[string]any{"objectives": array(ref("PlanObjective"))}),
	"NewPlanObjective": obj([]string{"company_objective_id", "title"}, map[string]any{
		"company_objective_id": map[string]any{"type": "integer", "minimum": 1, "description": "the company objective it serves"},
		"title":                planTitle, "description": planText}),
	"PlanObjectiveChange": obj(nil, map[string]any{"company_objective_id": map[string]any{"type": "integer", "minimum": 1},
		"title": planTitle, "description": planText}),
	"Workstream": obj([]string{"id", "plan_objective_id", "title", "smm_hours", "contributors", "budget_planned", "budget_committed",
		"budget_spent", "warnings"}, map[string]any{"id": integer, "plan_objective_id": integer, "title": str, "tools": str,
		"integrations":   str,
		"smm_hours":      map[string]any{"type": "number", "minimum": 0, "description": "hours of social media managers"},
		"contributors":   map[string]any{"type": "integer", "minimum": 0},
		"budget_planned": map[string]any{"type": "number", "minimum": 0, "description": "euros"}, "budget_committed": planAmount,
		"budget_spent": planAmount, "warnings": planWarnings, "created_at": instant}),
	"NewWorkstream": obj([]string{"title"}, map[string]any{"title": planTitle, "tools": planText, "integrations": planText,
		"smm_hours": planFigure, "contributors": map[string]any{"type": []string{"integer", "string"}, "minimum": 0, "maximum": 1000000},
		"budget_planned": planFigure, "budget_committed": planFigure, "budget_spent": planFigure}),
	"WorkstreamChange": obj(nil, map[string]any{"title": planTitle, "tools": planText, "integrations": planText,
		"smm_hours": planFigure, "contributors": map[string]any{"type": []string{"integer", "string"}, "minimum": 0, "maximum": 1000000},
		"budget_planned": planFigure, "budget_committed": planFigure, "budget_spent": planFigure}),
	"KPITarget": obj([]string{"id", "plan_objective_id", "horizon", "metric", "target", "unit", "due"}, map[string]any{"id": integer,
		"plan_objective_id": integer, "horizon": planKPIHorizons, "metric": str, "target": planAmount, "unit": str, "due": planDate,
		"created_at": instant}),
	"NewKPITarget": obj([]string{"horizon", "metric", "target", "due"}, map[string]any{
		"horizon": map[string]any{"type": "string", "enum": []string{"activity", "value"}, "description": "activity: medium term; value: long term"},
		"metric":  planTitle, "target": planFigure, "unit": map[string]any{"type": "string", "maxLength": 40}, "due": planDate}),
	"KPITargetChange": obj(nil, map[string]any{"horizon": planKPIHorizons, "metric": planTitle, "target": planFigure,
		"unit": map[string]any{"type": "string", "maxLength": 40}, "due": planDate}),
	"AlignmentRequest": obj([]string{"space_id", "plan_objective_id", "aligned"}, map[string]any{
		"space_id":          map[string]any{"type": "integer", "description": "a space the caller may see, community or team"},
		"plan_objective_id": integer, "aligned": boolean}),
	"AlignmentResult": obj([]string{"space_id", "plan_objective_id", "aligned", "changed"}, map[string]any{"space_id": integer,
		"space_name": str, "plan_objective_id": integer, "aligned": boolean,
		"changed": map[string]any{"type": "boolean", "description": "false when the cell already held that value"}}),
	"PlanTotals": obj([]string{"workstreams", "smm_hours", "contributors", "budget_planned", "budget_committed", "budget_spent", "warnings"},
		map[string]any{"workstreams": integer, "smm_hours": planAmount, "contributors": integer, "budget_planned": planAmount,
			"budget_committed": planAmount, "budget_spent": planAmount, "warnings": planWarnings}),
	"PlanSpace": obj([]string{"id", "name", "kind"}, map[string]any{"id": integer, "name": str, "kind": enum("community", "team")}),
	"KPITargets": obj([]string{"activity", "value"}, map[string]any{
		"activity": map[string]any{"type": "array", "items": ref("KPITarget"), "description": "medium-term activity, soonest due first"},
		"value":    map[string]any{"type": "array", "items": ref("KPITarget"), "description": "long-term value, soonest due first"}}),
	"PlanObjectiveNode": obj([]string{"id", "company_objective_id", "title", "description", "totals", "workstreams", "kpis", "spaces"},
		map[string]any{"id": integer, "company_objective_id": integer, "title": str, "description": str, "created_at": instant,
			"totals": ref("PlanTotals"), "workstreams": array(ref("Workstream")), "kpis": ref("KPITargets"),
			"spaces": map[string]any{"type": "array", "items": ref("PlanSpace"), "description": "the spaces the caller may see that serve it"}}),
	"CompanyObjectiveNode": obj([]string{"id", "title", "description", "totals", "objectives"}, map[string]any{"id": integer,
		"title": str, "description": str, "created_at": instant, "totals": ref("PlanTotals"), "objectives": array(ref("PlanObjectiveNode"))}),
	"AlignmentRow": obj([]string{"id", "name", "kind", "objective_ids"}, map[string]any{"id": integer, "name": str,
		"kind": enum("community", "team"), "objective_ids": array(integer)}),
	"Plan": obj([]string{"company_objectives", "totals", "alignment", "permissions"}, map[string]any{
		"company_objectives": array(ref("CompanyObjectiveNode")),
		"unlinked":           map[string]any{"type": "array", "items": ref("PlanObjectiveNode"), "description": "plan objectives linked to no company objective"},
		"totals":             ref("PlanTotals"),
		"alignment": obj([]string{"objectives", "spaces"}, map[string]any{
			"objectives": map[string]any{"type": "array", "items": ref("PlanObjective"), "description": "the columns"},
			"spaces":     map[string]any{"type": "array", "items": ref("AlignmentRow"), "description": "the rows: the spaces the caller may see, by name only"}}),
		"permissions": obj([]string{"edit"}, map[string]any{"edit": ref("Decision")})}),
}
