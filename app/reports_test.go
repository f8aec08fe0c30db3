package app_test

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/policy"
	"relais/store"
)

// reportFixture is the demo organization plus a community, "Atelier
// Qualité" (sponsored by the unit Produit, whose head is victor; steward
// samir), holding a known corpus around base: every figure of its report
// over [start, end) is known.
type reportFixture struct {
	ctx        context.Context
	st         *store.Store
	svc        *app.Service
	users      map[string]*relais.User
	space      *relais.Space
	start, end time.Time // the period: from start's day to the day before end, included
	base       time.Time
	posts      map[string]int64
	signals    map[string]int64
}

func (f *reportFixture) u(login string) *relais.User { return f.users[login] }

// newReportFixture builds the corpus through the store, with explicit
// times:
//
//	members: paul, marc, nadia (open) and victor (invitation) join in the
//	  period; nadia is then removed; lea joined 40 days before.
//	P1 paul (base+1d): replies paul (self, +10 min), marc (+1 h), samir (+3 h)
//	P2 marc (base+2d): reply paul (+2 h)
//	P3 victor (base+3d): replies victor (self, +5 min), paul (+10 h)
//	P4 paul (base+4d): reply lea pending approval (+30 min), samir (+4 h)
//	P5 samir (base+5d): no reply
//	P6 nadia, pending approval; P7 nadia, hidden, with a reply by claire
//	P8 paul, 1 ms before the period, with a reply by marc in it
//	P9 lea, at the first instant of the period: no reply
//	P10 claire, at the first instant after the period
//	S1 on P1 (to victor) raised in the period, accepted; S2 on P2 (to the
//	  unit Produit) raised in the period, acknowledged only; S3 on P4 (to
//	  victor) raised before the period, rejected.
//
// Threads of the period: P1 P2 P3 P4 P5 P9 (6), answered P1 P2 P3 P4
// after 1 h, 2 h, 10 h, 4 h: median (2 h + 4 h) / 2 = 10 800 s, answer
// rate 4/6. Replies: 3 + 1 + 2 + 1 + 1 (P8) = 8. Active: paul, marc,
// victor, samir, lea.
func newReportFixture(t *testing.T, engine string) *reportFixture {
	t.Helper()
	ctx := context.Background()
	st := testdb.Open(t, engine)
	if err := demo.Load(ctx, st, "pw"); err != nil {
		t.Fatal(err)
	}
	f := &reportFixture{ctx: ctx, st: st, svc: app.New(st, events.NewLocal(), nil), users: map[string]*relais.User{},
		posts: map[string]int64{}, signals: map[string]int64{}}
	for _, a := range demo.Accounts {
		u, err := st.UserByLogin(ctx, a.Login)
		if err != nil {
			t.Fatal(err)
		}
		f.users[a.Login] = u
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	f.start, f.end = today.AddDate(0, 0, -30), today.AddDate(0, 0, 2) // to: tomorrow, included
	f.base = today.AddDate(0, 0, -20)
	var produit int64
	units, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, un := range units {
		if un.Name == "Produit" {
			produit = un.ID
		}
	}
	f.space = &relais.Space{Name: "Atelier Qualité", Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
		JoinPolicy: relais.JoinOpen, Flow: relais.AboveTheFlow, SponsorUnitID: produit,
		CreatedAt: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)}
	if err := st.CreateSpace(ctx, f.space, &relais.Charter{Objective: "o", Rules: "r", Autonomy: "a", ExpectedActions: "e"}, f.u("claire").ID); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.AddSteward(ctx, f.space.ID, f.u("samir").ID))
	join := func(login, source string, at time.Time) {
		t.Helper()
		must(st.Join(ctx, &relais.Membership{SpaceID: f.space.ID, UserID: f.u(login).ID, CharterVersion: 1, JoinedAt: at, Source: source}))
	}
	join("paul", relais.SourceOpen, f.base.Add(time.Hour))
	join("marc", relais.SourceOpen, f.base.Add(2*time.Hour))
	join("victor", relais.SourceInvitation, f.base.Add(3*time.Hour))
	join("nadia", relais.SourceOpen, f.base.Add(4*time.Hour))
	join("lea", relais.SourceOpen, f.base.AddDate(0, 0, -40))
	must(st.RemoveMember(ctx, f.space.ID, f.u("nadia").ID, f.u("samir").ID, "hors sujet"))

	post := func(name, login string, at time.Time, status relais.PostStatus) int64 {
		t.Helper()
		p := &relais.Post{SpaceID: f.space.ID, AuthorID: f.u(login).ID, Kind: relais.KindQuestion, Title: name, Body: "corps de " + name,
			Status: status, CreatedAt: at}
		must(st.CreatePost(ctx, p))
		f.posts[name] = p.ID
		return p.ID
	}
	reply := func(postID int64, login string, at time.Time, status relais.PostStatus) {
		t.Helper()
		must(st.CreateReply(ctx, &relais.Reply{PostID: postID, AuthorID: f.u(login).ID, Body: "réponse", Status: status, CreatedAt: at}, f.space.ID))
	}
	day := 24 * time.Hour
	pub := relais.StatusPublished
	t1 := f.base.Add(day)
	p1 := post("P1", "paul", t1, pub)
	reply(p1, "paul", t1.Add(10*time.Minute), pub)
	reply(p1, "marc", t1.Add(time.Hour), pub)
	reply(p1, "samir", t1.Add(3*time.Hour), pub)
	t2 := f.base.Add(2 * day)
	p2 := post("P2", "marc", t2, pub)
	reply(p2, "paul", t2.Add(2*time.Hour), pub)
	t3 := f.base.Add(3 * day)
	p3 := post("P3", "victor", t3, pub)
	reply(p3, "victor", t3.Add(5*time.Minute), pub)
	reply(p3, "paul", t3.Add(10*time.Hour), pub)
	t4 := f.base.Add(4 * day)
	p4 := post("P4", "paul", t4, pub)
	reply(p4, "lea", t4.Add(30*time.Minute), relais.StatusPendingApproval)
	reply(p4, "samir", t4.Add(4*time.Hour), pub)
	post("P5", "samir", f.base.Add(5*day), pub)
	post("P6", "nadia", f.base.Add(6*day), relais.StatusPendingApproval)
	p7 := post("P7", "nadia", f.base.Add(6*day), relais.StatusHidden)
	reply(p7, "claire", f.base.Add(6*day+time.Hour), pub)
	p8 := post("P8", "paul", f.start.Add(-time.Millisecond), pub)
	reply(p8, "marc", f.start.Add(time.Hour), pub)
	post("P9", "lea", f.start, pub)
	post("P10", "claire", f.end, pub)

	signal := func(name string, postID int64, owner string, unit int64, at time.Time) int64 {
		t.Helper()
		g := &relais.Signal{SpaceID: f.space.ID, PostID: postID, RaisedBy: f.u("samir").ID, Summary: "Signal " + name, UnitID: unit, CreatedAt: at}
		if owner != "" {
			g.OwnerID = f.u(owner).ID
		}
		must(st.CreateSignal(ctx, g, 0))
		f.signals[name] = g.ID
		return g.ID
	}
	s1 := signal("S1", p1, "victor", 0, t1.Add(5*time.Hour))
	s2 := signal("S2", p2, "", produit, t2.Add(time.Hour))
	s3 := signal("S3", p4, "victor", 0, f.start.Add(-2*day))
	must(st.DecideSignal(ctx, s1, f.u("victor").ID, relais.SignalAccepted, "Dans la feuille de route du T3."))
	must(st.DecideSignal(ctx, s2, f.u("victor").ID, relais.SignalAcknowledged, "Vu."))
	must(st.DecideSignal(ctx, s3, f.u("victor").ID, relais.SignalRejected, "Hors périmètre."))
	return f
}

func (f *reportFixture) report(t *testing.T, login string) (*relais.Report, error) {
	t.Helper()
	return f.svc.Report(f.ctx, f.u(login), f.space.ID, f.start, f.end.AddDate(0, 0, -1))
}

func TestReportFigures(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newReportFixture(t, engine)
			ctx := f.ctx
			// Benefits: three in the space during the period, one before it
			// (recorded at a given time), one in another space.
			declare := func(login string, in relais.NewBenefit) *relais.Benefit {
				t.Helper()
				b, err := f.svc.DeclareBenefit(ctx, f.u(login), in)
				if err != nil {
					t.Fatalf("%s declares %+v: %v", login, in, err)
				}
				return b
			}
			declare("paul", relais.NewBenefit{PostID: f.posts["P1"], Kind: relais.BenefitTimeSaved, Amount: "2.5", Unit: "hours"})
			declare("marc", relais.NewBenefit{PostID: f.posts["P2"], Kind: relais.BenefitTimeSaved, Amount: "1.25"})
			declare("victor", relais.NewBenefit{SignalID: f.signals["S1"], Kind: relais.BenefitCostAvoided, Amount: "1200", Unit: "EUR", Note: "licence évitée"})
			declare("samir", relais.NewBenefit{SignalID: f.signals["S2"], Kind: relais.BenefitRisk, Amount: "2", Unit: "count"})
			if err := f.st.CreateBenefit(ctx, &relais.Benefit{PostID: f.posts["P1"], UserID: f.u("paul").ID, Kind: relais.BenefitQuality,
				Amount: 100, Unit: relais.UnitCount, CreatedAt: f.start.Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
			innovation, err := f.st.SpaceByName(ctx, "Innovation Produits")
			if err != nil {
				t.Fatal(err)
			}
			ps, err := f.st.Posts(ctx, store.PostFilter{SpaceID: innovation.ID, Limit: 1})
			if err != nil || len(ps) == 0 {
				t.Fatalf("Innovation posts: %v %v", ps, err)
			}
			declare("paul", relais.NewBenefit{PostID: ps[0].ID, Kind: relais.BenefitTimeSaved, Amount: "7"})

			r, err := f.report(t, "samir")
			if err != nil {
				t.Fatal(err)
			}
			check := func(name string, got, want any) {
				t.Helper()
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s = %v, want %v", name, got, want)
				}
			}
			check("from", r.From, f.start.Format(time.DateOnly))
			check("to", r.To, f.end.AddDate(0, 0, -1).Format(time.DateOnly))
			check("space", r.SpaceName, "Atelier Qualité")
			check("new_members", r.NewMembers, 4)
			check("active_members", r.ActiveMembers, 5)
			check("posts", r.Posts, 6)
			check("replies", r.Replies, 8)
			check("answered_threads", r.AnsweredThreads, 4)
			check("answer_rate", deref(r.AnswerRate), 0.6667)
			check("median_first_response_seconds", deref(r.MedianFirstResponse), 10800)
			if r.Funnel == nil {
				t.Fatal("no funnel")
			}
			check("funnel.joined", r.Funnel.Joined, 4)
			check("funnel.joined_by_source", r.Funnel.JoinedBySource, map[string]int{"open": 3, "invitation": 1})
			check("funnel.removed", r.Funnel.Removed, 1)
			check("signals_raised", r.SignalsRaised, 2)
			check("signals_decided", r.SignalsDecided, 2)
			if len(r.Decisions) != 2 {
				t.Fatalf("decisions %+v, want S1 and S3", r.Decisions)
			}
			d1, d3 := r.Decisions[0], r.Decisions[1]
			check("decision 1", []any{d1.SignalID, d1.Status, d1.Decision, d1.OwnerName, d1.DeciderName, d1.Summary, d1.PostID},
				[]any{f.signals["S1"], relais.SignalAccepted, "Dans la feuille de route du T3.", "Victor Lemaire", "Victor Lemaire", "Signal S1", f.posts["P1"]})
			check("decision 2", []any{d3.SignalID, d3.Status, d3.Decision}, []any{f.signals["S3"], relais.SignalRejected, "Hors périmètre."})
			if d1.DecidedAt.IsZero() || d1.DecidedAt.Before(f.start) {
				t.Errorf("decided_at %v", d1.DecidedAt)
			}
			check("benefits", r.Benefits, []relais.BenefitTotal{
				{Kind: relais.BenefitTimeSaved, Unit: "hours", Amount: 375, Count: 2},
				{Kind: relais.BenefitCostAvoided, Unit: "EUR", Amount: 120000, Count: 1},
				{Kind: relais.BenefitRisk, Unit: "count", Amount: 200, Count: 1},
			})
			check("narratives", len(r.Narratives), 0)

			// An empty period: no thread, so no rate and no median.
			empty, err := f.svc.Report(ctx, f.u("claire"), f.space.ID, time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 7, 31, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			if empty.Posts != 0 || empty.AnswerRate != nil || empty.MedianFirstResponse != nil || len(empty.Benefits) != 0 || empty.NewMembers != 0 {
				t.Errorf("empty period: %+v", empty)
			}
			// One answered thread: the median is its delay, the rate 1.
			day := f.base.Add(24 * time.Hour)
			one, err := f.svc.Report(ctx, f.u("claire"), f.space.ID, day, day)
			if err != nil {
				t.Fatal(err)
			}
			check("P1's day", []any{one.Posts, deref(one.AnswerRate), deref(one.MedianFirstResponse)}, []any{1, 1, 3600})

			// A team space has no funnel.
			support, err := f.st.SpaceByName(ctx, "Support Lyon")
			if err != nil {
				t.Fatal(err)
			}
			tr, err := f.svc.Report(ctx, f.u("marc"), support.ID, f.start, f.end)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Funnel != nil || tr.SpaceKind != relais.SpaceTeam || tr.Posts == 0 {
				t.Errorf("team report: funnel %v kind %s posts %d", tr.Funnel, tr.SpaceKind, tr.Posts)
			}

			// The figures of the CSV follow the report.
			figures := map[string]string{}
			for _, fg := range r.Figures() {
				figures[fg.Name] = fg.Value
			}
			for name, want := range map[string]string{"posts": "6", "answer_rate": "0.6667", "median_first_response_seconds": "10800",
				"funnel.joined.invitation": "1", "benefits.time_saved.hours": "3.75", "benefits.cost_avoided.EUR": "1200",
				"decision." + fmt.Sprint(f.signals["S1"]) + ".status": "accepted"} {
				if figures[name] != want {
					t.Errorf("figure %s = %q, want %q", name, figures[name], want)
				}
			}
		})
	}
}

func TestReportReaders(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newReportFixture(t, engine)
			for login, rule := range map[string]string{
				"samir":  "", // steward
				"claire": "", // community manager
				"victor": "", // sponsor: head of the unit Produit
				"paul":   policy.RuleReportReaders,
				"lea":    policy.RuleReportReaders,
				"admin":  policy.RuleReportReaders,
				"xavier": policy.RuleCommunityAudience,
				"olivia": policy.RuleCommunityAudience,
			} {
				_, err := f.report(t, login)
				if rule == "" && err != nil {
					t.Errorf("%s: %v", login, err)
				}
				if rule != "" {
					if e := relais.AsError(err); err == nil || e.Code != relais.EFORBIDDEN || e.Rule != rule {
						t.Errorf("%s: %v, want forbidden by %s", login, err, rule)
					}
				}
			}
			support, _ := f.st.SpaceByName(f.ctx, "Support Lyon")
			for login, rule := range map[string]string{"marc": "", "paul": policy.RuleReportReaders, "claire": policy.RuleTeamOutsider} {
				_, err := f.svc.Report(f.ctx, f.u(login), support.ID, f.start, f.end)
				if e := relais.AsError(err); (rule == "" && err != nil) || (rule != "" && (err == nil || e.Rule != rule)) {
					t.Errorf("%s on Support Lyon: %v, want rule %q", login, err, rule)
				}
			}
			// Periods: reversed, too long, and the longest allowed.
			from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			for _, c := range []struct {
				to   time.Time
				code string
			}{{from.AddDate(0, 0, -1), relais.EINVALID}, {from.AddDate(0, 0, 366), relais.EINVALID}, {from.AddDate(0, 0, 365), ""}, {from, ""}} {
				_, err := f.svc.Report(f.ctx, f.u("samir"), f.space.ID, from, c.to)
				if relais.ErrorCode(err) != c.code {
					t.Errorf("from %s to %s: %v, want %q", from.Format(time.DateOnly), c.to.Format(time.DateOnly), err, c.code)
				}
			}
			if _, err := f.svc.Report(f.ctx, f.u("samir"), 999999, f.start, f.end); relais.ErrorCode(err) != relais.ENOTFOUND {
				t.Errorf("unknown space: %v", err)
			}
		})
	}
}

func TestReportNarrative(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newReportFixture(t, engine)
			month := relais.MonthPeriod(time.Now()).Month()
			n, err := f.svc.SetNarrative(f.ctx, f.u("samir"), f.space.ID, month, "  Un mois dense : deux décisions.  ")
			if err != nil {
				t.Fatal(err)
			}
			if n.Narrative != "Un mois dense : deux décisions." || n.Period != month || n.AuthorName != "Samir Benali" {
				t.Errorf("narrative %+v", n)
			}
			if _, err := f.svc.SetNarrative(f.ctx, f.u("samir"), f.space.ID, month, "Un mois dense : trois décisions."); err != nil {
				t.Fatal(err)
			}
			r, err := f.svc.Report(f.ctx, f.u("victor"), f.space.ID, time.Now(), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Narratives) != 1 || r.Narratives[0].Narrative != "Un mois dense : trois décisions." || r.Narratives[0].Period != month {
				t.Errorf("narratives %+v", r.Narratives)
			}
			// Readers who do not animate the space read only.
			for login, rule := range map[string]string{"claire": policy.RuleReportNarrators, "victor": policy.RuleReportNarrators,
				"paul": policy.RuleReportNarrators, "xavier": policy.RuleCommunityAudience} {
				_, err := f.svc.SetNarrative(f.ctx, f.u(login), f.space.ID, month, "x")
				if e := relais.AsError(err); err == nil || e.Code != relais.EFORBIDDEN || e.Rule != rule || e.MessageFR == "" {
					t.Errorf("%s writes the narrative: %v, want forbidden by %s", login, err, rule)
				}
			}
			support, _ := f.st.SpaceByName(f.ctx, "Support Lyon")
			if _, err := f.svc.SetNarrative(f.ctx, f.u("marc"), support.ID, "2024-01", "L'équipe a tenu."); err != nil {
				t.Errorf("marc on his team space: %v", err)
			}
			for period, code := range map[string]string{"2024-13": relais.EINVALID, "24-01": relais.EINVALID, "": relais.EINVALID,
				relais.MonthPeriod(time.Now().AddDate(0, 2, 0)).Month(): relais.EUNPROCESSABLE} {
				if _, err := f.svc.SetNarrative(f.ctx, f.u("samir"), f.space.ID, period, "x"); relais.ErrorCode(err) != code {
					t.Errorf("period %q: %v, want %s", period, err, code)
				}
			}
			if _, err := f.svc.SetNarrative(f.ctx, f.u("samir"), f.space.ID, month, strings.Repeat("é", relais.MaxNarrative+1)); relais.ErrorCode(err) != relais.EINVALID {
				t.Errorf("long narrative: %v", err)
			}
			// An empty narrative removes it.
			if _, err := f.svc.SetNarrative(f.ctx, f.u("samir"), f.space.ID, month, " "); err != nil {
				t.Fatal(err)
			}
			if ns, _ := f.st.Narratives(f.ctx, f.space.ID, month, month); len(ns) != 0 {
				t.Errorf("after removal: %+v", ns)
			}
		})
	}
}

func TestBenefits(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newReportFixture(t, engine)
			ctx := f.ctx
			p1, s1 := f.posts["P1"], f.signals["S1"]
			for _, c := range []struct {
				name  string
				login string
				in    relais.NewBenefit
				code  string
				field string
			}{
				{"unknown kind", "paul", relais.NewBenefit{PostID: p1, Kind: "joy", Amount: "1"}, relais.EINVALID, "kind"},
				{"no target", "paul", relais.NewBenefit{Kind: "time_saved", Amount: "1"}, relais.EINVALID, "post_id"},
				{"two targets", "paul", relais.NewBenefit{PostID: p1, SignalID: s1, Kind: "time_saved", Amount: "1"}, relais.EINVALID, "post_id"},
				{"wrong unit", "paul", relais.NewBenefit{PostID: p1, Kind: "time_saved", Amount: "1", Unit: "EUR"}, relais.EUNPROCESSABLE, "unit"},
				{"revenue in hours", "paul", relais.NewBenefit{PostID: p1, Kind: "revenue", Amount: "1", Unit: "hours"}, relais.EUNPROCESSABLE, "unit"},
				{"zero", "paul", relais.NewBenefit{PostID: p1, Kind: "time_saved", Amount: "0"}, relais.EUNPROCESSABLE, "amount"},
				{"negative", "paul", relais.NewBenefit{PostID: p1, Kind: "time_saved", Amount: "-3"}, relais.EUNPROCESSABLE, "amount"},
				{"over a billion", "paul", relais.NewBenefit{PostID: p1, Kind: "revenue", Amount: "1000000000.01"}, relais.EUNPROCESSABLE, "amount"},
				{"three decimals", "paul", relais.NewBenefit{PostID: p1, Kind: "revenue", Amount: "1.005"}, relais.EINVALID, "amount"},
				{"not a number", "paul", relais.NewBenefit{PostID: p1, Kind: "revenue", Amount: "beaucoup"}, relais.EINVALID, "amount"},
				{"fraction", "paul", relais.NewBenefit{PostID: p1, Kind: "revenue", Amount: "1/2"}, relais.EINVALID, "amount"},
				{"huge exponent", "paul", relais.NewBenefit{PostID: p1, Kind: "revenue", Amount: "1e999999999"}, relais.EINVALID, "amount"},
				{"half an incident", "paul", relais.NewBenefit{PostID: p1, Kind: "risk", Amount: "0.5"}, relais.EUNPROCESSABLE, "amount"},
				{"long note", "paul", relais.NewBenefit{PostID: p1, Kind: "risk", Amount: "1", Note: strings.Repeat("n", relais.MaxNote+1)}, relais.EINVALID, "note"},
				{"unknown post", "paul", relais.NewBenefit{PostID: 999999, Kind: "risk", Amount: "1"}, relais.ENOTFOUND, ""},
				{"unknown signal", "paul", relais.NewBenefit{SignalID: 999999, Kind: "risk", Amount: "1"}, relais.ENOTFOUND, "signal_id"},
				{"a post one cannot read", "admin", relais.NewBenefit{PostID: p1, Kind: "risk", Amount: "1"}, relais.EFORBIDDEN, ""},
				{"a post of an internal community, external", "xavier", relais.NewBenefit{PostID: p1, Kind: "risk", Amount: "1"}, relais.EFORBIDDEN, ""},
				{"a signal one cannot see", "admin", relais.NewBenefit{SignalID: s1, Kind: "risk", Amount: "1"}, relais.ENOTFOUND, "signal_id"},
				{"a post another cannot see yet", "paul", relais.NewBenefit{PostID: f.posts["P6"], Kind: "risk", Amount: "1"}, relais.ENOTFOUND, ""},
				{"one's own post pending approval", "nadia", relais.NewBenefit{PostID: f.posts["P6"], Kind: "risk", Amount: "1"}, relais.EFORBIDDEN, ""},
			} {
				_, err := f.svc.DeclareBenefit(ctx, f.u(c.login), c.in)
				e := relais.AsError(err)
				if err == nil || e.Code != c.code || (c.field != "" && e.Field != c.field) {
					t.Errorf("%s: %v, want %s on %q", c.name, err, c.code, c.field)
				} else if e.Message == "" || (c.code != relais.ENOTFOUND && c.code != relais.EFORBIDDEN && (e.MessageFR == "" || e.MessageFR == e.Message)) {
					t.Errorf("%s: messages %q / %q", c.name, e.Message, e.MessageFR)
				}
			}
			// nadia was removed: her pending post is hers, but she no longer
			// reads the community; lea, a member, declares on her own
			// pending post only once it is published.
			pending := &relais.Post{SpaceID: f.space.ID, AuthorID: f.u("lea").ID, Kind: relais.KindQuestion, Title: "Brouillon", Body: "b",
				Status: relais.StatusPendingApproval}
			if err := f.st.CreatePost(ctx, pending); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.DeclareBenefit(ctx, f.u("lea"), relais.NewBenefit{PostID: pending.ID, Kind: "risk", Amount: "1"}); relais.ErrorCode(err) != relais.EUNPROCESSABLE {
				t.Errorf("benefit on one's own pending post: %v", err)
			}

			// Who sees a signal: its raiser, its owner, the readers of its
			// space; the head of the unit it is routed to.
			for _, login := range []string{"samir", "victor", "paul", "claire"} {
				if _, err := f.svc.DeclareBenefit(ctx, f.u(login), relais.NewBenefit{SignalID: f.signals["S2"], Kind: "quality", Amount: "1"}); err != nil {
					t.Errorf("%s on S2: %v", login, err)
				}
			}
			// paul's ledger: accepted amounts, exact sums, newest first.
			for _, a := range []string{"0.1", "0.2", "1000000000", "2,5"} {
				if _, err := f.svc.DeclareBenefit(ctx, f.u("paul"), relais.NewBenefit{PostID: p1, Kind: "time_saved", Amount: a}); err != nil {
					t.Fatalf("amount %s: %v", a, err)
				}
			}
			b, err := f.svc.DeclareBenefit(ctx, f.u("paul"), relais.NewBenefit{PostID: p1, Kind: "revenue", Amount: "1e3", Note: " contrat signé "})
			if err != nil {
				t.Fatal(err)
			}
			if b.Amount != 100000 || b.Unit != "EUR" || b.Note != "contrat signé" || b.SpaceID != f.space.ID || b.SpaceName != "Atelier Qualité" {
				t.Errorf("benefit %+v", b)
			}
			mine, err := f.svc.MyBenefits(ctx, f.u("paul"), 0, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(mine.Benefits) != 3 || mine.Benefits[0].ID != b.ID {
				t.Errorf("paul's page: %+v", mine.Benefits)
			}
			want := []relais.BenefitTotal{
				{Kind: relais.BenefitTimeSaved, Unit: "hours", Amount: 100000000280, Count: 4},
				{Kind: relais.BenefitRevenue, Unit: "EUR", Amount: 100000, Count: 1},
				{Kind: relais.BenefitQuality, Unit: "count", Amount: 100, Count: 1},
			}
			if fmt.Sprint(mine.Totals) != fmt.Sprint(want) {
				t.Errorf("paul's totals %v, want %v", mine.Totals, want)
			}
			if got := mine.Totals[0].Amount.String(); got != "1000000002.8" {
				t.Errorf("time saved %s", got)
			}
			next, err := f.svc.MyBenefits(ctx, f.u("paul"), mine.Benefits[2].ID, 50)
			if err != nil || len(next.Benefits) != 3 {
				t.Errorf("paul's next page: %v, %v", next, err)
			}
			// Nobody else's entries.
			other, err := f.svc.MyBenefits(ctx, f.u("lea"), 0, 50)
			if err != nil || len(other.Benefits) != 0 || len(other.Totals) != 0 {
				t.Errorf("lea's ledger: %+v, %v", other, err)
			}
		})
	}
}

// TestMonthlyDelivery checks that each community's report for the last
// month is delivered exactly once, called twice or concurrently, to the
// community manager and the sponsor, in the app and by e-mail.
func TestMonthlyDelivery(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newReportFixture(t, engine)
			ctx := f.ctx
			f.svc.Mailer = &app.Mailer{Addr: "127.0.0.1:1", Host: "localhost", From: &mail.Address{Address: "relais@relais.example"}}
			// A thread of January 2024, answered after 2 h.
			jan := time.Date(2024, 1, 10, 9, 0, 0, 0, time.UTC)
			p := &relais.Post{SpaceID: f.space.ID, AuthorID: f.u("paul").ID, Kind: relais.KindQuestion, Title: "Janvier", Body: "b",
				Status: relais.StatusPublished, CreatedAt: jan}
			if err := f.st.CreatePost(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := f.st.CreateReply(ctx, &relais.Reply{PostID: p.ID, AuthorID: f.u("marc").ID, Body: "r", Status: relais.StatusPublished,
				CreatedAt: jan.Add(2 * time.Hour)}, f.space.ID); err != nil {
				t.Fatal(err)
			}
			if err := f.st.SetNarrative(ctx, &relais.ReportNarrative{SpaceID: f.space.ID, Period: "2024-01", Narrative: "Bon démarrage.",
				AuthorID: f.u("samir").ID}); err != nil {
				t.Fatal(err)
			}

			// The demo communities were created after January 2024: only
			// Atelier Qualité has a report to deliver.
			feb := time.Date(2024, 2, 3, 8, 0, 0, 0, time.UTC)
			n, err := f.svc.DeliverMonthlyReports(ctx, feb)
			if err != nil || n != 1 {
				t.Fatalf("first delivery: %d, %v", n, err)
			}
			if n, err := f.svc.DeliverMonthlyReports(ctx, feb.Add(time.Hour)); err != nil || n != 0 {
				t.Fatalf("second delivery: %d, %v", n, err)
			}
			reports := func(login, period string) int {
				t.Helper()
				ns, err := f.st.Notifications(ctx, f.u(login).ID, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				k := 0
				for _, n := range ns {
					if n.Kind == relais.NotifyReport && n.SubjectID == f.space.ID && n.SpaceID == f.space.ID && n.Detail == period {
						k++
					}
				}
				return k
			}
			for login, want := range map[string]int{"claire": 1, "victor": 1, "samir": 0, "paul": 0, "nadia": 0, "admin": 0} {
				if got := reports(login, "2024-01"); got != want {
					t.Errorf("%s has %d report notifications for 2024-01, want %d", login, got, want)
				}
			}
			mails, err := f.st.Emails(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			to := map[string]*store.Email{}
			for _, m := range mails {
				to[m.To] = m
			}
			if len(mails) != 2 || to["<claire.dubois@relais.example>"] == nil && to["claire.dubois@relais.example"] == nil {
				t.Fatalf("e-mails: %d to %v", len(mails), keys(to))
			}
			m := mails[0]
			link := "/spaces/" + fmt.Sprint(f.space.ID) + "/report?period=2024-01"
			for _, want := range []string{"janvier 2024", "« Atelier Qualité »"} {
				if !strings.Contains(m.Subject, want) {
					t.Errorf("subject %q lacks %q", m.Subject, want)
				}
			}
			for _, want := range []string{"Fils ouverts : 1", "Réponses : 1", "Fils ayant reçu une réponse : 1 (100 %)",
				"Délai médian de première réponse : 2 h 00 min", "Bon démarrage.", link} {
				if !strings.Contains(m.Body, want) {
					t.Errorf("body lacks %q:\n%s", want, m.Body)
				}
			}

			// Many nodes at once, for February: delivered once.
			mar := time.Date(2024, 3, 1, 0, 0, 30, 0, time.UTC)
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := f.svc.DeliverMonthlyReports(ctx, mar)
					if err != nil {
						t.Errorf("concurrent delivery: %v", err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}()
			}
			wg.Wait()
			if total != 1 {
				t.Errorf("%d deliveries for 2024-02, want 1", total)
			}
			for _, login := range []string{"claire", "victor"} {
				if got := reports(login, "2024-02"); got != 1 {
					t.Errorf("%s has %d report notifications for 2024-02, want 1", login, got)
				}
			}
			if mails, _ := f.st.Emails(ctx, 100); len(mails) != 4 {
				t.Errorf("%d e-mails after February, want 4", len(mails))
			}
		})
	}
}

// deref shows what a pointer points to, or nil.
func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
