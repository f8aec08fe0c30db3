package api_test

// The strategic plan through the API (api/plan.go): every employee reads
// the whole tree with its totals, KPI targets by horizon and the alignment
// matrix of the spaces they may see; only the community manager edits it,
// and every refused edit says why and writes nothing.

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"relais/policy"
)

type planTotalsJSON struct {
	Workstreams     int         `json:"workstreams"`
	SMMHours        json.Number `json:"smm_hours"`
	Contributors    int64       `json:"contributors"`
	BudgetPlanned   json.Number `json:"budget_planned"`
	BudgetCommitted json.Number `json:"budget_committed"`
	BudgetSpent     json.Number `json:"budget_spent"`
	Warnings        []string    `json:"warnings"`
}

// figures returns the totals as one comparable line.
func (t planTotalsJSON) figures() string {
	return strings.Join([]string{itoa(t.Workstreams), string(t.SMMHours), itoa(t.Contributors), string(t.BudgetPlanned),
		string(t.BudgetCommitted), string(t.BudgetSpent), strings.Join(t.Warnings, "+")}, " ")
}

type workstreamJSON struct {
	ID              int64       `json:"id"`
	PlanObjectiveID int64       `json:"plan_objective_id"`
	Title           string      `json:"title"`
	Tools           string      `json:"tools"`
	Integrations    string      `json:"integrations"`
	SMMHours        json.Number `json:"smm_hours"`
	Contributors    int64       `json:"contributors"`
	BudgetPlanned   json.Number `json:"budget_planned"`
	BudgetCommitted json.Number `json:"budget_committed"`
	BudgetSpent     json.Number `json:"budget_spent"`
	Warnings        []string    `json:"warnings"`
}

type kpiJSON struct {
	ID              int64       `json:"id"`
	PlanObjectiveID int64       `json:"plan_objective_id"`
	Horizon         string      `json:"horizon"`
	Metric          string      `json:"metric"`
	Target          json.Number `json:"target"`
	Unit            string      `json:"unit"`
	Due             string      `json:"due"`
}

type planSpaceJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type planObjectiveJSON struct {
	ID                 int64            `json:"id"`
	CompanyObjectiveID int64            `json:"company_objective_id"`
	Title              string           `json:"title"`
	Description        string           `json:"description"`
	Totals             planTotalsJSON   `json:"totals"`
	Workstreams        []workstreamJSON `json:"workstreams"`
	KPIs               struct {
		Activity []kpiJSON `json:"activity"`
		Value    []kpiJSON `json:"value"`
	} `json:"kpis"`
	Spaces []planSpaceJSON `json:"spaces"`
}

type planJSON struct {
	CompanyObjectives []struct {
		ID          int64               `json:"id"`
		Title       string              `json:"title"`
		Description string              `json:"description"`
		Totals      planTotalsJSON      `json:"totals"`
		Objectives  []planObjectiveJSON `json:"objectives"`
	} `json:"company_objectives"`
	Totals    planTotalsJSON `json:"totals"`
	Alignment struct {
		Objectives []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"objectives"`
		Spaces []struct {
			planSpaceJSON
			ObjectiveIDs []int64 `json:"objective_ids"`
		} `json:"spaces"`
	} `json:"alignment"`
	Permissions struct {
		Edit struct {
			Allowed bool   `json:"allowed"`
			Rule    string `json:"rule"`
		} `json:"edit"`
	} `json:"permissions"`
}

func getPlan(t *testing.T, c *client) planJSON {
	t.Helper()
	var p planJSON
	c.get(t, "/api/v1/plan").wantStatus(t, 200).decode(t, &p)
	return p
}

// objective returns the plan objective of a title.
func (p planJSON) objective(t *testing.T, title string) planObjectiveJSON {
	t.Helper()
	for _, c := range p.CompanyObjectives {
		for _, o := range c.Objectives {
			if o.Title == title {
				return o
			}
		}
	}
	t.Fatalf("no plan objective %q", title)
	return planObjectiveJSON{}
}

// cells counts the alignment matrix's cells and the filled ones.
func (p planJSON) cells() (all, filled int) {
	for _, r := range p.Alignment.Spaces {
		filled += len(r.ObjectiveIDs)
	}
	return len(p.Alignment.Spaces) * len(p.Alignment.Objectives), filled
}

// The demo plan (demo/plan.go).
const (
	demoLoyalty    = "Fidéliser nos clients professionnels"
	demoInnovate   = "Accélérer l'innovation produit"
	demoResponse   = "Réduire le temps de réponse aux clients Pro"
	demoMutualHelp = "Faire de Clients Pro un lieu d'entraide"
	demoFeedback   = "Faire remonter les irritants du terrain au Produit"
)

func TestPlanRead(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		p := getPlan(t, e.as(t, "claire"))
		if len(p.CompanyObjectives) != 2 || p.CompanyObjectives[0].Title != demoLoyalty || p.CompanyObjectives[1].Title != demoInnovate {
			t.Fatalf("company objectives %+v", p.CompanyObjectives)
		}
		// The totals, exactly: per plan objective, per company objective, in all.
		for _, c := range []struct{ title, want string }{
			{demoResponse, "2 180 10 10000 7000 4450.5 "},
			{demoMutualHelp, "1 80 10 5000 5500 2000 committed_over_planned"},
			{demoFeedback, "2 64 15 15000 13500 6000 "},
		} {
			if got := p.objective(t, c.title).Totals.figures(); got != c.want {
				t.Errorf("%s totals %q, want %q", c.title, got, c.want)
			}
		}
		if got := p.CompanyObjectives[0].Totals.figures(); got != "3 260 20 15000 12500 6450.5 " {
			t.Errorf("%s totals %q", demoLoyalty, got)
		}
		if got := p.CompanyObjectives[1].Totals.figures(); got != "2 64 15 15000 13500 6000 " {
			t.Errorf("%s totals %q", demoInnovate, got)
		}
		if got := p.Totals.figures(); got != "5 324 35 30000 26000 12450.5 " {
			t.Errorf("plan totals %q", got)
		}
		ws := p.objective(t, demoMutualHelp).Workstreams
		if len(ws) != 1 || !slices.Equal(ws[0].Warnings, []string{"committed_over_planned"}) || string(ws[0].BudgetCommitted) != "5500" {
			t.Errorf("ambassadors %+v", ws)
		}
		// KPI targets by horizon.
		o := p.objective(t, demoResponse)
		if len(o.KPIs.Activity) != 1 || len(o.KPIs.Value) != 1 || o.KPIs.Activity[0].Horizon != "activity" || o.KPIs.Value[0].Horizon != "value" ||
			string(o.KPIs.Activity[0].Target) != "24" || o.KPIs.Activity[0].Unit != "h" {
			t.Errorf("KPIs of %s: %+v", demoResponse, o.KPIs)
		}
		if f := p.objective(t, demoMutualHelp).KPIs; len(f.Activity) != 1 || len(f.Value) != 0 || f.Value == nil {
			t.Errorf("KPIs of %s: %+v", demoMutualHelp, f)
		}
		// The matrix: the CM sees the two communities, no team space.
		if all, filled := p.cells(); all != 6 || filled != 3 {
			t.Errorf("claire's matrix: %d cells, %d filled", all, filled)
		}
		for _, r := range p.Alignment.Spaces {
			if r.Kind != "community" {
				t.Errorf("claire sees %s (%s) in the matrix", r.Name, r.Kind)
			}
		}
		if sp := p.objective(t, demoFeedback).Spaces; len(sp) != 1 || sp[0].Name != innovation {
			t.Errorf("%s served by %+v", demoFeedback, sp)
		}
		if !p.Permissions.Edit.Allowed || p.Permissions.Edit.Rule != policy.RuleCockpitCM {
			t.Errorf("claire's permissions %+v", p.Permissions)
		}

		// Every employee reads it; paul sees his team space by its name.
		for _, login := range []string{"samir", "paul", "victor", "marc", "lea"} {
			p := getPlan(t, e.as(t, login))
			if p.Totals.figures() != "5 324 35 30000 26000 12450.5 " {
				t.Errorf("%s reads other totals: %s", login, p.Totals.figures())
			}
			if p.Permissions.Edit.Allowed || p.Permissions.Edit.Rule != policy.RuleCockpitCMOnly {
				t.Errorf("%s's permissions %+v", login, p.Permissions)
			}
		}
		p = getPlan(t, e.as(t, "paul"))
		var names []string
		for _, r := range p.Alignment.Spaces {
			names = append(names, r.Name)
		}
		slices.Sort(names)
		if !slices.Equal(names, []string{clientsPro, innovation, supportLyon}) {
			t.Errorf("paul's matrix rows %v", names)
		}
		if all, filled := p.cells(); all != 9 || filled != 3 {
			t.Errorf("paul's matrix: %d cells, %d filled", all, filled)
		}
		// The plan shows a space's name only.
		var raw map[string]any
		e.as(t, "paul").get(t, "/api/v1/plan").decode(t, &raw)
		for _, row := range dig(raw, "alignment", "spaces").([]any) {
			if len(row.(map[string]any)) != 4 {
				t.Errorf("a row of the matrix says more than id, name, kind and objective_ids: %v", row)
			}
		}
		// Externals do not read it; anonymous callers sign in first.
		for _, login := range []string{"olivia", "xavier"} {
			for _, path := range []string{"/api/v1/plan", "/api/v1/plan/company-objectives", "/api/v1/plan/objectives"} {
				e.as(t, login).get(t, path).wantError(t, 403, policy.RulePlanInternalOnly)
			}
		}
		e.anon().get(t, "/api/v1/plan").wantError(t, 401, "")

		var lists struct {
			CompanyObjectives []struct{ ID int64 } `json:"company_objectives"`
			Objectives        []struct {
				ID                 int64 `json:"id"`
				CompanyObjectiveID int64 `json:"company_objective_id"`
			} `json:"objectives"`
		}
		e.as(t, "paul").get(t, "/api/v1/plan/company-objectives").wantStatus(t, 200).decode(t, &lists)
		e.as(t, "paul").get(t, "/api/v1/plan/objectives").wantStatus(t, 200).decode(t, &lists)
		if len(lists.CompanyObjectives) != 2 || len(lists.Objectives) != 3 || lists.Objectives[0].CompanyObjectiveID != lists.CompanyObjectives[0].ID {
			t.Errorf("lists %+v", lists)
		}

		// The answer holds what its schema requires.
		var doc map[string]any
		e.anon().get(t, "/api/openapi.json").decode(t, &doc)
		schemas, _ := dig(doc, "components", "schemas").(map[string]any)
		for _, path := range []string{"/api/v1/plan", "/api/v1/plan/company-objectives", "/api/v1/plan/objectives"} {
			schema := dig(doc, "paths", path, "get", "responses", "200", "content", "application/json", "schema")
			for _, login := range []string{"claire", "paul"} {
				var v any
				e.as(t, login).get(t, path).decode(t, &v)
				for _, problem := range conforms(schemas, schema, v, "$") {
					t.Errorf("GET %s as %s: %s", path, login, problem)
				}
			}
		}
	})
}

// planWrites are the plan's writes with a valid body, for the checks of
// who may write.
func planWrites(e *env, ids map[string]int64) []struct{ method, path string } {
	return []struct{ method, path string }{
		{"POST", "/api/v1/plan/company-objectives"},
		{"PUT", "/api/v1/plan/company-objectives/" + id(ids["company"])},
		{"DELETE", "/api/v1/plan/company-objectives/" + id(ids["company"])},
		{"POST", "/api/v1/plan/objectives"},
		{"PUT", "/api/v1/plan/objectives/" + id(ids["objective"])},
		{"DELETE", "/api/v1/plan/objectives/" + id(ids["objective"])},
		{"POST", "/api/v1/plan/objectives/" + id(ids["objective"]) + "/workstreams"},
		{"PUT", "/api/v1/plan/workstreams/" + id(ids["workstream"])},
		{"DELETE", "/api/v1/plan/workstreams/" + id(ids["workstream"])},
		{"POST", "/api/v1/plan/objectives/" + id(ids["objective"]) + "/kpis"},
		{"PUT", "/api/v1/plan/kpis/" + id(ids["kpi"])},
		{"DELETE", "/api/v1/plan/kpis/" + id(ids["kpi"])},
		{"PUT", "/api/v1/plan/alignment"},
	}
}

func TestPlanWriteRoles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		p := getPlan(t, e.as(t, "claire"))
		o := p.objective(t, demoResponse)
		ids := map[string]int64{"company": p.CompanyObjectives[0].ID, "objective": o.ID, "workstream": o.Workstreams[0].ID,
			"kpi": o.KPIs.Activity[0].ID}
		body := map[string]any{"title": "Par un autre", "company_objective_id": ids["company"]}
		before := p.Totals.figures()
		for _, login := range []string{"samir", "olivia", "paul", "victor", "marc", "xavier", "admin"} {
			c := e.as(t, login)
			for _, w := range planWrites(e, ids) {
				var b any
				switch {
				case w.path == "/api/v1/plan/alignment":
					b = map[string]any{"space_id": e.spaces[innovation], "plan_objective_id": ids["objective"], "aligned": true}
				case w.method == "PUT" && strings.Contains(w.path, "/kpis/"):
					b = map[string]any{"metric": "m"}
				case w.method == "PUT":
					b = map[string]any{"title": "Par un autre"}
				case w.method == "POST" && strings.HasSuffix(w.path, "/kpis"):
					b = map[string]any{"horizon": "value", "metric": "m", "target": 1, "due": "2027-01-01"}
				case w.method == "POST" && strings.HasSuffix(w.path, "/objectives"):
					b = body
				case w.method == "POST":
					b = map[string]any{"title": "Par un autre"}
				}
				c.do(t, w.method, w.path, b).wantError(t, 403, policy.RuleCockpitCMOnly)
			}
		}
		after := getPlan(t, e.as(t, "claire"))
		if after.Totals.figures() != before || len(after.CompanyObjectives) != 2 {
			t.Errorf("refused writes changed the plan: %s", after.Totals.figures())
		}
		if all, filled := after.cells(); all != 6 || filled != 3 {
			t.Errorf("refused writes changed the matrix: %d/%d", all, filled)
		}
		// The denial says it in words, in French too.
		r := e.as(t, "paul").in("fr").post(t, "/api/v1/plan/company-objectives", map[string]any{"title": "x"})
		er := r.wantError(t, 403, policy.RuleCockpitCMOnly)
		if rl, _ := policy.Lookup(policy.RuleCockpitCMOnly); er.Error.Message != rl.FR {
			t.Errorf("French denial %q, want %q", er.Error.Message, rl.FR)
		}
	})
}

func TestPlanEdits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		cm := e.as(t, "claire")
		auditCount := func() int {
			var out struct {
				Entries []struct{ Action string } `json:"entries"`
			}
			cm.get(t, "/api/v1/audit?limit=100").wantStatus(t, 200).decode(t, &out)
			n := 0
			for _, a := range out.Entries {
				if strings.HasPrefix(a.Action, "plan.") {
					n++
				}
			}
			return n
		}
		startAudit := auditCount()

		var co struct {
			ID          int64  `json:"id"`
			Title       string `json:"title"`
			Description string `json:"description"`
		}
		cm.post(t, "/api/v1/plan/company-objectives", map[string]any{"title": "  Réduire les coûts de support  ", "description": "Moins de tickets."}).
			wantStatus(t, 201).decode(t, &co)
		if co.ID == 0 || co.Title != "Réduire les coûts de support" || co.Description != "Moins de tickets." {
			t.Fatalf("created %+v", co)
		}
		var po struct {
			ID                 int64 `json:"id"`
			CompanyObjectiveID int64 `json:"company_objective_id"`
		}
		cm.post(t, "/api/v1/plan/objectives", map[string]any{"company_objective_id": co.ID, "title": "Documenter les solutions"}).
			wantStatus(t, 201).decode(t, &po)
		if po.CompanyObjectiveID != co.ID {
			t.Fatalf("objective %+v", po)
		}
		obj := "/api/v1/plan/objectives/" + id(po.ID)
		var w1, w2 workstreamJSON
		cm.post(t, obj+"/workstreams", map[string]any{"title": "Fiches réflexes", "tools": "Relais", "smm_hours": 12.5, "contributors": 4,
			"budget_planned": "1 234,50", "budget_committed": 2000, "budget_spent": "99.99"}).wantStatus(t, 201).decode(t, &w1)
		if string(w1.SMMHours) != "12.5" || w1.Contributors != 4 || string(w1.BudgetPlanned) != "1234.5" || string(w1.BudgetCommitted) != "2000" ||
			string(w1.BudgetSpent) != "99.99" || !slices.Equal(w1.Warnings, []string{"committed_over_planned"}) || w1.PlanObjectiveID != po.ID {
			t.Errorf("workstream %+v", w1)
		}
		cm.post(t, obj+"/workstreams", map[string]any{"title": "Formation", "smm_hours": "7,25", "contributors": "2",
			"budget_planned": 100, "budget_spent": 150}).wantStatus(t, 201).decode(t, &w2)
		if !slices.Equal(w2.Warnings, []string{"spent_over_planned"}) || string(w2.BudgetCommitted) != "0" {
			t.Errorf("workstream %+v", w2)
		}
		// The same title under another objective is another workstream.
		other := getPlan(t, cm).objective(t, demoFeedback)
		cm.post(t, "/api/v1/plan/objectives/"+id(other.ID)+"/workstreams", map[string]any{"title": "Formation"}).wantStatus(t, 201)

		var k kpiJSON
		cm.post(t, obj+"/kpis", map[string]any{"horizon": "value", "metric": "Tickets évités", "target": "300", "unit": "tickets", "due": "2027-06-30"}).
			wantStatus(t, 201).decode(t, &k)
		if k.Horizon != "value" || string(k.Target) != "300" || k.Due != "2027-06-30" || k.PlanObjectiveID != po.ID {
			t.Errorf("KPI %+v", k)
		}

		// The totals follow, exactly.
		p := getPlan(t, cm)
		if got := p.objective(t, "Documenter les solutions").Totals.figures(); got != "2 19.75 6 1334.5 2000 249.99 committed_over_planned" {
			t.Errorf("new objective totals %q", got)
		}
		if got := p.objective(t, demoFeedback).Totals.figures(); got != "3 64 15 15000 13500 6000 " {
			t.Errorf("%s totals %q", demoFeedback, got)
		}
		if got := p.Totals.figures(); got != "8 343.75 41 31334.5 28000 12700.49 " {
			t.Errorf("plan totals %q", got)
		}

		// A change keeps what it leaves out.
		var w1b workstreamJSON
		cm.put(t, "/api/v1/plan/workstreams/"+id(w1.ID), map[string]any{"budget_committed": 1000, "budget_spent": nil}).wantStatus(t, 200).decode(t, &w1b)
		if string(w1b.BudgetCommitted) != "1000" || string(w1b.BudgetSpent) != "99.99" || w1b.Title != "Fiches réflexes" || w1b.Tools != "Relais" ||
			len(w1b.Warnings) != 0 || w1b.Warnings == nil {
			t.Errorf("after a change %+v", w1b)
		}
		var kb kpiJSON
		cm.put(t, "/api/v1/plan/kpis/"+id(k.ID), map[string]any{"horizon": "activity"}).wantStatus(t, 200).decode(t, &kb)
		if kb.Horizon != "activity" || kb.Metric != "Tickets évités" || kb.Due != "2027-06-30" {
			t.Errorf("KPI after a change %+v", kb)
		}
		var pob struct {
			CompanyObjectiveID int64  `json:"company_objective_id"`
			Title              string `json:"title"`
		}
		cm.put(t, obj, map[string]any{"company_objective_id": p.CompanyObjectives[0].ID}).wantStatus(t, 200).decode(t, &pob)
		if pob.CompanyObjectiveID != p.CompanyObjectives[0].ID || pob.Title != "Documenter les solutions" {
			t.Errorf("moved objective %+v", pob)
		}
		cm.put(t, "/api/v1/plan/company-objectives/"+id(co.ID), map[string]any{"description": "Autrement."}).wantStatus(t, 200)

		// Alignment: a visible space; idempotent.
		align := func(space, objective int64, aligned bool) *response {
			return cm.put(t, "/api/v1/plan/alignment", map[string]any{"space_id": space, "plan_objective_id": objective, "aligned": aligned})
		}
		var res struct {
			SpaceName string `json:"space_name"`
			Aligned   bool   `json:"aligned"`
			Changed   bool   `json:"changed"`
		}
		align(e.spaces[innovation], po.ID, true).wantStatus(t, 200).decode(t, &res)
		if !res.Aligned || !res.Changed || res.SpaceName != innovation {
			t.Errorf("alignment %+v", res)
		}
		align(e.spaces[innovation], po.ID, true).wantStatus(t, 200).decode(t, &res)
		if res.Changed {
			t.Errorf("aligning twice changed it: %+v", res)
		}
		if all, filled := getPlan(t, cm).cells(); all != 8 || filled != 4 {
			t.Errorf("matrix after aligning: %d/%d", all, filled)
		}

		// Linked things keep what they link to.
		cm.del(t, "/api/v1/plan/company-objectives/"+id(p.CompanyObjectives[0].ID)).wantError(t, 409, "")
		cm.del(t, obj).wantError(t, 409, "")
		// Unlinked one by one, then removed.
		align(e.spaces[innovation], po.ID, false).wantStatus(t, 200)
		for _, path := range []string{"/api/v1/plan/workstreams/" + id(w1.ID), "/api/v1/plan/workstreams/" + id(w2.ID), "/api/v1/plan/kpis/" + id(k.ID), obj,
			"/api/v1/plan/company-objectives/" + id(co.ID)} {
			cm.del(t, path).wantStatus(t, http.StatusNoContent)
			cm.del(t, path).wantError(t, 404, "")
		}
		if got := getPlan(t, cm).Totals.figures(); got != "6 324 35 30000 26000 12450.5 " {
			t.Errorf("plan totals after removals %q", got)
		}
		// Created: 2 objectives, 3 workstreams, 1 KPI; changed: a workstream,
		// a KPI, 2 objectives; aligned then unaligned (the repeated
		// alignment changed nothing); 5 removals.
		if n := auditCount() - startAudit; n != 17 {
			t.Errorf("%d audit entries of the plan, want 17", n)
		}
	})
}

func TestPlanValidation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		cm := e.as(t, "claire")
		p := getPlan(t, cm)
		company := p.CompanyObjectives[0].ID
		o := p.objective(t, demoResponse)
		ws := o.Workstreams[0]
		obj := "/api/v1/plan/objectives/" + id(o.ID)
		long := strings.Repeat("é", 201)
		huge := strings.Repeat("x", 5001)
		var auditBefore struct {
			Entries []struct{ ID int64 } `json:"entries"`
		}
		cm.get(t, "/api/v1/audit?limit=1").decode(t, &auditBefore)

		for _, c := range []struct {
			name, method, path string
			body               any
			status             int
			field              string
		}{
			// Company objectives.
			{"empty body", "POST", "/api/v1/plan/company-objectives", "", 400, ""},
			{"not JSON", "POST", "/api/v1/plan/company-objectives", "{title", 400, ""},
			{"no title", "POST", "/api/v1/plan/company-objectives", map[string]any{}, 400, "title"},
			{"blank title", "POST", "/api/v1/plan/company-objectives", map[string]any{"title": " \t "}, 400, "title"},
			{"long title", "POST", "/api/v1/plan/company-objectives", map[string]any{"title": long}, 400, "title"},
			{"title not text", "POST", "/api/v1/plan/company-objectives", map[string]any{"title": 12}, 400, "title"},
			{"huge description", "POST", "/api/v1/plan/company-objectives", map[string]any{"title": "t", "description": huge}, 400, "description"},
			{"NUL", "POST", "/api/v1/plan/company-objectives", map[string]any{"title": "a\x00b"}, 400, "title"},
			{"unknown field", "POST", "/api/v1/plan/company-objectives", map[string]any{"title": "t", "owner": "x"}, 400, "owner"},
			{"duplicate title", "POST", "/api/v1/plan/company-objectives", map[string]any{"title": "  " + strings.ToUpper(demoLoyalty)}, 409, "title"},
			{"rename to a taken title", "PUT", "/api/v1/plan/company-objectives/" + id(p.CompanyObjectives[1].ID), map[string]any{"title": demoLoyalty}, 409, "title"},
			{"change unknown", "PUT", "/api/v1/plan/company-objectives/999999", map[string]any{"title": "t"}, 404, ""},
			{"bad id", "PUT", "/api/v1/plan/company-objectives/abc", map[string]any{"title": "t"}, 400, "id"},
			{"empty new title", "PUT", "/api/v1/plan/company-objectives/" + id(company), map[string]any{"title": ""}, 400, "title"},
			{"remove unknown", "DELETE", "/api/v1/plan/company-objectives/999999", nil, 404, ""},
			{"remove linked", "DELETE", "/api/v1/plan/company-objectives/" + id(company), nil, 409, ""},
			// Plan objectives.
			{"no company objective", "POST", "/api/v1/plan/objectives", map[string]any{"title": "t"}, 400, "company_objective_id"},
			{"unknown company objective", "POST", "/api/v1/plan/objectives", map[string]any{"title": "t", "company_objective_id": 999999}, 404, "company_objective_id"},
			{"company objective not a number", "POST", "/api/v1/plan/objectives", map[string]any{"title": "t", "company_objective_id": "un"}, 400, "company_objective_id"},
			{"duplicate objective", "POST", "/api/v1/plan/objectives", map[string]any{"title": strings.ToLower(demoFeedback), "company_objective_id": company}, 409, "title"},
			{"move to unknown", "PUT", obj, map[string]any{"company_objective_id": 999999}, 404, "company_objective_id"},
			{"objective huge description", "PUT", obj, map[string]any{"description": huge}, 400, "description"},
			{"remove linked objective", "DELETE", obj, nil, 409, ""},
			{"objective unknown", "PUT", "/api/v1/plan/objectives/999999", map[string]any{"title": "t"}, 404, ""},
			// Workstreams.
			{"workstream of unknown objective", "POST", "/api/v1/plan/objectives/999999/workstreams", map[string]any{"title": "t"}, 404, "plan_objective_id"},
			{"workstream without title", "POST", obj + "/workstreams", map[string]any{"smm_hours": 2}, 400, "title"},
			{"budget not a number", "POST", obj + "/workstreams", map[string]any{"title": "t", "budget_planned": "beaucoup"}, 400, "budget_planned"},
			{"budget a boolean", "POST", obj + "/workstreams", map[string]any{"title": "t", "budget_committed": true}, 400, "budget_committed"},
			{"budget an object", "POST", obj + "/workstreams", map[string]any{"title": "t", "budget_spent": map[string]any{}}, 400, "budget_spent"},
			{"budget a list", "POST", obj + "/workstreams", map[string]any{"title": "t", "budget_spent": []int{1}}, 400, "budget_spent"},
			{"negative budget", "POST", obj + "/workstreams", map[string]any{"title": "t", "budget_planned": -1}, 400, "budget_planned"},
			{"three decimals", "POST", obj + "/workstreams", map[string]any{"title": "t", "budget_planned": 10.001}, 400, "budget_planned"},
			{"huge budget", "POST", obj + "/workstreams", map[string]any{"title": "t", "budget_planned": 1e12}, 400, "budget_planned"},
			{"NaN hours", "POST", obj + "/workstreams", map[string]any{"title": "t", "smm_hours": "NaN"}, 400, "smm_hours"},
			{"negative hours", "POST", obj + "/workstreams", map[string]any{"title": "t", "smm_hours": "-3"}, 400, "smm_hours"},
			{"hours with three decimals", "POST", obj + "/workstreams", map[string]any{"title": "t", "smm_hours": "1,005"}, 400, "smm_hours"},
			{"half a contributor", "POST", obj + "/workstreams", map[string]any{"title": "t", "contributors": 2.5}, 400, "contributors"},
			{"negative contributors", "POST", obj + "/workstreams", map[string]any{"title": "t", "contributors": -2}, 400, "contributors"},
			{"huge tools", "POST", obj + "/workstreams", map[string]any{"title": "t", "tools": huge}, 400, "tools"},
			{"huge integrations", "POST", obj + "/workstreams", map[string]any{"title": "t", "integrations": huge}, 400, "integrations"},
			{"duplicate workstream", "POST", obj + "/workstreams", map[string]any{"title": strings.ToUpper(ws.Title)}, 409, "title"},
			{"change to not a number", "PUT", "/api/v1/plan/workstreams/" + id(ws.ID), map[string]any{"budget_spent": "x"}, 400, "budget_spent"},
			{"change unknown workstream", "PUT", "/api/v1/plan/workstreams/999999", map[string]any{"title": "t"}, 404, ""},
			{"remove unknown workstream", "DELETE", "/api/v1/plan/workstreams/999999", nil, 404, ""},
			// KPI targets.
			{"KPI of unknown objective", "POST", "/api/v1/plan/objectives/999999/kpis", map[string]any{"horizon": "value", "metric": "m", "target": 1, "due": "2027-01-01"}, 404, "plan_objective_id"},
			{"unknown horizon", "POST", obj + "/kpis", map[string]any{"horizon": "short", "metric": "m", "target": 1, "due": "2027-01-01"}, 400, "horizon"},
			{"no horizon", "POST", obj + "/kpis", map[string]any{"metric": "m", "target": 1, "due": "2027-01-01"}, 400, "horizon"},
			{"no metric", "POST", obj + "/kpis", map[string]any{"horizon": "value", "target": 1, "due": "2027-01-01"}, 400, "metric"},
			{"no target", "POST", obj + "/kpis", map[string]any{"horizon": "value", "metric": "m", "due": "2027-01-01"}, 400, "target"},
			{"target not a number", "POST", obj + "/kpis", map[string]any{"horizon": "value", "metric": "m", "target": "lots", "due": "2027-01-01"}, 400, "target"},
			{"bad due", "POST", obj + "/kpis", map[string]any{"horizon": "value", "metric": "m", "target": 1, "due": "2027-02-30"}, 400, "due"},
			{"no due", "POST", obj + "/kpis", map[string]any{"horizon": "value", "metric": "m", "target": 1}, 400, "due"},
			{"long unit", "POST", obj + "/kpis", map[string]any{"horizon": "value", "metric": "m", "target": 1, "unit": strings.Repeat("u", 41), "due": "2027-01-01"}, 400, "unit"},
			{"change KPI horizon", "PUT", "/api/v1/plan/kpis/" + id(o.KPIs.Activity[0].ID), map[string]any{"horizon": "later"}, 400, "horizon"},
			{"change unknown KPI", "PUT", "/api/v1/plan/kpis/999999", map[string]any{"metric": "m"}, 404, ""},
			{"remove unknown KPI", "DELETE", "/api/v1/plan/kpis/999999", nil, 404, ""},
			// Alignment.
			{"alignment without aligned", "PUT", "/api/v1/plan/alignment", map[string]any{"space_id": e.spaces[innovation], "plan_objective_id": o.ID}, 400, "aligned"},
			{"alignment without space", "PUT", "/api/v1/plan/alignment", map[string]any{"plan_objective_id": o.ID, "aligned": true}, 400, "space_id"},
			{"aligned not a boolean", "PUT", "/api/v1/plan/alignment", map[string]any{"space_id": e.spaces[innovation], "plan_objective_id": o.ID, "aligned": "yes"}, 400, "aligned"},
			{"unknown space", "PUT", "/api/v1/plan/alignment", map[string]any{"space_id": 999999, "plan_objective_id": o.ID, "aligned": true}, 404, "space_id"},
			{"a team space the CM may not see", "PUT", "/api/v1/plan/alignment", map[string]any{"space_id": e.spaces[supportLyon], "plan_objective_id": o.ID, "aligned": true}, 404, "space_id"},
			{"unknown objective", "PUT", "/api/v1/plan/alignment", map[string]any{"space_id": e.spaces[innovation], "plan_objective_id": 999999, "aligned": true}, 404, "plan_objective_id"},
			{"zero ids", "PUT", "/api/v1/plan/alignment", map[string]any{"space_id": 0, "plan_objective_id": o.ID, "aligned": true}, 400, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := cm.do(t, c.method, c.path, c.body)
				er := r.wantError(t, c.status, "")
				if c.field != "" && er.Error != nil && er.Error.Field != c.field {
					t.Errorf("field %q, want %q: %s", er.Error.Field, c.field, r)
				}
			})
		}
		// Nothing was written, nothing audited.
		after := getPlan(t, cm)
		if after.Totals.figures() != p.Totals.figures() || len(after.CompanyObjectives) != 2 || len(after.Alignment.Objectives) != 3 {
			t.Errorf("refused changes changed the plan: %s", after.Totals.figures())
		}
		if all, filled := after.cells(); all != 6 || filled != 3 {
			t.Errorf("refused changes changed the matrix: %d/%d", all, filled)
		}
		if a, b := after.objective(t, demoResponse).KPIs, p.objective(t, demoResponse).KPIs; len(a.Activity) != len(b.Activity) || a.Activity[0].Horizon != "activity" {
			t.Errorf("KPIs changed: %+v", a)
		}
		var auditAfter struct {
			Entries []struct{ ID int64 } `json:"entries"`
		}
		cm.get(t, "/api/v1/audit?limit=1").decode(t, &auditAfter)
		if auditAfter.Entries[0].ID != auditBefore.Entries[0].ID {
			t.Errorf("refused changes were audited")
		}
		// Errors speak French too.
		r := cm.in("fr").post(t, obj+"/workstreams", map[string]any{"title": "t", "budget_planned": "beaucoup"})
		if er := r.wantError(t, 400, ""); !strings.Contains(er.Error.Message, "budget prévu") {
			t.Errorf("French message %q", er.Error.Message)
		}
	})
}
