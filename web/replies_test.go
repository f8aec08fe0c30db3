package web_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"relais"
)

// TestReplyNotification: victor's reply to paul's thread is in paul's
// notifications, in French and English, with a link to the reply.
func TestReplyNotification(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		paul, _ := e.st.UserByLogin(ctx, "paul")
		victor, _ := e.st.UserByLogin(ctx, "victor")
		p, err := e.svc.CreatePost(ctx, paul, e.spaces[innovation], relais.NewPost{Kind: relais.KindQuestion, Title: "Qui a la maquette ?", Body: "Pour jeudi."})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.svc.Reply(ctx, victor, p.ID, "Je l'ai.")
		if err != nil {
			t.Fatal(err)
		}
		link := `/posts/` + strconv.FormatInt(p.ID, 10) + `#reply-` + strconv.FormatInt(r.ID, 10)
		fr := e.browser(t, "fr")
		fr.signIn("paul")
		mustContain(t, fr.get("/notifications"), "Victor Lemaire a répondu à votre fil « Qui a la maquette ? » (Innovation Produits).", link, "Voir la réponse")
		en := e.browser(t, "en")
		en.signIn("paul")
		mustContain(t, en.get("/notifications"), "Victor Lemaire replied to your thread “Qui a la maquette ?” (Innovation Produits).", "See the reply")
	})
}

// TestFollowButtons: a reader follows a thread and a space from their
// pages, in French, and stops; the author of a thread has no button (told
// of its replies anyway), nor has who may not read the space.
func TestFollowButtons(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		paul, _ := e.st.UserByLogin(ctx, "paul")
		p, err := e.svc.CreatePost(ctx, paul, e.spaces[innovation], relais.NewPost{Kind: relais.KindQuestion, Title: "Maquette ?", Body: "Pour jeudi."})
		if err != nil {
			t.Fatal(err)
		}
		path := "/posts/" + strconv.FormatInt(p.ID, 10)
		victor := e.browser(t, "fr")
		victor.signIn("victor")
		page := victor.get(path)
		mustContain(t, page, `action="`+path+`/follow"`, "Suivre ce fil", `aria-pressed="false"`)
		if res := victor.postForm(page, path+"/follow", url.Values{"follow": {"1"}}); res.Status != 303 || res.Location() != path+"#follow" {
			t.Fatalf("follow: %d %s", res.Status, res.Location())
		}
		mustContain(t, victor.get(path), "Ne plus suivre ce fil", `aria-pressed="true"`)
		if on, _ := e.st.FollowsThread(ctx, p.ID, mustUser(t, e, "victor")); !on {
			t.Fatal("victor does not follow the thread")
		}
		space := victor.get(e.spacePath(innovation))
		mustContain(t, space, "Suivre cet espace")
		victor.postForm(space, e.spacePath(innovation)+"/follow", url.Values{"follow": {"1"}})
		mustContain(t, victor.get(e.spacePath(innovation)), "Ne plus suivre cet espace")
		victor.postForm(victor.get(path), path+"/follow", url.Values{"follow": {"0"}})
		mustContain(t, victor.get(path), "Suivre ce fil")

		author := e.browser(t, "fr")
		author.signIn("paul")
		mustNotContain(t, author.get(path), "Suivre ce fil")
		lea := e.browser(t, "fr")
		lea.signIn("lea")
		mustNotContain(t, lea.get(e.spacePath(innovation)), "Suivre cet espace")
		if res := lea.postForm(lea.get("/"), e.spacePath(innovation)+"/follow", url.Values{"follow": {"1"}}); res.Status != 403 {
			t.Errorf("lea following a community she is not in: %d", res.Status)
		}
	})
}

func mustUser(t *testing.T, e *env, login string) int64 {
	t.Helper()
	u, err := e.st.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
