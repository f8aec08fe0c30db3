package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"relais/policy"
)

// The strategic plan's page: the SVG tree and matrix with the demo's
// figures, the same figures in tables, in French and English; the
// community manager's forms, which the others never get.

// planNodes counts the nodes of each level of the plan's SVG tree, and the
// cells of its matrix.
func planNodes(p *page) (companies, objectives, workstreams, cells, filled int) {
	return strings.Count(p.Body, `<g class="node node-company`), strings.Count(p.Body, `<g class="node node-objective`),
		strings.Count(p.Body, `<g class="node node-workstream`), strings.Count(p.Body, `<rect class="plan-cell`),
		strings.Count(p.Body, `<rect class="plan-cell filled"`)
}

// planRawKey finds a catalog key left untranslated in a page.
var planRawKey = regexp.MustCompile(`\b(?:plan|nav|space|date|rule)\.[a-z_]+(?:\.[a-z_]+)*\b`)

var planCode = regexp.MustCompile(`<code>[^<]*</code>`)

// planForms are the forms of the community manager on the plan's page.
var planForms = regexp.MustCompile(`<form[^>]+action="/plan/`)

func TestPlanPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		claire := e.browser(t, "en")
		home := claire.signIn("claire")
		mustContain(t, home, `<a href="/plan">Plan</a>`)
		p := claire.get("/plan")
		mustStatus(t, p, http.StatusOK)
		checkHeadings(t, "plan", p)
		mustContain(t, p, `<a href="/plan" aria-current="page">Plan</a>`, `<h1 id="plan-h">Strategic plan</h1>`,
			`<svg class="plan-tree"`, `role="img" aria-labelledby="plan-tree-title plan-tree-desc"`, `<title id="plan-tree-title">`,
			`<desc id="plan-tree-desc">2 company objectives, 3 plan objectives, 5 workstreams.`,
			`<svg class="plan-matrix"`, `aria-labelledby="plan-matrix-title plan-matrix-desc"`,
			`<desc id="plan-matrix-desc">2 spaces in rows, 3 plan objectives in columns`,
			// The table of figures holds the demo's totals exactly.
			`<caption id="figures-caption">`, `<th scope="row">Plan total</th>`, "<td>324\u00a0h</td>", "<td>35</td>",
			"<td>€30,000</td>", "<td>€26,000</td>", "<td>€12,450.50</td>",
			// Réduire le temps de réponse: 180 h, 10 people, 10 000 / 7 000 / 4 450.50.
			"<td>180\u00a0h</td>", "<td>€10,000</td>", "<td>€7,000</td>", "<td>€4,450.50</td>",
			// The ambassadors committed beyond plan: flagged, not refused.
			`<span class="tag status-rejected">Committed beyond plan</span>`, `class="bar bar-committed over"`,
			`<caption id="alignment-caption">`, `<h2 id="objectives-h">The objectives in detail</h2>`,
			"Délai médian de première réponse", "Activity (medium term)", "Value (long term)")
		c, o, w, cells, filled := planNodes(p)
		if c != 2 || o != 3 || w != 5 {
			t.Errorf("tree: %d company objectives, %d plan objectives, %d workstreams; want 2, 3, 5", c, o, w)
		}
		// claire sees the two communities, no team space: 2 × 3 cells, 3 aligned.
		if cells != 6 || filled != 3 {
			t.Errorf("matrix: %d cells, %d filled; want 6 and 3", cells, filled)
		}
		mustNotContain(t, p, "Support Lyon", "Ventes Paris")
		// The community manager edits.
		mustContain(t, p, `action="/plan/company-objectives"`, `action="/plan/objectives"`, `action="/plan/alignment"`,
			`aria-pressed="true"`, `aria-pressed="false"`, `<label for="form-company-new-title">Title</label>`)
		mustNotContain(t, p, "cockpit.cm_only")
		if k := planRawKey.FindString(planCode.ReplaceAllString(p.Body, "")); k != "" {
			t.Errorf("untranslated key %q", k)
		}

		// In French.
		fr := e.browser(t, "fr")
		fr.signIn("claire")
		p = fr.get("/plan")
		mustStatus(t, p, http.StatusOK)
		checkHeadings(t, "plan fr", p)
		mustContain(t, p, `<html lang="fr">`, `<h1 id="plan-h">Plan stratégique</h1>`, "<td>324\u00a0h</td>",
			"<td>30\u00a0000\u00a0€</td>", "<td>12\u00a0450,50\u00a0€</td>", "Engagé au-delà du prévu", "Activité (moyen terme)",
			`<th scope="row">Total du plan</th>`, `value="1250,5"`)
		if k := planRawKey.FindString(planCode.ReplaceAllString(p.Body, "")); k != "" {
			t.Errorf("fr: untranslated key %q", k)
		}

		// paul, a participant, reads the plan without any form, and the
		// spaces he may see: his team space too, by its name only.
		paul := e.browser(t, "en")
		mustContain(t, paul.signIn("paul"), `<a href="/plan">Plan</a>`)
		p = paul.get("/plan")
		mustStatus(t, p, http.StatusOK)
		checkHeadings(t, "plan of a participant", p)
		if m := planForms.FindString(p.Body); m != "" {
			t.Errorf("paul gets a form of the plan: %s", m)
		}
		mustNotContain(t, p, `class="plan-toggle"`, `<details class="plan-edit"`)
		mustContain(t, p, "<code>"+policy.RuleCockpitCMOnly+"</code>", inHTML(rule(policy.RuleCockpitCMOnly).EN),
			"Support Lyon", `<span class="tag kind-team">Team space</span>`)
		mustNotContain(t, p, "Ventes Paris")
		if _, _, _, cells, filled = planNodes(p); cells != 9 || filled != 3 {
			t.Errorf("paul's matrix: %d cells, %d filled; want 9 and 3", cells, filled)
		}

		// samir, a social media manager, reads it too, without forms.
		samir := e.browser(t, "en")
		samir.signIn("samir")
		p = samir.get("/plan")
		mustStatus(t, p, http.StatusOK)
		if m := planForms.FindString(p.Body); m != "" {
			t.Errorf("samir gets a form of the plan: %s", m)
		}

		// Externals do not read the plan: no link, and the rule if they try.
		for _, login := range []string{"olivia", "xavier"} {
			b := e.browser(t, "en")
			mustNotContain(t, b.signIn(login), `href="/plan"`)
			p = b.get("/plan")
			mustStatus(t, p, http.StatusForbidden)
			mustContain(t, p, "<code>"+policy.RulePlanInternalOnly+"</code>")
			mustNotContain(t, p, "Fidéliser nos clients professionnels", "plan-tree")
		}
	})
}

// planLocation returns the anchor id of a redirect to the plan, after
// checking its done parameter.
func planLocation(t *testing.T, res *page, done string) string {
	t.Helper()
	mustStatus(t, res, http.StatusSeeOther)
	loc := res.Location()
	prefix := "/plan?done=" + done + "#"
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirect to %q, want %s…", loc, prefix)
	}
	return strings.TrimPrefix(loc, prefix)
}

func TestPlanForms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		b := e.browser(t, "en")
		b.signIn("claire")
		p := b.get("/plan")

		// A company objective: refused empty, then added.
		res := b.postForm(p, "/plan/company-objectives", url.Values{"title": {"  "}, "description": {"Pourquoi."}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="form-company-new-error"`, "The title is required.", `id="form-company-new-title"`,
			`aria-invalid="true" aria-describedby="form-company-new-error"`, ">Pourquoi.</textarea>")
		res = b.postForm(p, "/plan/company-objectives", url.Values{"title": {"fidéliser nos clients PROFESSIONNELS"}})
		mustStatus(t, res, http.StatusConflict)
		mustContain(t, res, `id="form-company-new-error"`, "already exists")
		anchor := planLocation(t, b.postForm(p, "/plan/company-objectives", url.Values{"title": {"Réduire les coûts de support"},
			"description": {"Moins de tickets répétitifs."}}), "created")
		companyID := strings.TrimPrefix(anchor, "company-")
		p = b.get("/plan?done=created")
		mustContain(t, p, `<p class="notice ok" role="status">Added to the plan.</p>`, `id="`+anchor+`"`, "Réduire les coûts de support")
		if c, _, _, _, _ := planNodes(p); c != 3 {
			t.Errorf("%d company objectives in the tree, want 3", c)
		}

		// A plan objective under it.
		anchor = planLocation(t, b.postForm(p, "/plan/objectives", url.Values{"company_objective_id": {companyID},
			"title": {"Documenter les solutions"}, "description": {""}}), "created")
		objectiveID := strings.TrimPrefix(anchor, "objective-")
		p = b.get("/plan")
		if _, o, _, cells, _ := planNodes(p); o != 4 || cells != 8 {
			t.Errorf("%d plan objectives and %d cells, want 4 and 8", o, cells)
		}

		// A workstream: not a number, then French decimals.
		add := "/plan/objectives/" + objectiveID + "/workstreams"
		form := "form-objective-" + objectiveID + "-workstream"
		res = b.postForm(p, add, url.Values{"title": {"Fiches réflexes"}, "smm_hours": {"12"}, "budget_planned": {"beaucoup"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="`+form+`-error"`, `<details class="plan-edit" open>`, `value="beaucoup"`, `value="Fiches réflexes"`,
			`id="`+form+`-budget-planned"`)
		if !regexp.MustCompile(`id="` + form + `-budget-planned"[^>]*aria-invalid="true"`).MatchString(res.Body) {
			t.Errorf("the budget field is not marked invalid")
		}
		res = b.postForm(p, add, url.Values{"title": {"Fiches réflexes"}, "smm_hours": {"-2"}})
		mustStatus(t, res, http.StatusBadRequest)
		res = b.postForm(p, add, url.Values{"title": {"Fiches réflexes"}, "contributors": {"2,5"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "whole number")
		anchor = planLocation(t, b.postForm(p, add, url.Values{"title": {"Fiches réflexes"}, "tools": {"Relais"}, "smm_hours": {"12,5"},
			"contributors": {"4"}, "budget_planned": {"1 234,50"}, "budget_committed": {"100"}, "budget_spent": {"2000"}}), "created")
		workstreamID := strings.TrimPrefix(anchor, "workstream-")
		p = b.get("/plan")
		mustContain(t, p, `id="`+anchor+`"`, "€1,234.50", "12.5\u00a0h", `<span class="tag status-rejected">Spent beyond plan</span>`)
		if _, _, w, _, _ := planNodes(p); w != 6 {
			t.Errorf("%d workstreams, want 6", w)
		}
		// Changed through its own form.
		res = b.postForm(p, "/plan/workstreams/"+workstreamID, url.Values{"title": {"Fiches réflexes"}, "tools": {"Relais"},
			"integrations": {""}, "smm_hours": {"20"}, "contributors": {"4"}, "budget_planned": {"3000"}, "budget_committed": {"100"},
			"budget_spent": {"2000"}})
		if got := planLocation(t, res, "updated"); got != anchor {
			t.Errorf("anchor %q", got)
		}
		p = b.get("/plan")
		mustContain(t, p, "€3,000")
		mustNotContain(t, p, "Spent beyond plan</span></p>\n      <dl class=\"facts\">\n        <div><dt>SMM hours</dt><dd>20")

		// A KPI target.
		res = b.postForm(p, "/plan/objectives/"+objectiveID+"/kpis", url.Values{"horizon": {"value"}, "metric": {"Tickets évités"},
			"target": {"300"}, "unit": {"tickets"}, "due": {"2027-13-01"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "YYYY-MM-DD")
		planLocation(t, b.postForm(p, "/plan/objectives/"+objectiveID+"/kpis", url.Values{"horizon": {"value"}, "metric": {"Tickets évités"},
			"target": {"300"}, "unit": {"tickets"}, "due": {"2027-06-30"}}), "created")
		p = b.get("/plan")
		mustContain(t, p, "Tickets évités", "300\u00a0tickets", "Jun 30, 2027")

		// Alignment: Innovation Produits now serves the new objective.
		innovationID := strconv.FormatInt(e.spaces[innovation], 10)
		res = b.postForm(p, "/plan/alignment", url.Values{"space_id": {innovationID}, "plan_objective_id": {objectiveID}, "aligned": {"true"}})
		planLocation(t, res, "aligned")
		p = b.get("/plan?done=aligned")
		mustContain(t, p, "The space now serves this objective.")
		if _, _, _, cells, filled := planNodes(p); cells != 8 || filled != 4 {
			t.Errorf("%d cells, %d filled; want 8 and 4", cells, filled)
		}
		// A team space claire may not see cannot be aligned.
		res = b.postForm(p, "/plan/alignment", url.Values{"space_id": {strconv.FormatInt(e.spaces[supportLyon], 10)},
			"plan_objective_id": {objectiveID}, "aligned": {"true"}})
		mustStatus(t, res, http.StatusNotFound)
		mustContain(t, res, `id="alignment-error"`)

		// What is linked keeps what it links to.
		res = b.postForm(p, "/plan/company-objectives/"+companyID+"/delete", url.Values{})
		mustStatus(t, res, http.StatusConflict)
		mustContain(t, res, `id="form-company-`+companyID+`-delete-error"`, "still served by 1 plan objective")
		res = b.postForm(p, "/plan/objectives/"+objectiveID+"/delete", url.Values{})
		mustStatus(t, res, http.StatusConflict)
		mustContain(t, res, "1 workstream, 1 KPI target, 1 aligned space")

		// A change of an item that is gone is the error page.
		res = b.postForm(p, "/plan/workstreams/999999", url.Values{"title": {"x"}})
		mustStatus(t, res, http.StatusNotFound)

		// paul may not edit: a forged form gets the rule.
		paul := e.browser(t, "en")
		paul.signIn("paul")
		pp := paul.get("/plan")
		for path, form := range map[string]url.Values{
			"/plan/company-objectives":                         {"title": {"Par Paul"}},
			"/plan/objectives/" + objectiveID + "/workstreams": {"title": {"Par Paul"}},
			"/plan/alignment":                                  {"space_id": {innovationID}, "plan_objective_id": {objectiveID}, "aligned": {"false"}},
			"/plan/workstreams/" + workstreamID + "/delete":    {},
		} {
			res := paul.postForm(pp, path, form)
			mustStatus(t, res, http.StatusForbidden)
			mustContain(t, res, "<code>"+policy.RuleCockpitCMOnly+"</code>")
		}
		p = b.get("/plan")
		mustNotContain(t, p, "Par Paul")
		if _, _, w, _, filled := planNodes(p); w != 6 || filled != 4 {
			t.Errorf("after paul's attempts: %d workstreams, %d filled cells; want 6 and 4", w, filled)
		}
	})
}
