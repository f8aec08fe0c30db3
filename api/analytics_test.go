package api_test

// Analytics through HTTP: figures per calendar month, suppression below k
// on the JSON and the CSV, the value ledger's totals and what they are
// traced to, "what Relais brings me", the leaderboard and privacy, bad
// input, and an attacker who tries to re-identify one person from the
// differences of overlapping aggregates.

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/auth"
	"relais/internal/testdb"
	"relais/policy"
	"relais/store"
)

// anaOrg is the corpus of the analytics tests, on top of the demo:
//
//   - seven more people, p1…p7 (password demo), in the unit Produit,
//     members of two communities sponsored by Produit (head: victor) and
//     stewarded by samir: "Atelier Données" and "Atelier Méthodes", both
//     aligned to the plan objective "Mesurer l'entraide";
//   - in Données, month m2 (two months ago): p1…p6 each open a thread on
//     day 3 at 9:00 and p2…p7 each answer the thread of the one before
//     one hour later (p2 answers p1, … p7 answers p6): 6 threads, 6
//     replies, 6 answered, median 1 h, 7 active people;
//   - in Données, month m1 (last month): p1, p2 and p3 open a thread
//     each: 3 people, below k;
//   - the target, p7, acts in m1 only, in cells below k whatever they do:
//     threads in Méthodes and replies to p1's thread of m1 in Données. How
//     much depends on the world (1 or 2): the published figures must not.
type anaOrg struct {
	donnees, methodes int64
	objective         int64
	produit           int64
	m1, m2            relais.Month
	people            []string // p1…p7
	p1m1              int64    // p1's thread of m1 in Données
	m2threads         []int64  // the threads of m2 in Données
}

func newAnaOrg(t *testing.T, e *env, world int) *anaOrg {
	t.Helper()
	ctx := context.Background()
	st := e.st
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	o := &anaOrg{m1: relais.MonthOf(time.Now()).Add(-1)}
	o.m2 = o.m1.Add(-1)
	units, err := st.Units(ctx)
	must(err)
	for _, u := range units {
		if u.Name == "Produit" {
			o.produit = u.ID
		}
	}
	hash, err := auth.HashPassword("demo")
	must(err)
	for i := 1; i <= 7; i++ {
		login := fmt.Sprintf("p%d", i)
		u := &relais.User{Login: login, Name: fmt.Sprintf("Personne %d", i), Employment: relais.Internal, UnitID: o.produit}
		must(st.CreateUser(ctx, u, hash))
		e.users[login] = u.ID
		o.people = append(o.people, login)
	}
	created := o.m2.Start().AddDate(0, -3, 0)
	space := func(name string) int64 {
		sp := &relais.Space{Name: name, Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal, JoinPolicy: relais.JoinOpen,
			Flow: relais.AboveTheFlow, SponsorUnitID: o.produit, CreatedAt: created}
		must(st.CreateSpace(ctx, sp, &relais.Charter{Objective: "o", Rules: "r", Autonomy: "a", ExpectedActions: "e"}, e.users["claire"]))
		must(st.AddSteward(ctx, sp.ID, e.users["samir"]))
		for _, p := range o.people {
			must(st.Join(ctx, &relais.Membership{SpaceID: sp.ID, UserID: e.users[p], CharterVersion: 1, JoinedAt: created.Add(time.Hour), Source: relais.SourceOpen}))
		}
		e.spaces[name] = sp.ID
		return sp.ID
	}
	o.donnees, o.methodes = space("Atelier Données"), space("Atelier Méthodes")

	companies, err := st.CompanyObjectives(ctx)
	must(err)
	if len(companies) == 0 {
		t.Fatal("the demo has no company objective")
	}
	obj, err := relais.PlanObjectiveInput{CompanyObjectiveID: companies[0].ID, Title: "Mesurer l'entraide", Description: "d"}.Validate()
	must(err)
	must(st.CreatePlanObjective(ctx, e.users["claire"], obj))
	o.objective = obj.ID
	for _, id := range []int64{o.donnees, o.methodes} {
		_, err := st.SetAlignment(ctx, e.users["claire"], id, obj.ID, true)
		must(err)
	}
	for _, in := range []relais.KPITargetInput{
		{Horizon: "activity", Metric: "Membres actifs par mois", Target: "10", Unit: "membres", Due: "2030-01-01"},
		{Horizon: "activity", Metric: "Délai médian de première réponse", Target: "2", Unit: "h", Due: "2030-01-01"},
		{Horizon: "value", Metric: "Temps gagné déclaré", Target: "100", Unit: "h", Due: "2030-06-01"},
	} {
		k, err := in.Validate()
		must(err)
		k.PlanObjectiveID = obj.ID
		must(st.CreateKPITarget(ctx, e.users["claire"], k))
	}

	post := func(space int64, login string, at time.Time) int64 {
		t.Helper()
		p := &relais.Post{SpaceID: space, AuthorID: e.users[login], Kind: relais.KindQuestion, Title: "Question de " + login + " " + at.Format(time.RFC3339),
			Body: "b", Status: relais.StatusPublished, CreatedAt: at}
		must(st.CreatePost(ctx, p))
		return p.ID
	}
	reply := func(space, postID int64, login string, at time.Time) {
		t.Helper()
		must(st.CreateReply(ctx, &relais.Reply{PostID: postID, AuthorID: e.users[login], Body: "r", Status: relais.StatusPublished, CreatedAt: at}, space))
	}
	d3 := o.m2.Start().AddDate(0, 0, 2).Add(9 * time.Hour)
	for i := 0; i < 6; i++ {
		at := d3.Add(time.Duration(i) * time.Minute)
		id := post(o.donnees, o.people[i], at)
		o.m2threads = append(o.m2threads, id)
		reply(o.donnees, id, o.people[i+1], at.Add(time.Hour))
	}
	m1 := o.m1.Start().AddDate(0, 0, 4).Add(9 * time.Hour)
	for i := 0; i < 3; i++ {
		id := post(o.donnees, o.people[i], m1.Add(time.Duration(i)*time.Minute))
		if i == 0 {
			o.p1m1 = id
		}
	}
	// The target: world 1, one thread and one reply; world 2, six threads
	// and four replies.
	threads, replies := 1, 1
	if world == 2 {
		threads, replies = 6, 4
	}
	for i := 0; i < threads; i++ {
		post(o.methodes, "p7", m1.AddDate(0, 0, 1).Add(time.Duration(i)*time.Hour))
	}
	for i := 0; i < replies; i++ {
		reply(o.donnees, o.p1m1, "p7", m1.Add(time.Duration(30+i)*time.Minute))
	}
	return o
}

func (o *anaOrg) window() string {
	return "period=" + o.m1.String() + "&since=" + o.m2.Add(-1).String()
}

// analyticsView is the JSON of an analytics report.
type analyticsView struct {
	Scope      string                `json:"scope"`
	Name       string                `json:"name"`
	Period     string                `json:"period"`
	Since      string                `json:"since"`
	K          int                   `json:"k"`
	Current    map[string]any        `json:"current"`
	Suppressed bool                  `json:"suppressed"`
	Trend      []map[string]any      `json:"trend"`
	Value      struct{ Total []any } `json:"value"`
	Targets    []map[string]any      `json:"targets"`
	Sources    []map[string]any      `json:"sources"`
}

func (v analyticsView) month(t *testing.T, m relais.Month) map[string]any {
	t.Helper()
	for _, a := range v.Trend {
		if a["period"] == m.String() {
			return a
		}
	}
	t.Fatalf("no month %s in the trend", m)
	return nil
}

func TestAnalyticsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		o := newAnaOrg(t, e, 1)
		samir := e.as(t, "samir")
		path := "/api/v1/spaces/" + id(o.donnees) + "/analytics?" + o.window()
		r := samir.get(t, path).wantStatus(t, 200)
		var v analyticsView
		r.decode(t, &v)
		if v.Scope != "space" || v.Name != "Atelier Données" || v.Period != o.m1.String() || v.K != 5 || len(v.Trend) != 3 {
			t.Fatalf("header: %s", r)
		}
		m2 := v.month(t, o.m2)
		for k, want := range map[string]any{"members": 8.0, "active_members": 7.0, "posts": 6.0, "replies": 6.0, "answer_rate": 1.0,
			"suppressed": true} {
			if m2[k] != want {
				t.Errorf("%s %s = %v, want %v", o.m2, k, m2[k], want)
			}
		}
		if med, _ := m2["median_first_response_seconds"].(float64); med < 3600*0.95 || med > 3600*1.05 {
			t.Errorf("median %v, want about 3600", m2["median_first_response_seconds"])
		}
		// Retention: no one was active the month before m2.
		if m2["retention"] != nil || compact(m2["suppressed_figures"]) != `["retention"]` {
			t.Errorf("%s retention %v, suppressed %v", o.m2, m2["retention"], m2["suppressed_figures"])
		}
		// m1: 4 active people (p1, p2, p3, p7): every activity figure is null.
		cur := v.Current
		if !v.Suppressed || cur["suppressed"] != true {
			t.Errorf("current month not suppressed: %v", cur)
		}
		for _, f := range []string{"active_members", "posts", "replies", "median_first_response_seconds", "answer_rate", "retention"} {
			if cur[f] != nil {
				t.Errorf("%s %s = %v, want null (fewer than 5 people)", o.m1, f, cur[f])
			}
			if !strings.Contains(compact(cur["suppressed_figures"]), `"`+f+`"`) {
				t.Errorf("%s: %s not listed as suppressed: %v", o.m1, f, cur["suppressed_figures"])
			}
		}
		if cur["members"] != 8.0 {
			t.Errorf("members %v, want 8 (7 people and the steward)", cur["members"])
		}
		// The schema holds.
		var doc map[string]any
		e.anon().get(t, "/api/openapi.json").decode(t, &doc)
		schemas, _ := dig(doc, "components", "schemas").(map[string]any)
		var raw any
		r.decode(t, &raw)
		for _, problem := range conforms(schemas, dig(doc, "paths", "/api/v1/spaces/{id}/analytics", "get", "responses", "200", "content", "application/json", "schema"), raw, "$") {
			t.Errorf("analytics: %s", problem)
		}

		// The CSV says the same: suppressed figures are empty and marked.
		c := samir.get(t, path+"&format=csv").wantStatus(t, 200)
		if ct := c.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("CSV Content-Type %q", ct)
		}
		rows, err := csv.NewReader(bytes.NewReader(c.Body)).ReadAll()
		if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != "scope,name,period,figure,value,suppressed" {
			t.Fatalf("CSV: %v %q", err, c.Body)
		}
		got := map[string][2]string{}
		for _, row := range rows[1:] {
			got[row[2]+" "+row[3]] = [2]string{row[4], row[5]}
		}
		for key, want := range map[string][2]string{
			o.m2.String() + " posts": {"6", "false"}, o.m2.String() + " active_members": {"7", "false"},
			o.m1.String() + " posts": {"", "true"}, o.m1.String() + " active_members": {"", "true"}, o.m1.String() + " replies": {"", "true"},
			o.m1.String() + " members": {"8", "false"},
		} {
			if got[key] != want {
				t.Errorf("CSV %s = %q, want %q", key, got[key], want)
			}
		}

		// The unit and the objective combine the shown cells only.
		var unit, objective analyticsView
		e.as(t, "victor").get(t, "/api/v1/units/"+id(o.produit)+"/analytics?"+o.window()).wantStatus(t, 200).decode(t, &unit)
		e.as(t, "claire").get(t, "/api/v1/plan/objectives/"+id(o.objective)+"/analytics?"+o.window()).wantStatus(t, 200).decode(t, &objective)
		if um := unit.month(t, o.m2); um["posts"] == nil || um["posts"].(float64) < 6 {
			t.Errorf("unit %s posts %v, want at least Données' 6", o.m2, um["posts"])
		}
		om := objective.month(t, o.m2)
		if om["posts"] != 6.0 || om["active_members"] != 7.0 || om["members"] != 8.0 {
			t.Errorf("objective %s: %v", o.m2, om)
		}
		if oc := objective.Current; oc["posts"] != nil || oc["active_members"] != nil {
			t.Errorf("objective %s: %v, want its activity suppressed", o.m1, oc)
		}
		// KPI targets beside the figures.
		if len(objective.Targets) != 3 {
			t.Fatalf("objective targets: %v", objective.Targets)
		}
		for _, tg := range objective.Targets {
			switch tg["metric"] {
			case "Membres actifs par mois":
				if tg["figure"] != "active_members" || tg["actual"] != nil || tg["suppressed"] != true {
					t.Errorf("active members target: %v", tg)
				}
			case "Temps gagné déclaré":
				if tg["figure"] != "time_saved" {
					t.Errorf("time saved target: %v", tg)
				}
			}
		}
		var space analyticsView
		samir.get(t, "/api/v1/spaces/"+id(o.donnees)+"/analytics?period="+o.m2.String()).wantStatus(t, 200).decode(t, &space)
		for _, tg := range space.Targets {
			if tg["metric"] == "Délai médian de première réponse" && (tg["actual"] == nil || tg["progress"] == nil) {
				t.Errorf("median target beside %s: %v", o.m2, tg)
			}
		}

		// Who reads them.
		readers := policy.RuleReportReaders
		for _, tc := range []struct {
			login, path string
			status      int
			rule        string
		}{
			{"samir", "/api/v1/spaces/" + id(o.donnees) + "/analytics", 200, ""},
			{"claire", "/api/v1/spaces/" + id(o.donnees) + "/analytics", 200, ""},
			{"victor", "/api/v1/spaces/" + id(o.donnees) + "/analytics", 200, ""},
			{"p1", "/api/v1/spaces/" + id(o.donnees) + "/analytics", 403, readers},
			{"marc", "/api/v1/spaces/" + id(e.spaces[supportLyon]) + "/analytics", 200, ""},
			{"paul", "/api/v1/spaces/" + id(e.spaces[supportLyon]) + "/analytics", 403, readers},
			{"claire", "/api/v1/spaces/" + id(e.spaces[supportLyon]) + "/analytics", 404, ""}, // the team space does not exist for her
			{"victor", "/api/v1/units/" + id(o.produit) + "/analytics", 200, ""},
			{"claire", "/api/v1/units/" + id(o.produit) + "/analytics", 200, ""},
			{"p1", "/api/v1/units/" + id(o.produit) + "/analytics", 403, readers},
			{"nadia", "/api/v1/units/" + id(o.produit) + "/analytics", 403, readers},
			{"claire", "/api/v1/units/999999/analytics", 404, ""},
			{"claire", "/api/v1/plan/objectives/" + id(o.objective) + "/analytics", 200, ""},
			{"victor", "/api/v1/plan/objectives/" + id(o.objective) + "/analytics", 200, ""},
			{"paul", "/api/v1/plan/objectives/" + id(o.objective) + "/analytics", 403, readers},
			{"claire", "/api/v1/plan/objectives/999999/analytics", 404, ""},
		} {
			r := e.as(t, tc.login).get(t, tc.path)
			if tc.status == 200 {
				r.wantStatus(t, 200)
			} else {
				r.wantError(t, tc.status, tc.rule)
			}
		}
		// The team's manager sees its figures, all suppressed: a team of
		// two is never shown person by person.
		var team analyticsView
		e.as(t, "marc").get(t, "/api/v1/spaces/"+id(e.spaces[supportLyon])+"/analytics").wantStatus(t, 200).decode(t, &team)
		for _, a := range team.Trend {
			for _, f := range relais.ActivityFigures {
				if a[f] != nil {
					t.Errorf("Support Lyon %s %s = %v: a figure of fewer than 5 people", a["period"], f, a[f])
				}
			}
		}

		// The scopes each one may read.
		var scopes struct {
			Spaces, Units, Objectives []map[string]any
		}
		e.as(t, "victor").get(t, "/api/v1/analytics").wantStatus(t, 200).decode(t, &scopes)
		if len(scopes.Units) != 1 || scopes.Units[0]["name"] != "Produit" || !strings.Contains(compact(scopes.Objectives), "Mesurer l'entraide") {
			t.Errorf("victor's scopes: %+v", scopes)
		}
		e.as(t, "p1").get(t, "/api/v1/analytics").wantStatus(t, 200).decode(t, &scopes)
		if len(scopes.Spaces)+len(scopes.Units)+len(scopes.Objectives) != 0 {
			t.Errorf("p1's scopes: %+v", scopes)
		}
	})
}

// TestAnalyticsThreshold: the community manager sets k, never below 5 (the
// refusal says so, in French and English); a higher k hides what 5 showed;
// the list of what one may read says which k is in force.
func TestAnalyticsThreshold(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		o := newAnaOrg(t, e, 1)
		claire := e.as(t, "claire")
		var s map[string]any
		e.as(t, "paul").get(t, "/api/v1/analytics/settings").wantStatus(t, 200).decode(t, &s)
		if s["k"] != 5.0 || s["min"] != 5.0 || s["default"] != 5.0 || s["max"] != 50.0 {
			t.Errorf("settings %v", s)
		}
		e.as(t, "samir").put(t, "/api/v1/analytics/settings", map[string]any{"k": 6}).wantError(t, 403, policy.RuleCockpitCMOnly)
		for _, low := range []int{2, 3, 4} {
			for _, lang := range []string{"en", "fr"} {
				r := claire.in(lang).put(t, "/api/v1/analytics/settings", map[string]any{"k": low}).wantError(t, 422, "")
				if want := map[string]string{"en": "never below 5", "fr": "jamais inférieur à 5"}[lang]; r.Error == nil || r.Error.Field != "k" || !strings.Contains(r.Error.Message, want) {
					t.Errorf("k=%d (%s): %+v, want the minimum named (%q)", low, lang, r.Error, want)
				}
			}
		}
		claire.put(t, "/api/v1/analytics/settings", map[string]any{"k": 51}).wantError(t, 422, "")
		claire.put(t, "/api/v1/analytics/settings", map[string]any{"k": "6"}).wantError(t, 400, "")
		claire.put(t, "/api/v1/analytics/settings", map[string]any{}).wantError(t, 400, "")

		// At 5: the month with 6 threads by 6 people shows them.
		m2 := func(v analyticsView) map[string]any {
			t.Helper()
			for _, a := range v.Trend {
				if a["period"] == o.m2.String() {
					return a
				}
			}
			t.Fatalf("no month %s in the trend", o.m2)
			return nil
		}
		var v analyticsView
		e.as(t, "samir").get(t, "/api/v1/spaces/"+id(o.donnees)+"/analytics?"+o.window()).wantStatus(t, 200).decode(t, &v)
		if a := m2(v); v.K != 5 || a["posts"] != 6.0 || a["active_members"] != 7.0 {
			t.Errorf("k=5: k %d, posts %v (want 6), active %v (want 7)", v.K, a["posts"], a["active_members"])
		}
		var scopes map[string]any
		e.as(t, "samir").get(t, "/api/v1/analytics").wantStatus(t, 200).decode(t, &scopes)
		if scopes["k"] != 5.0 {
			t.Errorf("GET /api/v1/analytics: k %v, want 5", scopes["k"])
		}

		// At 7: the 6 authors are too few; the 7 active members still show.
		claire.put(t, "/api/v1/analytics/settings", map[string]any{"k": 7}).wantStatus(t, 200)
		v = analyticsView{}
		e.as(t, "samir").get(t, "/api/v1/spaces/"+id(o.donnees)+"/analytics?"+o.window()).wantStatus(t, 200).decode(t, &v)
		if a := m2(v); v.K != 7 || a["posts"] != nil || a["active_members"] != 7.0 {
			t.Errorf("k=7: k %d, posts %v (6 authors: want null), active %v (want 7)", v.K, a["posts"], a["active_members"])
		}
		scopes = nil
		e.as(t, "samir").get(t, "/api/v1/analytics").wantStatus(t, 200).decode(t, &scopes)
		if scopes["k"] != 7.0 {
			t.Errorf("GET /api/v1/analytics: k %v, want 7", scopes["k"])
		}
	})
}

// TestAnalyticsLedger: value totals per space, unit and objective, from
// the cells at least k people declared; listings traced to their posts,
// shown to who may read them.
func TestAnalyticsLedger(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		o := newAnaOrg(t, e, 1)
		// Six people declare time saved on threads of Données (this month):
		// 1 + 2 + … + 6 = 21 hours. Four declare in Méthodes: suppressed.
		for i, p := range o.people[:6] {
			e.as(t, p).post(t, "/api/v1/benefits", map[string]any{"post_id": o.m2threads[(i+1)%6], "kind": "time_saved", "amount": i + 1}).wantStatus(t, 201)
		}
		var methodes int64
		ps, err := e.st.Posts(context.Background(), store.PostFilter{SpaceID: o.methodes})
		if err != nil || len(ps) == 0 {
			t.Fatal(err)
		}
		methodes = ps[0].ID
		for _, p := range o.people[:4] {
			e.as(t, p).post(t, "/api/v1/benefits", map[string]any{"post_id": methodes, "kind": "time_saved", "amount": 100}).wantStatus(t, 201)
		}
		e.as(t, "p1").post(t, "/api/v1/benefits", map[string]any{"post_id": o.m2threads[0], "kind": "revenue", "amount": 5000}).wantStatus(t, 201)

		total := func(v analyticsView, kind string) any {
			for _, f := range v.Value.Total {
				if dig(f, "kind") == kind {
					return dig(f, "amount")
				}
			}
			return "missing"
		}
		now := relais.MonthOf(time.Now()).String()
		var sp, me, unit, obj analyticsView
		e.as(t, "samir").get(t, "/api/v1/spaces/"+id(o.donnees)+"/analytics?period="+now).wantStatus(t, 200).decode(t, &sp)
		e.as(t, "samir").get(t, "/api/v1/spaces/"+id(o.methodes)+"/analytics?period="+now).wantStatus(t, 200).decode(t, &me)
		e.as(t, "victor").get(t, "/api/v1/units/"+id(o.produit)+"/analytics?period="+now).wantStatus(t, 200).decode(t, &unit)
		e.as(t, "claire").get(t, "/api/v1/plan/objectives/"+id(o.objective)+"/analytics?period="+now).wantStatus(t, 200).decode(t, &obj)
		for name, tc := range map[string]struct {
			v          analyticsView
			time, cash any
		}{
			"Données": {sp, 21.0, nil}, "Méthodes": {me, nil, nil}, "unit": {unit, 21.0, nil}, "objective": {obj, 21.0, nil},
		} {
			if got := total(tc.v, "time_saved"); got != tc.time {
				t.Errorf("%s: time saved %v, want %v", name, got, tc.time)
			}
			if got := total(tc.v, "revenue"); got != tc.cash {
				t.Errorf("%s: revenue %v, want %v (one declarant)", name, got, tc.cash)
			}
		}
		// The objective's target of 100 h sits beside the 21 h declared.
		for _, tg := range obj.Targets {
			if tg["metric"] == "Temps gagné déclaré" && (tg["actual"] != 21.0 || tg["progress"] != 0.21) {
				t.Errorf("value target: %v", tg)
			}
		}
		// Sources: the threads value was declared on, without amounts.
		if len(sp.Sources) != 6 {
			t.Errorf("Données sources: %v", sp.Sources)
		}
		for _, s := range sp.Sources {
			if _, has := s["amount"]; has {
				t.Errorf("a source carries an amount: %v", s)
			}
			if strings.Contains(compact(s["kinds"]), "revenue") {
				t.Errorf("a source lists the revenue one person declared: %v", s)
			}
		}
		// The sources of hidden totals are not listed either.
		if len(me.Sources) != 0 {
			t.Errorf("Méthodes lists sources of a suppressed total: %v", me.Sources)
		}
		// victor sponsors Données but does not read its threads: he gets the
		// totals, not the threads.
		var v analyticsView
		e.as(t, "victor").get(t, "/api/v1/spaces/"+id(o.donnees)+"/analytics?period="+now).wantStatus(t, 200).decode(t, &v)
		if total(v, "time_saved") != 21.0 || len(v.Sources) != 0 {
			t.Errorf("victor: total %v, sources %v", total(v, "time_saved"), v.Sources)
		}

		// A benefit on a team's thread counts in its unit's totals, never
		// names the thread to those outside the team.
		lyon := e.posts[titleSupportInvoices]
		e.as(t, "paul").post(t, "/api/v1/benefits", map[string]any{"post_id": lyon, "kind": "quality", "amount": 3}).wantStatus(t, 201)
		e.as(t, "claire").post(t, "/api/v1/benefits", map[string]any{"post_id": lyon, "kind": "quality", "amount": 3}).wantUnseen(t)
		for _, p := range []string{"claire", "nadia"} {
			r := e.as(t, p).get(t, "/api/v1/analytics")
			if strings.Contains(string(r.Body), supportLyon) {
				t.Errorf("%s's scopes name the team space: %s", p, r)
			}
		}
		var ventes map[string]any
		e.as(t, "nadia").get(t, "/api/v1/units/"+id(unitID(t, e, "Ventes"))+"/analytics?period="+now).wantStatus(t, 200).decode(t, &ventes)
		if strings.Contains(compact(ventes), titleVentesDiscounts) {
			t.Errorf("the unit's analytics name a team thread: %s", compact(ventes))
		}

		// Bad input on the ledger: clear 4xx.
		p1 := e.as(t, "p1")
		for _, tc := range []struct {
			body   any
			status int
		}{
			{map[string]any{"post_id": o.m2threads[0], "kind": "time_saved", "amount": -3}, 422},
			{map[string]any{"post_id": o.m2threads[0], "kind": "time_saved", "amount": 0}, 422},
			{map[string]any{"post_id": o.m2threads[0], "kind": "revenue", "amount": 1e12}, 422},
			{map[string]any{"post_id": o.m2threads[0], "kind": "time_saved", "amount": 1.234}, 400},
			{map[string]any{"post_id": o.m2threads[0], "kind": "luck", "amount": 1}, 400},
			{map[string]any{"post_id": lyon, "kind": "time_saved", "amount": 1}, 404}, // a team post, to an outsider
			{map[string]any{"post_id": 99999999, "kind": "time_saved", "amount": 1}, 404},
		} {
			p1.post(t, "/api/v1/benefits", tc.body).wantError(t, tc.status, "")
		}
	})
}

// TestAnalyticsBadInput: whole calendar months only; wrong dates, reversed
// or too long periods, unknown formats are clear 4xx.
func TestAnalyticsBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		samir := e.as(t, "samir")
		base := "/api/v1/spaces/" + id(e.spaces[innovation]) + "/analytics"
		future := relais.MonthOf(time.Now()).Add(2).String()
		for _, tc := range []struct {
			query  string
			status int
			field  string
		}{
			{"period=2026-13", 400, "period"},
			{"period=2026-1", 400, "period"},
			{"period=2026-01-15", 400, "period"},
			{"period=janvier", 400, "period"},
			{"period=1999-12", 400, "period"},
			{"period=" + future, 422, "period"},
			{"period=2025-03&since=2025-06", 400, "since"},
			{"period=2025-03&since=2022-01", 400, "since"},
			{"since=2025-02-30", 400, "since"},
			{"from=2025-01-01", 400, "from"},
			{"to=2025-01-31", 400, "to"},
			{"format=xml", 400, "format"},
		} {
			r := samir.get(t, base+"?"+tc.query)
			er := r.wantError(t, tc.status, "")
			if er.Error != nil && er.Error.Field != tc.field {
				t.Errorf("%s: field %q, want %q", tc.query, er.Error.Field, tc.field)
			}
		}
		samir.get(t, "/api/v1/spaces/abc/analytics").wantError(t, 400, "")
		samir.get(t, "/api/v1/spaces/999999/analytics").wantError(t, 404, "")
		samir.get(t, "/api/v1/me/value?period=2025-02&since=2025-05").wantError(t, 400, "")
		samir.get(t, "/api/v1/spaces/"+id(e.spaces[innovation])+"/leaderboard?period=x").wantError(t, 400, "")
		e.anon().get(t, base).wantError(t, 401, "")
	})
}

// TestMyValue: "what Relais brings me", to the person alone.
func TestMyValue(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		o := newAnaOrg(t, e, 1)
		// Five people declare time on p2's thread of m2: what p2 brought
		// others is shown; one declaration on p3's thread is not.
		for _, p := range []string{"p1", "p3", "p4", "p5", "p6"} {
			e.as(t, p).post(t, "/api/v1/benefits", map[string]any{"post_id": o.m2threads[1], "kind": "time_saved", "amount": 2}).wantStatus(t, 201)
		}
		e.as(t, "p2").post(t, "/api/v1/benefits", map[string]any{"post_id": o.m2threads[0], "kind": "time_saved", "amount": 10.5}).wantStatus(t, 201)
		// A best practice by samir in Données, reused by p2 (a reaction).
		bp := &relais.Post{SpaceID: o.donnees, AuthorID: e.users["samir"], Kind: relais.KindBestPractice, Title: "Bonne pratique : nommer les fichiers",
			Body: "b", Status: relais.StatusPublished}
		if err := e.st.CreatePost(context.Background(), bp); err != nil {
			t.Fatal(err)
		}
		e.as(t, "p2").post(t, "/api/v1/posts/"+id(bp.ID)+"/reactions", map[string]any{"kind": "thanks"}).wantStatus(t, 200)

		var mv map[string]any
		r := e.as(t, "p2").get(t, "/api/v1/me/value?"+o.window()).wantStatus(t, 200)
		r.decode(t, &mv)
		// p2: opened 1 thread in m2 (answered by p3) and 1 in m1; replied to
		// p1 (a first response).
		for k, want := range map[string]any{"threads_opened": 2.0, "threads_answered": 1.0, "replies_received": 1.0,
			"replies_written": 1.0, "first_responses_given": 1.0} {
			if got := dig(mv, "totals", k); got != want {
				t.Errorf("totals.%s = %v, want %v", k, got, want)
			}
		}
		now := relais.MonthOf(time.Now()).String()
		e.as(t, "p2").get(t, "/api/v1/me/value?period="+now).wantStatus(t, 200).decode(t, &mv)
		if mv["time_saved_hours"] != 10.5 || mv["time_saved_days"] != 1.5 {
			t.Errorf("time saved %v h, %v days; want 10.5 and 1.5", mv["time_saved_hours"], mv["time_saved_days"])
		}
		brought, _ := mv["brought_to_others"].([]any)
		if len(brought) == 0 || dig(brought[0], "kind") != "time_saved" || dig(brought[0], "amount") != 10.0 {
			t.Errorf("brought to others: %v", compact(brought))
		}
		bps, _ := mv["best_practices_reused"].([]any)
		if len(bps) != 1 || dig(bps[0], "post_id") != float64(bp.ID) {
			t.Errorf("best practices reused: %v", compact(bps))
		}
		// p1's own page: one declaration on their thread (by p2) is
		// somebody else's figure: suppressed.
		e.as(t, "p1").get(t, "/api/v1/me/value?period="+now).wantStatus(t, 200).decode(t, &mv)
		brought, _ = mv["brought_to_others"].([]any)
		if dig(brought[0], "amount") != nil || dig(brought[0], "suppressed") != true {
			t.Errorf("p1 sees one person's declaration: %v", compact(brought))
		}
		var doc map[string]any
		e.anon().get(t, "/api/openapi.json").decode(t, &doc)
		schemas, _ := dig(doc, "components", "schemas").(map[string]any)
		var raw any
		r.decode(t, &raw)
		for _, problem := range conforms(schemas, dig(doc, "paths", "/api/v1/me/value", "get", "responses", "200", "content", "application/json", "schema"), raw, "$") {
			t.Errorf("me/value: %s", problem)
		}
	})
}

// TestLeaderboardAndPrivacy: no leaderboard unless the space opts in and
// each person opts in; ranks, never figures; profile visibility.
func TestLeaderboardAndPrivacy(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		o := newAnaOrg(t, e, 1)
		lb := "/api/v1/spaces/" + id(o.donnees) + "/leaderboard?period=" + o.m2.String()
		var b map[string]any
		e.as(t, "p1").get(t, lb).wantStatus(t, 200).decode(t, &b)
		if b["enabled"] != false || len(b["entries"].([]any)) != 0 {
			t.Errorf("closed leaderboard: %v", b)
		}
		e.as(t, "p1").put(t, "/api/v1/me/privacy", map[string]any{"leaderboard": true}).wantStatus(t, 200)
		e.as(t, "p1").put(t, "/api/v1/spaces/"+id(o.donnees)+"/leaderboard", map[string]any{"enabled": true}).wantError(t, 403, policy.RuleLeaderboardStewards)
		e.as(t, "claire").put(t, "/api/v1/spaces/"+id(o.donnees)+"/leaderboard", map[string]any{"enabled": true}).wantError(t, 403, policy.RuleLeaderboardStewards)
		e.as(t, "samir").put(t, "/api/v1/spaces/"+id(o.donnees)+"/leaderboard", map[string]any{"enabled": true}).wantStatus(t, 200)
		e.as(t, "p3").put(t, "/api/v1/me/privacy", map[string]any{"leaderboard": true}).wantStatus(t, 200)
		r := e.as(t, "p2").get(t, lb).wantStatus(t, 200)
		r.decode(t, &b)
		entries, _ := b["entries"].([]any)
		names := []string{}
		for _, x := range entries {
			names = append(names, dig(x, "name").(string))
			if len(x.(map[string]any)) != 3 {
				t.Errorf("an entry holds more than rank, id and name: %v", x)
			}
		}
		if strings.Join(names, ",") != "Personne 3,Personne 1" {
			t.Errorf("leaderboard %v: only p1 and p3 opted in, p3 wrote more", names)
		}
		e.as(t, "lea").get(t, lb).wantError(t, 403, "")
		e.as(t, "p3").put(t, "/api/v1/me/privacy", map[string]any{"leaderboard": false}).wantStatus(t, 200)
		e.as(t, "p2").get(t, lb).decode(t, &b)
		if len(b["entries"].([]any)) != 1 {
			t.Errorf("p3 opted out but stays: %v", b)
		}

		// Profiles: everyone internal by default; only the members of their
		// spaces once they say so.
		p4 := "/api/v1/people/" + id(e.users["p4"])
		e.as(t, "lea").get(t, p4).wantStatus(t, 200)
		e.as(t, "xavier").get(t, p4).wantError(t, 404, "")
		me := e.as(t, "p4")
		var pv map[string]any
		me.get(t, "/api/v1/me/privacy").wantStatus(t, 200).decode(t, &pv)
		if pv["leaderboard"] != false || pv["profile_visibility"] != "everyone" {
			t.Errorf("default privacy %v", pv)
		}
		me.put(t, "/api/v1/me/privacy", map[string]any{"profile_visibility": "nobody"}).wantError(t, 400, "")
		me.put(t, "/api/v1/me/privacy", map[string]any{"profile_visibility": "spaces"}).wantStatus(t, 200)
		e.as(t, "lea").get(t, p4).wantError(t, 404, "")
		var prof map[string]any
		e.as(t, "p5").get(t, p4).wantStatus(t, 200).decode(t, &prof)
		if prof["name"] != "Personne 4" || len(prof["shared_spaces"].([]any)) != 2 || prof["visibility"] != nil {
			t.Errorf("profile seen by a co-member: %v", prof)
		}
		me.get(t, p4).wantStatus(t, 200).decode(t, &prof)
		if prof["visibility"] != "spaces" {
			t.Errorf("own profile: %v", prof)
		}
		e.as(t, "p5").get(t, "/api/v1/people/999999").wantError(t, 404, "")
		// The community manager governs accounts and sees every profile.
		e.as(t, "claire").get(t, p4).wantStatus(t, 200)

		// The directory's listing leaves p4 out for a colleague who shares
		// no space with them; a lookup of the login still finds them (to
		// address a signal or an invitation), and fellows and governance
		// still list them.
		listed := func(login, query string) bool {
			t.Helper()
			var out struct {
				Users []struct{ Login string } `json:"users"`
			}
			e.as(t, login).get(t, "/api/v1/users"+query).wantStatus(t, 200).decode(t, &out)
			for _, u := range out.Users {
				if u.Login == "p4" {
					return true
				}
			}
			return false
		}
		if listed("lea", "") {
			t.Error("lea, who shares no space with p4, lists p4 in the directory")
		}
		if !listed("lea", "?login=p4") {
			t.Error("lea cannot look up the login p4")
		}
		if !listed("p5", "") || !listed("claire", "") || !listed("admin", "") {
			t.Error("a fellow member or governance does not list p4")
		}
	})
}

// generatedAt matches the instant a report was computed: the only field
// two computations of the same figures may differ in.
var generatedAt = regexp.MustCompile(`"generated_at":"[^"]*"`)

// TestReidentification is an attacker with every analytics surface: two
// spaces, a space and its unit, the objective over both, two overlapping
// windows of months, JSON and CSV, as the steward, the sponsor and the
// community manager. The target, p7, acts only in cells below k. In two
// worlds where p7 acts differently (one thread and one reply, or six
// threads and four replies), every answer must be byte for byte the same:
// then no difference of published aggregates, of any kind, can tell what
// p7 did. The classic differences are also computed explicitly.
func TestReidentification(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			type world struct {
				e       *env
				o       *anaOrg
				answers map[string]string
			}
			var worlds [2]*world
			for i := range worlds {
				e := newEnv(t, engine)
				w := &world{e: e, o: newAnaOrg(t, e, i+1), answers: map[string]string{}}
				o := w.o
				windows := []string{o.window(), "period=" + o.m1.String() + "&since=" + o.m1.String(),
					"period=" + o.m2.String(), "period=" + o.m1.String() + "&since=" + o.m2.String()}
				paths := []struct{ login, path string }{
					{"samir", "/api/v1/spaces/" + id(o.donnees) + "/analytics"},
					{"samir", "/api/v1/spaces/" + id(o.methodes) + "/analytics"},
					{"victor", "/api/v1/spaces/" + id(o.donnees) + "/analytics"},
					{"victor", "/api/v1/units/" + id(o.produit) + "/analytics"},
					{"claire", "/api/v1/units/" + id(o.produit) + "/analytics"},
					{"claire", "/api/v1/plan/objectives/" + id(o.objective) + "/analytics"},
				}
				for _, p := range paths {
					for _, win := range windows {
						for _, format := range []string{"json", "csv"} {
							key := p.login + " " + p.path + "?" + win + "&format=" + format
							r := e.as(t, p.login).get(t, p.path+"?"+win+"&format="+format).wantStatus(t, 200)
							w.answers[key] = generatedAt.ReplaceAllString(string(r.Body), "")
						}
					}
				}
				worlds[i] = w
			}
			for key, a := range worlds[0].answers {
				if b := worlds[1].answers[key]; a != b {
					t.Errorf("GET %s differs with what p7 did:\n world 1: %.600s\n world 2: %.600s", key, a, b)
				}
			}
			// The attacker's differences, explicitly: unit minus space, the
			// objective minus the space, a long window minus a short one.
			// None recovers p7's threads (1 or 6) or replies (1 or 4).
			for i, w := range worlds {
				o := w.o
				get := func(login, path string) analyticsView {
					var v analyticsView
					w.e.as(t, login).get(t, path).wantStatus(t, 200).decode(t, &v)
					return v
				}
				num := func(a map[string]any, f string) float64 { x, _ := a[f].(float64); return x }
				space := get("samir", "/api/v1/spaces/"+id(o.donnees)+"/analytics?"+o.window())
				other := get("samir", "/api/v1/spaces/"+id(o.methodes)+"/analytics?"+o.window())
				unit := get("victor", "/api/v1/units/"+id(o.produit)+"/analytics?"+o.window())
				objective := get("claire", "/api/v1/plan/objectives/"+id(o.objective)+"/analytics?"+o.window())
				short := get("samir", "/api/v1/spaces/"+id(o.donnees)+"/analytics?period="+o.m2.String()+"&since="+o.m2.String())
				for _, f := range []string{"posts", "replies", "active_members"} {
					d1 := num(objective.month(t, o.m1), f) - num(space.month(t, o.m1), f) - num(other.month(t, o.m1), f)
					d2 := num(unit.month(t, o.m1), f) - num(objective.month(t, o.m1), f)
					d3 := num(space.month(t, o.m2), f) - num(short.month(t, o.m2), f)
					if d1 != 0 || d3 != 0 {
						t.Errorf("world %d, %s: objective - spaces = %v, long - short window = %v: want 0", i+1, f, d1, d3)
					}
					if i == 1 && (d2 == 6 || d2 == 4 || d2 == 10) {
						t.Errorf("world 2, %s: unit - objective = %v gives p7 away", f, d2)
					}
				}
			}
		})
	}
}

func unitID(t *testing.T, e *env, name string) int64 {
	t.Helper()
	units, err := e.st.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.Name == name {
			return u.ID
		}
	}
	t.Fatalf("no unit %q", name)
	return 0
}
