package api_test

// Reports and the value ledger through HTTP: the figures of a known
// corpus, who reads them, the CSV export, the narrative, declared benefits
// and the monthly delivery.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/internal/testdb"
	"relais/policy"
)

// reportCorpus is a community, "Atelier Qualité" (sponsor: the unit
// Produit, whose head is victor; steward samir), with a known corpus in
// March 2025:
//
//	joined in March: paul (open), marc (invitation); lea before it
//	P1 paul: replies paul (self, +5 min), marc (+30 min), samir (+2 h)
//	P2 marc: reply paul (+90 min)
//	P3 paul: no reply
//	P4 lea: pending approval
//	P5 paul, before March, with a reply by marc in it
//	S1 on P1 to victor, accepted (today); S2 on P2 to the unit Produit, open
//	benefits in March (declare): time saved by paul, risk by paul, cost
//	avoided by victor
//
// Threads: 3 by 2 people, answered 2 (after 30 and 90 min; first
// responses by marc and paul). Replies: 5 by 3 people. Active: paul,
// marc, samir (3). At k = 5 every figure that counts people is hidden;
// widen adds two people, after which the active members (5) and the
// replies (7) show at k = 5.
type reportCorpus struct {
	space      int64
	from, to   string
	p1, p2, p3 int64
	s1, s2     int64
}

// reportMonth is the month of the corpus.
const reportMonth = "2025-03"

func newReportCorpus(t *testing.T, e *env) *reportCorpus {
	t.Helper()
	ctx := context.Background()
	st := e.st
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	units, err := st.Units(ctx)
	must(err)
	var produit int64
	for _, u := range units {
		if u.Name == "Produit" {
			produit = u.ID
		}
	}
	sp := &relais.Space{Name: "Atelier Qualité", Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
		JoinPolicy: relais.JoinOpen, Flow: relais.AboveTheFlow, SponsorUnitID: produit, CreatedAt: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)}
	must(st.CreateSpace(ctx, sp, &relais.Charter{Objective: "o", Rules: "r", Autonomy: "a", ExpectedActions: "e"}, e.users["claire"]))
	must(st.AddSteward(ctx, sp.ID, e.users["samir"]))
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	base := start.AddDate(0, 0, 9)
	c := &reportCorpus{space: sp.ID, from: "2025-03-01", to: "2025-03-31"}
	for _, j := range []struct {
		login, source string
		at            time.Time
	}{{"paul", relais.SourceOpen, base.Add(time.Hour)}, {"marc", relais.SourceInvitation, base.Add(2 * time.Hour)},
		{"lea", relais.SourceOpen, start.AddDate(0, 0, -5)}} {
		must(st.Join(ctx, &relais.Membership{SpaceID: sp.ID, UserID: e.users[j.login], CharterVersion: 1, JoinedAt: j.at, Source: j.source}))
	}
	post := func(login string, at time.Time, status relais.PostStatus) int64 {
		t.Helper()
		p := &relais.Post{SpaceID: sp.ID, AuthorID: e.users[login], Kind: relais.KindProblem, Title: "Fil de " + login, Body: "b", Status: status, CreatedAt: at}
		must(st.CreatePost(ctx, p))
		return p.ID
	}
	reply := func(postID int64, login string, at time.Time) {
		t.Helper()
		must(st.CreateReply(ctx, &relais.Reply{PostID: postID, AuthorID: e.users[login], Body: "r", Status: relais.StatusPublished, CreatedAt: at}, sp.ID))
	}
	t1, t2, t3 := base.AddDate(0, 0, 1), base.AddDate(0, 0, 2), base.AddDate(0, 0, 3)
	c.p1 = post("paul", t1, relais.StatusPublished)
	reply(c.p1, "paul", t1.Add(5*time.Minute))
	reply(c.p1, "marc", t1.Add(30*time.Minute))
	reply(c.p1, "samir", t1.Add(2*time.Hour))
	c.p2 = post("marc", t2, relais.StatusPublished)
	reply(c.p2, "paul", t2.Add(90*time.Minute))
	c.p3 = post("paul", t3, relais.StatusPublished)
	post("lea", t3, relais.StatusPendingApproval)
	p5 := post("paul", start.Add(-time.Hour), relais.StatusPublished)
	reply(p5, "marc", start.Add(time.Hour))
	g1 := &relais.Signal{SpaceID: sp.ID, PostID: c.p1, RaisedBy: e.users["samir"], OwnerID: e.users["victor"], Summary: "Export des contrôles qualité", CreatedAt: t1.Add(3 * time.Hour)}
	must(st.CreateSignal(ctx, g1, 0))
	g2 := &relais.Signal{SpaceID: sp.ID, PostID: c.p2, RaisedBy: e.users["samir"], UnitID: produit, Summary: "Gabarits de contrôle", CreatedAt: t2.Add(time.Hour)}
	must(st.CreateSignal(ctx, g2, 0))
	must(st.DecideSignal(ctx, g1.ID, e.users["victor"], relais.SignalAccepted, "Livré au prochain sprint."))
	c.s1, c.s2 = g1.ID, g2.ID
	return c
}

// widen brings two more people into March: nadia joins openly and
// replies to P3, lea (a member since February) replies to it too. Active:
// paul, marc, samir, nadia, lea (5); replies: 7 by 5 people; threads still
// 3 by 2 people.
func (c *reportCorpus) widen(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2025, 3, 13, 9, 0, 0, 0, time.UTC)
	if err := e.st.Join(ctx, &relais.Membership{SpaceID: c.space, UserID: e.users["nadia"], CharterVersion: 1, JoinedAt: at.Add(-time.Hour), Source: relais.SourceOpen}); err != nil {
		t.Fatal(err)
	}
	for i, login := range []string{"nadia", "lea"} {
		if err := e.st.CreateReply(ctx, &relais.Reply{PostID: c.p3, AuthorID: e.users[login], Body: "r", Status: relais.StatusPublished,
			CreatedAt: at.Add(time.Duration(i) * time.Hour)}, c.space); err != nil {
			t.Fatal(err)
		}
	}
}

// declare records the benefits of March: time saved and risk by paul,
// cost avoided by victor.
func (c *reportCorpus) declare(t *testing.T, e *env) {
	t.Helper()
	t2 := time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	for _, b := range []relais.Benefit{
		{PostID: c.p1, UserID: e.users["paul"], Kind: relais.BenefitTimeSaved, Amount: 150, Unit: "hours", CreatedAt: t2},
		{PostID: c.p2, UserID: e.users["paul"], Kind: relais.BenefitRisk, Amount: 300, Unit: "count", CreatedAt: t2},
		{SignalID: c.s1, UserID: e.users["victor"], Kind: relais.BenefitCostAvoided, Amount: 25050, Unit: "EUR", CreatedAt: t2.AddDate(0, 0, 1)},
	} {
		if err := e.st.CreateBenefit(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
	}
}

func (c *reportCorpus) path(query string) string {
	p := "/api/v1/spaces/" + id(c.space) + "/report"
	if query != "" {
		p += "?" + query
	}
	return p
}

func (c *reportCorpus) period() string { return "from=" + c.from + "&to=" + c.to }

// allReportFigures is every figure of a community's report that counts
// people, as suppressed_figures lists them.
var allReportFigures = []string{"new_members", "active_members", "posts", "replies", "answered_threads", "answer_rate",
	"median_first_response_seconds", "funnel.invitations_sent", "funnel.invitations_accepted", "funnel.invitations_declined",
	"funnel.requests_filed", "funnel.requests_approved", "funnel.requests_refused", "funnel.joined", "funnel.joined.open",
	"funnel.joined.criteria", "funnel.joined.request", "funnel.joined.invitation", "funnel.joined.other", "funnel.removed",
	"benefits.time_saved", "benefits.cost_avoided", "benefits.revenue", "benefits.quality", "benefits.risk"}

// checkSchema checks a report against the document's schema.
func checkSchema(t *testing.T, e *env, r map[string]any) {
	t.Helper()
	var doc map[string]any
	e.anon().get(t, "/api/openapi.json").decode(t, &doc)
	schemas, _ := dig(doc, "components", "schemas").(map[string]any)
	for _, problem := range conforms(schemas, dig(doc, "paths", "/api/v1/spaces/{id}/report", "get", "responses", "200", "content", "application/json", "schema"), any(r), "$") {
		t.Errorf("report: %s", problem)
	}
}

func TestReportAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		c := newReportCorpus(t, e)
		c.declare(t, e)
		e.as(t, "samir").put(t, c.path("")+"/narrative", map[string]string{"period": reportMonth, "narrative": "=SUM(A1) : un mois actif."}).wantStatus(t, 200)

		// At the default threshold, 5, every figure that counts people is
		// null, listed, and the same whether asked as month or from..to.
		var r map[string]any
		byMonth := e.as(t, "samir").get(t, c.path("month="+reportMonth)).wantStatus(t, 200)
		byMonth.decode(t, &r)
		byDays := e.as(t, "samir").get(t, c.path(c.period())).wantStatus(t, 200)
		if a, b := generatedAt.ReplaceAllString(string(byMonth.Body), ""), generatedAt.ReplaceAllString(string(byDays.Body), ""); a != b {
			t.Errorf("month=%s and %s differ:\n%s\n%s", reportMonth, c.period(), a, b)
		}
		for k, want := range map[string]any{
			"space_name": "Atelier Qualité", "space_kind": "community", "month": reportMonth, "from": c.from, "to": c.to, "complete": true, "k": 5.0,
			"new_members": nil, "active_members": nil, "posts": nil, "replies": nil, "answered_threads": nil,
			"answer_rate": nil, "median_first_response_seconds": nil, "signals_raised": 2.0, "signals_decided": 0.0, "suppressed": true,
		} {
			if v, ok := r[k]; !ok || v != want {
				t.Errorf("k=5: %s = %v, want %v", k, r[k], want)
			}
		}
		if got, want := compact(r["suppressed_figures"]), compact(allReportFigures); got != want {
			t.Errorf("suppressed_figures %s, want %s", got, want)
		}
		if got := compact(dig(r, "funnel")); got != `{"invitations_accepted":null,"invitations_declined":null,"invitations_sent":null,"joined":null,`+
			`"joined_by_source":{"criteria":null,"invitation":null,"open":null,"other":null,"request":null},"removed":null,"requests_approved":null,`+
			`"requests_filed":null,"requests_refused":null}` {
			t.Errorf("funnel %s", got)
		}
		if got := compact(r["benefits"]); got != `[{"amount":null,"count":null,"kind":"time_saved","suppressed":true,"unit":"hours"},`+
			`{"amount":null,"count":null,"kind":"cost_avoided","suppressed":true,"unit":"EUR"},{"amount":null,"count":null,"kind":"revenue","suppressed":true,"unit":"EUR"},`+
			`{"amount":null,"count":null,"kind":"quality","suppressed":true,"unit":"count"},{"amount":null,"count":null,"kind":"risk","suppressed":true,"unit":"count"}]` {
			t.Errorf("benefits %s", got)
		}
		if ns, _ := r["narratives"].([]any); len(ns) != 1 || dig(ns[0], "narrative") != "=SUM(A1) : un mois actif." {
			t.Errorf("narratives %v", r["narratives"])
		}
		checkSchema(t, e, r)

		// With five people behind them, the active members and the replies
		// show at 5; the threads, by 2 people, stay hidden.
		c.widen(t, e)
		r = nil
		e.as(t, "victor").get(t, c.path("month="+reportMonth)).wantStatus(t, 200).decode(t, &r)
		for k, want := range map[string]any{"k": 5.0, "active_members": 5.0, "replies": 7.0, "posts": nil, "answered_threads": nil,
			"answer_rate": nil, "median_first_response_seconds": nil, "new_members": nil, "suppressed": true} {
			if v, ok := r[k]; !ok || v != want {
				t.Errorf("k=5, widened: %s = %v, want %v", k, r[k], want)
			}
		}
		if got := compact(r["suppressed_figures"]); strings.Contains(got, `"replies"`) || strings.Contains(got, `"active_members"`) || !strings.Contains(got, `"posts"`) {
			t.Errorf("k=5, widened: suppressed_figures %s", got)
		}
		checkSchema(t, e, r)

		// The current month withholds its figures and shows its decisions.
		current := time.Now().UTC().Format("2006-01")
		r = nil
		e.as(t, "samir").get(t, c.path("month="+current)).wantStatus(t, 200).decode(t, &r)
		if r["complete"] != false || r["active_members"] != nil || r["suppressed"] != true || compact(r["suppressed_figures"]) != compact(allReportFigures) {
			t.Errorf("current month: %s", compact(r))
		}
		ds, _ := r["decisions"].([]any)
		if len(ds) != 1 || dig(ds[0], "signal_id") != float64(c.s1) || dig(ds[0], "status") != "accepted" ||
			dig(ds[0], "decision") != "Livré au prochain sprint." || dig(ds[0], "owner_name") != "Victor Lemaire" || r["signals_decided"] != 1.0 {
			t.Errorf("decisions %s", compact(ds))
		}
		checkSchema(t, e, r)

		// Who reads it.
		for login, want := range map[string]struct {
			status int
			rule   string
		}{
			"samir": {200, ""}, "claire": {200, ""}, "victor": {200, ""},
			"paul": {403, policy.RuleReportReaders}, "lea": {403, policy.RuleReportReaders},
			// To externals, the internal community does not exist.
			"xavier": {404, ""}, "olivia": {404, ""},
		} {
			resp := e.as(t, login).get(t, c.path(c.period()))
			if want.status == 200 {
				resp.wantStatus(t, 200)
			} else {
				resp.wantError(t, want.status, want.rule)
			}
		}
		clients := "/api/v1/spaces/" + id(e.spaces[clientsPro]) + "/report"
		e.as(t, "xavier").get(t, clients).wantError(t, 403, policy.RuleReportReaders)
		e.as(t, "olivia").get(t, clients).wantStatus(t, 200)
		e.as(t, "nadia").get(t, clients).wantStatus(t, 200) // head of Ventes, its sponsor
		support := "/api/v1/spaces/" + id(e.spaces[supportLyon]) + "/report"
		// The manager of a team of two never sees a member's activity.
		var team map[string]any
		e.as(t, "marc").get(t, support).wantStatus(t, 200).decode(t, &team)
		if team["funnel"] != nil || team["new_members"] != nil || team["active_members"] != nil || team["posts"] != nil || team["replies"] != nil ||
			strings.Contains(compact(team["suppressed_figures"]), "new_members") || !strings.Contains(compact(team["suppressed_figures"]), `"posts"`) {
			t.Errorf("team report %s", compact(team))
		}
		checkSchema(t, e, team)
		e.as(t, "paul").get(t, support).wantError(t, 403, policy.RuleReportReaders)
		e.as(t, "claire").get(t, support).wantUnseen(t)
		e.as(t, "claire").get(t, "/api/v1/spaces/999999/report").wantError(t, 404, "")

		// Periods: the default is the last closed month; period is month's
		// older name.
		var def map[string]any
		e.as(t, "claire").get(t, c.path("")).wantStatus(t, 200).decode(t, &def)
		last := relais.LastFullMonth(time.Now())
		if def["from"] != last.From.Format(time.DateOnly) || def["to"] != last.To.Format(time.DateOnly) || def["month"] != last.Month() || def["complete"] != true {
			t.Errorf("default period %v..%v, want the last full month %v", def["from"], def["to"], last)
		}
		var feb map[string]any
		e.as(t, "claire").get(t, c.path("period=2024-02")).wantStatus(t, 200).decode(t, &feb)
		if feb["from"] != "2024-02-01" || feb["to"] != "2024-02-29" || feb["posts"] != nil || feb["answer_rate"] != nil || feb["median_first_response_seconds"] != nil {
			t.Errorf("February 2024: %v", feb)
		}
		e.as(t, "claire").get(t, c.path("from=2024-02-01&to=2024-02-29")).wantStatus(t, 200)
		next := relais.MonthPeriod(relais.MonthPeriod(time.Now()).End())
		for _, q := range []string{"from=2024-02-01&to=2024-01-31", "from=2024-01-01&to=2024-12-31", "from=2024-01-01&to=2024-01-15",
			"from=2024-01-15&to=2024-02-14", "from=2024-02-01&to=2024-02-28", "from=2024-01-01", "to=2024-01-01",
			"month=2024-01&from=2024-01-01", "month=2024-01&period=2024-01", "period=2024-01&to=2024-01-31", "month=2024-1",
			"month=2024-13", "month=janvier", "month=1999-12", "month=" + next.Month(), "from=" + next.From.Format(time.DateOnly) + "&to=" + next.To.Format(time.DateOnly),
			"from=2024-02-30&to=2024-03-01", "from=01/02/2024&to=2024-03-01", "format=xml", "week=3"} {
			en := e.as(t, "samir").in("en").get(t, c.path(q)).wantError(t, 400, "")
			fr := e.as(t, "samir").in("fr").get(t, c.path(q)).wantError(t, 400, "")
			if q != "week=3" && en.Error != nil && fr.Error != nil && en.Error.Message == fr.Error.Message {
				t.Errorf("%s: the same message in French and English: %q", q, en.Error.Message)
			}
			if q != "week=3" && q != "format=xml" && fr.Error != nil && !strings.Contains(fr.Error.Message, "mois") {
				t.Errorf("%s: the message does not speak of months: %q", q, fr.Error.Message)
			}
		}
		rev := e.as(t, "samir").in("fr").get(t, c.path("from=2024-02-01&to=2024-01-31")).wantError(t, 400, "")
		if rev.Error != nil && (rev.Error.Field != "to" || !strings.Contains(rev.Error.Message, "avant") || !strings.Contains(rev.Error.Message, "month=AAAA-MM")) {
			t.Errorf("reversed dates: %+v", rev.Error)
		}
		free := e.as(t, "samir").in("en").get(t, c.path("from=2024-01-01&to=2024-01-15")).wantError(t, 400, "")
		if free.Error != nil && (free.Error.Field != "to" || !strings.Contains(free.Error.Message, "one calendar month") ||
			!strings.Contains(free.Error.Message, "from=2026-03-01&to=2026-03-31")) {
			t.Errorf("free range: %+v", free.Error)
		}
	})
}

func TestReportCSV(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		c := newReportCorpus(t, e)
		c.declare(t, e)
		c.widen(t, e)
		e.as(t, "samir").put(t, c.path("")+"/narrative", map[string]string{"period": reportMonth,
			"narrative": "=HYPERLINK(\"x\")\nSecond paragraphe, avec « guillemets »."}).wantStatus(t, 200)
		read := func(path string) map[string][2]string {
			t.Helper()
			resp := e.as(t, "victor").get(t, path).wantStatus(t, 200)
			if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			rows, err := csv.NewReader(bytes.NewReader(resp.Body)).ReadAll()
			if err != nil {
				t.Fatalf("CSV: %v\n%s", err, resp.Body)
			}
			if len(rows) == 0 || strings.Join(rows[0], ",") != "figure,value,suppressed" {
				t.Fatalf("header %v", rows)
			}
			got := map[string][2]string{}
			for _, row := range rows[1:] {
				if len(row) != 3 {
					t.Errorf("row %v", row)
					continue
				}
				if _, dup := got[row[0]]; dup {
					t.Errorf("figure %s twice", row[0])
				}
				got[row[0]] = [2]string{row[1], row[2]}
			}
			return got
		}
		for _, path := range []string{"/api/v1/spaces/" + id(c.space) + "/report.csv?" + c.period(), c.path("month=" + reportMonth + "&format=csv")} {
			resp := e.as(t, "victor").get(t, path).wantStatus(t, 200)
			want := `attachment; filename="relais-report-` + id(c.space) + "-" + reportMonth + `.csv"`
			if cd := resp.Header.Get("Content-Disposition"); cd != want {
				t.Errorf("Content-Disposition %q, want %q", cd, want)
			}
			got := read(path)
			for k, v := range map[string][2]string{
				"space": {"Atelier Qualité", "false"}, "month": {reportMonth, "false"}, "from": {c.from, "false"}, "to": {c.to, "false"},
				"complete": {"true", "false"}, "k": {"5", "false"},
				"new_members": {"", "true"}, "active_members": {"5", "false"}, "posts": {"", "true"}, "replies": {"7", "false"},
				"answered_threads": {"", "true"}, "answer_rate": {"", "true"}, "median_first_response_seconds": {"", "true"},
				"funnel.joined": {"", "true"}, "funnel.joined.open": {"", "true"}, "funnel.joined.invitation": {"", "true"}, "funnel.removed": {"", "true"},
				"signals_raised": {"2", "false"}, "signals_decided": {"0", "false"},
				"benefits.risk.count": {"", "true"}, "benefits.risk.declarations": {"", "true"}, "benefits.time_saved.hours": {"", "true"},
				"benefits.revenue.EUR":     {"", "true"},
				"narrative." + reportMonth: {"'=HYPERLINK(\"x\")\nSecond paragraphe, avec « guillemets ».", "false"},
			} {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		}
		// The decisions of today are in the current month's export, whose
		// figures are withheld.
		got := read(c.path("format=csv&month=" + time.Now().UTC().Format("2006-01")))
		dec := "decision." + id(c.s1) + "."
		for k, v := range map[string][2]string{"complete": {"false", "false"}, "active_members": {"", "true"}, "replies": {"", "true"},
			dec + "status": {"accepted", "false"}, dec + "decision": {"Livré au prochain sprint.", "false"}, dec + "owner": {"Victor Lemaire", "false"},
			dec + "summary": {"Export des contrôles qualité", "false"}} {
			if got[k] != v {
				t.Errorf("current month: %s = %q, want %q", k, got[k], v)
			}
		}
		if _, err := time.Parse(time.RFC3339, got[dec+"decided_at"][0]); err != nil {
			t.Errorf("decided_at %q", got[dec+"decided_at"])
		}
		// Refusals stay JSON errors.
		e.as(t, "paul").get(t, "/api/v1/spaces/"+id(c.space)+"/report.csv").wantError(t, 403, policy.RuleReportReaders)
		e.as(t, "victor").get(t, "/api/v1/spaces/"+id(c.space)+"/report.csv?from=2024-02-01&to=2024-01-01").wantError(t, 400, "")
		e.as(t, "victor").get(t, "/api/v1/spaces/"+id(c.space)+"/report.csv?from=2024-01-01&to=2024-01-30").wantError(t, 400, "")
		e.as(t, "victor").get(t, "/api/v1/spaces/"+id(c.space)+"/report.csv?format=csv").wantError(t, 400, "")
	})
}

func TestReportNarrativeAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		c := newReportCorpus(t, e)
		path := c.path("") + "/narrative"
		month := time.Now().UTC().Format("2006-01")
		var n map[string]any
		e.as(t, "samir").put(t, path, map[string]string{"period": month, "narrative": " Deux signaux, une décision. "}).wantStatus(t, 200).decode(t, &n)
		if n["narrative"] != "Deux signaux, une décision." || n["period"] != month || n["author_name"] != "Samir Benali" || n["space_id"] != float64(c.space) {
			t.Errorf("narrative %v", n)
		}
		for login, want := range map[string]struct {
			status int
			rule   string
		}{"claire": {403, policy.RuleReportNarrators}, "victor": {403, policy.RuleReportNarrators}, "paul": {403, policy.RuleReportNarrators},
			"xavier": {404, ""}} {
			e.as(t, login).put(t, path, map[string]string{"period": month, "narrative": "x"}).wantError(t, want.status, want.rule)
		}
		en := e.as(t, "claire").in("en").put(t, path, map[string]string{"period": month, "narrative": "x"}).wantError(t, 403, "")
		fr := e.as(t, "claire").in("fr").put(t, path, map[string]string{"period": month, "narrative": "x"}).wantError(t, 403, "")
		if en.Error != nil && fr.Error != nil && (en.Error.Message == fr.Error.Message || !strings.Contains(en.Error.Message, "narrative")) {
			t.Errorf("messages %q / %q", en.Error.Message, fr.Error.Message)
		}
		future := time.Now().UTC().AddDate(0, 2, 0).Format("2006-01")
		for _, bc := range []struct {
			body   string
			status int
		}{
			{`{"period":"` + future + `","narrative":"x"}`, 422},
			{`{"period":"2024-13","narrative":"x"}`, 400},
			{`{"period":"janvier","narrative":"x"}`, 400},
			{`{"narrative":"x"}`, 400},
			{`{"period":"2024-01"}`, 400},
			{`{"period":"2024-01","narrative":5}`, 400},
			{`{"period":"2024-01","narrative":"x","extra":1}`, 400},
			{`{"period":"2024-01","narrative":"` + strings.Repeat("a", relais.MaxNarrative+1) + `"}`, 400},
		} {
			e.as(t, "samir").put(t, path, bc.body).wantError(t, bc.status, "")
		}
		e.as(t, "marc").put(t, "/api/v1/spaces/"+id(e.spaces[supportLyon])+"/report/narrative", map[string]string{"period": "2024-01", "narrative": "Bon mois."}).wantStatus(t, 200)
		e.as(t, "paul").put(t, "/api/v1/spaces/"+id(e.spaces[supportLyon])+"/report/narrative", map[string]string{"period": "2024-01", "narrative": "x"}).wantError(t, 403, policy.RuleReportNarrators)

		// The report of the month shows it; an empty text removes it.
		var r map[string]any
		e.as(t, "victor").get(t, c.path("period="+month)).wantStatus(t, 200).decode(t, &r)
		if ns, _ := r["narratives"].([]any); len(ns) != 1 || dig(ns[0], "narrative") != "Deux signaux, une décision." {
			t.Errorf("narratives %v", r["narratives"])
		}
		e.as(t, "samir").put(t, path, map[string]string{"period": month, "narrative": ""}).wantStatus(t, 200)
		e.as(t, "victor").get(t, c.path("period="+month)).wantStatus(t, 200).decode(t, &r)
		if ns, _ := r["narratives"].([]any); len(ns) != 0 {
			t.Errorf("narratives after removal %v", r["narratives"])
		}
	})
}

func TestBenefitsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		c := newReportCorpus(t, e)
		paul := e.as(t, "paul")
		var b map[string]any
		paul.post(t, "/api/v1/benefits", map[string]any{"post_id": c.p1, "kind": "time_saved", "amount": 0.75, "note": "  réponse trouvée  "}).wantStatus(t, 201).decode(t, &b)
		if b["amount"] != 0.75 || b["unit"] != "hours" || b["kind"] != "time_saved" || b["space_id"] != float64(c.space) ||
			b["post_id"] != float64(c.p1) || b["note"] != "réponse trouvée" || b["user_id"] != float64(e.users["paul"]) {
			t.Errorf("benefit %v", b)
		}
		paul.post(t, "/api/v1/benefits", `{"post_id":`+id(c.p1)+`,"kind":"time_saved","amount":0.25,"unit":"hours"}`).wantStatus(t, 201)
		paul.post(t, "/api/v1/benefits", `{"signal_id":`+id(c.s2)+`,"kind":"revenue","amount":1000000000,"unit":"EUR"}`).wantStatus(t, 201)
		paul.post(t, "/api/v1/benefits", `{"post_id":`+id(c.p2)+`,"kind":"quality","amount":2}`).wantStatus(t, 201)
		e.as(t, "victor").post(t, "/api/v1/benefits", `{"signal_id":`+id(c.s2)+`,"kind":"risk","amount":1}`).wantStatus(t, 201) // head of the unit

		p1 := id(c.p1)
		for _, bc := range []struct {
			name, as, body string
			status         int
			field          string
		}{
			{"unknown kind", "paul", `{"post_id":` + p1 + `,"kind":"bonheur","amount":1}`, 400, "kind"},
			{"no kind", "paul", `{"post_id":` + p1 + `,"amount":1}`, 400, "kind"},
			{"no amount", "paul", `{"post_id":` + p1 + `,"kind":"risk"}`, 400, "amount"},
			{"no target", "paul", `{"kind":"risk","amount":1}`, 400, "post_id"},
			{"two targets", "paul", `{"post_id":` + p1 + `,"signal_id":` + id(c.s1) + `,"kind":"risk","amount":1}`, 400, "post_id"},
			{"negative id", "paul", `{"post_id":-4,"kind":"risk","amount":1}`, 400, "post_id"},
			{"wrong unit", "paul", `{"post_id":` + p1 + `,"kind":"time_saved","amount":1,"unit":"EUR"}`, 422, "unit"},
			{"unknown unit", "paul", `{"post_id":` + p1 + `,"kind":"revenue","amount":1,"unit":"USD"}`, 422, "unit"},
			{"zero", "paul", `{"post_id":` + p1 + `,"kind":"revenue","amount":0}`, 422, "amount"},
			{"negative", "paul", `{"post_id":` + p1 + `,"kind":"revenue","amount":-10}`, 422, "amount"},
			{"too much", "paul", `{"post_id":` + p1 + `,"kind":"revenue","amount":1000000000.5}`, 422, "amount"},
			{"three decimals", "paul", `{"post_id":` + p1 + `,"kind":"revenue","amount":0.001}`, 400, "amount"},
			{"half an incident", "paul", `{"post_id":` + p1 + `,"kind":"risk","amount":1.5}`, 422, "amount"},
			{"amount as text", "paul", `{"post_id":` + p1 + `,"kind":"risk","amount":"beaucoup"}`, 400, ""},
			{"amount as bool", "paul", `{"post_id":` + p1 + `,"kind":"risk","amount":true}`, 400, ""},
			{"long note", "paul", `{"post_id":` + p1 + `,"kind":"risk","amount":1,"note":"` + strings.Repeat("n", relais.MaxNote+1) + `"}`, 400, "note"},
			{"unknown field", "paul", `{"post_id":` + p1 + `,"kind":"risk","amount":1,"currency":"EUR"}`, 400, "currency"},
			{"unknown post", "paul", `{"post_id":999999,"kind":"risk","amount":1}`, 404, ""},
			{"unknown signal", "paul", `{"signal_id":999999,"kind":"risk","amount":1}`, 404, "signal_id"},
			{"a signal one cannot see", "admin", `{"signal_id":` + id(c.s1) + `,"kind":"risk","amount":1}`, 404, "signal_id"},
			{"a post one cannot read", "admin", `{"post_id":` + p1 + `,"kind":"risk","amount":1}`, 404, ""},
			{"external, internal community", "xavier", `{"post_id":` + p1 + `,"kind":"risk","amount":1}`, 404, ""},
		} {
			t.Run(bc.name, func(t *testing.T) {
				en := e.as(t, bc.as).in("en").post(t, "/api/v1/benefits", bc.body).wantError(t, bc.status, "")
				if en.Error != nil && bc.field != "" && en.Error.Field != bc.field {
					t.Errorf("field %q, want %q", en.Error.Field, bc.field)
				}
				if bc.status == 400 || bc.status == 422 {
					fr := e.as(t, bc.as).in("fr").post(t, "/api/v1/benefits", bc.body).wantError(t, bc.status, "")
					if en.Error != nil && fr.Error != nil && en.Error.Message == fr.Error.Message {
						t.Errorf("the same message in French and English: %q", en.Error.Message)
					}
				}
			})
		}
		unit := e.as(t, "paul").in("fr").post(t, "/api/v1/benefits", `{"post_id":`+p1+`,"kind":"time_saved","amount":1,"unit":"EUR"}`).wantError(t, 422, "")
		if unit.Error != nil && !strings.Contains(unit.Error.Message, "hours") {
			t.Errorf("unit message %q", unit.Error.Message)
		}

		// paul's own ledger, with the totals of every entry.
		var mine struct {
			Benefits []map[string]any `json:"benefits"`
			Totals   []map[string]any `json:"totals"`
		}
		paul.get(t, "/api/v1/me/benefits?limit=2").wantStatus(t, 200).decode(t, &mine)
		if len(mine.Benefits) != 2 || mine.Benefits[0]["kind"] != "quality" {
			t.Errorf("page %v", mine.Benefits)
		}
		if got := compact(mine.Totals); got != `[{"amount":1,"count":2,"kind":"time_saved","unit":"hours"},{"amount":1000000000,"count":1,"kind":"revenue","unit":"EUR"},{"amount":2,"count":1,"kind":"quality","unit":"count"}]` {
			t.Errorf("totals %s", got)
		}
		before := fmt.Sprint(mine.Benefits[1]["id"])
		paul.get(t, "/api/v1/me/benefits?before="+before).wantStatus(t, 200).decode(t, &mine)
		if len(mine.Benefits) != 2 {
			t.Errorf("next page %v", mine.Benefits)
		}
		var lea map[string]any
		e.as(t, "lea").get(t, "/api/v1/me/benefits").wantStatus(t, 200).decode(t, &lea)
		if compact(lea) != `{"benefits":[],"totals":[]}` {
			t.Errorf("lea's ledger %s", compact(lea))
		}
		paul.get(t, "/api/v1/me/benefits?limit=0").wantError(t, 400, "")
		paul.get(t, "/api/v1/me/benefits?user=2").wantError(t, 400, "")
	})
}

// TestMonthlyDeliveryAPI delivers last month's reports from many callers
// at once, then reads the notifications through the API: one each for the
// community manager and the sponsor.
func TestMonthlyDeliveryAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		c := newReportCorpus(t, e)
		feb := time.Date(2024, 2, 1, 0, 0, 1, 0, time.UTC)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := e.svc.DeliverMonthlyReports(context.Background(), feb)
				if err != nil {
					t.Errorf("delivery: %v", err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}()
		}
		wg.Wait()
		if n, err := e.svc.DeliverMonthlyReports(context.Background(), feb.AddDate(0, 0, 5)); err != nil || total+n != 1 {
			t.Errorf("%d deliveries, then %d, %v: want exactly one", total, n, err)
		}
		for login, want := range map[string]int{"claire": 1, "victor": 1, "samir": 0, "paul": 0} {
			var out struct {
				Notifications []map[string]any `json:"notifications"`
			}
			e.as(t, login).get(t, "/api/v1/notifications?limit=100").wantStatus(t, 200).decode(t, &out)
			got := 0
			for _, n := range out.Notifications {
				if n["kind"] == relais.NotifyReport {
					got++
					if n["subject_id"] != float64(c.space) || n["space_id"] != float64(c.space) || n["detail"] != "2024-01" || n["space_name"] != "Atelier Qualité" {
						t.Errorf("%s: notification %v", login, n)
					}
				}
			}
			if got != want {
				t.Errorf("%s has %d report notifications, want %d", login, got, want)
			}
		}
		// The notification leads to the report of the month.
		e.as(t, "victor").get(t, c.path("period=2024-01")).wantStatus(t, 200)
	})
}

// compact writes v as JSON, whole (jsonText truncates).
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// TestReportReidentification is an attacker with every report request the
// readers of two spaces can make: the steward, the sponsor and the
// community manager; both spaces of the analytics corpus (newAnaOrg), the
// month where the target, p7, acts, the month before and the current one;
// asked as month, period or from..to; JSON and CSV; and the monthly
// e-mails. p7 acts only where fewer than k people act; in two worlds
// where p7 acts differently (one thread and one reply, or six threads and
// four replies), every answer must be byte for byte the same.
func TestReportReidentification(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			var answers [2]map[string]string
			var donnees int64
			var m1, m2 relais.Month
			for i := range answers {
				e := newEnv(t, engine)
				o := newAnaOrg(t, e, i+1)
				donnees, m1, m2 = o.donnees, o.m1, o.m2
				answers[i] = map[string]string{}
				current := relais.MonthOf(time.Now())
				for _, login := range []string{"samir", "victor", "claire"} {
					for _, space := range []int64{o.donnees, o.methodes} {
						for _, m := range []relais.Month{o.m1, o.m2, current} {
							last := m.End().AddDate(0, 0, -1).Format(time.DateOnly)
							for _, q := range []string{"month=" + m.String(), "period=" + m.String(),
								"from=" + m.Start().Format(time.DateOnly) + "&to=" + last} {
								for _, format := range []string{"json", "csv"} {
									key := login + " /api/v1/spaces/" + id(space) + "/report?" + q + "&format=" + format
									r := e.as(t, login).get(t, "/api/v1/spaces/"+id(space)+"/report?"+q+"&format="+format).wantStatus(t, 200)
									answers[i][key] = generatedAt.ReplaceAllString(string(r.Body), "")
								}
							}
						}
						// Free ranges that would isolate the days p7 acted
						// are refused, whoever asks.
						day := o.m1.Start().AddDate(0, 0, 4).Format(time.DateOnly)
						e.as(t, login).get(t, "/api/v1/spaces/"+id(space)+"/report?from="+day+"&to="+day).wantError(t, 400, "")
					}
				}
				// The monthly delivery of m1 (the last closed month), in the
				// app and by e-mail.
				e.svc.Mailer = &app.Mailer{Addr: "127.0.0.1:1", Host: "localhost", From: &mail.Address{Address: "relais@relais.example"}}
				if _, err := e.svc.DeliverMonthlyReports(context.Background(), time.Now()); err != nil {
					t.Fatal(err)
				}
				mails, err := e.st.Emails(context.Background(), 500)
				if err != nil {
					t.Fatal(err)
				}
				var bodies []string
				for _, m := range mails {
					if strings.Contains(m.Subject, "Atelier") {
						bodies = append(bodies, m.To+"\n"+m.Subject+"\n"+m.Body)
					}
				}
				if len(bodies) == 0 {
					t.Fatal("no monthly e-mail about the Ateliers")
				}
				slices.Sort(bodies)
				answers[i]["monthly e-mails"] = strings.Join(bodies, "\n----\n")
			}
			if len(answers[0]) != len(answers[1]) {
				t.Fatalf("%d answers, then %d", len(answers[0]), len(answers[1]))
			}
			for key, a := range answers[0] {
				if b := answers[1][key]; a != b {
					t.Errorf("%s differs with what p7 did:\n world 1: %.800s\n world 2: %.800s", key, a, b)
				}
			}
			// Not a vacuous sameness: the month before, made by seven
			// people, shows its figures; the month p7 acts in does not.
			for m, want := range map[relais.Month]string{m2: `"posts":6,"replies":6`, m1: `"posts":null,"replies":null`} {
				key := "samir /api/v1/spaces/" + id(donnees) + "/report?month=" + m.String() + "&format=json"
				if !strings.Contains(answers[0][key], want) {
					t.Errorf("%s lacks %s: %.600s", key, want, answers[0][key])
				}
			}
		})
	}
}
