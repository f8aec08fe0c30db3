package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/app"
	"relais/policy"
)

// registerPlan adds the strategic plan's page, which every employee reads,
// and the forms with which the community manager edits it.
func (s *Server) registerPlan(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /plan", s.signedIn(s.plan))
	mux.Handle("POST /plan/company-objectives", post(s.signedIn(s.createCompanyObjective)))
	mux.Handle("POST /plan/company-objectives/{id}", post(s.signedIn(s.updateCompanyObjective)))
	mux.Handle("POST /plan/company-objectives/{id}/delete", post(s.signedIn(s.deleteCompanyObjective)))
	mux.Handle("POST /plan/objectives", post(s.signedIn(s.createPlanObjective)))
	mux.Handle("POST /plan/objectives/{id}", post(s.signedIn(s.updatePlanObjective)))
	mux.Handle("POST /plan/objectives/{id}/delete", post(s.signedIn(s.deletePlanObjective)))
	mux.Handle("POST /plan/objectives/{id}/workstreams", post(s.signedIn(s.createWorkstream)))
	mux.Handle("POST /plan/workstreams/{id}", post(s.signedIn(s.updateWorkstream)))
	mux.Handle("POST /plan/workstreams/{id}/delete", post(s.signedIn(s.deleteWorkstream)))
	mux.Handle("POST /plan/objectives/{id}/kpis", post(s.signedIn(s.createKPITarget)))
	mux.Handle("POST /plan/kpis/{id}", post(s.signedIn(s.updateKPITarget)))
	mux.Handle("POST /plan/kpis/{id}/delete", post(s.signedIn(s.deleteKPITarget)))
	mux.Handle("POST /plan/alignment", post(s.signedIn(s.setAlignment)))
}

// ReadsPlan reports whether the header links the plan: the policy lets
// the person read it (an employee).
func (p *Page) ReadsPlan() bool {
	return p.User != nil && policy.Decide(policy.ActorOf(p.User), policy.ReadPlan, policy.Target{}).Allowed()
}

// Figures of the plan, written for the page's language.

// planDigits writes a whole number with the language's thousands
// separator.
func planDigits(lang string, n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	sep := ","
	if lang == "fr" {
		sep = "\u00a0"
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// planDecimal writes an amount: cents always shown as two digits when
// there are any (money), or trimmed ("12.5").
func planDecimal(lang string, a relais.Amount, money bool) string {
	whole, frac := int64(a)/100, int64(a)%100
	if frac < 0 {
		frac = -frac
	}
	s := planDigits(lang, whole)
	if frac != 0 {
		f := strconv.FormatInt(frac+100, 10)[1:]
		if !money {
			f = strings.TrimRight(f, "0")
		}
		mark := "."
		if lang == "fr" {
			mark = ","
		}
		s += mark + f
	}
	return s
}

// PlanMoney writes an amount of euros.
func (p *Page) PlanMoney(a relais.Amount) string {
	if p.Lang == "fr" {
		return planDecimal("fr", a, true) + "\u00a0€"
	}
	return "€" + planDecimal("en", a, true)
}

// PlanHours writes an amount of hours.
func (p *Page) PlanHours(a relais.Amount) string { return planDecimal(p.Lang, a, false) + "\u00a0h" }

// PlanNumber writes a figure without unit.
func (p *Page) PlanNumber(a relais.Amount) string { return planDecimal(p.Lang, a, false) }

// PlanCount writes a whole number.
func (p *Page) PlanCount(n int64) string { return planDigits(p.Lang, n) }

// PlanTarget writes a KPI target with its unit.
func (p *Page) PlanTarget(k relais.KPITarget) string {
	if k.Unit == "" {
		return p.PlanNumber(k.Target)
	}
	return p.PlanNumber(k.Target) + "\u00a0" + k.Unit
}

// PlanDay writes a day (YYYY-MM-DD) for humans.
func (p *Page) PlanDay(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	months := strings.Split(p.T("date.months"), "|")
	month := d.Month().String()
	if len(months) == 12 {
		month = months[d.Month()-1]
	}
	if p.Lang == "fr" {
		return strconv.Itoa(d.Day()) + " " + month + " " + strconv.Itoa(d.Year())
	}
	return month + " " + strconv.Itoa(d.Day()) + ", " + strconv.Itoa(d.Year())
}

// PlanWarnings names the budget warnings of a node.
func (p *Page) PlanWarnings(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, p.T("plan.warning."+w))
	}
	return out
}

// PlanFigures is the line of figures of a node: hours and contributors.
func (p *Page) PlanFigures(t relais.PlanTotals) string {
	return p.Tf("plan.figures_line", p.PlanHours(t.SMMHours), p.Plural("plan.contributors", int(t.Contributors)))
}

// PlanBudget is the budget of a node in words.
func (p *Page) PlanBudget(planned, committed, spent relais.Amount) string {
	return p.Tf("plan.budget_line", p.PlanMoney(planned), p.PlanMoney(committed), p.PlanMoney(spent))
}

// The page.

// planField is a field of one of the plan's forms.
type planField struct {
	ID, Name, Label, Hint string
	Type                  string // text, textarea, date or select
	Value                 string
	Required              bool
	Max                   int
	InputMode             string
	Options               []planOption
	Invalid               bool
	Describe              string // the ids of its hint and error, for aria-describedby
	// Wide spans every column of a form laid out in columns.
	Wide bool
}

// planOption is a choice of a select field.
type planOption struct {
	Value, Label string
	Selected     bool
}

// planForm is one of the community manager's forms, with the input and the
// error of a refused submission.
type planForm struct {
	ID, Action, Submit string
	CSRF               string
	Fields             []planField
	// Grid lays the fields out in columns (a workstream's figures).
	Grid      bool
	Refused   bool
	Error     string
	Rule      string
	RuleLabel string
	// Hidden are fields sent as they are.
	Hidden []planOption
	// Danger marks a removal.
	Danger bool
}

// planRefusal is a submission the service refused, shown again beside its
// form.
type planRefusal struct {
	Form               string
	Values             url.Values
	Error, Rule, Field string
}

// planActions are the forms that change and remove an item of the plan
// (none for who may not edit it).
type planActions struct {
	Edit, Delete *planForm
	// Summary opens the change form; Name is the item's, for screen
	// readers.
	Summary, Name string
}

// actions returns the forms of an item: the change form id, the removal
// form id+"-delete".
func (pp *planPage) actions(id, action, name string) planActions {
	return planActions{Edit: pp.form(id, action, "plan.save"), Delete: pp.remove(id+"-delete", action+"/delete"),
		Summary: pp.T("plan.edit"), Name: name}
}

// planWorkstream is a workstream with its forms.
type planWorkstream struct {
	relais.Workstream
	Actions planActions
}

// planKPI is a KPI target with its forms.
type planKPI struct {
	relais.KPITarget
	Actions planActions
}

// planKPIList is a plan objective's KPI targets of one horizon.
type planKPIList struct {
	P              *planPage
	Heading, Empty string
	Items          []planKPI
}

// planObjective is a plan objective with its parts and forms.
type planObjective struct {
	relais.PlanObjectiveNode
	P                     *planPage
	Code                  string // O1, O2… as in the alignment matrix
	Items                 []planWorkstream
	Activity, Value       []planKPI
	KPIActivity, KPIValue planKPIList
	Actions               planActions
	AddWorkstream, AddKPI *planForm
}

// planCompany is a company objective with its plan objectives and forms.
type planCompany struct {
	relais.CompanyObjectiveNode
	Objectives []planObjective
	Actions    planActions
}

// planFigureRow is a row of the table of figures: a node of the tree.
type planFigureRow struct {
	Level                     int
	Title, Anchor             string
	Hours                     relais.Amount
	Contributors              int64
	Planned, Committed, Spent relais.Amount
	Warnings                  []string
}

// planCell is a cell of the alignment table.
type planCell struct {
	ObjectiveID int64
	Aligned     bool
	Label       string // whether the space serves the objective, for screen readers
	Toggle      string // the name of the toggle button
	Form        *planForm
}

// planRow is a space of the alignment table.
type planRow struct {
	relais.PlanSpace
	Cells []planCell
}

// planColumn is a plan objective of the alignment table.
type planColumn struct {
	ID          int64
	Code, Title string
	Anchor      string
}

// planPage is the strategic plan: the picture (the SVG tree and matrix),
// the same figures in tables, the objectives in detail and, for the
// community manager, the forms that edit them.
type planPage struct {
	Page
	Plan      *relais.Plan
	Edit      bool
	ReadOnly  ruleBox // why the person reads without editing
	Tree      svgTree
	Matrix    svgMatrix
	Figures   []planFigureRow
	Companies []planCompany
	Unlinked  []planObjective
	Columns   []planColumn
	Rows      []planRow
	// The alignment's refused change, if any.
	AlignError, AlignRule    string
	AddCompany, AddObjective *planForm
	Notice                   string

	refusal *planRefusal
	found   bool // the refused form is on the page
}

// form returns a new form of the page, holding the refusal when it is
// the refused one.
func (pp *planPage) form(id, action, submitKey string) *planForm {
	f := &planForm{ID: id, Action: action, Submit: pp.T(submitKey), CSRF: pp.CSRF, RuleLabel: pp.T("rule.label")}
	if r := pp.refusal; r != nil && r.Form == id {
		f.Refused, f.Error, f.Rule = true, r.Error, r.Rule
		pp.found = true
	}
	return f
}

// add appends a field to a form, with the refused input in place of the
// current value.
func (pp *planPage) add(f *planForm, fl planField) {
	fl.ID = f.ID + "-" + strings.ReplaceAll(fl.Name, "_", "-")
	if f.Refused {
		fl.Value = pp.refusal.Values.Get(fl.Name)
		fl.Invalid = pp.refusal.Field == fl.Name
	}
	for i := range fl.Options {
		fl.Options[i].Selected = fl.Options[i].Value == fl.Value
	}
	var ids []string
	if fl.Hint != "" {
		ids = append(ids, fl.ID+"-hint")
	}
	if fl.Invalid {
		ids = append(ids, f.ID+"-error")
	}
	fl.Describe = strings.Join(ids, " ")
	f.Fields = append(f.Fields, fl)
}

// text returns a field of text.
func (pp *planPage) text(name, labelKey, value string, max int, required bool) planField {
	return planField{Name: name, Label: pp.T(labelKey), Type: "text", Value: value, Max: max, Required: required, Wide: name == "title"}
}

// area returns a field of long text.
func (pp *planPage) area(name, labelKey, value string) planField {
	return planField{Name: name, Label: pp.T(labelKey), Type: "textarea", Value: value, Max: relais.MaxPlanText, Wide: true}
}

// figure returns a field of a decimal figure.
func (pp *planPage) figure(name, labelKey, hintKey string, value relais.Amount) planField {
	v := value.String()
	if pp.Lang == "fr" {
		v = value.French()
	}
	fl := planField{Name: name, Label: pp.T(labelKey), Type: "text", Value: v, Max: 20, InputMode: "decimal"}
	if hintKey != "" {
		fl.Hint = pp.T(hintKey)
	}
	return fl
}

func (pp *planPage) companyFields(f *planForm, c relais.CompanyObjective) {
	pp.add(f, pp.text("title", "plan.field.title", c.Title, relais.MaxPlanTitle, true))
	pp.add(f, pp.area("description", "plan.field.description", c.Description))
}

func (pp *planPage) objectiveFields(f *planForm, o relais.PlanObjective) {
	company := planField{Name: "company_objective_id", Label: pp.T("plan.field.company"), Type: "select", Required: true}
	if o.CompanyObjectiveID != 0 {
		company.Value = strconv.FormatInt(o.CompanyObjectiveID, 10)
	}
	for _, c := range pp.Plan.CompanyObjectives {
		company.Options = append(company.Options, planOption{Value: strconv.FormatInt(c.ID, 10), Label: c.Title})
	}
	pp.add(f, company)
	pp.add(f, pp.text("title", "plan.field.title", o.Title, relais.MaxPlanTitle, true))
	pp.add(f, pp.area("description", "plan.field.description", o.Description))
}

func (pp *planPage) workstreamFields(f *planForm, w relais.Workstream) {
	pp.add(f, pp.text("title", "plan.field.title", w.Title, relais.MaxPlanTitle, true))
	pp.add(f, pp.area("tools", "plan.field.tools", w.Tools))
	pp.add(f, pp.area("integrations", "plan.field.integrations", w.Integrations))
	pp.add(f, pp.figure("smm_hours", "plan.field.smm_hours", "plan.hint.hours", w.SMMHours))
	people := pp.figure("contributors", "plan.field.contributors", "plan.hint.contributors", relais.Amount(w.Contributors*100))
	people.InputMode = "numeric"
	pp.add(f, people)
	pp.add(f, pp.figure("budget_planned", "plan.field.budget_planned", "plan.hint.euros", w.BudgetPlanned))
	pp.add(f, pp.figure("budget_committed", "plan.field.budget_committed", "plan.hint.committed", w.BudgetCommitted))
	pp.add(f, pp.figure("budget_spent", "plan.field.budget_spent", "plan.hint.spent", w.BudgetSpent))
}

func (pp *planPage) kpiFields(f *planForm, k relais.KPITarget) {
	horizon := planField{Name: "horizon", Label: pp.T("plan.field.horizon"), Type: "select", Value: string(k.Horizon), Required: true,
		Options: []planOption{{Value: "activity", Label: pp.T("plan.horizon.activity")}, {Value: "value", Label: pp.T("plan.horizon.value")}}}
	pp.add(f, horizon)
	pp.add(f, pp.text("metric", "plan.field.metric", k.Metric, relais.MaxPlanTitle, true))
	target := pp.figure("target", "plan.field.target", "", k.Target)
	target.Required = true
	if k.ID == 0 {
		target.Value = "" // a new target has none yet
	}
	pp.add(f, target)
	pp.add(f, pp.text("unit", "plan.field.unit", k.Unit, relais.MaxPlanUnit, false))
	pp.add(f, planField{Name: "due", Label: pp.T("plan.field.due"), Type: "date", Value: k.Due, Required: true, Hint: pp.T("plan.hint.due")})
}

// remove returns the form that removes an item.
func (pp *planPage) remove(id, action string) *planForm {
	f := pp.form(id, action, "plan.delete")
	f.Danger = true
	return f
}

func planID(id int64) string { return strconv.FormatInt(id, 10) }

// loadPlan builds the plan's page for the person signed in; refusal is a
// submission to show again beside its form (nil: none).
func (s *Server) loadPlan(r *http.Request, v *visit, refusal *planRefusal) (*planPage, error) {
	plan, err := s.App.Plan(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	acc := s.App.PlanAccess(v.User)
	pp := &planPage{Page: v.page(r, text(v.Lang, "plan.title")), Plan: plan, Edit: acc.Edit.Allowed(), refusal: refusal}
	pp.Path = "/plan"
	if !pp.Edit {
		pp.ReadOnly = pp.Note("plan.readonly", acc.Edit)
	}
	codes := map[int64]string{}
	for i, o := range plan.Alignment.Objectives {
		codes[o.ID] = "O" + strconv.Itoa(i+1)
	}
	objective := func(n relais.PlanObjectiveNode) planObjective {
		o := planObjective{PlanObjectiveNode: n, P: pp, Code: codes[n.ID]}
		sid := planID(n.ID)
		if pp.Edit {
			o.Actions = pp.actions("form-objective-"+sid, "/plan/objectives/"+sid, n.Title)
			pp.objectiveFields(o.Actions.Edit, n.PlanObjective)
			o.AddWorkstream = pp.form("form-objective-"+sid+"-workstream", "/plan/objectives/"+sid+"/workstreams", "plan.add_workstream")
			o.AddWorkstream.Grid = true
			pp.workstreamFields(o.AddWorkstream, relais.Workstream{})
			o.AddKPI = pp.form("form-objective-"+sid+"-kpi", "/plan/objectives/"+sid+"/kpis", "plan.add_kpi")
			pp.kpiFields(o.AddKPI, relais.KPITarget{Horizon: relais.HorizonActivity})
		}
		for _, w := range n.Workstreams {
			it := planWorkstream{Workstream: w}
			if pp.Edit {
				wid := planID(w.ID)
				it.Actions = pp.actions("form-workstream-"+wid, "/plan/workstreams/"+wid, w.Title)
				it.Actions.Edit.Grid = true
				pp.workstreamFields(it.Actions.Edit, w)
			}
			o.Items = append(o.Items, it)
		}
		for _, list := range []struct {
			from []relais.KPITarget
			to   *[]planKPI
		}{{n.KPIs.Activity, &o.Activity}, {n.KPIs.Value, &o.Value}} {
			for _, k := range list.from {
				it := planKPI{KPITarget: k}
				if pp.Edit {
					kid := planID(k.ID)
					it.Actions = pp.actions("form-kpi-"+kid, "/plan/kpis/"+kid, k.Metric)
					pp.kpiFields(it.Actions.Edit, k)
				}
				*list.to = append(*list.to, it)
			}
		}
		o.KPIActivity = planKPIList{P: pp, Heading: pp.T("plan.horizon.activity"), Empty: pp.T("plan.no_kpis_horizon"), Items: o.Activity}
		o.KPIValue = planKPIList{P: pp, Heading: pp.T("plan.horizon.value"), Empty: pp.T("plan.no_kpis_horizon"), Items: o.Value}
		return o
	}
	figures := func(level int, title, anchor string, t relais.PlanTotals) planFigureRow {
		return planFigureRow{Level: level, Title: title, Anchor: anchor, Hours: t.SMMHours, Contributors: t.Contributors,
			Planned: t.BudgetPlanned, Committed: t.BudgetCommitted, Spent: t.BudgetSpent, Warnings: t.Warnings}
	}
	var items []treeItem
	node := func(level int, title string, t relais.PlanTotals, sub string) {
		tip := title + " — " + sub + " — " + pp.PlanBudget(t.BudgetPlanned, t.BudgetCommitted, t.BudgetSpent)
		if len(t.Warnings) > 0 {
			tip += " — " + strings.Join(pp.PlanWarnings(t.Warnings), ", ")
		}
		items = append(items, treeItem{Level: level, Title: title, Sub: sub, Tip: tip, Planned: t.BudgetPlanned,
			Committed: t.BudgetCommitted, Spent: t.BudgetSpent, Warn: len(t.Warnings) > 0})
	}
	objectiveNodes := func(n relais.PlanObjectiveNode) {
		code := codes[n.ID]
		node(1, code+" · "+n.Title, n.Totals, pp.Plural("plan.workstreams", n.Totals.Workstreams)+" · "+pp.PlanFigures(n.Totals))
		pp.Figures = append(pp.Figures, figures(1, code+" · "+n.Title, "objective-"+planID(n.ID), n.Totals))
		for _, w := range n.Workstreams {
			t := relais.PlanTotals{Workstreams: 1, SMMHours: w.SMMHours, Contributors: w.Contributors, BudgetPlanned: w.BudgetPlanned,
				BudgetCommitted: w.BudgetCommitted, BudgetSpent: w.BudgetSpent, Warnings: w.Warnings}
			node(2, w.Title, t, pp.PlanFigures(t))
			pp.Figures = append(pp.Figures, figures(2, w.Title, "workstream-"+planID(w.ID), t))
		}
	}
	for _, c := range plan.CompanyObjectives {
		pc := planCompany{CompanyObjectiveNode: c}
		cid := planID(c.ID)
		if pp.Edit {
			pc.Actions = pp.actions("form-company-"+cid, "/plan/company-objectives/"+cid, c.Title)
			pp.companyFields(pc.Actions.Edit, c.CompanyObjective)
		}
		node(0, c.Title, c.Totals, pp.Plural("plan.objectives", len(c.Objectives))+" · "+pp.Plural("plan.workstreams", c.Totals.Workstreams)+
			" · "+pp.PlanFigures(c.Totals))
		pp.Figures = append(pp.Figures, figures(0, c.Title, "company-"+cid, c.Totals))
		for _, n := range c.Objectives {
			pc.Objectives = append(pc.Objectives, objective(n))
			objectiveNodes(n)
		}
		pp.Companies = append(pp.Companies, pc)
	}
	for _, n := range plan.Unlinked {
		pp.Unlinked = append(pp.Unlinked, objective(n))
		objectiveNodes(n)
	}
	if len(items) > 0 {
		pp.Tree = layoutTree(items, []string{pp.T("plan.budget.planned"), pp.T("plan.budget.committed"), pp.T("plan.budget.spent")})
	}

	// The alignment matrix: the picture, and the table with its toggles.
	var ctips, codesList []string
	for _, o := range plan.Alignment.Objectives {
		pp.Columns = append(pp.Columns, planColumn{ID: o.ID, Code: codes[o.ID], Title: o.Title, Anchor: "objective-" + planID(o.ID)})
		codesList, ctips = append(codesList, codes[o.ID]), append(ctips, codes[o.ID]+" · "+o.Title)
	}
	var mrows []matrixRow
	for _, sp := range plan.Alignment.Spaces {
		row := planRow{PlanSpace: sp.PlanSpace}
		mr := matrixRow{Label: sp.Name, Tip: sp.Name + " (" + pp.T("space.kind."+string(sp.Kind)) + ")", Class: "kind-" + string(sp.Kind)}
		for _, o := range plan.Alignment.Objectives {
			aligned := sp.Serves(o.ID)
			state := "plan.cell.not_aligned"
			if aligned {
				state = "plan.cell.aligned"
			}
			label := pp.Tf(state, sp.Name, codes[o.ID]+" · "+o.Title)
			cell := planCell{ObjectiveID: o.ID, Aligned: aligned, Label: label, Toggle: pp.Tf("plan.cell.serves", sp.Name, codes[o.ID]+" · "+o.Title)}
			if pp.Edit {
				cell.Form = &planForm{Action: "/plan/alignment", CSRF: pp.CSRF, Hidden: []planOption{
					{Label: "space_id", Value: planID(sp.ID)}, {Label: "plan_objective_id", Value: planID(o.ID)},
					{Label: "aligned", Value: strconv.FormatBool(!aligned)}}}
			}
			row.Cells = append(row.Cells, cell)
			mr.Filled, mr.Tips = append(mr.Filled, aligned), append(mr.Tips, label)
		}
		pp.Rows = append(pp.Rows, row)
		mrows = append(mrows, mr)
	}
	if len(codesList) > 0 && len(mrows) > 0 {
		pp.Matrix = layoutMatrix(codesList, ctips, mrows)
	}
	if r := pp.refusal; r != nil && r.Form == "alignment" && pp.Edit {
		pp.AlignError, pp.AlignRule, pp.found = r.Error, r.Rule, true
	}

	if pp.Edit {
		pp.AddCompany = pp.form("form-company-new", "/plan/company-objectives", "plan.add_company")
		pp.companyFields(pp.AddCompany, relais.CompanyObjective{})
		if len(plan.CompanyObjectives) > 0 {
			pp.AddObjective = pp.form("form-objective-new", "/plan/objectives", "plan.add_objective")
			pp.objectiveFields(pp.AddObjective, relais.PlanObjective{})
		}
	}
	return pp, nil
}

// planNotices are the confirmations of the forms, by the done parameter.
var planNotices = map[string]string{
	"created": "plan.done.created", "updated": "plan.done.updated", "deleted": "plan.done.deleted",
	"aligned": "plan.done.aligned", "unaligned": "plan.done.unaligned",
}

func (s *Server) plan(w http.ResponseWriter, r *http.Request, v *visit) {
	pp, err := s.loadPlan(r, v, nil)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if key, ok := planNotices[r.URL.Query().Get("done")]; ok {
		pp.Notice = pp.T(key)
	}
	s.render(w, r, http.StatusOK, "plan", pp)
}

// planDone sends the person back to the plan, at anchor, with the
// confirmation of done.
func planDone(w http.ResponseWriter, r *http.Request, done, anchor string) {
	http.Redirect(w, r, "/plan?done="+done+"#"+anchor, http.StatusSeeOther)
}

// planRefuse shows the plan again with the refused input and its error
// beside the form it came from; when the form is not on the page (the
// person may not edit, or the item is gone), the error page says why.
func (s *Server) planRefuse(w http.ResponseWriter, r *http.Request, v *visit, form string, err error) {
	code, e, msg := s.message(r, v.Lang, err)
	if code == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	pp, lerr := s.loadPlan(r, v, &planRefusal{Form: form, Values: r.PostForm, Error: msg, Rule: e.Rule, Field: e.Field})
	if lerr != nil || !pp.found {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	s.render(w, r, code, "plan", pp)
}

// planText returns a form field as sent, nil when it was not sent.
func planText(r *http.Request, name string) *string {
	if _, ok := r.PostForm[name]; !ok {
		return nil
	}
	s := r.PostForm.Get(name)
	return &s
}

// planFormID parses a form's id field; a malformed one is 0 (refused by
// the service).
func planFormID(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get(name)), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (s *Server) createCompanyObjective(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	c, err := s.App.CreateCompanyObjective(r.Context(), v.User, relais.CompanyObjectiveInput{Title: f.Get("title"), Description: f.Get("description")})
	if err != nil {
		s.planRefuse(w, r, v, "form-company-new", err)
		return
	}
	planDone(w, r, "created", "company-"+planID(c.ID))
}

func (s *Server) updateCompanyObjective(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if _, err := s.App.UpdateCompanyObjective(r.Context(), v.User, id, app.CompanyObjectiveChange{Title: planText(r, "title"),
		Description: planText(r, "description")}); err != nil {
		s.planRefuse(w, r, v, "form-company-"+planID(id), err)
		return
	}
	planDone(w, r, "updated", "company-"+planID(id))
}

func (s *Server) deleteCompanyObjective(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if err := s.App.DeleteCompanyObjective(r.Context(), v.User, id); err != nil {
		s.planRefuse(w, r, v, "form-company-"+planID(id)+"-delete", err)
		return
	}
	planDone(w, r, "deleted", "objectives-h")
}

func (s *Server) createPlanObjective(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	o, err := s.App.CreatePlanObjective(r.Context(), v.User, relais.PlanObjectiveInput{CompanyObjectiveID: planFormID(r, "company_objective_id"),
		Title: f.Get("title"), Description: f.Get("description")})
	if err != nil {
		s.planRefuse(w, r, v, "form-objective-new", err)
		return
	}
	planDone(w, r, "created", "objective-"+planID(o.ID))
}

func (s *Server) updatePlanObjective(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	ch := app.PlanObjectiveChange{Title: planText(r, "title"), Description: planText(r, "description")}
	if _, ok := r.PostForm["company_objective_id"]; ok {
		company := planFormID(r, "company_objective_id")
		ch.CompanyObjectiveID = &company
	}
	if _, err := s.App.UpdatePlanObjective(r.Context(), v.User, id, ch); err != nil {
		s.planRefuse(w, r, v, "form-objective-"+planID(id), err)
		return
	}
	planDone(w, r, "updated", "objective-"+planID(id))
}

func (s *Server) deletePlanObjective(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if err := s.App.DeletePlanObjective(r.Context(), v.User, id); err != nil {
		s.planRefuse(w, r, v, "form-objective-"+planID(id)+"-delete", err)
		return
	}
	planDone(w, r, "deleted", "objectives-h")
}

// planWorkstreamChange reads a workstream's form.
func planWorkstreamChange(r *http.Request) app.WorkstreamChange {
	return app.WorkstreamChange{Title: planText(r, "title"), Tools: planText(r, "tools"), Integrations: planText(r, "integrations"),
		SMMHours: planText(r, "smm_hours"), Contributors: planText(r, "contributors"), BudgetPlanned: planText(r, "budget_planned"),
		BudgetCommitted: planText(r, "budget_committed"), BudgetSpent: planText(r, "budget_spent")}
}

func (s *Server) createWorkstream(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := r.PostForm
	ws, err := s.App.CreateWorkstream(r.Context(), v.User, id, relais.WorkstreamInput{Title: f.Get("title"), Tools: f.Get("tools"),
		Integrations: f.Get("integrations"), SMMHours: f.Get("smm_hours"), Contributors: f.Get("contributors"),
		BudgetPlanned: f.Get("budget_planned"), BudgetCommitted: f.Get("budget_committed"), BudgetSpent: f.Get("budget_spent")})
	if err != nil {
		s.planRefuse(w, r, v, "form-objective-"+planID(id)+"-workstream", err)
		return
	}
	planDone(w, r, "created", "workstream-"+planID(ws.ID))
}

func (s *Server) updateWorkstream(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if _, err := s.App.UpdateWorkstream(r.Context(), v.User, id, planWorkstreamChange(r)); err != nil {
		s.planRefuse(w, r, v, "form-workstream-"+planID(id), err)
		return
	}
	planDone(w, r, "updated", "workstream-"+planID(id))
}

func (s *Server) deleteWorkstream(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if err := s.App.DeleteWorkstream(r.Context(), v.User, id); err != nil {
		s.planRefuse(w, r, v, "form-workstream-"+planID(id)+"-delete", err)
		return
	}
	planDone(w, r, "deleted", "objectives-h")
}

func (s *Server) createKPITarget(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := r.PostForm
	k, err := s.App.CreateKPITarget(r.Context(), v.User, id, relais.KPITargetInput{Horizon: f.Get("horizon"), Metric: f.Get("metric"),
		Target: f.Get("target"), Unit: f.Get("unit"), Due: f.Get("due")})
	if err != nil {
		s.planRefuse(w, r, v, "form-objective-"+planID(id)+"-kpi", err)
		return
	}
	planDone(w, r, "created", "kpi-"+planID(k.ID))
}

func (s *Server) updateKPITarget(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	ch := app.KPITargetChange{Horizon: planText(r, "horizon"), Metric: planText(r, "metric"), Target: planText(r, "target"),
		Unit: planText(r, "unit"), Due: planText(r, "due")}
	if _, err := s.App.UpdateKPITarget(r.Context(), v.User, id, ch); err != nil {
		s.planRefuse(w, r, v, "form-kpi-"+planID(id), err)
		return
	}
	planDone(w, r, "updated", "kpi-"+planID(id))
}

func (s *Server) deleteKPITarget(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if err := s.App.DeleteKPITarget(r.Context(), v.User, id); err != nil {
		s.planRefuse(w, r, v, "form-kpi-"+planID(id)+"-delete", err)
		return
	}
	planDone(w, r, "deleted", "objectives-h")
}

func (s *Server) setAlignment(w http.ResponseWriter, r *http.Request, v *visit) {
	aligned, err := strconv.ParseBool(r.PostForm.Get("aligned"))
	if err != nil {
		err = &relais.Error{Code: relais.EINVALID, Field: "aligned", Message: text("en", "plan.cell.choose"), MessageFR: text("fr", "plan.cell.choose")}
	} else {
		_, err = s.App.SetAlignment(r.Context(), v.User, planFormID(r, "space_id"), planFormID(r, "plan_objective_id"), aligned)
	}
	if err != nil {
		s.planRefuse(w, r, v, "alignment", err)
		return
	}
	done := "unaligned"
	if aligned {
		done = "aligned"
	}
	planDone(w, r, done, "alignment-h")
}
