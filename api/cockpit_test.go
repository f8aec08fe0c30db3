package api_test

// The community manager's cockpit through the API (api/cockpit.go): the
// social media managers' capacity, the governance health on a state built
// finding by finding, the organization's names for the roles and the
// rulebook's matrix; every endpoint's validation and the 403 of its rule.
// Each test starts from a fresh demo organization on every engine.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/policy"
	"relais/server"
	"relais/store"
)

type allocationJSON struct {
	SpaceID   int64   `json:"space_id"`
	SpaceName string  `json:"space_name"`
	Hours     float64 `json:"hours"`
	Steward   bool    `json:"steward"`
}

type spaceRefJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type smmJSON struct {
	UserID        int64            `json:"user_id"`
	Login         string           `json:"login"`
	Available     float64          `json:"available_hours"`
	Allocated     float64          `json:"allocated_hours"`
	OverAllocated bool             `json:"over_allocated"`
	Allocations   []allocationJSON `json:"allocations"`
	Unallocated   []spaceRefJSON   `json:"unallocated"`
}

type capacityJSON struct {
	SMMs      []smmJSON      `json:"smms"`
	Unstaffed []spaceRefJSON `json:"unstaffed"`
}

func (c capacityJSON) smm(t *testing.T, login string) smmJSON {
	t.Helper()
	for _, m := range c.SMMs {
		if m.Login == login {
			return m
		}
	}
	t.Fatalf("no social media manager %s in %+v", login, c.SMMs)
	return smmJSON{}
}

type findingJSON struct {
	Kind      string `json:"kind"`
	Severity  string `json:"severity"`
	FR        string `json:"fr"`
	EN        string `json:"en"`
	APIPath   string `json:"api_path"`
	WebPath   string `json:"web_path"`
	SpaceID   int64  `json:"space_id"`
	SpaceName string `json:"space_name"`
	UserID    int64  `json:"user_id"`
	SignalID  int64  `json:"signal_id"`
	OtherID   int64  `json:"other_space_id"`
}

type healthJSON struct {
	Findings []findingJSON `json:"findings"`
	Skipped  []string      `json:"skipped"`
}

type roleLabelJSON struct {
	Role      string `json:"role"`
	FR        string `json:"fr"`
	EN        string `json:"en"`
	DefaultFR string `json:"default_fr"`
	DefaultEN string `json:"default_en"`
}

func (c *client) capacityOf(t *testing.T) capacityJSON {
	t.Helper()
	var out capacityJSON
	r := c.get(t, "/api/v1/capacity").wantStatus(t, 200)
	r.decode(t, &out)
	if out.SMMs == nil || out.Unstaffed == nil {
		t.Fatalf("smms and unstaffed must be arrays: %s", r)
	}
	return out
}

func (c *client) healthOf(t *testing.T) healthJSON {
	t.Helper()
	var out healthJSON
	r := c.get(t, "/api/v1/governance/health").wantStatus(t, 200)
	r.decode(t, &out)
	if out.Findings == nil || out.Skipped == nil {
		t.Fatalf("findings and skipped must be arrays: %s", r)
	}
	return out
}

// cockpitDB is a second connection to an env's database, to build the
// states the health check reads (the plan's tables belong to another
// part of Relais; these tests write them with SQL only).
type cockpitDB struct {
	db       *sql.DB
	postgres bool
}

func (d cockpitDB) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if d.postgres {
		n := 0
		var b strings.Builder
		for _, r := range q {
			if r == '?' {
				n++
				fmt.Fprintf(&b, "$%d", n)
				continue
			}
			b.WriteRune(r)
		}
		q = b.String()
	}
	if _, err := d.db.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// newCockpitEnv is newEnv with a second connection to its database.
func newCockpitEnv(t *testing.T, engine string) (*env, cockpitDB) {
	t.Helper()
	url := testdb.URL(t, engine)
	st, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	ctx := context.Background()
	if err := demo.Load(ctx, st, "demo"); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := app.New(st, events.NewLocal(), log)
	srv := httptest.NewServer(server.Handler(svc, log, server.Options{}))
	t.Cleanup(srv.Close)
	e := &env{engine: engine, st: st, svc: svc, srv: srv,
		http:   &http.Client{Transport: guard{t: t, next: srv.Client().Transport}, Timeout: time.Minute},
		spaces: map[string]int64{}, users: map[string]int64{}, posts: map[string]int64{}, tokens: map[string]string{}}
	sps, err := st.Spaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range sps {
		e.spaces[sp.Name] = sp.ID
		ps, err := st.Posts(ctx, store.PostFilter{SpaceID: sp.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			e.posts[p.Title] = p.ID
		}
	}
	for _, a := range demo.Accounts {
		u, err := st.UserByLogin(ctx, a.Login)
		if err != nil {
			t.Fatalf("user %s: %v", a.Login, err)
		}
		e.users[a.Login] = u.ID
	}
	var d cockpitDB
	if engine == "postgres" {
		d = cockpitDB{postgres: true}
		d.db, err = sql.Open("pgx", url)
	} else {
		d.db, err = sql.Open("sqlite", "file:"+strings.TrimPrefix(url, "sqlite:")+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.db.Close() })
	return e, d
}

// TestCockpitRefusals sends every cockpit endpoint, with a valid body, as
// everyone the policy keeps out, and checks the 403 names the rule; the
// role labels and the matrix are read by everyone.
func TestCockpitRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		samir := id(e.users["samir"])
		for _, login := range []string{"paul", "samir", "olivia", "victor", "marc", "xavier", "admin"} {
			c := e.as(t, login)
			c.get(t, "/api/v1/capacity").wantError(t, 403, policy.RuleCockpitCMOnly)
			c.put(t, "/api/v1/capacity", map[string]any{"login": "samir", "space_id": e.spaces[innovation], "hours": 5}).
				wantError(t, 403, policy.RuleCockpitCMOnly)
			c.put(t, "/api/v1/capacity/"+samir+"/weekly-hours", map[string]any{"hours": 30}).wantError(t, 403, policy.RuleCockpitCMOnly)
			c.get(t, "/api/v1/governance/health").wantError(t, 403, policy.RuleCockpitCMOnly)
			c.get(t, "/api/v1/role-labels").wantStatus(t, 200)
			c.get(t, "/api/v1/rulebook/matrix").wantStatus(t, 200)
			if login != "admin" {
				c.put(t, "/api/v1/role-labels", map[string]any{"role": "community_manager", "lang": "en", "label": "Chief"}).
					wantError(t, 403, policy.RuleRolesRenameGovernance)
			}
		}
		// The messages of a refusal follow the language.
		fr := e.as(t, "paul").in("fr").get(t, "/api/v1/governance/health").wantError(t, 403, policy.RuleCockpitCMOnly)
		if rule, _ := policy.Lookup(policy.RuleCockpitCMOnly); fr.Error.Message != rule.FR {
			t.Errorf("French refusal %q, want the rule's sentence", fr.Error.Message)
		}
		// Nothing was written by the refused calls.
		c := e.as(t, "claire").capacityOf(t)
		if m := c.smm(t, "samir"); len(m.Allocations) != 0 || m.Available != 35 {
			t.Errorf("samir after refused calls: %+v", m)
		}
	})
}

// TestCapacity allocates hours, flags over-allocation and allocations to
// communities one does not steward, and refuses what does not fit.
func TestCapacity(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		claire := e.as(t, "claire")
		S, U := e.spaces, e.users
		put := func(login string, space int64, hours any) *response {
			return claire.put(t, "/api/v1/capacity", map[string]any{"login": login, "space_id": space, "hours": hours})
		}

		t.Run("the demo: nobody has hours, each steward's community is unallocated", func(t *testing.T) {
			c := claire.capacityOf(t)
			if len(c.SMMs) != 2 {
				t.Fatalf("%d social media managers, want samir and olivia: %+v", len(c.SMMs), c.SMMs)
			}
			samir, olivia := c.smm(t, "samir"), c.smm(t, "olivia")
			if samir.Available != 35 || samir.Allocated != 0 || samir.OverAllocated || len(samir.Allocations) != 0 {
				t.Errorf("samir %+v", samir)
			}
			if len(samir.Unallocated) != 1 || samir.Unallocated[0].ID != S[innovation] {
				t.Errorf("samir's unallocated %+v, want Innovation Produits", samir.Unallocated)
			}
			if len(olivia.Unallocated) != 1 || olivia.Unallocated[0].ID != S[clientsPro] {
				t.Errorf("olivia's unallocated %+v, want Clients Pro", olivia.Unallocated)
			}
			if len(c.Unstaffed) != 2 {
				t.Errorf("unstaffed %+v, want both communities", c.Unstaffed)
			}
		})

		t.Run("totals, over-allocation and hours where one is not steward", func(t *testing.T) {
			var m smmJSON
			put("samir", S[innovation], 20.5).wantStatus(t, 200).decode(t, &m)
			if m.Allocated != 20.5 || m.OverAllocated || len(m.Allocations) != 1 || !m.Allocations[0].Steward {
				t.Errorf("after 20.5 h on Innovation: %+v", m)
			}
			put("samir", S[clientsPro], 15).wantStatus(t, 200).decode(t, &m)
			if m.Allocated != 35.5 || !m.OverAllocated {
				t.Errorf("35.5 h for 35 available: %+v", m)
			}
			for _, a := range m.Allocations {
				if a.SpaceID == S[clientsPro] && a.Steward {
					t.Errorf("samir does not steward Clients Pro: %+v", a)
				}
			}
			if len(m.Unallocated) != 0 {
				t.Errorf("samir's unallocated %+v", m.Unallocated)
			}
			c := claire.capacityOf(t)
			if len(c.Unstaffed) != 0 {
				t.Errorf("unstaffed %+v, want none", c.Unstaffed)
			}
			claire.put(t, "/api/v1/capacity/"+id(U["samir"])+"/weekly-hours", map[string]any{"hours": 38.25}).wantStatus(t, 200).decode(t, &m)
			if m.Available != 38.25 || m.OverAllocated {
				t.Errorf("with 38.25 h available: %+v", m)
			}
			put("samir", S[innovation], 23.26).wantStatus(t, 200).decode(t, &m)
			if m.Allocated != 38.26 || !m.OverAllocated {
				t.Errorf("one hundredth over: %+v", m)
			}
			put("samir", S[clientsPro], 0).wantStatus(t, 200).decode(t, &m)
			if m.Allocated != 23.26 || m.OverAllocated || len(m.Allocations) != 1 {
				t.Errorf("0 h removes the allocation: %+v", m)
			}
			if c := claire.capacityOf(t); len(c.Unstaffed) != 1 || c.Unstaffed[0].ID != S[clientsPro] {
				t.Errorf("unstaffed %+v, want Clients Pro", c.Unstaffed)
			}
			put("olivia", S[clientsPro], 10).wantStatus(t, 200)
			if o := claire.capacityOf(t).smm(t, "olivia"); o.Allocated != 10 || len(o.Unallocated) != 0 || !o.Allocations[0].Steward {
				t.Errorf("olivia %+v", o)
			}
		})

		t.Run("the audit trail records the changes", func(t *testing.T) {
			var out struct {
				Entries []struct {
					Action    string `json:"action"`
					SubjectID int64  `json:"subject_id"`
					SpaceID   int64  `json:"space_id"`
					Detail    string `json:"detail"`
				} `json:"entries"`
			}
			claire.get(t, "/api/v1/audit").wantStatus(t, 200).decode(t, &out)
			var allocated, weekly int
			for _, en := range out.Entries {
				switch en.Action {
				case "capacity.allocated":
					allocated++
				case "capacity.weekly_hours":
					weekly++
					if en.SubjectID != U["samir"] || en.Detail != "38.25 h" {
						t.Errorf("weekly hours entry %+v", en)
					}
				}
			}
			if allocated != 5 || weekly != 1 {
				t.Errorf("%d allocations and %d weekly hours in the trail, want 5 and 1", allocated, weekly)
			}
		})

		t.Run("what does not fit is refused", func(t *testing.T) {
			inno := S[innovation]
			for _, c := range []struct {
				name  string
				body  string
				want  int
				rule  string
				field string
			}{
				{"hours as a string", `{"login":"samir","space_id":` + id(inno) + `,"hours":"7.5"}`, 400, "", "hours"},
				{"hours as a boolean", `{"login":"samir","space_id":` + id(inno) + `,"hours":true}`, 400, "", "hours"},
				{"hours null", `{"login":"samir","space_id":` + id(inno) + `,"hours":null}`, 400, "", "hours"},
				{"no hours", `{"login":"samir","space_id":` + id(inno) + `}`, 400, "", "hours"},
				{"negative hours", `{"login":"samir","space_id":` + id(inno) + `,"hours":-1}`, 400, "", "hours"},
				{"more than a week", `{"login":"samir","space_id":` + id(inno) + `,"hours":168.01}`, 400, "", "hours"},
				{"three decimals", `{"login":"samir","space_id":` + id(inno) + `,"hours":1.234}`, 400, "", "hours"},
				{"an exponent", `{"login":"samir","space_id":` + id(inno) + `,"hours":1e1}`, 400, "", "hours"},
				{"a huge number", `{"login":"samir","space_id":` + id(inno) + `,"hours":1e400}`, 400, "", "hours"},
				{"no login", `{"space_id":` + id(inno) + `,"hours":1}`, 400, "", "login"},
				{"blank login", `{"login":" ","space_id":` + id(inno) + `,"hours":1}`, 400, "", "login"},
				{"no space", `{"login":"samir","hours":1}`, 400, "", "space_id"},
				{"space zero", `{"login":"samir","space_id":0,"hours":1}`, 400, "", "space_id"},
				{"space as a string", `{"login":"samir","space_id":"1","hours":1}`, 400, "", "space_id"},
				{"unknown login", `{"login":"nobody","space_id":` + id(inno) + `,"hours":1}`, 404, "", "login"},
				{"unknown space", `{"login":"samir","space_id":999999,"hours":1}`, 404, "", "space_id"},
				{"not a social media manager", `{"login":"paul","space_id":` + id(inno) + `,"hours":1}`, 422, policy.RuleStewardSMMOnly, "login"},
				{"a team space", `{"login":"samir","space_id":` + id(S[supportLyon]) + `,"hours":1}`, 422, policy.RuleStewardCommunityOnly, "space_id"},
				{"an outsider to an internal community", `{"login":"olivia","space_id":` + id(inno) + `,"hours":1}`, 422, policy.RuleCommunityAudience, "space_id"},
			} {
				t.Run(c.name, func(t *testing.T) {
					r := claire.put(t, "/api/v1/capacity", c.body)
					e := r.wantError(t, c.want, c.rule)
					if e.Error != nil && e.Error.Field != c.field {
						t.Errorf("field %q, want %q: %s", e.Error.Field, c.field, r)
					}
				})
			}
			for _, c := range bodyCases("/api/v1/capacity", `{"login":"samir","space_id":`+id(inno)+`,"hours":1}`) {
				t.Run("body/"+c.name, func(t *testing.T) {
					claire.do(t, "PUT", c.pathOr("/api/v1/capacity"), c.body).wantError(t, c.want, "")
				})
			}
			weekly := "/api/v1/capacity/" + id(U["samir"]) + "/weekly-hours"
			claire.put(t, weekly, `{"hours":169}`).wantError(t, 400, "")
			claire.put(t, weekly, `{"hours":"35"}`).wantError(t, 400, "")
			claire.put(t, weekly, `{}`).wantError(t, 400, "")
			claire.put(t, "/api/v1/capacity/"+id(U["paul"])+"/weekly-hours", `{"hours":10}`).wantError(t, 422, "")
			claire.put(t, "/api/v1/capacity/999999/weekly-hours", `{"hours":10}`).wantError(t, 404, "")
			claire.put(t, "/api/v1/capacity/abc/weekly-hours", `{"hours":10}`).wantError(t, 400, "")
			for _, c := range bodyCases(weekly, `{"hours":30}`) {
				t.Run("weekly/"+c.name, func(t *testing.T) {
					claire.do(t, "PUT", c.pathOr(weekly), c.body).wantError(t, c.want, "")
				})
			}
			if m := claire.capacityOf(t).smm(t, "samir"); m.Available != 38.25 || m.Allocated != 23.26 {
				t.Errorf("refused calls changed samir: %+v", m)
			}
		})
	})
}

// pathOr is the case's path, or def when it has none.
func (c badCase) pathOr(def string) string {
	if c.path != "" {
		return c.path
	}
	return def
}

// TestGovernanceHealth builds, one at a time, the state each finding is
// about, and checks the health check reports exactly that finding, and
// nothing once the state is repaired.
func TestGovernanceHealth(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e, d := newCockpitEnv(t, engine)
			claire := e.as(t, "claire")
			S, U := e.spaces, e.users
			day := 24 * time.Hour
			ago := func(dur time.Duration) int64 { return time.Now().Add(-dur).UnixMilli() }

			// A healthy organization: every space serves an objective, the
			// conversation is recent, the purposes differ.
			d.exec(t, "INSERT INTO plan_objectives (title, description, created_at) VALUES (?, '', ?)", "Objectif de test du cockpit", ago(0))
			d.exec(t, "DELETE FROM space_objectives")
			d.exec(t, `INSERT INTO space_objectives (space_id, plan_objective_id)
				SELECT s.id, o.id FROM spaces s, plan_objectives o WHERE o.title = ?`, "Objectif de test du cockpit")
			d.exec(t, "UPDATE posts SET created_at = ?", ago(day))
			d.exec(t, "UPDATE replies SET created_at = ?", ago(day))
			d.exec(t, "UPDATE spaces SET description = ?, created_at = ? WHERE id = ?", "Les clients professionnels posent leurs questions d'usage.", ago(200*day), S[clientsPro])
			d.exec(t, "UPDATE charters SET objective = ? WHERE space_id = ?", "Répondre aux clients.", S[clientsPro])

			expect := func(t *testing.T, want ...string) healthJSON {
				t.Helper()
				h := claire.healthOf(t)
				var got []string
				for _, f := range h.Findings {
					got = append(got, f.Kind+" "+f.SpaceName+f.signalOrUser())
					if f.FR == "" || f.EN == "" || f.APIPath == "" || f.WebPath == "" {
						t.Errorf("finding without its sentences or links: %+v", f)
					}
					if !strings.HasPrefix(f.APIPath, "/api/v1/") || !strings.HasPrefix(f.WebPath, "/") {
						t.Errorf("finding's paths: %+v", f)
					}
				}
				if strings.Join(got, "; ") != strings.Join(want, "; ") {
					t.Errorf("findings:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
				}
				if len(h.Skipped) != 0 {
					t.Errorf("skipped %v", h.Skipped)
				}
				return h
			}
			one := func(t *testing.T, want string) findingJSON {
				t.Helper()
				h := expect(t, want)
				if len(h.Findings) != 1 {
					t.FailNow()
				}
				return h.Findings[0]
			}
			expect(t)

			t.Run("a community without objective; a team space is none of the cockpit's business", func(t *testing.T) {
				d.exec(t, "DELETE FROM space_objectives WHERE space_id = ?", S[supportLyon])
				expect(t)
				d.exec(t, "DELETE FROM space_objectives WHERE space_id = ?", S[innovation])
				f := one(t, "space.no_objective "+innovation)
				if f.Severity != "medium" || f.WebPath != "/plan#alignment" || f.APIPath != "/api/v1/plan" || f.SpaceID != S[innovation] {
					t.Errorf("finding %+v", f)
				}
				d.exec(t, "INSERT INTO space_objectives (space_id, plan_objective_id) SELECT ?, id FROM plan_objectives WHERE title = ?", S[innovation], "Objectif de test du cockpit")
				expect(t)
			})

			t.Run("a community without sponsor", func(t *testing.T) {
				d.exec(t, "UPDATE spaces SET sponsor_unit_id = NULL WHERE id = ?", S[clientsPro])
				if f := one(t, "space.no_sponsor "+clientsPro); f.Severity != "medium" {
					t.Errorf("%+v", f)
				}
				d.exec(t, "UPDATE spaces SET sponsor_unit_id = (SELECT id FROM units WHERE name = 'Ventes') WHERE id = ?", S[clientsPro])
				expect(t)
			})

			t.Run("a community without an active steward", func(t *testing.T) {
				d.exec(t, "UPDATE users SET active = ? WHERE id = ?", false, U["samir"])
				if f := one(t, "space.no_steward "+innovation); f.Severity != "high" {
					t.Errorf("%+v", f)
				}
				d.exec(t, "UPDATE users SET active = ? WHERE id = ?", true, U["samir"])
				d.exec(t, "DELETE FROM space_stewards WHERE space_id = ?", S[clientsPro])
				one(t, "space.no_steward "+clientsPro)
				d.exec(t, "INSERT INTO space_stewards (space_id, user_id) VALUES (?, ?)", S[clientsPro], U["olivia"])
				expect(t)
			})

			t.Run("a charter not reviewed for a year", func(t *testing.T) {
				d.exec(t, "UPDATE charters SET created_at = ? WHERE space_id = ?", ago(364*day), S[innovation])
				d.exec(t, "UPDATE charters SET created_at = ? WHERE space_id = ?", ago(500*day), S[supportLyon])
				expect(t) // a team's charter is its manager's business
				d.exec(t, "UPDATE charters SET created_at = ? WHERE space_id = ?", ago(366*day), S[innovation])
				f := one(t, "charter.stale "+innovation)
				if f.Severity != "low" || f.WebPath != "/spaces/"+id(S[innovation])+"/charter" || !strings.Contains(f.EN, "366 days") {
					t.Errorf("%+v", f)
				}
				// A new version is a review.
				claire.post(t, "/api/v1/spaces/"+id(S[innovation])+"/charters", map[string]string{"objective": "Relier le terrain et le Produit.",
					"rules": "Une idée par fil.", "autonomy": "Le Produit décide.", "expected_actions": "Décrire les irritants."}).wantStatus(t, 201)
				expect(t)
			})

			t.Run("a stale signal, named without its summary", func(t *testing.T) {
				const summary = "RÉSUMÉ-CONFIDENTIEL-4471 : les remises de fin d'année"
				post := e.posts[titleSupportInvoices]
				var g signalJSON
				e.as(t, "marc").raise(t, map[string]any{"post_id": post, "owner_login": "victor", "summary": summary}).wantStatus(t, 201).decode(t, &g)
				expect(t)
				if n := e.markStale(t, time.Now().Add(30*day)); n != 1 {
					t.Fatalf("%d signals became stale", n)
				}
				h := expect(t, "signal.stale "+supportLyon+" signal")
				f := h.Findings[0]
				if f.Severity != "high" || f.SignalID != g.ID || f.WebPath != "/signals/"+id(g.ID) || f.APIPath != "/api/v1/signals/"+id(g.ID) {
					t.Errorf("%+v", f)
				}
				raw := claire.get(t, "/api/v1/governance/health").Body
				for _, secret := range []string{"RÉSUMÉ-CONFIDENTIEL", titleSupportInvoices, "remises"} {
					if strings.Contains(string(raw), secret) {
						t.Errorf("the health check reveals %q of a team space", secret)
					}
				}
				e.as(t, "victor").decideSig(t, g.ID, "accepted", "Oui.").wantStatus(t, 200)
				expect(t)
			})

			t.Run("an inactive community", func(t *testing.T) {
				d.exec(t, "UPDATE posts SET created_at = ? WHERE space_id = ?", ago(61*day), S[clientsPro])
				d.exec(t, "UPDATE replies SET created_at = ? WHERE post_id IN (SELECT id FROM posts WHERE space_id = ?)", ago(61*day), S[clientsPro])
				f := one(t, "space.inactive "+clientsPro)
				if f.Severity != "medium" || f.WebPath != "/spaces/"+id(S[clientsPro])+"/report" || !strings.Contains(f.EN, "61 days") {
					t.Errorf("%+v", f)
				}
				// One reply 59 days ago keeps it alive.
				d.exec(t, "UPDATE replies SET created_at = ? WHERE id = (SELECT MIN(r.id) FROM replies r JOIN posts p ON p.id = r.post_id WHERE p.space_id = ?)", ago(59*day), S[clientsPro])
				expect(t)
				// Nothing published at all: alive while young, inactive once
				// 60 days old.
				d.exec(t, "UPDATE posts SET status = 'hidden' WHERE space_id = ?", S[clientsPro])
				d.exec(t, "UPDATE spaces SET created_at = ? WHERE id = ?", ago(30*day), S[clientsPro])
				expect(t)
				d.exec(t, "UPDATE spaces SET created_at = ? WHERE id = ?", ago(90*day), S[clientsPro])
				if f := one(t, "space.inactive "+clientsPro); !strings.Contains(f.EN, "since it opened 90 days ago") {
					t.Errorf("%+v", f)
				}
				d.exec(t, "UPDATE posts SET status = 'published', created_at = ? WHERE space_id = ?", ago(day), S[clientsPro])
				expect(t)
			})

			t.Run("an over-allocated social media manager", func(t *testing.T) {
				claire.put(t, "/api/v1/capacity", map[string]any{"login": "samir", "space_id": S[innovation], "hours": 35}).wantStatus(t, 200)
				expect(t)
				claire.put(t, "/api/v1/capacity", map[string]any{"login": "samir", "space_id": S[clientsPro], "hours": 0.5}).wantStatus(t, 200)
				f := one(t, "smm.over_allocated  user")
				if f.Severity != "high" || f.UserID != U["samir"] || f.WebPath != "/capacity#smm-"+id(U["samir"]) ||
					!strings.Contains(f.EN, "35.5 h a week for 35 h available (0.5 h too many)") || !strings.Contains(f.FR, "35,5 h") {
					t.Errorf("%+v", f)
				}
				claire.put(t, "/api/v1/capacity/"+id(U["samir"])+"/weekly-hours", map[string]any{"hours": 35.5}).wantStatus(t, 200)
				expect(t)
			})

			t.Run("a co-pilot period past 90 days", func(t *testing.T) {
				d.exec(t, "UPDATE users SET copilot_since = ? WHERE id = ?", ago(89*day), U["olivia"])
				expect(t)
				d.exec(t, "UPDATE users SET copilot_since = ? WHERE id = ?", ago(91*day), U["olivia"])
				f := one(t, "copilot.overdue  user")
				if f.Severity != "medium" || f.UserID != U["olivia"] || f.WebPath != "/copilots/"+id(U["olivia"]) {
					t.Errorf("%+v", f)
				}
				d.exec(t, "UPDATE users SET copilot_since = ? WHERE id = ?", ago(day), U["olivia"])
				expect(t)
			})

			t.Run("two communities with very similar purposes", func(t *testing.T) {
				purpose := "Faire remonter du terrain les idées et irritants qui feront les produits de demain."
				d.exec(t, "UPDATE spaces SET description = ? WHERE id = ?", purpose, S[clientsPro])
				d.exec(t, "UPDATE charters SET objective = ? WHERE space_id = ?", "Relier le terrain et l'équipe Produit pour améliorer nos offres.", S[clientsPro])
				h := claire.healthOf(t)
				if len(h.Findings) != 1 || h.Findings[0].Kind != "space.overlap" || h.Findings[0].Severity != "low" {
					t.Fatalf("findings %+v", h.Findings)
				}
				f := h.Findings[0]
				if pair := []int64{f.SpaceID, f.OtherID}; !(pair[0] == S[innovation] && pair[1] == S[clientsPro]) && !(pair[0] == S[clientsPro] && pair[1] == S[innovation]) {
					t.Errorf("overlap of %v", pair)
				}
				d.exec(t, "UPDATE spaces SET description = ? WHERE id = ?", "Les clients professionnels posent leurs questions d'usage.", S[clientsPro])
				d.exec(t, "UPDATE charters SET objective = ? WHERE space_id = ?", "Répondre aux clients.", S[clientsPro])
				expect(t)
			})

			t.Run("the most urgent first", func(t *testing.T) {
				d.exec(t, "DELETE FROM space_objectives WHERE space_id = ?", S[innovation])
				d.exec(t, "DELETE FROM space_stewards WHERE space_id = ?", S[clientsPro])
				d.exec(t, "UPDATE charters SET created_at = ? WHERE space_id = ?", ago(400*day), S[clientsPro])
				h := expect(t, "space.no_steward "+clientsPro, "space.no_objective "+innovation, "charter.stale "+clientsPro)
				for i, sv := range []string{"high", "medium", "low"} {
					if h.Findings[i].Severity != sv {
						t.Errorf("finding %d: severity %s, want %s", i, h.Findings[i].Severity, sv)
					}
				}
			})
		})
	}
}

// signalOrUser says what a finding is about besides its space.
func (f findingJSON) signalOrUser() string {
	switch {
	case f.SignalID != 0:
		return " signal"
	case f.UserID != 0:
		return " user"
	}
	return ""
}

// TestRoleLabels renames roles, restores the defaults, and refuses what
// does not fit.
func TestRoleLabels(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		labels := func(c *client) map[string]roleLabelJSON {
			t.Helper()
			var out struct {
				Labels []roleLabelJSON `json:"labels"`
			}
			c.get(t, "/api/v1/role-labels").wantStatus(t, 200).decode(t, &out)
			m := map[string]roleLabelJSON{}
			for _, l := range out.Labels {
				m[l.Role] = l
			}
			return m
		}
		ls := labels(e.as(t, "xavier"))
		if len(ls) != 3 || ls["community_manager"].EN != "Community manager" || ls["administrator"].FR != "Administrateur" {
			t.Fatalf("default labels %+v", ls)
		}
		claire, admin := e.as(t, "claire"), e.as(t, "admin")
		claire.put(t, "/api/v1/role-labels", map[string]string{"role": "community_manager", "lang": "en", "label": "  Social initiatives manager "}).wantStatus(t, 200)
		admin.put(t, "/api/v1/role-labels", map[string]string{"role": "community_manager", "lang": "fr", "label": "Responsable des initiatives sociales"}).wantStatus(t, 200)
		ls = labels(e.as(t, "paul"))
		if l := ls["community_manager"]; l.EN != "Social initiatives manager" || l.FR != "Responsable des initiatives sociales" ||
			l.DefaultEN != "Community manager" {
			t.Errorf("renamed %+v", l)
		}
		if ls["social_media_manager"].EN != "Social media manager" {
			t.Errorf("other roles keep their names: %+v", ls["social_media_manager"])
		}
		// The rules keep their words.
		var rb struct {
			Rules []struct{ ID, FR, EN string } `json:"rules"`
		}
		e.as(t, "paul").get(t, "/api/v1/rulebook").wantStatus(t, 200).decode(t, &rb)
		for _, r := range rb.Rules {
			if strings.Contains(r.EN, "Social initiatives") {
				t.Errorf("rule %s rewritten: %s", r.ID, r.EN)
			}
		}
		claire.put(t, "/api/v1/role-labels", map[string]string{"role": "community_manager", "lang": "en", "label": ""}).wantStatus(t, 200)
		if l := labels(claire)["community_manager"]; l.EN != "Community manager" || l.FR != "Responsable des initiatives sociales" {
			t.Errorf("reset in English only: %+v", l)
		}
		claire.put(t, "/api/v1/role-labels", map[string]string{"role": "administrator", "lang": "fr", "label": strings.Repeat("é", 80)}).wantStatus(t, 200)
		for _, c := range []struct {
			name, body, field string
		}{
			{"unknown role", `{"role":"king","lang":"en","label":"King"}`, "role"},
			{"no role", `{"lang":"en","label":"King"}`, "role"},
			{"unknown language", `{"role":"administrator","lang":"de","label":"Verwalter"}`, "lang"},
			{"no label", `{"role":"administrator","lang":"en"}`, "label"},
			{"81 characters", `{"role":"administrator","lang":"en","label":"` + strings.Repeat("a", 81) + `"}`, "label"},
			{"a line break", `{"role":"administrator","lang":"en","label":"IT\nteam"}`, "label"},
			{"a NUL", `{"role":"administrator","lang":"en","label":"IT\u0000"}`, "label"},
			{"label as a number", `{"role":"administrator","lang":"en","label":5}`, "label"},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := claire.put(t, "/api/v1/role-labels", c.body)
				if e := r.wantError(t, 400, ""); e.Error != nil && e.Error.Field != c.field {
					t.Errorf("field %q, want %q", e.Error.Field, c.field)
				}
			})
		}
		for _, c := range bodyCases("/api/v1/role-labels", `{"role":"administrator","lang":"en","label":"IT"}`) {
			t.Run("body/"+c.name, func(t *testing.T) {
				claire.do(t, "PUT", c.pathOr("/api/v1/role-labels"), c.body).wantError(t, c.want, "")
			})
		}
		if l := labels(claire)["administrator"]; l.EN != "Administrator" || l.FR != strings.Repeat("é", 80) {
			t.Errorf("refused calls changed the labels: %+v", l)
		}
	})
}

// TestRulebookMatrix reads the matrix: every action of the policy, for
// every profile, each decision naming a rule of the rulebook.
func TestRulebookMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		var m struct {
			Actions  []string `json:"actions"`
			Profiles []struct {
				ID        string `json:"id"`
				Role      string `json:"role"`
				Decisions []struct {
					Action, Effect, Rule string
				} `json:"decisions"`
			} `json:"profiles"`
		}
		e.as(t, "xavier").get(t, "/api/v1/rulebook/matrix").wantStatus(t, 200).decode(t, &m)
		if len(m.Actions) != len(policy.Actions) || len(m.Profiles) != 7 {
			t.Fatalf("%d actions, %d profiles", len(m.Actions), len(m.Profiles))
		}
		for i, a := range policy.Actions {
			if m.Actions[i] != string(a) {
				t.Errorf("action %d: %s, want %s", i, m.Actions[i], a)
			}
		}
		for _, p := range m.Profiles {
			if len(p.Decisions) != len(policy.Actions) {
				t.Errorf("%s: %d decisions", p.ID, len(p.Decisions))
			}
			for i, d := range p.Decisions {
				if d.Action != string(policy.Actions[i]) {
					t.Errorf("%s: decision %d for %s", p.ID, i, d.Action)
				}
				if _, ok := policy.Lookup(d.Rule); !ok {
					t.Errorf("%s %s: unknown rule %q", p.ID, d.Action, d.Rule)
				}
			}
		}
		e.as(t, "paul").get(t, "/api/v1/rulebook/matrix?x=1").wantError(t, 400, "")
	})
}
