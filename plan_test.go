package relais_test

import (
	"slices"
	"strings"
	"testing"

	"relais"
)

func TestParsePlanFigure(t *testing.T) {
	for _, c := range []struct {
		in   string
		want relais.Amount
		bad  bool
	}{
		{"", 0, false}, {"  ", 0, false}, {"0", 0, false}, {"12", 1200, false}, {"12.5", 1250, false}, {"12,50", 1250, false},
		{"1 200,50", 120050, false}, {"1\u00a0200", 120000, false}, {"1e3", 100000, false}, {"0.01", 1, false}, {"+3", 300, false},
		{"1000000000", 100000000000, false}, {"-0", 0, false},
		{"-1", 0, true}, {"-0.01", 0, true}, {"abc", 0, true}, {"1.234", 0, true}, {"NaN", 0, true}, {"Inf", 0, true},
		{"1e31", 0, true}, {"1e-31", 0, true}, {"1000000000.01", 0, true}, {"1.2.3", 0, true}, {"12 €", 0, true},
		{"1,200.50", 0, true}, {"0x10", 0, true}, {strings.Repeat("9", 41), 0, true},
	} {
		got, err := relais.ParsePlanFigure("budget_planned", "budget prévu", c.in)
		if c.bad {
			if relais.ErrorCode(err) != relais.EINVALID {
				t.Errorf("%q: %v, %v; want invalid", c.in, got, err)
			} else if e := relais.AsError(err); e.Field != "budget_planned" || e.MessageFR == "" {
				t.Errorf("%q: error %+v names no field or has no French", c.in, e)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestWorkstreamValidate(t *testing.T) {
	ok := relais.WorkstreamInput{Title: "  Base de réponses  ", SMMHours: "12,5", Contributors: "3", BudgetPlanned: "1000",
		BudgetCommitted: "1200", BudgetSpent: "1000.01"}
	w, err := ok.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if w.Title != "Base de réponses" || w.SMMHours != 1250 || w.Contributors != 3 || w.BudgetPlanned != 100000 ||
		w.BudgetCommitted != 120000 || w.BudgetSpent != 100001 {
		t.Errorf("got %+v", w)
	}
	if !slices.Equal(w.Warnings, []string{relais.WarnOvercommitted, relais.WarnOverspent}) {
		t.Errorf("warnings %v", w.Warnings)
	}
	w, _ = relais.WorkstreamInput{Title: "t", BudgetPlanned: "10", BudgetCommitted: "10", BudgetSpent: "10"}.Validate()
	if w.Warnings == nil || len(w.Warnings) != 0 {
		t.Errorf("warnings %#v, want an empty list", w.Warnings)
	}
	for _, c := range []struct {
		in    relais.WorkstreamInput
		field string
	}{
		{relais.WorkstreamInput{}, "title"},
		{relais.WorkstreamInput{Title: " \n "}, "title"},
		{relais.WorkstreamInput{Title: strings.Repeat("é", 201)}, "title"},
		{relais.WorkstreamInput{Title: "t", Tools: strings.Repeat("x", 5001)}, "tools"},
		{relais.WorkstreamInput{Title: "t", Integrations: "a\x00b"}, "integrations"},
		{relais.WorkstreamInput{Title: "t", SMMHours: "-1"}, "smm_hours"},
		{relais.WorkstreamInput{Title: "t", Contributors: "2.5"}, "contributors"},
		{relais.WorkstreamInput{Title: "t", Contributors: "1000001"}, "contributors"},
		{relais.WorkstreamInput{Title: "t", BudgetPlanned: "beaucoup"}, "budget_planned"},
		{relais.WorkstreamInput{Title: "t", BudgetCommitted: "1.001"}, "budget_committed"},
		{relais.WorkstreamInput{Title: "t", BudgetSpent: "1e40"}, "budget_spent"},
	} {
		_, err := c.in.Validate()
		if e := relais.AsError(err); err == nil || e.Code != relais.EINVALID || e.Field != c.field {
			t.Errorf("%+v: %v; want invalid %s", c.in, err, c.field)
		}
	}
	if _, err := (relais.WorkstreamInput{Title: strings.Repeat("é", 200), Tools: strings.Repeat("x", 5000)}).Validate(); err != nil {
		t.Errorf("at the bounds: %v", err)
	}
}

func TestKPITargetValidate(t *testing.T) {
	k, err := relais.KPITargetInput{Horizon: "value", Metric: " Temps gagné ", Target: "500", Unit: "h", Due: "2027-06-30"}.Validate()
	if err != nil || k.Horizon != relais.HorizonValue || k.Metric != "Temps gagné" || k.Target != 50000 || k.Due != "2027-06-30" {
		t.Fatalf("%+v, %v", k, err)
	}
	for _, c := range []struct {
		in    relais.KPITargetInput
		field string
	}{
		{relais.KPITargetInput{Horizon: "forever", Metric: "m", Target: "1", Due: "2027-01-01"}, "horizon"},
		{relais.KPITargetInput{Horizon: "activity", Target: "1", Due: "2027-01-01"}, "metric"},
		{relais.KPITargetInput{Horizon: "activity", Metric: "m", Due: "2027-01-01"}, "target"},
		{relais.KPITargetInput{Horizon: "activity", Metric: "m", Target: "x", Due: "2027-01-01"}, "target"},
		{relais.KPITargetInput{Horizon: "activity", Metric: "m", Target: "1", Unit: strings.Repeat("u", 41), Due: "2027-01-01"}, "unit"},
		{relais.KPITargetInput{Horizon: "activity", Metric: "m", Target: "1", Due: "2027-02-30"}, "due"},
		{relais.KPITargetInput{Horizon: "activity", Metric: "m", Target: "1", Due: "30/06/2027"}, "due"},
		{relais.KPITargetInput{Horizon: "activity", Metric: "m", Target: "1", Due: "1999-12-31"}, "due"},
		{relais.KPITargetInput{Horizon: "activity", Metric: "m", Target: "1"}, "due"},
	} {
		_, err := c.in.Validate()
		if e := relais.AsError(err); err == nil || e.Code != relais.EINVALID || e.Field != c.field {
			t.Errorf("%+v: %v; want invalid %s", c.in, err, c.field)
		}
	}
}

func TestObjectiveValidate(t *testing.T) {
	if _, err := (relais.CompanyObjectiveInput{Title: "", Description: "d"}).Validate(); relais.AsError(err).Field != "title" {
		t.Errorf("empty title: %v", err)
	}
	if _, err := (relais.CompanyObjectiveInput{Title: "t", Description: strings.Repeat("d", 5001)}).Validate(); relais.AsError(err).Field != "description" {
		t.Errorf("huge description: %v", err)
	}
	if _, err := (relais.PlanObjectiveInput{Title: "t"}).Validate(); relais.AsError(err).Field != "company_objective_id" {
		t.Errorf("no company objective: %v", err)
	}
	o, err := relais.PlanObjectiveInput{CompanyObjectiveID: 4, Title: " t ", Description: " d "}.Validate()
	if err != nil || o.Title != "t" || o.Description != "d" || o.CompanyObjectiveID != 4 {
		t.Errorf("%+v, %v", o, err)
	}
}

func TestPlanTree(t *testing.T) {
	rec := relais.PlanRecords{
		Companies: []relais.CompanyObjective{{ID: 1, Title: "C1"}, {ID: 2, Title: "C2"}, {ID: 3, Title: "C3 empty"}},
		Objectives: []relais.PlanObjective{{ID: 10, CompanyObjectiveID: 1, Title: "P10"}, {ID: 11, CompanyObjectiveID: 2, Title: "P11"},
			{ID: 12, CompanyObjectiveID: 1, Title: "P12"}, {ID: 13, Title: "P13 unlinked"}},
		Workstreams: []relais.Workstream{
			{ID: 100, PlanObjectiveID: 10, SMMHours: 1250, Contributors: 3, BudgetPlanned: 100000, BudgetCommitted: 50000, BudgetSpent: 25050},
			{ID: 101, PlanObjectiveID: 10, SMMHours: 50, Contributors: 1, BudgetPlanned: 1, BudgetCommitted: 2, BudgetSpent: 0},
			{ID: 102, PlanObjectiveID: 11, SMMHours: 700, Contributors: 10, BudgetPlanned: 500, BudgetCommitted: 500, BudgetSpent: 900},
			{ID: 103, PlanObjectiveID: 13, SMMHours: 100, Contributors: 1},
			{ID: 104, PlanObjectiveID: 99, SMMHours: 100000}, // of no objective: left out
		},
		KPIs: []relais.KPITarget{{ID: 1, PlanObjectiveID: 10, Horizon: "value", Due: "2027-01-01"},
			{ID: 2, PlanObjectiveID: 10, Horizon: "activity", Due: "2026-12-01"}, {ID: 3, PlanObjectiveID: 10, Horizon: "activity", Due: "2026-06-01"}},
		Alignments: []relais.Alignment{{SpaceID: 7, PlanObjectiveID: 10}, {SpaceID: 8, PlanObjectiveID: 10}, {SpaceID: 8, PlanObjectiveID: 11},
			{SpaceID: 9, PlanObjectiveID: 12}}, // 9 is not visible
	}
	spaces := []relais.PlanSpace{{ID: 8, Name: "Clients Pro", Kind: relais.SpaceCommunity}, {ID: 7, Name: "Innovation", Kind: relais.SpaceCommunity},
		{ID: 5, Name: "Équipe", Kind: relais.SpaceTeam}}
	p := rec.Tree(spaces)
	if len(p.CompanyObjectives) != 3 || len(p.CompanyObjectives[0].Objectives) != 2 || len(p.CompanyObjectives[2].Objectives) != 0 {
		t.Fatalf("tree %+v", p.CompanyObjectives)
	}
	p10 := p.CompanyObjectives[0].Objectives[0]
	want10 := relais.PlanTotals{Workstreams: 2, SMMHours: 1300, Contributors: 4, BudgetPlanned: 100001, BudgetCommitted: 50002, BudgetSpent: 25050,
		Warnings: []string{}}
	if !equalTotals(p10.Totals, want10) {
		t.Errorf("P10 totals %+v, want %+v", p10.Totals, want10)
	}
	if !slices.Equal(p10.Workstreams[1].Warnings, []string{relais.WarnOvercommitted}) {
		t.Errorf("workstream 101 warnings %v", p10.Workstreams[1].Warnings)
	}
	if ids := []int64{p10.KPIs.Activity[0].ID, p10.KPIs.Activity[1].ID}; !slices.Equal(ids, []int64{3, 2}) || len(p10.KPIs.Value) != 1 {
		t.Errorf("KPIs %+v", p10.KPIs)
	}
	if names := []string{p10.Spaces[0].Name, p10.Spaces[1].Name}; !slices.Equal(names, []string{"Clients Pro", "Innovation"}) {
		t.Errorf("P10 spaces %v", names)
	}
	if s := p.CompanyObjectives[0].Objectives[1].Spaces; len(s) != 0 {
		t.Errorf("P12 shows a space the reader may not see: %v", s)
	}
	c2 := p.CompanyObjectives[1].Totals
	if !equalTotals(c2, relais.PlanTotals{Workstreams: 1, SMMHours: 700, Contributors: 10, BudgetPlanned: 500, BudgetCommitted: 500, BudgetSpent: 900,
		Warnings: []string{relais.WarnOverspent}}) {
		t.Errorf("C2 totals %+v", c2)
	}
	if len(p.Unlinked) != 1 || p.Unlinked[0].ID != 13 {
		t.Errorf("unlinked %+v", p.Unlinked)
	}
	if !equalTotals(p.Totals, relais.PlanTotals{Workstreams: 4, SMMHours: 2100, Contributors: 15, BudgetPlanned: 100501, BudgetCommitted: 50502,
		BudgetSpent: 25950, Warnings: []string{}}) {
		t.Errorf("plan totals %+v", p.Totals)
	}
	var cols []int64
	for _, o := range p.Alignment.Objectives {
		cols = append(cols, o.ID)
	}
	if !slices.Equal(cols, []int64{10, 12, 11, 13}) {
		t.Errorf("columns %v", cols)
	}
	if all, filled := p.Alignment.Cells(); all != 12 || filled != 3 {
		t.Errorf("cells %d filled %d, want 12 and 3", all, filled)
	}
	if r := p.Alignment.Spaces[0]; r.Name != "Clients Pro" || !slices.Equal(r.ObjectiveIDs, []int64{10, 11}) || !r.Serves(11) || r.Serves(12) {
		t.Errorf("row %+v", r)
	}
	if empty := (relais.PlanRecords{}).Tree(nil); empty.CompanyObjectives == nil || empty.Alignment.Spaces == nil || empty.Alignment.Objectives == nil {
		t.Errorf("an empty plan has nil lists: %+v", empty)
	}
}

func equalTotals(a, b relais.PlanTotals) bool {
	return a.Workstreams == b.Workstreams && a.SMMHours == b.SMMHours && a.Contributors == b.Contributors && a.BudgetPlanned == b.BudgetPlanned &&
		a.BudgetCommitted == b.BudgetCommitted && a.BudgetSpent == b.BudgetSpent && slices.Equal(a.Warnings, b.Warnings)
}
