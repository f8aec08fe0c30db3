package api_test

// Actionable items through the API: coordination tasks of team spaces,
// problems and their solutions, and the best-practice library.

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"relais/policy"
)

type taskJSON struct {
	ID         int64  `json:"id"`
	SpaceID    int64  `json:"space_id"`
	PostID     int64  `json:"post_id"`
	ReplyID    int64  `json:"reply_id"`
	Title      string `json:"title"`
	OwnerID    int64  `json:"owner_id"`
	OwnerLogin string `json:"owner_login"`
	DueOn      string `json:"due_on"`
	Done       bool   `json:"done"`
	Overdue    bool   `json:"overdue"`
}

type problemJSON struct {
	PostID          int64  `json:"post_id"`
	Status          string `json:"status"`
	SolutionReplyID int64  `json:"solution_reply_id"`
	SolvedBy        int64  `json:"solved_by"`
}

type practiceJSON struct {
	ID           int64    `json:"id"`
	SpaceName    string   `json:"space_name"`
	SpaceKind    string   `json:"space_kind"`
	Title        string   `json:"title"`
	Summary      string   `json:"summary"`
	Tags         []string `json:"tags"`
	Reuses       int      `json:"reuses"`
	SourcePostID int64    `json:"source_post_id"`
}

func (c *client) tasks(t *testing.T, path string) []taskJSON {
	t.Helper()
	var out struct {
		Tasks []taskJSON `json:"tasks"`
	}
	c.get(t, path).wantStatus(t, 200).decode(t, &out)
	if out.Tasks == nil {
		t.Fatalf("GET %s: tasks is not an array", path)
	}
	return out.Tasks
}

func hasTask(ts []taskJSON, id int64) bool {
	for _, k := range ts {
		if k.ID == id {
			return true
		}
	}
	return false
}

func TestTasks(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		marc, paul, lea := e.as(t, "marc"), e.as(t, "paul"), e.as(t, "lea")
		post := e.posts[titleSupportInvoices]
		space := e.spaces[supportLyon]
		reply := marc.thread(t, post).Replies[0].ID
		var k taskJSON

		t.Run("a reply becomes a task assigned to a member", func(t *testing.T) {
			marc.post(t, "/api/v1/posts/"+id(post)+"/tasks", map[string]any{"reply_id": reply, "title": "  Relancer l'équipe Produit  ",
				"owner_login": "paul", "due_on": "2020-01-15"}).wantStatus(t, 201).decode(t, &k)
			if k.Title != "Relancer l'équipe Produit" || k.OwnerLogin != "paul" || k.ReplyID != reply || k.DueOn != "2020-01-15" || k.Done || !k.Overdue {
				t.Fatalf("task %+v", k)
			}
			if !hasTask(paul.tasks(t, "/api/v1/me/tasks"), k.ID) {
				t.Error("paul's open tasks miss the task assigned to him")
			}
			if !hasTask(marc.tasks(t, "/api/v1/spaces/"+id(space)+"/tasks"), k.ID) || !hasTask(paul.tasks(t, "/api/v1/posts/"+id(post)+"/tasks"), k.ID) {
				t.Error("the space's and the thread's tasks miss the new task")
			}
			var ns struct {
				Notifications []struct {
					Kind      string `json:"kind"`
					SubjectID int64  `json:"subject_id"`
				} `json:"notifications"`
			}
			paul.get(t, "/api/v1/notifications").wantStatus(t, 200).decode(t, &ns)
			if len(ns.Notifications) == 0 || ns.Notifications[0].Kind != "task.assigned" || ns.Notifications[0].SubjectID != k.ID {
				t.Errorf("paul's notifications %+v: want task.assigned first", ns.Notifications)
			}
		})

		t.Run("the owner marks it done, then reopens it", func(t *testing.T) {
			var got taskJSON
			paul.do(t, "PATCH", "/api/v1/tasks/"+id(k.ID), map[string]any{"done": true}).wantStatus(t, 200).decode(t, &got)
			if !got.Done || got.Overdue {
				t.Fatalf("after done: %+v", got)
			}
			if hasTask(paul.tasks(t, "/api/v1/me/tasks"), k.ID) || hasTask(marc.tasks(t, "/api/v1/spaces/"+id(space)+"/tasks"), k.ID) {
				t.Error("a done task is still listed as open")
			}
			if !hasTask(marc.tasks(t, "/api/v1/spaces/"+id(space)+"/tasks?status=done"), k.ID) || !hasTask(marc.tasks(t, "/api/v1/spaces/"+id(space)+"/tasks?status=all"), k.ID) {
				t.Error("the done task is missing from status=done or status=all")
			}
			got = taskJSON{}
			marc.do(t, "PATCH", "/api/v1/tasks/"+id(k.ID), map[string]any{"done": false, "owner_login": "marc", "due_on": ""}).wantStatus(t, 200).decode(t, &got)
			if got.Done || got.OwnerLogin != "marc" || got.DueOn != "" || got.Overdue {
				t.Fatalf("after reopening and reassigning: %+v", got)
			}
		})

		t.Run("bad input", func(t *testing.T) {
			path := "/api/v1/posts/" + id(post) + "/tasks"
			marc.post(t, path, map[string]any{"title": "", "owner_login": "paul"}).wantError(t, 400, "")
			marc.post(t, path, map[string]any{"title": strings.Repeat("x", 201), "owner_login": "paul"}).wantError(t, 400, "")
			marc.post(t, path, map[string]any{"title": "x", "owner_login": "paul", "due_on": "15/01/2027"}).wantError(t, 400, "")
			marc.post(t, path, map[string]any{"title": "x", "owner_login": "paul", "due_on": "2027-02-30"}).wantError(t, 400, "")
			marc.post(t, path, map[string]any{"title": "x"}).wantError(t, 400, "")
			marc.post(t, path, map[string]any{"title": "x", "owner_login": "personne"}).wantError(t, 422, "")
			other := marc.thread(t, e.posts[titleSupportPriorities]).Replies[0].ID
			marc.post(t, path, map[string]any{"title": "x", "owner_login": "paul", "reply_id": other}).wantError(t, 404, "")
			marc.do(t, "PATCH", "/api/v1/tasks/"+id(k.ID), map[string]any{}).wantError(t, 400, "")
			marc.get(t, "/api/v1/spaces/"+id(space)+"/tasks?status=late").wantError(t, 400, "")
			marc.do(t, "PATCH", "/api/v1/tasks/999999", map[string]any{"done": true}).wantError(t, 404, "")
		})

		t.Run("the owner is a member of the team or its manager", func(t *testing.T) {
			r := marc.post(t, "/api/v1/posts/"+id(post)+"/tasks", map[string]any{"title": "Appeler le client", "owner_login": "lea"})
			if e := r.wantError(t, 422, policy.RuleTaskTeams); e.Error != nil && !strings.Contains(e.Error.Message, "not a member of this team") {
				t.Errorf("message %q", e.Error.Message)
			}
			marc.do(t, "PATCH", "/api/v1/tasks/"+id(k.ID), map[string]any{"owner_login": "samir"}).wantError(t, 422, policy.RuleTaskTeams)
		})

		t.Run("tasks live in team spaces", func(t *testing.T) {
			samir := e.as(t, "samir")
			samir.post(t, "/api/v1/posts/"+id(e.posts[titleInnovationInvoice])+"/tasks", map[string]any{"title": "Compter les clients", "owner_login": "paul"}).
				wantError(t, 403, policy.RuleTaskTeams)
		})

		t.Run("an outsider sees no task", func(t *testing.T) {
			for _, login := range []string{"lea", "nadia", "claire", "xavier"} {
				c := e.as(t, login)
				c.get(t, "/api/v1/tasks/"+id(k.ID)).wantError(t, 404, "")
				c.do(t, "PATCH", "/api/v1/tasks/"+id(k.ID), map[string]any{"done": true}).wantError(t, 404, "")
				c.get(t, "/api/v1/spaces/"+id(space)+"/tasks").wantUnseen(t)
				c.post(t, "/api/v1/posts/"+id(post)+"/tasks", map[string]any{"title": "x", "owner_login": login}).wantUnseen(t)
			}
			if ts := lea.tasks(t, "/api/v1/me/tasks"); hasTask(ts, k.ID) {
				t.Error("lea sees Support Lyon's task")
			}
		})

		t.Run("who left the team loses its tasks", func(t *testing.T) {
			var mine taskJSON
			marc.post(t, "/api/v1/posts/"+id(post)+"/tasks", map[string]any{"title": "Mettre à jour la fiche", "owner_login": "paul"}).wantStatus(t, 201).decode(t, &mine)
			sp, err := e.st.SpaceByID(context.Background(), space)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.st.RemoveTeamMember(context.Background(), sp.TeamID, e.users["paul"]); err != nil {
				t.Fatal(err)
			}
			if hasTask(paul.tasks(t, "/api/v1/me/tasks"), mine.ID) {
				t.Error("paul still lists a task of the team he left")
			}
			paul.get(t, "/api/v1/tasks/"+id(mine.ID)).wantError(t, 404, "")
			paul.do(t, "PATCH", "/api/v1/tasks/"+id(mine.ID), map[string]any{"done": true}).wantError(t, 404, "")
		})
	})
}

func TestProblems(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		marc, paul := e.as(t, "marc"), e.as(t, "paul")
		space := e.spaces[supportLyon]
		// A new problem of paul's with answers from marc and paul.
		var p struct {
			ID int64 `json:"id"`
		}
		paul.post(t, "/api/v1/spaces/"+id(space)+"/posts", map[string]string{"kind": "problem", "title": "Imprimante N2 en panne", "body": "Plus rien ne sort depuis midi."}).wantStatus(t, 201).decode(t, &p)
		var r1, r2 struct {
			ID int64 `json:"id"`
		}
		marc.post(t, "/api/v1/posts/"+id(p.ID)+"/replies", map[string]string{"body": "Redémarre le serveur d'impression."}).wantStatus(t, 201).decode(t, &r1)
		paul.post(t, "/api/v1/posts/"+id(p.ID)+"/replies", map[string]string{"body": "J'ai changé le toner."}).wantStatus(t, 201).decode(t, &r2)
		path := "/api/v1/posts/" + id(p.ID) + "/solution"

		var open struct {
			Problem problemJSON `json:"problem"`
		}
		paul.get(t, "/api/v1/posts/"+id(p.ID)).wantStatus(t, 200).decode(t, &open)
		if open.Problem.Status != "open" {
			t.Fatalf("a new problem: %+v", open.Problem)
		}

		t.Run("the author marks the solution; its author is told", func(t *testing.T) {
			var got problemJSON
			paul.post(t, path, map[string]any{"reply_id": r1.ID}).wantStatus(t, 200).decode(t, &got)
			if got.Status != "solved" || got.SolutionReplyID != r1.ID || got.SolvedBy != e.users["paul"] {
				t.Fatalf("after solving: %+v", got)
			}
			var th struct {
				Problem problemJSON `json:"problem"`
			}
			marc.get(t, "/api/v1/posts/"+id(p.ID)).wantStatus(t, 200).decode(t, &th)
			if th.Problem.Status != "solved" || th.Problem.SolutionReplyID != r1.ID {
				t.Errorf("thread's problem %+v", th.Problem)
			}
			var ns struct {
				Notifications []struct {
					Kind string `json:"kind"`
				} `json:"notifications"`
			}
			marc.get(t, "/api/v1/notifications").wantStatus(t, 200).decode(t, &ns)
			if len(ns.Notifications) == 0 || ns.Notifications[0].Kind != "problem.solved" {
				t.Errorf("marc's notifications %+v", ns.Notifications)
			}
			paul.post(t, path, map[string]any{"reply_id": r1.ID}).wantError(t, 409, "")
			var solved struct {
				Problems []problemJSON `json:"problems"`
			}
			marc.get(t, "/api/v1/spaces/"+id(space)+"/problems?status=solved").wantStatus(t, 200).decode(t, &solved)
			found := false
			for _, x := range solved.Problems {
				found = found || x.PostID == p.ID
			}
			if !found {
				t.Error("the solved problem is not listed as solved")
			}
		})

		t.Run("the manager reopens it and marks another reply", func(t *testing.T) {
			var got problemJSON
			marc.do(t, "DELETE", path, nil).wantStatus(t, 200).decode(t, &got)
			if got.Status != "open" || got.SolutionReplyID != 0 {
				t.Fatalf("after reopening: %+v", got)
			}
			marc.do(t, "DELETE", path, nil).wantError(t, 409, "")
			marc.post(t, path, map[string]any{"reply_id": r2.ID}).wantStatus(t, 200).decode(t, &got)
			if got.SolutionReplyID != r2.ID {
				t.Fatalf("after marking: %+v", got)
			}
		})

		t.Run("another member may not", func(t *testing.T) {
			var q struct {
				ID int64 `json:"id"`
			}
			marc.post(t, "/api/v1/spaces/"+id(space)+"/posts", map[string]string{"kind": "problem", "title": "VPN lent", "body": "Le VPN rame."}).wantStatus(t, 201).decode(t, &q)
			var rr struct {
				ID int64 `json:"id"`
			}
			paul.post(t, "/api/v1/posts/"+id(q.ID)+"/replies", map[string]string{"body": "Change de serveur."}).wantStatus(t, 201).decode(t, &rr)
			paul.post(t, "/api/v1/posts/"+id(q.ID)+"/solution", map[string]any{"reply_id": rr.ID}).wantError(t, 403, policy.RuleProblemSolvers)
			e.as(t, "lea").post(t, "/api/v1/posts/"+id(q.ID)+"/solution", map[string]any{"reply_id": rr.ID}).wantUnseen(t)
		})

		t.Run("the reply must belong to the problem", func(t *testing.T) {
			other := marc.thread(t, e.posts[titleSupportPriorities]).Replies[0].ID
			paul.post(t, path, map[string]any{"reply_id": other}).wantError(t, 404, "")
			paul.post(t, path, map[string]any{"reply_id": 99999999}).wantError(t, 404, "")
			paul.post(t, path, map[string]any{"reply_id": 0}).wantError(t, 400, "")
			paul.post(t, path, map[string]any{}).wantError(t, 400, "")
			// A post of another kind has no solution.
			prio := e.posts[titleSupportPriorities]
			marc.post(t, "/api/v1/posts/"+id(prio)+"/solution", map[string]any{"reply_id": other}).wantError(t, 422, "")
			marc.get(t, "/api/v1/spaces/"+id(space)+"/problems?status=closed").wantError(t, 400, "")
		})
	})
}

func TestLibrary(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		marc, paul, nadia := e.as(t, "marc"), e.as(t, "paul"), e.as(t, "nadia")
		post := e.posts[titleSupportInvoices]
		secret := "#48211" // the thread's own text, which the library never shows
		body := map[string]any{"title": "Contourner un export vide", "summary": "Exporter site par site depuis l'écran Livraisons en attendant un correctif.",
			"tags": []string{"Facturation", " #Export ", "facturation"}}
		var pr practiceJSON

		t.Run("a member may not share the team's practice", func(t *testing.T) {
			paul.post(t, "/api/v1/posts/"+id(post)+"/practice", body).wantError(t, 403, policy.RulePracticeShareOwners)
			nadia.post(t, "/api/v1/posts/"+id(post)+"/practice", body).wantUnseen(t)
		})

		t.Run("the manager shares it: the team's consent", func(t *testing.T) {
			marc.post(t, "/api/v1/posts/"+id(post)+"/practice", body).wantStatus(t, 201).decode(t, &pr)
			if pr.Title != "Contourner un export vide" || pr.SpaceName != supportLyon || pr.SpaceKind != "team" ||
				strings.Join(pr.Tags, ",") != "facturation,export" || pr.Reuses != 0 {
				t.Fatalf("practice %+v", pr)
			}
			marc.post(t, "/api/v1/posts/"+id(post)+"/practice", body).wantError(t, 409, "")
			marc.post(t, "/api/v1/posts/"+id(post)+"/practice", map[string]any{"title": "x", "summary": strings.Repeat("a", 2001)}).wantError(t, 400, "")
			marc.post(t, "/api/v1/posts/"+id(post)+"/practice", map[string]any{"title": "x", "summary": " "}).wantError(t, 400, "")
		})

		t.Run("search ignores case and accents", func(t *testing.T) {
			for _, q := range []string{"ECRAN livraisons", "écran", "Ecran", "facturation", "correctif exporter"} {
				var lib struct {
					Practices []practiceJSON `json:"practices"`
				}
				nadia.get(t, "/api/v1/practices?q="+url.QueryEscape(q)).wantStatus(t, 200).decode(t, &lib)
				found := false
				for _, x := range lib.Practices {
					found = found || x.ID == pr.ID
				}
				if !found {
					t.Errorf("q=%q does not find the practice: %+v", q, lib.Practices)
				}
			}
			var lib struct {
				Practices []practiceJSON `json:"practices"`
			}
			nadia.get(t, "/api/v1/practices?q=inexistant").wantStatus(t, 200).decode(t, &lib)
			if len(lib.Practices) != 0 {
				t.Errorf("q=inexistant: %+v", lib.Practices)
			}
			nadia.get(t, "/api/v1/practices?tag=export").wantStatus(t, 200).decode(t, &lib)
			if len(lib.Practices) != 1 || lib.Practices[0].ID != pr.ID {
				t.Errorf("tag=export: %+v", lib.Practices)
			}
			nadia.get(t, "/api/v1/practices?q="+strings.Repeat("a", 201)).wantError(t, 400, "")
		})

		t.Run("entries never show the team's thread", func(t *testing.T) {
			for _, path := range []string{"/api/v1/practices", "/api/v1/practices/" + id(pr.ID)} {
				r := nadia.get(t, path).wantStatus(t, 200)
				for _, leak := range []string{secret, "Paul Lef", "source_post_id", `"post_id"`, "author"} {
					if strings.Contains(string(r.Body), leak) {
						t.Errorf("GET %s shows %q: %s", path, leak, r.Body)
					}
				}
			}
			var mine practiceJSON
			paul.get(t, "/api/v1/practices/"+id(pr.ID)).wantStatus(t, 200).decode(t, &mine)
			if mine.SourcePostID != post {
				t.Errorf("a member of the team gets source_post_id %d, want %d", mine.SourcePostID, post)
			}
		})

		t.Run("reuse creates a post, once per space", func(t *testing.T) {
			ventes := e.spaces[ventesParis]
			var p postJSON
			nadia.post(t, "/api/v1/practices/"+id(pr.ID)+"/reuse", map[string]any{"space_id": ventes}).wantStatus(t, 201).decode(t, &p)
			if p.SpaceID != ventes || p.Kind != "best_practice" || p.Status != "published" || p.Title != pr.Title || strings.Contains(p.Body, secret) {
				t.Fatalf("reused post %+v", p)
			}
			e.as(t, "lea").get(t, "/api/v1/posts/"+id(p.ID)).wantStatus(t, 200)
			nadia.post(t, "/api/v1/practices/"+id(pr.ID)+"/reuse", map[string]any{"space_id": ventes}).wantError(t, 409, "")
			nadia.post(t, "/api/v1/practices/"+id(pr.ID)+"/reuse", map[string]any{"space_id": e.spaces[innovation]}).wantStatus(t, 403)
			marc.post(t, "/api/v1/practices/"+id(pr.ID)+"/reuse", map[string]any{"space_id": e.spaces[supportLyon]}).wantError(t, 422, "")
			var got practiceJSON
			nadia.get(t, "/api/v1/practices/"+id(pr.ID)).wantStatus(t, 200).decode(t, &got)
			if got.Reuses != 1 {
				t.Errorf("reuses %d, want 1", got.Reuses)
			}
			var mine struct {
				PracticesReused int64 `json:"practices_reused"`
			}
			paul.get(t, "/api/v1/me/value").wantStatus(t, 200).decode(t, &mine)
			// paul wrote the thread: the demo's practice was reused once too.
			if mine.PracticesReused != 2 {
				t.Errorf("paul's practices reused %d, want 2", mine.PracticesReused)
			}
		})

		t.Run("never into a community with externals", func(t *testing.T) {
			// nadia belongs to Clients Pro, a mixed community: its customers
			// would read what the library keeps for employees.
			r := nadia.in("en").post(t, "/api/v1/practices/"+id(pr.ID)+"/reuse", map[string]any{"space_id": e.spaces[clientsPro]})
			if er := r.wantError(t, 403, policy.RulePracticeReuseInternal); er.Error == nil || !strings.Contains(er.Error.Message, "external or mixed community") {
				t.Errorf("message %s", r)
			}
			r = nadia.in("fr").post(t, "/api/v1/practices/"+id(pr.ID)+"/reuse", map[string]any{"space_id": e.spaces[clientsPro]})
			if er := r.wantError(t, 403, policy.RulePracticeReuseInternal); er.Error == nil || !strings.Contains(er.Error.Message, "communauté externe ou mixte") {
				t.Errorf("message %s", r)
			}
			var got practiceJSON
			nadia.get(t, "/api/v1/practices/"+id(pr.ID)).wantStatus(t, 200).decode(t, &got)
			if got.Reuses != 1 {
				t.Errorf("reuses %d, want 1", got.Reuses)
			}
			var rb struct {
				Rules []struct{ ID, FR, EN string } `json:"rules"`
			}
			nadia.get(t, "/api/v1/rulebook").wantStatus(t, 200).decode(t, &rb)
			if !slices.ContainsFunc(rb.Rules, func(r struct{ ID, FR, EN string }) bool {
				return r.ID == policy.RulePracticeReuseInternal && r.FR != "" && r.EN != ""
			}) {
				t.Errorf("the rulebook lacks %s", policy.RulePracticeReuseInternal)
			}
		})

		t.Run("an external account has no library", func(t *testing.T) {
			for _, login := range []string{"xavier", "olivia"} {
				c := e.as(t, login)
				c.get(t, "/api/v1/practices").wantError(t, 403, policy.RulePracticeLibraryOnly)
				c.get(t, "/api/v1/practices/"+id(pr.ID)).wantError(t, 403, policy.RulePracticeLibraryOnly)
				c.post(t, "/api/v1/practices/"+id(pr.ID)+"/reuse", map[string]any{"space_id": e.spaces[clientsPro]}).wantError(t, 403, policy.RulePracticeLibraryOnly)
			}
		})

		t.Run("withdrawn, it leaves the library", func(t *testing.T) {
			paul.del(t, "/api/v1/practices/"+id(pr.ID)).wantError(t, 403, policy.RulePracticeShareOwners)
			marc.del(t, "/api/v1/practices/"+id(pr.ID)).wantStatus(t, 204)
			nadia.get(t, "/api/v1/practices/"+id(pr.ID)).wantError(t, 404, "")
			marc.del(t, "/api/v1/practices/"+id(pr.ID)).wantError(t, 404, "")
			var lib struct {
				Practices []practiceJSON `json:"practices"`
			}
			nadia.get(t, "/api/v1/practices?q=livraisons").wantStatus(t, 200).decode(t, &lib)
			if len(lib.Practices) != 0 {
				t.Errorf("a withdrawn practice is still found: %+v", lib.Practices)
			}
			// Shared again, it comes back.
			marc.post(t, "/api/v1/posts/"+id(post)+"/practice", body).wantStatus(t, 201)
		})
	})
}
