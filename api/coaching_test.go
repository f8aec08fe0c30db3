package api_test

// Coaching, mentions and contribution agreements through HTTP: the
// coach's invisibility in the team space end to end, the privacy of the
// thread, mentions that reach only who may read, agreements decided by the
// right manager and shown in the capacity without any activity.

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"relais"
	"relais/policy"
)

type coachingJSON struct {
	ID         int64  `json:"id"`
	TeamID     int64  `json:"team_id"`
	TeamName   string `json:"team_name"`
	ManagerID  int64  `json:"manager_id"`
	CoachID    int64  `json:"coach_id"`
	CoachLogin string `json:"coach_login"`
	Topic      string `json:"topic"`
	Status     string `json:"status"`
	Messages   int    `json:"messages"`
}

type coachingThreadJSON struct {
	Coaching coachingJSON `json:"coaching"`
	Messages []struct {
		AuthorID int64  `json:"author_id"`
		Body     string `json:"body"`
	} `json:"messages"`
	SpaceID  int64           `json:"space_id"`
	Figures  json.RawMessage `json:"figures"`
	CanWrite bool            `json:"can_write"`
}

type agreementJSON struct {
	ID        int64   `json:"id"`
	UserID    int64   `json:"user_id"`
	SpaceID   int64   `json:"space_id"`
	ManagerID int64   `json:"manager_id"`
	Hours     float64 `json:"hours_per_week"`
	Role      string  `json:"role"`
	Status    string  `json:"status"`
	Reason    string  `json:"reason"`
}

// logins returns the logins of a list of people ("members" or "people").
func logins(t *testing.T, r *response, key string) []string {
	t.Helper()
	var out map[string][]struct {
		Login string `json:"login"`
	}
	r.decode(t, &out)
	var ls []string
	for _, m := range out[key] {
		ls = append(ls, m.Login)
	}
	return ls
}

func TestCoachingInvisibility(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		marc, samir, paul, claire := e.as(t, "marc"), e.as(t, "samir"), e.as(t, "paul"), e.as(t, "claire")
		support := id(e.spaces[supportLyon])
		analytics := "/api/v1/spaces/" + support + "/analytics"

		// Before: samir is a plain outsider to the team space.
		samir.get(t, analytics).wantUnseen(t)

		var c coachingJSON
		marc.post(t, "/api/v1/coaching", map[string]any{"coach_login": "samir", "topic": "Faire vivre nos rituels"}).
			wantStatus(t, 201).decode(t, &c)
		if c.ID == 0 || c.CoachID != e.users["samir"] || c.ManagerID != e.users["marc"] || c.Status != "open" || c.TeamName != supportLyon {
			t.Fatalf("coaching: %+v", c)
		}
		if n := samir.notif(t, relais.NotifyCoachingRequested, func(n notificationJSON) bool { return n.SubjectID == c.ID }); n == nil || n.SpaceID != 0 {
			t.Errorf("samir is not told of the request, or it names a space: %+v", n)
		}
		if paul.countNotifs(t, relais.NotifyCoachingRequested) != 0 {
			t.Error("a team member is told of the coaching")
		}

		t.Run("never a member, never mentionable", func(t *testing.T) {
			if ls := logins(t, marc.get(t, "/api/v1/spaces/"+support+"/members").wantStatus(t, 200), "members"); slices.Contains(ls, "samir") || !slices.Contains(ls, "paul") {
				t.Errorf("members seen by marc: %v", ls)
			}
			samir.get(t, "/api/v1/spaces/"+support+"/members").wantUnseen(t)
			for _, q := range []string{"", "s", "sam", "Samir"} {
				ls := logins(t, marc.get(t, "/api/v1/spaces/"+support+"/mentionable?q="+url.QueryEscape(q)).wantStatus(t, 200), "people")
				if slices.Contains(ls, "samir") {
					t.Errorf("q=%q: samir is mentionable: %v", q, ls)
				}
				if q == "" && !slices.Contains(ls, "paul") {
					t.Errorf("paul is not mentionable: %v", ls)
				}
			}
			samir.get(t, "/api/v1/spaces/"+support+"/mentionable").wantUnseen(t)
		})

		// marc posts a thread that names samir and paul.
		var p struct {
			ID int64 `json:"id"`
		}
		marc.post(t, "/api/v1/spaces/"+support+"/posts", map[string]any{"kind": "discussion", "title": "Rituel zorglubmention",
			"body": "@samir peux-tu regarder ? Et @paul, ton avis. (écrire à marc@relais.example)"}).wantStatus(t, 201).decode(t, &p)
		post := id(p.ID)

		t.Run("cannot read, post, reply or react", func(t *testing.T) {
			samir.get(t, "/api/v1/spaces/"+support).wantUnseen(t)
			samir.get(t, "/api/v1/spaces/"+support+"/posts").wantUnseen(t)
			samir.get(t, "/api/v1/posts/"+post).wantUnseen(t)
			samir.post(t, "/api/v1/spaces/"+support+"/posts", map[string]any{"kind": "discussion", "title": "Coucou", "body": "Je suis là."}).
				wantUnseen(t)
			samir.post(t, "/api/v1/posts/"+post+"/replies", map[string]any{"body": "Bonjour"}).wantUnseen(t)
			samir.post(t, "/api/v1/posts/"+post+"/reactions", map[string]any{"kind": "like"}).wantUnseen(t)
		})

		t.Run("not in the space list nor in search", func(t *testing.T) {
			var sp struct {
				Spaces []struct {
					ID int64 `json:"id"`
				} `json:"spaces"`
			}
			samir.get(t, "/api/v1/spaces").wantStatus(t, 200).decode(t, &sp)
			for _, s := range sp.Spaces {
				if s.ID == e.spaces[supportLyon] {
					t.Error("the team space is in the coach's list")
				}
			}
			if samir.found(t, "zorglubmention", p.ID) {
				t.Error("the coach finds the team's post in search")
			}
			if !paul.found(t, "zorglubmention", p.ID) {
				t.Error("a team member does not find the post: the search proves nothing")
			}
		})

		t.Run("a mention reaches the team, never the coach", func(t *testing.T) {
			if n := paul.notif(t, relais.NotifyMention, func(n notificationJSON) bool { return n.PostID == p.ID }); n == nil || n.ActorID != e.users["marc"] {
				t.Errorf("paul is not told he was mentioned: %+v", n)
			}
			if samir.countNotifs(t, relais.NotifyMention) != 0 {
				t.Error("the coach is told of a mention in the team space")
			}
			if claire.countNotifs(t, relais.NotifyMention) != 0 {
				t.Error("an outsider is told of a mention")
			}
			// A reply that names samir again, and marc (the author of the
			// thread, not of the reply): marc is told, samir still not.
			paul.post(t, "/api/v1/posts/"+post+"/replies", map[string]any{"body": "D'accord @marc, et @samir ?"}).wantStatus(t, 201)
			if marc.countNotifs(t, relais.NotifyMention) != 1 {
				t.Error("marc is not told of paul's mention")
			}
			if samir.countNotifs(t, relais.NotifyMention) != 0 {
				t.Error("the coach is told of a mention in a reply")
			}
		})

		t.Run("the coach reads the aggregate figures, nothing else", func(t *testing.T) {
			r := samir.get(t, analytics).wantStatus(t, 200)
			var rep struct {
				Scope       string          `json:"scope"`
				K           int             `json:"k"`
				Suppressed  *bool           `json:"suppressed"`
				Current     json.RawMessage `json:"current"`
				Sources     []any           `json:"sources"`
				Spaces      []any           `json:"spaces"`
				OtherSpaces int             `json:"other_spaces"`
			}
			r.decode(t, &rep)
			if rep.Scope != "space" || rep.K < 1 || rep.Suppressed == nil || len(rep.Current) == 0 {
				t.Errorf("figures: %s", r)
			}
			if len(rep.Sources) != 0 || len(rep.Spaces) != 0 || rep.OtherSpaces != 1 {
				t.Errorf("the coach's figures name content or the space: %s", r)
			}
			// The team has two people, fewer than k: who did what is
			// suppressed for the coach as for anyone.
			if !*rep.Suppressed {
				t.Errorf("two people's activity is not suppressed: %s", r)
			}
			if strings.Contains(string(r.Body), "zorglubmention") {
				t.Error("the figures show a post's title")
			}
		})

		t.Run("the thread is private to its two parties", func(t *testing.T) {
			th := "/api/v1/coaching/" + id(c.ID)
			samir.post(t, th+"/messages", map[string]any{"body": "Avec plaisir, regardons les chiffres."}).wantStatus(t, 201)
			if marc.countNotifs(t, relais.NotifyCoachingMessage) != 1 {
				t.Error("marc is not told of samir's message")
			}
			var got coachingThreadJSON
			samir.get(t, th).wantStatus(t, 200).decode(t, &got)
			if got.Coaching.ID != c.ID || len(got.Messages) != 1 || !got.CanWrite || got.SpaceID != e.spaces[supportLyon] ||
				len(got.Figures) == 0 || string(got.Figures) == "null" {
				t.Errorf("thread for the coach: %+v", got)
			}
			for _, who := range []string{"paul", "claire", "nadia", "admin"} {
				e.as(t, who).get(t, th).wantError(t, 404, "")
				e.as(t, who).post(t, th+"/messages", map[string]any{"body": "Hello"}).wantError(t, 404, "")
				e.as(t, who).post(t, th+"/close", nil).wantError(t, 404, "")
			}
			var mine struct {
				Coachings []coachingJSON `json:"coachings"`
			}
			paul.get(t, "/api/v1/coaching").wantStatus(t, 200).decode(t, &mine)
			if len(mine.Coachings) != 0 {
				t.Errorf("paul lists coachings: %+v", mine)
			}
			samir.get(t, "/api/v1/coaching").wantStatus(t, 200).decode(t, &mine)
			if len(mine.Coachings) != 1 || mine.Coachings[0].ID != c.ID {
				t.Errorf("samir's coachings: %+v", mine)
			}
			e.as(t, "paul").get(t, "/api/v1/coaching/999999").wantError(t, 404, "")
		})

		t.Run("closed: the figures are gone", func(t *testing.T) {
			th := "/api/v1/coaching/" + id(c.ID)
			var closed coachingJSON
			marc.post(t, th+"/close", nil).wantStatus(t, 200).decode(t, &closed)
			if closed.Status != "closed" {
				t.Errorf("closed: %+v", closed)
			}
			samir.get(t, analytics).wantUnseen(t)
			samir.get(t, "/api/v1/spaces/"+support+"/posts").wantUnseen(t)
			var got coachingThreadJSON
			samir.get(t, th).wantStatus(t, 200).decode(t, &got)
			if string(got.Figures) != "null" || got.CanWrite {
				t.Errorf("a closed thread still gives figures: %+v", got)
			}
			samir.post(t, th+"/messages", map[string]any{"body": "Encore un mot"}).wantError(t, 422, "")
			marc.post(t, th+"/close", nil).wantError(t, 409, "")
			if samir.countNotifs(t, relais.NotifyCoachingClosed) != 1 {
				t.Error("samir is not told the coaching closed")
			}
		})
	})
}

func TestCoachingRequests(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		marc := e.as(t, "marc")
		e.as(t, "lea").post(t, "/api/v1/coaching", map[string]any{"coach_login": "samir"}).wantError(t, 403, policy.RuleCoachingManagers)
		for _, tc := range []struct {
			body   any
			status int
			rule   string
		}{
			{map[string]any{}, 400, ""},
			{map[string]any{"coach_login": ""}, 400, ""},
			{map[string]any{"coach_login": "  "}, 400, ""},
			{map[string]any{"coach_login": 12}, 400, ""},
			{map[string]any{"coach_login": "samir", "topic": strings.Repeat("x", 201)}, 400, ""},
			{map[string]any{"coach_login": "samir", "team_id": -1}, 400, ""},
			{map[string]any{"coach_login": "samir", "extra": 1}, 400, ""},
			{`{"coach_login":"samir"`, 400, ""},
			{map[string]any{"coach_login": "nobody"}, 404, ""},
			{map[string]any{"coach_login": "olivia"}, 422, policy.RuleCoachingCoaches}, // external, in co-pilot
			{map[string]any{"coach_login": "paul"}, 422, policy.RuleCoachingCoaches},   // not a CM or SMM
			{map[string]any{"coach_login": "marc"}, 422, ""},
			{map[string]any{"coach_login": "samir", "team_id": e.spaces[ventesParis] + 1000}, 403, policy.RuleCoachingManagers},
		} {
			marc.post(t, "/api/v1/coaching", tc.body).wantError(t, tc.status, tc.rule)
		}
		var c coachingJSON
		marc.post(t, "/api/v1/coaching", map[string]any{"coach_login": "claire"}).wantStatus(t, 201).decode(t, &c)
		if c.Topic != "" || c.CoachLogin != "claire" {
			t.Errorf("coaching: %+v", c)
		}
		marc.post(t, "/api/v1/coaching", map[string]any{"coach_login": "claire"}).wantError(t, 409, "")
		// Messages: empty, huge, then fine.
		th := "/api/v1/coaching/" + id(c.ID) + "/messages"
		marc.post(t, th, map[string]any{"body": " "}).wantError(t, 400, "")
		marc.post(t, th, map[string]any{"body": strings.Repeat("é", relais.MaxCoachingMessage+1)}).wantError(t, 400, "")
		marc.post(t, th, map[string]any{}).wantError(t, 400, "")
		marc.post(t, th, map[string]any{"body": "Bonjour Claire"}).wantStatus(t, 201)
		marc.get(t, "/api/v1/coaching/abc").wantError(t, 400, "")
		// The audit trail records the request, for the community manager.
		if r := e.as(t, "claire").get(t, "/api/v1/audit").wantStatus(t, 200); !strings.Contains(string(r.Body), relais.AuditCoachingRequested) {
			t.Errorf("audit lacks the request: %s", truncate(string(r.Body), 400))
		}
	})
}

func TestContributionAgreements(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		lea, nadia, marc, paul, claire := e.as(t, "lea"), e.as(t, "nadia"), e.as(t, "marc"), e.as(t, "paul"), e.as(t, "claire")
		inno := id(e.spaces[innovation])
		propose := "/api/v1/spaces/" + inno + "/agreements"

		// paul's demo agreement is approved already: a second one conflicts.
		paul.post(t, propose, map[string]any{"hours_per_week": 1}).wantError(t, 409, "")
		paul.post(t, "/api/v1/spaces/"+id(e.spaces[supportLyon])+"/agreements", map[string]any{"hours_per_week": 1}).
			wantError(t, 403, policy.RuleAgreementCommunities)
		e.as(t, "xavier").post(t, "/api/v1/spaces/"+id(e.spaces[clientsPro])+"/agreements", map[string]any{"hours_per_week": 1}).
			wantError(t, 403, policy.RuleAgreementEmployees)
		lea.post(t, propose, map[string]any{"hours_per_week": 2}).wantError(t, 403, policy.RuleCommunityNonMember)
		marc.post(t, propose, map[string]any{"hours_per_week": 2}).wantError(t, 422, "") // no manager in the directory

		lea.post(t, "/api/v1/spaces/"+inno+"/members", map[string]any{"charter_version": 1}).wantStatus(t, 201)
		for _, body := range []any{
			map[string]any{},
			map[string]any{"hours_per_week": nil},
			map[string]any{"hours_per_week": 0.25},
			map[string]any{"hours_per_week": 0},
			map[string]any{"hours_per_week": -2},
			map[string]any{"hours_per_week": 40.5},
			map[string]any{"hours_per_week": 1000000},
			map[string]any{"hours_per_week": "2"},
			map[string]any{"hours_per_week": 1.234},
			`{"hours_per_week": 1e400}`,
			`{"hours_per_week": NaN}`,
			map[string]any{"hours_per_week": 2, "role": strings.Repeat("r", 61)},
			map[string]any{"hours_per_week": 2, "note": strings.Repeat("n", 1001)},
			map[string]any{"hours_per_week": 2, "color": "blue"},
		} {
			lea.post(t, propose, body).wantError(t, 400, "")
		}
		lea.post(t, "/api/v1/spaces/999999/agreements", map[string]any{"hours_per_week": 2}).wantError(t, 404, "")

		var a agreementJSON
		lea.post(t, propose, map[string]any{"hours_per_week": 3.5, "role": "experte", "note": "Le vendredi matin."}).wantStatus(t, 201).decode(t, &a)
		if a.Status != "proposed" || a.Hours != 3.5 || a.ManagerID != e.users["nadia"] || a.Role != "experte" {
			t.Fatalf("agreement: %+v", a)
		}
		lea.post(t, propose, map[string]any{"hours_per_week": 1}).wantError(t, 409, "")
		if nadia.countNotifs(t, relais.NotifyAgreementProposed) != 1 {
			t.Error("nadia is not asked")
		}
		var lists struct {
			Mine     []agreementJSON `json:"mine"`
			ToDecide []agreementJSON `json:"to_decide"`
			Team     []agreementJSON `json:"team"`
		}
		nadia.get(t, "/api/v1/agreements").wantStatus(t, 200).decode(t, &lists)
		if len(lists.ToDecide) != 1 || lists.ToDecide[0].ID != a.ID {
			t.Errorf("nadia's agreements to decide: %+v", lists)
		}
		marc.get(t, "/api/v1/agreements").wantStatus(t, 200).decode(t, &lists)
		if len(lists.ToDecide) != 0 || len(lists.Team) != 1 || lists.Team[0].UserID != e.users["paul"] {
			t.Errorf("marc's agreements: %+v", lists)
		}

		approve := "/api/v1/agreements/" + id(a.ID) + "/approve"
		marc.post(t, approve, nil).wantError(t, 403, policy.RuleAgreementManagerOnly)
		lea.post(t, approve, nil).wantError(t, 403, policy.RuleAgreementManagerOnly)
		claire.post(t, approve, nil).wantError(t, 403, policy.RuleAgreementManagerOnly)
		nadia.post(t, "/api/v1/agreements/999999/approve", nil).wantError(t, 404, "")
		var done agreementJSON
		nadia.post(t, approve, nil).wantStatus(t, 200).decode(t, &done)
		if done.Status != "approved" {
			t.Errorf("approved: %+v", done)
		}
		nadia.post(t, approve, nil).wantError(t, 409, "")
		if lea.countNotifs(t, relais.NotifyAgreementApproved) != 1 {
			t.Error("lea is not told of the approval")
		}

		t.Run("capacity shows the agreed hours, never activity", func(t *testing.T) {
			e.as(t, "lea").get(t, "/api/v1/capacity").wantError(t, 403, policy.RuleCockpitCMOnly)
			r := claire.get(t, "/api/v1/capacity").wantStatus(t, 200)
			var c struct {
				Agreements []map[string]json.RawMessage `json:"agreements"`
			}
			r.decode(t, &c)
			var found bool
			for _, sa := range c.Agreements {
				var sid int64
				json.Unmarshal(sa["space_id"], &sid)
				if sid != e.spaces[innovation] {
					continue
				}
				found = true
				if string(sa["hours_per_week"]) != "5.5" {
					t.Errorf("Innovation's agreed hours: %s", sa["hours_per_week"])
				}
				var people []map[string]any
				json.Unmarshal(sa["agreements"], &people)
				if len(people) != 2 {
					t.Fatalf("agreements: %v", people)
				}
				for _, p := range people {
					var keys []string
					for k := range p {
						keys = append(keys, k)
					}
					slices.Sort(keys)
					if !slices.Equal(keys, []string{"agreement_id", "hours_per_week", "name", "role", "user_id"}) {
						t.Errorf("an agreement in the capacity says more than the time: %v", keys)
					}
				}
			}
			if !found {
				t.Errorf("no agreements for Innovation Produits: %s", r)
			}
		})

		t.Run("withdraw, then decline with a reason", func(t *testing.T) {
			nadia.post(t, "/api/v1/agreements/"+id(a.ID)+"/withdraw", nil).wantError(t, 403, policy.RuleAgreementWithdrawOwner)
			lea.post(t, "/api/v1/agreements/"+id(a.ID)+"/withdraw", nil).wantStatus(t, 200)
			lea.post(t, "/api/v1/agreements/"+id(a.ID)+"/withdraw", nil).wantError(t, 409, "")
			if nadia.countNotifs(t, relais.NotifyAgreementWithdrawn) != 1 {
				t.Error("nadia is not told of the withdrawal")
			}
			var b agreementJSON
			lea.post(t, propose, map[string]any{"hours_per_week": 4}).wantStatus(t, 201).decode(t, &b)
			if b.Role != "contributor" {
				t.Errorf("default role: %+v", b)
			}
			decline := "/api/v1/agreements/" + id(b.ID) + "/decline"
			nadia.post(t, decline, map[string]any{}).wantError(t, 400, "")
			nadia.post(t, decline, map[string]any{"reason": " "}).wantError(t, 400, "")
			marc.post(t, decline, map[string]any{"reason": "Non"}).wantError(t, 403, policy.RuleAgreementManagerOnly)
			nadia.post(t, decline, map[string]any{"reason": "Période de clôture trimestrielle."}).wantStatus(t, 200).decode(t, &b)
			if b.Status != "declined" || b.Reason != "Période de clôture trimestrielle." {
				t.Errorf("declined: %+v", b)
			}
			if n := lea.notif(t, relais.NotifyAgreementDeclined, nil); n == nil || n.Detail != b.Reason {
				t.Errorf("lea is not told why: %+v", n)
			}
			r := claire.get(t, "/api/v1/capacity").wantStatus(t, 200)
			if strings.Contains(string(r.Body), "Léa") {
				t.Errorf("a withdrawn or declined agreement stays in the capacity: %s", truncate(string(r.Body), 600))
			}
		})
	})
}
