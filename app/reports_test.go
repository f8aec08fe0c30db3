package app_test

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
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
// samir), holding a known corpus in March 2025, [start, end): every figure
// of its report for that month is known.
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
//	  month; nadia is then removed (today, so after the month); lea
//	  joined 40 days before.
//	P1 paul (base+1d): replies paul (self, +10 min), marc (+1 h), samir (+3 h)
//	P2 marc (base+2d): reply paul (+2 h)
//	P3 victor (base+3d): replies victor (self, +5 min), paul (+10 h)
//	P4 paul (base+4d): reply lea pending approval (+30 min), samir (+4 h)
//	P5 samir (base+5d): no reply
//	P6 nadia, pending approval; P7 nadia, hidden, with a reply by claire
//	P8 paul, 1 ms before the period, with a reply by marc in it
//	P9 lea, at the first instant of the period: no reply
//	P10 claire, at the first instant after the period
//	S1 on P1 (to victor) raised in the month, accepted; S2 on P2 (to the
//	  unit Produit) raised in the month, acknowledged only; S3 on P4 (to
//	  victor) raised before the month, rejected: the decisions are taken
//	  today, so they belong to the current month's report.
//
// Threads of the month: P1 P2 P3 P4 P5 P9 (6, by 5 people), answered P1
// P2 P3 P4 after 1 h, 2 h, 10 h, 4 h (first responses by marc, paul,
// paul, samir: 3 people): median (2 h + 4 h) / 2 = 10 800 s, answer rate
// 4/6. Replies: 3 + 1 + 2 + 1 + 1 (P8) = 8, by paul, marc, samir, victor.
// Active: paul, marc, victor, samir, lea (5).
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
	f.start, f.end = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	f.base = f.start.AddDate(0, 0, 4)
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

// declareAt records a benefit at a given time, as if declared then.
func (f *reportFixture) declareAt(t *testing.T, login string, b relais.Benefit) {
	t.Helper()
	b.UserID = f.u(login).ID
	if b.CreatedAt.IsZero() {
		b.CreatedAt = f.base.Add(36 * time.Hour)
	}
	if err := f.st.CreateBenefit(f.ctx, &b); err != nil {
		t.Fatal(err)
	}
}

// marchHidden is what a threshold of 5 hides in March: every figure but
// the active members (5 people) and the threads (opened by 5 people).
const marchHidden = "new_members replies answered_threads answer_rate median_first_response_seconds " +
	"funnel.invitations_sent funnel.invitations_accepted funnel.invitations_declined funnel.requests_filed " +
	"funnel.requests_approved funnel.requests_refused funnel.joined funnel.joined.open funnel.joined.criteria " +
	"funnel.joined.request funnel.joined.invitation funnel.joined.other funnel.removed " +
	"benefits.time_saved benefits.cost_avoided benefits.revenue benefits.quality benefits.risk"

func TestReportFigures(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newReportFixture(t, engine)
			ctx := f.ctx
			// Benefits in March: time saved by three people, cost avoided
			// and risk by one each; one before the month; one in another
			// space.
			f.declareAt(t, "paul", relais.Benefit{PostID: f.posts["P1"], Kind: relais.BenefitTimeSaved, Amount: 250, Unit: "hours"})
			f.declareAt(t, "marc", relais.Benefit{PostID: f.posts["P2"], Kind: relais.BenefitTimeSaved, Amount: 125, Unit: "hours"})
			f.declareAt(t, "victor", relais.Benefit{PostID: f.posts["P3"], Kind: relais.BenefitTimeSaved, Amount: 100, Unit: "hours"})
			f.declareAt(t, "victor", relais.Benefit{SignalID: f.signals["S1"], Kind: relais.BenefitCostAvoided, Amount: 120000, Unit: "EUR", Note: "licence évitée"})
			f.declareAt(t, "samir", relais.Benefit{SignalID: f.signals["S2"], Kind: relais.BenefitRisk, Amount: 200, Unit: "count"})
			f.declareAt(t, "paul", relais.Benefit{PostID: f.posts["P1"], Kind: relais.BenefitTimeSaved, Amount: 9900, Unit: "hours", CreatedAt: f.start.Add(-time.Hour)})
			innovation, err := f.st.SpaceByName(ctx, "Innovation Produits")
			if err != nil {
				t.Fatal(err)
			}
			ps, err := f.st.Posts(ctx, store.PostFilter{SpaceID: innovation.ID, Limit: 1})
			if err != nil || len(ps) == 0 {
				t.Fatalf("Innovation posts: %v %v", ps, err)
			}
			f.declareAt(t, "lea", relais.Benefit{PostID: ps[0].ID, Kind: relais.BenefitTimeSaved, Amount: 700, Unit: "hours"})
			check := func(name string, got, want any) {
				t.Helper()
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s = %v, want %v", name, got, want)
				}
			}

			// At the default threshold, 5.
			r, err := f.report(t, "samir")
			if err != nil {
				t.Fatal(err)
			}
			check("header", []any{r.Month, r.From, r.To, r.SpaceName, r.Complete, r.K}, []any{"2025-03", "2025-03-01", "2025-03-31", "Atelier Qualité", true, 5})
			check("hidden at k=5", strings.Join(r.SuppressedFigures, " "), marchHidden)
			check("shown at k=5", []any{deref(r.ActiveMembers), deref(r.Posts)}, []any{5, 6})
			if !r.Suppressed || r.Replies != nil || r.AnsweredThreads != nil || r.AnswerRate != nil || r.MedianFirstResponse != nil ||
				r.NewMembers != nil || r.Funnel == nil || r.Funnel.Joined != nil || r.Funnel.JoinedBySource["open"] != nil {
				t.Errorf("k=5 shows a suppressed figure: %+v %+v", r, r.Funnel)
			}
			if hidden := strings.Join(r.SuppressedFigures, " "); hidden != marchHidden {
				t.Errorf("suppressed figures %q, want %q", hidden, marchHidden)
			}
			for _, b := range r.Benefits {
				if !b.Suppressed || b.Amount != nil || b.Count != nil {
					t.Errorf("k=5: benefit %+v shown", b)
				}
			}

			// Five people or more behind each figure, and they show, exact,
			// at the lowest threshold (5): ines and jules, two more
			// colleagues, join openly in March, each gives the first answer
			// to a thread left unanswered (P5 after 1 h, P9 after 6 h) and
			// declares time saved.
			for _, p := range []struct {
				login  string
				joined time.Time
				post   string
				after  time.Duration
				saved  relais.Amount
			}{
				{"ines", f.base.Add(5 * time.Hour), "P5", time.Hour, 50},
				{"jules", f.base.Add(6 * time.Hour), "P9", 6 * time.Hour, 75},
			} {
				u := &relais.User{Login: p.login, Name: "Name of " + p.login, Employment: relais.Internal}
				if err := f.st.CreateUser(ctx, u, ""); err != nil {
					t.Fatal(err)
				}
				f.users[p.login] = u
				if err := f.st.Join(ctx, &relais.Membership{SpaceID: f.space.ID, UserID: u.ID, CharterVersion: 1, JoinedAt: p.joined, Source: relais.SourceOpen}); err != nil {
					t.Fatal(err)
				}
				thread, err := f.st.PostByID(ctx, f.posts[p.post])
				if err != nil {
					t.Fatal(err)
				}
				if err := f.st.CreateReply(ctx, &relais.Reply{PostID: thread.ID, AuthorID: u.ID, Body: "réponse", Status: relais.StatusPublished,
					CreatedAt: thread.CreatedAt.Add(p.after)}, f.space.ID); err != nil {
					t.Fatal(err)
				}
				f.declareAt(t, p.login, relais.Benefit{PostID: thread.ID, Kind: relais.BenefitTimeSaved, Amount: p.saved, Unit: "hours"})
			}
			r, err = f.report(t, "samir")
			if err != nil {
				t.Fatal(err)
			}
			check("k", r.K, 5)
			// Active: paul, marc, victor, samir, lea, ines, jules.
			check("active_members", deref(r.ActiveMembers), 7)
			check("posts", deref(r.Posts), 6)
			// 8 replies by 4 people, and those of ines and jules.
			check("replies", deref(r.Replies), 10)
			// Every thread of the month answered; first responses by marc,
			// paul (twice), samir, ines and jules, after 1 h, 2 h, 10 h,
			// 4 h, 1 h and 6 h: median (2 h + 4 h) / 2.
			check("answered_threads", deref(r.AnsweredThreads), 6)
			check("answer_rate", deref(r.AnswerRate), 1)
			check("median_first_response_seconds", deref(r.MedianFirstResponse), 10800)
			// Six people joined, five openly: the one invited (victor) is
			// below k, and showing the total would give him away.
			check("funnel.joined.open", deref(r.Funnel.JoinedBySource["open"]), 5)
			check("funnel.joined.invitation", deref(r.Funnel.JoinedBySource["invitation"]), nil)
			check("funnel.joined", deref(r.Funnel.Joined), nil)
			check("funnel.removed", deref(r.Funnel.Removed), nil) // nadia was removed today, after March
			check("signals_raised", r.SignalsRaised, 2)
			check("signals_decided", r.SignalsDecided, 0)
			if len(r.Benefits) != len(relais.BenefitKinds) {
				t.Fatalf("benefits %+v: want every kind", r.Benefits)
			}
			tb := r.Benefits[0]
			check("time saved", []any{tb.Kind, deref(tb.Amount), deref(tb.Count), tb.Suppressed}, []any{relais.BenefitTimeSaved, relais.Amount(600), 5, false})
			check("cost avoided", []any{r.Benefits[1].Kind, deref(r.Benefits[1].Amount), r.Benefits[1].Suppressed}, []any{relais.BenefitCostAvoided, nil, true})
			check("narratives", len(r.Narratives), 0)
			check("decisions", len(r.Decisions), 0)
			hiddenAt5 := r.SuppressedFigures
			for _, shown := range []string{"active_members", "posts", "replies", "answered_threads", "answer_rate", "median_first_response_seconds",
				"funnel.joined.open", "benefits.time_saved"} {
				if slices.Contains(hiddenAt5, shown) {
					t.Errorf("%s hidden at k=5 with five people or more behind it (hidden: %v)", shown, hiddenAt5)
				}
			}

			// The CSV figures follow the report: same rows, suppressed ones
			// empty and marked.
			figures := map[string]relais.ReportFigure{}
			for _, fg := range r.Figures() {
				figures[fg.Name] = fg
			}
			for name, want := range map[string]string{"month": "2025-03", "posts": "6", "answer_rate": "1", "median_first_response_seconds": "10800",
				"funnel.joined.open": "5", "funnel.joined.invitation": "", "funnel.joined": "",
				"benefits.time_saved.hours": "6", "benefits.time_saved.declarations": "5", "benefits.cost_avoided.EUR": "",
				"benefits.cost_avoided.declarations": "", "benefits.revenue.EUR": "", "k": "5", "complete": "true"} {
				fg, ok := figures[name]
				if !ok || fg.Value != want || fg.Suppressed != (want == "" && r.Hidden(strings.TrimSuffix(strings.TrimSuffix(name, ".declarations"), ".EUR"))) {
					t.Errorf("figure %s = %+v, want %q", name, fg, want)
				}
			}

			// A higher threshold hides more: at 7, the 6 threads' 5 authors
			// and the 5 who saved time are too few; the 7 active members
			// still show.
			if _, err := f.svc.SetAnalyticsK(ctx, f.u("claire"), 7); err != nil {
				t.Fatal(err)
			}
			r, err = f.report(t, "samir")
			if err != nil {
				t.Fatal(err)
			}
			check("k", r.K, 7)
			check("active_members at k=7", deref(r.ActiveMembers), 7)
			if r.Posts != nil || !r.Hidden("posts") || r.Benefits[0].Amount != nil || !r.Hidden("benefits.time_saved") {
				t.Errorf("k=7: posts %v, time saved %v shown", deref(r.Posts), deref(r.Benefits[0].Amount))
			}
			if _, err := f.svc.SetAnalyticsK(ctx, f.u("claire"), 5); err != nil {
				t.Fatal(err)
			}

			// The decisions of today are in the current month's report,
			// whose figures are withheld until it ends.
			now := relais.MonthPeriod(time.Now())
			cur, err := f.svc.Report(ctx, f.u("claire"), f.space.ID, now.From, now.To)
			if err != nil {
				t.Fatal(err)
			}
			if cur.Complete || !cur.Suppressed || cur.ActiveMembers != nil || cur.Posts != nil || cur.Funnel.Removed != nil ||
				len(cur.SuppressedFigures) != len(strings.Fields(marchHidden))+2 {
				t.Errorf("current month: complete %v, hidden %v", cur.Complete, cur.SuppressedFigures)
			}
			if len(cur.Decisions) != 2 || cur.SignalsDecided != 2 {
				t.Fatalf("decisions %+v, want S1 and S3", cur.Decisions)
			}
			d1, d3 := cur.Decisions[0], cur.Decisions[1]
			check("decision 1", []any{d1.SignalID, d1.Status, d1.Decision, d1.OwnerName, d1.DeciderName, d1.Summary, d1.PostID},
				[]any{f.signals["S1"], relais.SignalAccepted, "Dans la feuille de route du T3.", "Victor Lemaire", "Victor Lemaire", "Signal S1", f.posts["P1"]})
			check("decision 2", []any{d3.SignalID, d3.Status, d3.Decision}, []any{f.signals["S3"], relais.SignalRejected, "Hors périmètre."})
			if d1.DecidedAt.Before(now.From) {
				t.Errorf("decided_at %v", d1.DecidedAt)
			}

			// An empty month: nothing shows, nothing tells it is empty.
			empty, err := f.svc.Report(ctx, f.u("claire"), f.space.ID, time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 7, 31, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			if empty.Posts != nil || empty.AnswerRate != nil || empty.MedianFirstResponse != nil || empty.NewMembers != nil ||
				len(empty.Benefits) != len(relais.BenefitKinds) || len(empty.SuppressedFigures) != len(strings.Fields(marchHidden))+2 {
				t.Errorf("empty month: %+v", empty)
			}

			// A team space has no funnel; its manager never sees one
			// member's activity: Support Lyon is marc and paul.
			support, err := f.st.SpaceByName(ctx, "Support Lyon")
			if err != nil {
				t.Fatal(err)
			}
			last := relais.LastFullMonth(time.Now())
			tr, err := f.svc.Report(ctx, f.u("marc"), support.ID, last.From, last.To)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Funnel != nil || tr.SpaceKind != relais.SpaceTeam || tr.NewMembers != nil || tr.Hidden("new_members") ||
				tr.ActiveMembers != nil || tr.Posts != nil || tr.Replies != nil || !tr.Hidden("posts") || tr.Benefits[0].Amount != nil {
				t.Errorf("team report: %+v", tr)
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
				// Externals may not even see that the internal space exists.
				"xavier": relais.ENOTFOUND,
				"olivia": relais.ENOTFOUND,
			} {
				_, err := f.report(t, login)
				if rule == "" && err != nil {
					t.Errorf("%s: %v", login, err)
				}
				if rule == relais.ENOTFOUND {
					if e := relais.AsError(err); err == nil || e.Code != relais.ENOTFOUND || e.Rule != "" {
						t.Errorf("%s: %v, want not found", login, err)
					}
				} else if rule != "" {
					if e := relais.AsError(err); err == nil || e.Code != relais.EFORBIDDEN || e.Rule != rule {
						t.Errorf("%s: %v, want forbidden by %s", login, err, rule)
					}
				}
			}
			support, _ := f.st.SpaceByName(f.ctx, "Support Lyon")
			// To the community manager, the team space does not exist.
			for login, rule := range map[string]string{"marc": "", "paul": policy.RuleReportReaders, "claire": ""} {
				_, err := f.svc.Report(f.ctx, f.u(login), support.ID, f.start, f.end.AddDate(0, 0, -1))
				if login == "claire" {
					if relais.ErrorCode(err) != relais.ENOTFOUND {
						t.Errorf("claire on Support Lyon: %v, want not found", err)
					}
					continue
				}
				if e := relais.AsError(err); (rule == "" && err != nil) || (rule != "" && (err == nil || e.Rule != rule)) {
					t.Errorf("%s on Support Lyon: %v, want rule %q", login, err, rule)
				}
			}
			// Periods: one calendar month, from its first day to its last,
			// begun already; nothing else.
			d := func(s string) time.Time {
				v, err := time.Parse(time.DateOnly, s)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			now := relais.MonthPeriod(time.Now())
			next := relais.MonthPeriod(now.End())
			for _, c := range []struct {
				from, to time.Time
				code     string
				field    string
			}{
				{d("2024-02-01"), d("2024-01-31"), relais.EINVALID, "to"},    // reversed
				{d("2024-01-01"), d("2024-12-31"), relais.EINVALID, "to"},    // a year
				{d("2024-01-01"), d("2024-01-01"), relais.EINVALID, "to"},    // a day
				{d("2024-01-02"), d("2024-01-31"), relais.EINVALID, "from"},  // not the first day
				{d("2024-02-01"), d("2024-02-28"), relais.EINVALID, "to"},    // 2024 is a leap year
				{d("2024-01-15"), d("2024-02-14"), relais.EINVALID, "from"},  // a month, not a calendar one
				{d("1999-12-01"), d("1999-12-31"), relais.EINVALID, "month"}, // before 2000
				{next.From, next.To, relais.EINVALID, "month"},               // not begun
				{d("2024-02-01"), d("2024-02-29"), "", ""},
				{now.From, now.To, "", ""},
			} {
				_, err := f.svc.Report(f.ctx, f.u("samir"), f.space.ID, c.from, c.to)
				e := relais.AsError(err)
				if relais.ErrorCode(err) != c.code || (err != nil && (e.Field != c.field || e.MessageFR == "" || e.MessageFR == e.Message ||
					!strings.Contains(e.Message, "month"))) {
					t.Errorf("from %s to %s: %v, want %q on %q", c.from.Format(time.DateOnly), c.to.Format(time.DateOnly), err, c.code, c.field)
				}
			}
			if _, err := f.svc.Report(f.ctx, f.u("samir"), 999999, f.start, f.end.AddDate(0, 0, -1)); relais.ErrorCode(err) != relais.ENOTFOUND {
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
			cur := relais.MonthPeriod(time.Now())
			r, err := f.svc.Report(f.ctx, f.u("victor"), f.space.ID, cur.From, cur.To)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Narratives) != 1 || r.Narratives[0].Narrative != "Un mois dense : trois décisions." || r.Narratives[0].Period != month {
				t.Errorf("narratives %+v", r.Narratives)
			}
			// Readers who do not animate the space read only.
			for login, rule := range map[string]string{"claire": policy.RuleReportNarrators, "victor": policy.RuleReportNarrators,
				"paul": policy.RuleReportNarrators} {
				_, err := f.svc.SetNarrative(f.ctx, f.u(login), f.space.ID, month, "x")
				if e := relais.AsError(err); err == nil || e.Code != relais.EFORBIDDEN || e.Rule != rule || e.MessageFR == "" {
					t.Errorf("%s writes the narrative: %v, want forbidden by %s", login, err, rule)
				}
			}
			// To an external, the internal community does not exist.
			if _, err := f.svc.SetNarrative(f.ctx, f.u("xavier"), f.space.ID, month, "x"); relais.ErrorCode(err) != relais.ENOTFOUND {
				t.Errorf("xavier writes the narrative: %v, want not found", err)
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
				{"a post one cannot read", "admin", relais.NewBenefit{PostID: p1, Kind: "risk", Amount: "1"}, relais.ENOTFOUND, ""},
				{"a post of an internal community, external", "xavier", relais.NewBenefit{PostID: p1, Kind: "risk", Amount: "1"}, relais.ENOTFOUND, ""},
				{"a signal one cannot see", "admin", relais.NewBenefit{SignalID: s1, Kind: "risk", Amount: "1"}, relais.ENOTFOUND, "signal_id"},
				{"a post another cannot see yet", "paul", relais.NewBenefit{PostID: f.posts["P6"], Kind: "risk", Amount: "1"}, relais.ENOTFOUND, ""},
				{"one's own post pending approval, in a space one left", "nadia", relais.NewBenefit{PostID: f.posts["P6"], Kind: "risk", Amount: "1"}, relais.ENOTFOUND, ""},
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
			for _, want := range []string{"janvier 2024", "« Atelier Qualité »", " / Report of January 2024 — “Atelier Qualité”"} {
				if !strings.Contains(m.Subject, want) {
					t.Errorf("subject %q lacks %q", m.Subject, want)
				}
			}
			// One thread by paul, one reply by marc: every figure is made
			// by fewer than 5 people, and hidden.
			hidden := " : — (masqué : moins de 5 personnes)"
			for _, want := range []string{"Fils ouverts" + hidden, "Réponses" + hidden, "Fils ayant reçu une réponse" + hidden,
				"Membres actifs (ont publié ou répondu)" + hidden, "Nouveaux membres" + hidden, "Délai médian de première réponse" + hidden,
				"Arrivées : —", "Temps gagné" + hidden, "Risques (incidents évités)" + hidden,
				"moins de 5 personnes n'est jamais montré", "Bon démarrage.", link,
				// Then in English, under the same rule.
				"———— English ————", "Hello ", "Threads opened: — (hidden: fewer than 5 people)",
				"Time saved: — (hidden: fewer than 5 people)", "Arrivals: —", "is never shown"} {
				if !strings.Contains(m.Body, want) {
					t.Errorf("body lacks %q:\n%s", want, m.Body)
				}
			}
			for _, leak := range []string{"Fils ouverts : 1", "Réponses : 1", "2 h 00 min", "100 %", "Threads opened: 1", "Replies: 1", "100%"} {
				if strings.Contains(m.Body, leak) {
					t.Errorf("body shows %q:\n%s", leak, m.Body)
				}
			}
			// The in-app notification names the month and links to the
			// page, which obeys the same rule: it holds no figure.
			ns, err := f.st.Notifications(ctx, f.u("victor").ID, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				if n.Kind == relais.NotifyReport && n.Detail != "2024-01" && n.Detail != "2024-02" {
					t.Errorf("report notification carries %q", n.Detail)
				}
			}

			// February: five people open a thread each, claire answers them
			// all: threads and active members show, replies and answers
			// (one person) do not.
			for i, login := range []string{"paul", "marc", "victor", "samir", "lea"} {
				at := time.Date(2024, 2, 5+i, 9, 0, 0, 0, time.UTC)
				p := &relais.Post{SpaceID: f.space.ID, AuthorID: f.u(login).ID, Kind: relais.KindQuestion, Title: "Février " + login, Body: "b",
					Status: relais.StatusPublished, CreatedAt: at}
				if err := f.st.CreatePost(ctx, p); err != nil {
					t.Fatal(err)
				}
				if err := f.st.CreateReply(ctx, &relais.Reply{PostID: p.ID, AuthorID: f.u("claire").ID, Body: "r", Status: relais.StatusPublished,
					CreatedAt: at.Add(time.Hour)}, f.space.ID); err != nil {
					t.Fatal(err)
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
			mails, _ = f.st.Emails(ctx, 100)
			if len(mails) != 4 {
				t.Errorf("%d e-mails after February, want 4", len(mails))
			}
			for _, m := range mails {
				if !strings.Contains(m.Subject, "février 2024") {
					continue
				}
				for _, want := range []string{"Fils ouverts : 5", "Membres actifs (ont publié ou répondu) : 6", "Réponses" + hidden,
					"Fils ayant reçu une réponse" + hidden, "Threads opened: 5", "Active members (posted or replied): 6",
					"Replies: — (hidden: fewer than 5 people)"} {
					if !strings.Contains(m.Body, want) {
						t.Errorf("February body lacks %q:\n%s", want, m.Body)
					}
				}
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
