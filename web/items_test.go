package web_test

// The pages of the actionable items and of the best-practice library: the
// forms render, the buttons show only where the policy allows them and a
// denied one explains its rule.

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"relais"
	"relais/server"
	"relais/store"
)

const (
	titlePriorities = "Priorités de la semaine 47"
	titleSolved     = "Remboursement refusé au-delà de 500 €"
	titlePractice   = "Remboursement partiel en moins de 5 minutes"
	demoTask        = "Rédiger la fiche réflexe pour la bascule du standard"
)

func signedIn(t *testing.T, e *env, login string) *browser {
	b := e.browser(t, "en")
	b.signIn(login)
	return b
}

func (e *env) lastReply(t *testing.T, postID int64) *relais.Reply {
	t.Helper()
	rs, err := e.st.Replies(context.Background(), postID, 0)
	if err != nil || len(rs) == 0 {
		t.Fatalf("replies of %d: %v", postID, err)
	}
	return rs[len(rs)-1]
}

var taskAnchor = regexp.MustCompile(`id="task-(\d+)"`)

func TestItemsThreadForms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		prio := e.postID(supportLyon, titlePriorities)
		path := "/posts/" + strconv.FormatInt(prio, 10)
		reply := e.lastReply(t, prio)

		t.Run("a member makes tasks; only the manager shares", func(t *testing.T) {
			paul := signedIn(t, e, "paul")
			p := paul.get(path)
			mustStatus(t, p, http.StatusOK)
			mustContain(t, p, "What came of it", "Make a task", `name="owner_login"`, demoTask, "Owner: Paul Lefèvre",
				`action="`+path+`/tasks"`, "practice.share.owners_only")
			mustNotContain(t, p, `action="`+path+`/practice"`)
			marc := signedIn(t, e, "marc")
			mustContain(t, marc.get(path), "Add to the library", `action="`+path+`/practice"`)
		})

		t.Run("a task from a reply, refused then made, then done", func(t *testing.T) {
			marc := signedIn(t, e, "marc")
			p := marc.get(path)
			bad := marc.postForm(p, path+"/tasks", url.Values{"reply_id": {strconv.FormatInt(reply.ID, 10)}, "title": {" "}, "owner_login": {"paul"}})
			mustStatus(t, bad, http.StatusBadRequest)
			mustContain(t, bad, "A task needs a title", `id="task-error-`+strconv.FormatInt(reply.ID, 10)+`"`)
			outsider := marc.postForm(p, path+"/tasks", url.Values{"reply_id": {strconv.FormatInt(reply.ID, 10)}, "title": {"Appeler"}, "owner_login": {"lea"}})
			mustStatus(t, outsider, http.StatusUnprocessableEntity)
			mustContain(t, outsider, "is not a member of this team")

			res := marc.postForm(p, path+"/tasks", url.Values{"reply_id": {strconv.FormatInt(reply.ID, 10)}, "title": {"Préparer la bascule"},
				"owner_login": {"paul"}, "due_on": {"2020-03-01"}})
			mustStatus(t, res, http.StatusSeeOther)
			if !strings.HasSuffix(res.Location(), "#reply-"+strconv.FormatInt(reply.ID, 10)) {
				t.Errorf("redirect to %q", res.Location())
			}
			th := marc.get(res.Location())
			mustContain(t, th, "The task is created", "Préparer la bascule", "overdue")

			items := marc.get(e.spacePath(supportLyon) + "/items")
			mustStatus(t, items, http.StatusOK)
			mustContain(t, items, "Préparer la bascule", demoTask, "Mark done", "Reassign", `name="owner_login"`)
			var id string
			for _, m := range taskAnchor.FindAllStringSubmatch(items.Body, -1) {
				if strings.Contains(items.Body[strings.Index(items.Body, m[0]):], "Préparer la bascule") {
					id = m[1]
				}
			}
			paul := signedIn(t, e, "paul")
			// Told in words, with the task and a link to the thread.
			inbox := paul.get("/notifications")
			mustContain(t, inbox, "gives you a task in Support Lyon.", "Préparer la bascule", `href="`+path+`"`)
			mustNotContain(t, inbox, "Something happened that concerns you")
			done := paul.postForm(paul.get(e.spacePath(supportLyon)+"/items"), "/tasks/"+id, url.Values{"action": {"done"}})
			mustStatus(t, done, http.StatusSeeOther)
			after := paul.get(done.Location())
			mustContain(t, after, "The task is marked done.")
			mustNotContain(t, after, "Préparer la bascule")
			mustContain(t, paul.get(e.spacePath(supportLyon)+"/items?status=done"), "Préparer la bascule")
		})

		t.Run("outsiders see no items", func(t *testing.T) {
			lea := signedIn(t, e, "lea")
			mustBeUnseen(t, lea, lea.get(e.spacePath(supportLyon)+"/items"), e.spacePath(supportLyon)+"/items", "/spaces/999999/items")
			p := lea.get(e.spacePath(ventesParis))
			mustNotContain(t, p, demoTask)
			mustBeUnseen(t, lea, lea.get(path), path, "/posts/999999")
		})

		t.Run("no task form in a community", func(t *testing.T) {
			samir := signedIn(t, e, "samir")
			inv := e.postID(innovation, "Les clients multi-sites ne peuvent pas exporter leurs factures")
			p := samir.get("/posts/" + strconv.FormatInt(inv, 10))
			mustNotContain(t, p, "Make a task", "/tasks\"")
			mustContain(t, p, "Add to the library", "Mark as solution")
		})
	})
}

func TestItemsProblemAndSpace(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		solved := e.postID(supportLyon, titleSolved+" dans l'outil de caisse")
		path := "/posts/" + strconv.FormatInt(solved, 10)
		paul := signedIn(t, e, "paul")
		p := paul.get(path)
		mustContain(t, p, "Solved", `class="reply solution"`, "Reopen the problem")
		res := paul.postForm(p, path+"/solution/reopen", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		open := paul.get(res.Location())
		mustContain(t, open, "The problem is open again.", "Open problem", "Mark as solution")
		space := paul.get(e.spacePath(supportLyon))
		mustContain(t, space, "Work in progress", demoTask, titleSolved)

		// Another member may not mark the solution of marc's problem.
		marc := signedIn(t, e, "marc")
		sp := e.spacePath(supportLyon)
		created := marc.postForm(marc.get(sp), sp+"/posts", url.Values{"kind": {"problem"}, "title": {"Badge refusé"}, "body": {"Le badge ne passe plus."}})
		mustStatus(t, created, http.StatusSeeOther)
		thread := paul.get(created.Location())
		mustNotContain(t, thread, "Mark as solution")
		mustContain(t, thread, "problem.solvers_only")
	})
}

func TestItemsLibraryPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		nadia := signedIn(t, e, "nadia")
		lib := nadia.get("/library")
		mustStatus(t, lib, http.StatusOK)
		mustContain(t, lib, titlePractice, "Shared by “Support Lyon” (team space)", "reused by 1 space", "Already reused in « Ventes Paris »",
			`href="/library"`, "#remboursement")
		mustNotContain(t, lib, "modèle de mail n°4", "Paul Lefèvre", "Voir le fil d'origine", "See the original thread")
		mustContain(t, nadia.get("/library?q="+url.QueryEscape("GESTE commercial")), titlePractice)
		mustContain(t, nadia.get("/library?q=inexistant"), "No practice matches this search.")

		// lea reuses it in… nothing: her only space already did.
		lea := signedIn(t, e, "lea")
		mustContain(t, lea.get("/library"), "None of your other spaces can reuse it yet.")

		// paul may reuse it in Innovation Produits; the post opens there.
		paul := signedIn(t, e, "paul")
		pl := paul.get("/library")
		mustContain(t, pl, "See the original thread", "Reuse in")
		ps, err := e.st.Practices(context.Background(), store.PracticeFilter{})
		if err != nil || len(ps) == 0 {
			t.Fatalf("practices: %v", err)
		}
		res := paul.postForm(pl, "/library/"+strconv.FormatInt(ps[0].ID, 10)+"/reuse", url.Values{"space_id": {strconv.FormatInt(e.spaces[innovation], 10)}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, paul.get(res.Location()), titlePractice)
		again := paul.postForm(pl, "/library/"+strconv.FormatInt(ps[0].ID, 10)+"/reuse", url.Values{"space_id": {strconv.FormatInt(e.spaces[innovation], 10)}})
		mustStatus(t, again, http.StatusConflict)

		mustContain(t, paul.get("/me"), "Your best practices reused by other spaces: 2 times.")

		// An external account has neither the link nor the page.
		xavier := signedIn(t, e, "xavier")
		home := xavier.get("/")
		mustNotContain(t, home, `href="/library"`)
		denied := xavier.get("/library")
		mustStatus(t, denied, http.StatusForbidden)
		mustContain(t, denied, "practice.library.internal_only")

		// nadia belongs to Clients Pro, a mixed community: the library
		// offers it nowhere, and a forged form is refused with the rule.
		lib = nadia.get("/library")
		mustNotContain(t, lib, `<option value="`+strconv.FormatInt(e.spaces[clientsPro], 10)+`">`)
		refused := nadia.postForm(lib, "/library/"+strconv.FormatInt(ps[0].ID, 10)+"/reuse", url.Values{"space_id": {strconv.FormatInt(e.spaces[clientsPro], 10)}})
		mustStatus(t, refused, http.StatusForbidden)
		mustContain(t, refused, "practice.reuse.internal_only", "is not reused in an external or mixed community")
		if got, err := e.st.Practices(context.Background(), store.PracticeFilter{}); err != nil || got[0].Reuses != ps[0].Reuses+1 {
			t.Errorf("reuses after the refused form: %v, %v", got, err)
		}
	})
}

func TestBrowserTaskFromReply(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	prio := e.postID(supportLyon, titlePriorities)
	reply := e.lastReply(t, prio)
	rid := strconv.FormatInt(reply.ID, 10)
	signInWithBrowser(t, ctx, e.srv.URL, "marc")
	must(t, "make a task", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/posts/"+strconv.FormatInt(prio, 10)),
		chromedp.WaitVisible(chromedp.ID("reply-"+rid)),
		chromedp.Click(chromedp.CSS("#reply-"+rid+" details.task-form summary")),
		chromedp.WaitVisible(chromedp.ID("task-title-"+rid)),
		chromedp.SendKeys(chromedp.ID("task-title-"+rid), "Tester le standard"),
		chromedp.SetValue(chromedp.ID("task-owner-"+rid), "paul"),
		chromedp.SetValue(chromedp.ID("task-due-"+rid), time.Now().AddDate(0, 0, 3).Format(time.DateOnly)),
		chromedp.Click(chromedp.CSS("#reply-"+rid+" form[action$=\"/tasks\"] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#reply-"+rid+" .task-list")),
	))
	if s := text(t, ctx, "#reply-"+rid+" .task-list li .task-title"); s != "Tester le standard" {
		t.Errorf("task under the reply %q", s)
	}
	must(t, "mark it done", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#reply-"+rid+" .task-list li form button")),
		chromedp.WaitVisible(chromedp.CSS("#reply-"+rid+" .task-list li.done")),
	))
	if n := count(t, ctx, "#reply-"+rid+" .task-list li.done .tag.done"); n != 1 {
		t.Errorf("%d done tags", n)
	}
}
