package api_test

// From conversation to decision through the API (api/signals.go): a
// participant suggests a signal, a steward routes it to whoever decides (a
// person or the head of a unit), the owner acknowledges and decides, the
// decision shows in the thread, and the value it brought is declared.
// Escalations to the community manager or a named person, stale signals,
// the privacy of team spaces, and the webhook outbox written in the same
// transaction. Each test starts from a fresh demo organization on every
// engine; its subtests run in order and later ones see what earlier ones
// did.

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/policy"
)

type signalStepJSON struct {
	Status  string `json:"status"`
	ActorID int64  `json:"actor_id"`
	Note    string `json:"note"`
}

type signalJSON struct {
	ID        int64            `json:"id"`
	SpaceID   int64            `json:"space_id"`
	SpaceName string           `json:"space_name"`
	PostID    int64            `json:"post_id"`
	PostTitle string           `json:"post_title"`
	RaisedBy  int64            `json:"raised_by"`
	OwnerID   int64            `json:"owner_id"`
	OwnerName string           `json:"owner_name"`
	UnitID    int64            `json:"unit_id"`
	UnitName  string           `json:"unit_name"`
	Summary   string           `json:"summary"`
	Status    string           `json:"status"`
	Decision  string           `json:"decision"`
	DecidedBy int64            `json:"decided_by"`
	DecidedAt *time.Time       `json:"decided_at"`
	DueAt     time.Time        `json:"due_at"`
	Stale     bool             `json:"stale"`
	CreatedAt time.Time        `json:"created_at"`
	History   []signalStepJSON `json:"history"`
}

type signalListsJSON struct {
	Signals []signalJSON `json:"signals"`
	Owned   []signalJSON `json:"owned"`
	Raised  []signalJSON `json:"raised"`
	Stale   []signalJSON `json:"stale"`
}

type suggestionJSON struct {
	ID       int64  `json:"id"`
	SpaceID  int64  `json:"space_id"`
	PostID   int64  `json:"post_id"`
	UserID   int64  `json:"user_id"`
	Note     string `json:"note"`
	Status   string `json:"status"`
	SignalID int64  `json:"signal_id"`
}

type escalationJSON struct {
	ID         int64      `json:"id"`
	SpaceID    int64      `json:"space_id"`
	PostID     int64      `json:"post_id"`
	RaisedBy   int64      `json:"raised_by"`
	AssigneeID int64      `json:"assignee_id"`
	Severity   string     `json:"severity"`
	Summary    string     `json:"summary"`
	DeadlineAt time.Time  `json:"deadline_at"`
	Status     string     `json:"status"`
	Resolution string     `json:"resolution"`
	ResolvedBy int64      `json:"resolved_by"`
	ResolvedAt *time.Time `json:"resolved_at"`
	Overdue    bool       `json:"overdue"`
	CreatedAt  time.Time  `json:"created_at"`
}

// threadSignalsJSON is what a thread says of the signals raised from it.
type threadSignalsJSON struct {
	ID      int64        `json:"id"`
	Title   string       `json:"title"`
	Signals []signalJSON `json:"signals"`
}

// raise routes a post as c and returns the answer.
func (c *client) raise(t *testing.T, body any) *response {
	t.Helper()
	return c.post(t, "/api/v1/signals", body)
}

// raised routes a post as c, wanting a 201, and returns the signal.
func (c *client) raised(t *testing.T, body any) signalJSON {
	t.Helper()
	var g signalJSON
	c.raise(t, body).wantStatus(t, 201).decode(t, &g)
	if g.ID == 0 || g.Status != "new" {
		t.Fatalf("new signal %+v", g)
	}
	return g
}

func (c *client) decideSig(t *testing.T, signalID int64, status, decision string) *response {
	t.Helper()
	body := map[string]string{"status": status}
	if decision != "" {
		body["decision"] = decision
	}
	return c.post(t, "/api/v1/signals/"+id(signalID)+"/decision", body)
}

func (c *client) signalLists(t *testing.T) signalListsJSON {
	t.Helper()
	var ls signalListsJSON
	r := c.get(t, "/api/v1/signals").wantStatus(t, 200)
	r.decode(t, &ls)
	if ls.Signals == nil || ls.Owned == nil || ls.Raised == nil || ls.Stale == nil {
		t.Fatalf("signals, owned, raised and stale must be arrays: %s", r)
	}
	return ls
}

func (c *client) signalByID(t *testing.T, signalID int64) signalJSON {
	t.Helper()
	var g signalJSON
	c.get(t, "/api/v1/signals/"+id(signalID)).wantStatus(t, 200).decode(t, &g)
	return g
}

func (c *client) threadSignals(t *testing.T, postID int64) threadSignalsJSON {
	t.Helper()
	var th threadSignalsJSON
	r := c.get(t, "/api/v1/posts/"+id(postID)).wantStatus(t, 200)
	r.decode(t, &th)
	if th.Signals == nil {
		t.Fatalf("a thread's signals must be an array: %s", r)
	}
	return th
}

func (c *client) suggestions(t *testing.T, spaceID int64) []suggestionJSON {
	t.Helper()
	var out struct {
		Suggestions []suggestionJSON `json:"suggestions"`
	}
	c.get(t, "/api/v1/spaces/"+id(spaceID)+"/signal-suggestions").wantStatus(t, 200).decode(t, &out)
	if out.Suggestions == nil {
		t.Fatalf("suggestions must be an array")
	}
	return out.Suggestions
}

func (c *client) escalationList(t *testing.T) []escalationJSON {
	t.Helper()
	var out struct {
		Escalations []escalationJSON `json:"escalations"`
	}
	r := c.get(t, "/api/v1/escalations").wantStatus(t, 200)
	r.decode(t, &out)
	if out.Escalations == nil {
		t.Fatalf("escalations must be an array: %s", r)
	}
	return out.Escalations
}

func findSig(gs []signalJSON, signalID int64) *signalJSON {
	for i := range gs {
		if gs[i].ID == signalID {
			return &gs[i]
		}
	}
	return nil
}

func sigIDs(gs []signalJSON) []int64 {
	var ids []int64
	for _, g := range gs {
		ids = append(ids, g.ID)
	}
	return ids
}

func escIDs(es []escalationJSON) []int64 {
	var ids []int64
	for _, x := range es {
		ids = append(ids, x.ID)
	}
	return ids
}

// unitID returns the id of a demo unit.
func (e *env) unitID(t *testing.T, name string) int64 {
	t.Helper()
	us, err := e.st.Units(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.Name == name {
			return u.ID
		}
	}
	t.Fatalf("no unit %q", name)
	return 0
}

// markStale runs the stale-signal check once, as if the clock read now.
func (e *env) markStale(t *testing.T, now time.Time) int {
	t.Helper()
	n, err := e.svc.MarkStaleSignals(t.Context(), now)
	if err != nil {
		t.Fatalf("MarkStaleSignals: %v", err)
	}
	return n
}

func TestSignalWholeChain(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U := e.spaces, e.users
		inno := S[innovation]
		paul, samir, victor, marc, lea := e.as(t, "paul"), e.as(t, "samir"), e.as(t, "victor"), e.as(t, "marc"), e.as(t, "lea")
		const title = "Relances de factures en double pour les clients multi-sites"
		const body = "Chaque multi-site reçoit deux relances : MARQUEUR-CORPS-7731."
		post := paul.createPost(t, inno, title, body)
		var sugg suggestionJSON
		var g signalJSON

		t.Run("paul suggests a signal; samir is told", func(t *testing.T) {
			paul.post(t, "/api/v1/posts/"+id(post.ID)+"/signal-suggestions", map[string]string{"note": "À remonter au Produit ?"}).
				wantStatus(t, 201).decode(t, &sugg)
			if sugg.ID == 0 || sugg.Status != "open" || sugg.PostID != post.ID || sugg.UserID != U["paul"] || sugg.SpaceID != inno {
				t.Fatalf("suggestion %+v", sugg)
			}
			n := samir.notif(t, "signal.suggested", func(n notificationJSON) bool { return n.SubjectID == sugg.ID })
			if n == nil || n.PostID != post.ID || n.ActorID != U["paul"] || n.Detail != "À remonter au Produit ?" {
				t.Fatalf("samir's notification %+v", n)
			}
			if paul.notif(t, "signal.suggested", nil) != nil {
				t.Errorf("paul is told of his own suggestion")
			}
			// One open suggestion per person and post.
			paul.post(t, "/api/v1/posts/"+id(post.ID)+"/signal-suggestions", map[string]string{"note": "encore"}).wantError(t, 409, "")
			if ss := samir.suggestions(t, inno); len(ss) != 1 || ss[0].ID != sugg.ID {
				t.Fatalf("samir's suggestions %+v", ss)
			}
			paul.get(t, "/api/v1/spaces/"+id(inno)+"/signal-suggestions").wantError(t, 403, policy.RuleSignalStewards)
		})

		t.Run("samir raises it to victor, answering the suggestion", func(t *testing.T) {
			before := time.Now().Add(-time.Second)
			g = samir.raised(t, map[string]any{"post_id": post.ID, "owner_login": "victor", "summary": "  Relances en double : à corriger  ",
				"suggestion_id": sugg.ID})
			after := time.Now().Add(time.Second)
			if g.OwnerID != U["victor"] || g.UnitID != 0 || g.RaisedBy != U["samir"] || g.PostID != post.ID || g.SpaceID != inno ||
				g.PostTitle != title || g.Summary != "Relances en double : à corriger" || g.Stale || g.Decision != "" || g.DecidedAt != nil {
				t.Fatalf("signal %+v", g)
			}
			if g.CreatedAt.Before(before) || g.CreatedAt.After(after) || !g.DueAt.Equal(g.CreatedAt.Add(14*24*time.Hour)) {
				t.Errorf("created %v, due %v: want due 14 days after creation", g.CreatedAt, g.DueAt)
			}
			if ss := samir.suggestions(t, inno); len(ss) != 0 {
				t.Errorf("the suggestion is still open: %+v", ss)
			}
			// A closed suggestion cannot be answered twice, and the refused
			// signal leaves nothing behind.
			samir.raise(t, map[string]any{"post_id": post.ID, "owner_login": "victor", "summary": "bis", "suggestion_id": sugg.ID}).wantError(t, 409, "")
			if n := victor.countNotifs(t, "signal.raised"); n != 1 {
				t.Errorf("victor has %d signal.raised notifications, want 1", n)
			}
			if ls := victor.signalLists(t); len(ls.Owned) != 1 {
				t.Errorf("victor owns %v, want only %d", sigIDs(ls.Owned), g.ID)
			}
			n := victor.notif(t, "signal.raised", nil)
			if n == nil || n.SubjectID != g.ID || n.ActorID != U["samir"] || n.SpaceID != inno {
				t.Errorf("victor's notification %+v", n)
			}
		})

		t.Run("victor finds it among those he owns; samir among those he raised", func(t *testing.T) {
			ls := victor.signalLists(t)
			if findSig(ls.Owned, g.ID) == nil || findSig(ls.Signals, g.ID) == nil || len(ls.Raised) != 0 || len(ls.Stale) != 0 {
				t.Fatalf("victor's signals %+v", ls)
			}
			ls = samir.signalLists(t)
			if findSig(ls.Raised, g.ID) == nil || findSig(ls.Signals, g.ID) == nil || len(ls.Owned) != 0 {
				t.Fatalf("samir's signals %+v", ls)
			}
			if ls := paul.signalLists(t); len(ls.Signals) != 0 {
				t.Errorf("paul's signals %+v", ls)
			}
		})

		t.Run("victor acknowledges, then accepts with his decision", func(t *testing.T) {
			var got signalJSON
			victor.decideSig(t, g.ID, "acknowledged", "").wantStatus(t, 200).decode(t, &got)
			if got.Status != "acknowledged" || got.Decision != "" || got.DecidedAt != nil {
				t.Fatalf("acknowledged %+v", got)
			}
			victor.decideSig(t, g.ID, "accepted", "  Corrigé dans la version de mars.  ").wantStatus(t, 200).decode(t, &got)
			if got.Status != "accepted" || got.Decision != "Corrigé dans la version de mars." || got.DecidedBy != U["victor"] || got.DecidedAt == nil {
				t.Fatalf("accepted %+v", got)
			}
			full := victor.signalByID(t, g.ID)
			var steps []string
			for _, h := range full.History {
				steps = append(steps, h.Status+"/"+itoa(h.ActorID))
			}
			want := []string{"new/" + itoa(U["samir"]), "acknowledged/" + itoa(U["victor"]), "accepted/" + itoa(U["victor"])}
			if strings.Join(steps, " ") != strings.Join(want, " ") {
				t.Errorf("history %v, want %v", steps, want)
			}
			if h := full.History; len(h) == 3 && h[2].Note != "Corrigé dans la version de mars." {
				t.Errorf("the decision's step holds %q", h[2].Note)
			}
		})

		t.Run("the thread shows the decision to every reader", func(t *testing.T) {
			for _, c := range []*client{paul, marc, samir, victor} {
				th := c.threadSignals(t, post.ID)
				if len(th.Signals) != 1 {
					t.Fatalf("thread signals %+v", th.Signals)
				}
				s := th.Signals[0]
				if s.ID != g.ID || s.Status != "accepted" || s.Decision != "Corrigé dans la version de mars." || s.OwnerName == "" {
					t.Errorf("thread signal %+v", s)
				}
			}
			// Lea does not read the community: neither the thread nor the signal.
			lea.get(t, "/api/v1/posts/"+id(post.ID)).wantUnseen(t)
			lea.get(t, "/api/v1/signals/"+id(g.ID)).wantError(t, 404, "")
		})

		t.Run("samir is told of each step", func(t *testing.T) {
			if n := samir.countNotifs(t, "signal.decided"); n != 2 {
				t.Errorf("samir has %d signal.decided notifications, want 2 (acknowledged, accepted)", n)
			}
			n := samir.notif(t, "signal.decided", nil)
			if n == nil || n.SubjectID != g.ID || n.ActorID != U["victor"] || n.Rule != "accepted" || n.Detail != "Corrigé dans la version de mars." {
				t.Errorf("samir's notification %+v", n)
			}
			if paul.notif(t, "signal.decided", nil) != nil {
				t.Errorf("paul, who only suggested, is told as the raiser")
			}
		})

		t.Run("paul declares the value it brought", func(t *testing.T) {
			var b map[string]any
			paul.post(t, "/api/v1/benefits", map[string]any{"signal_id": g.ID, "kind": "time_saved", "amount": 2.5, "unit": "hours"}).
				wantStatus(t, 201).decode(t, &b)
			if b["signal_id"] != float64(g.ID) || b["amount"] != 2.5 || b["space_id"] != float64(inno) {
				t.Errorf("benefit %v", b)
			}
			paul.post(t, "/api/v1/benefits", map[string]any{"post_id": post.ID, "kind": "cost_avoided", "amount": 120}).wantStatus(t, 201)
			var mine struct {
				Benefits []map[string]any `json:"benefits"`
				Totals   []map[string]any `json:"totals"`
			}
			paul.get(t, "/api/v1/me/benefits").wantStatus(t, 200).decode(t, &mine)
			if len(mine.Benefits) != 2 || mine.Benefits[1]["signal_id"] != float64(g.ID) || mine.Benefits[1]["kind"] != "time_saved" ||
				mine.Benefits[1]["amount"] != 2.5 || mine.Benefits[0]["post_id"] != float64(post.ID) {
				t.Errorf("paul's benefits %v", mine.Benefits)
			}
			// Lea cannot see the signal: it does not exist for her.
			lea.post(t, "/api/v1/benefits", map[string]any{"signal_id": g.ID, "kind": "time_saved", "amount": 1}).wantError(t, 404, "")
		})
	})
}

func TestSignalRouting(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		post := P[titleInnovationInvoice]
		samir, victor, nadia := e.as(t, "samir"), e.as(t, "victor"), e.as(t, "nadia")
		produit, communication := e.unitID(t, "Produit"), e.unitID(t, "Communication")
		ok := func(extra map[string]any) map[string]any {
			m := map[string]any{"post_id": post, "summary": "Export multi-sites"}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}

		t.Run("routed to a unit, its head owns it", func(t *testing.T) {
			g := samir.raised(t, ok(map[string]any{"unit_id": produit}))
			if g.UnitID != produit || g.UnitName != "Produit" || g.OwnerID != 0 {
				t.Fatalf("signal %+v", g)
			}
			if findSig(victor.signalLists(t).Owned, g.ID) == nil {
				t.Errorf("victor, head of Produit, does not own it")
			}
			if n := victor.notif(t, "signal.raised", nil); n == nil || n.SubjectID != g.ID {
				t.Errorf("victor is not told: %+v", n)
			}
			if ls := nadia.signalLists(t); findSig(ls.Signals, g.ID) != nil {
				t.Errorf("nadia, head of another unit, sees it")
			}
			// nadia reads neither the space nor owns the signal.
			nadia.decideSig(t, g.ID, "acknowledged", "").wantError(t, 404, "")
			victor.decideSig(t, g.ID, "acknowledged", "").wantStatus(t, 200)
		})

		cases := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"a unit without a head", ok(map[string]any{"unit_id": communication}), 422, "unit_id"},
			{"an unknown unit", ok(map[string]any{"unit_id": 999999}), 404, "unit_id"},
			{"both a person and a unit", ok(map[string]any{"unit_id": produit, "owner_login": "victor"}), 400, ""},
			{"neither a person nor a unit", ok(nil), 400, ""},
			{"a blank owner and no unit", ok(map[string]any{"owner_login": "  "}), 400, ""},
			{"an external owner", ok(map[string]any{"owner_login": "xavier"}), 422, "owner_login"},
			{"oneself", ok(map[string]any{"owner_login": "samir"}), 422, "owner_login"},
			{"an unknown login", ok(map[string]any{"owner_login": "personne"}), 404, "owner_login"},
			{"an owner login with NUL", ok(map[string]any{"owner_login": "vic\x00tor"}), 400, ""},
			{"no summary", map[string]any{"post_id": post, "owner_login": "victor"}, 400, "summary"},
			{"an empty summary", ok(map[string]any{"owner_login": "victor", "summary": ""}), 400, "summary"},
			{"a blank summary", ok(map[string]any{"owner_login": "victor", "summary": " \n\t "}), 400, "summary"},
			{"a summary too long", ok(map[string]any{"owner_login": "victor", "summary": strings.Repeat("é", 2001)}), 400, "summary"},
			{"a summary with NUL", ok(map[string]any{"owner_login": "victor", "summary": "a\x00b"}), 400, "summary"},
			{"no post", map[string]any{"owner_login": "victor", "summary": "x"}, 400, "post_id"},
			{"an unknown post", ok(map[string]any{"owner_login": "victor", "post_id": 999999}), 404, ""},
			{"a negative unit", ok(map[string]any{"unit_id": -1}), 400, ""},
			{"an unknown suggestion", ok(map[string]any{"owner_login": "victor", "suggestion_id": 999999}), 409, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := samir.raise(t, c.body)
				if er := r.wantError(t, c.status, ""); c.field != "" && er.Error != nil && er.Error.Field != c.field {
					t.Errorf("field %q, want %q: %s", er.Error.Field, c.field, r)
				}
			})
		}

		t.Run("a summary of exactly 2,000 characters", func(t *testing.T) {
			samir.raised(t, ok(map[string]any{"owner_login": "victor", "summary": strings.Repeat("é", 2000)}))
		})

		t.Run("a post that is hidden or pending", func(t *testing.T) {
			hidden := e.as(t, "paul").createPost(t, S[innovation], "Message à masquer", "hors charte")
			wantDone(t, samir.hide(t, hidden.ID, "Règle 1", "hors sujet"))
			samir.raise(t, map[string]any{"post_id": hidden.ID, "owner_login": "victor", "summary": "x"}).wantError(t, 422, "")
			// Its author still reads it, but cannot suggest it.
			e.as(t, "paul").post(t, "/api/v1/posts/"+id(hidden.ID)+"/signal-suggestions", map[string]string{"note": "x"}).wantError(t, 422, "")

			pid := e.storePost(t, S[innovation], U["paul"], relais.StatusPendingApproval, "En attente")
			samir.raise(t, map[string]any{"post_id": pid, "owner_login": "victor", "summary": "x"}).wantError(t, 404, "")
		})

		t.Run("nothing refused was recorded", func(t *testing.T) {
			ls := samir.signalLists(t)
			if len(ls.Raised) != 2 {
				t.Errorf("samir raised %d signals, want 2", len(ls.Raised))
			}
		})
	})
}

func TestSignalRules(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, P := e.spaces, e.posts
		post, team := P[titleInnovationInvoice], P[titleSupportInvoices]
		body := func(postID int64) map[string]any {
			return map[string]any{"post_id": postID, "owner_login": "victor", "summary": "À trancher"}
		}
		samir, victor, paul := e.as(t, "samir"), e.as(t, "victor"), e.as(t, "paul")

		t.Run("who raises, who suggests", func(t *testing.T) {
			paul.raise(t, body(post)).wantError(t, 403, policy.RuleSignalStewards)
			e.as(t, "claire").raise(t, body(post)).wantError(t, 403, policy.RuleSignalStewards)
			e.as(t, "marc").raise(t, body(post)).wantError(t, 403, policy.RuleSignalStewards) // a member of Innovation
			e.as(t, "lea").post(t, "/api/v1/posts/"+id(post)+"/signal-suggestions", map[string]string{"note": "x"}).
				wantUnseen(t)
			e.as(t, "marc").raised(t, body(team)) // the team's manager
			paul.raise(t, body(team)).wantError(t, 403, policy.RuleSignalStewards)
			samir.raise(t, body(team)).wantUnseen(t)
			// A team member suggests to the manager.
			var sg suggestionJSON
			paul.post(t, "/api/v1/posts/"+id(team)+"/signal-suggestions", map[string]string{"note": "à remonter"}).wantStatus(t, 201).decode(t, &sg)
			if n := e.as(t, "marc").notif(t, "signal.suggested", nil); n == nil || n.SubjectID != sg.ID {
				t.Errorf("marc is not told: %+v", n)
			}
			if ss := e.as(t, "marc").suggestions(t, S[supportLyon]); len(ss) != 1 || ss[0].ID != sg.ID {
				t.Errorf("marc's suggestions %+v", ss)
			}
			// marc dismisses it; a second dismissal is a conflict.
			e.as(t, "marc").post(t, "/api/v1/spaces/"+id(S[supportLyon])+"/signal-suggestions/"+id(sg.ID)+"/dismiss", nil).wantStatus(t, 204)
			e.as(t, "marc").post(t, "/api/v1/spaces/"+id(S[supportLyon])+"/signal-suggestions/"+id(sg.ID)+"/dismiss", nil).wantError(t, 409, "")
			paul.post(t, "/api/v1/spaces/"+id(S[supportLyon])+"/signal-suggestions/"+id(sg.ID)+"/dismiss", nil).wantError(t, 403, policy.RuleSignalStewards)
			if ss := e.as(t, "marc").suggestions(t, S[supportLyon]); len(ss) != 0 {
				t.Errorf("a dismissed suggestion stays open: %+v", ss)
			}
		})

		g := samir.raised(t, body(post))

		t.Run("only the owner decides", func(t *testing.T) {
			for _, login := range []string{"samir", "paul", "claire", "marc"} { // they read the thread
				e.as(t, login).decideSig(t, g.ID, "acknowledged", "").wantError(t, 403, policy.RuleSignalOwnerOnly)
			}
			for _, login := range []string{"lea", "nadia", "xavier", "admin"} { // they do not
				e.as(t, login).decideSig(t, g.ID, "acknowledged", "").wantError(t, 404, "")
				e.as(t, login).get(t, "/api/v1/signals/"+id(g.ID)).wantError(t, 404, "")
			}
			if got := victor.signalByID(t, g.ID); got.Status != "new" {
				t.Errorf("status %s after refused decisions", got.Status)
			}
		})

		t.Run("bad decisions", func(t *testing.T) {
			for _, st := range []string{"accepted", "rejected", "planned", "done"} {
				victor.decideSig(t, g.ID, st, "").wantError(t, 400, "")
				victor.decideSig(t, g.ID, st, "   ").wantError(t, 400, "")
			}
			victor.decideSig(t, g.ID, "accepted", "a\x00b").wantError(t, 400, "")
			victor.decideSig(t, g.ID, "accepted", strings.Repeat("x", 5001)).wantError(t, 400, "")
			victor.decideSig(t, g.ID, "acknowledged", strings.Repeat("x", 5001)).wantError(t, 400, "")
			for _, st := range []string{"bogus", "new", "", "ACCEPTED"} {
				victor.decideSig(t, g.ID, st, "x").wantError(t, 400, "")
			}
			victor.post(t, "/api/v1/signals/"+id(g.ID)+"/decision", map[string]string{"decision": "x"}).wantError(t, 400, "")
		})

		t.Run("transitions", func(t *testing.T) {
			victor.decideSig(t, g.ID, "done", "fini").wantError(t, 409, "") // new → done
			victor.decideSig(t, g.ID, "acknowledged", "vu").wantStatus(t, 200)
			victor.decideSig(t, g.ID, "acknowledged", "").wantError(t, 409, "")
			victor.decideSig(t, g.ID, "done", "fini").wantError(t, 409, "") // acknowledged → done
			victor.decideSig(t, g.ID, "accepted", "oui").wantStatus(t, 200)
			victor.decideSig(t, g.ID, "acknowledged", "").wantError(t, 409, "")
			victor.decideSig(t, g.ID, "accepted", "encore").wantError(t, 409, "")
			var got signalJSON
			victor.decideSig(t, g.ID, "planned", "au T3").wantStatus(t, 200).decode(t, &got)
			if got.Status != "planned" || got.Decision != "au T3" {
				t.Errorf("planned %+v", got)
			}
			victor.decideSig(t, g.ID, "done", "livré").wantStatus(t, 200).decode(t, &got)
			if got.Status != "done" || got.Decision != "livré" {
				t.Errorf("done %+v", got)
			}
			for _, st := range []string{"acknowledged", "accepted", "rejected", "planned", "done"} {
				victor.decideSig(t, g.ID, st, "x").wantError(t, 409, "")
			}
			r := samir.raised(t, body(post))
			victor.decideSig(t, r.ID, "rejected", "non").wantStatus(t, 200)
			for _, st := range []string{"acknowledged", "accepted", "planned", "done"} {
				victor.decideSig(t, r.ID, st, "x").wantError(t, 409, "")
			}
			if got := victor.signalByID(t, g.ID); len(got.History) != 5 {
				t.Errorf("history of %d steps, want 5 (new, acknowledged, accepted, planned, done): %+v", len(got.History), got.History)
			}
		})
	})
}

func TestSignalPrivacy(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S := e.spaces
		marc, paul, victor, claire, lea := e.as(t, "marc"), e.as(t, "paul"), e.as(t, "victor"), e.as(t, "claire"), e.as(t, "lea")
		const title = "Incident TITRE-CONFIDENTIEL-4410 chez un client"
		post := marc.createPost(t, S[supportLyon], title, "détails internes à l'équipe")
		g := marc.raised(t, map[string]any{"post_id": post.ID, "owner_login": "victor", "summary": "Besoin d'un correctif produit"})
		if g.PostTitle != title {
			t.Fatalf("marc, who reads the team space, gets the title %q", g.PostTitle)
		}

		t.Run("victor owns it without learning the team's thread", func(t *testing.T) {
			ls := victor.signalLists(t)
			s := findSig(ls.Owned, g.ID)
			if s == nil || s.Summary != "Besoin d'un correctif produit" || s.PostTitle != "" {
				t.Fatalf("victor's signal %+v", s)
			}
			one := victor.get(t, "/api/v1/signals/"+id(g.ID)).wantStatus(t, 200)
			if strings.Contains(string(one.Body), "TITRE-CONFIDENTIEL") {
				t.Errorf("the title leaks: %s", one)
			}
			r := victor.get(t, "/api/v1/posts/"+id(post.ID))
			r.wantUnseen(t)
			if strings.Contains(string(r.Body), "TITRE-CONFIDENTIEL") {
				t.Errorf("the title leaks: %s", r)
			}
			// He decides all the same; the decision goes back to the team.
			victor.decideSig(t, g.ID, "acknowledged", "").wantStatus(t, 200)
			if r := victor.decideSig(t, g.ID, "planned", "Correctif au prochain sprint"); r.Status != 200 || strings.Contains(string(r.Body), "TITRE-CONFIDENTIEL") {
				t.Errorf("victor's decision: %s", r)
			}
		})

		t.Run("the team sees the signal and its decision in the thread", func(t *testing.T) {
			for _, c := range []*client{marc, paul} {
				th := c.threadSignals(t, post.ID)
				if len(th.Signals) != 1 || th.Signals[0].Status != "planned" || th.Signals[0].Decision != "Correctif au prochain sprint" {
					t.Errorf("thread signals %+v", th.Signals)
				}
				if got := c.signalByID(t, g.ID); got.PostTitle != title {
					t.Errorf("a team member gets the title %q", got.PostTitle)
				}
			}
			if n := marc.notif(t, "signal.decided", nil); n == nil || n.SubjectID != g.ID || n.Rule != "planned" {
				t.Errorf("marc's notification %+v", n)
			}
		})

		t.Run("outsiders see nothing", func(t *testing.T) {
			for _, c := range []*client{lea, e.as(t, "samir"), e.as(t, "nadia"), e.as(t, "admin")} {
				c.get(t, "/api/v1/signals/"+id(g.ID)).wantError(t, 404, "")
				if ls := c.signalLists(t); findSig(ls.Signals, g.ID) != nil || findSig(ls.Stale, g.ID) != nil {
					t.Errorf("an outsider lists it: %+v", ls)
				}
			}
		})

		// A second team signal, left unanswered.
		late := marc.raised(t, map[string]any{"post_id": post.ID, "owner_login": "victor", "summary": "Toujours bloqué"})

		t.Run("the community manager sees a team signal only once stale, without its title", func(t *testing.T) {
			claire.get(t, "/api/v1/signals/"+id(late.ID)).wantError(t, 404, "")
			claire.get(t, "/api/v1/signals/"+id(g.ID)).wantError(t, 404, "")
			if ls := claire.signalLists(t); len(ls.Stale) != 0 || len(ls.Signals) != 0 {
				t.Errorf("claire's signals before the deadline %+v", ls)
			}
			if n := e.markStale(t, late.DueAt.Add(time.Minute)); n != 1 {
				t.Fatalf("%d signals became stale, want 1 (the decided one stays as it is)", n)
			}
			ls := claire.signalLists(t)
			if len(ls.Stale) != 1 || ls.Stale[0].ID != late.ID || ls.Stale[0].PostTitle != "" || !ls.Stale[0].Stale {
				t.Fatalf("claire's stale signals %+v", ls.Stale)
			}
			r := claire.get(t, "/api/v1/signals/"+id(late.ID)).wantStatus(t, 200)
			if strings.Contains(string(r.Body), "TITRE-CONFIDENTIEL") {
				t.Errorf("the title leaks to the community manager: %s", r)
			}
			claire.get(t, "/api/v1/signals/"+id(g.ID)).wantError(t, 404, "")
			claire.get(t, "/api/v1/posts/"+id(post.ID)).wantUnseen(t)
			claire.decideSig(t, late.ID, "acknowledged", "").wantError(t, 403, policy.RuleSignalOwnerOnly)
			if n := claire.notif(t, "signal.stale", nil); n == nil || n.SubjectID != late.ID || n.SpaceID != S[supportLyon] {
				t.Errorf("claire's notification %+v", n)
			}
		})

		t.Run("an escalation of a team post tells its assignee nothing of the post", func(t *testing.T) {
			var x escalationJSON
			marc.post(t, "/api/v1/escalations", map[string]any{"space_id": S[supportLyon], "post_id": post.ID, "assignee_login": "victor",
				"severity": "high", "summary": "Client en colère"}).wantStatus(t, 201).decode(t, &x)
			r := victor.get(t, "/api/v1/notifications?limit=100").wantStatus(t, 200)
			if !strings.Contains(string(r.Body), "Client en colère") || strings.Contains(string(r.Body), "TITRE-CONFIDENTIEL") {
				t.Errorf("victor's notifications: %s", r)
			}
			if r := victor.get(t, "/api/v1/escalations/"+id(x.ID)).wantStatus(t, 200); strings.Contains(string(r.Body), "TITRE-CONFIDENTIEL") {
				t.Errorf("the escalation leaks the title: %s", r)
			}
		})

		t.Run("nobody else is told it is stale", func(t *testing.T) {
			for _, login := range []string{"victor", "marc", "samir", "admin"} {
				if n := e.as(t, login).countNotifs(t, "signal.stale"); n != 0 {
					t.Errorf("%s has %d signal.stale notifications", login, n)
				}
			}
		})
	})
}

func TestSignalStale(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		P := e.posts
		samir, victor, claire := e.as(t, "samir"), e.as(t, "victor"), e.as(t, "claire")
		g := samir.raised(t, map[string]any{"post_id": P[titleInnovationInvoice], "owner_login": "victor", "summary": "Sans réponse"})
		answered := samir.raised(t, map[string]any{"post_id": P[titleInnovationInvoice], "owner_login": "victor", "summary": "Répondu"})
		victor.decideSig(t, answered.ID, "accepted", "oui").wantStatus(t, 200)
		acked := samir.raised(t, map[string]any{"post_id": P[titleInnovationInvoice], "owner_login": "victor", "summary": "Pris en compte"})
		victor.decideSig(t, acked.ID, "acknowledged", "").wantStatus(t, 200)

		t.Run("not before the deadline", func(t *testing.T) {
			if n := e.markStale(t, g.DueAt.Add(-time.Minute)); n != 0 {
				t.Fatalf("%d became stale before their deadline", n)
			}
			if ls := claire.signalLists(t); len(ls.Stale) != 0 {
				t.Errorf("claire's stale %+v", ls.Stale)
			}
		})

		t.Run("once past it", func(t *testing.T) {
			now := acked.DueAt.Add(time.Hour)
			if n := e.markStale(t, now); n != 2 {
				t.Fatalf("%d became stale, want 2 (new and acknowledged; not the accepted one)", n)
			}
			if n := e.markStale(t, now.Add(time.Hour)); n != 0 {
				t.Fatalf("a second run marked %d", n)
			}
			if n := claire.countNotifs(t, "signal.stale"); n != 2 {
				t.Errorf("claire has %d signal.stale notifications, want 2", n)
			}
			ls := claire.signalLists(t)
			if got := sigIDs(ls.Stale); len(got) != 2 || findSig(ls.Stale, g.ID) == nil || findSig(ls.Stale, acked.ID) == nil {
				t.Errorf("claire's stale signals %v, want %d and %d", got, g.ID, acked.ID)
			}
			for _, s := range ls.Stale {
				if s.PostTitle != titleInnovationInvoice { // claire reads the community
					t.Errorf("stale signal title %q", s.PostTitle)
				}
			}
			mine := victor.signalLists(t)
			for _, s := range mine.Owned {
				if want := s.ID != answered.ID; s.Stale != want {
					t.Errorf("signal %d (%s) stale=%v, want %v", s.ID, s.Summary, s.Stale, want)
				}
			}
			if len(mine.Stale) != 0 {
				t.Errorf("victor, not the community manager, gets a stale list %+v", mine.Stale)
			}
			if claire.signalByID(t, g.ID).Stale != true {
				t.Errorf("signal %d is not stale", g.ID)
			}
		})

		t.Run("answering it takes it off the stale list", func(t *testing.T) {
			victor.decideSig(t, g.ID, "rejected", "hors périmètre").wantStatus(t, 200)
			ls := claire.signalLists(t)
			if got := sigIDs(ls.Stale); len(got) != 1 || got[0] != acked.ID {
				t.Errorf("claire's stale signals %v, want [%d]", got, acked.ID)
			}
		})
	})
}

func TestEscalations(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		inno := S[innovation]
		samir, claire, victor, paul, lea := e.as(t, "samir"), e.as(t, "claire"), e.as(t, "victor"), e.as(t, "paul"), e.as(t, "lea")
		var toClaire, toVictor escalationJSON
		deadline := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)

		t.Run("samir escalates to claire and to victor", func(t *testing.T) {
			before := time.Now().Add(-time.Second)
			samir.post(t, "/api/v1/escalations", map[string]any{"space_id": inno, "post_id": P[titleInnovationInvoice], "assignee_login": "claire",
				"severity": "high", "summary": "Client mécontent, menace de départ"}).wantStatus(t, 201).decode(t, &toClaire)
			after := time.Now().Add(time.Second)
			if toClaire.ID == 0 || toClaire.Status != "open" || toClaire.AssigneeID != U["claire"] || toClaire.RaisedBy != U["samir"] ||
				toClaire.Severity != "high" || toClaire.PostID != P[titleInnovationInvoice] || toClaire.Overdue {
				t.Fatalf("escalation %+v", toClaire)
			}
			if d := toClaire.DeadlineAt.Sub(toClaire.CreatedAt); d != 72*time.Hour || toClaire.CreatedAt.Before(before) || toClaire.CreatedAt.After(after) {
				t.Errorf("deadline %v after creation at %v, want 3 days", d, toClaire.CreatedAt)
			}
			samir.post(t, "/api/v1/escalations", map[string]any{"space_id": inno, "assignee_login": "victor", "severity": "critical",
				"summary": "Bug bloquant en production", "deadline": deadline.Format(time.RFC3339)}).wantStatus(t, 201).decode(t, &toVictor)
			if !toVictor.DeadlineAt.Equal(deadline) || toVictor.PostID != 0 || toVictor.Severity != "critical" {
				t.Errorf("escalation %+v, want deadline %v", toVictor, deadline)
			}
			if n := claire.notif(t, "escalation.raised", nil); n == nil || n.SubjectID != toClaire.ID || n.Rule != "high" || n.ActorID != U["samir"] {
				t.Errorf("claire's notification %+v", n)
			}
			if n := victor.notif(t, "escalation.raised", nil); n == nil || n.SubjectID != toVictor.ID || n.Rule != "critical" {
				t.Errorf("victor's notification %+v", n)
			}
		})

		t.Run("refused escalations", func(t *testing.T) {
			valid := func(extra map[string]any) map[string]any {
				m := map[string]any{"space_id": inno, "assignee_login": "claire", "severity": "low", "summary": "x"}
				for k, v := range extra {
					m[k] = v
				}
				return m
			}
			paul.post(t, "/api/v1/escalations", valid(nil)).wantError(t, 403, policy.RuleSignalStewards)
			claire.post(t, "/api/v1/escalations", valid(map[string]any{"assignee_login": "victor"})).wantError(t, 403, policy.RuleSignalStewards)
			samir.post(t, "/api/v1/escalations", valid(map[string]any{"space_id": S[supportLyon]})).wantUnseen(t)
			for _, c := range []struct {
				name   string
				body   map[string]any
				status int
			}{
				{"an unknown severity", valid(map[string]any{"severity": "urgent"}), 400},
				{"an empty severity", valid(map[string]any{"severity": ""}), 400},
				{"a past deadline", valid(map[string]any{"deadline": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}), 422},
				{"a deadline beyond a year", valid(map[string]any{"deadline": time.Now().Add(400 * 24 * time.Hour).UTC().Format(time.RFC3339)}), 422},
				{"a deadline that is not a date", valid(map[string]any{"deadline": "demain"}), 400},
				{"an external assignee", valid(map[string]any{"assignee_login": "xavier"}), 422},
				{"oneself", valid(map[string]any{"assignee_login": "samir"}), 422},
				{"an unknown assignee", valid(map[string]any{"assignee_login": "personne"}), 404},
				{"a blank assignee", valid(map[string]any{"assignee_login": ""}), 400},
				{"a post of another space", valid(map[string]any{"post_id": P[titleClientsInvoices]}), 422},
				{"a post of a team space", valid(map[string]any{"post_id": P[titleSupportInvoices]}), 404},
				{"an unknown post", valid(map[string]any{"post_id": 999999}), 404},
				{"an unknown space", valid(map[string]any{"space_id": 999999}), 404},
				{"an empty summary", valid(map[string]any{"summary": ""}), 400},
				{"a summary too long", valid(map[string]any{"summary": strings.Repeat("x", 2001)}), 400},
				{"a summary with NUL", valid(map[string]any{"summary": "a\x00b"}), 400},
				{"no summary", map[string]any{"space_id": inno, "assignee_login": "claire", "severity": "low"}, 400},
				{"no severity", map[string]any{"space_id": inno, "assignee_login": "claire", "summary": "x"}, 400},
				{"no assignee", map[string]any{"space_id": inno, "severity": "low", "summary": "x"}, 400},
				{"no space", map[string]any{"assignee_login": "claire", "severity": "low", "summary": "x"}, 400},
			} {
				t.Run(c.name, func(t *testing.T) {
					samir.post(t, "/api/v1/escalations", c.body).wantError(t, c.status, "")
				})
			}
			if es := claire.escalationList(t); len(es) != 2 {
				t.Errorf("refused escalations were recorded: %v", escIDs(es))
			}
		})

		t.Run("who lists what", func(t *testing.T) {
			// Open, most severe first: victor's critical before claire's high.
			if got := escIDs(claire.escalationList(t)); len(got) != 2 || got[0] != toVictor.ID || got[1] != toClaire.ID {
				t.Errorf("claire lists %v, want [%d %d]", got, toVictor.ID, toClaire.ID)
			}
			if got := escIDs(victor.escalationList(t)); len(got) != 1 || got[0] != toVictor.ID {
				t.Errorf("victor lists %v, want [%d]", got, toVictor.ID)
			}
			if got := escIDs(samir.escalationList(t)); len(got) != 2 {
				t.Errorf("samir, who raised both, lists %v", got)
			}
			if got := paul.escalationList(t); len(got) != 0 {
				t.Errorf("paul lists %v", escIDs(got))
			}
			victor.get(t, "/api/v1/escalations/"+id(toVictor.ID)).wantStatus(t, 200)
			victor.get(t, "/api/v1/escalations/"+id(toClaire.ID)).wantError(t, 404, "")
			paul.get(t, "/api/v1/escalations/"+id(toVictor.ID)).wantError(t, 404, "")
			claire.get(t, "/api/v1/escalations/"+id(toVictor.ID)).wantStatus(t, 200)
			samir.get(t, "/api/v1/escalations/"+id(toVictor.ID)).wantStatus(t, 200)
		})

		t.Run("resolving", func(t *testing.T) {
			path := "/api/v1/escalations/" + id(toVictor.ID) + "/resolve"
			lea.post(t, path, map[string]string{"resolution": "x"}).wantError(t, 404, "")
			paul.post(t, path, map[string]string{"resolution": "x"}).wantError(t, 404, "")
			samir.post(t, path, map[string]string{"resolution": "x"}).wantError(t, 403, policy.RuleEscalationAssignee)
			victor.post(t, path, map[string]string{}).wantError(t, 400, "")
			victor.post(t, path, map[string]string{"resolution": "  "}).wantError(t, 400, "")
			victor.post(t, path, map[string]string{"resolution": "a\x00b"}).wantError(t, 400, "")
			var got escalationJSON
			victor.post(t, path, map[string]string{"resolution": "Correctif déployé"}).wantStatus(t, 200).decode(t, &got)
			if got.Status != "resolved" || got.Resolution != "Correctif déployé" || got.ResolvedBy != U["victor"] || got.ResolvedAt == nil || got.Overdue {
				t.Errorf("resolved %+v", got)
			}
			victor.post(t, path, map[string]string{"resolution": "encore"}).wantError(t, 409, "")
			claire.post(t, path, map[string]string{"resolution": "encore"}).wantError(t, 409, "")
			n := samir.notif(t, "escalation.resolved", nil)
			if n == nil || n.SubjectID != toVictor.ID || n.ActorID != U["victor"] || n.Detail != "Correctif déployé" {
				t.Errorf("samir's notification %+v", n)
			}
			// Resolved ones come after the open ones.
			if got := escIDs(claire.escalationList(t)); len(got) != 2 || got[0] != toClaire.ID || got[1] != toVictor.ID {
				t.Errorf("claire lists %v, want [%d %d]", got, toClaire.ID, toVictor.ID)
			}
			// The community manager resolves what was escalated to her.
			claire.post(t, "/api/v1/escalations/"+id(toClaire.ID)+"/resolve", map[string]string{"resolution": "x", "note": "x"}).wantError(t, 400, "")
			claire.post(t, "/api/v1/escalations/"+id(toClaire.ID)+"/resolve", map[string]string{"resolution": "Client rappelé"}).wantStatus(t, 200)
			if n := samir.countNotifs(t, "escalation.resolved"); n != 2 {
				t.Errorf("samir has %d escalation.resolved notifications, want 2", n)
			}
		})
	})
}

// storePost writes a post straight into the store, in a status the API
// does not produce on demand, and returns its id.
func (e *env) storePost(t *testing.T, spaceID, authorID int64, status relais.PostStatus, title string) int64 {
	t.Helper()
	p := &relais.Post{SpaceID: spaceID, AuthorID: authorID, Kind: relais.KindDiscussion, Title: title, Body: "b", Status: status}
	if err := e.st.CreatePost(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// webhookPayloadJSON is a delivery's payload.
type webhookPayloadJSON struct {
	Event string         `json:"event"`
	Data  map[string]any `json:"data"`
}

func TestSignalWebhookOutbox(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U := e.spaces, e.users
		ctx := t.Context()
		hook := &relais.Webhook{URL: "https://tickets.example.com/hooks", Secret: "s3cret", Events: relais.WebhookEvents, CreatedBy: U["admin"]}
		if err := e.st.CreateWebhook(ctx, hook); err != nil {
			t.Fatal(err)
		}
		deliveries := func() []*relais.Delivery {
			ds, err := e.st.Deliveries(ctx, hook.ID, 100)
			if err != nil {
				t.Fatal(err)
			}
			return ds
		}
		// next checks that exactly one delivery was added since the last
		// call, pending, for event, and returns its payload.
		seen := 0
		next := func(t *testing.T, event string, forbidden ...string) webhookPayloadJSON {
			t.Helper()
			ds := deliveries()
			if len(ds) != seen+1 {
				t.Fatalf("%d deliveries, want %d", len(ds), seen+1)
			}
			seen = len(ds)
			d := ds[0]
			if d.Event != event || d.Status != "pending" || d.WebhookID != hook.ID {
				t.Fatalf("delivery %+v, want a pending %s", d, event)
			}
			for _, f := range forbidden {
				if strings.Contains(d.Payload, f) {
					t.Errorf("the payload holds %q: %s", f, d.Payload)
				}
			}
			var p webhookPayloadJSON
			if err := json.Unmarshal([]byte(d.Payload), &p); err != nil {
				t.Fatalf("payload %q: %v", d.Payload, err)
			}
			if p.Event != event || p.Data == nil {
				t.Fatalf("payload %s", d.Payload)
			}
			return p
		}
		samir, victor, marc := e.as(t, "samir"), e.as(t, "victor"), e.as(t, "marc")
		const body = "CORPS-DU-MESSAGE-9921 à ne jamais envoyer"
		post := e.as(t, "paul").createPost(t, S[innovation], "Titre communautaire", body)

		t.Run("a community signal raised and decided", func(t *testing.T) {
			g := samir.raised(t, map[string]any{"post_id": post.ID, "owner_login": "victor", "summary": "Résumé du signal"})
			p := next(t, "signal.raised", "CORPS-DU-MESSAGE")
			if p.Data["id"] != float64(g.ID) || p.Data["summary"] != "Résumé du signal" || p.Data["post_title"] != "Titre communautaire" || p.Data["status"] != "new" {
				t.Errorf("payload data %v", p.Data)
			}
			victor.decideSig(t, g.ID, "accepted", "Décision prise").wantStatus(t, 200)
			p = next(t, "signal.decided", "CORPS-DU-MESSAGE")
			if p.Data["id"] != float64(g.ID) || p.Data["status"] != "accepted" || p.Data["decision"] != "Décision prise" {
				t.Errorf("payload data %v", p.Data)
			}
			// A refused decision adds nothing.
			victor.decideSig(t, g.ID, "acknowledged", "").wantError(t, 409, "")
			if n := len(deliveries()); n != seen {
				t.Errorf("a refused decision added a delivery: %d, want %d", n, seen)
			}
		})

		t.Run("a team signal carries no title", func(t *testing.T) {
			tp := marc.createPost(t, S[supportLyon], "TITRE-EQUIPE-5150", "CORPS-EQUIPE-5150")
			g := marc.raised(t, map[string]any{"post_id": tp.ID, "owner_login": "victor", "summary": "Besoin Produit"})
			p := next(t, "signal.raised", "TITRE-EQUIPE", "CORPS-EQUIPE")
			if p.Data["id"] != float64(g.ID) || p.Data["summary"] != "Besoin Produit" {
				t.Errorf("payload data %v", p.Data)
			}
			if v, ok := p.Data["post_title"]; ok && v != "" {
				t.Errorf("post_title %v", v)
			}
			victor.decideSig(t, g.ID, "rejected", "Non").wantStatus(t, 200)
			next(t, "signal.decided", "TITRE-EQUIPE", "CORPS-EQUIPE")
		})

		t.Run("an escalation raised and resolved", func(t *testing.T) {
			var x escalationJSON
			samir.post(t, "/api/v1/escalations", map[string]any{"space_id": S[innovation], "post_id": post.ID, "assignee_login": "victor",
				"severity": "critical", "summary": "Escalade urgente"}).wantStatus(t, 201).decode(t, &x)
			p := next(t, "escalation.raised", "CORPS-DU-MESSAGE")
			if p.Data["id"] != float64(x.ID) || p.Data["severity"] != "critical" || p.Data["summary"] != "Escalade urgente" {
				t.Errorf("payload data %v", p.Data)
			}
			victor.post(t, "/api/v1/escalations/"+id(x.ID)+"/resolve", map[string]string{"resolution": "Réglé"}).wantStatus(t, 200)
			p = next(t, "escalation.resolved", "CORPS-DU-MESSAGE")
			if p.Data["id"] != float64(x.ID) || p.Data["status"] != "resolved" || p.Data["resolution"] != "Réglé" {
				t.Errorf("payload data %v", p.Data)
			}
			victor.post(t, "/api/v1/escalations/"+id(x.ID)+"/resolve", map[string]string{"resolution": "encore"}).wantError(t, 409, "")
			if n := len(deliveries()); n != seen {
				t.Errorf("a refused resolution added a delivery: %d, want %d", n, seen)
			}
		})

		t.Run("suggestions are not sent", func(t *testing.T) {
			e.as(t, "paul").post(t, "/api/v1/posts/"+id(post.ID)+"/signal-suggestions", map[string]string{"note": "x"}).wantStatus(t, 201)
			if n := len(deliveries()); n != seen {
				t.Errorf("a suggestion added a delivery")
			}
		})
	})
}

// TestSignalBadInput sends malformed requests to every endpoint of
// signals, suggestions and escalations: each is refused with a 4xx in the
// error format, never a 5xx, and changes nothing.
func TestSignalBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, P := e.spaces, e.posts
		inno, post := id(S[innovation]), id(P[titleInnovationInvoice])
		g := e.as(t, "samir").raised(t, map[string]any{"post_id": P[titleInnovationInvoice], "owner_login": "victor", "summary": "Signal"})
		var sugg suggestionJSON
		e.as(t, "paul").post(t, "/api/v1/posts/"+post+"/signal-suggestions", map[string]string{"note": "n"}).wantStatus(t, 201).decode(t, &sugg)
		var x escalationJSON
		e.as(t, "samir").post(t, "/api/v1/escalations", map[string]any{"space_id": S[innovation], "assignee_login": "victor", "severity": "low",
			"summary": "s"}).wantStatus(t, 201).decode(t, &x)
		sid, xid := id(g.ID), id(x.ID)

		var cases []badCase
		add := func(group, as, method, path string, cs ...badCase) {
			for _, c := range fill(cs, as, method, path) {
				c.name = group + "/" + c.name
				cases = append(cases, c)
			}
		}
		pathOf := func(prefix, suffix string) func(string) string {
			return func(raw string) string { return prefix + raw + suffix }
		}

		raise := `{"post_id":` + post + `,"owner_login":"victor","summary":"s"}`
		add("raise", "samir", "POST", "/api/v1/signals", bodyCases("/api/v1/signals", raise)...)
		add("raise", "samir", "POST", "/api/v1/signals",
			badCase{name: "post_id as a string", body: `{"post_id":"` + post + `","owner_login":"victor","summary":"s"}`, want: 400},
			badCase{name: "post_id not an integer", body: `{"post_id":1.5,"owner_login":"victor","summary":"s"}`, want: 400},
			badCase{name: "post_id zero", body: `{"post_id":0,"owner_login":"victor","summary":"s"}`, want: 400},
			badCase{name: "post_id negative", body: `{"post_id":-3,"owner_login":"victor","summary":"s"}`, want: 400},
			badCase{name: "post_id too large", body: `{"post_id":99999999999999999999,"owner_login":"victor","summary":"s"}`, want: 400},
			badCase{name: "null post_id", body: `{"post_id":null,"owner_login":"victor","summary":"s"}`, want: 400},
			badCase{name: "null summary", body: `{"post_id":` + post + `,"owner_login":"victor","summary":null}`, want: 400},
			badCase{name: "summary of wrong type", body: `{"post_id":` + post + `,"owner_login":"victor","summary":5}`, want: 400},
			badCase{name: "unit_id as a string", body: `{"post_id":` + post + `,"unit_id":"2","summary":"s"}`, want: 400},
			badCase{name: "negative suggestion_id", body: `{"post_id":` + post + `,"owner_login":"victor","summary":"s","suggestion_id":-1}`, want: 400},
			badCase{name: "owner_login of wrong type", body: `{"post_id":` + post + `,"owner_login":["victor"],"summary":"s"}`, want: 400},
			badCase{name: "not signed in", as: "-", body: raise, want: 401})
		add("signals", "victor", "GET", "/api/v1/signals",
			badCase{name: "unknown query parameter", path: "/api/v1/signals?status=new", want: 400})
		add("signal", "victor", "GET", "", badIDs(pathOf("/api/v1/signals/", ""), nil)...)
		add("signal", "victor", "GET", "/api/v1/signals/"+sid, badCase{name: "unknown query parameter", path: "/api/v1/signals/" + sid + "?full=1", want: 400})

		decision := "/api/v1/signals/" + sid + "/decision"
		add("decide", "victor", "POST", decision, bodyCases(decision, `{"status":"acknowledged"}`)...)
		add("decide", "victor", "POST", decision, badIDs(pathOf("/api/v1/signals/", "/decision"), `{"status":"acknowledged"}`)...)
		add("decide", "victor", "POST", decision,
			badCase{name: "status of wrong type", body: `{"status":1}`, want: 400},
			badCase{name: "null status", body: `{"status":null}`, want: 400},
			badCase{name: "decision of wrong type", body: `{"status":"accepted","decision":["x"]}`, want: 400},
			badCase{name: "status with NUL", body: `{"status":"acc\u0000epted","decision":"x"}`, want: 400})

		suggest := "/api/v1/posts/" + post + "/signal-suggestions"
		add("suggest", "marc", "POST", suggest, bodyCases(suggest, `{"note":"x"}`)...)
		add("suggest", "marc", "POST", suggest, badIDs(pathOf("/api/v1/posts/", "/signal-suggestions"), `{"note":"x"}`)...)
		add("suggest", "marc", "POST", suggest,
			badCase{name: "empty note", body: `{"note":""}`, want: 400},
			badCase{name: "note with NUL", body: `{"note":"a\u0000b"}`, want: 400},
			badCase{name: "note too long", body: `{"note":"` + strings.Repeat("x", 2001) + `"}`, want: 400},
			badCase{name: "null note", body: `{"note":null}`, want: 400})
		add("suggestions", "samir", "GET", "", badIDs(pathOf("/api/v1/spaces/", "/signal-suggestions"), nil)...)
		add("suggestions", "samir", "GET", "/api/v1/spaces/"+inno+"/signal-suggestions",
			badCase{name: "unknown query parameter", path: "/api/v1/spaces/" + inno + "/signal-suggestions?all=1", want: 400})
		dismiss := "/api/v1/spaces/" + inno + "/signal-suggestions/" + id(sugg.ID) + "/dismiss"
		add("dismiss", "samir", "POST", dismiss, noBodyCases()...)
		add("dismiss", "samir", "POST", "", badIDs(pathOf("/api/v1/spaces/", "/signal-suggestions/"+id(sugg.ID)+"/dismiss"), nil)...)
		add("dismiss", "samir", "POST", "", badIDs(pathOf("/api/v1/spaces/"+inno+"/signal-suggestions/", "/dismiss"), nil)...)
		add("dismiss", "samir", "POST", "",
			badCase{name: "a suggestion of another space", path: "/api/v1/spaces/" + id(S[clientsPro]) + "/signal-suggestions/" + id(sugg.ID) + "/dismiss",
				want: 403, rule: policy.RuleSignalStewards})

		escalate := `{"space_id":` + inno + `,"assignee_login":"claire","severity":"low","summary":"s"}`
		add("escalate", "samir", "POST", "/api/v1/escalations", bodyCases("/api/v1/escalations", escalate)...)
		add("escalate", "samir", "POST", "/api/v1/escalations",
			badCase{name: "space_id as a string", body: `{"space_id":"` + inno + `","assignee_login":"claire","severity":"low","summary":"s"}`, want: 400},
			badCase{name: "space_id zero", body: `{"space_id":0,"assignee_login":"claire","severity":"low","summary":"s"}`, want: 400},
			badCase{name: "negative post_id", body: `{"space_id":` + inno + `,"post_id":-1,"assignee_login":"claire","severity":"low","summary":"s"}`, want: 400},
			badCase{name: "severity of wrong type", body: `{"space_id":` + inno + `,"assignee_login":"claire","severity":2,"summary":"s"}`, want: 400},
			badCase{name: "deadline of wrong type", body: `{"space_id":` + inno + `,"assignee_login":"claire","severity":"low","summary":"s","deadline":1}`, want: 400},
			badCase{name: "deadline as a date only", body: `{"space_id":` + inno + `,"assignee_login":"claire","severity":"low","summary":"s","deadline":"2030-01-01"}`, want: 400},
			badCase{name: "assignee with NUL", body: `{"space_id":` + inno + `,"assignee_login":"cl\u0000aire","severity":"low","summary":"s"}`, want: 400})
		add("escalations", "claire", "GET", "/api/v1/escalations",
			badCase{name: "unknown query parameter", path: "/api/v1/escalations?open=1", want: 400})
		add("escalation", "claire", "GET", "", badIDs(pathOf("/api/v1/escalations/", ""), nil)...)
		resolve := "/api/v1/escalations/" + xid + "/resolve"
		add("resolve", "victor", "POST", resolve, bodyCases(resolve, `{"resolution":"r"}`)...)
		add("resolve", "victor", "POST", resolve, badIDs(pathOf("/api/v1/escalations/", "/resolve"), `{"resolution":"r"}`)...)
		add("resolve", "victor", "POST", resolve,
			badCase{name: "resolution of wrong type", body: `{"resolution":true}`, want: 400},
			badCase{name: "null resolution", body: `{"resolution":null}`, want: 400},
			badCase{name: "resolution too long", body: `{"resolution":"` + strings.Repeat("x", 5001) + `"}`, want: 400})

		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				cl := e.anon()
				if c.as != "" && c.as != "-" {
					cl = e.as(t, c.as)
				}
				r := cl.do(t, c.method, c.path, c.body)
				if c.alt != 0 && r.Status == c.alt {
					if c.alt >= 400 {
						r.checkError(t)
					}
					return
				}
				r.wantError(t, c.want, c.rule)
			})
		}

		t.Run("the bad requests changed nothing", func(t *testing.T) {
			if ls := e.as(t, "samir").signalLists(t); len(ls.Raised) != 1 || ls.Raised[0].ID != g.ID {
				t.Errorf("samir's signals %v", sigIDs(ls.Raised))
			}
			if got := e.as(t, "victor").signalByID(t, g.ID); got.Status != "new" || len(got.History) != 1 {
				t.Errorf("signal %+v", got)
			}
			if ss := e.as(t, "samir").suggestions(t, S[innovation]); len(ss) != 1 || ss[0].ID != sugg.ID {
				t.Errorf("suggestions %+v", ss)
			}
			es := e.as(t, "claire").escalationList(t)
			if len(es) != 1 || es[0].ID != x.ID || es[0].Status != "open" {
				t.Errorf("escalations %+v", es)
			}
		})
	})
}

// TestSignalConcurrentDecisions sends the same decision many times at once,
// as a double click would: one wins, the others are conflicts, and the
// history holds one step.
func TestSignalConcurrentDecisions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		victor := e.as(t, "victor")
		g := e.as(t, "samir").raised(t, map[string]any{"post_id": e.posts[titleInnovationInvoice], "owner_login": "victor", "summary": "Vite"})
		rs := burst(t, e, same(8, victor, "POST", "/api/v1/signals/"+id(g.ID)+"/decision", map[string]string{"status": "acknowledged"}))
		if st := statuses(rs); st[200] != 1 || st[409] != 7 {
			t.Errorf("statuses %v, want one 200 and seven 409", st)
		}
		if h := victor.signalByID(t, g.ID).History; len(h) != 2 {
			t.Errorf("history %+v, want new and one acknowledged", h)
		}
		if n := e.as(t, "samir").countNotifs(t, "signal.decided"); n != 1 {
			t.Errorf("samir was told %d times, want once", n)
		}
		var x escalationJSON
		e.as(t, "samir").post(t, "/api/v1/escalations", map[string]any{"space_id": e.spaces[innovation], "assignee_login": "victor",
			"severity": "low", "summary": "s"}).wantStatus(t, 201).decode(t, &x)
		rs = burst(t, e, same(8, victor, "POST", "/api/v1/escalations/"+id(x.ID)+"/resolve", map[string]string{"resolution": "fait"}))
		if st := statuses(rs); st[200] != 1 || st[409] != 7 {
			t.Errorf("statuses %v, want one 200 and seven 409", st)
		}
		if n := e.as(t, "samir").countNotifs(t, "escalation.resolved"); n != 1 {
			t.Errorf("samir was told %d times, want once", n)
		}
	})
}

// TestSignalDeadline checks that the community manager sets how long the
// owners of a space's signals have to answer, and that later signals are
// due accordingly.
func TestSignalDeadline(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		inno := e.spaces[innovation]
		path := "/api/v1/spaces/" + id(inno) + "/signal-deadline"
		claire, samir := e.as(t, "claire"), e.as(t, "samir")
		var got struct{ Days int }
		samir.get(t, path).wantStatus(t, 200).decode(t, &got)
		if got.Days != 14 {
			t.Fatalf("default deadline %d days, want 14", got.Days)
		}
		samir.put(t, path, map[string]int{"days": 3}).wantError(t, 403, policy.RuleCockpitCMOnly)
		for _, body := range []string{`{"days":0}`, `{"days":91}`, `{"days":"3"}`, `{}`, `{"days":3,"x":1}`} {
			claire.put(t, path, body).wantStatus(t, 400)
		}
		claire.put(t, "/api/v1/spaces/999999/signal-deadline", map[string]int{"days": 3}).wantStatus(t, 404)
		claire.put(t, path, map[string]int{"days": 3}).wantStatus(t, 200).decode(t, &got)
		if got.Days != 3 {
			t.Fatalf("deadline after the change %d days, want 3", got.Days)
		}
		post := e.as(t, "paul").createPost(t, inno, "Délai de réponse", "Un sujet à trancher.")
		g := samir.raised(t, map[string]any{"post_id": post.ID, "owner_login": "victor", "summary": "À trancher"})
		if !g.DueAt.Equal(g.CreatedAt.Add(3 * 24 * time.Hour)) {
			t.Errorf("created %v, due %v: want due 3 days after creation", g.CreatedAt, g.DueAt)
		}
		// Whoever sees the space reads its deadline; an external account
		// does not see an internal community.
		e.as(t, "lea").get(t, path).wantStatus(t, 200)
		e.as(t, "xavier").get(t, path).wantUnseen(t)
	})
}
