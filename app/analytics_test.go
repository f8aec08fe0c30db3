package app_test

import (
	"context"
	"fmt"
	"strings"
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

// anaFixture: the demo, plus ten people q0…q9 of the unit Produit and
// three communities it sponsors (steward samir): Big, where q0…q5 post and
// q1…q6 reply in month m (7 active); Small, where q7 and q8 post (2
// active); Mid, where q0…q4 post in m and q0…q3 again in m+1.
type anaFixture struct {
	ctx             context.Context
	st              *store.Store
	svc             *app.Service
	u               map[string]*relais.User
	big, small, mid int64
	produit         int64
	m               relais.Month
}

func newAnaFixture(t *testing.T, engine string) *anaFixture {
	t.Helper()
	ctx := context.Background()
	st := testdb.Open(t, engine)
	if err := demo.Load(ctx, st, "pw"); err != nil {
		t.Fatal(err)
	}
	f := &anaFixture{ctx: ctx, st: st, svc: app.New(st, events.NewLocal(), nil), u: map[string]*relais.User{},
		m: relais.MonthOf(time.Now()).Add(-2)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range demo.Accounts {
		u, err := st.UserByLogin(ctx, a.Login)
		must(err)
		f.u[a.Login] = u
	}
	units, err := st.Units(ctx)
	must(err)
	for _, un := range units {
		if un.Name == "Produit" {
			f.produit = un.ID
		}
	}
	for i := range 10 {
		u := &relais.User{Login: fmt.Sprintf("q%d", i), Name: fmt.Sprintf("Q %d", i), Employment: relais.Internal, UnitID: f.produit}
		must(st.CreateUser(ctx, u, ""))
		f.u[u.Login] = u
	}
	created := f.m.Start().AddDate(0, -1, 0)
	space := func(name string) int64 {
		sp := &relais.Space{Name: name, Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal, JoinPolicy: relais.JoinOpen,
			Flow: relais.AboveTheFlow, SponsorUnitID: f.produit, CreatedAt: created}
		must(st.CreateSpace(ctx, sp, &relais.Charter{Objective: "o", Rules: "r", Autonomy: "a", ExpectedActions: "e"}, f.u["claire"].ID))
		must(st.AddSteward(ctx, sp.ID, f.u["samir"].ID))
		for i := range 10 {
			must(st.Join(ctx, &relais.Membership{SpaceID: sp.ID, UserID: f.u[fmt.Sprintf("q%d", i)].ID, CharterVersion: 1, JoinedAt: created}))
		}
		return sp.ID
	}
	f.big, f.small, f.mid = space("Big"), space("Small"), space("Mid")
	post := func(space int64, login string, at time.Time) int64 {
		p := &relais.Post{SpaceID: space, AuthorID: f.u[login].ID, Kind: relais.KindQuestion, Title: "t", Body: "b", Status: relais.StatusPublished, CreatedAt: at}
		must(st.CreatePost(ctx, p))
		return p.ID
	}
	at := f.m.Start().AddDate(0, 0, 3)
	for i := range 6 {
		id := post(f.big, fmt.Sprintf("q%d", i), at.Add(time.Duration(i)*time.Hour))
		must(st.CreateReply(ctx, &relais.Reply{PostID: id, AuthorID: f.u[fmt.Sprintf("q%d", i+1)].ID, Body: "r", Status: relais.StatusPublished,
			CreatedAt: at.Add(time.Duration(i)*time.Hour + 30*time.Minute)}, f.big))
	}
	for i := 7; i <= 8; i++ {
		for j := range 5 {
			post(f.small, fmt.Sprintf("q%d", i), at.Add(time.Duration(j)*time.Hour))
		}
	}
	for i := range 5 {
		post(f.mid, fmt.Sprintf("q%d", i), at)
		if i < 4 {
			post(f.mid, fmt.Sprintf("q%d", i), f.m.Add(1).Start().AddDate(0, 0, 2))
		}
	}
	return f
}

// TestUnitCombinesShownCellsOnly: a unit's figures add up the cells each
// space shows, never a suppressed one; distinct people are counted once.
func TestUnitCombinesShownCellsOnly(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAnaFixture(t, engine)
			w := relais.AnalyticsWindow{First: f.m, Last: f.m.Add(1)}
			rep, err := f.svc.UnitAnalytics(f.ctx, f.u["victor"], f.produit, w)
			if err != nil {
				t.Fatal(err)
			}
			a := rep.Trend[0]
			// Big shows 6 posts (6 authors), Mid 5 (5 authors); Small's 10
			// posts by 2 people stay out. Active: Big's q0…q6 and Mid's
			// q0…q4 are 7 people.
			if a.Posts == nil || *a.Posts != 11 || a.ActiveMembers == nil || *a.ActiveMembers != 7 {
				t.Errorf("unit %s: posts %v, active %v; want 11 and 7", a.Period, deref(a.Posts), deref(a.ActiveMembers))
			}
			if a.Replies == nil || *a.Replies != 6 || a.AnswerRate == nil || *a.AnswerRate != 1 {
				t.Errorf("unit %s: replies %v, answer rate %v; want 6 and 1 (Big only)", a.Period, deref(a.Replies), a.AnswerRate)
			}
			// Month m+1: Mid's 4 people stay out: nothing shown.
			b := rep.Trend[1]
			if b.Posts != nil || b.ActiveMembers != nil || b.Retention != nil || !b.Suppressed {
				t.Errorf("unit %s: %+v, want every activity figure suppressed", b.Period, b)
			}
			// The spaces alone say the same.
			small, err := f.svc.SpaceAnalytics(f.ctx, f.u["samir"], f.small, w)
			if err != nil {
				t.Fatal(err)
			}
			if small.Trend[0].Posts != nil || small.Trend[0].Members == nil || *small.Trend[0].Members != 11 {
				t.Errorf("Small: posts %v (want suppressed), members %v (want 11)", deref(small.Trend[0].Posts), deref(small.Trend[0].Members))
			}
			// Who reads a unit: its head and the community manager.
			if _, err := f.svc.UnitAnalytics(f.ctx, f.u["nadia"], f.produit, w); relais.ErrorCode(err) != relais.EFORBIDDEN {
				t.Errorf("nadia reads Produit: %v", err)
			}
			if _, err := f.svc.UnitAnalytics(f.ctx, f.u["claire"], f.produit, w); err != nil {
				t.Errorf("claire: %v", err)
			}
		})
	}
}

// TestValueCellsBelowK: declared value counts from the cells at least k
// people declared; the threshold is the community manager's.
func TestValueCellsBelowK(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAnaFixture(t, engine)
			ps, err := f.st.Posts(f.ctx, store.PostFilter{SpaceID: f.big})
			if err != nil || len(ps) == 0 {
				t.Fatal(err)
			}
			for i := range 4 {
				if _, err := f.svc.DeclareBenefit(f.ctx, f.u[fmt.Sprintf("q%d", i)], relais.NewBenefit{PostID: ps[0].ID, Kind: relais.BenefitCostAvoided, Amount: "100"}); err != nil {
					t.Fatal(err)
				}
			}
			now := relais.MonthOf(time.Now())
			w := relais.AnalyticsWindow{First: now, Last: now}
			total := func() *relais.Amount {
				rep, err := f.svc.SpaceAnalytics(f.ctx, f.u["samir"], f.big, w)
				if err != nil {
					t.Fatal(err)
				}
				return rep.Value.Total[1].Amount
			}
			if a := total(); a != nil {
				t.Errorf("4 declarants at k = 5: %v shown", *a)
			}
			// Lowering k to show them is refused: 5 is the minimum.
			if _, err := f.svc.SetAnalyticsK(f.ctx, f.u["samir"], 6); relais.ErrorCode(err) != relais.EFORBIDDEN || relais.AsError(err).Rule != policy.RuleCockpitCMOnly {
				t.Errorf("a steward sets k: %v", err)
			}
			for _, low := range []int{2, 3, 4} {
				if _, err := f.svc.SetAnalyticsK(f.ctx, f.u["claire"], low); relais.ErrorCode(err) != relais.EUNPROCESSABLE {
					t.Errorf("k = %d: %v", low, err)
				}
			}
			if a := total(); a != nil {
				t.Errorf("4 declarants after refused thresholds: %v shown", *a)
			}
			// A fifth declarant: the cell shows.
			if _, err := f.svc.DeclareBenefit(f.ctx, f.u["q4"], relais.NewBenefit{PostID: ps[0].ID, Kind: relais.BenefitCostAvoided, Amount: "100"}); err != nil {
				t.Fatal(err)
			}
			if a := total(); a == nil || *a != 50000 {
				t.Errorf("5 declarants at k = 5: %v, want 500", a)
			}
			// The community manager raises k to 6: hidden again.
			if s, err := f.svc.SetAnalyticsK(f.ctx, f.u["claire"], 6); err != nil || s.K != 6 || s.Min != 5 {
				t.Fatalf("SetAnalyticsK(6) = %+v, %v", s, err)
			}
			if a := total(); a != nil {
				t.Errorf("5 declarants at k = 6: %v shown", *a)
			}
		})
	}
}

// TestPersonProfile: a profile is seen as its owner allows, and never by
// an outsider who shares nothing.
func TestPersonProfile(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAnaFixture(t, engine)
			q1 := f.u["q1"].ID
			if _, err := f.svc.PersonProfile(f.ctx, f.u["lea"], q1); err != nil {
				t.Errorf("an employee sees an employee's profile by default: %v", err)
			}
			if _, err := f.svc.PersonProfile(f.ctx, f.u["xavier"], q1); relais.ErrorCode(err) != relais.ENOTFOUND {
				t.Errorf("an external customer sees q1: %v", err)
			}
			if _, err := f.svc.SetPrivacy(f.ctx, f.u["q1"], relais.Privacy{ProfileVisibility: relais.VisibleToSpaces}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.PersonProfile(f.ctx, f.u["lea"], q1); relais.ErrorCode(err) != relais.ENOTFOUND {
				t.Errorf("lea shares no space with q1: %v", err)
			}
			p, err := f.svc.PersonProfile(f.ctx, f.u["q2"], q1)
			if err != nil || len(p.Shared) != 3 || p.Visibility != "" {
				t.Errorf("q2 sees q1: %+v, %v", p, err)
			}
		})
	}
}

// TestReportSuppression: what a space's report must hide, for the report
// to call.
func TestReportSuppression(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAnaFixture(t, engine)
			month := relais.MonthPeriod(f.m.Start())
			for _, tc := range []struct {
				space int64
				want  string
			}{
				{f.big, ""},
				{f.small, "active_members posts replies answered_threads answer_rate median_first_response_seconds"},
				{f.mid, "replies answered_threads answer_rate median_first_response_seconds"},
			} {
				r, err := f.svc.Report(f.ctx, f.u["samir"], tc.space, month.From, month.To)
				if err != nil {
					t.Fatal(err)
				}
				hidden := r.SuppressedFigures
				// The fixture has no arrival and no declared benefit: those
				// figures, of nobody, are hidden everywhere; the activity
				// figures are hidden as the people behind them decide.
				var activity []string
				for _, h := range hidden {
					if h != relais.FigureNewMembers && !strings.HasPrefix(h, "funnel.") && !strings.HasPrefix(h, "benefits.") {
						activity = append(activity, h)
					}
				}
				if got := strings.Join(activity, " "); got != tc.want {
					t.Errorf("space %d: hidden %q, want %q", tc.space, got, tc.want)
				}
				if want := 1 + 13 + len(relais.BenefitKinds); len(hidden)-len(activity) != want {
					t.Errorf("space %d: %d funnel and benefit figures hidden, want %d: %q", tc.space, len(hidden)-len(activity), want, hidden)
				}
			}
		})
	}
}
