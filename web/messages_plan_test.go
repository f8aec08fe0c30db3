package web

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"relais"
)

// TestPlanKeysComplete checks every text the plan's page names, in French
// and English: the keys its code and template spell out, which the
// generic catalog tests cannot all see (they are passed to helpers), and
// those built from the domain's values.
func TestPlanKeysComplete(t *testing.T) {
	literal := regexp.MustCompile(`"((?:plan|nav)\.[a-z_.]+[a-z_])"`)
	var keys []string
	keys = append(keys, "nav.plan")
	for _, f := range []string{"plan.go", "templates/plan.html"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			if _, plural := messages["en"][m[1]+".one"]; !plural {
				keys = append(keys, m[1])
			}
		}
	}
	if len(keys) < 60 {
		t.Fatalf("only %d keys found: the pattern of this test is stale", len(keys))
	}
	for _, w := range []string{relais.WarnOvercommitted, relais.WarnOverspent} {
		keys = append(keys, "plan.warning."+w)
	}
	for _, h := range []relais.KPIHorizon{relais.HorizonActivity, relais.HorizonValue} {
		keys = append(keys, "plan.horizon."+string(h))
	}
	for _, k := range []string{"plan.contributors", "plan.workstreams", "plan.objectives"} {
		keys = append(keys, k+".one", k+".other")
	}
	for _, v := range planNotices {
		keys = append(keys, v)
	}
	for _, lang := range []string{"fr", "en"} {
		for _, k := range keys {
			if _, ok := messages[lang][k]; !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}

func TestPlanFigures(t *testing.T) {
	fr, en := &Page{Lang: "fr"}, &Page{Lang: "en"}
	for _, c := range []struct {
		got, want string
	}{
		{fr.PlanMoney(3000000), "30\u00a0000\u00a0€"}, {en.PlanMoney(3000000), "€30,000"},
		{fr.PlanMoney(1245050), "12\u00a0450,50\u00a0€"}, {en.PlanMoney(1245050), "€12,450.50"},
		{en.PlanMoney(5), "€0.05"}, {en.PlanMoney(0), "€0"},
		{fr.PlanHours(1250), "12,5\u00a0h"}, {en.PlanHours(123456789), "1,234,567.89\u00a0h"},
		{fr.PlanCount(1234567), "1\u00a0234\u00a0567"}, {en.PlanCount(35), "35"},
		{en.PlanTarget(relais.KPITarget{Target: 50000, Unit: "h"}), "500\u00a0h"}, {en.PlanTarget(relais.KPITarget{Target: 150}), "1.5"},
		{fr.PlanDay("2027-06-30"), "30 juin 2027"}, {en.PlanDay("2027-06-30"), "Jun 30, 2027"}, {en.PlanDay("bad"), "bad"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}

func TestLayoutTree(t *testing.T) {
	items := []treeItem{
		{Level: 0, Title: "C1", Planned: 1000, Committed: 500, Spent: 2000},
		{Level: 1, Title: strings.Repeat("Objectif très long ", 10), Planned: 1000},
		{Level: 2, Title: "W", Planned: 1, Committed: 0, Spent: 0},
		{Level: 0, Title: "C2"},
	}
	tr := layoutTree(items, []string{"a", "b", "c"})
	if len(tr.Nodes) != 4 || len(tr.Links) != 2 || len(tr.Legend) != 3 {
		t.Fatalf("%d nodes, %d links, %d legend items", len(tr.Nodes), len(tr.Links), len(tr.Legend))
	}
	c1 := tr.Nodes[0]
	if c1.Bars[2].W != treeBarW || c1.Bars[0].W != treeBarW/2 || !strings.Contains(c1.Bars[2].Class, "over") || strings.Contains(c1.Bars[1].Class, "over") {
		t.Errorf("bars of C1 %+v", c1.Bars)
	}
	if w := tr.Nodes[2].Bars[0].W; w != 2 {
		t.Errorf("a tiny budget is %d wide, want 2 (visible)", w)
	}
	if w := tr.Nodes[3].Bars[0].W; w != 0 {
		t.Errorf("no budget is %d wide", w)
	}
	if l := tr.Nodes[1].Label; !strings.HasSuffix(l, "…") || len([]rune(l)) > 80 {
		t.Errorf("long title %q", l)
	}
	for i := 1; i < len(tr.Nodes); i++ {
		if tr.Nodes[i].Y < tr.Nodes[i-1].Y+tr.Nodes[i-1].H {
			t.Errorf("node %d overlaps the one before", i)
		}
	}
	if last := tr.Nodes[3]; tr.Height < last.Y+last.H {
		t.Errorf("height %d cuts the last node", tr.Height)
	}
	m := layoutMatrix([]string{"O1", "O2"}, []string{"O1 · a", "O2 · b"}, []matrixRow{{Label: "S", Filled: []bool{true, false}}, {Label: "T"}})
	if len(m.Rows) != 2 || len(m.Rows[0].Cells) != 2 || m.Rows[0].Cells[0].Class != "plan-cell filled" || m.Rows[1].Cells[1].Class != "plan-cell" {
		t.Errorf("matrix %+v", m)
	}
	if m.Width != matrixLabelW+2*matrixCell+matrixPad {
		t.Errorf("width %d", m.Width)
	}
}
