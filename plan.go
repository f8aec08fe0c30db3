package relais

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The strategic plan of the community manager: company objectives, the
// plan objectives that serve them, the workstreams that carry each plan
// objective (technical, human and budget dimensions), the KPI targets that
// judge it (medium-term activity, long-term value), and the alignment
// matrix of the spaces that serve each plan objective.

// Bounds of the plan's texts, in characters.
const (
	MaxPlanTitle = 200
	MaxPlanText  = 5000
	// MaxPlanUnit bounds the unit of a KPI target ("%", "members", "€").
	MaxPlanUnit = 40
)

// MaxContributors bounds the contributors of one workstream.
const MaxContributors = 1_000_000

// Audited actions on the plan.
const (
	AuditCompanyObjectiveCreated = "plan.company_objective.created"
	AuditCompanyObjectiveUpdated = "plan.company_objective.updated"
	AuditCompanyObjectiveDeleted = "plan.company_objective.deleted"
	AuditPlanObjectiveCreated    = "plan.objective.created"
	AuditPlanObjectiveUpdated    = "plan.objective.updated"
	AuditPlanObjectiveDeleted    = "plan.objective.deleted"
	AuditWorkstreamCreated       = "plan.workstream.created"
	AuditWorkstreamUpdated       = "plan.workstream.updated"
	AuditWorkstreamDeleted       = "plan.workstream.deleted"
	AuditKPITargetCreated        = "plan.kpi.created"
	AuditKPITargetUpdated        = "plan.kpi.updated"
	AuditKPITargetDeleted        = "plan.kpi.deleted"
	AuditSpaceAligned            = "plan.alignment.added"
	AuditSpaceUnaligned          = "plan.alignment.removed"
)

// CompanyObjective is an objective of the company that the plan serves.
type CompanyObjective struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
}

// PlanObjective is an objective of the community plan, linked to the
// company objective it serves.
type PlanObjective struct {
	ID                 int64     `json:"id"`
	CompanyObjectiveID int64     `json:"company_objective_id"`
	Title              string    `json:"title"`
	Description        string    `json:"description"`
	CreatedAt          time.Time `json:"created_at"`
}

// Workstream carries a plan objective: its tools and integrations, the
// hours of social media managers and the contributors it needs, and its
// budget. Hours and euros are Amounts (hundredths).
type Workstream struct {
	ID              int64     `json:"id"`
	PlanObjectiveID int64     `json:"plan_objective_id"`
	Title           string    `json:"title"`
	Tools           string    `json:"tools"`
	Integrations    string    `json:"integrations"`
	SMMHours        Amount    `json:"smm_hours"`
	Contributors    int64     `json:"contributors"`
	BudgetPlanned   Amount    `json:"budget_planned"`
	BudgetCommitted Amount    `json:"budget_committed"`
	BudgetSpent     Amount    `json:"budget_spent"`
	CreatedAt       time.Time `json:"created_at"`
	// Warnings flag what the plan shows without refusing it: a budget
	// committed or spent beyond what was planned.
	Warnings []string `json:"warnings"`
}

// Budget warnings: accepted, and flagged wherever the figures show.
const (
	WarnOvercommitted = "committed_over_planned"
	WarnOverspent     = "spent_over_planned"
)

// budgetWarnings returns the warnings of a budget, never nil.
func budgetWarnings(planned, committed, spent Amount) []string {
	w := []string{}
	if committed > planned {
		w = append(w, WarnOvercommitted)
	}
	if spent > planned {
		w = append(w, WarnOverspent)
	}
	return w
}

// Flag fills the workstream's warnings.
func (w *Workstream) Flag() {
	w.Warnings = budgetWarnings(w.BudgetPlanned, w.BudgetCommitted, w.BudgetSpent)
}

// KPIHorizon says what a KPI target judges: medium-term activity, or
// long-term value.
type KPIHorizon string

// KPI horizons.
const (
	HorizonActivity KPIHorizon = "activity"
	HorizonValue    KPIHorizon = "value"
)

// Valid reports whether h is a known horizon.
func (h KPIHorizon) Valid() bool { return h == HorizonActivity || h == HorizonValue }

// KPITarget is a level a plan objective aims at by a due date.
type KPITarget struct {
	ID              int64      `json:"id"`
	PlanObjectiveID int64      `json:"plan_objective_id"`
	Horizon         KPIHorizon `json:"horizon"`
	Metric          string     `json:"metric"`
	Target          Amount     `json:"target"`
	Unit            string     `json:"unit"`
	Due             string     `json:"due"` // YYYY-MM-DD
	CreatedAt       time.Time  `json:"created_at"`
}

// Alignment says that a space serves a plan objective.
type Alignment struct {
	SpaceID         int64 `json:"space_id"`
	PlanObjectiveID int64 `json:"plan_objective_id"`
}

// CompanyObjectiveInput is what the community manager writes of a company
// objective.
type CompanyObjectiveInput struct {
	Title       string
	Description string
}

// Validate checks the input and returns the objective to record.
func (in CompanyObjectiveInput) Validate() (*CompanyObjective, error) {
	title, err := planTitle("title", "titre", in.Title)
	if err != nil {
		return nil, err
	}
	desc, err := planText("description", "description", in.Description, MaxPlanText)
	if err != nil {
		return nil, err
	}
	return &CompanyObjective{Title: title, Description: desc}, nil
}

// PlanObjectiveInput is what the community manager writes of a plan
// objective.
type PlanObjectiveInput struct {
	CompanyObjectiveID int64
	Title              string
	Description        string
}

// Validate checks the input and returns the objective to record.
func (in PlanObjectiveInput) Validate() (*PlanObjective, error) {
	if in.CompanyObjectiveID <= 0 {
		return nil, &Error{Code: EINVALID, Field: "company_objective_id",
			Message:   "Link the plan objective to the company objective it serves (company_objective_id).",
			MessageFR: "Reliez l'objectif du plan à l'objectif d'entreprise qu'il sert (company_objective_id)."}
	}
	title, err := planTitle("title", "titre", in.Title)
	if err != nil {
		return nil, err
	}
	desc, err := planText("description", "description", in.Description, MaxPlanText)
	if err != nil {
		return nil, err
	}
	return &PlanObjective{CompanyObjectiveID: in.CompanyObjectiveID, Title: title, Description: desc}, nil
}

// WorkstreamInput is what the community manager writes of a workstream.
// Figures are decimal texts as typed or sent ("12", "2.5", "1 200,50"); an
// empty one is 0.
type WorkstreamInput struct {
	Title           string
	Tools           string
	Integrations    string
	SMMHours        string
	Contributors    string
	BudgetPlanned   string
	BudgetCommitted string
	BudgetSpent     string
}

// Validate checks the input and returns the workstream to record. Figures
// are at least 0, with at most two decimals (contributors: a whole
// number). A budget committed or spent beyond what is planned is accepted
// and flagged in Warnings.
func (in WorkstreamInput) Validate() (*Workstream, error) {
	w := &Workstream{}
	var err error
	if w.Title, err = planTitle("title", "titre", in.Title); err != nil {
		return nil, err
	}
	if w.Tools, err = planText("tools", "outils", in.Tools, MaxPlanText); err != nil {
		return nil, err
	}
	if w.Integrations, err = planText("integrations", "intégrations", in.Integrations, MaxPlanText); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		field, fr, text string
		to              *Amount
	}{
		{"smm_hours", "heures SMM", in.SMMHours, &w.SMMHours},
		{"budget_planned", "budget prévu", in.BudgetPlanned, &w.BudgetPlanned},
		{"budget_committed", "budget engagé", in.BudgetCommitted, &w.BudgetCommitted},
		{"budget_spent", "budget dépensé", in.BudgetSpent, &w.BudgetSpent},
	} {
		if *f.to, err = ParsePlanFigure(f.field, f.fr, f.text); err != nil {
			return nil, err
		}
	}
	people, err := ParsePlanFigure("contributors", "contributeurs", in.Contributors)
	if err != nil {
		return nil, err
	}
	if people%100 != 0 {
		return nil, &Error{Code: EINVALID, Field: "contributors", Message: "The number of contributors is a whole number.",
			MessageFR: "Le nombre de contributeurs est un nombre entier."}
	}
	if people/100 > MaxContributors {
		return nil, &Error{Code: EINVALID, Field: "contributors", Message: "The number of contributors is at most 1,000,000.",
			MessageFR: "Le nombre de contributeurs est d'au plus 1 000 000."}
	}
	w.Contributors = int64(people / 100)
	w.Flag()
	return w, nil
}

// KPITargetInput is what the community manager writes of a KPI target.
type KPITargetInput struct {
	Horizon string
	Metric  string
	Target  string // a decimal text
	Unit    string
	Due     string // YYYY-MM-DD
}

// Validate checks the input and returns the target to record.
func (in KPITargetInput) Validate() (*KPITarget, error) {
	k := &KPITarget{Horizon: KPIHorizon(strings.TrimSpace(in.Horizon))}
	if !k.Horizon.Valid() {
		return nil, &Error{Code: EINVALID, Field: "horizon",
			Message:   "Unknown horizon " + quote(string(k.Horizon)) + "; expected activity (medium term) or value (long term).",
			MessageFR: "Horizon inconnu " + quote(string(k.Horizon)) + " ; attendu : activity (moyen terme) ou value (long terme)."}
	}
	var err error
	if k.Metric, err = planTitle("metric", "indicateur", in.Metric); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Target) == "" {
		return nil, &Error{Code: EINVALID, Field: "target", Message: "The target is required.", MessageFR: "Le champ « cible » est requis."}
	}
	if k.Target, err = ParsePlanFigure("target", "cible", in.Target); err != nil {
		return nil, err
	}
	if k.Unit, err = planText("unit", "unité", in.Unit, MaxPlanUnit); err != nil {
		return nil, err
	}
	due := strings.TrimSpace(in.Due)
	d, perr := time.Parse(time.DateOnly, due)
	if perr != nil || d.Year() < 2000 || d.Year() > 2100 {
		return nil, &Error{Code: EINVALID, Field: "due", Message: "The due date must be a day written YYYY-MM-DD, between 2000 and 2100.",
			MessageFR: "L'échéance doit être un jour écrit AAAA-MM-JJ, entre 2000 et 2100."}
	}
	k.Due = d.Format(time.DateOnly)
	return k, nil
}

// ParsePlanFigure reads a figure of the plan: a number at least 0 with at
// most two decimals, at most 1,000,000,000; a decimal comma and spaces
// between thousands are accepted; an empty text is 0. field and fr name it
// in errors.
func ParsePlanFigure(field, fr, s string) (Amount, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	bad := &Error{Code: EINVALID, Field: field,
		Message:   "The " + strings.ReplaceAll(field, "_", " ") + " must be a number of at least 0 with at most two decimals, such as 12 or 1500.50.",
		MessageFR: "Le champ « " + fr + " » doit être un nombre positif ou nul d'au plus deux décimales, par exemple 12 ou 1500,50."}
	// Spaces (also non-breaking) between thousands, as French writes them.
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	s = strings.Replace(s, ",", ".", 1)
	if s == "" || len(s) > 40 || strings.Trim(s, "0123456789.+-eE") != "" {
		return 0, bad
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		// Never let big.Rat compute a huge power: beyond ±30 no figure is
		// valid anyway.
		if e, err := strconv.Atoi(s[i+1:]); err != nil || e < -30 || e > 30 {
			return 0, bad
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, bad
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() || r.Sign() < 0 {
		return 0, bad
	}
	if r.Num().Cmp(big.NewInt(int64(MaxAmount))) > 0 {
		return 0, &Error{Code: EINVALID, Field: field,
			Message:   "The " + strings.ReplaceAll(field, "_", " ") + " is at most 1,000,000,000.",
			MessageFR: "Le champ « " + fr + " » vaut au plus 1 000 000 000."}
	}
	return Amount(r.Num().Int64()), nil
}

// planTitle checks a required title of at most MaxPlanTitle characters.
func planTitle(field, fr, s string) (string, error) {
	return ValidateText(field, fr, s, MaxPlanTitle)
}

// planText checks an optional text of at most max characters.
func planText(field, fr, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case utf8.RuneCountInString(s) > max:
		return "", &Error{Code: EINVALID, Field: field, Message: "The " + strings.ReplaceAll(field, "_", " ") + " is longer than " + thousands(max) + " characters.",
			MessageFR: "Le champ « " + fr + " » dépasse " + thousandsFR(max) + " caractères."}
	case !ValidText(s):
		return "", &Error{Code: EINVALID, Field: field, Message: "The text holds invalid characters (not UTF-8, or a NUL).",
			MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
	}
	return s, nil
}

// PlanTotals sums the workstreams under a node of the plan.
type PlanTotals struct {
	Workstreams     int      `json:"workstreams"`
	SMMHours        Amount   `json:"smm_hours"`
	Contributors    int64    `json:"contributors"`
	BudgetPlanned   Amount   `json:"budget_planned"`
	BudgetCommitted Amount   `json:"budget_committed"`
	BudgetSpent     Amount   `json:"budget_spent"`
	Warnings        []string `json:"warnings"`
}

func (t *PlanTotals) add(o PlanTotals) {
	t.Workstreams += o.Workstreams
	t.SMMHours += o.SMMHours
	t.Contributors += o.Contributors
	t.BudgetPlanned += o.BudgetPlanned
	t.BudgetCommitted += o.BudgetCommitted
	t.BudgetSpent += o.BudgetSpent
}

func (t *PlanTotals) flag() {
	t.Warnings = budgetWarnings(t.BudgetPlanned, t.BudgetCommitted, t.BudgetSpent)
}

// PlanSpace is a space as the plan shows it: its name and kind, never its
// content.
type PlanSpace struct {
	ID   int64     `json:"id"`
	Name string    `json:"name"`
	Kind SpaceKind `json:"kind"`
}

// KPITargets are a plan objective's targets, by horizon.
type KPITargets struct {
	Activity []KPITarget `json:"activity"`
	Value    []KPITarget `json:"value"`
}

// PlanObjectiveNode is a plan objective in the plan's tree, with its
// workstreams, their totals, its KPI targets and the spaces that serve it.
type PlanObjectiveNode struct {
	PlanObjective
	Totals      PlanTotals   `json:"totals"`
	Workstreams []Workstream `json:"workstreams"`
	KPIs        KPITargets   `json:"kpis"`
	Spaces      []PlanSpace  `json:"spaces"`
}

// CompanyObjectiveNode is a company objective in the plan's tree.
type CompanyObjectiveNode struct {
	CompanyObjective
	Totals     PlanTotals          `json:"totals"`
	Objectives []PlanObjectiveNode `json:"objectives"`
}

// AlignmentRow is a space of the alignment matrix and the plan objectives
// it serves.
type AlignmentRow struct {
	PlanSpace
	ObjectiveIDs []int64 `json:"objective_ids"`
}

// Serves reports whether the space serves a plan objective.
func (r AlignmentRow) Serves(objectiveID int64) bool {
	return slices.Contains(r.ObjectiveIDs, objectiveID)
}

// AlignmentMatrix crosses spaces (rows) with plan objectives (columns).
type AlignmentMatrix struct {
	Objectives []PlanObjective `json:"objectives"`
	Spaces     []AlignmentRow  `json:"spaces"`
}

// Cells returns how many cells the matrix has, and how many are filled.
func (m AlignmentMatrix) Cells() (all, filled int) {
	for _, r := range m.Spaces {
		filled += len(r.ObjectiveIDs)
	}
	return len(m.Spaces) * len(m.Objectives), filled
}

// Plan is the whole strategic plan as one reader sees it.
type Plan struct {
	CompanyObjectives []CompanyObjectiveNode `json:"company_objectives"`
	// Unlinked are the plan objectives linked to no company objective
	// (none the API creates; kept visible rather than lost).
	Unlinked  []PlanObjectiveNode `json:"unlinked,omitempty"`
	Totals    PlanTotals          `json:"totals"`
	Alignment AlignmentMatrix     `json:"alignment"`
}

// PlanRecords are the rows of the plan as stored.
type PlanRecords struct {
	Companies   []CompanyObjective
	Objectives  []PlanObjective
	Workstreams []Workstream
	KPIs        []KPITarget
	Alignments  []Alignment
}

// Tree builds the plan from its records for a reader who may see spaces
// (in their order): totals per plan objective, per company objective and
// in all; KPI targets by horizon, soonest due first; and the alignment
// matrix of those spaces only. An alignment with a space not in spaces is
// left out everywhere.
func (rec PlanRecords) Tree(spaces []PlanSpace) *Plan {
	visible := make(map[int64]PlanSpace, len(spaces))
	for _, sp := range spaces {
		visible[sp.ID] = sp
	}
	servedBy := map[int64][]int64{} // plan objective -> spaces
	serves := map[int64][]int64{}   // space -> plan objectives
	for _, a := range rec.Alignments {
		if _, ok := visible[a.SpaceID]; ok {
			servedBy[a.PlanObjectiveID] = append(servedBy[a.PlanObjectiveID], a.SpaceID)
			serves[a.SpaceID] = append(serves[a.SpaceID], a.PlanObjectiveID)
		}
	}
	nodes := make(map[int64]*PlanObjectiveNode, len(rec.Objectives))
	order := make([]int64, 0, len(rec.Objectives))
	for _, o := range rec.Objectives {
		n := &PlanObjectiveNode{PlanObjective: o, Workstreams: []Workstream{}, KPIs: KPITargets{Activity: []KPITarget{}, Value: []KPITarget{}},
			Spaces: []PlanSpace{}}
		nodes[o.ID] = n
		order = append(order, o.ID)
	}
	for _, w := range rec.Workstreams {
		n := nodes[w.PlanObjectiveID]
		if n == nil {
			continue
		}
		w.Flag()
		n.Workstreams = append(n.Workstreams, w)
		n.Totals.add(PlanTotals{Workstreams: 1, SMMHours: w.SMMHours, Contributors: w.Contributors,
			BudgetPlanned: w.BudgetPlanned, BudgetCommitted: w.BudgetCommitted, BudgetSpent: w.BudgetSpent})
	}
	for _, k := range rec.KPIs {
		n := nodes[k.PlanObjectiveID]
		if n == nil {
			continue
		}
		if k.Horizon == HorizonValue {
			n.KPIs.Value = append(n.KPIs.Value, k)
		} else {
			n.KPIs.Activity = append(n.KPIs.Activity, k)
		}
	}
	byDue := func(a, b KPITarget) int {
		if c := strings.Compare(a.Due, b.Due); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	}
	for _, id := range order {
		n := nodes[id]
		n.Totals.flag()
		slices.SortStableFunc(n.KPIs.Activity, byDue)
		slices.SortStableFunc(n.KPIs.Value, byDue)
		// The serving spaces in the reader's order of spaces.
		for _, sp := range spaces {
			if slices.Contains(servedBy[id], sp.ID) {
				n.Spaces = append(n.Spaces, sp)
			}
		}
	}
	p := &Plan{CompanyObjectives: []CompanyObjectiveNode{}}
	companies := map[int64]int{}
	for _, c := range rec.Companies {
		companies[c.ID] = len(p.CompanyObjectives)
		p.CompanyObjectives = append(p.CompanyObjectives, CompanyObjectiveNode{CompanyObjective: c, Objectives: []PlanObjectiveNode{}})
	}
	for _, id := range order {
		n := nodes[id]
		i, ok := companies[n.CompanyObjectiveID]
		if !ok {
			p.Unlinked = append(p.Unlinked, *n)
			p.Totals.add(n.Totals)
			continue
		}
		c := &p.CompanyObjectives[i]
		c.Objectives = append(c.Objectives, *n)
		c.Totals.add(n.Totals)
	}
	for i := range p.CompanyObjectives {
		p.CompanyObjectives[i].Totals.flag()
		p.Totals.add(p.CompanyObjectives[i].Totals)
	}
	p.Totals.flag()
	// The matrix's columns follow the tree: by company objective, then
	// each one's plan objectives.
	p.Alignment = AlignmentMatrix{Objectives: []PlanObjective{}, Spaces: []AlignmentRow{}}
	for _, c := range p.CompanyObjectives {
		for _, o := range c.Objectives {
			p.Alignment.Objectives = append(p.Alignment.Objectives, o.PlanObjective)
		}
	}
	for _, o := range p.Unlinked {
		p.Alignment.Objectives = append(p.Alignment.Objectives, o.PlanObjective)
	}
	for _, sp := range spaces {
		row := AlignmentRow{PlanSpace: sp, ObjectiveIDs: []int64{}}
		for _, o := range p.Alignment.Objectives {
			if slices.Contains(serves[sp.ID], o.ID) {
				row.ObjectiveIDs = append(row.ObjectiveIDs, o.ID)
			}
		}
		p.Alignment.Spaces = append(p.Alignment.Spaces, row)
	}
	return p
}

// Objectives returns every plan objective of the tree, in its order.
func (p *Plan) Objectives() []PlanObjectiveNode {
	var out []PlanObjectiveNode
	for _, c := range p.CompanyObjectives {
		out = append(out, c.Objectives...)
	}
	return append(out, p.Unlinked...)
}
